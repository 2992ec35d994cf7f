//! The [`Answerer`]: one question in, a stream of events out.
//!
//! Order of decisions, cheapest first: empty question (error), a language
//! the twin does not speak (polite reply in its first language), a request
//! to commit the owner (refusal), a topic the owner declines, weak retrieval
//! evidence against the calibrated threshold (decline); otherwise the
//! grounded prompt goes to the model and tokens stream back. Sentences are
//! released as soon as they are complete so speech can start early; the
//! first one is checked for a model-level decline and, if so, the model is
//! stopped and the twin's own decline line is spoken instead. Citations,
//! the style score and timings come with the final event.
//!
//! One question at a time per answerer: a second `ask` waits for the first
//! (the model thread also queues), so answers never interleave. The persona
//! system message is the same for every question so its KV cache is reused.

use std::sync::Arc;
use std::time::Instant;

use alter_core::{CancelToken, TwinParams};
use alter_llm::{ChatMessage, Ending, GenEvent, GenerateRequest, LlmHandle, SamplingParams};
use alter_persona::lang::{self, Lang};
use alter_persona::{PersonaProfile, StyleModel, persona_prompt};
use serde::Serialize;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::cite::{Citation, cite, support};
use crate::decline::{self, DeclineCalibration, DeclineLine, Evidence};
use crate::emotion::{EmotionReading, ProsodyHints, ReplyEmotion, UserEmotion, read_emotion};
use crate::error::BrainError;
use crate::guard;
use crate::memory::{Memory, Turn};
use crate::prompt::{self, PromptInput, PromptMessage, PromptRole};
use crate::relevance;
use crate::source::Source;
use crate::stream::{Sentence, SentenceSplitter};

/// The persona the answerer speaks as.
#[derive(Debug, Clone)]
pub struct PersonaContext {
    pub profile: PersonaProfile,
    pub params: TwinParams,
    /// The "sounds like me" model, when the build trained one.
    pub style_model: Option<StyleModel>,
}

/// Tunables.
#[derive(Debug, Clone)]
pub struct AnswerOptions {
    pub max_tokens: usize,
    pub sampling: SamplingParams,
    /// Past turns (user + twin) offered to the prompt, before the token budget trims them.
    pub history_turns: usize,
    /// What the twin knows about, suggested in declines (e.g. document titles).
    pub topics: Vec<String>,
}

impl Default for AnswerOptions {
    fn default() -> Self {
        Self { max_tokens: 160, sampling: SamplingParams::greedy(), history_turns: 8, topics: Vec::new() }
    }
}

/// One question.
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub text: String,
    /// Retrieved sources, best first.
    pub sources: Vec<Source>,
    /// Conversation session (turns and user facts are stored under it); `None`: nothing is stored.
    pub session_id: Option<String>,
    /// Prosody hints when the question was spoken.
    pub prosody: Option<ProsodyHints>,
    /// How long retrieval took, for the timings.
    pub retrieval_ms: Option<f64>,
    /// A tighter cap on the answer's tokens than the answerer's own (the
    /// build's self-test grades the first sentences only).
    pub max_tokens: Option<usize>,
}

/// Why the twin declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// Retrieval evidence below the calibrated threshold.
    WeakRetrieval,
    /// The model said its sources do not support an answer, or its answer shares nothing with them.
    ModelDeclined,
    /// A request to approve, promise, sign or pay.
    Commitment,
    /// A topic the owner asked the twin not to discuss.
    DeclinedTopic,
    /// Neither English nor Chinese.
    UnsupportedLanguage,
}

/// Per-stage timings in milliseconds (from the `ask` call).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    pub retrieval: Option<f64>,
    /// Prompt assembly, memory included.
    pub prompt: f64,
    pub prefill: Option<f64>,
    pub first_token: Option<f64>,
    /// First sentence ready for speech.
    pub first_sentence: Option<f64>,
    pub total: f64,
}

/// The finished answer (the `ask --json` payload).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// With `[n]` markers.
    pub answer: String,
    /// For speech.
    pub spoken: String,
    pub citations: Vec<Citation>,
    pub declined: bool,
    pub decline_reason: Option<DeclineReason>,
    pub emotion: ReplyEmotion,
    pub user_emotion: UserEmotion,
    pub language: Lang,
    pub style_score: Option<f32>,
    pub evidence: Evidence,
    pub timings_ms: Timings,
    pub prompt_tokens: usize,
    pub reused_tokens: usize,
    pub generated_tokens: usize,
}

