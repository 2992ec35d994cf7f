//! Finding the real Whisper model for tests: `$ALTER_MODELS_DIR/whisper/ggml-base-q8_0.bin`.
//! Absent model: the test fails saying `run: alter models fetch`, unless
//! ALTER_SKIP_MODEL_TESTS=1, in which case it prints why it skips.

use std::path::PathBuf;

pub fn whisper_model() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTER_MODELS_DIR").map(PathBuf::from);
    let path = dir.as_ref().map(|d| alter_asr::model_path(d));
    match path {
        Some(p) if p.is_file() => Some(p),
        _ => {
            let why = format!(
                "Whisper model not found at {} (ALTER_MODELS_DIR={:?}); run: alter models fetch",
                path.as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "$ALTER_MODELS_DIR/whisper/ggml-base-q8_0.bin".into()),
                dir
            );
            if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") {
                eprintln!("skipping: {why}");
                None
            } else {
                panic!("{why}");
            }
        }
    }
}

pub fn eval_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval")
}
