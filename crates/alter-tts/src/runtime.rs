//! Finds and loads the ONNX Runtime shared library, once per process.
//!
//! The library lives in `$ALTER_MODELS_DIR/onnxruntime/` (put there by
//! `alter models fetch`); nobody has to set `ORT_DYLIB_PATH`. Invariant: we
//! check that the file exists and starts like an ELF/Mach-O/PE library before
//! handing it to `ort`, because some `ort` releases wait forever on a missing
//! file; a missing library is a clear error, never a hang.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::TtsError;

/// The process's one ONNX Runtime environment (`ort` allows only one).
static ENVIRONMENT: OnceLock<(PathBuf, ort::environment::Environment)> = OnceLock::new();
static LOADING: Mutex<()> = Mutex::new(());

/// The library file in a models folder, if one is there.
pub fn find_runtime(models_dir: &Path) -> Option<PathBuf> {
    let dir = models_dir.join("onnxruntime");
    let plain = dir.join("libonnxruntime.so");
    if plain.is_file() {
        return Some(plain);
    }
    // Versioned names (libonnxruntime.so.1.24.2, .dylib, .dll), newest name last in sort order.
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.starts_with("libonnxruntime.so") || name.starts_with("libonnxruntime") && name.ends_with(".dylib"))
                || name == "onnxruntime.dll"
        })
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.pop()
}

/// Loads ONNX Runtime from `models_dir` and returns the library's path
/// (idempotent; the first successful load wins for the whole process).
pub fn ensure_runtime(models_dir: &Path) -> Result<&'static Path, TtsError> {
    environment(models_dir).map(|(path, _)| path.as_path())
}

/// The process-wide ONNX Runtime environment, loading the library from
/// `models_dir` on first use. Every ONNX model in the process (voices, voice
/// activity) must build its sessions from this one environment.
pub fn environment(models_dir: &Path) -> Result<&'static (PathBuf, ort::environment::Environment), TtsError> {
    if let Some(env) = ENVIRONMENT.get() {
        return Ok(env);
    }
    let _guard = LOADING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(env) = ENVIRONMENT.get() {
        return Ok(env);
    }
    let path = find_runtime(models_dir)
        .ok_or_else(|| TtsError::RuntimeMissing { looked_in: models_dir.join("onnxruntime").display().to_string() })?;
    check_library_header(&path)?;
    let broken = |reason: String| TtsError::RuntimeBroken { path: path.clone(), reason };
    let env = ort::init_from(&path)
        .map_err(|e| broken(e.to_string()))?
        .with_name("alter")
        .build()
        .map_err(|e| broken(e.to_string()))?;
    Ok(ENVIRONMENT.get_or_init(|| (path, env)))
}

/// Refuses files that cannot be a shared library before `dlopen` sees them.
fn check_library_header(path: &Path) -> Result<(), TtsError> {
    use std::io::Read;
    let broken = |reason: String| TtsError::RuntimeBroken { path: path.to_path_buf(), reason };
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map_err(|e| broken(format!("cannot read it: {e}")))?;
    let known =
        [[0x7f, b'E', b'L', b'F'], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe], [b'M', b'Z', 0x90, 0x00]];
    if known.iter().any(|m| magic == *m || (m[0] == b'M' && magic[..2] == m[..2])) {
        Ok(())
    } else {
        Err(broken("it is not a shared library".into()))
    }
}
