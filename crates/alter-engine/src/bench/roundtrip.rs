//! Speech round trips: the evaluation's questions spoken by the installed
//! Piper voice and transcribed again by Whisper, scored by word error rate.
//! A clean synthetic voice is the recogniser's best case, so this is the
//! floor of its errors on a language, next to the recorded questions.

use std::fmt;
use std::path::Path;

use alter_asr::{Language, TranscribeOptions, Transcriber, word_error_rate};
use alter_tts::{SpeakOptions, Synthesizer};
use serde::Serialize;

use crate::EngineError;

#[derive(Debug, Clone, Serialize)]
pub struct RoundTrip {
    pub text: String,
    pub heard: String,
    pub errors: usize,
    pub words: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundTripReport {
    pub voice: String,
    pub items: Vec<RoundTrip>,
    /// Pooled word error rate over the English questions.
    pub en_wer: f64,
    /// Why there is no Mandarin round trip (the voice's own error), when there is none.
    pub zh_skipped: Option<String>,
}

/// Speaks every question of `questions` (a `questions.jsonl`) and transcribes it.
pub fn run(models_dir: &Path, questions: &Path, threads: usize) -> Result<RoundTripReport, EngineError> {
    let questions = alter_core::eval::read_questions(questions)
        .map_err(|e| EngineError::Bench(format!("{}: {e}", questions.display())))?;
    let voice = Synthesizer::load(models_dir, &alter_tts::LoadOptions { voice: None, threads })?;
    let asr = Transcriber::load(
        &alter_asr::model_path(models_dir),
        &alter_asr::TranscriberOptions { threads: Some(threads) },
    )?;
    let mut items = Vec::new();
    let mut zh_skipped = None;
    for q in &questions {
        let (lang, question) = (q.lang.as_str(), q.question.as_str());
        if lang != "en" {
            if zh_skipped.is_none() {
                zh_skipped = Some(match voice.synthesize(question, &SpeakOptions::default()) {
                    Err(e) => e.to_string(),
                    Ok(_) => "the voice spoke Mandarin text, but Whisper's round trip is scored in English only".into(),
                });
            }
            continue;
        }
        let speech = voice.synthesize(question, &SpeakOptions::default())?;
        let audio = alter_audio::resample(&speech.samples, speech.sample_rate, alter_audio::SPEECH_RATE)?;
        let opts = TranscribeOptions { language: Language::Auto, timestamps: false, ..Default::default() };
        let heard = asr.transcribe_blocking(&audio, &opts)?.text;
        let (errors, words) = word_error_rate(question, &heard);
        items.push(RoundTrip { text: question.to_owned(), heard, errors, words });
    }
    let (errors, words) = items.iter().fold((0, 0), |(e, n), i| (e + i.errors, n + i.words));
    Ok(RoundTripReport {
        voice: voice.voice().name.clone(),
        en_wer: if words == 0 { 0.0 } else { errors as f64 / words as f64 },
        items,
        zh_skipped,
    })
}

impl fmt::Display for RoundTripReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Round trips: questions spoken by {} and transcribed again", self.voice)?;
        for i in &self.items {
            writeln!(f, "  {:>2}/{:<2} {:?} → {:?}", i.errors, i.words, i.text, i.heard)?;
        }
        writeln!(f, "English WER {:.1} % over {} questions", self.en_wer * 100.0, self.items.len())?;
        if let Some(why) = &self.zh_skipped {
            writeln!(f, "Mandarin: no round trip ({why})")?;
        }
        Ok(())
    }
}
