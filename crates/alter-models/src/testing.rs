//! Helpers for tests in any crate that need real models.
//!
//! Contract: a test that needs a model which is absent FAILS with a message
//! saying `run: alter models fetch`, unless `ALTER_SKIP_MODEL_TESTS=1`, in
//! which case it prints why it skips and returns `None`.

use std::path::PathBuf;

use crate::catalog::ModelId;
use crate::paths;

/// Environment variable that turns missing-model failures into printed skips.
pub const ENV_SKIP: &str = "ALTER_SKIP_MODEL_TESTS";

fn skipping() -> bool {
    std::env::var(ENV_SKIP).is_ok_and(|v| v == "1")
}

/// The models folder from `ALTER_MODELS_DIR`, or `None` (with a printed
/// reason) when `ALTER_SKIP_MODEL_TESTS=1` and it is unset. Panics with the fix otherwise.
pub fn models_dir_or_skip() -> Option<PathBuf> {
    match std::env::var_os(alter_core::config::ENV_MODELS).filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None if skipping() => {
            eprintln!("skipping: ALTER_MODELS_DIR is not set and {ENV_SKIP}=1");
            None
        }
        None => panic!(
            "ALTER_MODELS_DIR is not set; set it to the models folder and run: alter models fetch \
             (or set {ENV_SKIP}=1 to skip tests that need real models)"
        ),
    }
}

/// The checked path of a built-in model, or `None` (printed) when it is
/// missing and skipping is allowed. Panics with the fix otherwise.
pub fn model_or_skip(id: ModelId) -> Option<PathBuf> {
    let dir = models_dir_or_skip()?;
    match paths::resolve(&dir, id) {
        Ok(p) => Some(p),
        Err(e) if skipping() => {
            eprintln!("skipping: {e} ({ENV_SKIP}=1)");
            None
        }
        Err(e) => panic!("{e} (or set {ENV_SKIP}=1 to skip tests that need real models)"),
    }
}
