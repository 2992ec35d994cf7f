//! A twin's materials over IPC: the documents and voice samples its owner
//! drops, picks, records or imports on the Create screen, each with its
//! check (parsed and chunked, or measured with advice).
//!
//! Paths arrive from the system's file picker or a drop on the window; they
//! are the owner's own files and are only read (copied into the twin). Names
//! given back for removal are checked by the engine to be files it listed.

use std::path::PathBuf;

use alter_audio::{AdviceKind, SampleQuality};
use alter_core::{CancelToken, ErrorCode, ErrorReport};
use alter_engine::materials::{RecordLevel, RecordOptions, Skipped};
use alter_engine::{Added, Imported, MaterialDocument, MaterialSample, Materials};
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;

use super::listen::open_input;
use super::twins::parse_id;
use crate::AppState;

/// Most paths accepted in one drop (a dropped folder counts as one).
const MAX_PATHS: usize = 1_000;

/// One document and what the build will make of it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DocumentView {
    pub name: String,
    pub bytes: f64,
    /// `pdf`, `docx`, …; `None` when unreadable.
    pub kind: Option<String>,
    pub pages: Option<u32>,
    pub rows: Option<f64>,
    pub chunks: u32,
    pub notes: Vec<String>,
    /// Why the build will leave it out (`code` is stable: `encrypted`, `no_text`…).
    pub error: Option<FileError>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FileError {
    pub code: String,
    pub message: String,
}

/// One piece of advice on a voice sample.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AdviceView {
    /// `too_short`, `silent`, `too_quiet`, `clipping`, `noisy`, `little_speech`.
    pub kind: String,
    pub message: String,
}

/// The quality meter of one voice sample.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct QualityView {
    pub seconds: f64,
    pub speech_dbfs: f32,
    pub noise_floor_dbfs: f32,
    pub snr_db: f32,
    pub clipping_ratio: f32,
    pub speech_ratio: f32,
    pub usable: bool,
    pub advice: Vec<AdviceView>,
}

