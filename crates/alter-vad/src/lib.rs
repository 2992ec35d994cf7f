//! Voice activity detection with Silero VAD (v5/v6 ONNX) over ONNX Runtime.
//!
//! [`Vad`] takes 16 kHz audio in pieces of any size and emits
//! [`VadEvent::SpeechStart`]/[`VadEvent::SpeechEnd`] with a configurable
//! hang-over, so the same code serves a live microphone and a file
//! ([`detect_file`]). ONNX Runtime is loaded from the models folder at run
//! time (`ort` with `load-dynamic`), so this crate compiles no native code.
//!
//! Invariants: the library file is checked before `ort` sees it (some `ort`
//! releases wait forever on a missing file); memory per stream is one 32 ms
//! window plus the recurrent state; probabilities are only ever computed on
//! whole 512-sample windows with the model's 64-sample context, as trained.

mod error;
mod runtime;
mod vad;

pub use error::VadError;
pub use runtime::{check_library_file, ensure_runtime, find_runtime};
pub use vad::{SpeechSpan, Vad, VadEvent, VadOptions, detect_file, model_path};
