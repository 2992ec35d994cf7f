//! The twin library over IPC: list, create, read, update, delete.
//!
//! Ids arrive as plain strings and are parsed here, so a malformed id (empty,
//! `../etc`, 10 MB) is an `invalid_input` report rather than a deserialisation
//! failure Tauri would turn into an untyped string.

use alter_core::{ErrorReport, TwinId, TwinParams, TwinSummary};
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// A twin's library entry together with the parameters its owner set.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TwinDetails {
    pub summary: TwinSummary,
    pub params: TwinParams,
}

pub(crate) fn parse_id(raw: &str) -> Result<TwinId, ErrorReport> {
    TwinId::parse(raw).map_err(|e| ErrorReport::from_error(&e))
}

pub async fn list(state: &AppState) -> Result<Vec<TwinSummary>, ErrorReport> {
    Ok(state.engine()?.list_twins().await?)
}

pub async fn create(state: &AppState, params: TwinParams) -> Result<TwinSummary, ErrorReport> {
    Ok(state.engine()?.create_twin(params, None).await?)
}

pub async fn get(state: &AppState, id: &str) -> Result<TwinDetails, ErrorReport> {
    let id = parse_id(id)?;
    let engine = state.engine()?;
    Ok(TwinDetails { summary: engine.twin(&id).await?, params: engine.twin_params(&id).await? })
}

pub async fn update(state: &AppState, id: &str, params: TwinParams) -> Result<TwinSummary, ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.update_twin(&id, params).await?)
}

pub async fn delete(state: &AppState, id: &str) -> Result<(), ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.delete_twin(&id).await?)
}

/// The parameters a new twin starts with (so the UI does not duplicate the defaults).
pub fn default_params() -> TwinParams {
    TwinParams::default()
}

#[tauri::command]
#[specta::specta]
pub async fn list_twins(state: State<'_, AppState>) -> Result<Vec<TwinSummary>, ErrorReport> {
    list(&state).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_twin(state: State<'_, AppState>, params: TwinParams) -> Result<TwinSummary, ErrorReport> {
    create(&state, params).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_twin(state: State<'_, AppState>, id: String) -> Result<TwinDetails, ErrorReport> {
    get(&state, &id).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_twin(
    state: State<'_, AppState>,
    id: String,
    params: TwinParams,
) -> Result<TwinSummary, ErrorReport> {
    update(&state, &id, params).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_twin(state: State<'_, AppState>, id: String) -> Result<(), ErrorReport> {
    delete(&state, &id).await
}

#[tauri::command]
#[specta::specta]
pub fn default_twin_params() -> TwinParams {
    default_params()
}
