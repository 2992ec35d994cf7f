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
            EngineError::Io { .. } => ErrorCode::Io,
        }
    }
}

impl From<EngineError> for ErrorReport {
    fn from(err: EngineError) -> Self {
        ErrorReport::from_error(&err)
    }
}
