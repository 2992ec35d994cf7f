//! Errors of the persona crate.

use alter_core::{ErrorCode, HasErrorCode};

/// What can go wrong learning, storing or scoring a persona.
#[derive(Debug, thiserror::Error)]
pub enum PersonaError {
    /// The twin database could not be read or written.
    #[error("the twin database could not be read or written; check the disk and try again")]
    Database(#[from] alter_store::sqlx::Error),
    /// A stored profile, model or report could not be decoded (written by a newer Alter, or damaged).
    #[error("the stored persona could not be read ({0}); rebuild the twin")]
    Corrupt(String),
    /// A question file line is not valid.
    #[error("line {line} of the question file is not valid: {message}")]
    BadQuestionLine { line: usize, message: String },
    /// A question file could not be read.
    #[error("the question file could not be read: {0}")]
    Io(#[from] std::io::Error),
    /// Too little text to learn from.
    #[error("there is too little of the owner's own text to learn a style from ({sentences} sentences); add documents")]
    TooLittleText { sentences: usize },
}

impl From<alter_core::eval::QuestionFileError> for PersonaError {
    fn from(e: alter_core::eval::QuestionFileError) -> Self {
        match e {
            alter_core::eval::QuestionFileError::Line { line, message } => Self::BadQuestionLine { line, message },
            alter_core::eval::QuestionFileError::Io(e) => Self::Io(e),
        }
    }
}

impl HasErrorCode for PersonaError {
    fn code(&self) -> ErrorCode {
        match self {
            PersonaError::Database(e) if alter_store::is_disk_error(e) => ErrorCode::Io,
            PersonaError::Database(_) => ErrorCode::Database,
            PersonaError::Corrupt(_) => ErrorCode::Database,
            PersonaError::BadQuestionLine { .. } => ErrorCode::InvalidInput,
            PersonaError::Io(_) => ErrorCode::Io,
            PersonaError::TooLittleText { .. } => ErrorCode::InvalidInput,
        }
    }
}
