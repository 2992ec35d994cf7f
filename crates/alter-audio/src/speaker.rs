//! The speaker embedding: Resemblyzer's GE2E voice encoder run in candle.
//!
//! Pipeline, as Resemblyzer does it: 16 kHz audio, raised to -30 dBFS if
//! quieter, long silences removed; a 40-band mel power spectrogram (25 ms
//! Hann window, 10 ms hop, Slaney mel scale and area normalisation, as
//! librosa computes it); 1.6 s partial windows every ~0.77 s (about 50 %
//! overlap); a 3-layer LSTM (hidden 256), its last hidden state through a
//! linear layer and ReLU, L2-normalised; partial embeddings averaged and
//! L2-normalised again.
//!
//! Invariants: weights come from `speaker/resemblyzer.safetensors` under the
//! models folder (tensor names as in the PyTorch state dict: `lstm.weight_ih_l0`,
//! ..., `linear.weight`); an embedding is always 256 values with unit norm,
//! or an error (never NaN) for audio with no speech.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::rnn::{LSTM, LSTMConfig, RNN, lstm};
use candle_nn::{Linear, Module, VarBuilder, linear};
use rustfft::{FftPlanner, num_complex::Complex};

use crate::quality::{frame_levels_db, speech_frames};
use crate::{Audio, AudioError};

const RATE: u32 = 16_000;
const N_FFT: usize = 400;
const HOP: usize = 160;
const N_MELS: usize = 40;
const PARTIAL_FRAMES: usize = 160;
const HIDDEN: usize = 256;

/// The model file under a models folder.
pub fn speaker_model_path(models_dir: &Path) -> PathBuf {
    models_dir.join("speaker").join("resemblyzer.safetensors")
}

/// A loaded GE2E encoder (CPU).
pub struct SpeakerEncoder {
    layers: Vec<LSTM>,
    linear: Linear,
    mel: Vec<f32>,
    device: Device,
}

impl std::fmt::Debug for SpeakerEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeakerEncoder").finish()
    }
}

fn model_err(path: &Path) -> impl Fn(candle_core::Error) -> AudioError + '_ {
    move |e| AudioError::Model { path: path.to_path_buf(), reason: e.to_string() }
}

impl SpeakerEncoder {
    pub fn load(models_dir: &Path) -> Result<Self, AudioError> {
        let path = speaker_model_path(models_dir);
        if !path.is_file() {
            return Err(AudioError::ModelMissing(path));
        }
        let device = Device::Cpu;
        let err = model_err(&path);
        // 5.7 MB: read it whole rather than memory-map it (no unsafe needed).
        let bytes = std::fs::read(&path).map_err(|source| AudioError::Io { path: path.clone(), source })?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device).map_err(&err)?;
        let mut layers = Vec::new();
        for layer_idx in 0..3 {
            let in_dim = if layer_idx == 0 { N_MELS } else { HIDDEN };
            let cfg = LSTMConfig { layer_idx, ..Default::default() };
            layers.push(lstm(in_dim, HIDDEN, cfg, vb.pp("lstm")).map_err(&err)?);
        }
        let linear = linear(HIDDEN, HIDDEN, vb.pp("linear")).map_err(&err)?;
        Ok(Self { layers, linear, mel: mel_filters(), device })
    }

    /// The L2-normalised 256-d embedding of one utterance (any rate).
    pub fn embed(&self, audio: &Audio) -> Result<Vec<f32>, AudioError> {
        let a = audio.resampled(RATE)?;
        let wav = preprocess(&a.samples);
        if wav.len() < RATE as usize / 2 {
            return Err(AudioError::InvalidFormat("not enough speech for a speaker embedding (need ≥ 0.5 s)".into()));
        }
        // Partial windows as Resemblyzer's compute_partial_slices (rate 1.3/s, coverage 0.75).
        let n_frames = (wav.len() + 1).div_ceil(HOP);
        let frame_step = ((RATE as f64 / 1.3) / HOP as f64).round() as usize;
        let steps = (n_frames + frame_step + 1).saturating_sub(PARTIAL_FRAMES).max(1);
        let mut slices: Vec<usize> = (0..steps).step_by(frame_step).collect();
        if let Some(&last) = slices.last() {
            let coverage = (wav.len() as f64 - (last * HOP) as f64) / (PARTIAL_FRAMES * HOP) as f64;
            if coverage < 0.75 && slices.len() > 1 {
                slices.pop();
            }
        }
        let max_len = (slices.last().copied().unwrap_or(0) + PARTIAL_FRAMES) * HOP;
        let mut padded = wav;
        if padded.len() < max_len {
            padded.resize(max_len, 0.0);
        }
        let mel = self.mel_spectrogram(&padded);
        let total = mel.len() / N_MELS;
        let mut batch = Vec::with_capacity(slices.len() * PARTIAL_FRAMES * N_MELS);
        for &s in &slices {
            for f in s..s + PARTIAL_FRAMES {
                let f = f.min(total.saturating_sub(1));
                batch.extend_from_slice(&mel[f * N_MELS..(f + 1) * N_MELS]);
            }
        }
        let err =
            |e: candle_core::Error| AudioError::Model { path: PathBuf::from("resemblyzer"), reason: e.to_string() };
        let mut x = Tensor::from_vec(batch, (slices.len(), PARTIAL_FRAMES, N_MELS), &self.device).map_err(err)?;
        let mut last_h = None;
        for layer in &self.layers {
            let states = layer.seq(&x).map_err(err)?;
            last_h = states.last().map(|s| s.h().clone());
            x = layer.states_to_tensor(&states).map_err(err)?;
        }
        let h = last_h.ok_or_else(|| err(candle_core::Error::Msg("empty sequence".into())))?;
        let e = self.linear.forward(&h).and_then(|t| t.relu()).map_err(err)?;
        let rows: Vec<Vec<f32>> = e.to_vec2().map_err(err)?;
        let mut mean = vec![0f32; HIDDEN];
        for r in &rows {
            let n = r.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            mean.iter_mut().zip(r).for_each(|(m, v)| *m += v / n);
        }
        let n = mean.iter().map(|v| v * v).sum::<f32>().sqrt();
        if n.is_nan() || n <= 0.0 {
            return Err(AudioError::InvalidFormat("no speech found for a speaker embedding".into()));
        }
        Ok(mean.into_iter().map(|v| v / n).collect())
    }

    /// Mel power spectrogram, frames × 40, as librosa (centre, zero padding).
    fn mel_spectrogram(&self, x: &[f32]) -> Vec<f32> {
        let pad = N_FFT / 2;
        let mut padded = vec![0f32; pad];
        padded.extend_from_slice(x);
        padded.extend(std::iter::repeat_n(0.0, pad));
        let n_frames = 1 + (padded.len() - N_FFT) / HOP;
        let window: Vec<f32> =
            (0..N_FFT).map(|i| 0.5 - 0.5 * (std::f32::consts::TAU * i as f32 / N_FFT as f32).cos()).collect();
        let fft = FftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        let bins = N_FFT / 2 + 1;
        let mut out = Vec::with_capacity(n_frames * N_MELS);
        let mut buf = vec![Complex::new(0f32, 0f32); N_FFT];
        let mut power = vec![0f32; bins];
        for f in 0..n_frames {
            for i in 0..N_FFT {
                buf[i] = Complex::new(padded[f * HOP + i] * window[i], 0.0);
            }
            fft.process(&mut buf);
            for (k, p) in power.iter_mut().enumerate() {
                *p = buf[k].norm_sqr();
            }
            for m in 0..N_MELS {
                let w = &self.mel[m * bins..(m + 1) * bins];
                out.push(w.iter().zip(&power).map(|(a, b)| a * b).sum());
            }
        }
        out
    }
}

