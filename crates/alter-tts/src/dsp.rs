//! Signal processing for the voice: a duration-keeping pitch shifter, gain
//! with a limiter, and a YIN pitch tracker to measure the result.
//!
//! The pitch shifter is a phase vocoder with identity phase locking
//! (Laroche & Dolson): the signal is time-stretched by the pitch ratio, then
//! resampled back to its original length, so duration (and thus phoneme
//! timing) is unchanged. Formants move with the pitch, which is inaudible for
//! the few semitones voice tuning uses (it is clamped to ±12).

use std::f32::consts::PI;
use std::sync::Arc;

use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};

const FRAME: usize = 1024;
const SYN_HOP: usize = FRAME / 4;

fn hann(n: usize) -> Vec<f32> {
    (0..n).map(|i| 0.5 - 0.5 * (2.0 * PI * i as f32 / n as f32).cos()).collect()
}

fn wrap(phase: f32) -> f32 {
    phase - 2.0 * PI * ((phase + PI) / (2.0 * PI)).floor()
}

/// Shifts pitch by `semitones`, keeping the length exactly.
pub fn pitch_shift(samples: &[f32], _sample_rate: u32, semitones: f32) -> Vec<f32> {
    if samples.len() < FRAME || !semitones.is_finite() || semitones.abs() < 0.01 {
        return samples.to_vec();
    }
    let ratio = 2f32.powf(semitones.clamp(-12.0, 12.0) / 12.0);
    let stretched = stretch(samples, ratio);
    // Read the stretched signal `ratio` times faster: original length, pitch × ratio.
    (0..samples.len()).map(|i| cubic_at(&stretched, i as f32 * ratio)).collect()
}

/// Phase-vocoder time stretch by `ratio` (> 1 is longer).
fn stretch(x: &[f32], ratio: f32) -> Vec<f32> {
    let mut planner = FftPlanner::<f32>::new();
    let fft: Arc<dyn Fft<f32>> = planner.plan_fft_forward(FRAME);
    let ifft: Arc<dyn Fft<f32>> = planner.plan_fft_inverse(FRAME);
    let window = hann(FRAME);
    let bins = FRAME / 2 + 1;
    let ana_hop = SYN_HOP as f32 / ratio;
    let frames = ((x.len() as f32 - FRAME as f32) / ana_hop).floor() as usize + 1;
    let out_len = (frames - 1) * SYN_HOP + FRAME;
    let mut out = vec![0.0f32; out_len];
    let mut norm = vec![0.0f32; out_len];
    let mut prev_phase = vec![0.0f32; bins];
    let mut syn_phase = vec![0.0f32; bins];
    let mut prev_pos = 0usize;
    let mut buf = vec![Complex32::new(0.0, 0.0); FRAME];
    let mut mag = vec![0.0f32; bins];
    let mut phase = vec![0.0f32; bins];
    for k in 0..frames {
        let pos = ((k as f32 * ana_hop).round() as usize).min(x.len() - FRAME);
        for i in 0..FRAME {
            buf[i] = Complex32::new(x[pos + i] * window[i], 0.0);
        }
        fft.process(&mut buf);
        for j in 0..bins {
            mag[j] = buf[j].norm();
            phase[j] = buf[j].arg();
        }
        let hop = (pos - prev_pos) as f32;
        if k == 0 {
            syn_phase.copy_from_slice(&phase);
        } else {
            // Peaks carry their instantaneous frequency; other bins keep their
            // phase relation to the nearest peak (identity phase locking).
            let peaks: Vec<usize> = (0..bins)
                .filter(|&j| (j == 0 || mag[j] >= mag[j - 1]) && (j + 1 == bins || mag[j] > mag[j + 1]))
                .collect();
            let mut new_phase = vec![0.0f32; bins];
            for &p in &peaks {
                let omega = 2.0 * PI * p as f32 / FRAME as f32;
                let advance = if hop > 0.0 {
                    let dphi = wrap(phase[p] - prev_phase[p] - omega * hop);
                    (omega + dphi / hop) * SYN_HOP as f32
                } else {
                    omega * SYN_HOP as f32
                };
                new_phase[p] = syn_phase[p] + advance;
            }
            let mut pi = 0;
            for j in 0..bins {
                while pi + 1 < peaks.len() && peaks[pi + 1].abs_diff(j) < peaks[pi].abs_diff(j) {
                    pi += 1;
                }
                let p = peaks.get(pi).copied().unwrap_or(j);
                if p != j {
                    new_phase[j] = new_phase[p] + phase[j] - phase[p];
                }
            }
            syn_phase = new_phase;
        }
        prev_phase.copy_from_slice(&phase);
        prev_pos = pos;
        for j in 0..bins {
            buf[j] = Complex32::from_polar(mag[j], syn_phase[j]);
        }
        for j in bins..FRAME {
            buf[j] = buf[FRAME - j].conj();
        }
        ifft.process(&mut buf);
        let start = k * SYN_HOP;
        for i in 0..FRAME {
            out[start + i] += buf[i].re / FRAME as f32 * window[i];
            norm[start + i] += window[i] * window[i];
        }
    }
    for (o, n) in out.iter_mut().zip(&norm) {
        if *n > 1e-3 {
            *o /= n;
        }
    }
    out
}

