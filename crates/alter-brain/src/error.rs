//! Errors of the brain.

use alter_core::{ErrorCode, HasErrorCode};

/// What can go wrong answering or remembering.
#[derive(Debug, thiserror::Error)]
pub enum BrainError {
    /// The question has no words (empty, whitespace or unreadable bytes).
    #[error("the question is empty; type or say a question")]
    EmptyQuestion,
    /// The language model failed or is missing.
    #[error(transparent)]
    Llm(#[from] alter_llm::LlmError),
    /// The twin database could not be read or written.
    #[error("the conversation could not be saved or read; check the disk and try again")]
    Database(#[from] alter_store::sqlx::Error),
    /// The answer was cancelled.
    #[error("the answer was cancelled")]
    Cancelled,
    /// A bug.
    #[error("internal error in the brain: {0}")]
    Internal(String),
}

impl HasErrorCode for BrainError {
    fn code(&self) -> ErrorCode {
        match self {
            BrainError::EmptyQuestion => ErrorCode::InvalidInput,
            BrainError::Llm(e) => e.code(),
            BrainError::Database(e) if alter_store::is_disk_error(e) => ErrorCode::Io,
            BrainError::Database(_) => ErrorCode::Database,
            BrainError::Cancelled => ErrorCode::Cancelled,
            BrainError::Internal(_) => ErrorCode::Internal,
        }
    }
}
