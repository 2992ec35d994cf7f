//! Copying files into a materials folder, safely.
//!
//! Invariants: a file appears in the folder whole or not at all (copied to a
//! hidden temporary name, then renamed); names come from the file's own name
//! only, so no path given by the webview can reach outside the folder; a
//! second copy of the same content is recognised and not added twice; two
//! different files with one name are kept side by side (`notes (2).md`).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::EngineError;

/// Why a file given to add was left out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Skipped {
    /// The path as given.
    pub path: String,
    pub reason: String,
}

pub(crate) fn skipped(path: &Path, reason: impl Into<String>) -> Skipped {
    Skipped { path: path.display().to_string(), reason: reason.into() }
}

/// What copying one file into a folder did.
pub(crate) enum Copied {
    New(String),
    /// The same content is already there, under this name.
    Duplicate(String),
}

/// Copies `src` into `dir` (created if missing) and returns its name there.
pub(crate) fn copy_in(src: &Path, dir: &Path) -> Result<Copied, EngineError> {
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    let hash = file_hash(src)?;
    let len = std::fs::metadata(src).map(|m| m.len()).ok();
    for (name, path) in list(dir)? {
        if std::fs::metadata(&path).map(|m| m.len()).ok() == len && file_hash(&path)? == hash {
            return Ok(Copied::Duplicate(name));
        }
    }
    let original = src.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = free_name(dir, &clean_name(&original));
    let temp = dir.join(format!(".adding-{}", &hash[..16]));
    std::fs::copy(src, &temp).map_err(io("copy", src))?;
    let target = dir.join(&name);
    if let Err(source) = std::fs::rename(&temp, &target) {
        let _ = std::fs::remove_file(&temp);
        return Err(EngineError::Io { action: "add", path: target, source });
    }
    Ok(Copied::New(name))
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> EngineError + 'a {
    move |source| EngineError::Io { action, path: path.to_path_buf(), source }
}

/// Removes `name` from `dir`; the name must be one `list` returns.
pub(crate) fn remove(dir: &Path, name: &str) -> Result<(), EngineError> {
    let path = member(dir, name)?;
    std::fs::remove_file(&path).map_err(|source| EngineError::Io { action: "remove", path, source })
}

/// The path of `name` inside `dir`, refusing anything that is not a plain file name there.
pub(crate) fn member(dir: &Path, name: &str) -> Result<PathBuf, EngineError> {
    let plain = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control);
    let path = dir.join(name);
    if !plain || !path.is_file() {
        return Err(EngineError::BadInput(format!("there is no file named \"{}\" here", shorten(name))));
    }
    Ok(path)
}

/// Visible regular files in `dir`, sorted by name (an absent folder is empty).
pub(crate) fn list(dir: &Path) -> Result<Vec<(String, PathBuf)>, EngineError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(EngineError::Io { action: "read", path: dir.to_path_buf(), source }),
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            (!name.starts_with('.')).then(|| (name, e.path()))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The files as given, with `in_folder(path)` for each folder given; what cannot
/// be used is left out with its reason (`empty_folder` for a folder with nothing in it).
pub(crate) fn expand(
    paths: &[PathBuf],
    skipped_out: &mut Vec<Skipped>,
    in_folder: impl Fn(&Path) -> Vec<PathBuf>,
    empty_folder: &str,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let found = in_folder(path);
                if found.is_empty() {
                    skipped_out.push(skipped(path, empty_folder));
                }
                out.extend(found);
            }
            Ok(m) if m.is_file() => out.push(path.clone()),
            Ok(_) => skipped_out.push(skipped(path, "not a regular file")),
            Err(_) => skipped_out.push(skipped(path, "no such file")),
        }
    }
    out
}

/// Regular files under `dir` (recursively, hidden entries and links skipped), sorted.
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.filter_map(Result::ok) {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(t) if t.is_file() => out.push(entry.path()),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

fn file_hash(path: &Path) -> Result<String, EngineError> {
    let mut file =
        std::fs::File::open(path).map_err(|source| EngineError::Io { action: "read", path: path.into(), source })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|source| EngineError::Io { action: "read", path: path.into(), source })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// A file name safe on every desktop file system, at most 120 characters.
fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim_start_matches('.')
        .trim()
        .to_owned();
    let cleaned = if cleaned.is_empty() { "file".to_owned() } else { cleaned };
    if cleaned.chars().count() <= 120 {
        return cleaned;
    }
    let (stem, ext) = split_ext(&cleaned);
    let stem: String = stem.chars().take(120 - ext.chars().count().min(20)).collect();
    format!("{stem}{}", ext.chars().take(20).collect::<String>())
}

/// `name`, or `stem (2).ext`, `stem (3).ext`… whichever is free in `dir`.
fn free_name(dir: &Path, name: &str) -> String {
    if !dir.join(name).exists() {
        return name.to_owned();
    }
    let (stem, ext) = split_ext(name);
    (2..).map(|n| format!("{stem} ({n}){ext}")).find(|n| !dir.join(n).exists()).unwrap_or_default()
}

fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    }
}

pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 { s.to_owned() } else { format!("{}…", s.chars().take(60).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_both_files_of_one_name_and_skip_the_same_content() {
        let src = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let a = src.path().join("notes.md");
        std::fs::write(&a, "first").unwrap();
        assert!(matches!(copy_in(&a, dir.path()).unwrap(), Copied::New(n) if n == "notes.md"));
        assert!(matches!(copy_in(&a, dir.path()).unwrap(), Copied::Duplicate(n) if n == "notes.md"));
        let b = src.path().join("b").join("notes.md");
        std::fs::create_dir_all(b.parent().unwrap()).unwrap();
        std::fs::write(&b, "second").unwrap();
        assert!(matches!(copy_in(&b, dir.path()).unwrap(), Copied::New(n) if n == "notes (2).md"));
        let names: Vec<String> = list(dir.path()).unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["notes (2).md", "notes.md"], "no temporary file is left behind");
    }

    #[test]
    fn hostile_names_are_cleaned_or_refused() {
        assert_eq!(clean_name("..\\evil:name?.pdf"), "_evil_name_.pdf");
        assert_eq!(clean_name("...."), "file");
        assert_eq!(clean_name(&format!("{}.pdf", "x".repeat(500))).chars().count(), 120);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        for name in ["", "../a.md", "/etc/passwd", ".hidden", "a\u{0}.md", "missing.md"] {
            assert!(member(dir.path(), name).is_err(), "{name:?}");
        }
        assert!(member(dir.path(), "a.md").is_ok());
    }

    #[test]
    fn an_absent_folder_lists_empty() {
        assert!(list(Path::new("/nonexistent/alter/materials")).unwrap().is_empty());
    }
}
