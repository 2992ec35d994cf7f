//! What a caller can ask of one utterance: speed, variation, speaker,
//! loudness, pitch and an emotion preset.

use serde::{Deserialize, Serialize};

/// How the reply should sound; each preset nudges rate, pitch and volume.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Emotion {
    #[default]
    Neutral,
    Happy,
    Concerned,
    Sad,
    Surprised,
}

/// A preset's effect: multiplies `length_scale` and volume, adds semitones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmotionStyle {
    pub length_factor: f32,
    pub pitch_semitones: f32,
    pub volume_factor: f32,
}

impl Emotion {
    /// Small, audible changes; larger ones sound like a different person.
    pub fn style(self) -> EmotionStyle {
        let (length_factor, pitch_semitones, volume_factor) = match self {
            Emotion::Neutral => (1.0, 0.0, 1.0),
            Emotion::Happy => (0.93, 1.5, 1.1),
            Emotion::Concerned => (1.06, -0.5, 0.9),
            Emotion::Sad => (1.15, -1.5, 0.8),
            Emotion::Surprised => (0.92, 2.5, 1.12),
        };
        EmotionStyle { length_factor, pitch_semitones, volume_factor }
    }

    pub fn parse(name: &str) -> Option<Emotion> {
        Some(match name.trim().to_lowercase().as_str() {
            "neutral" => Emotion::Neutral,
            "happy" => Emotion::Happy,
            "concerned" => Emotion::Concerned,
            "sad" => Emotion::Sad,
            "surprised" => Emotion::Surprised,
            _ => return None,
        })
    }
}

/// What to do with text in a script the voice cannot read (Chinese with an English voice).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unsupported {
    /// Fail with [`crate::TtsError::UnsupportedLanguage`] (the default: never garbage audio).
    #[default]
    Error,
    /// Speak only the parts the voice can read; [`crate::Speech::skipped`] says so.
    SpeakRest,
}

/// Options for one utterance. `None` means "the voice's own default".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpeakOptions {
    /// Duration multiplier: above 1 speaks slower.
    pub length_scale: Option<f32>,
    /// Variation of the voice (0 = flat).
    pub noise_scale: Option<f32>,
    /// Variation of phoneme lengths.
    pub noise_w: Option<f32>,
    /// Speaker name or number, for multi-speaker voices.
    pub speaker: Option<String>,
    /// Linear gain, 1 = unchanged; the result is limited to avoid clipping.
    pub volume: f32,
    /// Pitch shift in semitones, duration kept.
    pub pitch_semitones: f32,
    /// Speed multiplier on top of `length_scale` (the owner's slider): 2 speaks twice as fast.
    pub speed: f32,
    /// Multiplier of the intonation's variation (`noise_scale`): 0 is flat.
    pub liveliness: f32,
    pub emotion: Emotion,
    pub unsupported: Unsupported,
}

impl Default for SpeakOptions {
    fn default() -> Self {
        Self {
            length_scale: None,
            noise_scale: None,
            noise_w: None,
            speaker: None,
            volume: 1.0,
            pitch_semitones: 0.0,
            speed: 1.0,
            liveliness: 1.0,
            emotion: Emotion::Neutral,
            unsupported: Unsupported::Error,
        }
    }
}

/// Options after the voice's defaults and the emotion preset are applied and ranges checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Resolved {
    pub length_scale: f32,
    pub noise_scale: f32,
    pub noise_w: f32,
    pub speaker_id: Option<i64>,
    pub volume: f32,
    pub pitch_semitones: f32,
}

pub(crate) fn resolve(options: &SpeakOptions, voice: &crate::VoiceConfig) -> Result<Resolved, crate::TtsError> {
    use crate::TtsError::BadOption;
    let style = options.emotion.style();
    if !(0.25..=4.0).contains(&options.speed) || !(0.0..=2.0).contains(&options.liveliness) {
        return Err(BadOption("speed must be between 0.25 and 4, liveliness between 0 and 2".into()));
    }
    let length_scale = options.length_scale.unwrap_or(voice.length_scale) * style.length_factor / options.speed;
    let noise_scale = (options.noise_scale.unwrap_or(voice.noise_scale) * options.liveliness).min(2.0);
    let noise_w = options.noise_w.unwrap_or(voice.noise_w);
    let volume = options.volume * style.volume_factor;
    let pitch_semitones = options.pitch_semitones + style.pitch_semitones;
    if !(0.25..=4.0).contains(&length_scale) {
        return Err(BadOption(format!("length_scale {length_scale} is outside 0.25–4")));
    }
    if !(0.0..=2.0).contains(&noise_scale) || !(0.0..=2.0).contains(&noise_w) {
        return Err(BadOption("noise_scale and noise_w must be between 0 and 2".into()));
    }
    if !(0.0..=8.0).contains(&volume) {
        return Err(BadOption(format!("volume {volume} is outside 0–8")));
    }
    if !(-12.0..=12.0).contains(&pitch_semitones) {
        return Err(BadOption(format!("pitch shift {pitch_semitones} semitones is outside ±12")));
    }
    let speaker_id = match (&options.speaker, voice.num_speakers) {
        (Some(s), _) => Some(voice.speaker_id(s)?),
        (None, n) if n > 1 => Some(0),
        (None, _) => None,
    };
    Ok(Resolved { length_scale, noise_scale, noise_w, speaker_id, volume, pitch_semitones })
}
