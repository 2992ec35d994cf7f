//! Knowledge: ingesting a twin's documents and searching them.
//!
//! The embedding model is loaded once per process and shared; each twin's
//! vector matrix is loaded once and reloaded only when its database says
//! the knowledge changed (see `alter_knowledge::store::generation`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use alter_core::{CancelToken, ProgressSink, TwinId};
use alter_knowledge::embed::default_model_dir;
use alter_knowledge::{
    Embedder, EmbedderOptions, Hit, IngestOptions, IngestReport, KnowledgeError, KnowledgeIndex, SearchOptions,
};
use alter_store::TwinDb;

use crate::{Engine, EngineError};

/// Loaded embedders by model folder.
static EMBEDDERS: OnceLock<Mutex<HashMap<PathBuf, Embedder>>> = OnceLock::new();
/// Open twin databases with their loaded vector index, by database path.
type Loaded = (TwinDb, Arc<KnowledgeIndex>);
static TWINS: OnceLock<tokio::sync::Mutex<HashMap<PathBuf, Loaded>>> = OnceLock::new();

impl Engine {
    /// The default embedding model, loaded on first use (on a blocking thread).
    pub async fn embedder(&self) -> Result<Embedder, EngineError> {
        let dir = self.config.models_dir.join(default_model_dir());
        let cache = EMBEDDERS.get_or_init(Default::default);
        if let Some(e) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&dir) {
            return Ok(e.clone());
        }
        let opts = EmbedderOptions { threads: self.config.threads, ..EmbedderOptions::default() };
        let load_dir = dir.clone();
        let embedder = tokio::task::spawn_blocking(move || Embedder::load(&load_dir, &opts))
            .await
            .map_err(|e| KnowledgeError::Internal(e.to_string()))??;
        cache.lock().unwrap_or_else(|p| p.into_inner()).insert(dir, embedder.clone());
        Ok(embedder)
    }

    /// Opens an existing twin's database.
    pub(crate) async fn twin_db(&self, twin: &TwinId) -> Result<TwinDb, EngineError> {
        self.app_db.twin(twin).await?;
        Ok(TwinDb::open(&self.config.twin_db(twin)).await?)
    }

    /// Ingests (incrementally) the documents in `docs_dir` into a twin.
    /// Progress stage `"ingest"`, one step per file.
    pub async fn ingest_documents(
        &self,
        twin: &TwinId,
        docs_dir: &Path,
        progress: &ProgressSink,
        cancel: &CancelToken,
    ) -> Result<IngestReport, EngineError> {
        let db = self.twin_db(twin).await?;
        let embedder = self.embedder().await?;
        let report =
            alter_knowledge::ingest_folder(&db, docs_dir, &embedder, &IngestOptions::default(), progress, cancel)
                .await?;
        db.close().await;
        Ok(report)
    }

    /// The names and terms of a twin's documents, for the speech recogniser
    /// ([`alter_knowledge::Vocabulary`]): Latin ones, then Chinese ones.
    pub async fn vocabulary(&self, twin: &TwinId) -> Result<Vec<String>, EngineError> {
        let db = self.twin_db(twin).await?;
        let chunks = alter_knowledge::store::all_chunks(db.pool()).await.map_err(KnowledgeError::from);
        db.close().await;
        let chunks = chunks?;
        let vocabulary = tokio::task::spawn_blocking(move || alter_knowledge::Vocabulary::of(&chunks))
            .await
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        Ok(vocabulary.latin.into_iter().chain(vocabulary.chinese).collect())
    }

    /// Where a document a twin cites lives on disk: only a file the twin has
    /// read can be named (a citation's file name), and it must still exist.
    pub async fn document_path(&self, twin: &TwinId, file_name: &str) -> Result<std::path::PathBuf, EngineError> {
        self.app_db.twin(twin).await?;
        let db = self.twin_db(twin).await?;
        let docs = alter_knowledge::store::documents(db.pool()).await.map_err(KnowledgeError::from)?;
        db.close().await;
        let doc = docs
            .into_iter()
            .find(|d| d.file_name == file_name)
            .ok_or_else(|| EngineError::BadInput(format!("this twin has no document named {file_name:?}")))?;
        let path = std::path::PathBuf::from(&doc.path);
        if !path.is_file() {
            return Err(EngineError::BadInput(format!(
                "{} is no longer there; build the twin again after moving its documents",
                path.display()
            )));
        }
        Ok(path)
    }

    /// The `k` best chunks of a twin's documents for `query`, hybrid-ranked.
    pub async fn search(&self, twin: &TwinId, query: &str, k: usize) -> Result<Vec<Hit>, EngineError> {
        // Checked every time: a cached database may belong to a twin deleted since.
        self.app_db.twin(twin).await?;
        let embedder = self.embedder().await?;
        let (db, index) = {
            let mut cache = TWINS.get_or_init(Default::default).lock().await;
            let key = self.config.twin_db(twin);
            let db = match cache.get(&key) {
                Some((db, _)) => db.clone(),
                None => self.twin_db(twin).await?,
            };
            let generation = alter_knowledge::store::generation(db.pool()).await.map_err(KnowledgeError::from)?;
            let index = match cache.get(&key) {
                Some((_, index)) if index.generation() == generation => index.clone(),
                _ => Arc::new(KnowledgeIndex::load(&db).await?),
            };
            cache.insert(key, (db.clone(), index.clone()));
            (db, index)
        };
        let opts = SearchOptions { k: k.max(1), ..SearchOptions::default() };
        let hits = alter_knowledge::search(&db, &index, &embedder, query, &opts).await?;
        Ok(hits)
    }
}
