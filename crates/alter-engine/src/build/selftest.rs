//! The self-test stage: questions generated from the twin's own documents
//! (and a few they cannot answer), answered by the twin, graded with the
//! same rules as `alter eval`, into the report card.

use alter_knowledge::store::ChunkRow;
use alter_persona::eval::score;
use alter_persona::selftest::{GenerateOptions, ReportCard, generate_questions};

use super::persona::owner_texts;
use super::{BuildRequest, StageContext};
use crate::EngineError;

/// Self-test answers are graded on their first sentences: the expected fact
/// and its citation come first, and decoding the rest would double the stage.
const ANSWER_TOKENS: usize = 40;

pub async fn run(
    cx: &StageContext<'_>,
    chunks: &[ChunkRow],
    voice_similarity: Option<f32>,
    request: &BuildRequest,
) -> Result<ReportCard, EngineError> {
    let (max_answerable, max_unanswerable) = request.selftest_questions;
    let texts = owner_texts(chunks, &Default::default());
    let mut questions = generate_questions(&texts, &GenerateOptions { max_answerable, max_unanswerable });
    // Questions about one document retrieve the same passages first: asked one
    // after another, their prompts share a prefix whose KV state is reused.
    questions.sort_by(|a, b| (!a.answerable, &a.source).cmp(&(!b.answerable, &b.source)));
    let total = questions.len() as u64;
    let mut results = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        cx.check()?;
        cx.report("selftest", i as u64, total, q.question.clone());
        results.push(cx.engine.eval_one(cx.twin, &q.id, &q.question, Some(ANSWER_TOKENS)).await?);
    }
    cx.report("selftest", total, total, "report card");
    let card = ReportCard::new(questions.clone(), score(&questions, &results), voice_similarity);
    alter_persona::store::save_report(cx.db.pool(), &card).await?;
    Ok(card)
}
