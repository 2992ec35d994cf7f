//! Listening for one spoken question on a live source: voice activity finds
//! where it starts and ends, partial captions are decoded as it grows, and
//! the final transcript is decoded when the speaker stops. Given a twin, the
//! partial captions drive anticipatory prefill ([`crate::anticipate`]) while
//! the person is still speaking.
//!
//! The same loop runs on a microphone and on a recorded file played in real
//! time (the app's test input), so what is tested is what people use.
//!
//! Invariants: memory is bounded (the captioner keeps at most its window;
//! the pre-roll is 0.5 s); listening ends after `max_utterance`, or when no
//! speech began within `patience`, with a clear error; cancelling returns
//! within one audio chunk.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use alter_asr::{Language, PartialCaptioner, StreamingOptions, TranscribeOptions};
use alter_audio::io::AudioSource;
use alter_core::CancelToken;
use alter_vad::{Vad, VadEvent, VadOptions};
use serde::Serialize;

use crate::anticipate::{AnticipateFor, Anticipated};
use crate::echo::{EchoGate, EchoGateOptions, Verdict, level_db};
use crate::playback::PlaybackProbe;
use crate::{Engine, EngineError};

/// What listening reports while it runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ListenEvent {
    SpeechStarted,
    /// The caption so far; it may still change.
    Partial {
        text: String,
    },
    SpeechEnded,
}

/// The question as heard.
#[derive(Debug, Clone, Serialize)]
pub struct Heard {
    pub text: String,
    pub language: String,
    /// Seconds of speech in the utterance.
    pub speech_seconds: f32,
    /// From the end of speech to the final transcript.
    pub final_decode_ms: f64,
    /// The anticipatory prefills made while the person spoke, oldest first.
    pub anticipated: Vec<Anticipated>,
    /// From the final transcript to the end of the anticipatory prefill
    /// under way then, which the end of speech cut short after its current
    /// chunk (the answer would wait for it either way: one model).
    pub anticipation_wait_ms: f64,
}

/// Limits of one listening turn.
#[derive(Debug, Clone)]
pub struct ListenOptions {
    pub language: Language,
    /// Give up when nobody has started speaking after this long.
    pub patience: Duration,
    /// Stop listening after this much speech, as if the speaker had stopped.
    pub max_utterance: Duration,
    /// The reply playing while listening (hands-free barge-in): its echo in the
    /// microphone is told apart from the person's voice (see [`crate::echo`]).
    pub playing: Option<PlaybackProbe>,
    /// Prefill this twin's answer from the partial captions.
    pub anticipate: Option<AnticipateFor>,
}

impl Default for ListenOptions {
    fn default() -> Self {
        Self {
            language: Language::Auto,
            patience: Duration::from_secs(10),
            max_utterance: Duration::from_secs(25),
            playing: None,
            anticipate: None,
        }
    }
}

/// Audio kept from before the person spoke over a reply (its echo must not reach the transcript).
const BARGE_IN_PRE_ROLL_S: f32 = 0.2;

/// Audio kept from before voice activity confirms speech (its start would be cut otherwise).
const PRE_ROLL_S: f32 = 0.5;

