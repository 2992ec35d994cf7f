//! Benchmarks the CLI's `alter bench asr` runs, each against a baseline
//! measured in the same run:
//! - real-time factor of our [`Transcriber`] vs whisper-rs called bare on the
//!   same file with the same parameters (our channel/thread/catch_unwind
//!   overhead must vanish);
//! - WER (English) and CER (Chinese) on a spoken question set.
//!
//! Runs alternate ours/bare so drift in a shared CPU hits both sides alike;
//! the median of each side is reported.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use whisper_rs::{WhisperContext, WhisperContextParameters};

use crate::transcriber::{RATE, check_audio, full_params};
use crate::{
    AsrError, Language, TranscribeOptions, Transcriber, TranscriberOptions, character_error_rate, word_error_rate,
};

#[derive(Debug, Clone)]
pub struct AsrBenchOptions {
    pub model: PathBuf,
    pub audio: PathBuf,
    pub repeats: usize,
    pub transcribe: TranscribeOptions,
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AsrBenchReport {
    pub audio_file: String,
    pub audio_s: f64,
    pub threads: usize,
    pub repeats: usize,
    pub ours_s: f64,
    pub bare_s: f64,
    pub ours_rtf: f64,
    pub bare_rtf: f64,
    /// (ours − bare) / bare, in percent.
    pub overhead_pct: f64,
    pub text_ours: String,
    pub text_bare: String,
}

impl AsrBenchReport {
    /// A side-by-side table for the terminal.
    pub fn table(&self) -> String {
        format!(
            "ASR real-time factor on {} ({:.2} s audio, {} threads, median of {})\n\
             {:<22}{:>10}{:>10}\n{:<22}{:>10.3}{:>10.3}\n{:<22}{:>10.4}{:>10.4}\noverhead of our wrapper: {:+.1} %\n",
            self.audio_file,
            self.audio_s,
            self.threads,
            self.repeats,
            "",
            "ours",
            "bare",
            "seconds",
            self.ours_s,
            self.bare_s,
            "RTF",
            self.ours_rtf,
            self.bare_rtf,
            self.overhead_pct
        )
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

/// Times our wrapper and bare whisper-rs on the same file and settings.
pub fn run_asr_bench(opts: &AsrBenchOptions) -> Result<AsrBenchReport, AsrError> {
    let audio = alter_audio::decode_file(&opts.audio, RATE)?.samples;
    check_audio(&audio)?;
    let ours = Transcriber::load(&opts.model, &TranscriberOptions { threads: opts.threads })?;
    let threads = ours.threads();
    let path = opts.model.to_str().ok_or_else(|| AsrError::ModelMissing(opts.model.clone()))?;
    let load_err =
        |e: whisper_rs::WhisperError| AsrError::ModelLoad { path: opts.model.clone(), reason: e.to_string() };
    let mut cparams = WhisperContextParameters::default();
    cparams.use_gpu(false);
    let ctx = WhisperContext::new_with_params(path, cparams).map_err(load_err)?;
    let mut state = ctx.create_state().map_err(load_err)?;

    let mut bare_once = || -> Result<(f64, String), AsrError> {
        let t = Instant::now();
        state
            .full(full_params(&opts.transcribe, audio.len(), threads), &audio)
            .map_err(|e| AsrError::Decode(e.to_string()))?;
        let mut text = String::new();
        for i in 0..state.full_n_segments() {
            if let Some(seg) = state.get_segment(i) {
                text.push_str(&seg.to_str_lossy().map_err(|e| AsrError::Decode(e.to_string()))?);
            }
        }
        Ok((t.elapsed().as_secs_f64(), text.trim().to_string()))
    };
    // Warm-up both (page cache, allocator, CPU frequency).
    bare_once()?;
    ours.transcribe_blocking(&audio, &opts.transcribe)?;
    let (mut t_ours, mut t_bare) = (Vec::new(), Vec::new());
    let (mut text_ours, mut text_bare) = (String::new(), String::new());
    for _ in 0..opts.repeats.max(1) {
        let t = Instant::now();
        let tr = ours.transcribe_blocking(&audio, &opts.transcribe)?;
        t_ours.push(t.elapsed().as_secs_f64());
        text_ours = tr.text;
        let (s, text) = bare_once()?;
        t_bare.push(s);
        text_bare = text;
    }
    let audio_s = audio.len() as f64 / RATE as f64;
    let (ours_s, bare_s) = (median(t_ours), median(t_bare));
    Ok(AsrBenchReport {
        audio_file: opts.audio.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        audio_s,
        threads,
        repeats: opts.repeats.max(1),
        ours_s,
        bare_s,
        ours_rtf: ours_s / audio_s,
        bare_rtf: bare_s / audio_s,
        overhead_pct: (ours_s - bare_s) / bare_s * 100.0,
        text_ours,
        text_bare,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WerItem {
    pub id: String,
    pub lang: String,
    pub detected_language: String,
    pub reference: String,
    pub hypothesis: String,
    pub errors: usize,
    pub reference_len: usize,
    pub rtf: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WerBenchReport {
    pub items: Vec<WerItem>,
    /// Word error rate over the English items (pooled edits / pooled words).
    pub en_wer: f64,
    /// Character error rate over the Chinese items.
    pub zh_cer: f64,
    /// Share of items whose detected language matched.
    pub language_accuracy: f64,
    pub mean_rtf: f64,
}

impl WerBenchReport {
    pub fn table(&self) -> String {
        let mut s = format!("{:<5}{:<4}{:<4}{:>6}  {}\n", "id", "ref", "asr", "err", "hypothesis");
        for i in &self.items {
            s.push_str(&format!(
                "{:<5}{:<4}{:<4}{:>3}/{:<3} {}\n",
                i.id, i.lang, i.detected_language, i.errors, i.reference_len, i.hypothesis
            ));
        }
        s.push_str(&format!(
            "English WER {:.1} %  Chinese CER {:.1} %  language detection {:.0} %  mean RTF {:.3}\n",
            self.en_wer * 100.0,
            self.zh_cer * 100.0,
            self.language_accuracy * 100.0,
            self.mean_rtf
        ));
        s
    }
}

#[derive(Deserialize)]
struct Question {
    id: String,
    lang: String,
    question: String,
}

/// Transcribes `audio_dir/<id>.wav` for each question (language auto-detected,
/// as the app does) and scores it against the question text.
pub fn run_wer_bench(t: &Transcriber, questions: &Path, audio_dir: &Path) -> Result<WerBenchReport, AsrError> {
    let text = std::fs::read_to_string(questions)
        .map_err(|e| AsrError::BadAudio(format!("cannot read {}: {e}", questions.display())))?;
    let mut items = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let q: Question = serde_json::from_str(line)
            .map_err(|e| AsrError::BadAudio(format!("bad line in {}: {e}", questions.display())))?;
        let wav = audio_dir.join(format!("{}.wav", q.id));
        if !wav.is_file() {
            continue;
        }
        let opts = TranscribeOptions { language: Language::Auto, timestamps: false, ..Default::default() };
        let tr = t.transcribe_file(&wav, &opts)?;
        let (errors, reference_len) = if q.lang == "zh" {
            character_error_rate(&q.question, &tr.text)
        } else {
            word_error_rate(&q.question, &tr.text)
        };
        items.push(WerItem {
            id: q.id,
            detected_language: tr.language.clone(),
            lang: q.lang,
            reference: q.question,
            hypothesis: tr.text,
            errors,
            reference_len,
            rtf: tr.decode_s / tr.audio_s,
        });
    }
    let pooled = |lang: &str| {
        let (e, n) =
            items.iter().filter(|i| i.lang == lang).fold((0, 0), |(e, n), i| (e + i.errors, n + i.reference_len));
        if n == 0 { 0.0 } else { e as f64 / n as f64 }
    };
    let n = items.len().max(1) as f64;
    Ok(WerBenchReport {
        en_wer: pooled("en"),
        zh_cer: pooled("zh"),
        language_accuracy: items.iter().filter(|i| i.lang == i.detected_language).count() as f64 / n,
        mean_rtf: items.iter().map(|i| i.rtf).sum::<f64>() / n,
        items,
    })
}
