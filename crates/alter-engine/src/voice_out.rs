//! Speaking: text to a WAV file with the phoneme/viseme timeline, optionally
//! in a twin's voice.
//!
//! The Piper voice is loaded once per process (on a blocking thread) and kept;
//! synthesis runs in `spawn_blocking` so it never blocks an async task. With
//! a twin, the voice is tuned as its build decided (pitch, pace, speaker);
//! a twin built without usable voice samples speaks untuned.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use alter_core::TwinId;
use alter_tts::{LoadOptions, SpeakOptions, Speech, Synthesizer, TimedPhoneme, TimedViseme};
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

    /// The twin's voice: as its last build tuned it (if it has been built),
    /// with the owner's speed, pitch and liveliness on top.
    pub async fn twin_voice(&self, twin: &TwinId) -> Result<Option<SpeakOptions>, EngineError> {
        let owner = self.twin_params(twin).await?.voice;
        let db = self.twin_db(twin).await?;
        let json = db.meta(crate::build::TUNING_META_KEY).await?;
        let learned: Option<SpeakOptions> = json.and_then(|j| serde_json::from_str(&j).ok());
        if learned.is_none() && owner == alter_core::VoiceTuning::default() {
            return Ok(None);
        }
        let mut voice = learned.unwrap_or_default();
        voice.speed *= owner.speed;
        voice.liveliness *= owner.liveliness;
        voice.pitch_semitones += owner.pitch_semitones;
        Ok(Some(voice))
    }

    /// Speaks `text` in the twin's tuned voice (when it has one), in memory.
    pub async fn speech(
        &self,
        text: &str,
        twin: Option<&TwinId>,
        options: SpeakOptions,
    ) -> Result<Speech, EngineError> {
        let synth = self.synthesizer().await?;
        let tuning = match twin {
            Some(id) => self.twin_voice(id).await?,
            None => None,
        };
        let text = text.to_owned();
        let task = tokio::task::spawn_blocking(move || {
            let options = match tuning {
                Some(tuned) => with_tuning(options, &tuned),
                None => options,
            };
            synth.synthesize(&text, &options)
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
        let tuning = match twin {
            Some(id) => self.twin_voice(id).await?,
            None => None,
        };
        let text = text.to_owned();
        let out = out.to_path_buf();
        let task = tokio::task::spawn_blocking(move || {
            let (options, tuned) = match tuning {
                Some(tuned) => (with_tuning(options, &tuned), true),
                None => (options, false),
            };
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

/// The caller's options on top of the twin's tuned voice: explicit pace
/// and speaker win, pitch shifts add up.
pub(crate) fn with_tuning(options: SpeakOptions, tuned: &SpeakOptions) -> SpeakOptions {
    SpeakOptions {
        length_scale: options.length_scale.or(tuned.length_scale),
        noise_scale: options.noise_scale.or(tuned.noise_scale),
        noise_w: options.noise_w.or(tuned.noise_w),
        speaker: options.speaker.or_else(|| tuned.speaker.clone()),
        pitch_semitones: options.pitch_semitones + tuned.pitch_semitones,
        speed: options.speed * tuned.speed,
        liveliness: options.liveliness * tuned.liveliness,
        ..options
    }
}
