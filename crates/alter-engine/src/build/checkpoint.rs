//! Build checkpoints in the twin database (`build_stages`).
//!
//! A stage's row is written in the same transaction-free step after the
//! stage's own data is committed, so a crash between the two only means the
//! stage reruns — every stage is idempotent.

use alter_store::{TwinDb, now_rfc3339, sqlx};
use serde::{Serialize, de::DeserializeOwned};

use crate::EngineError;

/// A finished stage as recorded.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub fingerprint: String,
    pub seconds: f64,
    pub output: String,
}

pub async fn load(db: &TwinDb, stage: &str) -> Result<Option<Checkpoint>, EngineError> {
    let row: Option<(String, f64, String)> =
        sqlx::query_as("SELECT fingerprint, seconds, output FROM build_stages WHERE stage = ?")
            .bind(stage)
            .fetch_optional(db.pool())
            .await
            .map_err(alter_store::StoreError::from)?;
    Ok(row.map(|(fingerprint, seconds, output)| Checkpoint { fingerprint, seconds, output }))
}

/// The recorded output of `stage` if its fingerprint still matches.
pub async fn reuse<T: DeserializeOwned>(db: &TwinDb, stage: &str, fingerprint: &str) -> Result<Option<T>, EngineError> {
    match load(db, stage).await? {
        Some(cp) if cp.fingerprint == fingerprint => Ok(serde_json::from_str(&cp.output).ok()),
        _ => Ok(None),
    }
}

pub async fn save<T: Serialize>(
    db: &TwinDb,
    stage: &str,
    fingerprint: &str,
    seconds: f64,
    output: &T,
) -> Result<(), EngineError> {
    let json = serde_json::to_string(output).map_err(alter_store::StoreError::from)?;
    sqlx::query(
        "INSERT INTO build_stages (stage, fingerprint, seconds, output, finished_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (stage) DO UPDATE SET fingerprint = excluded.fingerprint, seconds = excluded.seconds,
         output = excluded.output, finished_at = excluded.finished_at",
    )
    .bind(stage)
    .bind(fingerprint)
    .bind(seconds)
    .bind(json)
    .bind(now_rfc3339())
    .execute(db.pool())
    .await
    .map_err(alter_store::StoreError::from)?;
    Ok(())
}

/// Forgets every checkpoint (a full rebuild).
pub async fn clear(db: &TwinDb) -> Result<(), EngineError> {
    sqlx::query("DELETE FROM build_stages").execute(db.pool()).await.map_err(alter_store::StoreError::from)?;
    Ok(())
}
