//! Shared test helpers: fixture paths and the real embedding model.
#![allow(dead_code)]

use std::path::PathBuf;

use alter_knowledge::{Embedder, EmbedderOptions};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The evaluation twin shipped with the project (`shared/eval`), if present
/// next to the checkout or named by `ALTER_EVAL_DIR`.
pub fn eval_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ALTER_EVAL_DIR") {
        return PathBuf::from(dir);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for up in manifest.ancestors() {
        let candidate = up.join("shared/eval");
        if candidate.join("questions.jsonl").is_file() {
            return candidate;
        }
    }
    panic!("the evaluation folder shared/eval was not found: set ALTER_EVAL_DIR")
}

/// The default embedding model (`embed::default_model_dir`) from `$ALTER_MODELS_DIR`
/// (the relative folder is overridable with `ALTER_EMBED_MODEL`). Missing model: the test fails
/// with the fix, unless `ALTER_SKIP_MODEL_TESTS=1`, when it says why it skips.
pub fn embedder() -> Option<Embedder> {
    let name =
        std::env::var("ALTER_EMBED_MODEL").unwrap_or_else(|_| alter_knowledge::embed::default_model_dir().into());
    let dir = std::env::var_os("ALTER_MODELS_DIR").map(|d| PathBuf::from(d).join(&name));
    let loaded = dir.as_ref().map(|d| Embedder::load(d, &EmbedderOptions::default()));
    match loaded {
        Some(Ok(e)) => Some(e),
        other => {
            let why = match other {
                Some(Err(e)) => e.to_string(),
                _ => format!("ALTER_MODELS_DIR is not set (looking for the {name} embedding model)"),
            };
            if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") {
                eprintln!("skipping: {why} (ALTER_SKIP_MODEL_TESTS=1)");
                None
            } else {
                panic!("{why}; run: alter models fetch");
            }
        }
    }
}
