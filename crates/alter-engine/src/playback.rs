//! Playing a reply out loud while the caller follows the playback position,
//! so the avatar's lips are scheduled against what is heard.
//!
//! The audio goes to the default speaker on a thread of its own. A machine
//! without one (a server, a locked-down desktop) still gets the whole
//! timeline: playback is then paced by the clock in silence, and the first
//! event says why there is no sound.
//!
//! Invariants: [`Playback::stop`] takes effect within one block (20 ms) and
//! drops what is queued in the speaker; every playback ends with exactly one
//! `Finished` or `Stopped` event.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use alter_audio::io::{AudioSink, Speaker};
use serde::Serialize;

/// Audio handed to the speaker per step.
const BLOCK: Duration = Duration::from_millis(20);
/// How often the position is reported.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// What a playback reports, in order: `Started`, `Position`s, then `Finished` or `Stopped`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlaybackEvent {
    /// `silent_reason` is set when there is no speaker and playback is paced in silence.
    Started {
        duration_ms: f64,
        silent_reason: Option<String>,
    },
    /// Milliseconds of the reply heard so far, and the wall-clock time (ms
    /// since the Unix epoch) at which that position is heard, so a listener
    /// can tell how far the sound has moved on by the time the report arrives.
    Position {
        ms: f64,
        at_unix_ms: f64,
    },
    Finished,
    Stopped {
        at_ms: f64,
    },
}

/// A reply being played. Dropping it stops it.
#[derive(Debug)]
pub struct Playback {
    stop: Arc<AtomicBool>,
    audio: Arc<Mutex<Queued>>,
    /// Samples heard so far, and whether playback has ended (for [`PlaybackProbe`]).
    heard: Arc<AtomicUsize>,
    ended: Arc<AtomicBool>,
    rate: u32,
    thread: Option<JoinHandle<()>>,
}

/// The reply's audio so far; later sentences are appended while earlier ones play.
#[derive(Debug, Default)]
struct Queued {
    samples: Vec<f32>,
    /// No more audio will come: playback finishes when it has played all of it.
    closed: bool,
}

impl Playback {
    /// Plays mono `samples` at `rate` to the end; `on_event` is called from the playback thread.
    pub fn start(samples: Vec<f32>, rate: u32, on_event: impl Fn(PlaybackEvent) + Send + 'static) -> Self {
        let playback = Self::open(samples, rate, on_event);
        playback.close();
        playback
    }

    /// Starts playing `first` and waits for more ([`Self::append`]) until [`Self::close`].
    pub fn open(first: Vec<f32>, rate: u32, on_event: impl Fn(PlaybackEvent) + Send + 'static) -> Self {
        Self::open_on(None, first, rate, on_event)
    }

    /// Like [`Self::open`], on the speaker called `output` (the default one when `None`).
    pub fn open_on(
        output: Option<String>,
        first: Vec<f32>,
        rate: u32,
        on_event: impl Fn(PlaybackEvent) + Send + 'static,
    ) -> Self {
        let rate = rate.max(1);
        let stop = Arc::new(AtomicBool::new(false));
        let audio = Arc::new(Mutex::new(Queued { samples: first, closed: false }));
        let (heard, ended) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let (flag, shared, progress, done) = (stop.clone(), audio.clone(), heard.clone(), ended.clone());
        let thread = std::thread::Builder::new()
            .name("alter-playback".into())
            .spawn(move || {
                play(output.as_deref(), &shared, rate, &flag, &progress, &on_event);
                done.store(true, Ordering::Relaxed);
            })
            .ok();
        Self { stop, audio, heard, ended, rate, thread }
    }

    /// A handle that tells how loud the reply is where it is heard now (for barge-in).
    pub fn probe(&self) -> PlaybackProbe {
        PlaybackProbe {
            audio: self.audio.clone(),
            heard: self.heard.clone(),
            ended: self.ended.clone(),
            rate: self.rate,
        }
    }

    /// Queues more audio (at the same rate) after what is queued; returns where
    /// it starts in the reply's timeline, in milliseconds. `None` once closed.
    pub fn append(&self, samples: &[f32]) -> Option<f64> {
        let mut audio = lock(&self.audio);
        if audio.closed {
            return None;
        }
        let offset_ms = audio.samples.len() as f64 * 1000.0 / self.rate as f64;
        audio.samples.extend_from_slice(samples);
        Some(offset_ms)
    }

    /// No more audio will be appended: playback ends after what is queued.
    pub fn close(&self) {
        lock(&self.audio).closed = true;
    }

