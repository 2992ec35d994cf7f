//! Scoring a question set: the `QUESTIONS.jsonl` format of `shared/eval`
//! and pure functions from results to figures.
//!
//! Definitions (kept identical for `alter eval` and the build's report card):
//! - hit@k: among answerable questions, the expected `source` file is among
//!   the first k retrieved files;
//! - answer accuracy: among answerable questions, the answer is not a decline
//!   and contains one of `expect_any` (case-insensitive);
//! - citation correct: among answerable questions, one of the answer's
//!   citations names the expected file;
//! - decline rate: among unanswerable questions, the share declined (and the
//!   false-decline rate among answerable ones, so declining everything shows).
//!
//! A rate over zero questions is `None` (`null` in JSON), never a fake 0 or 1.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::PersonaError;

pub use alter_core::eval::EvalQuestion;

/// What the twin did with one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EvalResult {
    pub id: String,
    /// Retrieved files, best first (duplicates allowed; only the order matters).
    pub retrieved_files: Vec<String>,
    pub answer: String,
    pub cited_files: Vec<String>,
    pub declined: bool,
    /// Stage name → milliseconds ("retrieval", "first_token", "total", "asr"…).
    pub timings_ms: BTreeMap<String, f64>,
    /// "Sounds like me" of the answer, when a style model exists.
    pub style_score: Option<f32>,
}

/// Parses a `QUESTIONS.jsonl` text ([`alter_core::eval::parse_questions`]).
pub fn parse_questions(text: &str) -> Result<Vec<EvalQuestion>, PersonaError> {
    Ok(alter_core::eval::parse_questions(text)?)
}

/// Reads a `QUESTIONS.jsonl` file ([`alter_core::eval::read_questions`]).
pub fn read_questions(path: &Path) -> Result<Vec<EvalQuestion>, PersonaError> {
    Ok(alter_core::eval::read_questions(path)?)
}

/// File names compare by their last path component, case-insensitively.
pub fn same_file(a: &str, b: &str) -> bool {
    let base = |s: &str| s.rsplit(['/', '\\']).next().unwrap_or(s).trim().to_lowercase();
    base(a) == base(b)
}

/// True when the answer contains any expected string (case-insensitive,
/// whitespace-insensitive).
pub fn answer_has_expected(answer: &str, expect_any: &[String]) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect::<String>();
    let a = squash(answer);
    expect_any.iter().map(|e| squash(e)).any(|e| !e.is_empty() && a.contains(&e))
}

/// How one question went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionGrade {
    pub id: String,
    pub lang: String,
    pub answerable: bool,
    /// The question names a source file (hit@k is computed over these).
    pub has_source: bool,
    /// Rank (1-based) of the expected source among retrieved files.
    pub source_rank: Option<usize>,
    pub answer_correct: bool,
    pub citation_correct: bool,
    pub declined: bool,
    /// Answered (not declined, not missing).
    pub answered: bool,
    /// What the twin said (empty when it gave no result).
    #[serde(default)]
    pub answer: String,
}

/// Grades one question against its result (`None`: the twin gave no result).
pub fn grade(q: &EvalQuestion, r: Option<&EvalResult>) -> QuestionGrade {
    let empty = EvalResult::default();
    let r = r.unwrap_or(&empty);
    let source_rank =
        q.source.as_deref().and_then(|s| r.retrieved_files.iter().position(|f| same_file(f, s)).map(|p| p + 1));
    let cited = q.source.as_deref().is_some_and(|s| r.cited_files.iter().any(|f| same_file(f, s)));
    let answered = !r.declined && !r.answer.trim().is_empty();
    QuestionGrade {
        id: q.id.clone(),
        lang: q.lang.clone(),
        answerable: q.answerable,
        has_source: q.source.is_some(),
        source_rank,
        answer_correct: q.answerable && answered && answer_has_expected(&r.answer, &q.expect_any),
        citation_correct: q.answerable && answered && cited,
        declined: r.declined,
        answered,
        answer: r.answer.clone(),
    }
}

