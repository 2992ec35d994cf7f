//! The installed models, as the app's Models screen shows them.

use alter_core::{CancelToken, ProgressSink};
use alter_models::ModelStatus;

use crate::{Engine, EngineError};

impl Engine {
    /// Every catalog model and whether its files are in place; with `verify`,
    /// every file is hashed too (seconds per gigabyte).
    pub async fn models(&self, verify: bool) -> Result<Vec<ModelStatus>, EngineError> {
        let dir = self.config().models_dir.clone();
        let task = tokio::task::spawn_blocking(move || match verify {
            true => alter_models::verify(&dir, ProgressSink::none(), &CancelToken::new()),
            false => alter_models::list(&dir),
        });
        Ok(task.await.map_err(|e| EngineError::Internal(format!("the models check failed: {e}")))??)
    }
}

impl Engine {
    /// Checks a user's model file (a GGUF language model, a whisper.cpp model, a
    /// Piper voice with its `.onnx.json`) and copies it into the models folder;
    /// returns its id. Nothing is copied when the file is not a model.
    pub async fn import_model(&self, path: &std::path::Path) -> Result<String, EngineError> {
        let (dir, path) = (self.config().models_dir.clone(), path.to_path_buf());
        let task = tokio::task::spawn_blocking(move || alter_models::import::import(&dir, &path, None));
        let entry = task.await.map_err(|e| EngineError::Internal(format!("the model import failed: {e}")))??;
        Ok(entry.id)
    }
}
