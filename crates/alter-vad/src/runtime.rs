//! Finds and loads the ONNX Runtime library from `$ALTER_MODELS_DIR/onnxruntime/`.
//! `ort`'s loader is process-wide and idempotent, so the speech synthesiser
//! loading the same file first (or after) is fine.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::VadError;

static LOADED: OnceLock<(PathBuf, ort::environment::Environment)> = OnceLock::new();
static LOADING: Mutex<()> = Mutex::new(());

/// The library in a models folder: `libonnxruntime.so`, or a versioned name.
pub fn find_runtime(models_dir: &Path) -> Option<PathBuf> {
    let dir = models_dir.join("onnxruntime");
    let plain = dir.join("libonnxruntime.so");
    if plain.is_file() {
        return Some(plain);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libonnxruntime"))
        })
        .collect();
    found.sort();
    found.pop()
}

/// Loads ONNX Runtime once per process.
pub fn ensure_runtime(models_dir: &Path) -> Result<&'static (PathBuf, ort::environment::Environment), VadError> {
    if let Some(p) = LOADED.get() {
        return Ok(p);
    }
    let _guard = LOADING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = LOADED.get() {
        return Ok(p);
    }
    let path = find_runtime(models_dir).ok_or_else(|| VadError::RuntimeMissing(models_dir.join("onnxruntime")))?;
    check_library_file(&path)?;
    let broken = |reason: String| VadError::RuntimeBroken { path: path.clone(), reason };
    let env = ort::init_from(&path)
        .map_err(|e| broken(e.to_string()))?
        .with_name("alter-vad")
        .build()
        .map_err(|e| broken(e.to_string()))?;
    Ok(LOADED.get_or_init(|| (path, env)))
}

/// Refuses anything that is not a shared library before `dlopen` sees it.
pub fn check_library_file(path: &Path) -> Result<(), VadError> {
    use std::io::Read;
    let broken = |reason: String| VadError::RuntimeBroken { path: path.to_path_buf(), reason };
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).map_err(|e| broken(e.to_string()))?;
    if magic != [0x7f, b'E', b'L', b'F'] && magic != [0xcf, 0xfa, 0xed, 0xfe] && magic[..2] != *b"MZ" {
        return Err(broken("it is not a shared library".into()));
    }
    Ok(())
}
