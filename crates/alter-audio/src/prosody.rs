//! Prosody hints for the brain: arousal and valence read from pitch
//! variability, loudness, speaking rate and pitch height, relative to a
//! baseline (the owner's profile, or population defaults).
//!
//! These are hints, not an emotion classifier: arousal tracks these features
//! well in the literature; valence from prosody alone is weak, so its
//! confidence is reported lower and callers should weigh the words more.

use serde::{Deserialize, Serialize};

use crate::quality::{frame_levels_db, speech_frames};
use crate::{Audio, PitchContour, SpeakingRate};

/// What "neutral" sounds like for this speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProsodyBaseline {
    pub pitch_median_hz: f32,
    pub pitch_std_semitones: f32,
    pub speech_dbfs: f32,
    pub syllables_per_s: f32,
}

impl Default for ProsodyBaseline {
    /// Conversational adult speech recorded at a sensible level.
    fn default() -> Self {
        Self { pitch_median_hz: 0.0, pitch_std_semitones: 2.5, speech_dbfs: -26.0, syllables_per_s: 4.5 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prosody {
    /// -1 calm/flat … +1 excited/tense.
    pub arousal: f32,
    /// -1 negative … +1 positive (weak evidence; see `valence_confidence`).
    pub valence: f32,
    pub arousal_confidence: f32,
    pub valence_confidence: f32,
    pub pitch_std_semitones: f32,
    /// Pitch median relative to the baseline, in semitones (0 without a baseline pitch).
    pub pitch_shift_semitones: f32,
    pub speech_dbfs: f32,
    pub energy_std_db: f32,
    pub syllables_per_s: f32,
}

/// Reads arousal/valence hints from one utterance.
pub fn prosody_hints(audio: &Audio, pitch: &PitchContour, rate: &SpeakingRate, base: &ProsodyBaseline) -> Prosody {
    let stats = pitch.stats();
    let levels = frame_levels_db(audio);
    let (_, is_speech) = speech_frames(&levels);
    let speech: Vec<f32> = levels.iter().zip(&is_speech).filter(|(_, s)| **s).map(|(l, _)| *l).collect();
    let (speech_dbfs, energy_std_db) = if speech.is_empty() {
        (-120.0, 0.0)
    } else {
        let m = speech.iter().sum::<f32>() / speech.len() as f32;
        (m, (speech.iter().map(|l| (l - m).powi(2)).sum::<f32>() / speech.len() as f32).sqrt())
    };
    let shift = if base.pitch_median_hz > 0.0 && stats.median_hz > 0.0 {
        12.0 * (stats.median_hz / base.pitch_median_hz).log2()
    } else {
        0.0
    };
    // z-like scores; the divisors are typical spreads of each feature.
    let z_var = (stats.std_semitones - base.pitch_std_semitones) / 1.5;
    let z_level = (speech_dbfs - base.speech_dbfs) / 6.0;
    let z_rate = if rate.syllables_per_s > 0.0 { (rate.syllables_per_s - base.syllables_per_s) / 1.2 } else { 0.0 };
    let z_shift = shift / 3.0;
    let arousal = (0.35 * z_var + 0.25 * z_level + 0.2 * z_rate + 0.2 * z_shift).tanh();
    // Raised, varied pitch without a loud, fast delivery leans positive; low, flat, slow leans negative.
    let valence = (0.4 * z_var + 0.3 * z_shift - 0.2 * z_level.max(0.0) - 0.1 * z_rate.max(0.0)).tanh() * 0.6;
    let evidence =
        (stats.voiced_ratio * 2.0).min(1.0) * if speech.len() > 100 { 1.0 } else { speech.len() as f32 / 100.0 };
    Prosody {
        arousal,
        valence,
        arousal_confidence: 0.7 * evidence,
        valence_confidence: 0.3 * evidence,
        pitch_std_semitones: stats.std_semitones,
        pitch_shift_semitones: shift,
        speech_dbfs,
        energy_std_db,
        syllables_per_s: rate.syllables_per_s,
    }
}
