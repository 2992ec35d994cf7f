//! The quality report for one voice sample: duration, loudness, clipping,
//! noise floor, speech ratio, and advice a person can act on.
//!
//! Levels are dBFS from 25 ms frames every 10 ms. The noise floor is the 10th
//! percentile of frame levels; a frame counts as speech when it stands 10 dB
//! above that floor and above -55 dBFS (an energy detector: it needs no model
//! and is good enough to judge a recording; Silero VAD is used for live turns).

use serde::{Deserialize, Serialize};

use crate::Audio;

/// Level reported for digital silence (log of zero).
pub(crate) const FLOOR_DB: f32 = -120.0;
/// Samples at or above this magnitude count as clipped (PCM16 full scale is 0.99997).
const CLIP_LEVEL: f32 = 0.995;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceKind {
    TooShort,
    Silent,
    TooQuiet,
    Clipping,
    Noisy,
    LittleSpeech,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    pub kind: AdviceKind,
    /// One sentence for the person recording ("too quiet: move closer to the microphone").
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleQuality {
    pub duration_s: f64,
    /// RMS level of the whole clip.
    pub rms_dbfs: f32,
    /// RMS level over speech frames only (what "loudness" means for a voice).
    pub speech_dbfs: f32,
    pub peak_dbfs: f32,
    /// Fraction of samples at full scale.
    pub clipping_ratio: f32,
    pub noise_floor_dbfs: f32,
    /// Speech level minus noise floor.
    pub snr_db: f32,
    /// Fraction of the clip that is speech.
    pub speech_ratio: f32,
    pub advice: Vec<Advice>,
    /// Whether the sample is good enough to learn a voice from.
    pub usable: bool,
}

pub(crate) fn to_db(power: f64) -> f32 {
    if power <= 1e-12 { FLOOR_DB } else { (10.0 * power.log10()) as f32 }
}

/// Frame levels in dBFS: 25 ms frames, 10 ms hop.
pub fn frame_levels_db(audio: &Audio) -> Vec<f32> {
    let (win, hop) = frame_geometry(audio.sample_rate);
    if audio.samples.len() < win || hop == 0 {
        return if audio.samples.is_empty() { Vec::new() } else { vec![to_db(mean_power(&audio.samples))] };
    }
    (0..=(audio.samples.len() - win) / hop).map(|i| to_db(mean_power(&audio.samples[i * hop..i * hop + win]))).collect()
}

pub(crate) fn frame_geometry(rate: u32) -> (usize, usize) {
    ((rate as usize * 25 / 1000).max(1), (rate as usize / 100).max(1))
}

fn mean_power(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|&s| (s as f64) * (s as f64)).sum::<f64>() / x.len() as f64
}

pub(crate) fn percentile(values: &[f32], p: f32) -> f32 {
    if values.is_empty() {
        return FLOOR_DB;
    }
    let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return FLOOR_DB;
    }
    v.sort_by(f32::total_cmp);
    let idx = ((v.len() - 1) as f32 * p).round() as usize;
    v[idx.min(v.len() - 1)]
}

/// Noise floor and the speech/non-speech decision per frame.
pub(crate) fn speech_frames(levels: &[f32]) -> (f32, Vec<bool>) {
    let floor = percentile(levels, 0.10);
    let threshold = (floor + 10.0).max(-55.0);
    (floor, levels.iter().map(|&l| l > threshold).collect())
}

/// Measures a clip and says what, if anything, to fix.
pub fn quality_report(audio: &Audio) -> SampleQuality {
    let duration_s = audio.duration_s();
    let x = &audio.samples;
    let rms_dbfs = to_db(mean_power(x));
    let peak = x.iter().fold(0.0f32, |m, s| if s.is_finite() { m.max(s.abs()) } else { m });
    let peak_dbfs = if peak > 0.0 { 20.0 * peak.log10() } else { FLOOR_DB };
    let clipped = x.iter().filter(|s| s.abs() >= CLIP_LEVEL).count();
    let clipping_ratio = if x.is_empty() { 0.0 } else { clipped as f32 / x.len() as f32 };
    let levels = frame_levels_db(audio);
    let (noise_floor_dbfs, is_speech) = speech_frames(&levels);
    let n_speech = is_speech.iter().filter(|&&b| b).count();
    let speech_ratio = if levels.is_empty() { 0.0 } else { n_speech as f32 / levels.len() as f32 };
    let speech_power: f64 =
        levels.iter().zip(&is_speech).filter(|(_, s)| **s).map(|(l, _)| 10f64.powf(*l as f64 / 10.0)).sum::<f64>()
            / n_speech.max(1) as f64;
    let speech_dbfs = if n_speech == 0 { rms_dbfs } else { to_db(speech_power) };
    let snr_db = if n_speech == 0 { 0.0 } else { speech_dbfs - noise_floor_dbfs };

    let mut advice = Vec::new();
    let mut say = |kind, message: &str| advice.push(Advice { kind, message: message.to_string() });
    let silent = peak_dbfs < -60.0;
    if duration_s < 3.0 {
        say(AdviceKind::TooShort, "too short: record at least 10 seconds of natural speech");
    }
    if silent {
        say(AdviceKind::Silent, "silent: check that the microphone is connected and not muted");
    } else {
        if speech_dbfs < -35.0 {
            say(AdviceKind::TooQuiet, "too quiet: move closer to the microphone or raise its input gain");
        }
        if clipping_ratio > 0.001 {
            say(AdviceKind::Clipping, "clipped: lower the microphone gain or move a little further away");
        }
        if n_speech == 0 || snr_db < 15.0 {
            say(AdviceKind::Noisy, "noisy: record in a quieter room, away from fans and traffic");
        }
        if speech_ratio < 0.3 {
            say(AdviceKind::LittleSpeech, "little speech: talk continuously for most of the recording");
        }
    }
    let usable =
        !silent && duration_s >= 1.0 && speech_ratio >= 0.1 && clipping_ratio <= 0.01 && snr_db >= 6.0 && n_speech > 0;
    SampleQuality {
        duration_s,
        rms_dbfs,
        speech_dbfs,
        peak_dbfs,
        clipping_ratio,
        noise_floor_dbfs,
        snr_db,
        speech_ratio,
        advice,
        usable,
    }
}