/// One voice sample with its quality.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SampleView {
    pub name: String,
    pub bytes: f64,
    pub quality: Option<QualityView>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MaterialsView {
    pub documents: Vec<DocumentView>,
    pub samples: Vec<SampleView>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SkippedView {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AddedDocuments {
    pub added: Vec<DocumentView>,
    pub skipped: Vec<SkippedView>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AddedSamples {
    pub added: Vec<SampleView>,
    pub skipped: Vec<SkippedView>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportedView {
    pub documents: AddedDocuments,
    pub samples: AddedSamples,
    pub settings_applied: bool,
}

/// The live recording meter.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LevelView {
    pub seconds: f64,
    pub dbfs: f32,
    pub peak: f32,
}

impl From<MaterialDocument> for DocumentView {
    fn from(d: MaterialDocument) -> Self {
        let c = d.check;
        Self {
            name: d.name,
            bytes: d.bytes as f64,
            kind: c.kind,
            pages: c.pages,
            rows: c.rows.map(|r| r as f64),
            chunks: c.chunks as u32,
            notes: c.notes,
            error: c.failure.map(|f| FileError { code: f.code, message: f.message }),
        }
    }
}

impl From<SampleQuality> for QualityView {
    fn from(q: SampleQuality) -> Self {
        Self {
            seconds: q.duration_s,
            speech_dbfs: q.speech_dbfs,
            noise_floor_dbfs: q.noise_floor_dbfs,
            snr_db: q.snr_db,
            clipping_ratio: q.clipping_ratio,
            speech_ratio: q.speech_ratio,
            usable: q.usable,
            advice: q
                .advice
                .into_iter()
                .map(|a| AdviceView { kind: advice_kind(a.kind), message: a.message })
                .collect(),
        }
    }
}

fn advice_kind(kind: AdviceKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

impl From<MaterialSample> for SampleView {
    fn from(s: MaterialSample) -> Self {
        Self { name: s.name, bytes: s.bytes as f64, quality: s.check.quality.map(Into::into), error: s.check.failure }
    }
}

impl From<Skipped> for SkippedView {
    fn from(s: Skipped) -> Self {
        Self { path: s.path, reason: s.reason }
    }
}

impl From<Added<MaterialDocument>> for AddedDocuments {
    fn from(a: Added<MaterialDocument>) -> Self {
        Self {
            added: a.added.into_iter().map(Into::into).collect(),
            skipped: a.skipped.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Added<MaterialSample>> for AddedSamples {
    fn from(a: Added<MaterialSample>) -> Self {
        Self {
            added: a.added.into_iter().map(Into::into).collect(),
            skipped: a.skipped.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Materials> for MaterialsView {
    fn from(m: Materials) -> Self {
        Self {
            documents: m.documents.into_iter().map(Into::into).collect(),
            samples: m.samples.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Imported> for ImportedView {
    fn from(i: Imported) -> Self {
        Self { documents: i.documents.into(), samples: i.samples.into(), settings_applied: i.settings_applied }
    }
}

impl From<RecordLevel> for LevelView {
    fn from(l: RecordLevel) -> Self {
        Self { seconds: l.seconds, dbfs: l.dbfs, peak: l.peak }
    }
}

/// Paths from the webview: at least one, not too many, none empty or with NUL.
fn parse_paths(paths: Vec<String>) -> Result<Vec<PathBuf>, ErrorReport> {
    let invalid = |msg: &str| ErrorReport::new(ErrorCode::InvalidInput, msg);
    if paths.is_empty() {
        return Err(invalid("Choose at least one file."));
    }
    if paths.len() > MAX_PATHS {
        return Err(invalid("That is too many files at once; add them a folder at a time."));
    }
    paths
        .into_iter()
        .map(|p| {
            let p = p.trim().to_owned();
            if p.is_empty() || p.contains('\0') || p.len() > 4096 {
                Err(invalid("One of the paths is not a file path."))
            } else {
                Ok(PathBuf::from(p))
            }
        })
        .collect()
}

pub async fn materials(state: &AppState, id: &str) -> Result<MaterialsView, ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.materials(&id).await?.into())
}

pub async fn add_documents(state: &AppState, id: &str, paths: Vec<String>) -> Result<AddedDocuments, ErrorReport> {
    let id = parse_id(id)?;
    let paths = parse_paths(paths)?;
    Ok(state.engine()?.add_documents(&id, paths).await?.into())
}

pub async fn add_voice_samples(state: &AppState, id: &str, paths: Vec<String>) -> Result<AddedSamples, ErrorReport> {
    let id = parse_id(id)?;
    let paths = parse_paths(paths)?;
    Ok(state.engine()?.add_voice_samples(&id, paths).await?.into())
}

pub async fn remove_document(state: &AppState, id: &str, name: &str) -> Result<(), ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.remove_document(&id, name).await?)
}

pub async fn remove_voice_sample(state: &AppState, id: &str, name: &str) -> Result<(), ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.remove_voice_sample(&id, name).await?)
}

pub async fn import(state: &AppState, id: &str, folder: &str) -> Result<ImportedView, ErrorReport> {
    let id = parse_id(id)?;
    let folder = folder.trim();
    if folder.is_empty() || folder.contains('\0') {
        return Err(ErrorReport::new(ErrorCode::InvalidInput, "Choose the folder to import."));
    }
    Ok(state.engine()?.import_materials(&id, std::path::Path::new(folder)).await?.into())
}

pub async fn record(
    state: &AppState,
    id: &str,
    on_level: impl Fn(LevelView) + Send + 'static,
) -> Result<SampleView, ErrorReport> {
    let id = parse_id(id)?;
    let engine = state.engine()?;
    let microphone = engine.preferences().await?.microphone;
    let (source, _input) = open_input(microphone.as_deref())?;
    let stop = CancelToken::new();
    state.jobs().replace_recording(stop.clone());
    let take =
        engine.record_voice_sample(&id, source, RecordOptions::default(), stop, move |l| on_level(l.into())).await;
    Ok(take?.into())
}

#[tauri::command]
#[specta::specta]
pub async fn twin_materials(state: State<'_, AppState>, id: String) -> Result<MaterialsView, ErrorReport> {
    materials(&state, &id).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_twin_documents(
    state: State<'_, AppState>,
    id: String,
    paths: Vec<String>,
) -> Result<AddedDocuments, ErrorReport> {
    add_documents(&state, &id, paths).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_twin_document(state: State<'_, AppState>, id: String, name: String) -> Result<(), ErrorReport> {
    remove_document(&state, &id, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_twin_voice_samples(
    state: State<'_, AppState>,
    id: String,
    paths: Vec<String>,
) -> Result<AddedSamples, ErrorReport> {
    add_voice_samples(&state, &id, paths).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_twin_voice_sample(state: State<'_, AppState>, id: String, name: String) -> Result<(), ErrorReport> {
    remove_voice_sample(&state, &id, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn import_twin_folder(
    state: State<'_, AppState>,
    id: String,
    folder: String,
) -> Result<ImportedView, ErrorReport> {
    import(&state, &id, &folder).await
}

/// Records a voice sample until `stop_recording` (or two minutes); the meter streams on `on_level`.
#[tauri::command]
#[specta::specta]
pub async fn record_voice_sample(
    state: State<'_, AppState>,
    id: String,
    on_level: Channel<LevelView>,
) -> Result<SampleView, ErrorReport> {
    record(&state, &id, move |l| {
        let _ = on_level.send(l);
    })
    .await
}

/// Ends the take being recorded; it is kept.
#[tauri::command]
#[specta::specta]
pub fn stop_recording(state: State<'_, AppState>) {
    state.jobs().stop_recording();
}
