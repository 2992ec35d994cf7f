//! The voice stage: each sample's quality report and transcript, the
//! owner's voice profile (pitch, rate, speaker embedding), and the twin's
//! voice tuned toward it with before/after figures.
//!
//! Samples that are missing, unreadable, silent or noisy never fail the
//! build: the twin then speaks with the installed voice untuned, and the
//! outcome says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use alter_asr::{Language, TranscribeOptions};
use alter_audio::{Audio, SPEECH_RATE, SampleAnalysis, SpeakerEncoder, VoiceProfile};
use alter_tts::{SpeakOptions, SpeakerCandidate, Synthesizer, VoiceTarget};
use serde::{Deserialize, Serialize};

use super::StageContext;
use crate::{Engine, EngineError};

/// The `twin_meta` key holding the tuned [`SpeakOptions`] the twin speaks with.
pub const TUNING_META_KEY: &str = "voice.tuning";
/// The `twin_meta` key holding the owner's [`VoiceProfile`].
pub const PROFILE_META_KEY: &str = "voice.profile";

/// Speech transcribed and embedded per build, in seconds: the first minute
/// of the samples (in name order). It is ample for the speaker embedding and
/// the persona's spoken style, while transcription grows with every second
/// (about a fifth of real time here); the rest of longer samples is still
/// measured for pitch and pace.
pub const SPEECH_FOR_PROFILE_S: f64 = 60.0;

/// Spoken to measure the voice before and after tuning.
const REFERENCE_TEXT: &str =
    "Thanks for asking. I looked at the numbers this morning, and the depot plan is on track for next week.";

/// One voice sample as the build saw it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SampleReport {
    pub file: String,
    pub duration_s: f64,
    pub usable: bool,
    /// Advice for the owner ("too quiet: move closer"…).
    pub advice: Vec<String>,
    pub transcript: Option<String>,
    /// Seconds of the sample transcribed and embedded (see [`SPEECH_FOR_PROFILE_S`]).
    #[serde(default)]
    pub transcribed_s: f64,
    pub language: Option<String>,
    /// Why the sample could not be used at all (unreadable file…).
    pub error: Option<String>,
}

/// What the voice stage produced.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct VoiceOutcome {
    pub samples: Vec<SampleReport>,
    pub profile: Option<VoiceProfile>,
    /// The options the twin speaks with (defaults when untuned).
    pub tuning: SpeakOptions,
    pub tuned: bool,
    pub voice: Option<String>,
    /// Speaker similarity of the voice to the owner before and after tuning.
    pub similarity_before: Option<f32>,
    pub similarity_after: Option<f32>,
    /// Distance of the voice's median pitch from the owner's, semitones.
    pub pitch_error_before: Option<f32>,
    pub pitch_error_after: Option<f32>,
    pub warnings: Vec<String>,
}

/// Fingerprint of the samples: names and bytes.
pub fn fingerprint_samples(files: &[PathBuf]) -> Result<String, EngineError> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).map_err(|source| EngineError::Io { action: "read", path: f.clone(), source })?;
        parts.push(f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().into_bytes());
        parts.push(bytes);
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    Ok(super::fingerprint(&refs))
}