/// What `ask` streams.
#[derive(Debug)]
pub enum AnswerEvent {
    /// Before any text: the language and the emotion to show.
    Started {
        language: Lang,
        emotion: EmotionReading,
    },
    /// A piece of raw model text.
    Token(String),
    /// A complete sentence, ready for speech.
    Sentence(Sentence),
    Finished(Box<Answer>),
    Failed(BrainError),
}

/// What one generation of the answer gave.
struct Attempt {
    /// The model's text, markers included.
    raw: String,
    /// The first sentence said the sources do not answer.
    early_decline: bool,
    /// The first sentence shares no topic with the question.
    off_topic: bool,
}

struct Inner {
    llm: LlmHandle,
    persona: PersonaContext,
    /// The persona's system message, pinned in the KV cache.
    system: PromptMessage,
    calibration: DeclineCalibration,
    memory: Option<Memory>,
    options: AnswerOptions,
    lock: tokio::sync::Mutex<()>,
}

/// Answers questions as the owner. Cheap to clone.
#[derive(Clone)]
pub struct Answerer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Answerer")
    }
}

/// Sends an accepted sentence, after the tokens held back until the first
/// one was judged.
fn release(
    s: Sentence,
    held: &mut Option<Vec<String>>,
    answer: &mut Answer,
    started: Instant,
    tx: &UnboundedSender<AnswerEvent>,
) {
    for t in held.take().unwrap_or_default() {
        let _ = tx.send(AnswerEvent::Token(t));
    }
    if answer.timings_ms.first_sentence.is_none() {
        answer.timings_ms.first_sentence = Some(ms(started));
    }
    let _ = tx.send(AnswerEvent::Sentence(s));
}

/// Milliseconds since `t`.
fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn to_chat(messages: &[PromptMessage]) -> Vec<ChatMessage> {
    messages
        .iter()
        .map(|m| match m.role {
            PromptRole::System => ChatMessage::system(m.content.clone()),
            PromptRole::User => ChatMessage::user(m.content.clone()),
            PromptRole::Assistant => ChatMessage::assistant(m.content.clone()),
        })
        .collect()
}

