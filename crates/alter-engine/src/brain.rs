//! Answering: retrieval from the twin's documents, then the grounded
//! answerer speaking as the owner.
//!
//! The language model is loaded once per process on its own thread (see
//! `alter_llm::Llm`) and shared; each twin gets an [`Answerer`] built from
//! its newest persona profile, its parameters, its "sounds like me" model and
//! its decline calibration. The answerer is rebuilt when any of those
//! changes (a rebuild, edited parameters), and its persona prompt is
//! prefilled once so every question reuses that KV cache.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use alter_brain::decline::CALIBRATION_META_KEY;
use alter_brain::{
    Answer, AnswerEvent, AnswerOptions, Answerer, DeclineCalibration, Memory, MemoryPolicy, PersonaContext, Question,
    Source,
};
use alter_core::{CancelToken, TwinId, TwinParams};
use alter_knowledge::Hit;
use alter_llm::{Llm, LoadOptions};
use alter_persona::{LearnOptions, PersonaProfile};
use serde::Serialize;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::{Engine, EngineError};

/// The loaded language model, shared by every engine in the process.
static LLM: Mutex<Option<(PathBuf, Arc<Llm>)>> = Mutex::new(None);

/// Context window the model is loaded with: persona, five sources, a few turns and the answer fit.
const MAX_CONTEXT: usize = 2048;

/// Chunks retrieved per question (what `eval` scores as hit@k).
pub const RETRIEVED_PER_QUESTION: usize = 5;
/// The best of them offered to the model: enough to answer, short enough to prefill fast.
pub const SOURCES_IN_PROMPT: usize = 3;

/// One question to a twin.
#[derive(Debug, Clone, Default)]
pub struct AskRequest {
    pub question: String,
    /// Conversation session; `None` keeps no memory of the turn.
    pub session_id: Option<String>,
    /// Prosody hints when the question was spoken.
    pub prosody: Option<alter_brain::ProsodyHints>,
    /// A tighter cap on the answer's length (see [`alter_brain::Question::max_tokens`]).
    pub max_tokens: Option<usize>,
}

/// What retrieval found for a question (the answer's sources, and the
/// ranked file list that `alter eval` scores as hit@k).
#[derive(Debug, Clone, Serialize)]
pub struct Retrieval {
    pub files: Vec<String>,
    pub milliseconds: f64,
    #[serde(skip)]
    pub sources: Vec<Source>,
}

/// The `ask` result: the brain's answer plus what retrieval saw.
#[derive(Debug, Clone, Serialize)]
pub struct AskReport {
    #[serde(flatten)]
    pub answer: Answer,
    pub retrieved_files: Vec<String>,
}

/// Per-twin answerers, keyed by what they were built from.
pub(crate) type AnswererCache = tokio::sync::Mutex<std::collections::HashMap<TwinId, (String, Answerer)>>;

fn to_source(hit: Hit) -> Source {
    Source {
        file: hit.file,
        location: hit.location,
        heading: hit.heading,
        text: hit.text,
        score: hit.score,
        cosine: hit.cosine,
    }
}

impl Engine {
    /// The loaded language model (loading the default one on first use).
    pub async fn llm(&self) -> Result<Arc<Llm>, EngineError> {
        let path = alter_models::ModelPaths::new(&self.config().models_dir).qwen()?;
        let threads = self.config().threads;
        let task = tokio::task::spawn_blocking(move || {
            let mut slot = LLM.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((loaded, llm)) = slot.as_ref()
                && *loaded == path
            {
                return Ok(Arc::clone(llm));
            }
            let llm = Arc::new(Llm::load(&path, &LoadOptions { threads, max_context: MAX_CONTEXT })?);
            *slot = Some((path, Arc::clone(&llm)));
            Ok::<_, alter_llm::LlmError>(llm)
        });
        Ok(task.await.map_err(|e| alter_llm::LlmError::Internal(format!("the model thread failed: {e}")))??)
    }

