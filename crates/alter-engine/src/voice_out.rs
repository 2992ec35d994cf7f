//! Speaking: text to a WAV file with the phoneme/viseme timeline, optionally
//! in a twin's voice.
//!
//! The Piper voice is loaded once per process (on a blocking thread) and kept;
//! synthesis runs in `spawn_blocking` so it never blocks an async task. With
//! a twin, the voice is tuned toward the owner's voice samples found in the
//! twin's folder (median pitch); a twin without samples speaks untuned.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use alter_core::TwinId;
use alter_tts::{LoadOptions, SpeakOptions, Speech, Synthesizer, TimedPhoneme, TimedViseme, VoiceTarget};
use serde::Serialize;

use crate::{Engine, EngineError};

/// The loaded voice, shared by every engine in the process.
static VOICE: Mutex<Option<(PathBuf, Arc<Synthesizer>)>> = Mutex::new(None);

/// What `say` produced.
#[derive(Debug, Clone, Serialize)]
pub struct SayReport {
    pub out: PathBuf,
    pub voice: String,
    pub sample_rate: u32,
    pub seconds: f32,
    /// Pitch shift applied to match the twin's owner (semitones), when tuned.
    pub pitch_shift_semitones: f32,
    pub tuned: bool,
    /// The language left out when the text held some the voice cannot read.
    pub skipped: Option<String>,
    pub phonemes: Vec<TimedPhoneme>,
    pub visemes: Vec<TimedViseme>,
    pub timings_ms: SayTimings,
}

#[derive(Debug, Clone, Serialize)]
pub struct SayTimings {
    pub load: u64,
    pub synthesis: u64,
    pub total: u64,
}

impl Engine {
    /// The loaded voice (loading it on first use).
    pub async fn synthesizer(&self) -> Result<Arc<Synthesizer>, EngineError> {
        let models = self.config().models_dir.clone();
        let threads = self.config().threads;
        let task = tokio::task::spawn_blocking(move || {
            let mut slot = VOICE.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((dir, synth)) = slot.as_ref()
                && *dir == models
            {
                return Ok(Arc::clone(synth));
            }
            let synth = Arc::new(Synthesizer::load(&models, &LoadOptions { voice: None, threads })?);
            *slot = Some((models, Arc::clone(&synth)));
            Ok::<_, alter_tts::TtsError>(synth)
        });
        Ok(task.await.map_err(|e| alter_tts::TtsError::Inference(format!("the speech thread failed: {e}")))??)
    }

    /// Speaks `text` into a WAV file at `out`.
    pub async fn say(
        &self,
        text: &str,
        out: &Path,
        twin: Option<&TwinId>,
        options: SpeakOptions,
    ) -> Result<SayReport, EngineError> {
        let started = Instant::now();
        let synth = self.synthesizer().await?;
        let load = started.elapsed();
        let samples = match twin {
            Some(id) => {
                self.twin(id).await?;
                wav_files(&self.config().twin_dir(id), 3)
            }
            None => Vec::new(),
        };
        let text = text.to_owned();
        let out = out.to_path_buf();
        let task = tokio::task::spawn_blocking(move || {
            let mut options = options;
            let mut tuned = false;
            if let Some(pitch) = owner_pitch(&samples) {
                let tuning =
                    synth.tune_toward(&VoiceTarget { median_pitch_hz: Some(pitch), ..Default::default() }, &[]);
                options.pitch_semitones += tuning.options.pitch_semitones;
                tuned = true;
            }
            let speech = synth.synthesize(&text, &options)?;
            speech.write_wav(&out)?;
            Ok::<_, alter_tts::TtsError>((speech, options.pitch_semitones, tuned, synth.voice().name.clone(), out))
        });
        let (speech, pitch_shift_semitones, tuned, voice, out) =
            task.await.map_err(|e| alter_tts::TtsError::Inference(format!("the speech thread failed: {e}")))??;
        let Speech { sample_rate, phonemes, visemes, skipped, .. } = speech.clone();
        Ok(SayReport {
            out,
            voice,
            sample_rate,
            seconds: speech.duration_ms() / 1000.0,
            pitch_shift_semitones,
            tuned,
            skipped,
            phonemes,
            visemes,
            timings_ms: SayTimings {
                load: load.as_millis() as u64,
                synthesis: (started.elapsed() - load).as_millis() as u64,
                total: started.elapsed().as_millis() as u64,
            },
        })
    }
}

/// WAV files under `dir`, a few folders deep.
fn wav_files(dir: &Path, depth: u32) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && depth > 0 {
            out.extend(wav_files(&path, depth - 1));
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav")) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Median pitch over the owner's samples (mono-mixed, at most two minutes read each).
fn owner_pitch(files: &[PathBuf]) -> Option<f32> {
    let mut pitches = Vec::new();
    for file in files {
        let Ok(reader) = hound::WavReader::open(file) else { continue };
        let spec = reader.spec();
        let channels = usize::from(spec.channels.max(1));
        let limit = spec.sample_rate as usize * 120 * channels;
        let raw: Vec<f32> = match spec.sample_format {
            hound::SampleFormat::Int => {
                let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
                reader.into_samples::<i32>().take(limit).filter_map(Result::ok).map(|s| s as f32 * scale).collect()
            }
            hound::SampleFormat::Float => reader.into_samples::<f32>().take(limit).filter_map(Result::ok).collect(),
        };
        let mono: Vec<f32> = raw.chunks(channels).map(|c| c.iter().sum::<f32>() / c.len() as f32).collect();
        if let Some(p) = alter_tts::dsp::median_pitch(&mono, spec.sample_rate) {
            pitches.push(p);
        }
    }
    pitches.sort_by(f32::total_cmp);
    pitches.get(pitches.len() / 2).copied()
}
