//! Listening for a spoken question over IPC: partial captions stream on a
//! channel while the person speaks; the final transcript is returned.
//!
//! The input is the default microphone, captured in Rust (the webview's
//! microphone is unreliable on Linux). For end-to-end tests and
//! demonstrations the app takes a recorded question instead when
//! `ALTER_TEST_MICROPHONE` names an audio file: it is played into the same
//! loop in real time, exactly like a microphone would deliver it.

use alter_core::{CancelToken, ErrorReport};
use alter_engine::{AnticipateFor, Heard, ListenEvent, ListenOptions};
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;

use crate::AppState;
use crate::commands::twins::parse_id;

/// The environment variable that replaces the microphone with a recording.
pub const TEST_MICROPHONE_ENV: &str = "ALTER_TEST_MICROPHONE";

/// What listening streams while the person speaks.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ListenUpdate {
    Listening { input: String },
    SpeechStarted,
    Partial { text: String },
    SpeechEnded,
}

/// The question as heard.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct HeardView {
    pub text: String,
    pub language: String,
    pub speech_seconds: f32,
    pub final_decode_ms: f64,
}

impl From<Heard> for HeardView {
    fn from(h: Heard) -> Self {
        Self {
            text: h.text,
            language: h.language,
            speech_seconds: h.speech_seconds,
            final_decode_ms: h.final_decode_ms,
        }
    }
}

/// The chosen microphone (`None`: the default), or the recording named by
/// [`TEST_MICROPHONE_ENV`], with a label for it.
pub(crate) fn open_input(
    microphone: Option<&str>,
) -> Result<(Box<dyn alter_audio::io::AudioSource>, String), ErrorReport> {
    use alter_audio::io::{FileSource, Microphone, RealTime};
    let rate = alter_audio::SPEECH_RATE;
    match std::env::var_os(TEST_MICROPHONE_ENV) {
        Some(path) => {
            let path = std::path::PathBuf::from(path);
            let source = FileSource::open(&path, rate).map_err(|e| ErrorReport::from_error(&e))?;
            Ok((Box::new(RealTime::new(source)), format!("test input {}", path.display())))
        }
        None => {
            let mic = Microphone::open(microphone, rate).map_err(|e| ErrorReport::from_error(&e))?;
            Ok((Box::new(mic), microphone.unwrap_or("microphone").to_owned()))
        }
    }
}

pub async fn listen(
    state: &AppState,
    twin_id: &str,
    barge_in: bool,
    on_update: impl Fn(ListenUpdate) + Send + 'static,
) -> Result<HeardView, ErrorReport> {
    let engine = state.engine()?;
    // Hands-free: listen over the answer being written and the reply playing, and
    // stop them only when the person speaks (the reply's echo is told apart).
    // Push-to-talk: pressing Talk interrupts the twin first.
    let playing = if barge_in { state.jobs().playback_probe() } else { None };
    if !barge_in {
        state.jobs().stop_all();
    }
    let microphone = engine.preferences().await?.microphone;
    let (source, input) = open_input(microphone.as_deref())?;
    on_update(ListenUpdate::Listening { input });
    let cancel = CancelToken::new();
    state.jobs().replace_listening(cancel.clone());
    let jobs = state.jobs_handle();
    // While the person speaks, the partial captions prefill the twin's answer.
    let anticipate = AnticipateFor { twin: parse_id(twin_id)?, session_id: Some(state.jobs().session_id()) };
    let opts = ListenOptions { playing, anticipate: Some(anticipate), ..ListenOptions::default() };
    let heard = engine
        .listen(source, opts, cancel, move |e| {
            on_update(match e {
                ListenEvent::SpeechStarted => {
                    // Barge-in: the twin stops speaking and writing as soon as the person starts.
                    jobs.stop_all();
                    ListenUpdate::SpeechStarted
                }
                ListenEvent::Partial { text } => ListenUpdate::Partial { text },
                ListenEvent::SpeechEnded => ListenUpdate::SpeechEnded,
            })
        })
        .await?;
    Ok(heard.into())
}

/// Listens for one spoken question to a twin (microphone, or the test
/// input), prefilling its answer from the partial captions; with
/// `barge_in`, over the reply playing, which stops when the person speaks.
#[tauri::command]
#[specta::specta]
pub async fn listen_for_question(
    state: State<'_, AppState>,
    twin_id: String,
    barge_in: bool,
    on_update: Channel<ListenUpdate>,
) -> Result<HeardView, ErrorReport> {
    listen(&state, &twin_id, barge_in, move |u| {
        let _ = on_update.send(u);
    })
    .await
}

/// Stops listening (the person pressed Talk again or left the screen).
#[tauri::command]
#[specta::specta]
pub fn stop_listening(state: State<'_, AppState>) {
    state.jobs().stop_listening();
}