    /// Retrieves the sources for a question.
    pub async fn retrieve(&self, twin: &TwinId, question: &str, k: usize) -> Result<Retrieval, EngineError> {
        let started = Instant::now();
        let hits = self.search(twin, question, k).await?;
        let files = hits.iter().map(|h| h.file.clone()).collect();
        let sources = hits.into_iter().map(to_source).collect();
        Ok(Retrieval { files, milliseconds: started.elapsed().as_secs_f64() * 1000.0, sources })
    }

    /// The twin's answerer, built (and its persona prefilled) on first use
    /// and again whenever its profile, parameters or calibration changed.
    pub async fn answerer(&self, twin: &TwinId) -> Result<Answerer, EngineError> {
        let params = self.twin_params(twin).await?;
        let db = self.twin_db(twin).await?;
        let profile = alter_persona::store::load_profile(db.pool()).await?;
        let calibration = db.meta(CALIBRATION_META_KEY).await?;
        // How the twin looks and sounds does not change what it says: those edits keep the pinned persona.
        let says = TwinParams { appearance: Default::default(), voice: Default::default(), ..params.clone() };
        let stamp = format!(
            "{}|{}|{}",
            profile.as_ref().map_or(0, |(rev, _)| *rev),
            serde_json::to_string(&says).unwrap_or_default(),
            calibration.as_deref().unwrap_or("")
        );
        let mut cache = self.answerers.lock().await;
        if let Some((built_from, answerer)) = cache.get(twin)
            && *built_from == stamp
        {
            return Ok(answerer.clone());
        }
        let style_model = alter_persona::store::load_style_model(db.pool()).await?;
        let mut profile: PersonaProfile = match profile {
            Some((_, p)) => p,
            // Not built yet: answer from the documents with a blank persona.
            None => alter_persona::learn_profile(&[], &LearnOptions::default()),
        };
        profile.apply_owner_facts(&params.facts);
        let calibration: DeclineCalibration =
            calibration.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
        let topics = alter_knowledge::store::documents(db.pool())
            .await
            .map_err(alter_knowledge::KnowledgeError::from)?
            .into_iter()
            .filter(|d| d.status == "ready")
            .map(|d| d.file_name)
            .collect();
        let llm = self.llm().await?;
        let memory = Memory::new(db.pool().clone(), MemoryPolicy::default());
        let persona = PersonaContext { profile, params, style_model };
        let options = AnswerOptions { topics, ..AnswerOptions::default() };
        let answerer = Answerer::new(llm.handle(), persona, calibration, Some(memory), options);
        let pin = answerer.clone();
        tokio::task::spawn_blocking(move || pin.pin_persona_blocking(CancelToken::new()))
            .await
            .map_err(|e| alter_brain::BrainError::Internal(e.to_string()))??;
        cache.insert(twin.clone(), (stamp, answerer.clone()));
        Ok(answerer)
    }

    /// Asks a twin a question: retrieval, then a streamed answer.
    pub async fn ask_stream(
        &self,
        twin: &TwinId,
        request: AskRequest,
        cancel: CancelToken,
    ) -> Result<(Retrieval, UnboundedReceiver<AnswerEvent>), EngineError> {
        let answerer = self.answerer(twin).await?;
        let retrieval = self.retrieve(twin, &request.question, RETRIEVED_PER_QUESTION).await?;
        let question = Question {
            text: request.question,
            sources: self.prompt_sources(twin, &retrieval.sources),
            session_id: request.session_id,
            prosody: request.prosody,
            retrieval_ms: Some(retrieval.milliseconds),
            max_tokens: request.max_tokens,
        };
        Ok((retrieval, answerer.ask(question, cancel)))
    }

    /// [`Engine::ask_stream`] collected into the final answer.
    pub async fn ask(&self, twin: &TwinId, request: AskRequest, cancel: CancelToken) -> Result<AskReport, EngineError> {
        let (retrieval, mut events) = self.ask_stream(twin, request, cancel).await?;
        while let Some(event) = events.recv().await {
            match event {
                AnswerEvent::Finished(answer) => {
                    return Ok(AskReport { answer: *answer, retrieved_files: retrieval.files });
                }
                AnswerEvent::Failed(e) => return Err(e.into()),
                _ => {}
            }
        }
        Err(alter_brain::BrainError::Internal("the answer stream ended without a result".into()).into())
    }
}
