//! Generation on the model thread: prefix reuse, prefill, the decode loop,
//! stop sequences and UTF-8-safe streaming.
//!
//! The engine keeps the KV cache of the last sequence it processed plus one
//! pinned prefix (the persona). A new prompt reuses the longest token prefix
//! it shares with either, so only the suffix is computed.
//! Context policy: a prompt that leaves fewer than `min(max_tokens, 64)`
//! free positions is rejected with [`LlmError::ContextOverflow`] — the caller
//! (who knows which turns and sources matter) shortens it; we never drop
//! tokens silently. Generation stops with [`FinishReason::Length`] when the
//! window fills up.

use std::sync::Arc;
use std::time::Instant;

use alter_core::CancelToken;
use serde::{Deserialize, Serialize};

use crate::chat::{ChatMessage, ChatTemplate, Ending};
use crate::error::LlmError;
use crate::lookup;
use crate::model::{KvCache, Model};
use crate::sampling::{Rng, SamplingParams, sample};
use crate::tokenizer::{TokenId, Tokenizer, Utf8Stream};

/// Tokens processed per forward call in prefill: bounds the attention
/// scores' memory and how long a cancelled prefill runs on (a chunk); 128
/// prefilled 1024 tokens about 10 % faster than 512 here.
pub(crate) const PREFILL_CHUNK: usize = 128;

/// Guessed tokens checked per pass while decoding (`lookup`).
const GUESSES: usize = 4;

/// What to generate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GenerateRequest {
    pub messages: Vec<ChatMessage>,
    pub params: SamplingParams,
    /// Extra stop strings; the answer ends before the first one (not included).
    pub stop: Vec<String>,
    /// Strings the answer may not begin with (leading whitespace aside), such
    /// as a citation marker: a small model that opens with `[1]` tends to go
    /// on copying the source's heading instead of answering.
    pub no_leading: Vec<String>,
    pub max_tokens: usize,
}

impl GenerateRequest {
    pub fn new(messages: Vec<ChatMessage>) -> Self {
        Self { messages, params: SamplingParams::default(), stop: Vec::new(), no_leading: Vec::new(), max_tokens: 256 }
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// The model ended its turn.
    EndOfTurn,
    /// A stop string appeared.
    Stop,
    /// `max_tokens` reached.
    MaxTokens,
    /// The context window is full.
    Length,
}

/// Figures about one generation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GenerationStats {
    pub finish: FinishReason,
    pub prompt_tokens: usize,
    /// Prompt tokens whose KV state was reused instead of computed.
    pub reused_tokens: usize,
    pub generated_tokens: usize,
    /// Generated tokens that were guessed ahead (`lookup`) and confirmed in
    /// a pass that checked several at once.
    #[serde(default)]
    pub guessed_tokens: usize,
    pub prefill_ms: f64,
    /// From request start to the first text piece.
    pub first_token_ms: f64,
    pub total_ms: f64,
    /// The full answer text (stop string excluded).
    pub text: String,
}

/// A streamed event.
#[derive(Debug)]
pub enum GenEvent {
    /// A piece of answer text (whole UTF-8 characters; may be empty for a
    /// token that completes nothing yet is never sent).
    Token {
        id: TokenId,
        text: String,
    },
    Done(GenerationStats),
    Error(LlmError),
}

/// Model, tokenizer, template and cache state; lives on the model thread.
pub struct Engine {
    pub model: Model,
    pub tok: Arc<Tokenizer>,
    pub template: ChatTemplate,
    cache: KvCache,
    pinned: Option<KvCache>,
    end_ids: Vec<TokenId>,
}

