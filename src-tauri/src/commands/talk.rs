//! Talking to a twin over IPC: a typed question answered as a stream of
//! tokens and sentences, then the reply spoken with its mouth-shape timeline.
//!
//! One conversation per window: a new question cancels the answer still
//! being written, and a new reply (or `stop_speaking`, the barge-in path)
//! stops the one being played. Playback positions arrive on a channel so the
//! avatar's lips follow the audio clock, not the webview's.

use alter_core::{CancelToken, ErrorCode, ErrorReport};
use alter_engine::brain_types::AnswerEvent;
use alter_engine::tts::SpeakOptions;
use alter_engine::{AskRequest, Playback, PlaybackEvent};
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;

use super::twins::parse_id;
use crate::AppState;

/// Questions longer than this are refused before they reach the model.
pub const MAX_QUESTION_CHARS: usize = 2_000;
/// Replies longer than this are not spoken (they would take minutes).
pub const MAX_SPOKEN_CHARS: usize = 4_000;

/// What an answer streams before it is finished.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerUpdate {
    /// Before any text: the reply's emotion, and the one read from the question.
    Started { language: String, emotion: String, user_emotion: String },
    /// Raw model text, to show as it is written.
    Token { text: String },
    /// A finished sentence, as written and as it is to be spoken.
    Sentence { index: u32, text: String, spoken: String },
}

/// A source an answer cites, to open at its place.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CitationView {
    pub marker: u32,
    pub file: String,
    /// "page 2", "slide 3", "rows 4-5"…
    pub location: String,
    pub heading: String,
}

/// Milliseconds spent per stage of one answer.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AnswerTimings {
    pub retrieval: Option<f64>,
    pub first_token: Option<f64>,
    pub first_sentence: Option<f64>,
    pub total: f64,
}

/// A finished answer.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AnswerView {
    /// With `[n]` citation markers.
    pub text: String,
    /// What is spoken: markers removed.
    pub spoken: String,
    pub declined: bool,
    pub citations: Vec<CitationView>,
    pub emotion: String,
    pub user_emotion: String,
    pub language: String,
    /// How much the answer sounds like its owner, in `[0, 1]`.
    pub style_score: Option<f32>,
    pub timings_ms: AnswerTimings,
}

/// One mouth shape and when it is seen, from the start of the reply's audio.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct VisemeCue {
    pub viseme: String,
    pub start_ms: f32,
    pub end_ms: f32,
}

/// A reply (or one sentence of it) being spoken: its timeline, sent before its first sound.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SpokenReply {
    /// Where this audio starts in the reply's playback (0 for its first sentence).
    pub offset_ms: f64,
    pub duration_ms: f32,
    pub visemes: Vec<VisemeCue>,
    /// Text the voice could not speak (e.g. Chinese with an English voice).
    pub skipped: Option<String>,
}

/// Playback of a reply, as heard.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlaybackUpdate {
    Started {
        duration_ms: f64,
        silent_reason: Option<String>,
    },
    /// `at_unix_ms`: when (epoch ms) the position `ms` is heard.
    Position {
        ms: f64,
        at_unix_ms: f64,
    },
    Finished,
    Stopped {
        at_ms: f64,
    },
}

impl From<PlaybackEvent> for PlaybackUpdate {
    fn from(e: PlaybackEvent) -> Self {
        match e {
            PlaybackEvent::Started { duration_ms, silent_reason } => Self::Started { duration_ms, silent_reason },
            PlaybackEvent::Position { ms, at_unix_ms } => Self::Position { ms, at_unix_ms },
            PlaybackEvent::Finished => Self::Finished,
            PlaybackEvent::Stopped { at_ms } => Self::Stopped { at_ms },
        }
    }
}

/// A serde enum's wire name (`"happy"`, `"zh"`).
fn wire_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn check_text(text: &str, max: usize, what: &str) -> Result<String, ErrorReport> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ErrorReport::new(ErrorCode::InvalidInput, format!("The {what} is empty.")));
    }
    if text.chars().count() > max {
        return Err(ErrorReport::new(
            ErrorCode::InvalidInput,
            format!("The {what} is too long: at most {max} characters."),
        ));
    }
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(ErrorReport::new(ErrorCode::InvalidInput, format!("The {what} holds control characters.")));
    }
    Ok(text.to_owned())
}

