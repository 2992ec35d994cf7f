//! Storing the persona in the twin's database (tables of `0300_persona.sql`).
//!
//! Each build appends a revision; readers take the newest. A profile written
//! by a newer format version is refused with a clear error rather than
//! misread.

use alter_store::sqlx::{self, SqlitePool};

use crate::error::PersonaError;
use crate::profile::{PROFILE_VERSION, PersonaProfile};
use crate::selftest::ReportCard;
use crate::stylescore::StyleModel;

/// Appends a profile revision and returns its number.
pub async fn save_profile(pool: &SqlitePool, profile: &PersonaProfile) -> Result<i64, PersonaError> {
    let json = serde_json::to_string(profile).map_err(|e| PersonaError::Corrupt(e.to_string()))?;
    let row = sqlx::query("INSERT INTO persona_profiles (format_version, profile_json, created_at) VALUES (?, ?, ?)")
        .bind(i64::from(profile.version))
        .bind(json)
        .bind(alter_store::now_rfc3339())
        .execute(pool)
        .await?;
    Ok(row.last_insert_rowid())
}

/// The newest profile and its revision, if the twin has been built.
pub async fn load_profile(pool: &SqlitePool) -> Result<Option<(i64, PersonaProfile)>, PersonaError> {
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT revision, format_version, profile_json FROM persona_profiles ORDER BY revision DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let Some((revision, version, json)) = row else { return Ok(None) };
    if version > i64::from(PROFILE_VERSION) {
        return Err(PersonaError::Corrupt(format!("profile format {version} is newer than this Alter understands")));
    }
    let profile = serde_json::from_str(&json).map_err(|e| PersonaError::Corrupt(e.to_string()))?;
    Ok(Some((revision, profile)))
}

/// Stores the style model of a profile revision (replacing an earlier one).
pub async fn save_style_model(pool: &SqlitePool, revision: i64, model: &StyleModel) -> Result<(), PersonaError> {
    sqlx::query(
        "INSERT INTO persona_style_models (revision, model, created_at) VALUES (?, ?, ?) \
         ON CONFLICT (revision) DO UPDATE SET model = excluded.model, created_at = excluded.created_at",
    )
    .bind(revision)
    .bind(model.to_bytes())
    .bind(alter_store::now_rfc3339())
    .execute(pool)
    .await?;
    Ok(())
}

/// The style model of the newest revision that has one.
pub async fn load_style_model(pool: &SqlitePool) -> Result<Option<StyleModel>, PersonaError> {
    let blob: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT model FROM persona_style_models ORDER BY revision DESC LIMIT 1")
            .fetch_optional(pool)
            .await?;
    blob.map(|b| StyleModel::from_bytes(&b).map_err(PersonaError::Corrupt)).transpose()
}

/// Appends a report card.
pub async fn save_report(pool: &SqlitePool, report: &ReportCard) -> Result<(), PersonaError> {
    let json = serde_json::to_string(report).map_err(|e| PersonaError::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO persona_reports (report_json, created_at) VALUES (?, ?)")
        .bind(json)
        .bind(alter_store::now_rfc3339())
        .execute(pool)
        .await?;
    Ok(())
}

/// The newest report card.
pub async fn load_report(pool: &SqlitePool) -> Result<Option<ReportCard>, PersonaError> {
    let json: Option<String> = sqlx::query_scalar("SELECT report_json FROM persona_reports ORDER BY id DESC LIMIT 1")
        .fetch_optional(pool)
        .await?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| PersonaError::Corrupt(e.to_string()))).transpose()
}
