//! The speech-output benchmark (`alter bench tts`): our real-time factor and
//! time to first audio, side by side with the PyPI `piper-tts` command on the
//! same voice and text, measured in the same run; plus the phoneme-timing
//! checks. The baseline is installed into a virtual environment only when the
//! benchmark runs; when `pip` fails the report says "baseline unavailable".
//!
//! Timings on a shared machine are noisy: compare the two columns, not runs.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use alter_core::CancelToken;
use serde::Serialize;

use crate::{LoadOptions, SpeakOptions, Speech, Synthesizer, TtsError};

/// A three-sentence reply: time to its first audio is what a listener waits.
pub const REPLY: &str = "Thanks for asking. The Leeds depot opens at nine in the morning. \
    I will send you the delivery figures before Friday.";
/// A longer paragraph for the real-time factor.
pub const PARAGRAPH: &str = "Our team looked after three depots last year, in Leeds, Bristol and Glasgow. \
    Deliveries grew by a fifth, and late orders fell to under two in every hundred. \
    Most of that came from planning routes a day ahead, and from asking drivers what slowed them down. \
    Next spring we want to open a fourth site near Manchester, if the budget allows it.";

#[derive(Debug, Clone, Default)]
pub struct BenchOptions {
    pub threads: usize,
    /// Folder for the baseline's virtual environment (default `$models/.bench-venv`).
    pub venv: Option<PathBuf>,
    /// Skip the baseline (offline runs).
    pub no_baseline: bool,
}

/// One engine's figures.
#[derive(Debug, Clone, Serialize)]
pub struct EngineFigures {
    pub rtf: f32,
    pub first_audio_ms: f32,
    pub audio_seconds: f32,
}

/// How well pauses in the timeline match silence in the audio.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PauseAlignment {
    /// Pauses (punctuation inside the text) checked.
    pub pauses: usize,
    /// Pauses whose middle is silent in the audio (should equal `pauses`).
    pub silent_midpoints: usize,
    /// Mean distance between predicted and measured pause edges.
    pub mean_abs_error_ms: f32,
    pub max_abs_error_ms: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub voice: String,
    pub threads: usize,
    pub ours: EngineFigures,
    /// `Err` says why the baseline could not run.
    pub baseline: Result<EngineFigures, String>,
    /// |timeline end − audio length| (durations × hop against the samples).
    pub timeline_vs_audio_ms: f32,
    pub pauses: PauseAlignment,
}

/// Finds the silent stretches around each internal pause of the timeline and
/// measures how far their edges are from the predicted ones.
pub fn pause_alignment(speech: &Speech) -> PauseAlignment {
    let sr = speech.sample_rate as f32;
    let win = (sr * 0.005) as usize;
    if win == 0 || speech.samples.len() < win * 4 {
        return PauseAlignment::default();
    }
    let env: Vec<f32> =
        speech.samples.chunks(win).map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt()).collect();
    let mut sorted = env.clone();
    sorted.sort_by(f32::total_cmp);
    // Quiet means 30 dB below the loud speech (90th percentile).
    let threshold = sorted[sorted.len() * 9 / 10] * 0.0316;
    let frame_ms = win as f32 * 1000.0 / sr;
    let mut errors = Vec::new();
    let mut pauses = 0;
    let mut silent_midpoints = 0;
    let last = speech.phonemes.len().saturating_sub(1);
    for (i, p) in speech.phonemes.iter().enumerate() {
        let is_pause = p.phoneme.chars().all(|c| ".,?!;:".contains(c)) && !p.phoneme.is_empty();
        if !is_pause || i == last || i == 0 || p.end_ms - p.start_ms < 60.0 {
            continue;
        }
        pauses += 1;
        let mid = (((p.start_ms + p.end_ms) / 2.0) / frame_ms) as usize;
        if mid >= env.len() || env[mid] > threshold {
            // No silence where the timeline says pause: count the whole pause as error.
            errors.push((p.end_ms - p.start_ms) / 2.0);
            continue;
        }
        silent_midpoints += 1;
        let mut a = mid;
        while a > 0 && env[a - 1] <= threshold {
            a -= 1;
        }
        let mut b = mid;
        while b + 1 < env.len() && env[b + 1] <= threshold {
            b += 1;
        }
        errors.push((a as f32 * frame_ms - p.start_ms).abs());
        errors.push(((b + 1) as f32 * frame_ms - p.end_ms).abs());
    }
    if errors.is_empty() {
        return PauseAlignment::default();
    }
    PauseAlignment {
        pauses,
        silent_midpoints,
        mean_abs_error_ms: errors.iter().sum::<f32>() / errors.len() as f32,
        max_abs_error_ms: errors.iter().fold(0.0, |m: f32, e| m.max(*e)),
    }
}

fn time_first_audio(synth: &Arc<Synthesizer>) -> Result<f32, TtsError> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let mut stream = synth.stream(REPLY, &SpeakOptions::default(), CancelToken::new())?;
        stream.next().ok_or(TtsError::NothingToSay)??;
        times.push(started.elapsed().as_secs_f32() * 1000.0);
        for chunk in stream {
            chunk?;
        }
    }
    times.sort_by(f32::total_cmp);
    Ok(times[1])
}

