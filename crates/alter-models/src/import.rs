//! `models import PATH`: checks a user's model file and registers it.
//!
//! Accepted: a GGUF language model (v2/v3), a whisper.cpp ggml model, a Piper
//! voice (`.onnx` with its `.onnx.json` beside it). The header is validated
//! before anything is copied; the file is copied (atomically) to
//! `user/<id>/` inside the models folder, hashed, and appended to
//! `user-models.toml`, after which it resolves like a built-in model.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use alter_core::CancelToken;

use crate::ModelError;
use crate::catalog::{Catalog, ModelEntry, ModelFile, Role, USER_CATALOG_FILE};
use crate::formats::{ggml, gguf};
use crate::fsio::{self, Stamps};

/// What kind of file was recognised.
#[derive(Debug, Clone, PartialEq)]
pub enum Detected {
    Gguf { architecture: String, tensors: usize },
    WhisperGgml { n_vocab: i32, layers: i32 },
    PiperVoice { config: PathBuf, sample_rate: u64, speakers: u64 },
}

/// Recognises and validates a model file without copying it.
pub fn inspect(path: &Path) -> Result<Detected, ModelError> {
    let meta = std::fs::metadata(path).map_err(ModelError::io("reading", path))?;
    if !meta.is_file() {
        return Err(ModelError::format(path, "model", "not a regular file"));
    }
    let len = meta.len();
    let mut magic = [0u8; 4];
    {
        use std::io::Read;
        let mut f = File::open(path).map_err(ModelError::io("reading", path))?;
        let n = f.read(&mut magic).map_err(ModelError::io("reading", path))?;
        if n < 4 {
            return Err(ModelError::format(path, "model", "file is too short to be a model"));
        }
    }
    let open = || File::open(path).map(BufReader::new).map_err(ModelError::io("reading", path));
    if &magic == b"GGUF" {
        let h = gguf::read_header(open()?, len, gguf::ReadOptions::default())
            .map_err(|e| ModelError::format(path, "GGUF", e))?;
        let architecture = h.architecture().unwrap_or("unknown").to_owned();
        return Ok(Detected::Gguf { architecture, tensors: h.tensors.len() });
    }
    if u32::from_le_bytes(magic) == ggml::GGML_MAGIC {
        let h = ggml::read_header(open()?, len).map_err(|e| ModelError::format(path, "whisper ggml", e))?;
        return Ok(Detected::WhisperGgml { n_vocab: h.n_vocab(), layers: h.n_audio_layer() });
    }
    if path.extension().is_some_and(|e| e == "onnx") {
        // ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
        if magic[0] != 0x08 {
            return Err(ModelError::format(path, "ONNX", "does not start like an ONNX model"));
        }
        let mut config = path.as_os_str().to_owned();
        config.push(".json");
        let config = PathBuf::from(config);
        let text = std::fs::read(&config).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                ModelError::format(path, "Piper voice", format!("{} is missing beside it", config.display()))
            }
            _ => ModelError::io("reading", &config)(e),
        })?;
        let v: serde_json::Value = serde_json::from_slice(&text)
            .map_err(|e| ModelError::format(&config, "Piper voice config", e.to_string()))?;
        let sample_rate =
            v.pointer("/audio/sample_rate").and_then(|s| s.as_u64()).filter(|&s| (8000..=48000).contains(&s));
        let Some(sample_rate) = sample_rate else {
            return Err(ModelError::format(
                &config,
                "Piper voice config",
                "audio.sample_rate is missing or not a sample rate",
            ));
        };
        if !v.get("phoneme_id_map").is_some_and(|m| m.is_object()) {
            return Err(ModelError::format(&config, "Piper voice config", "phoneme_id_map is missing"));
        }
        let speakers = v.get("num_speakers").and_then(|n| n.as_u64()).unwrap_or(1);
        return Ok(Detected::PiperVoice { config, sample_rate, speakers });
    }
    Err(ModelError::format(path, "model", "not a GGUF, whisper ggml or Piper .onnx voice file"))
}

