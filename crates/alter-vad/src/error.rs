//! Errors from loading and running the voice activity model.

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum VadError {
    /// The ONNX Runtime library is not in the models folder.
    #[error("the ONNX Runtime library is missing (looked in {0}); run: alter models fetch")]
    RuntimeMissing(PathBuf),
    /// The library file exists but cannot be loaded.
    #[error("could not load ONNX Runtime from {path}: {reason}; run: alter models fetch")]
    RuntimeBroken { path: PathBuf, reason: String },
    /// The Silero model file is not there.
    #[error("the voice activity model is missing at {0}; run: alter models fetch")]
    ModelMissing(PathBuf),
    /// The model loaded but is not the Silero VAD we expect.
    #[error("the voice activity model at {path} is unusable: {reason}; run: alter models fetch")]
    ModelCorrupt { path: PathBuf, reason: String },
    /// Audio at a rate Silero does not take.
    #[error("voice activity needs 16 kHz audio, got {0} Hz")]
    WrongRate(u32),
    /// ONNX Runtime failed while running the model.
    #[error("voice activity detection failed: {0}")]
    Inference(String),
    /// Decoding the audio failed.
    #[error(transparent)]
    Audio(#[from] alter_audio::AudioError),
}

impl From<ort::Error> for VadError {
    fn from(e: ort::Error) -> Self {
        VadError::Inference(e.to_string())
    }
}

impl HasErrorCode for VadError {
    fn code(&self) -> ErrorCode {
        match self {
            VadError::RuntimeMissing(_) | VadError::ModelMissing(_) => ErrorCode::ModelMissing,
            VadError::RuntimeBroken { .. } | VadError::ModelCorrupt { .. } => ErrorCode::ModelCorrupt,
            VadError::WrongRate(_) => ErrorCode::InvalidInput,
            VadError::Inference(_) => ErrorCode::Internal,
            VadError::Audio(e) => e.code(),
        }
    }
}

impl From<alter_onnx::RuntimeError> for VadError {
    fn from(e: alter_onnx::RuntimeError) -> Self {
        match e {
            alter_onnx::RuntimeError::Missing { looked_in } => VadError::RuntimeMissing(looked_in),
            alter_onnx::RuntimeError::Broken { path, reason } => VadError::RuntimeBroken { path, reason },
        }
    }
}
