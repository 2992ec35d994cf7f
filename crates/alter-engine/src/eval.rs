//! Scoring a twin on a question set (`alter eval`), typed and spoken.
//!
//! Each question is retrieved and answered exactly as `ask` does; the
//! figures come from `alter_persona::eval`, the same functions the build's
//! report card uses. With an audio folder, every question with a
//! `<id>.wav` is heard as the app hears a microphone (the file played in
//! real time, partial captions while it plays, the final transcript when
//! the speech ends) and scored again from the transcript, with the
//! recognition error rate per language (words for English, characters for
//! Chinese). The partial captions drive anticipatory prefill, so the spoken
//! `first_sentence` is measured with it and the typed one without it; both
//! run from the moment the question's text is known.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alter_asr::Language;
use alter_audio::io::{FileSource, RealTime};
use alter_core::{CancelToken, Progress, ProgressSink, TwinId};
use alter_persona::eval::{EvalQuestion, EvalReport, EvalResult, score};
use serde::Serialize;

use crate::{AnticipateFor, AskRequest, Engine, EngineError, Heard, ListenOptions};

/// How to evaluate.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Folder of spoken questions named `<id>.wav`.
    pub audio_dir: Option<PathBuf>,
    /// Ask the typed questions again, each after anticipatory prefill on the
    /// question less its last word ([`partial_question`]).
    pub anticipate: bool,
}

/// The `eval` result (`alter eval --json`): the typed figures at the top
/// level, the spoken ones under `spoken`.
#[derive(Debug, Clone, Serialize)]
pub struct EvalRun {
    #[serde(flatten)]
    pub typed: EvalReport,
    /// The typed questions asked after anticipatory prefill (`--anticipate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anticipated: Option<EvalReport>,
    pub spoken: Option<SpokenReport>,
}

/// The same questions asked by voice.
#[derive(Debug, Clone, Serialize)]
pub struct SpokenReport {
    #[serde(flatten)]
    pub report: EvalReport,
    /// Recognition error rate by language (WER for `en`, CER for `zh`).
    pub asr_error_rate: BTreeMap<String, f32>,
    pub transcripts: Vec<SpokenQuestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpokenQuestion {
    pub id: String,
    pub expected: String,
    pub transcript: String,
}

impl Engine {
    /// Answers one question as `ask` would and records what `eval` scores.
    pub async fn eval_one(
        &self,
        twin: &TwinId,
        id: &str,
        question: &str,
        max_tokens: Option<usize>,
    ) -> Result<EvalResult, EngineError> {
        let request = AskRequest { question: question.to_owned(), max_tokens, ..Default::default() };
        let report = self.ask(twin, request, CancelToken::new()).await;
        let report = match report {
            Ok(r) => r,
            // An unusable question (empty after cleaning) is an unanswered one, not a failed run.
            Err(EngineError::Brain(alter_brain::BrainError::EmptyQuestion)) => {
                return Ok(EvalResult { id: id.to_owned(), ..Default::default() });
            }
            Err(e) => return Err(e),
        };
        let t = &report.answer.timings_ms;
        let mut timings = BTreeMap::new();
        timings.insert("total".to_owned(), t.total);
        for (name, value) in [
            ("retrieval", t.retrieval),
            ("prefill", t.prefill),
            ("first_token", t.first_token),
            ("first_sentence", t.first_sentence),
        ] {
            if let Some(v) = value {
                timings.insert(name.to_owned(), v);
            }
        }
        Ok(EvalResult {
            id: id.to_owned(),
            retrieved_files: report.retrieved_files,
            answer: report.answer.answer,
            cited_files: report.answer.citations.into_iter().map(|c| c.file).collect(),
            declined: report.answer.declined,
            timings_ms: timings,
            style_score: report.answer.style_score,
        })
    }