pub async fn ask(
    state: &AppState,
    id: &str,
    question: &str,
    on_update: impl Fn(AnswerUpdate),
) -> Result<AnswerView, ErrorReport> {
    let id = parse_id(id)?;
    let question = check_text(question, MAX_QUESTION_CHARS, "question")?;
    let engine = state.engine()?;
    let cancel = CancelToken::new();
    state.jobs().replace_answer(cancel.clone());
    let request = AskRequest { question, session_id: Some(state.jobs().session_id()), ..Default::default() };
    let (_, mut events) = engine.ask_stream(&id, request, cancel).await?;
    while let Some(event) = events.recv().await {
        match event {
            AnswerEvent::Started { language, emotion } => on_update(AnswerUpdate::Started {
                language: language.code().to_owned(),
                emotion: emotion.reply.as_str().to_owned(),
                user_emotion: wire_name(&emotion.user),
            }),
            AnswerEvent::Token(text) => on_update(AnswerUpdate::Token { text }),
            AnswerEvent::Sentence(s) => {
                on_update(AnswerUpdate::Sentence { index: s.index as u32, text: s.text, spoken: s.spoken })
            }
            AnswerEvent::Failed(e) => return Err(alter_engine::EngineError::from(e).into()),
            AnswerEvent::Finished(a) => {
                return Ok(AnswerView {
                    text: a.answer,
                    spoken: a.spoken,
                    declined: a.declined,
                    citations: a
                        .citations
                        .into_iter()
                        .map(|c| CitationView {
                            marker: c.marker as u32,
                            file: c.file,
                            location: c.location,
                            heading: c.heading,
                        })
                        .collect(),
                    emotion: a.emotion.as_str().to_owned(),
                    user_emotion: wire_name(&a.user_emotion),
                    language: a.language.code().to_owned(),
                    style_score: a.style_score,
                    timings_ms: AnswerTimings {
                        retrieval: a.timings_ms.retrieval,
                        first_token: a.timings_ms.first_token,
                        first_sentence: a.timings_ms.first_sentence,
                        total: a.timings_ms.total,
                    },
                });
            }
        }
    }
    Err(ErrorReport::new(ErrorCode::Cancelled, "The answer was interrupted."))
}

pub async fn speak(
    state: &AppState,
    id: &str,
    text: &str,
    append: bool,
    on_update: impl Fn(PlaybackUpdate) + Send + 'static,
) -> Result<SpokenReply, ErrorReport> {
    let id = parse_id(id)?;
    let text = check_text(text, MAX_SPOKEN_CHARS, "reply")?;
    let engine = state.engine()?;
    if !append {
        // Silence the previous reply before synthesising the next one.
        state.jobs().replace_playback(None);
    }
    let speech = engine.speech(&text, Some(&id), SpeakOptions::default()).await?;
    let visemes = speech
        .visemes
        .iter()
        .map(|v| VisemeCue { viseme: wire_name(&v.viseme), start_ms: v.start_ms, end_ms: v.end_ms })
        .collect();
    let (duration_ms, skipped) = (speech.duration_ms(), speech.skipped.clone());
    // A later sentence joins the reply playing; otherwise (or once it has ended) a new one starts.
    let offset_ms = match append.then(|| state.jobs().append_to_playback(&speech.samples)).flatten() {
        Some(offset) => offset,
        None => {
            let speaker = engine.preferences().await?.speaker;
            let playback = Playback::open_on(speaker, speech.samples, speech.sample_rate, move |e| on_update(e.into()));
            state.jobs().replace_playback(Some(playback));
            0.0
        }
    };
    Ok(SpokenReply { offset_ms, duration_ms, visemes, skipped })
}

#[tauri::command]
#[specta::specta]
pub async fn ask_twin(
    state: State<'_, AppState>,
    id: String,
    question: String,
    on_update: Channel<AnswerUpdate>,
) -> Result<AnswerView, ErrorReport> {
    ask(&state, &id, &question, |u| {
        let _ = on_update.send(u);
    })
    .await
}

/// Speaks a reply, or with `append` its next sentence after those queued, in
/// the twin's voice. Returns the timeline at once; playback then reports on
/// `on_playback` (for a reply's first sentence; later ones share its channel).
#[tauri::command]
#[specta::specta]
pub async fn speak_reply(
    state: State<'_, AppState>,
    id: String,
    text: String,
    append: bool,
    on_playback: Channel<PlaybackUpdate>,
) -> Result<SpokenReply, ErrorReport> {
    speak(&state, &id, &text, append, move |u| {
        let _ = on_playback.send(u);
    })
    .await
}

/// The reply has no more sentences: playback ends after what is queued.
#[tauri::command]
#[specta::specta]
pub fn end_reply(state: State<'_, AppState>) {
    state.jobs().close_playback();
}

/// Stops the reply being spoken and the answer being written (barge-in).
#[tauri::command]
#[specta::specta]
pub fn stop_speaking(state: State<'_, AppState>) {
    state.jobs().stop_all();
}
