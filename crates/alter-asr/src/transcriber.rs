//! [`Transcriber`]: the Whisper model on its own thread.
//!
//! Invariants: the whisper context and its decoding state never leave the
//! worker thread; every request runs under `catch_unwind`, and after a panic
//! the state is rebuilt before the next request. Callers may be async
//! ([`Transcriber::transcribe`]) or blocking ([`Transcriber::transcribe_blocking`]);
//! both only wait on a channel.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState};

use crate::detect::LanguageDetector;
use crate::options::default_threads;
use crate::{AsrError, AudioContext, Language, TranscribeOptions, TranscriberOptions, to_simplified};

/// Whisper reads 16 kHz mono.
pub const RATE: u32 = 16_000;
/// Encoder frames per second of audio (30 s ↔ 1500 frames).
const FRAMES_PER_S: f64 = 50.0;
/// Margin added to the clip's length for [`AudioContext::Auto`]; below ~1 s
/// of margin Whisper starts dropping the last words.
const CTX_MARGIN: u32 = 64;
/// The initial prompt that steers Mandarin output to Simplified characters.
const ZH_PROMPT: &str = "以下是普通话的句子，使用简体中文。";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub start_s: f32,
    pub end_s: f32,
    pub probability: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start_s: f32,
    pub end_s: f32,
    pub text: String,
    /// Filled only when word timestamps were asked for.
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub text: String,
    /// ISO code of the decoded language (`en`, `zh`, ...).
    pub language: String,
    pub segments: Vec<Segment>,
    pub audio_s: f64,
    /// Wall time spent inside whisper.cpp.
    pub decode_s: f64,
}

enum Reply {
    Sync(mpsc::SyncSender<Result<Transcript, AsrError>>),
    Async(tokio::sync::oneshot::Sender<Result<Transcript, AsrError>>),
}

struct Request {
    audio: Vec<f32>,
    opts: TranscribeOptions,
    reply: Reply,
}

/// A loaded Whisper model serving requests one at a time.
pub struct Transcriber {
    tx: Option<mpsc::Sender<Request>>,
    thread: Option<JoinHandle<()>>,
    model: PathBuf,
    threads: usize,
}

impl std::fmt::Debug for Transcriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcriber").field("model", &self.model).field("threads", &self.threads).finish()
    }
}

impl Transcriber {
    /// Loads the model on a new thread; returns once it is ready (or failed).
    pub fn load(model: &Path, opts: &TranscriberOptions) -> Result<Self, AsrError> {
        // Checked here: whisper.cpp's own message for a missing file is opaque.
        if !model.is_file() {
            return Err(AsrError::ModelMissing(model.to_path_buf()));
        }
        let threads = opts.threads.unwrap_or_else(default_threads).max(1);
        let (tx, rx) = mpsc::channel::<Request>();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<(), AsrError>>(1);
        let path = model.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("alter-asr".into())
            .spawn(move || worker(path, threads, rx, ready_tx))
            .map_err(|e| AsrError::Decode(format!("could not start the recogniser thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Self { tx: Some(tx), thread: Some(thread), model: model.to_path_buf(), threads }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err(AsrError::ModelLoad { path: model.to_path_buf(), reason: "the loader crashed".into() })
            }
        }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Transcribes 16 kHz mono audio, waiting without blocking the async runtime.
    pub async fn transcribe(&self, audio: Vec<f32>, opts: TranscribeOptions) -> Result<Transcript, AsrError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send(Request { audio, opts, reply: Reply::Async(tx) })?;
        rx.await.map_err(|_| AsrError::WorkerGone)?
    }

    /// Transcribes 16 kHz mono audio from a plain thread.
    pub fn transcribe_blocking(&self, audio: &[f32], opts: &TranscribeOptions) -> Result<Transcript, AsrError> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Request { audio: audio.to_vec(), opts: opts.clone(), reply: Reply::Sync(tx) })?;
        rx.recv().map_err(|_| AsrError::WorkerGone)?
    }

    /// Decodes any audio file (resampled to 16 kHz) and transcribes it.
    pub fn transcribe_file(&self, path: &Path, opts: &TranscribeOptions) -> Result<Transcript, AsrError> {
        let audio = alter_audio::decode_file(path, RATE)?;
        self.transcribe_blocking(&audio.samples, opts)
    }

    fn send(&self, req: Request) -> Result<(), AsrError> {
        self.tx.as_ref().ok_or(AsrError::WorkerGone)?.send(req).map_err(|_| AsrError::WorkerGone)
    }
}

