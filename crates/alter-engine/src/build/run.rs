//! The build orchestrator: resolve the twin, take its lock, run the stages.

use std::future::Future;
use std::time::Instant;

use alter_core::{CancelToken, ProgressSink, TwinId, TwinParams};
use serde::{Serialize, de::DeserializeOwned};

use super::{BuildReport, BuildRequest, StageContext, StageReport, checkpoint, fingerprint, persona, selftest, voice};
use crate::build::{BuildLock, TwinSource};
use crate::{Engine, EngineError};

impl Engine {
    /// Builds (or rebuilds incrementally) a twin from a source folder.
    ///
    /// Progress events carry the stage name (see [`super::STAGES`]); the
    /// cancel token is checked between files, samples and questions, and a
    /// cancelled or crashed build resumes after its last finished stage.
    pub async fn build_twin(
        &self,
        request: &BuildRequest,
        progress: &ProgressSink,
        cancel: &CancelToken,
    ) -> Result<BuildReport, EngineError> {
        let started = Instant::now();
        let source = TwinSource::read(&request.dir)?;
        if source.documents.is_empty() {
            return Err(EngineError::BadSource(format!(
                "{} has no documents: put the files the twin should know (PDF, DOCX, PPTX, XLSX, CSV, Markdown, text) in its docs/ folder",
                request.dir.display()
            )));
        }
        let params = self.build_params(request, &source)?;
        let (twin, created) = self.build_target(request, &params).await?;
        let _lock = BuildLock::acquire(&self.config().twin_dir(&twin))?;
        let db = self.twin_db(&twin).await?;
        if request.full {
            checkpoint::clear(&db).await?;
        }
        let mut stages = Vec::new();
        let mut warnings = Vec::new();

        // Ingest: incremental by itself, so it always runs (unchanged files cost a hash).
        let stage_started = Instant::now();
        let ingest =
            self.ingest_documents(&twin, &source.dir.join("docs"), progress, cancel).await.map_err(cancelled)?;
        stages.push(StageReport {
            name: "ingest".into(),
            seconds: stage_started.elapsed().as_secs_f64(),
            reused: false,
        });
        for failure in &ingest.failed {
            warnings.push(format!("{}: {}", failure.file, failure.message));
        }
        let ready =
            alter_knowledge::store::all_chunks(db.pool()).await.map_err(alter_knowledge::KnowledgeError::from)?;
        if ready.is_empty() {
            return Err(EngineError::BadSource(format!(
                "none of the documents in {} could be read ({}); the twin needs at least one readable document",
                source.dir.join("docs").display(),
                warnings.join("; ")
            )));
        }

        let cx = StageContext { engine: self, twin: &twin, db: &db, progress, cancel };
        let voice_fp = voice::fingerprint_samples(&source.voice_samples)?;
        let voice_outcome =
            staged(&db, "voice", &voice_fp, &mut stages, || voice::run(&cx, &source.voice_samples)).await?;
        warnings.extend(voice_outcome.warnings.iter().cloned());

        let generation =
            alter_knowledge::store::generation(db.pool()).await.map_err(alter_knowledge::KnowledgeError::from)?;
        let params_json = serde_json::to_vec(&params).unwrap_or_default();
        let persona_fp = fingerprint(&[
            &generation.to_le_bytes(),
            voice_fp.as_bytes(),
            &params_json,
            &i64::from(alter_persona::profile::PROFILE_VERSION).to_le_bytes(),
        ]);
        staged(&db, "persona", &persona_fp, &mut stages, || persona::run(&cx, &ready, &voice_outcome)).await?;

        let selftest_fp = fingerprint(&[persona_fp.as_bytes(), format!("{:?}", request.selftest_questions).as_bytes()]);
        let report = staged(&db, "selftest", &selftest_fp, &mut stages, || {
            selftest::run(&cx, &ready, voice_outcome.similarity_after, request)
        })
        .await?;
        self.app_db.set_score(&twin, report.score).await?;
        db.close().await;

        Ok(BuildReport {
            twin,
            name: params.name,
            created,
            seconds: started.elapsed().as_secs_f64(),
            stages,
            ingest,
            voice: voice_outcome,
            warnings,
            report,
        })
    }

    /// The twin's parameters: the request's own or `twin.toml`, then `--name`, then the folder's name.
    fn build_params(&self, request: &BuildRequest, source: &TwinSource) -> Result<TwinParams, EngineError> {
        let mut params = request.params.clone().or_else(|| source.params.clone()).unwrap_or_default();
        if let Some(name) = &request.name {
            params.name = name.clone();
        }
        if params.name.trim().is_empty() {
            let dir = std::fs::canonicalize(&request.dir).unwrap_or_else(|_| request.dir.clone());
            params.name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "Twin".into());
        }
        Ok(params.validated()?)
    }

    /// The twin to build into, created when missing; true when created.
    async fn build_target(&self, request: &BuildRequest, params: &TwinParams) -> Result<(TwinId, bool), EngineError> {
        let id = request.id.clone().unwrap_or_else(|| TwinId::from_name(&params.name));
        if self.app_db.exists(&id).await? {
            self.update_twin(&id, params.clone()).await?;
            Ok((id, false))
        } else {
            let twin = self.create_twin(params.clone(), Some(id)).await?;
            Ok((twin.id, true))
        }
    }
}

/// Runs a stage unless its checkpoint matches `fp`; records it when it finishes.
async fn staged<T, F, Fut>(
    db: &alter_store::TwinDb,
    name: &str,
    fp: &str,
    stages: &mut Vec<StageReport>,
    run: F,
) -> Result<T, EngineError>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, EngineError>>,
{
    if let Some(done) = checkpoint::reuse::<T>(db, name, fp).await? {
        stages.push(StageReport { name: name.into(), seconds: 0.0, reused: true });
        return Ok(done);
    }
    let started = Instant::now();
    let output = run().await?;
    let seconds = started.elapsed().as_secs_f64();
    checkpoint::save(db, name, fp, seconds, &output).await?;
    stages.push(StageReport { name: name.into(), seconds, reused: false });
    Ok(output)
}

/// Ingestion reports cancellation as its own error; the build speaks of itself.
fn cancelled(e: EngineError) -> EngineError {
    match e {
        EngineError::Knowledge(alter_knowledge::KnowledgeError::Cancelled) => EngineError::Cancelled,
        other => other,
    }
}
