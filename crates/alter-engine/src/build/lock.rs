//! One build per twin at a time, across processes.
//!
//! The lock is an OS file lock on `<twin dir>/build.lock`: it is released by
//! the kernel when the holder exits, so a crashed build never leaves a stale
//! lock behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::EngineError;

/// Held for the whole build; dropping it releases the lock.
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
}

impl BuildLock {
    pub fn acquire(twin_dir: &Path) -> Result<Self, EngineError> {
        let path = twin_dir.join("build.lock");
        // A twin whose folder was removed by hand is rebuilt into a new one.
        std::fs::create_dir_all(twin_dir).map_err(|source| EngineError::Io {
            action: "create",
            path: twin_dir.to_path_buf(),
            source,
        })?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| EngineError::Io { action: "create", path: path.clone(), source })?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(EngineError::Busy(
                "this twin is already being built; wait for that build to finish or cancel it".into(),
            )),
            Err(TryLockError::Error(source)) => Err(EngineError::Io { action: "lock", path, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = BuildLock::acquire(dir.path()).unwrap();
        assert!(matches!(BuildLock::acquire(dir.path()), Err(EngineError::Busy(_))));
        drop(first);
        assert!(BuildLock::acquire(dir.path()).is_ok());
        let gone = dir.path().join("removed-by-hand");
        assert!(BuildLock::acquire(&gone).is_ok() && gone.is_dir());
    }
}