fn derive_id(path: &Path) -> String {
    let stem = path.file_name().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let stem = stem.trim_end_matches(".onnx").trim_end_matches(".gguf").trim_end_matches(".bin");
    let id: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    if id.is_empty() { "user-model".into() } else { id }
}

/// Validates `path`, copies it into the models folder and adds it to the user catalog.
pub fn import(models_dir: &Path, path: &Path, id: Option<&str>) -> Result<ModelEntry, ModelError> {
    let detected = inspect(path)?;
    let id = id.map(str::to_owned).unwrap_or_else(|| derive_id(path));
    let catalog = Catalog::load(models_dir)?;
    if catalog.get(&id).is_some() {
        return Err(ModelError::Catalog(format!("a model named '{id}' already exists; choose another with --id")));
    }
    let (role, mut sources) = match &detected {
        Detected::Gguf { .. } => (Role::Llm, vec![path.to_path_buf()]),
        Detected::WhisperGgml { .. } => (Role::Asr, vec![path.to_path_buf()]),
        Detected::PiperVoice { config, .. } => (Role::Tts, vec![path.to_path_buf(), config.clone()]),
    };
    let cancel = CancelToken::new();
    let mut files = Vec::new();
    let mut stamps = Stamps::load(models_dir);
    for src in sources.drain(..) {
        let name = src.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "model".into());
        let rel = format!("user/{id}/{name}");
        let dest = models_dir.join(&rel);
        let tmp = models_dir.join(format!("user/{id}/.{name}.import-{}", std::process::id()));
        std::fs::create_dir_all(dest.parent().unwrap_or(models_dir))
            .map_err(ModelError::io("creating folder", models_dir))?;
        let copied =
            copy_hashed(&src, &tmp, &cancel).and_then(|(size, sha)| fsio::place(&tmp, &dest).map(|_| (size, sha)));
        let (size, sha256) = match copied {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        stamps.record(&rel, &dest, &sha256);
        files.push(ModelFile { path: rel, size, sha256, staged: None });
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let notes = match &detected {
        Detected::Gguf { architecture, tensors } => format!("GGUF, architecture {architecture}, {tensors} tensors"),
        Detected::WhisperGgml { n_vocab, layers } => format!("whisper ggml, {layers} layers, vocabulary {n_vocab}"),
        Detected::PiperVoice { sample_rate, speakers, .. } => {
            format!("Piper voice, {sample_rate} Hz, {speakers} speaker(s)")
        }
    };
    let entry = ModelEntry {
        id: id.clone(),
        name,
        role,
        license: "unknown (imported by the user)".into(),
        languages: Vec::new(),
        primary: files[0].path.clone(),
        upstream: Vec::new(),
        notes,
        convert: None,
        wheels: Vec::new(),
        extracts: Vec::new(),
        files,
        user: false,
    };
    let mut user: Vec<ModelEntry> = catalog
        .models
        .iter()
        .filter(|m| m.user)
        .cloned()
        .map(|mut m| {
            m.user = false;
            m
        })
        .collect();
    user.push(entry.clone());
    let text = Catalog::to_user_toml(&user)?;
    fsio::write_atomic(&models_dir.join(USER_CATALOG_FILE), text.as_bytes())?;
    let _ = stamps.save(models_dir);
    Ok(ModelEntry { user: true, ..entry })
}

fn copy_hashed(src: &Path, dest: &Path, cancel: &CancelToken) -> Result<(u64, String), ModelError> {
    let mut input = File::open(src).map_err(ModelError::io("reading", src))?;
    let mut out = File::create(dest).map_err(ModelError::io("writing", dest))?;
    let (n, digest) = fsio::hash_copy(&mut input, Some(&mut out), &mut None, cancel)
        .map_err(|e| fsio::io_or_cancel(e, "copying to", dest))?;
    out.sync_all().map_err(ModelError::io("syncing", dest))?;
    Ok((n, hex::encode(digest)))
}
