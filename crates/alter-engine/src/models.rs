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
