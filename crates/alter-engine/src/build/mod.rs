//! Building a twin from a source folder ("training").
//!
//! Stages run in order — ingest, voice, persona, self-test — each reporting
//! progress and checking for cancellation. A finished stage is checkpointed
//! with a fingerprint of its inputs, so a build that crashed or was cancelled
//! resumes where it stopped, and a rebuild redoes only what changed:
//! ingestion is incremental by itself (per-file transactions keyed by
//! content hash); the voice stage's fingerprint is its samples' bytes; the
//! persona's is the knowledge generation, the voice fingerprint and the
//! parameters; the self-test's is the persona's.

pub mod checkpoint;
pub mod lock;
mod persona;
mod run;
mod selftest;
pub mod source;
mod voice;

use std::path::PathBuf;

use alter_core::TwinId;
use alter_knowledge::IngestReport;
use alter_persona::selftest::ReportCard;
use serde::{Deserialize, Serialize};

pub use lock::BuildLock;
pub use source::{TwinSource, read_twin_toml};
pub use voice::{PROFILE_META_KEY, TUNING_META_KEY, VoiceOutcome};

/// Stage names, in order; progress events carry them.
pub const STAGES: [&str; 4] = ["ingest", "voice", "persona", "selftest"];

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildRequest {
    /// A folder laid out like `docs/`, `voice/`, optional `twin.toml`.
    pub dir: PathBuf,
    /// Display name (overrides `twin.toml`; defaults to the folder's name).
    pub name: Option<String>,
    /// Build into this twin (created if missing); otherwise the id comes from the name.
    pub id: Option<TwinId>,
    /// Settings to build with instead of the folder's `twin.toml` (the app's own).
    pub params: Option<alter_core::TwinParams>,
    /// Forget every checkpoint and redo every stage.
    pub full: bool,
    /// Self-test size: answerable and unanswerable questions at most. Each
    /// answerable one costs a full answer (~8 s on two cores), so the default
    /// asks one per document of a small twin and keeps the build under a minute.
    pub selftest_questions: (usize, usize),
}

impl BuildRequest {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), selftest_questions: (4, 2), ..Self::default() }
    }
}

/// One stage as it went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageReport {
    pub name: String,
    pub seconds: f64,
    /// Skipped because its checkpoint still matched its inputs.
    pub reused: bool,
}

/// The `build` result (`alter build --json`).
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub twin: TwinId,
    pub name: String,
    /// True when the twin did not exist before this build.
    pub created: bool,
    pub seconds: f64,
    pub stages: Vec<StageReport>,
    pub ingest: IngestReport,
    pub voice: VoiceOutcome,
    /// Things the owner should know (no voice samples, failed files…).
    pub warnings: Vec<String>,
    pub report: ReportCard,
}

/// What every stage works with.
pub(crate) struct StageContext<'a> {
    pub engine: &'a crate::Engine,
    pub twin: &'a TwinId,
    pub db: &'a alter_store::TwinDb,
    pub progress: &'a alter_core::ProgressSink,
    pub cancel: &'a alter_core::CancelToken,
}

impl StageContext<'_> {
    /// Stops the stage when the build was cancelled.
    pub fn check(&self) -> Result<(), crate::EngineError> {
        self.cancel.check().map_err(|_| crate::EngineError::Cancelled)
    }

    pub fn report(&self, stage: &str, done: u64, total: u64, item: impl Into<String>) {
        self.progress.report(alter_core::Progress::new(stage, done, total).item(item));
    }
}

/// Fingerprint of a stage's inputs: SHA-256 over the parts, hex.
pub(crate) fn fingerprint(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}
