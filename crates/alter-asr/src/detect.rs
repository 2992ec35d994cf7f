//! Telling English from Mandarin before decoding ([`Language::Auto`]).
//!
//! whisper.cpp detects the language on the encoder's whole 30-second window
//! even for a two-second question, which doubled the cost of every short
//! clip. The detector here has a decoding state of its own, set once to a
//! 10-second window, and reads the language tokens' probabilities after one
//! encoder pass over the clip's first 10 seconds.
//!
//! Alter's twins answer in English and Mandarin, so the choice is between
//! those two: a Mandarin question heard as Japanese, or an English one as
//! Thai, would otherwise be decoded in a language nobody spoke.
//!
//! Invariants: the state's window is set once, at creation (whisper.cpp keeps
//! the last `audio_ctx` a state decoded with, and its language detection uses
//! it); nothing but [`LanguageDetector::detect`] runs on that state afterwards.

use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperError, WhisperState};

use crate::Language;
use crate::transcriber::RATE;

/// Encoder frames the detector reads (50 a second: 10.24 s).
const WINDOW_FRAMES: i32 = 512;
/// Samples the detector reads.
const WINDOW_SAMPLES: usize = WINDOW_FRAMES as usize * RATE as usize / 50;

/// A decoding state kept for language detection.
pub(crate) struct LanguageDetector {
    state: WhisperState,
}

impl LanguageDetector {
    /// Creates the state and sets its window by decoding one second of silence.
    pub(crate) fn new(ctx: &WhisperContext, threads: usize) -> Result<Self, WhisperError> {
        let mut state = ctx.create_state()?;
        let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        p.set_n_threads(threads as i32);
        p.set_language(Some("en"));
        p.set_audio_ctx(WINDOW_FRAMES);
        p.set_single_segment(true);
        p.set_no_timestamps(true);
        p.set_max_tokens(1);
        p.set_temperature_inc(0.0);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        state.full(p, &vec![0.0; RATE as usize])?;
        Ok(Self { state })
    }

    /// English or Mandarin, whichever the start of `audio` is likelier to be.
    pub(crate) fn detect(&mut self, audio: &[f32], threads: usize) -> Result<Language, WhisperError> {
        self.state.pcm_to_mel(&audio[..audio.len().min(WINDOW_SAMPLES)], threads)?;
        let (_, probs) = self.state.lang_detect(0, threads)?;
        let p = |code: &str| {
            whisper_rs::get_lang_id(code).and_then(|id| probs.get(usize::try_from(id).ok()?).copied()).unwrap_or(0.0)
        };
        Ok(if p("zh") > p("en") { Language::Chinese } else { Language::English })
    }
}