/// Aggregate figures over a set of graded questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Metrics {
    pub questions: usize,
    pub answerable: usize,
    pub unanswerable: usize,
    pub hit_at_1: Option<f32>,
    pub hit_at_5: Option<f32>,
    pub answer_accuracy: Option<f32>,
    pub citation_correct: Option<f32>,
    /// Unanswerable questions declined.
    pub decline_rate: Option<f32>,
    /// Answerable questions wrongly declined.
    pub false_decline_rate: Option<f32>,
}

fn rate(n: usize, of: usize) -> Option<f32> {
    (of > 0).then(|| n as f32 / of as f32)
}

/// Computes [`Metrics`] over grades.
pub fn metrics(grades: &[&QuestionGrade]) -> Metrics {
    let ans: Vec<&&QuestionGrade> = grades.iter().filter(|g| g.answerable).collect();
    let unans: Vec<&&QuestionGrade> = grades.iter().filter(|g| !g.answerable).collect();
    let count = |f: &dyn Fn(&QuestionGrade) -> bool| ans.iter().filter(|g| f(g)).count();
    // hit@k only counts questions that name a source.
    let with_source: Vec<&&&QuestionGrade> = ans.iter().filter(|g| g.has_source).collect();
    let hits = |k: usize| with_source.iter().filter(|g| g.source_rank.is_some_and(|r| r <= k)).count();
    Metrics {
        questions: grades.len(),
        answerable: ans.len(),
        unanswerable: unans.len(),
        hit_at_1: rate(hits(1), with_source.len()),
        hit_at_5: rate(hits(5), with_source.len()),
        answer_accuracy: rate(count(&|g| g.answer_correct), ans.len()),
        citation_correct: rate(count(&|g| g.citation_correct), ans.len()),
        decline_rate: rate(unans.iter().filter(|g| g.declined || !g.answered).count(), unans.len()),
        false_decline_rate: rate(count(&|g| g.declined), ans.len()),
    }
}

/// Latency percentiles of one stage, in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub n: usize,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub max: f64,
    pub mean: f64,
}

/// Nearest-rank percentiles; `None` for no values.
pub fn percentiles(values: &[f64]) -> Option<Percentiles> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Some(Percentiles {
        n: v.len(),
        p50: at(0.5),
        p90: at(0.9),
        p95: at(0.95),
        max: v[v.len() - 1],
        mean: v.iter().sum::<f64>() / v.len() as f64,
    })
}

/// The whole evaluation: the `alter eval --json` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    #[serde(flatten)]
    pub overall: Metrics,
    pub by_language: BTreeMap<String, Metrics>,
    pub latency_ms: BTreeMap<String, Percentiles>,
    /// Mean "sounds like me" of the answers that have one.
    pub style_score: Option<f32>,
    pub per_question: Vec<QuestionGrade>,
}

