//! A twin's own database.
//!
//! This crate only opens it and applies `migrations/twin`; the crates that own
//! the data (knowledge, brain, persona) write their own queries against
//! [`TwinDb::pool`].

use std::path::{Path, PathBuf};

use sqlx::SqlitePool;

use crate::StoreError;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/twin");

/// An open twin database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct TwinDb {
    pool: SqlitePool,
    path: PathBuf,
}

impl TwinDb {
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let pool = crate::open::open_pool(path, &MIGRATOR).await?;
        Ok(Self { pool, path: path.to_path_buf() })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads a free-form value from `twin_meta`.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM twin_meta WHERE key = ?").bind(key).fetch_optional(&self.pool).await?)
    }

    /// Writes a free-form value into `twin_meta`.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO twin_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Closes the pool, checkpointing the WAL into the main file.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn meta_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let db = TwinDb::open(&dir.path().join("t/twin.db")).await.unwrap();
        assert_eq!(db.meta("k").await.unwrap(), None);
        db.set_meta("k", "v1").await.unwrap();
        db.set_meta("k", "v2").await.unwrap();
        assert_eq!(db.meta("k").await.unwrap().as_deref(), Some("v2"));
    }
}
