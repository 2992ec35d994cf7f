//! Building a twin from its materials over IPC: progress streamed on a
//! channel, cancellable, ending with the report card.
//!
//! The app builds the twin's own materials folder (see `materials.rs`) with
//! the settings its owner set in the app. One build per twin at a time: a second start while one
//! runs is refused here (the engine's lock also refuses builds started by
//! the command line).

use alter_core::{CancelToken, ErrorCode, ErrorReport, Progress, ProgressSink};
use alter_engine::BuildRequest;
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;

use super::twins::parse_id;
use crate::AppState;

/// One progress report of a build stage (counts as plain numbers for the webview).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BuildProgress {
    /// `ingest`, `voice`, `persona` or `selftest`.
    pub stage: String,
    pub done: f64,
    /// 0 when unknown.
    pub total: f64,
    /// What is being worked on now (a file name, a question).
    pub item: Option<String>,
}

impl From<Progress> for BuildProgress {
    fn from(p: Progress) -> Self {
        Self { stage: p.stage, done: p.done as f64, total: p.total as f64, item: p.item }
    }
}

/// One self-test question on the report card.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct GradedQuestion {
    pub question: String,
    pub lang: String,
    pub answerable: bool,
    pub answer_correct: bool,
    pub citation_correct: bool,
    pub declined: bool,
}

/// The report card a build ends with (fractions in `[0, 1]`; `None` when not measured).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ReportCardView {
    pub score: f32,
    pub answer_accuracy: Option<f32>,
    pub citation_correct: Option<f32>,
    pub decline_rate: Option<f32>,
    pub style_score: Option<f32>,
    pub voice_similarity: Option<f32>,
    pub questions: Vec<GradedQuestion>,
}

/// One stage as it went.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct StageTime {
    pub name: String,
    pub seconds: f64,
    /// Skipped: its inputs had not changed since the last build.
    pub reused: bool,
}

/// What a finished build shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BuildSummary {
    pub twin_id: String,
    pub seconds: f64,
    pub stages: Vec<StageTime>,
    pub documents: u32,
    pub chunks: u32,
    /// Files that could not be read, each with the reason.
    pub failed_files: Vec<FailedFile>,
    /// Things the owner should know (no voice samples, a silent sample…).
    pub warnings: Vec<String>,
    pub report: ReportCardView,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FailedFile {
    pub file: String,
    pub message: String,
}

pub async fn build(
    state: &AppState,
    id: &str,
    on_progress: impl Fn(Progress) + Send + Sync + 'static,
) -> Result<BuildSummary, ErrorReport> {
    let id = parse_id(id)?;
    let engine = state.engine()?;
    let materials = engine.materials(&id).await?;
    if !materials.documents.iter().any(|d| d.check.is_usable()) {
        return Err(ErrorReport::new(
            ErrorCode::InvalidInput,
            "Add at least one readable document first: the twin answers from its documents.",
        ));
    }
    let cancel = CancelToken::new();
    let _running = state.jobs().start_build(&id, cancel.clone())?;
    let mut request = BuildRequest::new(engine.materials_dir(&id));
    request.params = Some(engine.twin_params(&id).await?);
    request.id = Some(id.clone());
    let report = engine.build_twin(&request, &ProgressSink::new(on_progress), &cancel).await?;
    let overall = &report.report.results.overall;
    let grades = &report.report.results.per_question;
    let questions = report
        .report
        .questions
        .iter()
        .filter_map(|q| {
            let g = grades.iter().find(|g| g.id == q.id)?;
            Some(GradedQuestion {
                question: q.question.clone(),
                lang: q.lang.clone(),
                answerable: q.answerable,
                answer_correct: g.answer_correct,
                citation_correct: g.citation_correct,
                declined: g.declined,
            })
        })
        .collect();
    Ok(BuildSummary {
        twin_id: report.twin.to_string(),
        seconds: report.seconds,
        stages: report
            .stages
            .iter()
            .map(|s| StageTime { name: s.name.clone(), seconds: s.seconds, reused: s.reused })
            .collect(),
        documents: report.ingest.files as u32,
        chunks: report.ingest.chunks as u32,
        failed_files: report
            .ingest
            .failed
            .iter()
            .map(|f| FailedFile { file: f.file.clone(), message: f.message.clone() })
            .collect(),
        warnings: report.warnings.clone(),
        report: ReportCardView {
            score: report.report.score,
            answer_accuracy: overall.answer_accuracy,
            citation_correct: overall.citation_correct,
            decline_rate: overall.decline_rate,
            style_score: report.report.style_score,
            voice_similarity: report.report.voice_similarity,
            questions,
        },
    })
}

/// Asks a running build to stop; it stops between files, samples or questions
/// and resumes from its last finished stage next time. `false` when none runs.
pub fn cancel(state: &AppState, id: &str) -> Result<bool, ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.jobs().cancel_build(&id))
}

#[tauri::command]
#[specta::specta]
pub async fn build_twin(
    state: State<'_, AppState>,
    id: String,
    on_progress: Channel<BuildProgress>,
) -> Result<BuildSummary, ErrorReport> {
    build(&state, &id, move |p| {
        // A closed window drops the channel; the build goes on regardless.
        let _ = on_progress.send(BuildProgress::from(p));
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub fn cancel_build(state: State<'_, AppState>, id: String) -> Result<bool, ErrorReport> {
    cancel(&state, &id)
}
