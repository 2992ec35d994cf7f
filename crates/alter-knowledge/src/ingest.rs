//! Ingesting a folder of documents into a twin, incrementally and resumably.
//!
//! Each file is one unit of work: read (refusing files above the size limit
//! before reading), hash, and compare with what the database holds. An
//! unchanged file (same content hash, same pipeline version, same embedding
//! model) is skipped; a new or changed one is parsed, chunked and embedded,
//! then written — document row, chunks, vectors and full-text rows — in one
//! transaction that replaces the old version. Files gone from the folder
//! lose their rows. A file that cannot be read gets a `failed` row with its
//! error and the job goes on.
//!
//! Invariant: because every file commits atomically and files are processed
//! in a fixed (sorted) order, killing the process at any point and running
//! the ingest again resumes where it stopped and ends in the same state as
//! an uninterrupted run.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use alter_core::{CancelToken, Progress, ProgressSink};
use alter_store::TwinDb;
use sha2::{Digest, Sha256};

use crate::chunk::{Chunk, ChunkOptions, chunk_document};
use crate::embed::Embedder;
use crate::error::{KnowledgeError, ParseError};
use crate::parse::{ParseLimits, ParsedDoc, parse_bytes};
use crate::store::{self, NewDocument, PIPELINE_VERSION};

/// Extensions handled by other stages (voice, transcription), not documents.
const MEDIA: &[&str] =
    &["wav", "mp3", "flac", "ogg", "opus", "m4a", "aac", "mp4", "mov", "mkv", "webm", "avi", "wma", "aiff"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestOptions {
    pub limits: ParseLimits,
    pub chunk: ChunkOptions,
}

/// A file that could not be ingested, as shown to the user.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileFailure {
    pub file: String,
    /// Stable short code: `corrupt`, `encrypted`, `no_text`, `too_large`…
    pub code: String,
    pub message: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IngestReport {
    /// Document files found in the folder.
    pub files: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub failed: Vec<FileFailure>,
    /// Chunks written in this run.
    pub chunks: usize,
    pub seconds: f64,
}

/// Ingests every document under `docs_dir` into `db`.
///
/// Progress: stage `"ingest"`, one step per file, with the file name as item.
/// Cancelling stops between files; everything finished stays.
pub async fn ingest_folder(
    db: &TwinDb,
    docs_dir: &Path,
    embedder: &Embedder,
    opts: &IngestOptions,
    progress: &ProgressSink,
    cancel: &CancelToken,
) -> Result<IngestReport, KnowledgeError> {
    let started = Instant::now();
    let dir = docs_dir.to_path_buf();
    let files = tokio::task::spawn_blocking(move || list_documents(&dir))
        .await
        .map_err(|e| KnowledgeError::Internal(e.to_string()))??;
    let existing: HashMap<String, store::DocumentRow> =
        store::documents(db.pool()).await?.into_iter().map(|d| (d.file_name.clone(), d)).collect();
    let present: HashSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let gone: Vec<String> = existing.keys().filter(|k| !present.contains(k.as_str())).cloned().collect();
    store::remove_documents(db.pool(), &gone).await?;

    let mut report = IngestReport { files: files.len(), removed: gone.len(), ..Default::default() };
    let total = files.len() as u64;
    for (i, (name, path)) in files.iter().enumerate() {
        cancel.check()?;
        progress.report(Progress::new("ingest", i as u64, total).item(name.clone()));
        let known = existing.get(name).map(|d| Known {
            hash: d.content_hash.clone(),
            current: d.pipeline == PIPELINE_VERSION && (d.status == "failed" || d.embedder == embedder.id()),
        });
        let (job_path, limits, chunk_opts) = (path.clone(), opts.limits.clone(), opts.chunk.clone());
        let outcome = tokio::task::spawn_blocking(move || read_and_parse(&job_path, known, &limits, &chunk_opts))
            .await
            .map_err(|e| KnowledgeError::Internal(e.to_string()))?;
        let path_str = path.to_string_lossy();
        match outcome {
            FileOutcome::Unchanged => report.unchanged += 1,
            FileOutcome::Failed { hash, size, err } => {
                let doc = NewDocument {
                    file_name: name,
                    path: &path_str,
                    content_hash: &hash,
                    kind: None,
                    size,
                    error: Some((err.kind_code(), err.to_string())),
                    notes: String::new(),
                    embedder: "",
                };
                store::write_document(db.pool(), &doc, &[], &[]).await?;
                report.failed.push(FileFailure {
                    file: name.clone(),
                    code: err.kind_code().into(),
                    message: err.to_string(),
                });
            }
            FileOutcome::Parsed { hash, size, doc, chunks } => {
                let texts: Vec<String> = chunks.iter().map(|c| store::searchable_text(name, c)).collect();
                cancel.check()?;
                let vectors = embedder.embed_passages_async(texts).await?;
                let new = NewDocument {
                    file_name: name,
                    path: &path_str,
                    content_hash: &hash,
                    kind: Some(doc.kind.as_str()),
                    size,
                    error: None,
                    notes: doc.notes.join("\n"),
                    embedder: embedder.id(),
                };
                store::write_document(db.pool(), &new, &chunks, &vectors).await?;
                report.chunks += chunks.len();
                if existing.contains_key(name) {
                    report.updated += 1;
                } else {
                    report.added += 1;
                }
            }
        }
    }
    progress.report(Progress::new("ingest", total, total));
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

struct Known {
    hash: String,
    /// Stored with the current pipeline and model.
    current: bool,
}

enum FileOutcome {
    Unchanged,
    Failed { hash: String, size: i64, err: ParseError },
    Parsed { hash: String, size: i64, doc: ParsedDoc, chunks: Vec<Chunk> },
}

fn read_and_parse(path: &Path, known: Option<Known>, limits: &ParseLimits, chunk: &ChunkOptions) -> FileOutcome {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return FileOutcome::Failed { hash: String::new(), size: 0, err: e.into() },
    };
    let size = meta.len() as i64;
    if meta.len() > limits.max_file_bytes {
        // Not worth reading gigabytes to hash: size and mtime identify the version.
        let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        let hash = format!("unread:{size}:{}", mtime.map_or(0, |d| d.as_secs()));
        if known.as_ref().is_some_and(|k| k.hash == hash && k.current) {
            return FileOutcome::Unchanged;
        }
        let err = ParseError::TooLarge { size: meta.len(), limit: limits.max_file_bytes };
        return FileOutcome::Failed { hash, size, err };
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileOutcome::Failed { hash: String::new(), size, err: e.into() },
    };
    let hash = hex::encode(Sha256::digest(&bytes));
    if known.as_ref().is_some_and(|k| k.hash == hash && k.current) {
        return FileOutcome::Unchanged;
    }
    match parse_bytes(&bytes, path, limits) {
        Ok(doc) => {
            let chunks = chunk_document(&doc, chunk);
            FileOutcome::Parsed { hash, size, doc, chunks }
        }
        Err(err) => FileOutcome::Failed { hash, size, err },
    }
}

/// Document files under `dir`, as (name relative to `dir` with `/`, path),
/// sorted by name. Hidden entries, symbolic links and media files are skipped.
pub fn list_documents(dir: &Path) -> Result<Vec<(String, PathBuf)>, KnowledgeError> {
    let folder_err = |source| KnowledgeError::Folder { path: dir.to_path_buf(), source };
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut first = true;
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if first => return Err(folder_err(e)),
            Err(_) => continue, // An unreadable subfolder: skip it, keep the rest.
        };
        first = false;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                if MEDIA.contains(&ext.as_str()) {
                    continue;
                }
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    Ok(out)
}
