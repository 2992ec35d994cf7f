//! Question sets (`QUESTIONS.jsonl`, see `shared/eval/README.md`): one JSON
//! object per line, read by `alter eval`, the build's self-test and the
//! retrieval and speech benches alike.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// One question of a question set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalQuestion {
    pub id: String,
    /// `en` or `zh` (anything else is accepted and reported under its own key).
    pub lang: String,
    pub question: String,
    #[serde(default)]
    pub expect_any: Vec<String>,
    /// The file name the answer must cite; `None` when unanswerable.
    #[serde(default)]
    pub source: Option<String>,
    pub answerable: bool,
}

/// Why a question file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum QuestionFileError {
    #[error("line {line} of the question file is not valid: {message}")]
    Line { line: usize, message: String },
    #[error("the question file could not be read: {0}")]
    Io(#[from] std::io::Error),
}

/// Parses a `QUESTIONS.jsonl` text; blank lines are skipped, a bad line is an
/// error naming its number.
pub fn parse_questions(text: &str) -> Result<Vec<EvalQuestion>, QuestionFileError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |message: String| QuestionFileError::Line { line: i + 1, message };
        let q: EvalQuestion = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        if q.id.trim().is_empty() {
            return Err(bad("the id is empty".into()));
        }
        if q.answerable && q.source.is_none() && q.expect_any.is_empty() {
            return Err(bad("an answerable question needs a source or expected strings".into()));
        }
        out.push(q);
    }
    Ok(out)
}

/// Reads a `QUESTIONS.jsonl` file.
pub fn read_questions(path: &Path) -> Result<Vec<EvalQuestion>, QuestionFileError> {
    let text = String::from_utf8(std::fs::read(path)?)
        .map_err(|_| QuestionFileError::Line { line: 0, message: "the file is not UTF-8 text".into() })?;
    parse_questions(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_and_bad_ones_are_named() {
        let good = r#"{"id":"d01","lang":"en","question":"When?","expect_any":["2021"],"source":"profile.md","answerable":true}

{"id":"u01","lang":"zh","question":"谁?","answerable":false}"#;
        let qs = parse_questions(good).unwrap();
        assert_eq!((qs.len(), qs[1].source.as_deref(), qs[1].answerable), (2, None, false));
        let bad = |text: &str| match parse_questions(text) {
            Err(QuestionFileError::Line { line, message }) => (line, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(bad("\n{not json").0, 2);
        assert!(bad(r#"{"id":" ","lang":"en","question":"q","answerable":false}"#).1.contains("id is empty"));
        assert!(bad(r#"{"id":"a","lang":"en","question":"q","answerable":true}"#).1.contains("needs a source"));
        assert!(matches!(read_questions(Path::new("/nonexistent/q.jsonl")), Err(QuestionFileError::Io(_))));
    }
}