    /// Hears a recorded question as the app hears the microphone, anticipating
    /// the twin's answer from the partial captions; `None` when no speech
    /// was recognised (an unanswered question, not a failed run).
    async fn hear_file(
        &self,
        twin: &TwinId,
        file: &Path,
        language: Language,
        cancel: &CancelToken,
    ) -> Result<Option<Heard>, EngineError> {
        let source = FileSource::open(file, alter_audio::SPEECH_RATE).map_err(alter_asr::AsrError::from)?;
        let options = ListenOptions {
            language,
            anticipate: Some(AnticipateFor { twin: twin.clone(), session_id: None }),
            ..ListenOptions::default()
        };
        match self.listen(Box::new(RealTime::new(source)), options, cancel.clone(), |_| {}).await {
            Ok(heard) => Ok(Some(heard)),
            Err(EngineError::BadInput(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Scores a twin on `questions`; progress stage `"eval"`, one step per answer.
    pub async fn eval(
        &self,
        twin: &TwinId,
        questions: &[EvalQuestion],
        options: &EvalOptions,
        progress: &ProgressSink,
        cancel: &CancelToken,
    ) -> Result<EvalRun, EngineError> {
        self.twin(twin).await?;
        let spoken_files: Vec<(usize, PathBuf)> = match &options.audio_dir {
            Some(dir) => {
                if !dir.is_dir() {
                    return Err(EngineError::BadSource(format!(
                        "{} is not a folder of spoken questions",
                        dir.display()
                    )));
                }
                questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| (i, dir.join(format!("{}.wav", q.id))))
                    .filter(|(_, p)| p.is_file())
                    .collect()
            }
            None => Vec::new(),
        };
        let anticipated_count = if options.anticipate { questions.len() } else { 0 };
        let total = (questions.len() + anticipated_count + spoken_files.len()) as u64;
        let mut done = 0u64;
        let mut typed = Vec::with_capacity(questions.len());
        for q in questions {
            cancel.check().map_err(|_| EngineError::Cancelled)?;
            progress.report(Progress::new("eval", done, total).item(q.id.clone()));
            typed.push(self.eval_one(twin, &q.id, &q.question, None).await?);
            done += 1;
        }
        let typed = score(questions, &typed);

        let anticipated = if options.anticipate {
            let mut results = Vec::with_capacity(questions.len());
            for q in questions {
                cancel.check().map_err(|_| EngineError::Cancelled)?;
                progress.report(Progress::new("eval", done, total).item(format!("{} (anticipated)", q.id)));
                let partial = partial_question(&q.question);
                if partial.chars().any(char::is_alphanumeric) {
                    self.anticipate(twin, &partial, None, cancel.clone()).await?;
                }
                results.push(self.eval_one(twin, &q.id, &q.question, None).await?);
                done += 1;
            }
            Some(score(questions, &results))
        } else {
            None
        };

        let spoken = if options.audio_dir.is_some() {
            let mut results = Vec::new();
            let mut asked = Vec::new();
            let mut transcripts = Vec::new();
            let mut errors: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            for (i, file) in &spoken_files {
                cancel.check().map_err(|_| EngineError::Cancelled)?;
                let q = &questions[*i];
                progress.report(Progress::new("eval", done, total).item(format!("{} (spoken)", q.id)));
                let language = match q.lang.as_str() {
                    "en" => Language::English,
                    "zh" => Language::Chinese,
                    _ => Language::Auto,
                };
                let heard = self.hear_file(twin, file, language, cancel).await?;
                let text = heard.as_ref().map_or(String::new(), |h| h.text.trim().to_owned());
                let (wrong, of) = if q.lang == "zh" {
                    alter_asr::character_error_rate(&q.question, &text)
                } else {
                    alter_asr::word_error_rate(&q.question, &text)
                };
                let e = errors.entry(q.lang.clone()).or_default();
                e.0 += wrong;
                e.1 += of;
                let mut result = self.eval_one(twin, &q.id, &text, None).await?;
                if let Some(heard) = heard {
                    // End of speech to transcript; the answer's clock starts at the transcript, and
                    // any anticipatory prefill still running then is part of the wait.
                    result.timings_ms.insert("asr".into(), heard.final_decode_ms);
                    let wait = heard.anticipation_wait_ms;
                    for stage in ["first_token", "first_sentence", "total"] {
                        if let Some(t) = result.timings_ms.get_mut(stage) {
                            *t += wait;
                        }
                    }
                    if let Some(last) = heard.anticipated.last() {
                        result.timings_ms.insert("anticipation".into(), last.milliseconds);
                    }
                }
                results.push(result);
                asked.push(q.clone());
                transcripts.push(SpokenQuestion { id: q.id.clone(), expected: q.question.clone(), transcript: text });
                done += 1;
            }
            let asr_error_rate = errors
                .into_iter()
                .filter(|(_, (_, of))| *of > 0)
                .map(|(l, (w, of))| (l, w as f32 / of as f32))
                .collect();
            Some(SpokenReport { report: score(&asked, &results), asr_error_rate, transcripts })
        } else {
            None
        };
        progress.report(Progress::new("eval", total, total));
        Ok(EvalRun { typed, anticipated, spoken })
    }
}

/// A question less its last word, as the captions of the question spoken
/// stand just before its end: text with spaces up to its last space, Chinese
/// less its last two characters (end punctuation aside in both), a lone word
/// nothing.
pub fn partial_question(question: &str) -> String {
    let q = question.trim().trim_end_matches(|c: char| c.is_ascii_punctuation() || "？！。，".contains(c)).trim_end();
    match q.rfind(char::is_whitespace) {
        Some(at) => q[..at].trim_end().to_owned(),
        None if q.chars().any(alter_persona::lang::is_han) => {
            let chars: Vec<char> = q.chars().collect();
            chars[..chars.len().saturating_sub(2)].iter().collect()
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::partial_question;

    #[test]
    fn partial_questions_lack_the_last_word() {
        assert_eq!(partial_question("How many vans does Rotterdam have?"), "How many vans does Rotterdam");
        assert_eq!(partial_question("需求评审多久一次？"), "需求评审多久");
        assert_eq!(partial_question("Why"), "");
        assert_eq!(partial_question(""), "");
        assert_eq!(partial_question("  ?? "), "");
    }
}
