//! ONNX Runtime for the detector, from `alter-onnx`: one library and one
//! environment per process, shared with the speech synthesiser.

use std::path::Path;

pub use alter_onnx::{check_library_file, find_runtime};

use crate::VadError;

/// Loads ONNX Runtime once per process (see `alter_onnx::environment`).
pub fn ensure_runtime(models_dir: &Path) -> Result<&'static alter_onnx::Runtime, VadError> {
    Ok(alter_onnx::environment(models_dir)?)
}