/// Resemblyzer's preprocessing: raise quiet audio to -30 dBFS, drop long silences.
fn preprocess(x: &[f32]) -> Vec<f32> {
    let power = x.iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / x.len().max(1) as f64;
    let gain = if power > 0.0 {
        let change = -30.0 - 10.0 * power.log10();
        if change > 0.0 { 10f64.powf(change / 20.0) as f32 } else { 1.0 }
    } else {
        1.0
    };
    let x: Vec<f32> = x.iter().map(|s| s * gain).collect();
    // Speech per 30 ms window (energy), smoothed over 8 windows, dilated by 6.
    let levels = frame_levels_db(&Audio::new(x.clone(), RATE));
    let (_, speech) = speech_frames(&levels);
    let win = RATE as usize * 30 / 1000;
    let n_win = x.len() / win;
    let flag: Vec<bool> = (0..n_win)
        .map(|w| {
            let (lo, hi) = (w * 3, (w * 3 + 3).min(speech.len()));
            lo < hi && speech[lo..hi].iter().any(|&b| b)
        })
        .collect();
    let smooth: Vec<bool> = (0..n_win)
        .map(|w| {
            let lo = w.saturating_sub(4);
            let hi = (w + 4).min(n_win);
            flag[lo..hi].iter().filter(|&&b| b).count() * 2 > hi - lo
        })
        .collect();
    let keep: Vec<bool> =
        (0..n_win).map(|w| smooth[w.saturating_sub(6)..(w + 7).min(n_win)].iter().any(|&b| b)).collect();
    let mut out = Vec::with_capacity(x.len());
    for (w, k) in keep.iter().enumerate() {
        if *k {
            out.extend_from_slice(&x[w * win..(w + 1) * win]);
        }
    }
    out
}

/// librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): Slaney scale, area-normalised.
fn mel_filters() -> Vec<f32> {
    let hz_to_mel = |f: f64| {
        let f_sp = 200.0 / 3.0;
        if f < 1000.0 { f / f_sp } else { 15.0 + (f / 1000.0).ln() / (6.4f64.ln() / 27.0) }
    };
    let mel_to_hz = |m: f64| {
        let f_sp = 200.0 / 3.0;
        if m < 15.0 { m * f_sp } else { 1000.0 * ((m - 15.0) * (6.4f64.ln() / 27.0)).exp() }
    };
    let bins = N_FFT / 2 + 1;
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(RATE as f64 / 2.0));
    let pts: Vec<f64> = (0..N_MELS + 2).map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (N_MELS + 1) as f64)).collect();
    let freqs: Vec<f64> = (0..bins).map(|k| k as f64 * RATE as f64 / N_FFT as f64).collect();
    let mut w = vec![0f32; N_MELS * bins];
    for m in 0..N_MELS {
        let enorm = 2.0 / (pts[m + 2] - pts[m]);
        for (k, f) in freqs.iter().enumerate() {
            let lower = (f - pts[m]) / (pts[m + 1] - pts[m]);
            let upper = (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1]);
            w[m * bins + k] = (lower.min(upper).max(0.0) * enorm) as f32;
        }
    }
    w
}
