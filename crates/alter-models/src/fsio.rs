//! File helpers: streaming sha256, durable atomic placement, and the stamp
//! file that lets a re-check skip hashing unchanged files.
//!
//! Invariant: a file only ever appears under its final name through
//! [`place`] (fsync, rename, fsync of the folder), after its size and sha256
//! were checked. Temporary files live under `.staging/` with names that no
//! reader looks for, so a killed fetch never leaves a valid-looking file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use alter_core::{CancelToken, Progress, ProgressSink};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ModelError;

/// Name of the stamp file inside the models folder.
pub const STAMPS_FILE: &str = ".stamps.json";

const CHUNK: usize = 1 << 20;

/// Counts bytes for one progress bar across many files.
#[derive(Debug, Clone)]
pub struct ByteProgress {
    pub sink: ProgressSink,
    pub stage: &'static str,
    pub total: u64,
    pub done: u64,
    pub item: String,
}

impl ByteProgress {
    pub fn new(sink: ProgressSink, stage: &'static str, total: u64) -> Self {
        Self { sink, stage, total, done: 0, item: String::new() }
    }

    pub fn add(&mut self, n: u64) {
        self.done += n;
        self.sink.report(Progress::new(self.stage, self.done, self.total).item(self.item.clone()));
    }
}

/// sha256 of everything `reader` yields, copied to `out` when given.
pub fn hash_copy(
    reader: &mut dyn Read,
    mut out: Option<&mut dyn Write>,
    progress: &mut Option<&mut ByteProgress>,
    cancel: &CancelToken,
) -> std::io::Result<(u64, [u8; 32])> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        if cancel.is_cancelled() {
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled"));
        }
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        if let Some(w) = out.as_deref_mut() {
            w.write_all(&buf[..n])?;
        }
        total += n as u64;
        if let Some(p) = progress.as_deref_mut() {
            p.add(n as u64);
        }
    }
    Ok((total, hasher.finalize().into()))
}

/// Hex sha256 and size of a file.
pub fn sha256_file(
    path: &Path,
    progress: Option<&mut ByteProgress>,
    cancel: &CancelToken,
) -> Result<(u64, String), ModelError> {
    let mut f = File::open(path).map_err(ModelError::io("reading", path))?;
    let mut progress = progress;
    let (n, digest) = hash_copy(&mut f, None, &mut progress, cancel).map_err(|e| io_or_cancel(e, "reading", path))?;
    Ok((n, hex::encode(digest)))
}

/// Maps an interrupted copy to [`ModelError::Cancelled`], other errors to I/O.
pub fn io_or_cancel(e: std::io::Error, action: &'static str, path: &Path) -> ModelError {
    if e.kind() == std::io::ErrorKind::Interrupted { ModelError::Cancelled } else { ModelError::io(action, path)(e) }
}

/// Moves a checked file to its final path durably: fsync the file, create the
/// parent folder, rename, fsync the folder.
pub fn place(staged: &Path, dest: &Path) -> Result<(), ModelError> {
    File::open(staged).and_then(|f| f.sync_all()).map_err(ModelError::io("syncing", staged))?;
    let parent = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(ModelError::io("creating folder", parent))?;
    std::fs::rename(staged, dest).map_err(ModelError::io("moving into place", dest))?;
    sync_dir(parent);
    Ok(())
}

/// Best-effort fsync of a folder (makes a rename durable on Linux).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `bytes` to `dest` through a temporary sibling and [`place`].
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), ModelError> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(ModelError::io("creating folder", parent))?;
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let res = std::fs::write(&tmp, bytes).map_err(ModelError::io("writing", &tmp)).and_then(|_| place(&tmp, dest));
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// Size, modification time and verified sha256 of one installed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: u128,
    pub sha256: String,
}

/// The stamp file: relative path → stamp.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stamps {
    pub files: BTreeMap<String, Stamp>,
}

impl Stamps {
    /// Reads the stamp file; a missing or unreadable one is empty (it only saves time).
    pub fn load(models_dir: &Path) -> Stamps {
        std::fs::read(models_dir.join(STAMPS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, models_dir: &Path) -> Result<(), ModelError> {
        let text = serde_json::to_vec_pretty(self).map_err(|e| ModelError::Catalog(e.to_string()))?;
        write_atomic(&models_dir.join(STAMPS_FILE), &text)
    }

    /// True when `path` still has the size and mtime recorded with `sha256`.
    pub fn matches(&self, rel: &str, meta: &std::fs::Metadata, sha256: &str) -> bool {
        self.files
            .get(rel)
            .is_some_and(|s| s.sha256 == sha256 && s.size == meta.len() && Some(s.mtime_ns) == mtime_ns(meta))
    }

    pub fn record(&mut self, rel: &str, path: &Path, sha256: &str) {
        if let Ok(meta) = std::fs::metadata(path)
            && let Some(mtime_ns) = mtime_ns(&meta)
        {
            self.files.insert(rel.to_owned(), Stamp { size: meta.len(), mtime_ns, sha256: sha256.to_owned() });
        }
    }
}

fn mtime_ns(meta: &std::fs::Metadata) -> Option<u128> {
    meta.modified().ok()?.duration_since(UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

/// A process-unique staging folder under `<models_dir>/.staging`, removed on drop.
#[derive(Debug)]
pub struct Staging {
    pub dir: PathBuf,
}

impl Staging {
    pub fn new(models_dir: &Path, label: &str) -> Result<Staging, ModelError> {
        let root = models_dir.join(".staging");
        let dir = root.join(format!("{label}.{}", std::process::id()));
        if dir.exists() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        std::fs::create_dir_all(&dir).map_err(ModelError::io("creating folder", &dir))?;
        Ok(Staging { dir })
    }

    /// Removes staging folders left by processes that no longer run.
    pub fn clean_stale(models_dir: &Path) {
        let root = models_dir.join(".staging");
        let Ok(entries) = std::fs::read_dir(&root) else { return };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name.rsplit('.').next().and_then(|p| p.parse::<u32>().ok());
            let alive = match pid {
                Some(pid) if pid == std::process::id() => true,
                Some(pid) if Path::new("/proc/self").exists() => Path::new(&format!("/proc/{pid}")).exists(),
                _ => false,
            };
            if !alive {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
