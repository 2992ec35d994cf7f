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

use crate::detect::LanguageDetector;
use crate::transcriber::{RATE, check_audio, detected, full_params};
use crate::{
    AsrError, Language, TranscribeOptions, Transcriber, TranscriberOptions, character_error_rate, word_error_rate,
};

#[derive(Debug, Clone)]
pub struct AsrBenchOptions {
    pub model: PathBuf,
    /// The same model in another format, timed bare as a third column (the f16 file beside Q8_0).
    pub reference_model: Option<PathBuf>,
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
    /// The reference model's file name, seconds and text, when one was timed.
    pub reference_model: Option<String>,
    pub reference_s: Option<f64>,
    pub reference_rtf: Option<f64>,
    pub text_reference: Option<String>,
}

impl AsrBenchReport {
    /// A side-by-side table for the terminal.
    pub fn table(&self) -> String {
        let cell = |v: Option<f64>, places: usize| v.map_or(String::new(), |v| format!("{v:>14.places$}"));
        let mut out = format!(
            "ASR real-time factor on {} ({:.2} s audio, {} threads, median of {})\n\
             {:<22}{:>10}{:>10}{}\n{:<22}{:>10.3}{:>10.3}{}\n{:<22}{:>10.4}{:>10.4}{}\noverhead of our wrapper: {:+.1} %\n",
            self.audio_file,
            self.audio_s,
            self.threads,
            self.repeats,
            "",
            "ours",
            "bare",
            if self.reference_s.is_some() { format!("{:>14}", "bare, f16") } else { String::new() },
            "seconds",
            self.ours_s,
            self.bare_s,
            cell(self.reference_s, 3),
            "RTF",
            self.ours_rtf,
            self.bare_rtf,
            cell(self.reference_rtf, 4),
            self.overhead_pct
        );
        if let (Some(model), Some(s)) = (&self.reference_model, self.reference_s) {
            out.push_str(&format!("ours against bare {model}: {:.2}x as fast\n", s / self.ours_s.max(1e-9)));
        }
        out
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}

/// whisper-rs called bare: a context, a state and the same language detection as ours.
struct Bare {
    state: whisper_rs::WhisperState,
    detector: LanguageDetector,
    threads: usize,
}

impl Bare {
    fn load(model: &Path, threads: usize) -> Result<Self, AsrError> {
        let load_err =
            |e: whisper_rs::WhisperError| AsrError::ModelLoad { path: model.to_path_buf(), reason: e.to_string() };
        let path = model.to_str().ok_or_else(|| AsrError::ModelMissing(model.to_path_buf()))?;
        let mut cparams = WhisperContextParameters::default();
        cparams.use_gpu(false);
        let ctx = WhisperContext::new_with_params(path, cparams).map_err(load_err)?;
        let state = ctx.create_state().map_err(load_err)?;
        let detector = LanguageDetector::new(&ctx, threads).map_err(load_err)?;
        Ok(Self { state, detector, threads })
    }

    fn once(&mut self, audio: &[f32], opts: &TranscribeOptions) -> Result<(f64, String), AsrError> {
        let t = Instant::now();
        let opts = detected(&mut self.detector, audio, opts, self.threads)?;
        self.state
            .full(full_params(&opts, audio.len(), self.threads), audio)
            .map_err(|e| AsrError::Decode(e.to_string()))?;
        let mut text = String::new();
        for i in 0..self.state.full_n_segments() {
            if let Some(seg) = self.state.get_segment(i) {
                text.push_str(&seg.to_str_lossy().map_err(|e| AsrError::Decode(e.to_string()))?);
            }
        }
        Ok((t.elapsed().as_secs_f64(), text.trim().to_string()))
    }
}

/// Times our wrapper and bare whisper-rs on the same file and settings (and
/// bare whisper-rs on the reference model, when given).
pub fn run_asr_bench(opts: &AsrBenchOptions) -> Result<AsrBenchReport, AsrError> {
    let audio = alter_audio::decode_file(&opts.audio, RATE)?.samples;
    check_audio(&audio)?;
    let ours = Transcriber::load(&opts.model, &TranscriberOptions { threads: opts.threads })?;
    let threads = ours.threads();
    let mut bare = Bare::load(&opts.model, threads)?;
    let mut reference = match opts.reference_model.as_deref().filter(|m| m.is_file()) {
        Some(m) => Some(Bare::load(m, threads)?),
        None => None,
    };
    // Warm-up every side (page cache, allocator, CPU frequency).
    bare.once(&audio, &opts.transcribe)?;
    ours.transcribe_blocking(&audio, &opts.transcribe)?;
    if let Some(r) = reference.as_mut() {
        r.once(&audio, &opts.transcribe)?;
    }
    let (mut t_ours, mut t_bare, mut t_ref) = (Vec::new(), Vec::new(), Vec::new());
    let (mut text_ours, mut text_bare, mut text_ref) = (String::new(), String::new(), None);
    for _ in 0..opts.repeats.max(1) {
        let t = Instant::now();
        let tr = ours.transcribe_blocking(&audio, &opts.transcribe)?;
        t_ours.push(t.elapsed().as_secs_f64());
        text_ours = tr.text;
        let (s, text) = bare.once(&audio, &opts.transcribe)?;
        t_bare.push(s);
        text_bare = text;
        if let Some(r) = reference.as_mut() {
            let (s, text) = r.once(&audio, &opts.transcribe)?;
            t_ref.push(s);
            text_ref = Some(text);
        }
    }
    let audio_s = audio.len() as f64 / RATE as f64;
    let (ours_s, bare_s) = (median(t_ours), median(t_bare));
    let reference_s = reference.is_some().then(|| median(t_ref));
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
        reference_model: reference
            .is_some()
            .then(|| {
                opts.reference_model.as_ref().and_then(|m| m.file_name()).map(|n| n.to_string_lossy().into_owned())
            })
            .flatten(),
        reference_s,
        reference_rtf: reference_s.map(|s| s / audio_s),
        text_reference: text_ref,
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

/// Transcribes `audio_dir/<id>.wav` for each question (language auto-detected,
/// as the app does) and scores it against the question text.
pub fn run_wer_bench(t: &Transcriber, questions: &Path, audio_dir: &Path) -> Result<WerBenchReport, AsrError> {
    let questions = alter_core::eval::read_questions(questions)
        .map_err(|e| AsrError::BadAudio(format!("{}: {e}", questions.display())))?;
    let mut items = Vec::new();
    for q in questions {
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
