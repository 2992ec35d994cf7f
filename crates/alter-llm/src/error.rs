//! Errors of the language-model engine. Every variant maps to an
//! [`alter_core::ErrorCode`] and its message says what the user can do.

use alter_core::{ErrorCode, HasErrorCode};

/// What can go wrong while loading or running a language model.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The model file does not exist.
    #[error("model file {0} is missing; run: alter models fetch")]
    ModelMissing(String),
    /// The GGUF file is truncated, has a wrong magic or an impossible header.
    #[error("model file is not a valid GGUF file ({0}); delete it and run: alter models fetch")]
    BadGguf(String),
    /// The GGUF is valid but uses an architecture, tensor type or tokenizer we do not run.
    #[error("model is not supported: {0}")]
    Unsupported(String),
    /// Reading the model file failed.
    #[error("could not read the model file: {0}")]
    Io(#[from] std::io::Error),
    /// The request is unusable (empty conversation, no room to answer…).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The prompt does not fit in the model's context window.
    #[error(
        "the prompt has {prompt_tokens} tokens but the model's context holds {context} (with {reserve} kept for the answer); shorten the conversation or the sources"
    )]
    ContextOverflow { prompt_tokens: usize, context: usize, reserve: usize },
    /// The caller cancelled generation.
    #[error("generation was cancelled")]
    Cancelled,
    /// The model thread has stopped (it panicked or was shut down).
    #[error("the language model has stopped; reload the twin")]
    Stopped,
    /// A tensor operation failed: a bug.
    #[error("internal model error: {0}")]
    Internal(String),
}

impl From<candle_core::Error> for LlmError {
    fn from(e: candle_core::Error) -> Self {
        LlmError::Internal(e.to_string())
    }
}

impl HasErrorCode for LlmError {
    fn code(&self) -> ErrorCode {
        match self {
            LlmError::ModelMissing(_) => ErrorCode::ModelMissing,
            LlmError::BadGguf(_) => ErrorCode::ModelCorrupt,
            LlmError::Unsupported(_) => ErrorCode::BadFile,
            LlmError::Io(_) => ErrorCode::Io,
            LlmError::InvalidRequest(_) | LlmError::ContextOverflow { .. } => ErrorCode::InvalidInput,
            LlmError::Cancelled => ErrorCode::Cancelled,
            LlmError::Stopped | LlmError::Internal(_) => ErrorCode::Internal,
        }
    }
}
