//! The whole voice loop on files: a spoken question in, a spoken answer out.
//!
//! Recognition, retrieval and the answer stream run as in the app; each
//! sentence is synthesised as soon as the answer releases it, so the first
//! audio is ready long before the answer is finished. `first_audio` is
//! measured from the end of the input speech (the moment recognition
//! starts) to the first reply sentence synthesised.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use alter_asr::Language;
use alter_brain::{AnswerEvent, Citation};
use alter_core::{CancelToken, TwinId};
use alter_tts::{Emotion, SpeakOptions, Speech, Synthesizer, TimedViseme, Unsupported};
use serde::Serialize;

use crate::voice_out::with_tuning;
use crate::{AskRequest, Engine, EngineError};

/// One spoken exchange.
#[derive(Debug, Clone)]
pub struct TalkRequest {
    pub input: PathBuf,
    pub out: PathBuf,
    pub language: Language,
    pub session_id: Option<String>,
}

/// The `talk --json` document: what `ask` prints plus the transcript and the voice.
#[derive(Debug, Clone, Serialize)]
pub struct TalkReport {
    pub transcript: String,
    pub language: String,
    pub answer: String,
    pub declined: bool,
    pub citations: Vec<Citation>,
    pub emotion: String,
    pub out: PathBuf,
    pub audio_seconds: f32,
    /// Parts of the answer the voice could not speak (e.g. Chinese with an English-only voice).
    pub skipped: Option<String>,
    pub visemes: Vec<TimedViseme>,
    /// asr, retrieval, first_token, first_audio, total…
    pub timings_ms: BTreeMap<String, f64>,
}

fn tts_emotion(e: alter_brain::ReplyEmotion) -> Emotion {
    Emotion::parse(e.as_str()).unwrap_or_default()
}

/// How a reply sentence is spoken: the twin's tuned voice with the reply's emotion.
fn reply_options(emotion: Emotion, voice: &SpeakOptions) -> SpeakOptions {
    with_tuning(SpeakOptions { emotion, unsupported: Unsupported::SpeakRest, ..SpeakOptions::default() }, voice)
}

/// Synthesises off the async runtime; the outer error is the thread failing, the inner the synthesis.
async fn synthesize(
    synth: &Arc<Synthesizer>,
    text: String,
    options: SpeakOptions,
) -> Result<Result<Speech, alter_tts::TtsError>, alter_tts::TtsError> {
    let synth = Arc::clone(synth);
    tokio::task::spawn_blocking(move || synth.synthesize(&text, &options))
        .await
        .map_err(|e| alter_tts::TtsError::Inference(format!("the speech thread failed: {e}")))
}

impl Engine {
    pub async fn talk(
        &self,
        twin: &TwinId,
        request: TalkRequest,
        cancel: CancelToken,
    ) -> Result<TalkReport, EngineError> {
        let started = Instant::now();
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
        let synth = self.synthesizer().await?;
        let voice = self.twin_voice(twin).await?.unwrap_or_default();
        self.answerer(twin).await?;
        let hints = self.vocabulary(twin).await.unwrap_or_default();
        let heard = self.transcribe_file(&request.input, request.language, hints).await?;
        let end_of_speech = Instant::now();
        let transcript = heard.transcript.text.trim().to_owned();
        let (_, mut events) = self
            .ask_stream(
                twin,
                AskRequest { question: transcript.clone(), session_id: request.session_id, ..Default::default() },
                cancel,
            )
            .await?;
        let mut speech = Speech::default();
        let mut first_audio = None;
        let mut emotion = Emotion::Neutral;
        let mut finished = None;
        let mut skipped = None;
        while let Some(event) = events.recv().await {
            match event {
                AnswerEvent::Started { emotion: reading, .. } => emotion = tts_emotion(reading.reply),
                AnswerEvent::Sentence(sentence) => {
                    match synthesize(&synth, sentence.spoken, reply_options(emotion, &voice)).await? {
                        Ok(part) => {
                            first_audio.get_or_insert_with(|| ms(end_of_speech));
                            speech.append(part);
                        }
                        // A sentence with nothing speakable (only symbols) is skipped, not fatal.
                        Err(alter_tts::TtsError::NothingToSay) => {}
                        Err(alter_tts::TtsError::UnsupportedLanguage { language, .. }) => skipped = Some(language),
                        Err(e) => return Err(e.into()),
                    }
                }
                AnswerEvent::Finished(answer) => finished = Some(answer),
                AnswerEvent::Failed(e) => return Err(e.into()),
                AnswerEvent::Token(_) => {}
            }
        }
        let answer =
            finished.ok_or_else(|| alter_brain::BrainError::Internal("the answer stream ended early".into()))?;
        if speech.samples.is_empty() {
            // Declines and refusals arrive whole with the final answer.
            match synthesize(&synth, answer.spoken.clone(), reply_options(emotion, &voice)).await? {
                Ok(part) => {
                    first_audio.get_or_insert_with(|| ms(end_of_speech));
                    speech.append(part);
                }
                Err(alter_tts::TtsError::UnsupportedLanguage { language, .. }) => skipped = Some(language),
                Err(e) => return Err(e.into()),
            }
        }
        speech.write_wav(&request.out)?;

        let t = &answer.timings_ms;
        let mut timings = BTreeMap::new();
        timings.insert("asr".to_owned(), heard.timings_ms.asr as f64);
        for (name, value) in [("retrieval", t.retrieval), ("prefill", t.prefill), ("first_token", t.first_token)] {
            if let Some(v) = value {
                timings.insert(name.to_owned(), v);
            }
        }
        timings.insert("answer".to_owned(), t.total);
        timings.insert("first_audio".to_owned(), first_audio.unwrap_or_else(|| ms(end_of_speech)));
        timings.insert("total".to_owned(), ms(started));
        Ok(TalkReport {
            transcript,
            language: heard.transcript.language,
            answer: answer.answer,
            declined: answer.declined,
            citations: answer.citations,
            emotion: answer.emotion.as_str().to_owned(),
            out: request.out,
            audio_seconds: speech.duration_ms() / 1000.0,
            skipped: speech.skipped.clone().or(skipped),
            visemes: speech.visemes,
            timings_ms: timings,
        })
    }
}
