//! The model thread and its handle.
//!
//! [`Llm::load`] reads the GGUF on the caller's thread (so load errors come
//! back directly), then moves the engine onto a dedicated thread with its own
//! rayon pool of `threads` workers. [`LlmHandle`]s (cheap to clone, `Send`)
//! post jobs over a channel; the thread runs them strictly one after another,
//! so two requests are queued, never interleaved. Tokens stream back over a
//! tokio unbounded channel, usable from async code (`recv().await`) and from
//! plain threads (`blocking_recv`). A job whose [`CancelToken`] fires stops
//! at the next token (or the next prefill chunk) and reports `Cancelled`.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;

use alter_core::CancelToken;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::chat::{ChatMessage, ChatTemplate, Ending};
use crate::engine::{Engine, GenEvent, GenerateRequest, GenerationStats};
use crate::error::LlmError;
use crate::gguf::{MetaValue, read_header};
use crate::model::{Model, ModelConfig};
use crate::tokenizer::{TokenId, Tokenizer};

/// How to load a model.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Worker threads for this model's matrix work.
    pub threads: usize,
    /// Cap on the context window (KV memory grows with it).
    pub max_context: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self { threads: n, max_context: 8192 }
    }
}

/// Facts about the loaded model.
#[derive(Debug, Clone)]
pub struct ModelInfo {
    pub architecture: String,
    pub name: String,
    pub context_length: usize,
    pub vocab_size: usize,
    pub weight_bytes: usize,
}

type Reply<T> = mpsc::Sender<Result<T, LlmError>>;

enum Job {
    Generate { req: GenerateRequest, cancel: CancelToken, tx: UnboundedSender<GenEvent> },
    Prefill { messages: Vec<ChatMessage>, ending: Ending, cancel: CancelToken, tx: Reply<(usize, usize)> },
    Pin { messages: Vec<ChatMessage>, cancel: CancelToken, tx: Reply<usize> },
    KvBytes { tx: Reply<usize> },
}

/// A loaded model running on its own thread. Dropping it stops the thread
/// once queued jobs are done and every handle is dropped.
pub struct Llm {
    handle: LlmHandle,
    thread: Option<JoinHandle<()>>,
}

/// A cheap, clonable, `Send` handle to the model thread.
#[derive(Clone)]
pub struct LlmHandle {
    tx: mpsc::Sender<Job>,
    tok: Arc<Tokenizer>,
    template: ChatTemplate,
    info: Arc<ModelInfo>,
}

impl Llm {
    /// Load a GGUF model (qwen2 or llama architecture, byte-level BPE tokenizer).
    pub fn load(path: &Path, opts: &LoadOptions) -> Result<Llm, LlmError> {
        let header = read_header(path)?;
        let tok = Arc::new(Tokenizer::from_gguf(&header)?);
        let tpl = header.metadata.get("tokenizer.chat_template").and_then(MetaValue::as_str);
        let template = ChatTemplate::detect(tpl, &tok)?;
        let cfg = ModelConfig::from_gguf(&header, opts.max_context)?;
        let mut file = File::open(path)?;
        let model = Model::load(&mut file, &header, cfg)?;
        let str_meta = |k: &str| header.metadata.get(k).and_then(MetaValue::as_str).unwrap_or("").to_owned();
        let info = Arc::new(ModelInfo {
            architecture: str_meta("general.architecture"),
            name: str_meta("general.name"),
            context_length: model.cfg.ctx_len,
            vocab_size: tok.vocab_size(),
            weight_bytes: model.weight_bytes,
        });
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads.max(1))
            .thread_name(|i| format!("alter-llm-{i}"))
            .build()
            .map_err(|e| LlmError::Internal(e.to_string()))?;
        let mut engine = Engine::new(model, tok.clone(), template.clone());
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("alter-llm".into())
            .spawn(move || pool.install(|| run(&mut engine, rx)))?;
        Ok(Llm { handle: LlmHandle { tx, tok, template, info }, thread: Some(thread) })
    }

    pub fn handle(&self) -> LlmHandle {
        self.handle.clone()
    }
}

impl std::ops::Deref for Llm {
    type Target = LlmHandle;
    fn deref(&self) -> &LlmHandle {
        &self.handle
    }
}

impl Drop for Llm {
    fn drop(&mut self) {
        // Closing our sender lets the thread end once other handles are gone;
        // we do not join, so dropping never blocks on a long generation.
        self.thread.take();
    }
}

