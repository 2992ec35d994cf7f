//! Telling the person's voice from the twin's own voice coming back through
//! the microphone while a reply plays, so that speaking over the twin stops
//! it (barge-in) and the twin's own voice never does.
//!
//! The gate compares, chunk by chunk, the microphone's level with the level
//! of what the speaker is playing (the playback reference). While a reply
//! plays, its first moments calibrate the coupling (how loud the speaker
//! arrives at the microphone: the loudest microphone-over-reference level
//! seen, plus headroom); after that, speech counts as the person's only when
//! the voice detector hears speech *and* the microphone stands clearly above
//! the echo that coupling predicts, for `confirm` in a row. With nothing
//! playing, speech is the person's at once.
//!
//! Invariants: pure arithmetic on levels (no model, no clock), so it is
//! tested and measured on recorded audio; it never accepts during the
//! calibration window unless nothing is playing.

/// Levels at or below this (dBFS) count as nothing playing.
pub const SILENT_DB: f32 = -60.0;

#[derive(Debug, Clone)]
pub struct EchoGateOptions {
    /// Voice-detector probability above which a chunk may be the person's speech.
    pub speech_probability: f32,
    /// How far above the predicted echo the microphone must be, dB.
    pub margin_db: f32,
    /// How long the person's speech must hold before it counts, ms.
    pub confirm_ms: f32,
    /// Audio of each reply used to learn the coupling, ms.
    pub calibrate_ms: f32,
    /// Coupling assumed until learned (a laptop's speaker to its microphone), dB.
    pub initial_coupling_db: f32,
    /// Added to the loudest coupling seen, dB.
    pub headroom_db: f32,
}

impl Default for EchoGateOptions {
    fn default() -> Self {
        Self {
            speech_probability: 0.6,
            margin_db: 6.0,
            confirm_ms: 90.0,
            calibrate_ms: 400.0,
            initial_coupling_db: -6.0,
            headroom_db: 3.0,
        }
    }
}

/// The gate's verdict on one chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing to act on (silence, the twin's own voice, or not confirmed yet).
    Quiet,
    /// The person has started speaking (over the twin, when it plays).
    PersonSpeaking,
}

#[derive(Debug, Clone)]
pub struct EchoGate {
    opts: EchoGateOptions,
    /// Reply audio heard by the gate so far (resets when playback stops).
    playing_ms: f32,
    /// The loudest microphone-over-reference level seen while calibrating.
    loudest_coupling: Option<f32>,
    /// How long candidate speech has held.
    held_ms: f32,
}

impl EchoGate {
    pub fn new(opts: EchoGateOptions) -> Self {
        Self { opts, playing_ms: 0.0, loudest_coupling: None, held_ms: 0.0 }
    }

    /// The coupling now assumed, dB (microphone level minus reference level for pure echo).
    pub fn coupling_db(&self) -> f32 {
        self.loudest_coupling.map_or(self.opts.initial_coupling_db, |c| c + self.opts.headroom_db)
    }

    /// Judges one chunk of `chunk_ms`: the detector's speech probability, the
    /// microphone level and the reference level (`None` when no reply plays).
    pub fn push(&mut self, chunk_ms: f32, probability: f32, mic_db: f32, reference_db: Option<f32>) -> Verdict {
        let playing = reference_db.is_some();
        if !playing {
            self.playing_ms = 0.0;
        }
        let candidate = match reference_db {
            None => probability >= self.opts.speech_probability,
            Some(reference) => {
                self.playing_ms += chunk_ms;
                if self.playing_ms <= self.opts.calibrate_ms {
                    if reference > SILENT_DB + 20.0 {
                        let coupling = mic_db - reference;
                        self.loudest_coupling = Some(self.loudest_coupling.map_or(coupling, |c| c.max(coupling)));
                    }
                    false
                } else {
                    let echo = if reference <= SILENT_DB { f32::NEG_INFINITY } else { reference + self.coupling_db() };
                    probability >= self.opts.speech_probability && mic_db > echo + self.opts.margin_db
                }
            }
        };
        self.held_ms = if candidate { self.held_ms + chunk_ms } else { 0.0 };
        // With nothing playing the detector's own start (and its minimum length) decides; one chunk suffices here.
        let needed = if playing { self.opts.confirm_ms } else { 0.0 };
        if candidate && self.held_ms >= needed { Verdict::PersonSpeaking } else { Verdict::Quiet }
    }
}

/// RMS level of `samples` in dBFS (−120 for silence).
pub fn level_db(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return -120.0;
    }
    let power = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / samples.len() as f64;
    if power <= 1e-12 { -120.0 } else { (10.0 * power.log10()) as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(gate: &mut EchoGate, frames: &[(f32, f32, Option<f32>)]) -> Vec<Verdict> {
        frames.iter().map(|&(p, mic, reference)| gate.push(32.0, p, mic, reference)).collect()
    }

    #[test]
    fn the_twins_own_echo_never_counts() {
        let mut gate = EchoGate::new(EchoGateOptions::default());
        // The speaker arrives 12 dB down; the detector thinks it is speech.
        let echo: Vec<_> = (0..300).map(|i| (0.9, -32.0 + (i % 7) as f32, Some(-20.0 + (i % 7) as f32))).collect();
        assert!(run(&mut gate, &echo).iter().all(|v| *v == Verdict::Quiet));
        assert!((gate.coupling_db() - (-12.0 + 3.0)).abs() < 0.01, "{}", gate.coupling_db());
    }

    #[test]
    fn the_person_speaking_over_the_twin_counts_after_the_confirmation_time() {
        let mut gate = EchoGate::new(EchoGateOptions::default());
        let mut frames: Vec<_> = (0..20).map(|_| (0.9, -32.0, Some(-20.0))).collect();
        // The person speaks at -18 dBFS over the echo: the microphone rises well above it.
        frames.extend((0..6).map(|_| (0.95, -17.5, Some(-20.0))));
        let verdicts = run(&mut gate, &frames);
        let first = verdicts.iter().position(|v| *v == Verdict::PersonSpeaking).expect("barge-in detected");
        assert_eq!(first, 22, "three chunks (96 ms) of confirmation");
    }

    #[test]
    fn with_nothing_playing_speech_counts_at_once_and_noise_does_not() {
        let mut gate = EchoGate::new(EchoGateOptions::default());
        assert_eq!(gate.push(32.0, 0.2, -30.0, None), Verdict::Quiet);
        assert_eq!(gate.push(32.0, 0.9, -30.0, None), Verdict::PersonSpeaking);
        // A pause in the reply (reference silent) with the detector hearing speech: the person.
        let mut gate = EchoGate::new(EchoGateOptions::default());
        let mut frames: Vec<_> = (0..20).map(|_| (0.9, -32.0, Some(-20.0))).collect();
        frames.extend((0..4).map(|_| (0.9, -40.0, Some(-90.0))));
        assert_eq!(run(&mut gate, &frames).last(), Some(&Verdict::PersonSpeaking));
    }

    #[test]
    fn levels() {
        assert_eq!(level_db(&[]), -120.0);
        assert_eq!(level_db(&[0.0; 100]), -120.0);
        assert!((level_db(&[0.5; 100]) - (-6.02)).abs() < 0.01);
    }
}
