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
    /// Any other query failure (a full disk among them, said as such).
    #[error("{}", describe_query_error(.0))]
    Query(#[from] sqlx::Error),
    /// Stored JSON could not be read back.
    #[error("stored data is damaged")]
    Json(#[from] serde_json::Error),
}

/// Whether a database error is the disk refusing a write: full, over a file
/// size limit, or failing (SQLite's `SQLITE_FULL` and `SQLITE_IOERR_*`, or
/// the OS's `ENOSPC`/`EFBIG`).
pub fn is_disk_error(e: &sqlx::Error) -> bool {
    const SQLITE_IOERR: i64 = 10;
    const SQLITE_FULL: i64 = 13;
    match e {
        sqlx::Error::Database(d) => {
            d.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| matches!(c & 0xff, SQLITE_IOERR | SQLITE_FULL))
        }
        sqlx::Error::Io(io) => matches!(io.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge),
        _ => false,
    }
}

/// What to tell the user about a failed query: the disk case in plain words
/// (what was saved before is kept), otherwise the database's own message.
pub fn describe_query_error(e: &sqlx::Error) -> String {
    if is_disk_error(e) {
        "could not write to the disk (is it full?): free some space and try again; what was saved before is kept".into()
    } else {
        format!("database query failed: {e}")
    }
}

impl HasErrorCode for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::Query(e) if is_disk_error(e) => ErrorCode::Io,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_said_as_such() {
        let full = StoreError::Query(sqlx::Error::Io(std::io::Error::from_raw_os_error(28)));
        assert!(full.to_string().contains("is it full?"), "{full}");
        assert_eq!(full.code(), ErrorCode::Io);
        assert!(is_disk_error(&sqlx::Error::Io(std::io::Error::from_raw_os_error(27))));
        let other = StoreError::Query(sqlx::Error::RowNotFound);
        assert!(other.to_string().starts_with("database query failed"), "{other}");
        assert_eq!(other.code(), ErrorCode::Database);
        assert!(!is_disk_error(&sqlx::Error::Io(std::io::Error::from_raw_os_error(2))));
    }
}
