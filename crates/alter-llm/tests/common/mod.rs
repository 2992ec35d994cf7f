//! Shared test helpers: locating models under `ALTER_MODELS_DIR`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use alter_llm::{Llm, LoadOptions};

/// File names inside `$ALTER_MODELS_DIR` (as provisioned by `alter models fetch`),
/// each with the other names it may have.
pub const QWEN: &[&str] =
    &["llm/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen.gguf"];
pub const SMOL: &[&str] = &[
    "llm/smollm2-135m-instruct-q4_1.gguf",
    "llm/SmolLM2-135M-Instruct.Q4_1.gguf",
    "SmolLM2-135M-Instruct.Q4_1.gguf",
    "smol.gguf",
];

/// Path of a model, `None` when tests should skip (ALTER_SKIP_MODEL_TESTS=1);
/// panics with the fix when the model is absent.
pub fn model_path(names: &[&str]) -> Option<PathBuf> {
    let skip = std::env::var("ALTER_SKIP_MODEL_TESTS").is_ok_and(|v| v == "1");
    let dir = std::env::var_os("ALTER_MODELS_DIR").map(PathBuf::from);
    if let Some(dir) = &dir {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    if skip {
        eprintln!("skipping: model {} absent and ALTER_SKIP_MODEL_TESTS=1", names[0]);
        return None;
    }
    panic!("model {} not found under ALTER_MODELS_DIR ({dir:?}); run: alter models fetch", names[0]);
}

fn shared(cell: &'static OnceLock<Option<Arc<Llm>>>, names: &[&str]) -> Option<Arc<Llm>> {
    cell.get_or_init(|| {
        let p = model_path(names)?;
        let opts = LoadOptions { threads: 2, max_context: 2048 };
        Some(Arc::new(Llm::load(&p, &opts).expect("load model")))
    })
    .clone()
}

pub fn smol() -> Option<Arc<Llm>> {
    static CELL: OnceLock<Option<Arc<Llm>>> = OnceLock::new();
    shared(&CELL, SMOL)
}

pub fn qwen() -> Option<Arc<Llm>> {
    static CELL: OnceLock<Option<Arc<Llm>>> = OnceLock::new();
    shared(&CELL, QWEN)
}