fn run(engine: &mut Engine, rx: mpsc::Receiver<Job>) {
    while let Ok(job) = rx.recv() {
        // A bug hit by one request must not take the model down for every
        // later one: its reply channel closes (the caller sees an error) and
        // the half-updated KV state is dropped.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| serve(engine, job))).is_err() {
            engine.forget_live_cache();
        }
    }
}

fn serve(engine: &mut Engine, job: Job) {
    match job {
        Job::Generate { req, cancel, tx } => {
            let mut emit = |e: GenEvent| tx.send(e).is_ok();
            let res = if cancel.is_cancelled() {
                Err(LlmError::Cancelled)
            } else {
                engine.generate(&req, &cancel, &mut emit)
            };
            let _ = tx.send(match res {
                Ok(stats) => GenEvent::Done(stats),
                Err(e) => GenEvent::Error(e),
            });
        }
        Job::Prefill { messages, ending, cancel, tx } => {
            let _ = tx.send(engine.prefill(&messages, ending, &cancel));
        }
        Job::Pin { messages, cancel, tx } => {
            let _ = tx.send(engine.pin_prefix(&messages, &cancel));
        }
        Job::KvBytes { tx } => {
            let _ = tx.send(Ok(engine.kv_bytes()));
        }
    }
}

impl LlmHandle {
    fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Job) -> Result<T, LlmError> {
        let (tx, rx) = mpsc::channel();
        self.tx.send(make(tx)).map_err(|_| LlmError::Stopped)?;
        rx.recv().map_err(|_| LlmError::Stopped)?
    }

    /// Queue a generation; events arrive on the returned receiver, ending
    /// with exactly one `Done` or `Error`.
    pub fn generate(&self, req: GenerateRequest, cancel: CancelToken) -> Result<UnboundedReceiver<GenEvent>, LlmError> {
        let (tx, rx) = unbounded_channel();
        self.tx.send(Job::Generate { req, cancel, tx }).map_err(|_| LlmError::Stopped)?;
        Ok(rx)
    }

    /// Generate and wait for the whole answer (blocking; not for async tasks).
    pub fn generate_blocking(&self, req: GenerateRequest, cancel: CancelToken) -> Result<GenerationStats, LlmError> {
        let mut rx = self.generate(req, cancel)?;
        while let Some(ev) = rx.blocking_recv() {
            match ev {
                GenEvent::Token { .. } => {}
                GenEvent::Done(s) => return Ok(s),
                GenEvent::Error(e) => return Err(e),
            }
        }
        Err(LlmError::Stopped)
    }

    /// Prefill a conversation (e.g. persona + sources + the partial question,
    /// with `Ending::Open`) so that a later `generate` whose prompt starts with
    /// the same tokens computes only the rest. Blocks until done; returns
    /// (prompt tokens, tokens computed now).
    pub fn prefill(
        &self,
        messages: Vec<ChatMessage>,
        ending: Ending,
        cancel: CancelToken,
    ) -> Result<(usize, usize), LlmError> {
        self.call(|tx| Job::Prefill { messages, ending, cancel, tx })
    }

    /// Prefill and pin a prefix (the persona's system message) that every
    /// later prompt starting with it reuses, across turns and sessions.
    /// Blocks until done; returns the prefix length in tokens.
    pub fn prefill_prefix(&self, messages: Vec<ChatMessage>, cancel: CancelToken) -> Result<usize, LlmError> {
        self.call(|tx| Job::Pin { messages, cancel, tx })
    }

    /// Bytes of KV cache held (live plus pinned).
    pub fn kv_bytes(&self) -> Result<usize, LlmError> {
        self.call(|tx| Job::KvBytes { tx })
    }

    pub fn tokenizer(&self) -> &Arc<Tokenizer> {
        &self.tok
    }

    pub fn chat_template(&self) -> &ChatTemplate {
        &self.template
    }

    pub fn context_length(&self) -> usize {
        self.info.context_length
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Prompt length in tokens of a conversation, as `generate` would see it.
    pub fn count_tokens(&self, messages: &[ChatMessage]) -> usize {
        self.template.tokenize(&self.tok, messages).len()
    }

    /// Token ids of a conversation, as `generate` would see it.
    pub fn prompt_tokens(&self, messages: &[ChatMessage]) -> Vec<TokenId> {
        self.template.tokenize(&self.tok, messages)
    }
}
