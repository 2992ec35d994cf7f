//! The synthesis error: every way speaking can fail, each with a plain
//! sentence saying what to do and a stable [`ErrorCode`].

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    /// The ONNX Runtime library is not where the models folder should have it.
    #[error("the ONNX Runtime library is missing (looked in {looked_in}); run: alter models fetch")]
    RuntimeMissing { looked_in: String },
    /// The ONNX Runtime library exists but could not be loaded.
    #[error("could not load the ONNX Runtime library {path}: {reason}; run: alter models fetch")]
    RuntimeBroken { path: PathBuf, reason: String },
    /// No Piper voice (`.onnx` with its `.onnx.json`) is installed.
    #[error("no Piper voice is installed in {dir}; run: alter models fetch")]
    VoiceMissing { dir: PathBuf },
    /// A voice file is missing, unreadable or malformed.
    #[error("the voice file {path} is broken ({reason}); run: alter models fetch to restore it")]
    VoiceCorrupt { path: PathBuf, reason: String },
    /// espeak-ng (which turns text into phonemes) failed to start or to phonemise.
    #[error("espeak-ng could not {action}: install the espeak-ng-data package")]
    Phonemizer { action: String },
    /// The text holds nothing speakable once emoji, symbols and control characters are removed.
    #[error("there is nothing to say: the text is empty or holds only emoji, symbols or control characters")]
    NothingToSay,
    /// The text is written in a script no installed voice speaks.
    #[error("no installed voice speaks {language}; install a {language} Piper voice (or speak only the other parts)")]
    UnsupportedLanguage { language: String, voice_language: String },
    /// The text is longer than one call accepts.
    #[error(
        "the text is too long to speak at once ({chars} characters, at most {limit}); stream it sentence by sentence"
    )]
    TextTooLong { chars: usize, limit: usize },
    /// An option is out of range (speaker id, scales...).
    #[error("{0}")]
    BadOption(String),
    /// ONNX Runtime failed while running the voice.
    #[error("the voice model failed to run: {0}")]
    Inference(String),
    /// Writing audio failed.
    #[error("could not write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    /// The job was cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl HasErrorCode for TtsError {
    fn code(&self) -> ErrorCode {
        match self {
            TtsError::RuntimeMissing { .. } | TtsError::VoiceMissing { .. } => ErrorCode::ModelMissing,
            TtsError::RuntimeBroken { .. } | TtsError::VoiceCorrupt { .. } => ErrorCode::ModelCorrupt,
            TtsError::Phonemizer { .. } | TtsError::Inference(_) => ErrorCode::Internal,
            TtsError::NothingToSay
            | TtsError::UnsupportedLanguage { .. }
            | TtsError::TextTooLong { .. }
            | TtsError::BadOption(_) => ErrorCode::InvalidInput,
            TtsError::Write { .. } => ErrorCode::Io,
            TtsError::Cancelled => ErrorCode::Cancelled,
        }
    }
}

impl From<ort::Error> for TtsError {
    fn from(e: ort::Error) -> Self {
        TtsError::Inference(e.to_string())
    }
}

impl From<alter_onnx::RuntimeError> for TtsError {
    fn from(e: alter_onnx::RuntimeError) -> Self {
        match e {
            alter_onnx::RuntimeError::Missing { looked_in } => {
                TtsError::RuntimeMissing { looked_in: looked_in.display().to_string() }
            }
            alter_onnx::RuntimeError::Broken { path, reason } => TtsError::RuntimeBroken { path, reason },
        }
    }
}
