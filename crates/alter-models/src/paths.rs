//! Where other crates find models: checked paths with errors that say how to fix them.
//!
//! [`resolve`] checks presence and size of every file of the model and the
//! sha256 through the stamp file: an unchanged, already-verified file costs a
//! `stat`; a new or changed one is hashed once (then stamped). A mismatch is
//! refused, naming the model and `run: alter models fetch`.

use std::path::{Path, PathBuf};

use alter_core::CancelToken;

use crate::ModelError;
use crate::catalog::{Catalog, ModelId};
use crate::check::{self, Depth};
use crate::fsio::Stamps;

/// The checked primary path (file or folder) of a built-in model.
pub fn resolve(models_dir: &Path, id: ModelId) -> Result<PathBuf, ModelError> {
    resolve_id(models_dir, id.as_str())
}

/// The checked primary path of any catalog model, built-in or imported.
pub fn resolve_id(models_dir: &Path, id: &str) -> Result<PathBuf, ModelError> {
    let catalog = Catalog::load(models_dir)?;
    let entry = catalog.require(id)?;
    let mut stamps = Stamps::load(models_dir);
    let before = stamps.files.clone();
    let states = check::check_model(models_dir, entry, &mut stamps, Depth::Quick, None, &CancelToken::new())?;
    if stamps.files != before {
        let _ = stamps.save(models_dir);
    }
    match check::first_problem(models_dir, entry, &states) {
        Some(err) => Err(err),
        None => Ok(models_dir.join(&entry.primary)),
    }
}

/// Paths of the built-in models under one models folder.
#[derive(Debug, Clone)]
pub struct ModelPaths {
    pub root: PathBuf,
}

impl ModelPaths {
    pub fn new(models_dir: impl Into<PathBuf>) -> Self {
        Self { root: models_dir.into() }
    }

    /// The primary path, unchecked (for messages and tests).
    pub fn path(&self, id: ModelId) -> PathBuf {
        self.root.join(id.relative_path())
    }

    /// The checked primary path (see [`resolve`]).
    pub fn resolve(&self, id: ModelId) -> Result<PathBuf, ModelError> {
        resolve(&self.root, id)
    }

    /// `whisper/ggml-base-q8_0.bin`.
    pub fn whisper_base(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::WhisperBase)
    }

    /// The Piper voice: (`.onnx`, `.onnx.json`).
    pub fn piper_joe(&self) -> Result<(PathBuf, PathBuf), ModelError> {
        let onnx = self.resolve(ModelId::PiperJoe)?;
        let mut json = onnx.clone().into_os_string();
        json.push(".json");
        Ok((onnx, PathBuf::from(json)))
    }

    /// `onnxruntime/libonnxruntime.so`, for `ort::init_from`.
    pub fn onnxruntime(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::OnnxRuntime)
    }

    /// Folder with `model.safetensors`, `config.json`, `tokenizer.json`.
    pub fn e5_small(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::E5Small)
    }

    /// Folder with `model.safetensors`, `config.json`, `tokenizer.json`.
    pub fn minilm(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::MiniLm)
    }

    pub fn qwen(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::Qwen25Coder05B)
    }

    pub fn smollm2(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::SmolLm2)
    }

    /// `vad/silero_vad.onnx`; the folder also holds `silero_vad_16k_op15.onnx`
    /// and `silero_vad_16k.safetensors`.
    pub fn silero_vad(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::SileroVad)
    }

    /// `speaker/resemblyzer.safetensors`.
    pub fn resemblyzer(&self) -> Result<PathBuf, ModelError> {
        self.resolve(ModelId::Resemblyzer)
    }
}