/// Scores results against questions (matched by id; a question without a
/// result counts as unanswered).
pub fn score(questions: &[EvalQuestion], results: &[EvalResult]) -> EvalReport {
    let by_id: BTreeMap<&str, &EvalResult> = results.iter().map(|r| (r.id.as_str(), r)).collect();
    let grades: Vec<QuestionGrade> = questions.iter().map(|q| grade(q, by_id.get(q.id.as_str()).copied())).collect();
    let all: Vec<&QuestionGrade> = grades.iter().collect();
    let mut by_language = BTreeMap::new();
    for lang in grades.iter().map(|g| g.lang.clone()).collect::<std::collections::BTreeSet<_>>() {
        let subset: Vec<&QuestionGrade> = grades.iter().filter(|g| g.lang == lang).collect();
        by_language.insert(lang, metrics(&subset));
    }
    let mut stages: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in results {
        for (k, v) in &r.timings_ms {
            stages.entry(k.clone()).or_default().push(*v);
        }
    }
    let latency_ms = stages.into_iter().filter_map(|(k, v)| percentiles(&v).map(|p| (k, p))).collect();
    let styles: Vec<f32> = results.iter().filter_map(|r| r.style_score).collect();
    EvalReport {
        overall: metrics(&all),
        by_language,
        latency_ms,
        style_score: (!styles.is_empty()).then(|| styles.iter().sum::<f32>() / styles.len() as f32),
        per_question: grades,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_questions() -> Vec<EvalQuestion> {
        read_questions(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/questions.jsonl")))
            .expect("the eval question set parses")
    }

    #[test]
    fn reads_the_shared_format() {
        let q = eval_questions();
        assert_eq!(q.len(), 10);
        assert_eq!(q[0].source.as_deref(), Some("profile.md"));
        assert!(!q[8].answerable && q[8].source.is_none());
    }

    #[test]
    fn bad_lines_name_their_number() {
        let err =
            parse_questions("\n{\"id\":\"a\",\"lang\":\"en\",\"question\":\"q\",\"answerable\":false}\nnot json\n")
                .unwrap_err();
        assert!(matches!(err, PersonaError::BadQuestionLine { line: 3, .. }), "{err}");
        assert!(parse_questions("{\"id\":\"\",\"lang\":\"en\",\"question\":\"q\",\"answerable\":false}").is_err());
        assert!(parse_questions("").unwrap().is_empty());
    }

    #[test]
    fn perfect_and_empty_runs() {
        let q = eval_questions();
        let perfect: Vec<EvalResult> = q
            .iter()
            .map(|q| EvalResult {
                id: q.id.clone(),
                retrieved_files: q.source.iter().cloned().collect(),
                answer: q.expect_any.first().cloned().unwrap_or_default(),
                cited_files: q.source.iter().cloned().collect(),
                declined: !q.answerable,
                timings_ms: [("total".to_string(), 100.0)].into(),
                style_score: Some(0.7),
            })
            .collect();
        let r = score(&q, &perfect);
        assert_eq!(r.overall.hit_at_1, Some(1.0));
        assert_eq!(r.overall.answer_accuracy, Some(1.0));
        assert_eq!(r.overall.citation_correct, Some(1.0));
        assert_eq!(r.overall.decline_rate, Some(1.0));
        assert_eq!(r.overall.false_decline_rate, Some(0.0));
        assert_eq!(r.by_language["zh"].questions, 4);
        assert_eq!(r.latency_ms["total"].p50, 100.0);
        let json = serde_json::to_value(&r).expect("serialises");
        assert!(json.get("hit_at_5").is_some() && json.get("by_language").is_some(), "{json}");

        // Declining everything: perfect decline rate, zero accuracy, visible false declines.
        let lazy: Vec<EvalResult> =
            q.iter().map(|q| EvalResult { id: q.id.clone(), declined: true, ..Default::default() }).collect();
        let r = score(&q, &lazy);
        assert_eq!(r.overall.answer_accuracy, Some(0.0));
        assert_eq!(r.overall.decline_rate, Some(1.0));
        assert_eq!(r.overall.false_decline_rate, Some(1.0));
        // No results at all.
        let r = score(&q, &[]);
        assert_eq!(r.overall.hit_at_5, Some(0.0));
        assert!(r.latency_ms.is_empty());
    }

    #[test]
    fn matching_rules() {
        assert!(answer_has_expected("It shipped on 4 March  2025.", &["4 March 2025".into()]));
        assert!(answer_has_expected("SEPTEMBER 2021", &["September".into()]));
        assert!(!answer_has_expected("anything", &[]));
        assert!(!answer_has_expected("anything", &["".into()]));
        assert!(same_file("docs/Profile.md", "profile.md"));
        let p = percentiles(&[5.0, 1.0, 3.0, f64::NAN]).expect("values");
        assert_eq!((p.p50, p.max, p.n), (3.0, 5.0, 3));
        assert!(percentiles(&[]).is_none());
    }
}
