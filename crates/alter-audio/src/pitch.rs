//! Pitch tracking with YIN (de Cheveigné & Kawahara, 2002), and the summary
//! figures a voice profile keeps: median, 10th–90th percentile range.
//!
//! Runs at 8 kHz (voice f0 is below 1 kHz, so nothing is lost and the
//! difference function costs a quarter). 40 ms analysis frames every 10 ms.
//! Quiet frames are never called voiced, so silence and hiss give no pitch.

use serde::{Deserialize, Serialize};

use crate::Audio;
use crate::quality::{percentile, to_db};

const PITCH_RATE: u32 = 8_000;

#[derive(Debug, Clone)]
pub struct PitchOptions {
    pub min_hz: f32,
    pub max_hz: f32,
    /// YIN's aperiodicity threshold on the normalised difference (0.1–0.2 typical).
    pub threshold: f32,
    /// Frames quieter than this (dBFS) are unvoiced without analysis.
    pub min_level_db: f32,
}

impl Default for PitchOptions {
    fn default() -> Self {
        Self { min_hz: 60.0, max_hz: 450.0, threshold: 0.15, min_level_db: -45.0 }
    }
}

/// f0 per 10 ms frame (`None` = unvoiced).
#[derive(Debug, Clone, PartialEq)]
pub struct PitchContour {
    pub hop_s: f32,
    pub f0: Vec<Option<f32>>,
}

impl PitchContour {
    pub fn voiced(&self) -> Vec<f32> {
        self.f0.iter().flatten().copied().collect()
    }

    pub fn stats(&self) -> PitchStats {
        PitchStats::from_voiced(&self.voiced(), self.f0.len())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PitchStats {
    pub median_hz: f32,
    pub p10_hz: f32,
    pub p90_hz: f32,
    /// p90 / p10 in semitones.
    pub range_semitones: f32,
    /// Standard deviation of f0 in semitones around the median (pitch variability).
    pub std_semitones: f32,
    pub voiced_ratio: f32,
}

impl PitchStats {
    /// Stats over voiced f0 values; zeros when there are fewer than 5.
    pub fn from_voiced(voiced: &[f32], total_frames: usize) -> Self {
        let voiced_ratio = if total_frames == 0 { 0.0 } else { voiced.len() as f32 / total_frames as f32 };
        if voiced.len() < 5 {
            return Self {
                median_hz: 0.0,
                p10_hz: 0.0,
                p90_hz: 0.0,
                range_semitones: 0.0,
                std_semitones: 0.0,
                voiced_ratio,
            };
        }
        let median_hz = percentile(voiced, 0.5);
        let p10_hz = percentile(voiced, 0.1);
        let p90_hz = percentile(voiced, 0.9);
        let st: Vec<f32> = voiced.iter().map(|f| 12.0 * (f / median_hz).log2()).collect();
        let var = st.iter().map(|s| s * s).sum::<f32>() / st.len() as f32;
        Self {
            median_hz,
            p10_hz,
            p90_hz,
            range_semitones: 12.0 * (p90_hz / p10_hz).log2(),
            std_semitones: var.sqrt(),
            voiced_ratio,
        }
    }
}

/// Tracks f0 over a clip of any rate.
pub fn track_pitch(audio: &Audio, opts: &PitchOptions) -> Result<PitchContour, crate::AudioError> {
    let a = audio.resampled(PITCH_RATE)?;
    let x = &a.samples;
    let rate = PITCH_RATE as f32;
    let hop = (PITCH_RATE / 100) as usize;
    let tau_min = (rate / opts.max_hz).floor().max(2.0) as usize;
    let tau_max = (rate / opts.min_hz).ceil() as usize;
    let win = (PITCH_RATE as usize * 40 / 1000).max(tau_max); // 40 ms integration window
    let need = win + tau_max + 1;
    let mut f0 = Vec::new();
    if x.len() < need {
        return Ok(PitchContour { hop_s: 0.01, f0 });
    }
    let mut d = vec![0f32; tau_max + 1];
    let mut start = 0;
    while start + need <= x.len() {
        let frame = &x[start..start + need];
        let power = frame[..win].iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / win as f64;
        f0.push(if to_db(power) < opts.min_level_db {
            None
        } else {
            yin_frame(frame, win, tau_min, tau_max, opts.threshold, &mut d).map(|tau| rate / tau)
        });
        start += hop;
    }
    Ok(PitchContour { hop_s: 0.01, f0 })
}

/// One YIN estimate: the lag (fractional samples) of the first dip under the threshold.
fn yin_frame(x: &[f32], win: usize, tau_min: usize, tau_max: usize, threshold: f32, d: &mut [f32]) -> Option<f32> {
    d[0] = 1.0;
    let mut running = 0f32;
    for tau in 1..=tau_max {
        let mut acc = 0f32;
        for j in 0..win {
            let diff = x[j] - x[j + tau];
            acc += diff * diff;
        }
        running += acc;
        // Cumulative mean normalised difference.
        d[tau] = if running > 0.0 { acc * tau as f32 / running } else { 1.0 };
    }
    let mut tau = tau_min;
    while tau <= tau_max {
        if d[tau] < threshold {
            while tau < tau_max && d[tau + 1] < d[tau] {
                tau += 1;
            }
            // Parabolic interpolation around the minimum.
            if tau > 1 && tau < tau_max {
                let (a, b, c) = (d[tau - 1], d[tau], d[tau + 1]);
                let den = a + c - 2.0 * b;
                if den.abs() > 1e-9 {
                    return Some(tau as f32 + 0.5 * (a - c) / den);
                }
            }
            return Some(tau as f32);
        }
        tau += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(f: f32, secs: f32) -> Audio {
        let r = 16_000;
        // A glottal-like harmonic tone, not a pure sine, so YIN sees a voice-like signal.
        let s = (0..(r as f32 * secs) as usize)
            .map(|i| {
                let t = i as f32 / r as f32;
                (1..6).map(|k| (t * f * k as f32 * std::f32::consts::TAU).sin() / k as f32).sum::<f32>() * 0.2
            })
            .collect();
        Audio::new(s, r)
    }

    #[test]
    fn finds_the_pitch_of_harmonic_tones() {
        for f in [90.0, 120.0, 210.0, 330.0] {
            let st = track_pitch(&tone(f, 1.0), &PitchOptions::default()).unwrap().stats();
            assert!((st.median_hz - f).abs() / f < 0.02, "{f} Hz gave {}", st.median_hz);
            assert!(st.voiced_ratio > 0.9);
            assert!(st.range_semitones < 0.5);
        }
    }

    #[test]
    fn silence_and_noise_are_unvoiced() {
        let silent = Audio::new(vec![0.0; 16_000], 16_000);
        assert_eq!(track_pitch(&silent, &PitchOptions::default()).unwrap().stats().voiced_ratio, 0.0);
        let mut seed = 1u32;
        let noise: Vec<f32> = (0..16_000)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect();
        let st = track_pitch(&Audio::new(noise, 16_000), &PitchOptions::default()).unwrap().stats();
        assert!(st.voiced_ratio < 0.1, "noise voiced ratio {}", st.voiced_ratio);
    }

    #[test]
    fn short_clip_gives_empty_contour() {
        let c = track_pitch(&Audio::new(vec![0.1; 100], 16_000), &PitchOptions::default()).unwrap();
        assert!(c.f0.is_empty());
        assert_eq!(c.stats().median_hz, 0.0);
    }
}