/// Catmull-Rom interpolation at fractional position `t` (0 outside).
fn cubic_at(x: &[f32], t: f32) -> f32 {
    let i = t.floor() as isize;
    let f = t - i as f32;
    let at = |k: isize| if k >= 0 && (k as usize) < x.len() { x[k as usize] } else { 0.0 };
    let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
    p1 + 0.5 * f * (p2 - p0 + f * (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3 + f * (3.0 * (p1 - p2) + p3 - p0)))
}

/// Multiplies by `gain`, then scales down if the peak would clip.
pub fn apply_gain(samples: &mut [f32], gain: f32) {
    let gain = if gain.is_finite() { gain.max(0.0) } else { 1.0 };
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs())) * gain;
    let limit = if peak > 0.98 { 0.98 / peak } else { 1.0 };
    samples.iter_mut().for_each(|s| *s *= gain * limit);
}

/// YIN pitch per frame (hop 256): `Some(Hz)` where voiced, between 60 and 500 Hz.
pub fn yin(samples: &[f32], sample_rate: u32) -> Vec<Option<f32>> {
    let sr = sample_rate as f32;
    let (min_tau, max_tau) = ((sr / 500.0) as usize, (sr / 60.0) as usize);
    let width = (sr * 0.025) as usize;
    let hop = (sr * 0.0116) as usize;
    let need = width + max_tau + 2;
    if samples.len() < need || min_tau < 2 {
        return Vec::new();
    }
    let loud = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    let mut out = Vec::new();
    let mut d = vec![0.0f32; max_tau + 2];
    for start in (0..samples.len() - need).step_by(hop.max(1)) {
        let frame = &samples[start..start + need];
        let rms = (frame[..width].iter().map(|s| s * s).sum::<f32>() / width as f32).sqrt();
        if rms < 0.05 * loud || rms < 1e-3 {
            out.push(None);
            continue;
        }
        for (tau, slot) in d.iter_mut().enumerate().skip(1) {
            *slot = (0..width).map(|j| (frame[j] - frame[j + tau]).powi(2)).sum();
        }
        let mut running = 0.0f32;
        let mut cmnd = vec![1.0f32; max_tau + 2];
        for tau in 1..=max_tau + 1 {
            running += d[tau];
            cmnd[tau] = if running > 0.0 { d[tau] * tau as f32 / running } else { 1.0 };
        }
        let mut found = None;
        let mut tau = min_tau;
        while tau <= max_tau {
            if cmnd[tau] < 0.15 {
                while tau < max_tau && cmnd[tau + 1] < cmnd[tau] {
                    tau += 1;
                }
                found = Some(tau);
                break;
            }
            tau += 1;
        }
        out.push(found.map(|t| {
            let (a, b, c) = (cmnd[t - 1], cmnd[t], cmnd[t + 1]);
            let denom = a - 2.0 * b + c;
            let shift = if denom.abs() > 1e-9 { 0.5 * (a - c) / denom } else { 0.0 };
            sr / (t as f32 + shift.clamp(-1.0, 1.0))
        }));
    }
    out
}

/// Median voiced pitch in Hz, `None` when nothing is voiced.
pub fn median_pitch(samples: &[f32], sample_rate: u32) -> Option<f32> {
    let mut voiced: Vec<f32> = yin(samples, sample_rate).into_iter().flatten().collect();
    if voiced.len() < 5 {
        return None;
    }
    voiced.sort_by(f32::total_cmp);
    Some(voiced[voiced.len() / 2])
}

/// Pitch distance in semitones from `from` to `to`.
pub fn semitones(from: f32, to: f32) -> f32 {
    12.0 * (to / from).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f32, secs: f32, sr: u32) -> Vec<f32> {
        // A buzzy tone with harmonics, like a voiced vowel.
        (0..(secs * sr as f32) as usize)
            .map(|i| {
                let t = i as f32 / sr as f32;
                (1..6).map(|h| (2.0 * PI * hz * h as f32 * t).sin() / h as f32).sum::<f32>() * 0.3
            })
            .collect()
    }

    #[test]
    fn yin_finds_a_tone() {
        let p = median_pitch(&tone(150.0, 0.5, 22050), 22050).unwrap();
        assert!((p - 150.0).abs() < 2.0, "{p}");
        assert!(median_pitch(&vec![0.0; 22050], 22050).is_none());
        assert!(yin(&[0.1; 10], 22050).is_empty());
    }

    #[test]
    fn shift_keeps_length_and_moves_pitch() {
        let x = tone(150.0, 0.6, 22050);
        for st in [-4.0f32, 3.0, 7.0] {
            let y = pitch_shift(&x, 22050, st);
            assert_eq!(y.len(), x.len());
            let got = median_pitch(&y, 22050).unwrap();
            let err = semitones(150.0 * 2f32.powf(st / 12.0), got).abs();
            assert!(err < 0.3, "shift {st}: got {got} Hz, {err} st off");
            assert!(y.iter().all(|s| s.is_finite()));
        }
        assert_eq!(pitch_shift(&[0.5; 10], 22050, 3.0), vec![0.5; 10]);
    }

    #[test]
    fn gain_never_clips() {
        let mut x = vec![0.5, -0.9, 0.2];
        apply_gain(&mut x, 4.0);
        assert!(x.iter().all(|s| s.abs() <= 0.98 + 1e-6));
        apply_gain(&mut x, f32::NAN);
        assert!(x.iter().all(|s| s.is_finite()));
    }
}
