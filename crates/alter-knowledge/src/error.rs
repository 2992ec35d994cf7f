//! What can go wrong while turning documents into knowledge.
//!
//! Two levels: a [`ParseError`] belongs to one file and is stored with that
//! document (the rest of the folder is still ingested); a [`KnowledgeError`]
//! stops the whole job (the database is unwritable, the model is missing,
//! the user cancelled). Every message says what happened and what to do.

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

/// Why one file could not be read. Stored with the document and shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than the configured limit.
    #[error("the file is too large ({size} bytes; the limit is {limit} bytes): split it or raise the limit")]
    TooLarge { size: u64, limit: u64 },
    /// The content is not a document type Alter reads.
    #[error("unsupported file type ({0}): save it as PDF, DOCX, PPTX, XLSX, CSV, Markdown, HTML or plain text")]
    Unsupported(String),
    /// The content looks like binary data, not text.
    #[error("this file looks like binary data, not a document")]
    Binary,
    /// The file is damaged or truncated.
    #[error("the {kind} file is damaged or truncated ({detail}): open and re-save it, then add it again")]
    Corrupt { kind: &'static str, detail: String },
    /// The file is password-protected.
    #[error("the {kind} file is encrypted or password-protected: save an unprotected copy and add that")]
    Encrypted { kind: &'static str },
    /// A PDF without a text layer (a scan).
    #[error("no text found in this PDF (it looks like a scan); OCR is not available: add a PDF with selectable text")]
    NoText,
    /// A zip-based document unpacks to more than the limit (a zip bomb or a huge embedded file).
    #[error("the {kind} file unpacks to more than {limit} bytes (possibly a zip bomb): refusing to read it")]
    ZipBomb { kind: &'static str, limit: u64 },
    /// The file could not be read from disk.
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl ParseError {
    /// A stable short code stored with the document, for the UI to switch on.
    pub fn kind_code(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty",
            ParseError::TooLarge { .. } => "too_large",
            ParseError::Unsupported(_) => "unsupported",
            ParseError::Binary => "binary",
            ParseError::Corrupt { .. } => "corrupt",
            ParseError::Encrypted { .. } => "encrypted",
            ParseError::NoText => "no_text",
            ParseError::ZipBomb { .. } => "zip_bomb",
            ParseError::Io(_) => "io",
        }
    }

    pub(crate) fn corrupt(kind: &'static str, detail: impl std::fmt::Display) -> Self {
        let mut detail = detail.to_string();
        if detail.len() > 200 {
            let mut cut = 200;
            while !detail.is_char_boundary(cut) {
                cut -= 1;
            }
            detail.truncate(cut);
        }
        ParseError::Corrupt { kind, detail }
    }
}

impl HasErrorCode for ParseError {
    fn code(&self) -> ErrorCode {
        match self {
            ParseError::Io(_) => ErrorCode::Io,
            _ => ErrorCode::BadFile,
        }
    }
}

/// An error that stops a whole knowledge job.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// The embedding model folder is missing or incomplete.
    #[error("the embedding model is missing at {path}: run: alter models fetch")]
    ModelMissing { path: PathBuf },
    /// The embedding model files exist but cannot be loaded.
    #[error("the embedding model at {path} could not be loaded ({detail}): run: alter models verify")]
    ModelCorrupt { path: PathBuf, detail: String },
    /// Running the embedding model failed.
    #[error("computing embeddings failed: {0}")]
    Embed(String),
    /// The documents folder is missing or unreadable.
    #[error("cannot read the documents folder {path}: check that it exists and is readable")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The twin database could not be read or written.
    #[error("the twin database could not be read or written: {}", alter_store::describe_query_error(.0))]
    Db(#[from] alter_store::sqlx::Error),
    /// The twin database could not be opened.
    #[error(transparent)]
    Store(#[from] alter_store::StoreError),
    /// The stored index was written by a different embedding model.
    #[error(
        "the documents were indexed with embedding model {stored:?} but {loaded:?} is loaded: rebuild the twin to re-index"
    )]
    ModelMismatch { stored: String, loaded: String },
    /// The user cancelled the job; finished files are kept.
    #[error("cancelled")]
    Cancelled,
    /// An evaluation question file is missing or malformed.
    #[error("{0}")]
    Questions(#[from] alter_core::eval::QuestionFileError),
    /// A background task failed unexpectedly.
    #[error("an internal task failed: {0}")]
    Internal(String),
}

impl From<alter_core::Cancelled> for KnowledgeError {
    fn from(_: alter_core::Cancelled) -> Self {
        KnowledgeError::Cancelled
    }
}

impl HasErrorCode for KnowledgeError {
    fn code(&self) -> ErrorCode {
        match self {
            KnowledgeError::ModelMissing { .. } => ErrorCode::ModelMissing,
            KnowledgeError::ModelCorrupt { .. } => ErrorCode::ModelCorrupt,
            KnowledgeError::Folder { .. } => ErrorCode::Io,
            KnowledgeError::Db(e) if alter_store::is_disk_error(e) => ErrorCode::Io,
            KnowledgeError::Db(_) => ErrorCode::Database,
            KnowledgeError::Store(e) => e.code(),
            KnowledgeError::ModelMismatch { .. } => ErrorCode::InvalidInput,
            KnowledgeError::Cancelled => ErrorCode::Cancelled,
            KnowledgeError::Questions(alter_core::eval::QuestionFileError::Io(_)) => ErrorCode::Io,
            KnowledgeError::Questions(_) => ErrorCode::InvalidInput,
            KnowledgeError::Embed(_) | KnowledgeError::Internal(_) => ErrorCode::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_reads_as_such_and_other_database_errors_keep_their_message() {
        let full = KnowledgeError::Db(alter_store::sqlx::Error::Io(std::io::ErrorKind::StorageFull.into()));
        assert_eq!(full.code(), ErrorCode::Io);
        assert!(full.to_string().contains("is it full?"), "{full}");
        let other = KnowledgeError::Db(alter_store::sqlx::Error::RowNotFound);
        assert_eq!(other.code(), ErrorCode::Database);
        assert!(other.to_string().contains("no rows"), "{other}");
    }
}
