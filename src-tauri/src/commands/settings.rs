//! The Settings screen over IPC: the app-wide preferences (language,
//! microphone, speaker) and the sound devices there are to choose from.

use alter_core::{ErrorReport, Preferences};
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// One microphone or speaker as the system names it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DeviceView {
    pub name: String,
    pub is_default: bool,
}

/// The microphones and speakers connected now (empty lists on a machine without sound).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DevicesView {
    pub inputs: Vec<DeviceView>,
    pub outputs: Vec<DeviceView>,
}

pub fn devices() -> DevicesView {
    let d = alter_audio::list_devices();
    let view = |list: Vec<alter_audio::AudioDevice>| {
        list.into_iter().map(|x| DeviceView { name: x.name, is_default: x.is_default }).collect()
    };
    DevicesView { inputs: view(d.inputs), outputs: view(d.outputs) }
}

pub async fn preferences(state: &AppState) -> Result<Preferences, ErrorReport> {
    Ok(state.engine()?.preferences().await?)
}

pub async fn set_preferences(state: &AppState, preferences: Preferences) -> Result<Preferences, ErrorReport> {
    Ok(state.engine()?.set_preferences(preferences).await?)
}

/// Lists the sound devices (it asks the system each time: devices come and go).
#[tauri::command]
#[specta::specta]
pub async fn audio_devices() -> DevicesView {
    tauri::async_runtime::spawn_blocking(devices).await.unwrap_or(DevicesView { inputs: vec![], outputs: vec![] })
}

#[tauri::command]
#[specta::specta]
pub async fn app_preferences(state: State<'_, AppState>) -> Result<Preferences, ErrorReport> {
    preferences(&state).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_app_preferences(
    state: State<'_, AppState>,
    preferences: Preferences,
) -> Result<Preferences, ErrorReport> {
    set_preferences(&state, preferences).await
}
