//! Opening a cited document from its source card, in the system's viewer,
//! at the cited page where the viewer takes one (see `viewer.rs`).
//!
//! The webview names only a file it was shown in a citation; the engine maps
//! it to the path the twin read it from, so no path from the webview is ever
//! opened (a hostile name is simply "no document named …").

use alter_core::{ErrorCode, ErrorReport};
use tauri::State;

use super::twins::parse_id;
use crate::AppState;

/// The document's path, checked to belong to the twin.
pub async fn resolve(state: &AppState, id: &str, file: &str) -> Result<std::path::PathBuf, ErrorReport> {
    let id = parse_id(id)?;
    if file.is_empty() || file.len() > 4_096 {
        return Err(ErrorReport::new(ErrorCode::InvalidInput, "No document was named."));
    }
    Ok(state.engine()?.document_path(&id, file).await?)
}

/// Opens a cited document in the system's viewer, at `location`'s page when
/// it names one ("page 3"); the card shows slides and rows.
#[tauri::command]
#[specta::specta]
pub async fn open_source(
    state: State<'_, AppState>,
    id: String,
    file: String,
    location: Option<String>,
) -> Result<(), ErrorReport> {
    let path = resolve(&state, &id, &file).await?;
    let page = location.as_deref().and_then(crate::viewer::cited_page);
    crate::viewer::open(&path, page).map_err(|e| {
        ErrorReport::new(
            ErrorCode::Io,
            format!("{} could not be opened: no viewer for this kind of file?", path.display()),
        )
        .with_details(e)
    })
}
