//! Errors as people and scripts see them.
//!
//! Each crate keeps its own `thiserror` enum; at the edge (IPC, the command
//! line) every error becomes an [`ErrorReport`]: a stable [`ErrorCode`] the UI
//! can switch on, one plain sentence saying what happened and what to do, and
//! optional details for the curious. Codes are part of the contract: add new
//! ones, never rename old ones.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// An argument or field failed validation (empty, too long, control characters…).
    InvalidInput,
    /// The named twin, document or model does not exist.
    NotFound,
    /// Something with that id or name already exists.
    AlreadyExists,
    /// A model file is missing; `alter models fetch` fixes it.
    ModelMissing,
    /// A model file exists but its checksum or header is wrong.
    ModelCorrupt,
    /// A file could not be parsed (broken, encrypted, unsupported).
    BadFile,
    /// The database could not be opened, migrated or written.
    Database,
    /// Reading or writing a file or folder failed.
    Io,
    /// No audio device, or the device failed.
    Audio,
    /// Another job is already working on this twin.
    Busy,
    /// The user cancelled the job.
    Cancelled,
    /// A bug: please report it.
    Internal,
}

/// An error ready to be shown to a person or serialised across IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ErrorReport {
    pub code: ErrorCode,
    /// One plain sentence: what happened and, where possible, what to do.
    pub message: String,
    /// Optional technical detail (the underlying cause chain).
    pub details: Option<String>,
}

impl ErrorReport {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: None }
    }

    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// Builds a report from any error that knows its code, keeping the
    /// source chain as details.
    pub fn from_error<E: HasErrorCode + std::error::Error>(err: &E) -> Self {
        let mut details = Vec::new();
        let mut source = err.source();
        while let Some(cause) = source {
            details.push(cause.to_string());
            source = cause.source();
        }
        let report = Self::new(err.code(), err.to_string());
        if details.is_empty() { report } else { report.with_details(details.join(": ")) }
    }
}

impl std::fmt::Display for ErrorReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorReport {}

/// Implemented by every crate's error enum so the shells can classify it.
pub trait HasErrorCode {
    fn code(&self) -> ErrorCode;
}

impl HasErrorCode for ErrorReport {
    fn code(&self) -> ErrorCode {
        self.code
    }
}