pub async fn run(cx: &StageContext<'_>, files: &[PathBuf]) -> Result<VoiceOutcome, EngineError> {
    let engine = cx.engine;
    let mut outcome = VoiceOutcome::default();
    let total = files.len() as u64 + 1;
    if files.is_empty() {
        outcome.warnings.push("no voice samples in voice/: the twin speaks with the default voice, untuned".into());
    }
    let encoder = load_encoder(engine).await;
    let mut analyses = Vec::new();
    let mut embeddings = Vec::new();
    let mut heard_s = 0.0;
    for (i, file) in files.iter().enumerate() {
        cx.check()?;
        let name = file_name(file);
        cx.report("voice", i as u64, total, name.clone());
        let budget = (SPEECH_FOR_PROFILE_S - heard_s).max(0.0);
        let (report, analysis, embedding) = sample(engine, file, encoder.as_ref(), budget).await;
        heard_s += report.transcribed_s;
        if let Some(e) = &report.error {
            outcome.warnings.push(format!("{name}: {e}"));
        } else if !report.usable {
            outcome.warnings.push(format!("{name} was not used: {}", report.advice.join("; ")));
        }
        analyses.extend(analysis);
        embeddings.extend(embedding);
        outcome.samples.push(report);
    }
    cx.report("voice", files.len() as u64, total, "tuning the voice");
    if !analyses.is_empty() {
        match VoiceProfile::from_samples(analyses) {
            Ok(mut profile) => {
                profile.embedding = mean_embedding(&embeddings);
                tune(engine, &profile, encoder, &mut outcome).await?;
                outcome.profile = Some(profile);
            }
            Err(e) => outcome.warnings.push(format!("the voice is not tuned: {e}")),
        }
    }
    cx.db.set_meta(TUNING_META_KEY, &to_json(&outcome.tuning)).await?;
    cx.db.set_meta(PROFILE_META_KEY, &to_json(&outcome.profile)).await?;
    cx.report("voice", total, total, "voice profile ready");
    Ok(outcome)
}

/// The speaker encoder, or `None` (the profile then has no embedding) when its model is missing.
async fn load_encoder(engine: &Engine) -> Option<Arc<SpeakerEncoder>> {
    let dir = engine.config().models_dir.clone();
    tokio::task::spawn_blocking(move || SpeakerEncoder::load(&dir).ok().map(Arc::new)).await.ok().flatten()
}

/// Reads and analyses one sample, and transcribes and embeds up to
/// `budget_s` seconds of it.
async fn sample(
    engine: &Engine,
    file: &Path,
    encoder: Option<&Arc<SpeakerEncoder>>,
    budget_s: f64,
) -> (SampleReport, Option<SampleAnalysis>, Option<Vec<f32>>) {
    let name = file_name(file);
    let mut report = SampleReport {
        file: name.clone(),
        duration_s: 0.0,
        usable: false,
        advice: Vec::new(),
        transcript: None,
        transcribed_s: 0.0,
        language: None,
        error: None,
    };
    let path = file.to_path_buf();
    let decoded = tokio::task::spawn_blocking(move || alter_audio::decode_file(&path, SPEECH_RATE)).await;
    let audio = match decoded {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => {
            report.error = Some(e.to_string());
            return (report, None, None);
        }
        Err(e) => {
            report.error = Some(format!("the decoder failed: {e}"));
            return (report, None, None);
        }
    };
    let analysis = match alter_audio::analyse_sample(&name, &audio) {
        Ok(a) => a,
        Err(e) => {
            report.error = Some(e.to_string());
            return (report, None, None);
        }
    };
    report.duration_s = analysis.quality.duration_s;
    report.usable = analysis.quality.usable;
    report.advice = analysis.quality.advice.iter().map(|a| a.message.clone()).collect();
    // Less than a second left is not worth a transcription.
    let take = ((budget_s * f64::from(audio.sample_rate)) as usize).min(audio.samples.len());
    if !report.usable || take < audio.sample_rate as usize {
        return (report, Some(analysis), None);
    }
    let audio = Audio::new(audio.samples[..take].to_vec(), audio.sample_rate);
    report.transcribed_s = take as f64 / f64::from(audio.sample_rate);
    match engine.transcriber().await {
        Ok(t) => match t
            .transcribe(audio.samples.clone(), TranscribeOptions { language: Language::Auto, ..Default::default() })
            .await
        {
            Ok(tr) => {
                report.transcript = Some(tr.text.trim().to_owned());
                report.language = Some(tr.language);
            }
            Err(e) => report.advice.push(format!("could not transcribe: {e}")),
        },
        Err(e) => report.advice.push(format!("could not transcribe: {e}")),
    }
    let embedding = match encoder {
        Some(enc) => {
            let enc = Arc::clone(enc);
            tokio::task::spawn_blocking(move || enc.embed(&audio).ok()).await.ok().flatten()
        }
        None => None,
    };
    (report, Some(analysis), embedding)
}

