//! Speech recognition with whisper.cpp (through whisper-rs).
//!
//! A [`Transcriber`] owns the loaded Whisper model on its own thread and takes
//! requests over a channel, so inference never blocks an async task and a
//! panic inside the FFI call is caught there and reported as an error (the
//! decoding state is rebuilt; the app keeps running). [`PartialCaptioner`]
//! turns a live stream into growing partial captions and final sentences.
//!
//! Architecture invariant: this is the only crate that compiles whisper.cpp;
//! it takes 16 kHz mono `f32` from `alter-audio` and knows nothing of twins.

mod bench;
mod chinese;
mod detect;
mod error;
mod options;
mod streaming;
mod transcriber;
mod wer;

pub use bench::{AsrBenchOptions, AsrBenchReport, WerBenchReport, WerItem, run_asr_bench, run_wer_bench};
pub use chinese::to_simplified;
pub use error::AsrError;
pub use options::{AudioContext, Language, TranscribeOptions, TranscriberOptions};
pub use streaming::{Caption, PartialCaptioner, StreamingOptions};
pub use transcriber::{Segment, Transcriber, Transcript, Word};
pub use wer::{character_error_rate, normalise_text, word_error_rate};

/// The model file name inside `$ALTER_MODELS_DIR/whisper/`: Whisper base with
/// its matrices in Q8_0 (about a third faster than f16, same transcripts).
pub const MODEL_FILE: &str = "ggml-base-q8_0.bin";
/// The same model in f16, as converted (the benchmark's reference).
pub const F16_MODEL_FILE: &str = "ggml-base.bin";

/// Where the Whisper model lives under a models directory.
pub fn model_path(models_dir: &std::path::Path) -> std::path::PathBuf {
    models_dir.join("whisper").join(MODEL_FILE)
}
