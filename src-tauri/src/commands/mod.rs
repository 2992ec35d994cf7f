//! Every IPC command the front end can call, one file per area.
//!
//! Invariants: each `#[tauri::command]` is a one-line shell around a plain
//! async function taking `&AppState`, so tests call the same code without a
//! window; every command returns `Result<T, ErrorReport>` (stable `code`,
//! plain `message`, optional `details`), never a bare string; raw strings from
//! the webview (ids) are validated here before they reach the engine.

pub mod avatar;
pub mod build;
pub mod listen;
pub mod materials;
pub mod models;
pub mod persona;
pub mod settings;
pub mod sources;
pub mod status;
pub mod talk;
pub mod twins;
