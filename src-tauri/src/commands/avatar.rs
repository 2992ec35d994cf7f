//! The twin's own 3D avatar over IPC: choose a `.vrm` file, fetch it for
//! drawing, go back to the built-in face.
//!
//! The model travels to the webview as base64 text: Linux webviews take
//! command results as JSON, where raw bytes would become a number per byte.

use alter_core::{ErrorCode, ErrorReport, TwinParams};
use base64::Engine as _;
use tauri::State;

use super::twins::parse_id;
use crate::AppState;

pub async fn set(state: &AppState, id: &str, path: &str) -> Result<TwinParams, ErrorReport> {
    let id = parse_id(id)?;
    let path = path.trim();
    if path.is_empty() || path.contains('\0') {
        return Err(ErrorReport::new(ErrorCode::InvalidInput, "Choose a .vrm file."));
    }
    Ok(state.engine()?.set_avatar_model(&id, std::path::Path::new(path)).await?)
}

pub async fn model(state: &AppState, id: &str) -> Result<Option<String>, ErrorReport> {
    let id = parse_id(id)?;
    let bytes = state.engine()?.avatar_model(&id).await?;
    Ok(bytes.map(|b| base64::engine::general_purpose::STANDARD.encode(b)))
}

pub async fn remove(state: &AppState, id: &str) -> Result<TwinParams, ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.remove_avatar_model(&id).await?)
}

/// Makes the `.vrm` file at `path` the twin's avatar; returns the twin's updated settings.
#[tauri::command]
#[specta::specta]
pub async fn set_twin_avatar(state: State<'_, AppState>, id: String, path: String) -> Result<TwinParams, ErrorReport> {
    set(&state, &id, &path).await
}

/// The twin's VRM model as base64, or nothing when it uses the built-in face.
#[tauri::command]
#[specta::specta]
pub async fn twin_avatar_model(state: State<'_, AppState>, id: String) -> Result<Option<String>, ErrorReport> {
    model(&state, &id).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_twin_avatar(state: State<'_, AppState>, id: String) -> Result<TwinParams, ErrorReport> {
    remove(&state, &id).await
}
