//! The owner's voice profile: per-sample analysis (quality, pitch, rate) and
//! the pooled figures the twin's voice is tuned toward. The speaker embedding
//! comes from the GE2E encoder elsewhere and is attached with
//! [`VoiceProfile::embedding`]; this crate does no model inference.
//!
//! Invariant: unusable samples (see [`crate::SampleQuality::usable`]) are
//! reported but never pooled into the profile figures.

use serde::{Deserialize, Serialize};

use crate::{
    Audio, AudioError, PitchOptions, PitchStats, ProsodyBaseline, SampleQuality, SpeakingRate, quality_report,
    speaking_rate, track_pitch,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleAnalysis {
    pub name: String,
    pub quality: SampleQuality,
    pub pitch: PitchStats,
    pub rate: SpeakingRate,
    /// Voiced f0 values (Hz), kept to pool pitch across samples.
    #[serde(skip)]
    pub voiced_f0: Vec<f32>,
    /// Mean level of speech frames, for the prosody baseline.
    pub speech_dbfs: f32,
}

/// Analyses one sample (any rate).
pub fn analyse_sample(name: &str, audio: &Audio) -> Result<SampleAnalysis, AudioError> {
    let quality = quality_report(audio);
    let contour = track_pitch(audio, &PitchOptions::default())?;
    let rate = speaking_rate(audio, &contour);
    Ok(SampleAnalysis {
        name: name.to_string(),
        speech_dbfs: quality.speech_dbfs,
        quality,
        pitch: contour.stats(),
        rate,
        voiced_f0: contour.voiced(),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceProfile {
    pub samples: Vec<SampleAnalysis>,
    /// Pooled over usable samples' voiced frames.
    pub pitch: PitchStats,
    /// Speech-time-weighted syllables per second over usable samples.
    pub syllables_per_s: f32,
    pub speech_dbfs: f32,
    /// L2-normalised speaker embedding (GE2E, 256-d) when computed.
    pub embedding: Option<Vec<f32>>,
}

impl VoiceProfile {
    /// Pools the usable samples; errors if none is usable, listing what to fix.
    pub fn from_samples(samples: Vec<SampleAnalysis>) -> Result<Self, AudioError> {
        let usable: Vec<&SampleAnalysis> = samples.iter().filter(|s| s.quality.usable).collect();
        if usable.is_empty() {
            let why: Vec<String> = samples
                .iter()
                .map(|s| {
                    let tips: Vec<&str> = s.quality.advice.iter().map(|a| a.message.as_str()).collect();
                    format!("{}: {}", s.name, tips.join("; "))
                })
                .collect();
            return Err(AudioError::InvalidFormat(format!(
                "no voice sample is usable for a profile ({})",
                if why.is_empty() { "no samples given".to_string() } else { why.join(" | ") }
            )));
        }
        let pooled: Vec<f32> = usable.iter().flat_map(|s| s.voiced_f0.iter().copied()).collect();
        let frames: usize = usable.iter().map(|s| (s.quality.duration_s * 100.0) as usize).sum();
        let speech_s: f32 = usable.iter().map(|s| s.rate.speech_s).sum();
        let syllables: usize = usable.iter().map(|s| s.rate.syllables).sum();
        let speech_dbfs = usable.iter().map(|s| s.speech_dbfs * s.rate.speech_s).sum::<f32>() / speech_s.max(1e-3);
        Ok(Self {
            pitch: PitchStats::from_voiced(&pooled, frames),
            syllables_per_s: if speech_s > 0.0 { syllables as f32 / speech_s } else { 0.0 },
            speech_dbfs,
            samples,
            embedding: None,
        })
    }

    /// What neutral prosody sounds like for this owner.
    pub fn baseline(&self) -> ProsodyBaseline {
        ProsodyBaseline {
            pitch_median_hz: self.pitch.median_hz,
            pitch_std_semitones: self.pitch.std_semitones,
            speech_dbfs: self.speech_dbfs,
            syllables_per_s: self.syllables_per_s,
        }
    }

    /// Cosine similarity of two embeddings (1 = same direction); `None` on a size mismatch or zero vector.
    pub fn cosine(a: &[f32], b: &[f32]) -> Option<f32> {
        if a.len() != b.len() || a.is_empty() {
            return None;
        }
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let na = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        let nb = b.iter().map(|x| x * x).sum::<f32>().sqrt();
        if na == 0.0 || nb == 0.0 { None } else { Some(dot / (na * nb)) }
    }
}