/// Tunes the installed voice toward the profile and measures before/after.
async fn tune(
    engine: &Engine,
    profile: &VoiceProfile,
    encoder: Option<Arc<SpeakerEncoder>>,
    outcome: &mut VoiceOutcome,
) -> Result<(), EngineError> {
    let synth = match engine.synthesizer().await {
        Ok(s) => s,
        Err(e) => {
            outcome.warnings.push(format!("the voice is not tuned: {e}"));
            return Ok(());
        }
    };
    let profile = profile.clone();
    let measured = tokio::task::spawn_blocking(move || measure_tuning(&synth, &profile, encoder.as_deref()))
        .await
        .map_err(|e| alter_tts::TtsError::Inference(format!("the speech thread failed: {e}")))??;
    let (options, voice, before, after, unmeasured) = measured;
    outcome.tuning = options;
    outcome.tuned = true;
    outcome.voice = Some(voice);
    (outcome.similarity_before, outcome.pitch_error_before) = before;
    (outcome.similarity_after, outcome.pitch_error_after) = after;
    if outcome.similarity_after.is_none() {
        let why = unmeasured.unwrap_or_else(|| "the owner's samples gave no voice embedding".into());
        outcome.warnings.push(format!("the tuned voice's speaker similarity could not be measured: {why}"));
    }
    Ok(())
}

type Figures = (Option<f32>, Option<f32>);

fn measure_tuning(
    synth: &Synthesizer,
    profile: &VoiceProfile,
    encoder: Option<&SpeakerEncoder>,
) -> Result<(SpeakOptions, String, Figures, Figures, Option<String>), alter_tts::TtsError> {
    let owner_pitch = (profile.pitch.median_hz > 0.0).then_some(profile.pitch.median_hz);
    // The embedding, or why there is none (the build reports it).
    let measure = |options: &SpeakOptions| -> Result<(Figures, Result<Vec<f32>, String>), alter_tts::TtsError> {
        let speech = synth.synthesize(REFERENCE_TEXT, options)?;
        let embedding = match encoder {
            None => Err("the speaker model is not installed".to_owned()),
            Some(enc) => alter_audio::resample(&speech.samples, speech.sample_rate, SPEECH_RATE)
                .and_then(|samples| enc.embed(&Audio::new(samples, SPEECH_RATE)))
                .map_err(|e| e.to_string()),
        };
        let similarity = match (&embedding, &profile.embedding) {
            (Ok(a), Some(b)) => VoiceProfile::cosine(a, b),
            _ => None,
        };
        let pitch_error = match (alter_tts::dsp::median_pitch(&speech.samples, speech.sample_rate), owner_pitch) {
            (Some(voice), Some(owner)) => Some((12.0 * (voice / owner).log2()).abs()),
            _ => None,
        };
        Ok(((similarity, pitch_error), embedding))
    };
    let (before, voice_embedding) = measure(&SpeakOptions::default())?;
    let candidates: Vec<SpeakerCandidate> = voice_embedding
        .ok()
        .map(|embedding| SpeakerCandidate { voice: synth.voice().name.clone(), speaker: None, embedding })
        .into_iter()
        .collect();
    let target = VoiceTarget {
        median_pitch_hz: owner_pitch,
        syllables_per_second: (profile.syllables_per_s > 0.0).then_some(profile.syllables_per_s),
        embedding: profile.embedding.clone(),
    };
    let tuning = synth.tune_toward(&target, &candidates);
    let (after, after_embedding) = measure(&tuning.options)?;
    Ok((tuning.options, synth.voice().name.clone(), before, after, after_embedding.err()))
}

/// The normalised mean of the samples' embeddings.
fn mean_embedding(embeddings: &[Vec<f32>]) -> Option<Vec<f32>> {
    let first = embeddings.first()?;
    let dim = first.len();
    let mut mean = vec![0.0f32; dim];
    for e in embeddings.iter().filter(|e| e.len() == dim) {
        for (m, x) in mean.iter_mut().zip(e) {
            *m += x;
        }
    }
    let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt();
    (norm > 0.0).then(|| mean.iter().map(|x| x / norm).collect())
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// JSON for `twin_meta` values.
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