    /// Stops at once (barge-in, a new reply, the window closing).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Whether the audio is still playing (or waiting for more).
    pub fn is_playing(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }
}

impl Drop for Playback {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How loud the reply playing is at the speaker now; cheap to clone, safe to
/// keep after the playback ends (it then reports nothing playing).
#[derive(Debug, Clone)]
pub struct PlaybackProbe {
    audio: Arc<Mutex<Queued>>,
    heard: Arc<AtomicUsize>,
    ended: Arc<AtomicBool>,
    rate: u32,
}

impl PlaybackProbe {
    /// The loudest 20 ms of the last 200 ms heard, dBFS (covering the path to the
    /// microphone and the room's echo); `None` once playback has ended.
    pub fn level_db(&self) -> Option<f32> {
        if self.ended.load(Ordering::Relaxed) {
            return None;
        }
        let heard = self.heard.load(Ordering::Relaxed);
        let audio = lock(&self.audio);
        let end = heard.min(audio.samples.len());
        let start = end.saturating_sub(self.rate as usize / 5);
        let block = (self.rate as usize / 50).max(1);
        Some(audio.samples[start..end].chunks(block).map(crate::echo::level_db).fold(-120.0f32, f32::max))
    }
}

fn lock(m: &Mutex<Queued>) -> std::sync::MutexGuard<'_, Queued> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn play(
    output: Option<&str>,
    audio: &Mutex<Queued>,
    rate: u32,
    stop: &AtomicBool,
    heard: &AtomicUsize,
    on_event: &dyn Fn(PlaybackEvent),
) {
    let ms = |samples: usize| samples as f64 * 1000.0 / rate as f64;
    let mut speaker = Speaker::open(output, rate);
    let silent_reason = speaker.as_ref().err().map(|e| {
        tracing::warn!("no speaker, playing silently: {e}");
        "No speaker is available, so the reply is shown without sound.".to_owned()
    });
    on_event(PlaybackEvent::Started { duration_ms: ms(lock(audio).samples.len()), silent_reason });
    let block = (rate as f64 * BLOCK.as_secs_f64()) as usize;
    let mut last_report = Instant::now();
    let mut written = 0usize;
    // Without a speaker the clock paces playback: `paced` samples were due at `since`.
    let (mut since, mut paced) = (Instant::now(), 0usize);
    let position_ms = |written: usize, speaker: &Result<Speaker, _>, since: Instant, paced: usize| match speaker {
        Ok(s) => (ms(written) - s.queued_seconds() * 1000.0).max(0.0),
        Err(_) => (ms(paced) + since.elapsed().as_secs_f64() * 1000.0).min(ms(written)),
    };
    loop {
        if stop.load(Ordering::Relaxed) {
            if let Ok(s) = &speaker {
                s.clear();
            }
            on_event(PlaybackEvent::Stopped { at_ms: position_ms(written, &speaker, since, paced) });
            return;
        }
        let (next, closed) = {
            let audio = lock(audio);
            let end = (written + block).min(audio.samples.len());
            (audio.samples[written..end].to_vec(), audio.closed)
        };
        if !next.is_empty() {
            match &mut speaker {
                Ok(s) => {
                    if s.write(&next).is_err() {
                        speaker = Err(alter_audio::AudioError::NoDevice { kind: "output" });
                    }
                }
                Err(_) => {
                    let due = Duration::from_secs_f64((written - paced) as f64 / rate as f64);
                    if let Some(wait) = due.checked_sub(since.elapsed()) {
                        std::thread::sleep(wait);
                    }
                }
            }
            written += next.len();
        } else {
            let left = match &speaker {
                Ok(s) => s.queued_seconds(),
                Err(_) => (ms(written) - position_ms(written, &speaker, since, paced)).max(0.0) / 1000.0,
            };
            if closed && left <= 0.0 {
                on_event(PlaybackEvent::Finished);
                return;
            }
            std::thread::sleep(if left > 0.0 { BLOCK.min(Duration::from_secs_f64(left)) } else { BLOCK });
            if left <= 0.0 && speaker.is_err() {
                // Waiting for the next sentence: the silent clock resumes from here.
                (since, paced) = (Instant::now(), written);
            }
        }
        let now_ms = position_ms(written, &speaker, since, paced);
        heard.store((now_ms * rate as f64 / 1000.0) as usize, Ordering::Relaxed);
        if last_report.elapsed() >= REPORT_EVERY {
            last_report = Instant::now();
            let ms = now_ms;
            on_event(PlaybackEvent::Position { ms, at_unix_ms: unix_ms_now() });
        }
    }
}

