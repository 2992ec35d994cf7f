//! Errors from loading and running Whisper.

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    /// The ggml model file is not there.
    #[error("the speech recognition model is missing at {0}; run: alter models fetch")]
    ModelMissing(PathBuf),
    /// whisper.cpp refused the model file (corrupt or not ggml).
    #[error("could not load the speech recognition model {path}: {reason}; run: alter models fetch")]
    ModelLoad { path: PathBuf, reason: String },
    /// The audio given is unusable (empty, not finite, wrong rate).
    #[error("cannot transcribe this audio: {0}")]
    BadAudio(String),
    /// whisper.cpp returned an error while decoding.
    #[error("speech recognition failed: {0}")]
    Decode(String),
    /// The native code panicked; the recogniser was reset and can be used again.
    #[error("speech recognition crashed on this audio and was restarted; try again")]
    Panicked,
    /// The recogniser thread has stopped (the app is shutting down).
    #[error("the speech recogniser has stopped; restart Alter")]
    WorkerGone,
    /// Reading an audio file failed.
    #[error(transparent)]
    Audio(#[from] alter_audio::AudioError),
}

impl HasErrorCode for AsrError {
    fn code(&self) -> ErrorCode {
        match self {
            AsrError::ModelMissing(_) => ErrorCode::ModelMissing,
            AsrError::ModelLoad { .. } => ErrorCode::ModelCorrupt,
            AsrError::BadAudio(_) => ErrorCode::InvalidInput,
            AsrError::Decode(_) | AsrError::Panicked | AsrError::WorkerGone => ErrorCode::Internal,
            AsrError::Audio(e) => e.code(),
        }
    }
}
