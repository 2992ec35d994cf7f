//! Tuning the twin's voice toward its owner: nearest installed speaker by
//! speaker embedding, speaking rate through `length_scale`, and median pitch
//! through the pitch shifter.
//!
//! The owner's figures come from the voice profile (measured on their
//! samples elsewhere); this module only compares them with the voice's own,
//! measured once on [`REFERENCE_TEXT`] with the variation turned off.

use serde::{Deserialize, Serialize};

use crate::{SpeakOptions, Speech, Synthesizer, dsp};

/// Read by a voice to measure its own pitch and rate.
pub const REFERENCE_TEXT: &str = "The quick brown fox jumps over the lazy dog. \
    We met at the station on a bright morning, and talked about the plans for next week. \
    Could you send me the report before Friday?";

/// What we know about the owner's voice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VoiceTarget {
    /// Median pitch of the owner's speech.
    pub median_pitch_hz: Option<f32>,
    /// Syllables per second of speech (pauses excluded).
    pub syllables_per_second: Option<f32>,
    /// The owner's speaker embedding (same encoder as the candidates').
    pub embedding: Option<Vec<f32>>,
}

/// An installed voice/speaker with its speaker embedding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerCandidate {
    pub voice: String,
    pub speaker: Option<String>,
    pub embedding: Vec<f32>,
}

/// A voice's own pitch and rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReferenceStats {
    pub median_pitch_hz: f32,
    pub syllables_per_second: f32,
}

impl ReferenceStats {
    pub fn measure(speech: &Speech) -> Option<Self> {
        let median_pitch_hz = dsp::median_pitch(&speech.samples, speech.sample_rate)?;
        let syllables_per_second = syllable_rate(speech)?;
        Some(Self { median_pitch_hz, syllables_per_second })
    }
}

/// Vowel nuclei per second of non-pause phonemes.
pub fn syllable_rate(speech: &Speech) -> Option<f32> {
    const VOWELS: &str = "aɑɐæʌäɶiɪɨᵻyʏuʊʉɯeɛəɜɘøœɞoɔɒɵɚɝ";
    let mut syllables = 0usize;
    let mut speaking_ms = 0.0f32;
    let mut previous_vowel = false;
    for p in &speech.phonemes {
        let first = p.phoneme.chars().find(|c| !matches!(c, 'ˈ' | 'ˌ'));
        let Some(c) = first else { continue };
        if " .,?!:;".contains(c) {
            previous_vowel = false;
            continue;
        }
        speaking_ms += p.end_ms - p.start_ms;
        let vowel = VOWELS.contains(c);
        // A diphthong (aɪ, oʊ) is one syllable.
        if vowel && !previous_vowel {
            syllables += 1;
        }
        previous_vowel = vowel;
    }
    (speaking_ms > 0.0 && syllables > 0).then(|| syllables as f32 * 1000.0 / speaking_ms)
}

/// The result of tuning: options to speak with and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tuning {
    pub options: SpeakOptions,
    /// The nearest installed voice (by embedding), when candidates were given.
    pub voice: Option<String>,
    /// Cosine similarity of that voice's embedding to the owner's.
    pub similarity: Option<f32>,
    /// The voice's own figures, when they could be measured.
    pub reference: Option<ReferenceStats>,
}

/// Cosine similarity; 0 for empty or mismatched vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na > 0.0 && nb > 0.0 { dot / (na * nb) } else { 0.0 }
}

impl Synthesizer {
    /// Options that bring this voice toward `target`; `candidates` (installed
    /// voices/speakers with embeddings) pick the nearest speaker.
    pub fn tune_toward(&self, target: &VoiceTarget, candidates: &[SpeakerCandidate]) -> Tuning {
        let mut options = SpeakOptions::default();
        let mut voice = None;
        let mut similarity = None;
        if let Some(embedding) = &target.embedding
            && let Some((best, score)) =
                candidates.iter().map(|c| (c, cosine(embedding, &c.embedding))).max_by(|a, b| a.1.total_cmp(&b.1))
        {
            voice = Some(best.voice.clone());
            similarity = Some(score);
            if best.voice == self.voice().name {
                options.speaker = best.speaker.clone();
            }
        }
        let reference = self.reference_stats();
        if let Some(reference) = reference {
            if let Some(target_rate) = target.syllables_per_second.filter(|r| r.is_finite() && *r > 0.5) {
                let scale = self.voice().length_scale * reference.syllables_per_second / target_rate;
                options.length_scale = Some(scale.clamp(0.7, 1.5));
            }
            if let Some(target_pitch) = target.median_pitch_hz.filter(|p| p.is_finite() && *p > 40.0) {
                options.pitch_semitones = dsp::semitones(reference.median_pitch_hz, target_pitch).clamp(-12.0, 12.0);
            }
        }
        Tuning { options, voice, similarity, reference }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_is_safe() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[1.0], &[1.0, 2.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 2.0]), 0.0);
    }
}
