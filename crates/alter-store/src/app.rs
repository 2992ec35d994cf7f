//! The app database: the library of twins.

use std::path::Path;

use alter_core::{TwinId, TwinParams, TwinSummary};
use sqlx::{Row, SqlitePool};

use crate::{StoreError, now_rfc3339};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/app");

/// The open app database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppDb {
    pool: SqlitePool,
}

const SUMMARY_COLUMNS: &str = "id, name, role, created_at, updated_at, score";

impl AppDb {
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { pool: crate::open::open_pool(path, &MIGRATOR).await? })
    }

    /// Every twin, most recently changed first.
    pub async fn list_twins(&self) -> Result<Vec<TwinSummary>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {SUMMARY_COLUMNS} FROM twins ORDER BY updated_at DESC, name"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(summary_from_row).collect()
    }

    pub async fn twin(&self, id: &TwinId) -> Result<TwinSummary, StoreError> {
        let row = sqlx::query(&format!("SELECT {SUMMARY_COLUMNS} FROM twins WHERE id = ?"))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::TwinNotFound(id.to_string()))?;
        summary_from_row(&row)
    }

    pub async fn params(&self, id: &TwinId) -> Result<TwinParams, StoreError> {
        let json: String = sqlx::query_scalar("SELECT params FROM twins WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::TwinNotFound(id.to_string()))?;
        Ok(serde_json::from_str(&json)?)
    }

    /// Inserts a twin. `params` must already be validated.
    pub async fn insert_twin(&self, id: &TwinId, params: &TwinParams) -> Result<TwinSummary, StoreError> {
        let now = now_rfc3339();
        let result = sqlx::query(
            "INSERT INTO twins (id, name, role, greeting, params, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id.as_str())
        .bind(&params.name)
        .bind(&params.role)
        .bind(&params.greeting)
        .bind(serde_json::to_string(params)?)
        .bind(&now)
        .bind(&now)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => self.twin(id).await,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::TwinExists(id.to_string())),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether a twin with this id exists.
    pub async fn exists(&self, id: &TwinId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM twins WHERE id = ?")
            .bind(id.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Replaces a twin's parameters. `params` must already be validated.
    pub async fn update_params(&self, id: &TwinId, params: &TwinParams) -> Result<TwinSummary, StoreError> {
        let done =
            sqlx::query("UPDATE twins SET name = ?, role = ?, greeting = ?, params = ?, updated_at = ? WHERE id = ?")
                .bind(&params.name)
                .bind(&params.role)
                .bind(&params.greeting)
                .bind(serde_json::to_string(params)?)
                .bind(now_rfc3339())
                .bind(id.as_str())
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::TwinNotFound(id.to_string()));
        }
        self.twin(id).await
    }

    /// Records the self-test score of a finished build.
    pub async fn set_score(&self, id: &TwinId, score: f32) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE twins SET score = ?, updated_at = ? WHERE id = ?")
            .bind(score)
            .bind(now_rfc3339())
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::TwinNotFound(id.to_string()));
        }
        Ok(())
    }

    /// Removes a twin from the library (its folder is the caller's to erase).
    pub async fn delete_twin(&self, id: &TwinId) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM twins WHERE id = ?").bind(id.as_str()).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::TwinNotFound(id.to_string()));
        }
        Ok(())
    }

    /// A stored preference (JSON text), if one was set.
    pub async fn preference(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM preferences WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Stores a preference (JSON text), replacing the previous value.
    pub async fn set_preference(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO preferences (key, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

fn summary_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<TwinSummary, StoreError> {
    let id: String = row.try_get("id")?;
    Ok(TwinSummary {
        id: TwinId::parse(&id).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        score: row.try_get::<Option<f64>, _>("score")?.map(|s| s as f32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> TwinId {
        TwinId::parse(s).unwrap()
    }

    #[tokio::test]
    async fn twins_crud() {
        let dir = tempfile::tempdir().unwrap();
        let db = AppDb::open(&dir.path().join("alter.db")).await.unwrap();
        assert!(db.list_twins().await.unwrap().is_empty());

        let params = TwinParams::named("Maya Okafor").validated().unwrap();
        let maya = db.insert_twin(&id("maya"), &params).await.unwrap();
        assert_eq!(maya.name, "Maya Okafor");
        assert!(matches!(db.insert_twin(&id("maya"), &params).await, Err(StoreError::TwinExists(_))));

        let mut params2 = params.clone();
        params2.role = "Product manager".into();
        db.update_params(&id("maya"), &params2).await.unwrap();
        assert_eq!(db.params(&id("maya")).await.unwrap(), params2);
        db.set_score(&id("maya"), 0.9).await.unwrap();
        assert_eq!(db.twin(&id("maya")).await.unwrap().score, Some(0.9));

        assert_eq!(db.list_twins().await.unwrap().len(), 1);
        db.delete_twin(&id("maya")).await.unwrap();
        assert!(matches!(db.twin(&id("maya")).await, Err(StoreError::TwinNotFound(_))));
        assert!(matches!(db.delete_twin(&id("maya")).await, Err(StoreError::TwinNotFound(_))));
    }

    #[tokio::test]
    async fn reopening_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alter.db");
        let db = AppDb::open(&path).await.unwrap();
        db.insert_twin(&id("a"), &TwinParams::named("A")).await.unwrap();
        db.close().await;
        let db = AppDb::open(&path).await.unwrap();
        assert_eq!(db.list_twins().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn corrupt_file_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alter.db");
        let garbage = b"this is not a database, it is a shopping list".repeat(200);
        std::fs::write(&path, &garbage).unwrap();
        let err = AppDb::open(&path).await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert!(err.to_string().contains("damaged"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), garbage, "the damaged file must be left as it was");
    }

    #[tokio::test]
    async fn unwritable_folder_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the folder should be: creating the folder fails even as root.
        let blocker = dir.path().join("home");
        std::fs::write(&blocker, b"x").unwrap();
        let err = AppDb::open(&blocker.join("alter.db")).await.unwrap_err();
        assert!(matches!(err, StoreError::Unwritable { .. }), "{err:?}");
    }
}
