//! A twin's own materials: the documents and voice samples its owner adds in
//! the app, one file at a time, by dropping them, choosing them, recording in
//! the app or importing a whole folder.
//!
//! They are copies kept in the twin's folder, laid out like an `alter build`
//! folder (`materials/docs/`, `materials/voice/`): the app's Build is the
//! command line's build of that folder, and moving or deleting the originals
//! later changes nothing. Every file is checked as it is added (parsed and
//! chunked, or decoded and measured), so the owner sees at once what the
//! build will make of it.

mod documents;
mod files;
mod record;
mod voice;

use std::path::{Path, PathBuf};

use alter_core::TwinId;
use alter_knowledge::DocumentCheck;
use serde::Serialize;

pub use files::Skipped;
pub use record::{RecordLevel, RecordOptions};
pub use voice::SampleCheck;

use crate::{Engine, EngineError};

/// One document in a twin's materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialDocument {
    pub name: String,
    pub bytes: u64,
    pub check: DocumentCheck,
}

/// One voice sample in a twin's materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialSample {
    pub name: String,
    pub bytes: u64,
    pub check: SampleCheck,
}

/// Everything a twin is built from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Materials {
    pub documents: Vec<MaterialDocument>,
    pub samples: Vec<MaterialSample>,
}

/// What adding files did: the files now in the materials, and those left out with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Added<T> {
    pub added: Vec<T>,
    pub skipped: Vec<Skipped>,
}

impl<T> Default for Added<T> {
    fn default() -> Self {
        Self { added: Vec::new(), skipped: Vec::new() }
    }
}

/// What importing a build folder did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Imported {
    pub documents: Added<MaterialDocument>,
    pub samples: Added<MaterialSample>,
    /// The folder's `twin.toml` was applied to the twin's settings (its name is kept).
    pub settings_applied: bool,
}

impl Engine {
    /// The folder the twin is built from in the app.
    pub fn materials_dir(&self, twin: &TwinId) -> PathBuf {
        self.config().twin_dir(twin).join("materials")
    }

    /// The twin's documents and voice samples, each checked.
    pub async fn materials(&self, twin: &TwinId) -> Result<Materials, EngineError> {
        self.twin(twin).await?;
        let dir = self.materials_dir(twin);
        run_blocking(move || {
            Ok(Materials { documents: documents::list(&dir.join("docs"))?, samples: voice::list(&dir.join("voice"))? })
        })
        .await
    }

    /// Copies documents (files, or every document inside a folder) into the twin's materials.
    pub async fn add_documents(
        &self,
        twin: &TwinId,
        paths: Vec<PathBuf>,
    ) -> Result<Added<MaterialDocument>, EngineError> {
        self.twin(twin).await?;
        let dir = self.materials_dir(twin).join("docs");
        run_blocking(move || documents::add(&dir, &paths)).await
    }

    pub async fn remove_document(&self, twin: &TwinId, name: &str) -> Result<(), EngineError> {
        self.twin(twin).await?;
        files::remove(&self.materials_dir(twin).join("docs"), name)
    }

    /// Copies voice recordings (files, or every audio file inside a folder) into the twin's materials.
    pub async fn add_voice_samples(
        &self,
        twin: &TwinId,
        paths: Vec<PathBuf>,
    ) -> Result<Added<MaterialSample>, EngineError> {
        self.twin(twin).await?;
        let dir = self.materials_dir(twin).join("voice");
        run_blocking(move || voice::add(&dir, &paths)).await
    }

    pub async fn remove_voice_sample(&self, twin: &TwinId, name: &str) -> Result<(), EngineError> {
        self.twin(twin).await?;
        files::remove(&self.materials_dir(twin).join("voice"), name)
    }

    /// Imports a folder laid out for `alter build`: its `docs/`, `voice/` and `twin.toml`.
    pub async fn import_materials(&self, twin: &TwinId, folder: &Path) -> Result<Imported, EngineError> {
        let current = self.twin_params(twin).await?;
        if !folder.is_dir() {
            return Err(EngineError::BadSource(format!(
                "{} is not a folder: give a folder holding docs/ (and optionally voice/ and twin.toml)",
                folder.display()
            )));
        }
        let source = crate::build::TwinSource::read(folder)?;
        if source.documents.is_empty() && source.voice_samples.is_empty() {
            return Err(EngineError::BadSource(format!(
                "{} has neither docs/ nor voice/ files: give a folder laid out as for `alter build`",
                folder.display()
            )));
        }
        let dir = self.materials_dir(twin);
        let (docs, voice) = (source.documents.clone(), source.voice_samples.clone());
        let (documents, samples) = run_blocking(move || {
            Ok((documents::add(&dir.join("docs"), &docs)?, voice::add(&dir.join("voice"), &voice)?))
        })
        .await?;
        let settings_applied = match source.params {
            Some(mut params) => {
                params.name = current.name;
                self.update_twin(twin, params).await?;
                true
            }
            None => false,
        };
        Ok(Imported { documents, samples, settings_applied })
    }
}

async fn run_blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, EngineError> + Send + 'static,
) -> Result<T, EngineError> {
    tokio::task::spawn_blocking(job).await.map_err(|e| EngineError::Internal(format!("a file task failed: {e}")))?
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