impl Engine {
    /// Listens on `source` for one utterance and returns its transcript.
    pub async fn listen(
        &self,
        mut source: Box<dyn AudioSource>,
        opts: ListenOptions,
        cancel: CancelToken,
        on_event: impl Fn(ListenEvent) + Send + 'static,
    ) -> Result<Heard, EngineError> {
        let transcriber = self.transcriber().await?;
        let models = self.config().models_dir.clone();
        // Listening to a twin's user: the twin's names and terms bias recognition
        // ("Bluefin", not "Broughin"). Without them it still listens.
        let hints = match &opts.anticipate {
            Some(target) => self.vocabulary(&target.twin).await.unwrap_or_default(),
            None => Vec::new(),
        };
        let speech_over = CancelToken::new();
        let (captions, anticipation) = match opts.anticipate.clone() {
            Some(target) => {
                let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
                let engine = self.clone();
                let over = speech_over.clone();
                (Some(tx), Some(tokio::spawn(async move { engine.anticipate_captions(target, rx, over).await })))
            }
            None => (None, None),
        };
        let over = speech_over.clone();
        let task = tokio::task::spawn_blocking(move || -> Result<Heard, EngineError> {
            let rate = alter_audio::SPEECH_RATE;
            if source.sample_rate() != rate {
                return Err(EngineError::BadInput(format!(
                    "the input delivers {} Hz audio; listening needs {rate} Hz",
                    source.sample_rate()
                )));
            }
            let mut vad = Vad::load(&models, VadOptions::default())?;
            let final_options = TranscribeOptions { language: opts.language, hints, ..Default::default() };
            let mut captioner = PartialCaptioner::new(
                &transcriber,
                StreamingOptions { step_s: 1.5, final_options, ..Default::default() },
            );
            let mut pre_roll: VecDeque<f32> = VecDeque::new();
            let pre_roll_len = (PRE_ROLL_S * rate as f32) as usize;
            let mut speaking = false;
            let mut speech_samples = 0usize;
            let mut gate = EchoGate::new(EchoGateOptions::default());
            let mut was_playing = false;
            let mut started = Instant::now();
            loop {
                if cancel.is_cancelled() {
                    return Err(EngineError::Stopped("listening was stopped"));
                }
                let chunk = source.read_chunk()?;
                let ended_input = chunk.is_none();
                let chunk = chunk.unwrap_or_default();
                let mut events = vad.push(&chunk)?;
                if ended_input {
                    events.extend(vad.finish());
                }
                // While a reply plays, the echo gate decides when the person starts; otherwise the detector does.
                let reply_level = opts.playing.as_ref().and_then(PlaybackProbe::level_db);
                let mut start = false;
                if was_playing && reply_level.is_none() && !speaking {
                    // The reply ended. Speech still going on is the person's (its echo ends with it);
                    // otherwise the detector starts afresh, so an echo it was following holds nothing back.
                    if vad.is_speaking() && vad.last_probability() >= EchoGateOptions::default().speech_probability {
                        start = true;
                    } else {
                        vad.reset();
                    }
                }
                was_playing = reply_level.is_some();
                if let Some(level) = reply_level {
                    let chunk_ms = chunk.len() as f32 * 1000.0 / rate as f32;
                    start = gate.push(chunk_ms, vad.last_probability(), level_db(&chunk), Some(level))
                        == Verdict::PersonSpeaking;
                    if start {
                        let keep = (BARGE_IN_PRE_ROLL_S * rate as f32) as usize;
                        let excess = pre_roll.len().saturating_sub(keep);
                        pre_roll.drain(..excess);
                    }
                }
                let mut ended = false;
                for event in events {
                    match event {
                        VadEvent::SpeechStart { .. } if reply_level.is_none() => start = true,
                        VadEvent::SpeechEnd { .. } if speaking => ended = true,
                        _ => {}
                    }
                }
                if start && !speaking {
                    speaking = true;
                    on_event(ListenEvent::SpeechStarted);
                    let held: Vec<f32> = pre_roll.drain(..).collect();
                    speech_samples += held.len();
                    captioner.push(&held)?;
                }
                if speaking {
                    speech_samples += chunk.len();
                    if let Some(caption) = captioner.push(&chunk)? {
                        if let Some(tx) = &captions {
                            let _ = tx.send(caption.text.clone());
                        }
                        on_event(ListenEvent::Partial { text: caption.text });
                    }
                } else {
                    pre_roll.extend(chunk.iter().copied());
                    let excess = pre_roll.len().saturating_sub(pre_roll_len);
                    pre_roll.drain(..excess);
                    // Patience runs from when the reply stops playing: the person waits for the twin.
                    if reply_level.is_some() {
                        started = Instant::now();
                    }
                    if started.elapsed() > opts.patience || ended_input {
                        return Err(EngineError::BadInput(
                            "no speech was heard: check the microphone and speak after pressing Talk".into(),
                        ));
                    }
                }
                let too_long = speech_samples as f64 / rate as f64 > opts.max_utterance.as_secs_f64();
                if ended || ended_input || too_long {
                    over.cancel();
                    on_event(ListenEvent::SpeechEnded);
                    let decode = Instant::now();
                    let caption = captioner.end_of_speech()?;
                    let (text, language) =
                        caption.map(|c| (c.text.trim().to_owned(), c.transcript.language)).unwrap_or_default();
                    if text.is_empty() {
                        return Err(EngineError::BadInput(
                            "the speech could not be recognised; please say it again".into(),
                        ));
                    }
                    return Ok(Heard {
                        text,
                        language,
                        speech_seconds: speech_samples as f32 / rate as f32,
                        final_decode_ms: decode.elapsed().as_secs_f64() * 1000.0,
                        anticipated: Vec::new(),
                        anticipation_wait_ms: 0.0,
                    });
                }
            }
        });
        let heard = task.await.map_err(|e| EngineError::Internal(format!("the listening thread failed: {e}")));
        speech_over.cancel();
        // The prefill under way was cut short when the speech ended (after its current chunk), so the
        // final transcript had the processor; what it computed is kept for the answer.
        let waited = Instant::now();
        let anticipated = match anticipation {
            Some(worker) => worker.await.unwrap_or_default(),
            None => Vec::new(),
        };
        let mut heard = heard??;
        heard.anticipated = anticipated;
        heard.anticipation_wait_ms = waited.elapsed().as_secs_f64() * 1000.0;
        Ok(heard)
    }
}