fn common_prefix(a: &[TokenId], b: &[TokenId]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

impl Engine {
    pub fn new(model: Model, tok: Arc<Tokenizer>, template: ChatTemplate) -> Self {
        let mut end_ids: Vec<TokenId> = template.end_tokens().iter().filter_map(|t| tok.token_id(t)).collect();
        end_ids.extend(tok.eos);
        Self { model, tok, template, cache: KvCache::default(), pinned: None, end_ids }
    }

    /// Drops the live KV state (kept: the pinned prefix), e.g. after a
    /// request failed half-way and the cache may not match its tokens.
    pub fn forget_live_cache(&mut self) {
        self.cache = KvCache::default();
    }

    pub fn context_length(&self) -> usize {
        self.model.cfg.ctx_len
    }

    /// Bytes of KV state currently held (live cache plus pinned prefix).
    pub fn kv_bytes(&self) -> usize {
        self.cache.n_bytes() + self.pinned.as_ref().map_or(0, KvCache::n_bytes)
    }

    /// Tokenize a conversation with the model's template.
    pub fn tokenize(&self, messages: &[ChatMessage], ending: Ending) -> Vec<TokenId> {
        self.template.tokenize_as(&self.tok, messages, ending)
    }

    /// Make the live cache hold exactly `tokens` (reusing the longest shared
    /// prefix) and return the logits after the last one plus the reused count.
    fn sync(&mut self, tokens: &[TokenId], cancel: &CancelToken) -> Result<(Vec<f32>, usize), LlmError> {
        let live = common_prefix(&self.cache.tokens, tokens);
        if let Some(p) = &self.pinned {
            let pin = common_prefix(&p.tokens, tokens);
            if pin > live {
                self.cache = p.clone();
            }
        }
        // Keep at least one token to run so that we get logits.
        let reuse = common_prefix(&self.cache.tokens, tokens).min(tokens.len() - 1);
        self.cache.truncate(reuse)?;
        let mut logits = Vec::new();
        for chunk in tokens[reuse..].chunks(PREFILL_CHUNK) {
            if cancel.is_cancelled() {
                return Err(LlmError::Cancelled);
            }
            logits = self.model.forward(&mut self.cache, chunk)?;
        }
        Ok((logits, reuse))
    }

    fn check_fits(&self, n: usize, reserve: usize) -> Result<(), LlmError> {
        let ctx = self.context_length();
        if n == 0 {
            return Err(LlmError::InvalidRequest("the prompt is empty".into()));
        }
        if n + reserve > ctx {
            return Err(LlmError::ContextOverflow { prompt_tokens: n, context: ctx, reserve });
        }
        Ok(())
    }

    /// Prefill a conversation into the live cache without generating; returns
    /// (tokens in prompt, tokens computed now).
    pub fn prefill(
        &mut self,
        messages: &[ChatMessage],
        ending: Ending,
        cancel: &CancelToken,
    ) -> Result<(usize, usize), LlmError> {
        let tokens = self.tokenize(messages, ending);
        self.check_fits(tokens.len(), 1)?;
        let (_, reused) = self.sync(&tokens, cancel)?;
        Ok((tokens.len(), tokens.len() - reused))
    }

    /// Prefill and pin a prefix (the persona) so every later prompt that
    /// starts with it skips those tokens, whatever ran in between.
    pub fn pin_prefix(&mut self, messages: &[ChatMessage], cancel: &CancelToken) -> Result<usize, LlmError> {
        let tokens = self.tokenize(messages, Ending::Closed);
        self.check_fits(tokens.len(), 1)?;
        self.sync(&tokens, cancel)?;
        // `sync` leaves the last token unprocessed only when nothing new ran.
        let mut pin = self.cache.clone();
        pin.truncate(tokens.len())?;
        self.pinned = Some(pin);
        Ok(tokens.len())
    }

    /// The logits after `id`, the token just chosen. If it is the first of
    /// the guesses in the cache, they were computed already; otherwise the
    /// guesses are dropped and `id` runs, together with up to [`GUESSES`] new
    /// guesses (no more than `room`) that follow it in the text so far.
    fn next_logits(
        &mut self,
        id: TokenId,
        ahead: &mut Vec<(TokenId, Vec<f32>)>,
        room: usize,
        guessed: &mut usize,
    ) -> Result<Vec<f32>, LlmError> {
        if ahead.first().is_some_and(|(g, _)| *g == id) {
            *guessed += 1;
            return Ok(ahead.remove(0).1);
        }
        self.drop_guesses(ahead)?;
        let room = room.min(self.context_length().saturating_sub(self.cache.len() + 1));
        let guesses = lookup::draft(&self.cache.tokens, id, GUESSES.min(room));
        if guesses.is_empty() {
            return self.model.forward(&mut self.cache, &[id]);
        }
        let mut run = vec![id];
        run.extend(&guesses);
        let mut all = self.model.forward_all(&mut self.cache, &run)?.into_iter();
        let next = all.next().unwrap_or_default();
        *ahead = guesses.into_iter().zip(all).collect();
        Ok(next)
    }

    /// Removes unconfirmed guesses from the cache.
    fn drop_guesses(&mut self, ahead: &mut Vec<(TokenId, Vec<f32>)>) -> Result<(), LlmError> {
        let keep = self.cache.len() - ahead.len();
        ahead.clear();
        self.cache.truncate(keep)
    }

    /// Generate an answer, sending events to `emit` (returns false when the receiver is gone).
    pub fn generate(
        &mut self,
        req: &GenerateRequest,
        cancel: &CancelToken,
        emit: &mut dyn FnMut(GenEvent) -> bool,
    ) -> Result<GenerationStats, LlmError> {
        let t0 = Instant::now();
        if req.messages.is_empty() || req.messages.iter().all(|m| m.content.trim().is_empty()) {
            return Err(LlmError::InvalidRequest("the conversation is empty".into()));
        }
        let tokens = self.tokenize(&req.messages, Ending::AssistantTurn);
        let reserve = req.max_tokens.clamp(1, 64);
        self.check_fits(tokens.len(), reserve)?;
        let (mut logits, reused) = self.sync(&tokens, cancel)?;
        let prefill_ms = t0.elapsed().as_secs_f64() * 1e3;
        let mut rng = Rng::new(req.params.seed);
        let mut utf8 = Utf8Stream::default();
        let mut text = String::new();
        let mut sent = 0usize;
        let mut first_token_ms = 0.0;
        let mut generated = 0usize;
        let no_leading = self.tok.ids_starting_with(&req.no_leading, logits.len());
        let stops: Vec<&str> = req.stop.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
        let max_stop = stops.iter().map(|s| s.len()).max().unwrap_or(0);
        // Guessed tokens already in the cache, each with the logits after it (`lookup`).
        let mut ahead: Vec<(TokenId, Vec<f32>)> = Vec::new();
        let mut guessed = 0usize;
        let finish = loop {
            if cancel.is_cancelled() {
                self.drop_guesses(&mut ahead)?;
                return Err(LlmError::Cancelled);
            }
            if generated >= req.max_tokens {
                break FinishReason::MaxTokens;
            }
            if text.trim().is_empty() {
                for &id in &no_leading {
                    logits[id as usize] = f32::NEG_INFINITY;
                }
            }
            // The cache may run ahead with guesses not yet confirmed; they are not history.
            let history = &self.cache.tokens[..self.cache.len() - ahead.len()];
            let id = sample(&mut logits, history, &req.params, &mut rng);
            if self.end_ids.contains(&id) {
                break FinishReason::EndOfTurn;
            }
            generated += 1;
            text.push_str(&utf8.push(&self.tok.token_bytes(id, false)));
            // Search from a little before the text already sent (a stop string may straddle it).
            let mut from = sent.saturating_sub(max_stop);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            if let Some(p) = stops.iter().filter_map(|s| text[from..].find(s).map(|p| p + from)).min() {
                text.truncate(p);
                if p > sent && !emit(GenEvent::Token { id, text: text[sent..].to_owned() }) {
                    return Err(LlmError::Cancelled);
                }
                sent = text.len();
                break FinishReason::Stop;
            }
            // Hold back a tail that could still become a stop string.
            let mut safe = text.len().saturating_sub(max_stop.saturating_sub(1));
            while safe > sent && !text.is_char_boundary(safe) {
                safe -= 1;
            }
            if safe > sent {
                if first_token_ms == 0.0 {
                    first_token_ms = t0.elapsed().as_secs_f64() * 1e3;
                }
                if !emit(GenEvent::Token { id, text: text[sent..safe].to_owned() }) {
                    return Err(LlmError::Cancelled);
                }
                sent = safe;
            }
            if self.cache.len() - ahead.len() + 1 > self.context_length() {
                break FinishReason::Length;
            }
            let room = req.max_tokens.saturating_sub(generated);
            logits = self.next_logits(id, &mut ahead, room, &mut guessed)?;
        };
        self.drop_guesses(&mut ahead)?;
        if finish != FinishReason::Stop {
            text.push_str(&utf8.finish());
            if text.len() > sent {
                if first_token_ms == 0.0 {
                    first_token_ms = t0.elapsed().as_secs_f64() * 1e3;
                }
                emit(GenEvent::Token { id: 0, text: text[sent..].to_owned() });
            }
        }
        Ok(GenerationStats {
            finish,
            prompt_tokens: tokens.len(),
            reused_tokens: reused,
            generated_tokens: generated,
            guessed_tokens: guessed,
            prefill_ms,
            first_token_ms,
            total_ms: t0.elapsed().as_secs_f64() * 1e3,
            text,
        })
    }
}