/// Runs the benchmark on the first installed voice.
pub fn run_bench(models_dir: &Path, options: &BenchOptions) -> Result<BenchReport, TtsError> {
    let threads = if options.threads == 0 { 2 } else { options.threads };
    let synth = Arc::new(Synthesizer::load(models_dir, &LoadOptions { voice: None, threads })?);
    synth.synthesize("Warming up.", &SpeakOptions::default())?;
    let mut best = f32::MAX;
    let mut speech = Speech::default();
    for _ in 0..3 {
        let started = Instant::now();
        speech = synth.synthesize(PARAGRAPH, &SpeakOptions::default())?;
        best = best.min(started.elapsed().as_secs_f32());
    }
    let audio_seconds = speech.duration_ms() / 1000.0;
    let ours = EngineFigures { rtf: best / audio_seconds, first_audio_ms: time_first_audio(&synth)?, audio_seconds };
    let timeline_vs_audio_ms = (speech.phonemes.last().map_or(0.0, |p| p.end_ms) - speech.duration_ms()).abs();
    let flat = SpeakOptions { noise_scale: Some(0.0), noise_w: Some(0.0), ..SpeakOptions::default() };
    let pauses = pause_alignment(&synth.synthesize(PARAGRAPH, &flat)?);
    let baseline = if options.no_baseline {
        Err("baseline skipped".to_owned())
    } else {
        let venv = options.venv.clone().unwrap_or_else(|| models_dir.join(".bench-venv"));
        piper_baseline(&venv, &synth.files().onnx, threads)
    };
    Ok(BenchReport { voice: synth.voice().name.clone(), threads, ours, baseline, timeline_vs_audio_ms, pauses })
}

const BASELINE_SCRIPT: &str = r#"
import json, sys, time
import onnxruntime
from piper import PiperVoice
model, threads, reply, para = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
voice = PiperVoice.load(model)
opts = onnxruntime.SessionOptions()
opts.intra_op_num_threads = threads
voice.session = onnxruntime.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
list(voice.synthesize("Warming up."))
best, samples = 1e9, 0
for _ in range(3):
    t = time.perf_counter()
    samples = sum(len(c.audio_float_array) for c in voice.synthesize(para))
    best = min(best, time.perf_counter() - t)
firsts = []
for _ in range(3):
    t = time.perf_counter()
    it = iter(voice.synthesize(reply))
    next(it)
    firsts.append((time.perf_counter() - t) * 1000)
    list(it)
firsts.sort()
secs = samples / voice.config.sample_rate
print(json.dumps({"rtf": best / secs, "first_audio_ms": firsts[1], "audio_seconds": secs}))
"#;

/// Installs `piper-tts` into `venv` when needed and runs it on the same voice.
fn piper_baseline(venv: &Path, model: &Path, threads: usize) -> Result<EngineFigures, String> {
    let python = venv.join("bin/python");
    if !python.is_file() {
        let made = Command::new("python3").arg("-m").arg("venv").arg(venv).output();
        if !made.as_ref().is_ok_and(|o| o.status.success()) {
            return Err("baseline unavailable: python3 -m venv failed".into());
        }
    }
    let has_piper = Command::new(&python).args(["-c", "import piper"]).output().is_ok_and(|o| o.status.success());
    if !has_piper {
        let pip = Command::new(&python).args(["-m", "pip", "install", "-q", "piper-tts"]).output();
        match pip {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                let why = String::from_utf8_lossy(&o.stderr);
                return Err(format!("baseline unavailable: pip install piper-tts failed: {}", why.trim()));
            }
            Err(e) => return Err(format!("baseline unavailable: could not run pip: {e}")),
        }
    }
    let out = Command::new(&python)
        .arg("-c")
        .arg(BASELINE_SCRIPT)
        .arg(model)
        .arg(threads.to_string())
        .arg(REPLY)
        .arg(PARAGRAPH)
        .output()
        .map_err(|e| format!("baseline unavailable: {e}"))?;
    if !out.status.success() {
        return Err(format!("baseline failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("baseline printed no figures: {e}"))?;
    let num = |k: &str| v.get(k).and_then(serde_json::Value::as_f64).map(|x| x as f32).ok_or(format!("no {k}"));
    Ok(EngineFigures { rtf: num("rtf")?, first_audio_ms: num("first_audio_ms")?, audio_seconds: num("audio_seconds")? })
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "tts: voice {}, {} threads (timings noisy on a shared machine)", self.voice, self.threads)?;
        writeln!(f, "{:<28} {:>12} {:>14}", "", "alter-tts", "piper-tts")?;
        let base = |g: fn(&EngineFigures) -> String| self.baseline.as_ref().map_or("unavailable".to_owned(), g);
        writeln!(
            f,
            "{:<28} {:>12} {:>14}",
            "real-time factor (≤ 0.10)",
            format!("{:.3}", self.ours.rtf),
            base(|b| format!("{:.3}", b.rtf))
        )?;
        writeln!(
            f,
            "{:<28} {:>12} {:>14}",
            "first audio, ms (≤ 250)",
            format!("{:.0}", self.ours.first_audio_ms),
            base(|b| format!("{:.0}", b.first_audio_ms))
        )?;
        writeln!(
            f,
            "{:<28} {:>12} {:>14}",
            "audio seconds",
            format!("{:.2}", self.ours.audio_seconds),
            base(|b| format!("{:.2}", b.audio_seconds))
        )?;
        if let Err(why) = &self.baseline {
            writeln!(f, "baseline: {why}")?;
        }
        writeln!(f, "timeline end vs audio length: {:.2} ms", self.timeline_vs_audio_ms)?;
        write!(
            f,
            "pause edges vs silence: {} pauses ({} silent in the middle), mean {:.1} ms, max {:.1} ms",
            self.pauses.pauses,
            self.pauses.silent_midpoints,
            self.pauses.mean_abs_error_ms,
            self.pauses.max_abs_error_ms
        )
    }
}
