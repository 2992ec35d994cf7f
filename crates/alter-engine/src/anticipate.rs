//! Anticipatory prefill: while the person is still speaking, each partial
//! caption is retrieved for and its prompt (persona, sources, the question so
//! far) prefilled, so that when they stop only the end of the question is
//! left for the model to read.
//!
//! The passages found for the newest partial are kept per twin. When the
//! final question's retrieval finds the same passages, in any order, the
//! answer quotes them in the anticipated order so the prefilled prompt is
//! reused up to the question; otherwise the final ones are used and the
//! work is redone from where the prompts part.
//!
//! Invariant: anticipation never changes what is answered, only how much of
//! the prompt is already computed when the question is asked.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use alter_brain::{BrainError, Source};
use alter_core::{CancelToken, TwinId};
use alter_llm::LlmError;
use serde::Serialize;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::brain::{RETRIEVED_PER_QUESTION, SOURCES_IN_PROMPT};
use crate::{Engine, EngineError};

/// The passages each twin's newest anticipation prefilled.
pub(crate) type Anticipations = Mutex<HashMap<TwinId, Vec<Source>>>;

/// What one anticipatory prefill did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Anticipated {
    /// The partial caption it was made for.
    pub partial: String,
    /// Tokens of the prompt up to the partial question.
    pub prompt_tokens: usize,
    /// Of those, the ones computed now (the rest were already in the cache).
    pub computed_tokens: usize,
    /// Whether it ran to the end; cut short when the speech ended, it kept
    /// the chunks it had computed, and the token counts are unknown (0).
    pub completed: bool,
    pub milliseconds: f64,
}

/// Who a listening turn anticipates for.
#[derive(Debug, Clone)]
pub struct AnticipateFor {
    pub twin: TwinId,
    pub session_id: Option<String>,
}

fn same_passage(a: &Source, b: &Source) -> bool {
    a.file == b.file && a.location == b.location && a.text == b.text
}

/// The final question's passages `best`, in the anticipated order when the
/// anticipation found the same ones with the same one first (the model leans
/// on the first, and an off-topic start is retried on it alone). Each keeps
/// the final question's scores: the evidence the answer is judged on.
fn prompt_order(anticipated: Option<Vec<Source>>, best: Vec<Source>) -> Vec<Source> {
    match anticipated {
        Some(a)
            if a.len() == best.len()
                && a.first().zip(best.first()).is_some_and(|(x, y)| same_passage(x, y))
                && a.iter().all(|x| best.iter().any(|y| same_passage(x, y))) =>
        {
            a.iter().filter_map(|x| best.iter().find(|y| same_passage(x, y)).cloned()).collect()
        }
        _ => best,
    }
}

impl Engine {
    /// Retrieves for a partial question and prefills its prompt (see the
    /// module documentation). Cancelled, the prefill stops after the chunk
    /// under way; what it computed is kept and reused all the same.
    pub async fn anticipate(
        &self,
        twin: &TwinId,
        partial: &str,
        session_id: Option<&str>,
        cancel: CancelToken,
    ) -> Result<Anticipated, EngineError> {
        let started = Instant::now();
        let answerer = self.answerer(twin).await?;
        let retrieval = self.retrieve(twin, partial, RETRIEVED_PER_QUESTION).await?;
        let sources: Vec<Source> = retrieval.sources.into_iter().take(SOURCES_IN_PROMPT).collect();
        // Recorded first: a prefill cut short has still computed the prompt's start.
        self.anticipations.lock().unwrap_or_else(|p| p.into_inner()).insert(twin.clone(), sources.clone());
        let (prompt_tokens, computed_tokens, completed) =
            match answerer.anticipate(partial, &sources, session_id, cancel).await {
                Ok((prompt, computed)) => (prompt, computed, true),
                Err(BrainError::Cancelled | BrainError::Llm(LlmError::Cancelled)) => (0, 0, false),
                Err(e) => return Err(e.into()),
            };
        Ok(Anticipated {
            partial: partial.to_owned(),
            prompt_tokens,
            computed_tokens,
            completed,
            milliseconds: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// The passages a question's prompt quotes: its best `SOURCES_IN_PROMPT`,
    /// in the anticipated order when an anticipation found the same ones with
    /// the same one first.
    pub(crate) fn prompt_sources(&self, twin: &TwinId, found: &[Source]) -> Vec<Source> {
        let best: Vec<Source> = found.iter().take(SOURCES_IN_PROMPT).cloned().collect();
        let anticipated = self.anticipations.lock().unwrap_or_else(|p| p.into_inner()).remove(twin);
        prompt_order(anticipated, best)
    }

    /// Anticipates on partial captions as they arrive, always the newest one
    /// once the model is free, until the captions end or `done` is set,
    /// which also cuts the prefill under way short: the final transcript
    /// needs the processor more. Failures only cost the head start, so they
    /// end anticipation quietly.
    pub(crate) async fn anticipate_captions(
        &self,
        target: AnticipateFor,
        mut captions: UnboundedReceiver<String>,
        done: CancelToken,
    ) -> Vec<Anticipated> {
        let mut made = Vec::new();
        while let Some(mut partial) = captions.recv().await {
            while let Ok(newer) = captions.try_recv() {
                partial = newer;
            }
            if done.is_cancelled() {
                break;
            }
            if !partial.chars().any(char::is_alphanumeric) {
                continue;
            }
            match self.anticipate(&target.twin, &partial, target.session_id.as_deref(), done.clone()).await {
                Ok(a) => made.push(a),
                Err(_) => break,
            }
        }
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_match_by_file_place_and_text_not_score() {
        let a = Source { score: 0.9, ..Source::new("a.md", "section A", "A", "alpha") };
        let b = Source { score: 0.1, ..Source::new("a.md", "section A", "A", "alpha") };
        assert!(same_passage(&a, &b));
        assert!(!same_passage(&a, &Source::new("a.md", "section B", "A", "alpha")));
        assert!(!same_passage(&a, &Source::new("b.md", "section A", "A", "alpha")));
    }

    #[test]
    fn the_prompt_keeps_the_anticipated_order_only_with_the_same_best_passage() {
        let s = |name: &str, score: f32| Source { score, ..Source::new(name, "section", "", name) };
        let best = vec![s("a", 0.9), s("b", 0.5), s("c", 0.4)];
        let names = |v: &[Source]| v.iter().map(|x| (x.file.clone(), x.score)).collect::<Vec<_>>();
        // Same passages, same first: the anticipated order, the final scores.
        let order = prompt_order(Some(vec![s("a", 0.2), s("c", 0.2), s("b", 0.2)]), best.clone());
        assert_eq!(names(&order), [("a".into(), 0.9), ("c".into(), 0.4), ("b".into(), 0.5)]);
        // Another passage first, another set, or none anticipated: the final order.
        for anticipated in [Some(vec![s("b", 0.9), s("a", 0.5), s("c", 0.4)]), Some(vec![s("a", 0.9)]), None] {
            assert_eq!(names(&prompt_order(anticipated, best.clone())), names(&best));
        }
    }
}
