//! The documents of a twin's materials.

use std::path::{Path, PathBuf};

use alter_knowledge::{IngestOptions, check_document};

use super::files::{self, Copied, skipped};
use super::{Added, MaterialDocument, file_len};
use crate::EngineError;

pub(super) fn list(dir: &Path) -> Result<Vec<MaterialDocument>, EngineError> {
    let opts = IngestOptions::default();
    Ok(files::list(dir)?.into_iter().map(|(name, path)| describe(name, &path, &opts)).collect())
}

pub(super) fn add(dir: &Path, paths: &[PathBuf]) -> Result<Added<MaterialDocument>, EngineError> {
    let opts = IngestOptions::default();
    let mut out = Added::default();
    let documents_in = |folder: &Path| {
        let found = alter_knowledge::ingest::list_documents(folder).unwrap_or_default();
        found.into_iter().map(|(_, path)| path).collect()
    };
    for path in files::expand(paths, &mut out.skipped, documents_in, "the folder holds no documents") {
        let len = file_len(&path);
        if len > opts.limits.max_file_bytes {
            let mb = |b: u64| b.div_ceil(1 << 20);
            out.skipped.push(skipped(
                &path,
                format!("too large: {} MB, documents are at most {} MB", mb(len), mb(opts.limits.max_file_bytes)),
            ));
            continue;
        }
        match files::copy_in(&path, dir)? {
            Copied::New(name) => {
                let copy = dir.join(&name);
                out.added.push(describe(name, &copy, &opts));
            }
            Copied::Duplicate(name) => out.skipped.push(skipped(&path, format!("already added as {name}"))),
        }
    }
    Ok(out)
}

fn describe(name: String, path: &Path, opts: &IngestOptions) -> MaterialDocument {
    MaterialDocument { bytes: file_len(path), check: check_document(path, opts), name }
}
