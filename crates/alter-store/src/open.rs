//! Opening a SQLite file with Alter's settings and bringing its schema up to date.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::StoreError;

/// Opens (creating if needed) the database at `path` and applies `migrator`.
///
/// WAL journaling keeps readers (the UI listing twins) unblocked while a
/// build writes, and makes a crash mid-write roll back cleanly.
pub(crate) async fn open_pool(path: &Path, migrator: &Migrator) -> Result<SqlitePool, StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Unwritable { path: dir.to_path_buf(), source })?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .expect("static URL parses")
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool =
        SqlitePoolOptions::new().max_connections(4).connect_with(options).await.map_err(|e| classify(path, e))?;
    migrator.run(&pool).await.map_err(|e| match e {
        MigrateError::Execute(inner) => classify(path, inner),
        MigrateError::VersionMissing(_) => StoreError::TooNew { path: path.to_path_buf() },
        other => StoreError::Migrate { path: path.to_path_buf(), source: other },
    })?;
    Ok(pool)
}

/// Tells a damaged file from an unwritable place from anything else.
fn classify(path: &Path, err: sqlx::Error) -> StoreError {
    let code = err.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
    // SQLite primary result codes: 26 NOTADB, 11 CORRUPT, 14 CANTOPEN, 8 READONLY.
    match code.as_deref().and_then(|c| c.parse::<i32>().ok()).map(|c| c & 0xff) {
        Some(26 | 11) => StoreError::Corrupt { path: path.to_path_buf(), source: err },
        Some(14 | 8) => StoreError::Unwritable {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, err.to_string()),
        },
        _ => StoreError::Query(err),
    }
}
