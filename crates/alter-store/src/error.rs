//! What can go wrong with a database, in words a person can act on.

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder for the database cannot be created or written.
    #[error("cannot write to {path}: check that the folder exists and is writable, or set ALTER_HOME elsewhere")]
    Unwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file exists but is not a SQLite database, or is damaged.
    #[error("the database {path} is damaged or is not an Alter database: move it aside and restart to begin afresh")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("could not update the database {path} to this version of Alter")]
    Migrate {
        path: PathBuf,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// The database was written by a newer version of Alter.
    #[error("the database {path} was written by a newer version of Alter: update Alter to open it")]
    TooNew { path: PathBuf },
    #[error("no twin with id {0:?}")]
    TwinNotFound(String),
    #[error("a twin with id {0:?} already exists")]
    TwinExists(String),
    /// Any other query failure.
    #[error("database query failed")]
    Query(#[from] sqlx::Error),
    /// Stored JSON could not be read back.
    #[error("stored data is damaged")]
    Json(#[from] serde_json::Error),
}

impl HasErrorCode for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::Unwritable { .. } => ErrorCode::Io,
            StoreError::TwinNotFound(_) => ErrorCode::NotFound,
            StoreError::TwinExists(_) => ErrorCode::AlreadyExists,
            StoreError::Corrupt { .. }
            | StoreError::Migrate { .. }
            | StoreError::TooNew { .. }
            | StoreError::Query(_)
            | StoreError::Json(_) => ErrorCode::Database,
        }
    }
}
