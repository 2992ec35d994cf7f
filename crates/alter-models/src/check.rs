//! Checking installed files against the catalog.
//!
//! A quick check compares size, and trusts the sha256 recorded in the stamp
//! file when size and mtime are unchanged; a file without a valid stamp is
//! hashed once and stamped. A full check ([`Depth::Full`]) always hashes.

use std::path::Path;

use alter_core::CancelToken;

use crate::ModelError;
use crate::catalog::{ModelEntry, ModelFile};
use crate::fsio::{self, ByteProgress, Stamps};

/// How hard to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Size, plus the stamp (hash only files without a current stamp).
    Quick,
    /// Hash every byte.
    Full,
}

/// The state of one installed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Ok,
    Missing,
    WrongSize { actual: u64 },
    WrongHash { actual: String },
}

impl FileState {
    pub fn is_ok(&self) -> bool {
        matches!(self, FileState::Ok)
    }

    /// Plain words for a report.
    pub fn describe(&self, f: &ModelFile) -> String {
        match self {
            FileState::Ok => "ok".into(),
            FileState::Missing => "missing".into(),
            FileState::WrongSize { actual } => format!("size {actual} bytes, expected {}", f.size),
            FileState::WrongHash { actual } => format!("sha256 {actual}, expected {}", f.sha256),
        }
    }
}

/// Checks one file; updates `stamps` (records a verified hash, forgets a bad one).
pub fn check_file(
    models_dir: &Path,
    f: &ModelFile,
    stamps: &mut Stamps,
    depth: Depth,
    progress: Option<&mut ByteProgress>,
    cancel: &CancelToken,
) -> Result<FileState, ModelError> {
    let path = models_dir.join(&f.path);
    let meta = match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return Ok(FileState::Missing),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => return Err(ModelError::io("reading", &path)(e)),
    };
    if meta.len() != f.size {
        stamps.files.remove(&f.path);
        return Ok(FileState::WrongSize { actual: meta.len() });
    }
    if depth == Depth::Quick && !f.sha256.is_empty() && stamps.matches(&f.path, &meta, &f.sha256) {
        return Ok(FileState::Ok);
    }
    let (_, sha) = fsio::sha256_file(&path, progress, cancel)?;
    if !f.sha256.is_empty() && sha != f.sha256 {
        stamps.files.remove(&f.path);
        return Ok(FileState::WrongHash { actual: sha });
    }
    stamps.record(&f.path, &path, &sha);
    Ok(FileState::Ok)
}

/// Checks every file of a model; returns the states in catalog order.
pub fn check_model(
    models_dir: &Path,
    entry: &ModelEntry,
    stamps: &mut Stamps,
    depth: Depth,
    mut progress: Option<&mut ByteProgress>,
    cancel: &CancelToken,
) -> Result<Vec<FileState>, ModelError> {
    let mut out = Vec::with_capacity(entry.files.len());
    for f in &entry.files {
        if let Some(p) = progress.as_deref_mut() {
            p.item = format!("{}: {}", entry.id, f.path);
        }
        out.push(check_file(models_dir, f, stamps, depth, progress.as_deref_mut(), cancel)?);
    }
    Ok(out)
}

/// The first bad file of a model as a [`ModelError`], if any.
pub fn first_problem(models_dir: &Path, entry: &ModelEntry, states: &[FileState]) -> Option<ModelError> {
    entry.files.iter().zip(states).find(|(_, s)| !s.is_ok()).map(|(f, s)| {
        let path = models_dir.join(&f.path);
        match s {
            FileState::Missing => ModelError::Missing { model: entry.id.clone(), path },
            other => ModelError::Corrupt { model: entry.id.clone(), path, what: other.describe(f) },
        }
    })
}
