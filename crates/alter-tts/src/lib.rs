//! Speech synthesis with Piper voices over ONNX Runtime, with phoneme timing for lip-sync.
//!
//! A [`Synthesizer`] is one loaded voice: text goes through cleaning and
//! sentence splitting ([`text`]), espeak-ng phonemes ([`espeak`]), Piper's
//! phoneme ids and the VITS graph, whose internal per-phoneme durations are
//! exposed at load time ([`onnx_patch`]) so the phoneme and viseme timelines
//! ([`timing`]) match the audio to the frame. [`Synthesizer::stream`] yields
//! one sentence at a time; [`Synthesizer::tune_toward`] moves the voice toward
//! its owner's pitch and rate with a duration-keeping pitch shifter ([`dsp`]).
//!
//! Architecture invariants: ONNX Runtime is loaded at run time from
//! `$ALTER_MODELS_DIR/onnxruntime/` (never downloaded, never required at
//! build time); espeak-ng is the system library (Debian `libespeak-ng-dev`,
//! `espeak-ng-data`); every call here blocks and belongs on its own thread.

pub mod bench;
pub mod dsp;
mod error;
pub mod espeak;
pub mod onnx_patch;
mod options;
pub mod runtime;
mod stream;
mod synth;
pub mod text;
pub mod timing;
pub mod tune;
pub mod voice;

pub use error::TtsError;
pub use options::{Emotion, EmotionStyle, SpeakOptions, Unsupported};
pub use stream::{SpeechChunk, SpeechStream};
pub use synth::{LoadOptions, MAX_STREAM_CHARS, MAX_TEXT_CHARS, Prepared, Speech, Synthesizer};
pub use timing::{TimedPhoneme, TimedViseme, Viseme};
pub use tune::{ReferenceStats, SpeakerCandidate, Tuning, VoiceTarget};
pub use voice::{VoiceConfig, VoiceFiles, find_voices};
