//! `models list` and `models verify`: what is installed, and whether every
//! byte still matches the catalog.

use std::path::{Path, PathBuf};

use alter_core::{CancelToken, ProgressSink};
use serde::Serialize;

use crate::ModelError;
use crate::catalog::{Catalog, Role};
use crate::check::{self, Depth};
use crate::fsio::{ByteProgress, Stamps};

/// One model's state.
#[derive(Debug, Clone, Serialize)]
pub struct ModelStatus {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub license: String,
    pub languages: Vec<String>,
    pub user: bool,
    /// Absolute primary path.
    pub path: PathBuf,
    pub bytes: u64,
    /// True when every file is present and matches.
    pub ok: bool,
    /// Problems, one line per bad file.
    pub problems: Vec<String>,
}

/// Whether a model can be used, in words a person can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelState {
    Installed,
    /// Files are absent: `alter models fetch` provides them.
    Missing,
    /// Files are there but wrong (truncated, altered).
    Damaged,
}

impl ModelState {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelState::Installed => "installed",
            ModelState::Missing => "missing",
            ModelState::Damaged => "damaged",
        }
    }
}

impl ModelStatus {
    pub fn state(&self) -> ModelState {
        if self.ok {
            ModelState::Installed
        } else if self.problems.iter().all(|p| p.ends_with("missing")) {
            ModelState::Missing
        } else {
            ModelState::Damaged
        }
    }
}

fn status(
    models_dir: &Path,
    depth: Depth,
    progress: ProgressSink,
    cancel: &CancelToken,
) -> Result<Vec<ModelStatus>, ModelError> {
    let catalog = Catalog::load(models_dir)?;
    let mut stamps = Stamps::load(models_dir);
    let before = stamps.files.clone();
    let total = if depth == Depth::Full { catalog.models.iter().map(|m| m.total_size()).sum() } else { 0 };
    let mut bytes = ByteProgress::new(progress, "verify", total);
    let mut out = Vec::new();
    for m in &catalog.models {
        let p = (depth == Depth::Full).then_some(&mut bytes);
        let states = check::check_model(models_dir, m, &mut stamps, depth, p, cancel)?;
        let problems = m
            .files
            .iter()
            .zip(&states)
            .filter(|(_, s)| !s.is_ok())
            .map(|(f, s)| format!("{}: {}", f.path, s.describe(f)))
            .collect::<Vec<_>>();
        out.push(ModelStatus {
            id: m.id.clone(),
            name: m.name.clone(),
            role: m.role,
            license: m.license.clone(),
            languages: m.languages.clone(),
            user: m.user,
            path: models_dir.join(&m.primary),
            bytes: m.total_size(),
            ok: problems.is_empty(),
            problems,
        });
    }
    if stamps.files != before && models_dir.is_dir() {
        // Stamps only save time; a read-only models folder is fine.
        let _ = stamps.save(models_dir);
    }
    Ok(out)
}

/// Every catalog model with a quick check (sizes and stamps).
pub fn list(models_dir: &Path) -> Result<Vec<ModelStatus>, ModelError> {
    status(models_dir, Depth::Quick, ProgressSink::none(), &CancelToken::new())
}

/// Every catalog model with every file hashed.
pub fn verify(models_dir: &Path, progress: ProgressSink, cancel: &CancelToken) -> Result<Vec<ModelStatus>, ModelError> {
    status(models_dir, Depth::Full, progress, cancel)
}
