//! A twin's source folder: `docs/`, `voice/` and an optional `twin.toml`.
//!
//! The folder is read, never written. Files are listed in a stable order
//! (by name) so that two builds of the same folder do the same work in the
//! same order. Hidden files and editor droppings are skipped.

use std::path::{Path, PathBuf};

use alter_core::TwinParams;

use crate::EngineError;

/// Largest `twin.toml` read; anything bigger is not a settings file.
const MAX_TWIN_TOML_BYTES: u64 = 256 * 1024;

/// What a source folder holds.
#[derive(Debug, Clone, PartialEq)]
pub struct TwinSource {
    pub dir: PathBuf,
    /// Files under `docs/` (recursively), sorted.
    pub documents: Vec<PathBuf>,
    /// Files under `voice/`, sorted.
    pub voice_samples: Vec<PathBuf>,
    /// Parameters from `twin.toml`, if present.
    pub params: Option<TwinParams>,
}

impl TwinSource {
    pub fn read(dir: &Path) -> Result<Self, EngineError> {
        let meta =
            std::fs::metadata(dir).map_err(|source| EngineError::Io { action: "read", path: dir.into(), source })?;
        if !meta.is_dir() {
            return Err(EngineError::BadSource(format!(
                "{} is not a folder: give a folder holding docs/ (and optionally voice/ and twin.toml)",
                dir.display()
            )));
        }
        let documents = list_files(&dir.join("docs"))?;
        let voice_samples = list_files(&dir.join("voice"))?;
        let toml_path = dir.join("twin.toml");
        let params = if toml_path.is_file() { Some(read_twin_toml(&toml_path)?) } else { None };
        Ok(Self { dir: dir.to_path_buf(), documents, voice_samples, params })
    }
}

/// Parses `twin.toml`, naming the line of the first problem.
pub fn read_twin_toml(path: &Path) -> Result<TwinParams, EngineError> {
    let io = |source| EngineError::Io { action: "read", path: path.into(), source };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_TWIN_TOML_BYTES {
        return Err(EngineError::BadSource(format!(
            "{} is {len} bytes; a twin.toml is at most 256 KiB",
            path.display()
        )));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| EngineError::BadSource(format!("{} is not UTF-8 text", path.display())))?;
    parse_twin_toml(&text).map_err(|msg| EngineError::BadSource(format!("{}: {msg}", path.display())))
}

fn parse_twin_toml(text: &str) -> Result<TwinParams, String> {
    let params: TwinParams = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let what = e.message().trim_end_matches('\n');
        match line {
            Some(line) => format!("line {line}: {what}"),
            None => what.to_owned(),
        }
    })?;
    // A twin.toml may leave the name out; the build fills it in from --name or the folder.
    if params.name.trim().is_empty() {
        return Ok(params);
    }
    params.validated().map_err(|e| e.to_string())
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|source| EngineError::Io { action: "list", path: d.clone(), source })?;
        for entry in entries {
            let entry = entry.map_err(|source| EngineError::Io { action: "list", path: d.clone(), source })?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.starts_with('~') || name.ends_with('~') {
                continue;
            }
            // Follows symlinks deliberately: users link documents into the folder.
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_eval_layout() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/sub")).unwrap();
        std::fs::create_dir_all(dir.path().join("voice")).unwrap();
        for f in ["docs/b.md", "docs/a.pdf", "docs/sub/c.csv", "docs/.hidden", "docs/x.md~", "voice/v.wav"] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        std::fs::write(dir.path().join("twin.toml"), "name = \"Maya\"\nrole = \"PM\"\n").unwrap();
        let src = TwinSource::read(dir.path()).unwrap();
        let names: Vec<_> = src.documents.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_owned()).collect();
        assert_eq!(names, [PathBuf::from("docs/a.pdf"), "docs/b.md".into(), "docs/sub/c.csv".into()]);
        assert_eq!(src.voice_samples.len(), 1);
        assert_eq!(src.params.unwrap().role, "PM");
    }

    #[test]
    fn missing_parts_are_empty_not_errors() {
        let dir = tempfile::tempdir().unwrap();
        let src = TwinSource::read(dir.path()).unwrap();
        assert!(src.documents.is_empty() && src.voice_samples.is_empty() && src.params.is_none());
    }

    #[test]
    fn not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(TwinSource::read(&file), Err(EngineError::BadSource(_))));
        assert!(matches!(TwinSource::read(&dir.path().join("nope")), Err(EngineError::Io { .. })));
    }

    #[test]
    fn twin_toml_errors_name_the_line() {
        let err = parse_twin_toml("name = \"Maya\"\nrole = \"PM\"\ncolour = \"blue\"\n").unwrap_err();
        assert!(err.starts_with("line 3:") && err.contains("colour"), "{err}");
        let err = parse_twin_toml("name = \"Maya\"\n\n[tone]\ncasual = \"very\"\n").unwrap_err();
        assert!(err.starts_with("line 4:"), "{err}");
        let err = parse_twin_toml("name = \"Maya\"\n[tone]\ncasual = 7.0\n").unwrap_err();
        assert!(err.contains("between 0 and 1"), "{err}");
        assert!(parse_twin_toml("name = [").is_err());
        let ok = parse_twin_toml("role = \"PM\"\nlanguages = [\"en\"]\n[appearance]\nglasses = true\n").unwrap();
        assert!(ok.appearance.glasses && ok.name.is_empty());
    }
}
