//! Test helpers: the models folder, and a clear failure when it lacks a model.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use alter_tts::{LoadOptions, Synthesizer};

/// `$ALTER_MODELS_DIR`, or `None` (with the reason printed) when model tests
/// are skipped by `ALTER_SKIP_MODEL_TESTS=1`. Panics with the fix otherwise.
pub fn models_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTER_MODELS_DIR").map(PathBuf::from);
    let ready =
        dir.as_ref().filter(|d| alter_tts::runtime::find_runtime(d).is_some() && !alter_tts::find_voices(d).is_empty());
    match ready {
        Some(d) => Some(d.clone()),
        None if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") => {
            eprintln!("skipping: no Piper voice and ONNX Runtime in ALTER_MODELS_DIR (ALTER_SKIP_MODEL_TESTS=1)");
            None
        }
        None => {
            panic!("no Piper voice and ONNX Runtime library found in ALTER_MODELS_DIR={dir:?}; run: alter models fetch")
        }
    }
}

/// One synthesizer shared by every test in the binary (loading takes a second).
pub fn synth() -> Option<Arc<Synthesizer>> {
    static SYNTH: OnceLock<Arc<Synthesizer>> = OnceLock::new();
    let dir = models_dir()?;
    Some(
        SYNTH
            .get_or_init(|| {
                Arc::new(Synthesizer::load(&dir, &LoadOptions { voice: None, threads: 2 }).expect("voice loads"))
            })
            .clone(),
    )
}
