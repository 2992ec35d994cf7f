//! The engine's error: every lower crate's error, each keeping its code.

use alter_core::{ErrorCode, ErrorReport, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Invalid(#[from] alter_core::ValidationError),
    #[error(transparent)]
    Store(#[from] alter_store::StoreError),
    #[error(transparent)]
    Knowledge(#[from] alter_knowledge::KnowledgeError),
    /// The folder given to a build is not usable as a twin source.
    #[error("{0}")]
    BadSource(String),
    /// A benchmark was asked for something it cannot run (unknown name, missing inputs).
    #[error("{0}")]
    Bench(String),
    /// Another job holds the twin.
    #[error("{0}")]
    Busy(String),
    /// Speech recognition failed (model missing, bad audio, ...).
    #[error(transparent)]
    Asr(#[from] alter_asr::AsrError),
    /// Speech synthesis failed (model missing, text the voice cannot speak, ...).
    #[error(transparent)]
    Tts(#[from] alter_tts::TtsError),
    #[error(transparent)]
    Models(#[from] alter_models::ModelError),
    #[error(transparent)]
    Llm(#[from] alter_llm::LlmError),
    #[error(transparent)]
    Brain(#[from] alter_brain::BrainError),
    #[error(transparent)]
    Persona(#[from] alter_persona::PersonaError),
    #[error(transparent)]
    Audio(#[from] alter_audio::AudioError),
    #[error(transparent)]
    Vad(#[from] alter_vad::VadError),
    /// Input the engine cannot use: what was wrong and what to do.
    #[error("{0}")]
    BadInput(String),
    /// A job other than a build was stopped by its caller (e.g. listening).
    #[error("{0}")]
    Stopped(&'static str),
    /// A worker thread failed; a bug, not bad input.
    #[error("{0}")]
    Internal(String),
    /// The build was cancelled; finished stages are kept and the next build resumes after them.
    #[error("the build was cancelled; building again resumes where it stopped")]
    Cancelled,
    #[error("could not {action} {path}")]
    Io {
        action: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl HasErrorCode for EngineError {
    fn code(&self) -> ErrorCode {
        match self {
            EngineError::Invalid(e) => e.code(),
            EngineError::Store(e) => e.code(),
            EngineError::Knowledge(e) => e.code(),
            EngineError::BadSource(_) => ErrorCode::InvalidInput,
            EngineError::Bench(_) => ErrorCode::InvalidInput,
            EngineError::Busy(_) => ErrorCode::Busy,
            EngineError::Io { .. } => ErrorCode::Io,
            EngineError::Asr(e) => e.code(),
            EngineError::Tts(e) => e.code(),
            EngineError::Models(e) => e.code(),
            EngineError::Llm(e) => e.code(),
            EngineError::Brain(e) => e.code(),
            EngineError::Persona(e) => e.code(),
            EngineError::Audio(e) => e.code(),
            EngineError::Vad(e) => e.code(),
            EngineError::BadInput(_) => ErrorCode::InvalidInput,
            EngineError::Stopped(_) => ErrorCode::Cancelled,
            EngineError::Internal(_) => ErrorCode::Internal,
            EngineError::Cancelled => ErrorCode::Cancelled,
        }
    }
}

impl From<EngineError> for ErrorReport {
    fn from(err: EngineError) -> Self {
        ErrorReport::from_error(&err)
    }
}
