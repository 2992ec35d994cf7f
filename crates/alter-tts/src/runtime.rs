//! ONNX Runtime for the voice, from `alter-onnx`: one library and one
//! environment per process, shared with every other ONNX model.

use std::path::Path;

pub use alter_onnx::find_runtime;

use crate::TtsError;

/// Loads ONNX Runtime from `models_dir` and returns the library's path
/// (idempotent; the first successful load wins for the whole process).
pub fn ensure_runtime(models_dir: &Path) -> Result<&'static Path, TtsError> {
    environment(models_dir).map(|(path, _)| path.as_path())
}

/// The process-wide ONNX Runtime environment (see `alter_onnx::environment`).
pub fn environment(models_dir: &Path) -> Result<&'static alter_onnx::Runtime, TtsError> {
    Ok(alter_onnx::environment(models_dir)?)
}