impl Answerer {
    pub fn new(
        llm: LlmHandle,
        persona: PersonaContext,
        calibration: DeclineCalibration,
        memory: Option<Memory>,
        options: AnswerOptions,
    ) -> Self {
        // One system message in the owner's main language for every question: its KV cache stays valid.
        let main = persona.profile.style.main_language();
        let system = prompt::system_message(&persona_prompt(&persona.profile, &persona.params, main));
        Self {
            inner: Arc::new(Inner {
                llm,
                persona,
                system,
                calibration,
                memory,
                options,
                lock: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The owner's display name (explicit parameter first, then learned).
    pub fn owner_name(&self) -> String {
        alter_persona::prompt::effective_persona(&self.inner.persona.profile, &self.inner.persona.params).name
    }

    /// Prefills and pins the persona system message (blocking; call once
    /// when the twin loads, from a blocking context). Returns its tokens.
    pub fn pin_persona_blocking(&self, cancel: CancelToken) -> Result<usize, BrainError> {
        Ok(self.inner.llm.prefill_prefix(to_chat(std::slice::from_ref(&self.inner.system)), cancel)?)
    }

    /// Anticipatory prefill while the user is still speaking: the prompt for
    /// the partial transcript, up to the question text, so that at the end
    /// of speech only the rest is computed. Returns (prompt tokens, computed
    /// now). Cancelled, it stops after the chunk under way and keeps what it
    /// computed.
    pub async fn anticipate(
        &self,
        partial: &str,
        sources: &[Source],
        session_id: Option<&str>,
        cancel: CancelToken,
    ) -> Result<(usize, usize), BrainError> {
        let history = self.history(session_id).await?;
        let lang = lang::reply_language(lang::detect(partial), &self.inner.persona.params.languages);
        let input = PromptInput {
            system: &self.inner.system,
            sources,
            history: &history,
            user_facts: &[],
            question: partial,
            lang,
            budget_tokens: self.budget(),
        };
        let mut messages = self.messages(&input);
        if let Some(last) = messages.last_mut() {
            // Stop right after the partial question: everything before it is what the final prompt shares.
            let cut = last
                .content
                .rfind(&format!("\n{}", prompt::question_label(lang)))
                .map(|i| i + 1 + prompt::question_label(lang).len() + prompt::clean_question(partial).len());
            if let Some(cut) = cut.filter(|c| last.content.is_char_boundary(*c)) {
                last.content.truncate(cut);
            }
        }
        let llm = self.inner.llm.clone();
        let chat = to_chat(&messages);
        tokio::task::spawn_blocking(move || llm.prefill(chat, Ending::Open, cancel))
            .await
            .map_err(|e| BrainError::Internal(e.to_string()))?
            .map_err(BrainError::from)
    }

    fn budget(&self) -> usize {
        self.inner.llm.context_length().saturating_sub(self.inner.options.max_tokens + 32)
    }

    fn messages(&self, input: &PromptInput<'_>) -> Vec<PromptMessage> {
        let tok = self.inner.llm.tokenizer().clone();
        let count = move |s: &str| tok.encode(s, false).len();
        prompt::grounded_messages_with(input, &count)
    }

    async fn history(&self, session_id: Option<&str>) -> Result<Vec<Turn>, BrainError> {
        match (&self.inner.memory, session_id) {
            (Some(mem), Some(s)) => mem.recent_turns(s, self.inner.options.history_turns).await,
            _ => Ok(Vec::new()),
        }
    }

    /// Answers a question; events arrive on the receiver, ending with
    /// exactly one `Finished` or `Failed`. Must be called inside a Tokio runtime.
    pub fn ask(&self, question: Question, cancel: CancelToken) -> UnboundedReceiver<AnswerEvent> {
        let (tx, rx) = unbounded_channel();
        let this = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let _turn = this.inner.lock.lock().await;
            if let Err(e) = this.run(question, cancel, started, &tx).await {
                let _ = tx.send(AnswerEvent::Failed(e));
            }
        });
        rx
    }

    /// [`Answerer::ask`] collected into the final answer.
    pub async fn ask_full(&self, question: Question, cancel: CancelToken) -> Result<Answer, BrainError> {
        let mut rx = self.ask(question, cancel);
        while let Some(ev) = rx.recv().await {
            match ev {
                AnswerEvent::Finished(a) => return Ok(*a),
                AnswerEvent::Failed(e) => return Err(e),
                _ => {}
            }
        }
        Err(BrainError::Internal("the answer stream ended without a result".into()))
    }

    async fn run(
        &self,
        q: Question,
        cancel: CancelToken,
        started: Instant,
        tx: &UnboundedSender<AnswerEvent>,
    ) -> Result<(), BrainError> {
        let text = prompt::clean_question(&q.text);
        if !text.chars().any(char::is_alphanumeric) {
            return Err(BrainError::EmptyQuestion);
        }
        cancel.check().map_err(|_| BrainError::Cancelled)?;
        let params = &self.inner.persona.params;
        let detected = lang::detect(&text);
        let language = lang::reply_language(detected, &params.languages);
        let emotion = read_emotion(&text, q.prosody.as_ref());
        let _ = tx.send(AnswerEvent::Started { language, emotion: emotion.clone() });
        let owner = self.owner_name();
        let evidence = Evidence::of(&text, &q.sources);
        let mut answer = Answer {
            answer: String::new(),
            spoken: String::new(),
            citations: Vec::new(),
            declined: false,
            decline_reason: None,
            emotion: emotion.reply,
            user_emotion: emotion.user,
            language,
            style_score: None,
            evidence,
            timings_ms: Timings { retrieval: q.retrieval_ms, ..Timings::default() },
            prompt_tokens: 0,
            reused_tokens: 0,
            generated_tokens: 0,
        };
        if let Some(mem) = (q.session_id.as_deref()).and(self.inner.memory.as_ref()) {
            let session = q.session_id.as_deref().unwrap_or_default();
            mem.record(
                session,
                &Turn { emotion: Some(format!("{:?}", emotion.user).to_lowercase()), ..Turn::user(&text) },
            )
            .await?;
        }
        let zh = language == Lang::Zh;
        let canned = if detected == Lang::Other {
            Some((decline::unsupported_language_message(language), DeclineReason::UnsupportedLanguage))
        } else if let Some(kind) = guard::commitment_request(&text) {
            Some((guard::commitment_refusal(kind, &owner, zh), DeclineReason::Commitment))
        } else if let Some(topic) = params
            .decline_topics
            .iter()
            .find(|t| !t.trim().is_empty() && text.to_lowercase().contains(&t.trim().to_lowercase()))
        {
            let line = if zh {
                format!("抱歉，我不谈论{}。", topic.trim())
            } else {
                format!("Sorry, I'd rather not discuss {}.", topic.trim())
            };
            Some((line, DeclineReason::DeclinedTopic))
        } else if q.sources.is_empty() || self.inner.calibration.should_decline(&evidence) {
            let line = DeclineLine { owner: &owner, topics: &self.inner.options.topics };
            Some((decline::decline_message(language, &line), DeclineReason::WeakRetrieval))
        } else {
            None
        };
        if let Some((line, reason)) = canned {
            answer.declined = true;
            answer.decline_reason = Some(reason);
            answer.emotion = if reason == DeclineReason::Commitment { ReplyEmotion::Neutral } else { emotion.reply };
            answer.answer = line.clone();
            answer.spoken = line.clone();
            answer.timings_ms.first_sentence = Some(ms(started));
            let _ = tx.send(AnswerEvent::Sentence(Sentence { index: 0, text: line.clone(), spoken: line }));
            return self.finish(answer, q.session_id.as_deref(), started, tx).await;
        }

        let history = self.history(q.session_id.as_deref()).await?;
        // The current question was just stored; the prompt carries it separately.
        let history: Vec<Turn> = history.into_iter().rev().skip(usize::from(q.session_id.is_some())).rev().collect();
        let user_facts = match (&self.inner.memory, q.session_id.as_deref()) {
            (Some(mem), Some(s)) => mem.recall(s, &text, 3).await?,
            _ => Vec::new(),
        };
        let max_tokens =
            q.max_tokens.map_or(self.inner.options.max_tokens, |m| m.clamp(1, self.inner.options.max_tokens));
        let mut sources: &[Source] = &q.sources;
        let mut attempt = None;
        // An off-topic first sentence gets one more try, on the best passage alone.
        for focused in [false, true] {
            if focused {
                sources = &q.sources[..1];
                answer.timings_ms.first_token = None;
            }
            let input = PromptInput {
                system: &self.inner.system,
                sources,
                history: &history,
                user_facts: &user_facts,
                question: &text,
                lang: language,
                budget_tokens: self.budget(),
            };
            let messages = self.messages(&input);
            tracing::debug!(prompt = ?messages, "grounded prompt");
            answer.timings_ms.prompt = ms(started);
            let judge = (!focused && q.sources.len() > 1).then_some(text.as_str());
            let a = self
                .attempt(to_chat(&messages), max_tokens, judge, sources.len(), &mut answer, started, &cancel, tx)
                .await?;
            let retry = a.off_topic;
            attempt = Some(a);
            if !retry {
                break;
            }
        }
        let Attempt { raw, early_decline, .. } = attempt.expect("at least one attempt");
        tracing::debug!(raw = %raw, early_decline, "model answer");
        let cited = cite(&raw, sources);
        let grounded = !cited.citations.is_empty() || sources.iter().any(|s| support(&cited.spoken, s) >= 1.0);
        if early_decline || decline::model_declined(&cited.text) || !grounded {
            let line =
                decline::decline_message(language, &DeclineLine { owner: &owner, topics: &self.inner.options.topics });
            answer.declined = true;
            answer.decline_reason = Some(DeclineReason::ModelDeclined);
            if answer.timings_ms.first_sentence.is_none() {
                answer.timings_ms.first_sentence = Some(ms(started));
                let _ = tx.send(AnswerEvent::Sentence(Sentence { index: 0, text: line.clone(), spoken: line.clone() }));
            }
            answer.answer = line.clone();
            answer.spoken = line;
        } else {
            answer.answer = cited.text;
            answer.spoken = cited.spoken;
            answer.citations = cited.citations;
        }
        self.finish(answer, q.session_id.as_deref(), started, tx).await
    }

    /// One generation of the answer. Tokens are held back until the first
    /// sentence is known to be neither the model declining nor, when a
    /// question is given to judge by, off its topic: a rejected start is
    /// never shown or spoken.
    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        messages: Vec<ChatMessage>,
        max_tokens: usize,
        judge: Option<&str>,
        sources: usize,
        answer: &mut Answer,
        started: Instant,
        cancel: &CancelToken,
        tx: &UnboundedSender<AnswerEvent>,
    ) -> Result<Attempt, BrainError> {
        let mut req = GenerateRequest::new(messages);
        req.params = self.inner.options.sampling.clone();
        req.max_tokens = max_tokens;
        req.stop = vec!["\nQuestion:".into(), "<source".into(), "</source>".into(), "<|".into()];
        // A citation marker, a list number or talk of "Source [1]" first is
        // how the small model starts copying a passage instead of answering.
        req.no_leading = vec!["[".into(), "1.".into(), "Source".into()];
        let mut rx = self.inner.llm.generate(req, cancel.clone())?;
        let mut splitter = SentenceSplitter::for_sources(sources);
        let mut out = Attempt { raw: String::new(), early_decline: false, off_topic: false };
        let mut held: Option<Vec<String>> = Some(Vec::new());
        // Judges the first sentence: false stops the attempt.
        let first = |s: &Sentence, out: &mut Attempt| -> bool {
            if s.index != 0 {
                return true;
            }
            if decline::model_declined(&s.text) {
                out.early_decline = true;
            } else if judge.is_some_and(|q| !relevance::addresses(q, &s.text)) {
                out.off_topic = true;
            }
            !(out.early_decline || out.off_topic)
        };
        let mut stats = None;
        'tokens: while let Some(ev) = rx.recv().await {
            match ev {
                GenEvent::Token { text: piece, .. } => {
                    if answer.timings_ms.first_token.is_none() {
                        answer.timings_ms.first_token = Some(ms(started));
                    }
                    out.raw.push_str(&piece);
                    match held.as_mut() {
                        Some(h) => h.push(piece.clone()),
                        None => drop(tx.send(AnswerEvent::Token(piece.clone()))),
                    }
                    for s in splitter.push(&piece) {
                        if !first(&s, &mut out) {
                            break 'tokens; // dropping the receiver stops the model
                        }
                        release(s, &mut held, answer, started, tx);
                    }
                }
                GenEvent::Done(s) => {
                    stats = Some(s);
                    break;
                }
                GenEvent::Error(alter_llm::LlmError::Cancelled) => return Err(BrainError::Cancelled),
                GenEvent::Error(e) => return Err(e.into()),
            }
        }
        drop(rx);
        if let Some(s) = &stats {
            answer.timings_ms.prefill = Some(s.prefill_ms);
            answer.prompt_tokens = s.prompt_tokens;
            answer.reused_tokens = s.reused_tokens;
            answer.generated_tokens = s.generated_tokens;
            out.raw = s.text.clone();
        }
        if !(out.early_decline || out.off_topic)
            && let Some(last) = splitter.finish()
            && first(&last, &mut out)
        {
            release(last, &mut held, answer, started, tx);
        }
        Ok(out)
    }

    async fn finish(
        &self,
        mut answer: Answer,
        session: Option<&str>,
        started: Instant,
        tx: &UnboundedSender<AnswerEvent>,
    ) -> Result<(), BrainError> {
        answer.style_score =
            self.inner.persona.style_model.as_ref().filter(|_| !answer.declined).map(|m| m.score(&answer.spoken));
        if let (Some(mem), Some(s)) = (&self.inner.memory, session) {
            let turn = Turn {
                emotion: Some(answer.emotion.as_str().to_owned()),
                citations: answer.citations.clone(),
                declined: answer.declined,
                lang: answer.language,
                ..Turn::twin(&answer.answer)
            };
            mem.record(s, &turn).await?;
        }
        answer.timings_ms.total = started.elapsed().as_secs_f64() * 1000.0;
        let _ = tx.send(AnswerEvent::Finished(Box::new(answer)));
        Ok(())
    }
}
