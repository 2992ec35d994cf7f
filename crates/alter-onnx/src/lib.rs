//! Finds and loads the ONNX Runtime shared library, once per process.
//!
//! The library lives in `$ALTER_MODELS_DIR/onnxruntime/` (put there by
//! `alter models fetch`); nobody has to set `ORT_DYLIB_PATH`. Every ONNX
//! model in the process (the Piper voice, the voice-activity detector) builds
//! its sessions from the one [`environment`]: `ort` allows a single
//! initialisation, so a second loader elsewhere would fail.
//!
//! Invariant: we check that the file exists and starts like an
//! ELF/Mach-O/PE library before handing it to `ort`, because some `ort`
//! releases wait forever on a missing file; a missing library is a clear
//! error, never a hang.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Why ONNX Runtime could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RuntimeError {
    #[error("ONNX Runtime is not installed (looked in {}); run: alter models fetch", looked_in.display())]
    Missing { looked_in: PathBuf },
    #[error("ONNX Runtime at {} cannot be loaded: {reason}; run: alter models fetch", path.display())]
    Broken { path: PathBuf, reason: String },
}

/// The loaded library's path and the process-wide environment.
pub type Runtime = (PathBuf, ort::environment::Environment);

static ENVIRONMENT: OnceLock<Runtime> = OnceLock::new();
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

/// The process-wide ONNX Runtime environment, loading the library from
/// `models_dir` on first use (the first successful load wins for the whole process).
pub fn environment(models_dir: &Path) -> Result<&'static Runtime, RuntimeError> {
    if let Some(env) = ENVIRONMENT.get() {
        return Ok(env);
    }
    let _guard = LOADING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(env) = ENVIRONMENT.get() {
        return Ok(env);
    }
    let path =
        find_runtime(models_dir).ok_or_else(|| RuntimeError::Missing { looked_in: models_dir.join("onnxruntime") })?;
    check_library_file(&path)?;
    let broken = |reason: String| RuntimeError::Broken { path: path.clone(), reason };
    let env = ort::init_from(&path)
        .map_err(|e| broken(e.to_string()))?
        .with_name("alter")
        .build()
        .map_err(|e| broken(e.to_string()))?;
    Ok(ENVIRONMENT.get_or_init(|| (path, env)))
}

/// Refuses files that cannot be a shared library before `dlopen` sees them.
pub fn check_library_file(path: &Path) -> Result<(), RuntimeError> {
    use std::io::Read;
    let broken = |reason: String| RuntimeError::Broken { path: path.to_path_buf(), reason };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_fake_libraries_are_errors_not_hangs() {
        let dir = tempfile::tempdir().unwrap();
        assert!(find_runtime(dir.path()).is_none());
        let lib = dir.path().join("onnxruntime/libonnxruntime.so");
        std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
        std::fs::write(&lib, b"#!/bin/sh\necho not a library\n").unwrap();
        assert_eq!(find_runtime(dir.path()), Some(lib.clone()));
        let err = check_library_file(&lib).unwrap_err();
        assert!(err.to_string().contains("not a shared library"), "{err}");
        std::fs::write(&lib, b"").unwrap();
        assert!(check_library_file(&lib).unwrap_err().to_string().contains("cannot read"));
    }
}
