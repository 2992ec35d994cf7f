//! Speaking rate from syllable nuclei: peaks of the smoothed loudness envelope
//! that stand out from their surroundings and are voiced (de Jong & Wempe's
//! idea, simplified). Counts syllables per second of speech, pauses excluded,
//! so a slow talker with long pauses and a fast one are told apart.

use serde::{Deserialize, Serialize};

use crate::quality::{frame_levels_db, speech_frames};
use crate::{Audio, PitchContour};

/// A nucleus must rise this many dB above the dips on both sides.
const PROMINENCE_DB: f32 = 2.0;
/// Minimum distance between nuclei (frames of 10 ms): no one speaks 12 syllables a second.
const MIN_GAP: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakingRate {
    pub syllables: usize,
    /// Seconds of speech (pauses excluded).
    pub speech_s: f32,
    /// Syllables per second of speech (articulation rate); 0 when there is no speech.
    pub syllables_per_s: f32,
}

/// Estimates the speaking rate; `pitch` (same clip) marks which peaks are voiced.
pub fn speaking_rate(audio: &Audio, pitch: &PitchContour) -> SpeakingRate {
    let levels = frame_levels_db(audio);
    let (_, is_speech) = speech_frames(&levels);
    // Smooth over 50 ms so one syllable gives one peak.
    let smooth: Vec<f32> = (0..levels.len())
        .map(|i| {
            let lo = i.saturating_sub(2);
            let hi = (i + 3).min(levels.len());
            levels[lo..hi].iter().sum::<f32>() / (hi - lo) as f32
        })
        .collect();
    let voiced_near = |i: usize| {
        let lo = i.saturating_sub(3);
        let hi = (i + 4).min(pitch.f0.len());
        lo < hi && pitch.f0[lo..hi].iter().any(Option::is_some)
    };
    let mut peaks: Vec<usize> = Vec::new();
    for i in 1..smooth.len().saturating_sub(1) {
        if !is_speech[i] || smooth[i] < smooth[i - 1] || smooth[i] < smooth[i + 1] || !voiced_near(i) {
            continue;
        }
        let left_dip = (i.saturating_sub(25)..i).map(|j| smooth[j]).fold(f32::INFINITY, f32::min);
        let right_dip = (i + 1..(i + 26).min(smooth.len())).map(|j| smooth[j]).fold(f32::INFINITY, f32::min);
        if smooth[i] - left_dip < PROMINENCE_DB || smooth[i] - right_dip < PROMINENCE_DB {
            continue;
        }
        match peaks.last() {
            Some(&p) if i - p < MIN_GAP => {
                if smooth[i] > smooth[p] {
                    *peaks.last_mut().expect("non-empty") = i;
                }
            }
            _ => peaks.push(i),
        }
    }
    let speech_s = is_speech.iter().filter(|&&b| b).count() as f32 * 0.01;
    let syllables = peaks.len();
    let syllables_per_s = if speech_s > 0.2 { syllables as f32 / speech_s } else { 0.0 };
    SpeakingRate { syllables, speech_s, syllables_per_s }
}
