//! The Models screen over IPC: what is installed, how big, under which licence, intact or not.

use alter_core::ErrorReport;
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// One model as the Models screen lists it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ModelView {
    pub id: String,
    pub name: String,
    /// `asr`, `tts`, `embed`, `llm`, `vad`, `speaker`, `runtime`.
    pub role: String,
    pub license: String,
    pub languages: Vec<String>,
    /// Imported by the user rather than from the catalog.
    pub user: bool,
    pub bytes: f64,
    /// Every file present (and, after a verify, matching its checksum).
    pub ok: bool,
    /// `installed`, `missing` or `damaged`.
    pub state: String,
    pub problems: Vec<String>,
}

pub async fn list(state: &AppState, verify: bool) -> Result<Vec<ModelView>, ErrorReport> {
    let models = state.engine()?.models(verify).await?;
    Ok(models
        .into_iter()
        .map(|m| ModelView {
            state: m.state().as_str().to_owned(),
            id: m.id,
            name: m.name,
            role: m.role.as_str().to_owned(),
            license: m.license,
            languages: m.languages,
            user: m.user,
            bytes: m.bytes as f64,
            ok: m.ok,
            problems: m.problems,
        })
        .collect())
}

/// Imports the model file at `path`; returns the models as they now are.
pub async fn import(state: &AppState, path: &str) -> Result<Vec<ModelView>, ErrorReport> {
    let path = path.trim();
    if path.is_empty() || path.contains('\0') {
        return Err(ErrorReport::new(alter_core::ErrorCode::InvalidInput, "Choose a model file."));
    }
    state.engine()?.import_model(std::path::Path::new(path)).await?;
    list(state, false).await
}

/// Imports a user's model file (GGUF, whisper.cpp, Piper voice) into the models folder.
#[tauri::command]
#[specta::specta]
pub async fn import_model(state: State<'_, AppState>, path: String) -> Result<Vec<ModelView>, ErrorReport> {
    import(&state, &path).await
}

/// The models and their state; `verify` hashes every file.
#[tauri::command]
#[specta::specta]
pub async fn list_models(state: State<'_, AppState>, verify: bool) -> Result<Vec<ModelView>, ErrorReport> {
    list(&state, verify).await
}
