//! `app_status`: whether the engine opened, and if not, what to do about it.

use alter_core::ErrorReport;
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// What the UI needs to decide between the library and a start-up problem screen.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppStatus {
    /// True when the engine opened and every other command can work.
    pub ready: bool,
    /// The data folder in use (`ALTER_HOME`), when it could be resolved.
    pub home: Option<String>,
    /// The app database file, when the data folder is known.
    pub database: Option<String>,
    /// Why the engine did not open; `None` when `ready`.
    pub error: Option<ErrorReport>,
    /// The app's version, for bug reports.
    pub version: String,
}

/// Reports whether the engine opened. Never fails: this is how the UI learns of failures.
pub fn app_status_of(state: &AppState) -> AppStatus {
    let config = state.config();
    AppStatus {
        ready: state.startup_error().is_none(),
        home: config.map(|c| c.home.display().to_string()),
        database: config.map(|c| c.app_db().display().to_string()),
        error: state.startup_error().cloned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

#[tauri::command]
#[specta::specta]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    app_status_of(&state)
}
