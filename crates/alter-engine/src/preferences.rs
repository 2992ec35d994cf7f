//! The app-wide choices of the Settings screen, kept in the app database.

use alter_core::Preferences;

use crate::{Engine, EngineError};

const KEY: &str = "app";

impl Engine {
    /// What the user chose (defaults until they choose).
    pub async fn preferences(&self) -> Result<Preferences, EngineError> {
        let stored = self.app_db.preference(KEY).await?;
        // A value written by a later version with fields this one lacks falls back to defaults.
        Ok(stored.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
    }

    /// Checks and stores the user's choices; returns them as stored.
    pub async fn set_preferences(&self, preferences: Preferences) -> Result<Preferences, EngineError> {
        let preferences = preferences.validated()?;
        let json = serde_json::to_string(&preferences).map_err(|e| EngineError::Internal(e.to_string()))?;
        self.app_db.set_preference(KEY, &json).await?;
        Ok(preferences)
    }
}