/// The wall clock in ms since the Unix epoch (the webview's `Date.now()` reads the same clock).
fn unix_ms_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn collect(samples: Vec<f32>, stop_after: Option<Duration>) -> (Vec<PlaybackEvent>, Duration) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let t = Instant::now();
        let mut playback = Playback::start(samples, 16_000, move |e| sink.lock().unwrap().push(e));
        match stop_after {
            Some(d) => {
                std::thread::sleep(d);
                playback.stop();
            }
            None => {
                while playback.is_playing() {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
        let elapsed = t.elapsed();
        drop(playback);
        (events.lock().unwrap().clone(), elapsed)
    }

    #[test]
    fn plays_to_the_end_in_real_time_with_positions() {
        let (events, elapsed) = collect(vec![0.0; 8_000], None);
        assert!(
            matches!(events.first(), Some(PlaybackEvent::Started { duration_ms, .. }) if (*duration_ms - 500.0).abs() < 1.0)
        );
        assert_eq!(events.last(), Some(&PlaybackEvent::Finished));
        let positions: Vec<f64> = events
            .iter()
            .filter_map(|e| if let PlaybackEvent::Position { ms, .. } = e { Some(*ms) } else { None })
            .collect();
        assert!(positions.len() >= 3, "{events:?}");
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "positions go forward: {positions:?}");
        assert!(elapsed >= Duration::from_millis(450), "played too fast: {elapsed:?}");
        // Each position is stamped with the wall clock of when it is heard: now-ish, in order.
        let stamps: Vec<f64> = events
            .iter()
            .filter_map(|e| if let PlaybackEvent::Position { at_unix_ms, .. } = e { Some(*at_unix_ms) } else { None })
            .collect();
        let now = unix_ms_now();
        assert!(stamps.iter().all(|s| now - s >= 0.0 && now - s < 5_000.0), "{stamps:?} vs {now}");
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    }

    #[test]
    fn the_probe_follows_the_reply_and_goes_quiet_when_it_ends() {
        let mut samples = vec![0.0f32; 4_000];
        samples.extend(std::iter::repeat_n(0.5f32, 4_000));
        let playback = Playback::start(samples, 16_000, |_| {});
        let probe = playback.probe();
        std::thread::sleep(Duration::from_millis(100));
        let early = probe.level_db().expect("playing");
        assert!(early < -100.0, "the first quarter second is silent: {early}");
        std::thread::sleep(Duration::from_millis(300));
        let later = probe.level_db().expect("playing");
        assert!((later - (-6.0)).abs() < 0.5, "then a loud tone: {later}");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(probe.level_db(), None, "ended");
        drop(playback);
    }

    #[test]
    fn stops_within_a_block() {
        let (events, elapsed) = collect(vec![0.0; 160_000], Some(Duration::from_millis(150)));
        assert!(elapsed < Duration::from_millis(400), "{elapsed:?}");
        match events.last() {
            Some(PlaybackEvent::Stopped { at_ms }) => assert!(*at_ms < 1_000.0, "{at_ms}"),
            other => panic!("expected Stopped, got {other:?}"),
        }
        assert_eq!(events.iter().filter(|e| matches!(e, PlaybackEvent::Finished)).count(), 0);
    }

    #[test]
    fn appended_sentences_play_after_the_first_and_end_when_closed() {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let t = Instant::now();
        let playback = Playback::open(vec![0.0; 3_200], 16_000, move |e| sink.lock().unwrap().push(e));
        assert_eq!(playback.append(&[0.0; 3_200]), Some(200.0));
        std::thread::sleep(Duration::from_millis(500));
        // A gap (the next sentence still synthesising), then more audio.
        assert_eq!(playback.append(&[0.0; 3_200]), Some(400.0));
        playback.close();
        assert_eq!(playback.append(&[0.0; 10]), None, "closed");
        while playback.is_playing() {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(t.elapsed() >= Duration::from_millis(680), "{:?}", t.elapsed());
        let events = events.lock().unwrap();
        assert_eq!(events.last(), Some(&PlaybackEvent::Finished), "{events:?}");
        let positions: Vec<f64> = events
            .iter()
            .filter_map(|e| if let PlaybackEvent::Position { ms, .. } = e { Some(*ms) } else { None })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
        assert!(positions.iter().all(|&p| p <= 600.0), "{positions:?}");
    }

    #[test]
    fn empty_audio_finishes_at_once() {
        let (events, _) = collect(Vec::new(), None);
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events.last(), Some(&PlaybackEvent::Finished));
    }
}
