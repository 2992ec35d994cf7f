//! The twin library: create, list, read, update and erase twins.

use alter_core::{TwinId, TwinParams, TwinSummary};
use alter_store::StoreError;

use crate::{Engine, EngineError};

impl Engine {
    pub async fn list_twins(&self) -> Result<Vec<TwinSummary>, EngineError> {
        Ok(self.app_db.list_twins().await?)
    }

    pub async fn twin(&self, id: &TwinId) -> Result<TwinSummary, EngineError> {
        Ok(self.app_db.twin(id).await?)
    }

    pub async fn twin_params(&self, id: &TwinId) -> Result<TwinParams, EngineError> {
        Ok(self.app_db.params(id).await?)
    }

    /// Creates a twin. Without an explicit id, one is derived from the name
    /// and made unique ("maya", "maya-2", …).
    pub async fn create_twin(&self, params: TwinParams, id: Option<TwinId>) -> Result<TwinSummary, EngineError> {
        let params = params.validated()?;
        let id = match id {
            Some(id) => id,
            None => self.unused_id(&TwinId::from_name(&params.name)).await?,
        };
        let dir = self.config.twin_dir(&id);
        std::fs::create_dir_all(&dir).map_err(|source| EngineError::Io { action: "create", path: dir, source })?;
        Ok(self.app_db.insert_twin(&id, &params).await?)
    }

    pub async fn update_twin(&self, id: &TwinId, params: TwinParams) -> Result<TwinSummary, EngineError> {
        Ok(self.app_db.update_params(id, &params.validated()?).await?)
    }

    /// Erases a twin: its library entry and its whole folder.
    pub async fn delete_twin(&self, id: &TwinId) -> Result<(), EngineError> {
        self.app_db.delete_twin(id).await?;
        let dir = self.config.twin_dir(id);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(EngineError::Io { action: "erase", path: dir, source }),
        }
    }

    async fn unused_id(&self, base: &TwinId) -> Result<TwinId, EngineError> {
        if !self.app_db.exists(base).await? {
            return Ok(base.clone());
        }
        for n in 2..1000 {
            let candidate = base.with_suffix(n);
            if !self.app_db.exists(&candidate).await? {
                return Ok(candidate);
            }
        }
        Err(StoreError::TwinExists(base.to_string()).into())
    }
}

#[cfg(test)]
mod tests {
    use alter_core::{Config, ErrorCode, HasErrorCode};

    use super::*;

    #[tokio::test]
    async fn create_list_delete() {
        let home = tempfile::tempdir().unwrap();
        let engine = Engine::open(Config::rooted(home.path())).await.unwrap();
        let a = engine.create_twin(TwinParams::named("Maya Okafor"), None).await.unwrap();
        let b = engine.create_twin(TwinParams::named("Maya Okafor"), None).await.unwrap();
        assert_eq!(a.id.as_str(), "maya-okafor");
        assert_eq!(b.id.as_str(), "maya-okafor-2");
        assert!(engine.config().twin_dir(&a.id).is_dir());
        assert_eq!(engine.list_twins().await.unwrap().len(), 2);

        engine.delete_twin(&a.id).await.unwrap();
        assert!(!engine.config().twin_dir(&a.id).exists());
        let err = engine.twin(&a.id).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
    }

    #[tokio::test]
    async fn bad_names_are_refused_with_invalid_input() {
        let home = tempfile::tempdir().unwrap();
        let engine = Engine::open(Config::rooted(home.path())).await.unwrap();
        for name in ["", "  ", "a\u{0}b", &"n".repeat(10 << 20)] {
            let err = engine.create_twin(TwinParams::named(name), None).await.unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidInput, "{name:.20}");
        }
        assert!(engine.list_twins().await.unwrap().is_empty());
    }
}