impl Drop for Transcriber {
    fn drop(&mut self) {
        self.tx.take(); // closing the channel ends the worker loop
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn worker(path: PathBuf, threads: usize, rx: mpsc::Receiver<Request>, ready: mpsc::SyncSender<Result<(), AsrError>>) {
    whisper_rs::install_logging_hooks(); // keep whisper.cpp's chatter off stderr
    let load = || -> Result<(WhisperContext, WhisperState, LanguageDetector), AsrError> {
        let load_err = |reason: String| AsrError::ModelLoad { path: path.clone(), reason };
        let path_str = path.to_str().ok_or_else(|| load_err("the path is not valid UTF-8".into()))?;
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        let ctx = WhisperContext::new_with_params(path_str, params).map_err(|e| load_err(e.to_string()))?;
        let state = ctx.create_state().map_err(|e| load_err(e.to_string()))?;
        let detector = LanguageDetector::new(&ctx, threads).map_err(|e| load_err(e.to_string()))?;
        Ok((ctx, state, detector))
    };
    let (ctx, mut state, mut detector) = match catch_unwind(AssertUnwindSafe(load)) {
        Ok(Ok(pair)) => pair,
        Ok(Err(e)) => {
            let _ = ready.send(Err(e));
            return;
        }
        Err(_) => {
            let _ = ready.send(Err(AsrError::ModelLoad { path: path.clone(), reason: "the loader panicked".into() }));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    while let Ok(req) = rx.recv() {
        let result =
            match catch_unwind(AssertUnwindSafe(|| run(&mut state, &mut detector, &req.audio, &req.opts, threads))) {
                Ok(r) => r,
                Err(_) => {
                    // The states may be half-written; start fresh ones.
                    match ctx.create_state().and_then(|s| Ok((s, LanguageDetector::new(&ctx, threads)?))) {
                        Ok((s, d)) => (state, detector) = (s, d),
                        Err(_) => {
                            reply(req.reply, Err(AsrError::Panicked));
                            return;
                        }
                    }
                    Err(AsrError::Panicked)
                }
            };
        reply(req.reply, result);
    }
}

fn reply(to: Reply, result: Result<Transcript, AsrError>) {
    match to {
        Reply::Sync(tx) => {
            let _ = tx.send(result);
        }
        Reply::Async(tx) => {
            let _ = tx.send(result);
        }
    }
}

/// The decoding parameters, shared with the bare-whisper baseline in the bench
/// so that both sides run exactly the same settings.
pub(crate) fn full_params<'a>(opts: &'a TranscribeOptions, n_samples: usize, threads: usize) -> FullParams<'a, 'a> {
    let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
    p.set_n_threads(threads as i32);
    p.set_print_progress(false);
    p.set_print_realtime(false);
    p.set_print_special(false);
    p.set_print_timestamps(false);
    p.set_translate(false);
    p.set_no_context(true);
    p.set_no_timestamps(!opts.timestamps && !opts.word_timestamps);
    p.set_token_timestamps(opts.word_timestamps);
    p.set_single_segment(opts.single_segment);
    p.set_suppress_blank(true);
    // Final transcripts re-decode at a higher temperature when the greedy
    // pass loops ("。。。。"); live partials stay greedy-only for speed.
    p.set_temperature_inc(if opts.single_segment { 0.0 } else { 0.2 });
    match opts.language.code() {
        Some(code) => p.set_language(Some(code)),
        None => p.set_language(Some("auto")),
    }
    if let Some(prompt) = opts.initial_prompt.as_deref() {
        p.set_initial_prompt(prompt);
    } else if opts.language == Language::Chinese {
        p.set_initial_prompt(ZH_PROMPT);
    }
    let ctx = match opts.audio_context {
        AudioContext::Full => 0,
        AudioContext::Frames(n) => n.min(1500) as i32,
        AudioContext::Auto => {
            let frames = (n_samples as f64 / RATE as f64 * FRAMES_PER_S).ceil() as u32 + CTX_MARGIN;
            // Whisper's positional window is 1500; at ≥ 30 s the full context is used.
            if frames >= 1500 { 0 } else { frames.max(256) as i32 }
        }
    };
    p.set_audio_ctx(ctx);
    // Speech carries at most ~15 tokens a second (Mandarin, one or two per
    // character); a clip's segment longer than that is a repetition loop, and
    // with the temperature fallback a loop could otherwise run for minutes.
    let seconds = n_samples as f64 / RATE as f64;
    if seconds < 30.0 {
        p.set_max_tokens((seconds * TOKENS_PER_S).ceil() as i32 + 32);
    }
    p
}

/// `opts` with [`Language::Auto`] replaced by the language `detector` hears.
pub(crate) fn detected(
    detector: &mut LanguageDetector,
    audio: &[f32],
    opts: &TranscribeOptions,
    threads: usize,
) -> Result<TranscribeOptions, AsrError> {
    let mut opts = opts.clone();
    if opts.language == Language::Auto {
        opts.language = detector.detect(audio, threads).map_err(|e| AsrError::Decode(e.to_string()))?;
    }
    if opts.initial_prompt.is_none() {
        opts.initial_prompt = hint_prompt(opts.language.clone(), &opts.hints);
    }
    Ok(opts)
}

/// The decoder prompt made of the Latin-script hints, for speech in any
/// language but Chinese: on the evaluation's English questions the
/// documents' terms took word errors from 36 % to 21 % ("Dispatch Planner 3
/// point zero" instead of "this patch plan a free point to zero"). Chinese
/// keeps its plain simplified-Chinese prompt: whisper-base hears the
/// evaluation's Mandarin questions as English, so what Chinese terms would
/// do could not be measured.
fn hint_prompt(language: Language, hints: &[String]) -> Option<String> {
    if language == Language::Chinese {
        return None;
    }
    let han = |t: &&String| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let terms: Vec<&str> = hints.iter().filter(|t| !han(t)).map(String::as_str).collect();
    (!terms.is_empty()).then(|| format!("{}.", terms.join(", ")))
}

/// The most tokens per second of audio that speech produces (see [`full_params`]).
const TOKENS_PER_S: f64 = 15.0;

pub(crate) fn check_audio(audio: &[f32]) -> Result<(), AsrError> {
    if audio.len() < (RATE as usize / 10) {
        return Err(AsrError::BadAudio("it is shorter than 0.1 s".into()));
    }
    if audio.iter().any(|s| !s.is_finite()) {
        return Err(AsrError::BadAudio("it contains invalid (NaN or infinite) samples".into()));
    }
    Ok(())
}

fn run(
    state: &mut WhisperState,
    detector: &mut LanguageDetector,
    audio: &[f32],
    opts: &TranscribeOptions,
    threads: usize,
) -> Result<Transcript, AsrError> {
    check_audio(audio)?;
    let started = Instant::now();
    let opts = &detected(detector, audio, opts, threads)?;
    let params = full_params(opts, audio.len(), threads);
    state.full(params, audio).map_err(|e| AsrError::Decode(e.to_string()))?;
    let decode_s = started.elapsed().as_secs_f64();
    let lang_id = state.full_lang_id_from_state();
    let language = whisper_rs::get_lang_str(lang_id).unwrap_or("unknown").to_string();
    let zh = language == "zh";
    let fix = |s: &str| if zh { to_simplified(s) } else { s.to_string() };
    let mut segments = Vec::new();
    for i in 0..state.full_n_segments() {
        let Some(seg) = state.get_segment(i) else { continue };
        let text = seg.to_str_lossy().map_err(|e| AsrError::Decode(e.to_string()))?;
        let mut words = Vec::new();
        if opts.word_timestamps {
            words = words_of(&seg, &fix);
        }
        segments.push(Segment {
            start_s: seg.start_timestamp() as f32 / 100.0,
            end_s: seg.end_timestamp() as f32 / 100.0,
            text: squash_repeats(&fix(text.trim())),
            words,
        });
    }
    let sep = if zh { "" } else { " " };
    let text = segments.iter().map(|s| s.text.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(sep);
    Ok(Transcript { text, language, segments, audio_s: audio.len() as f64 / RATE as f64, decode_s })
}

/// Collapses a piece of text (1 to 8 characters) repeated more than three
/// times in a row, over at least 8 characters, to one occurrence: Whisper's failure mode on audio it
/// cannot read is an endless loop of the same token.
pub(crate) fn squash_repeats(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    'scan: while i < chars.len() {
        for len in 1..=8usize {
            let unit = &chars[i..(i + len).min(chars.len())];
            if unit.len() < len {
                break;
            }
            let mut n = 1;
            while i + (n + 1) * len <= chars.len() && chars[i + n * len..i + (n + 1) * len] == *unit {
                n += 1;
            }
            if n > 3 && n * len >= 8 {
                out.extend_from_slice(unit);
                i += n * len;
                continue 'scan;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out.into_iter().collect()
}

/// Merges tokens into words: a token starting with a space opens a new word
/// (English); for Chinese each token is its own word.
fn words_of(seg: &whisper_rs::WhisperSegment<'_>, fix: &dyn Fn(&str) -> String) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    for t in 0..seg.n_tokens() {
        let Some(tok) = seg.get_token(t) else { continue };
        let Ok(text) = tok.to_str_lossy() else { continue };
        // Special tokens ([_BEG_], <|en|>, ...) are not words.
        if text.starts_with("[_") || text.starts_with("<|") {
            continue;
        }
        let data = tok.token_data();
        let (start, end) = (data.t0 as f32 / 100.0, data.t1 as f32 / 100.0);
        let starts_word = text.starts_with(' ') || words.is_empty() || !text.is_ascii();
        if starts_word {
            words.push(Word { text: fix(text.trim()), start_s: start, end_s: end, probability: data.p });
        } else if let Some(w) = words.last_mut() {
            w.text.push_str(&fix(&text));
            w.end_s = end;
            w.probability = w.probability.min(data.p);
        }
    }
    words.retain(|w| !w.text.is_empty());
    words
}

#[cfg(test)]
mod tests {
    use super::{Language, hint_prompt, squash_repeats};

    #[test]
    fn hints_become_a_prompt_in_the_heard_script() {
        let hints = vec!["Bluefin Logistics".to_owned(), "Dispatch Planner 3.0".to_owned(), "需求评审".to_owned()];
        assert_eq!(hint_prompt(Language::English, &hints).as_deref(), Some("Bluefin Logistics, Dispatch Planner 3.0."));
        assert_eq!(hint_prompt(Language::Chinese, &hints), None, "Chinese keeps its plain prompt");
        assert_eq!(hint_prompt(Language::English, &[]), None);
    }

    #[test]
    fn loops_collapse_and_ordinary_text_stays() {
        assert_eq!(squash_repeats("。。。。。。。。"), "。");
        assert_eq!(squash_repeats("Mafiq FI5-4-4-4-4-4-4-4"), "Mafiq FI5-4");
        assert_eq!(squash_repeats("寒寒寒寒寒寒寒寒寒"), "寒");
        assert_eq!(squash_repeats("哈哈哈哈"), "哈哈哈哈");
        assert_eq!(squash_repeats("When did you join Bluefin?"), "When did you join Bluefin?");
        assert_eq!(squash_repeats("1000 vans, 2222 km"), "1000 vans, 2222 km");
        assert_eq!(squash_repeats(""), "");
    }
}
