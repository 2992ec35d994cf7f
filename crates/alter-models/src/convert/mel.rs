//! The Slaney-style mel filterbank whisper uses, computed like
//! `librosa.filters.mel(sr=16000, n_fft=400, n_mels=80)` (openai-whisper's
//! `mel_filters.npz`): Slaney mel scale, triangular filters, Slaney area
//! normalisation. Computed in f64; rounded to f32 at the same two points
//! librosa rounds (the triangle, then the normalised weight).

fn hz_to_mel(f: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if f >= min_log_hz { min_log_mel + (f / min_log_hz).ln() / logstep } else { f / f_sp }
}

fn mel_to_hz(m: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if m >= min_log_mel { min_log_hz * (logstep * (m - min_log_mel)).exp() } else { f_sp * m }
}

/// numpy's `linspace(start, stop, n)` (endpoint included, last value exact).
fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![start];
    }
    let step = (stop - start) / (n - 1) as f64;
    let mut v: Vec<f64> = (0..n).map(|i| start + i as f64 * step).collect();
    v[n - 1] = stop;
    v
}

/// Filterbank of `n_mels` rows × `n_fft / 2 + 1` columns, row-major.
pub fn mel_filters(sample_rate: u32, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let n_freqs = n_fft / 2 + 1;
    let sr = sample_rate as f64;
    // numpy.fft.rfftfreq(n_fft, 1/sr)
    let val = 1.0 / (n_fft as f64 * (1.0 / sr));
    let fftfreqs: Vec<f64> = (0..n_freqs).map(|k| k as f64 * val).collect();
    let mels = linspace(hz_to_mel(0.0), hz_to_mel(sr / 2.0), n_mels + 2);
    let mel_f: Vec<f64> = mels.iter().map(|&m| mel_to_hz(m)).collect();
    let fdiff: Vec<f64> = mel_f.windows(2).map(|w| w[1] - w[0]).collect();
    let mut out = vec![0f32; n_mels * n_freqs];
    for i in 0..n_mels {
        let enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
        for (k, &f) in fftfreqs.iter().enumerate() {
            let lower = -(mel_f[i] - f) / fdiff[i];
            let upper = (mel_f[i + 2] - f) / fdiff[i + 1];
            // Not `.max(0.0)`: which zero it returns for −0.0 depends on the
            // optimiser, and the file's hash must not.
            let w = lower.min(upper);
            let w = if w > 0.0 { w as f32 } else { 0.0 };
            out[i * n_freqs + k] = (w as f64 * enorm) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_openai_whisper_filterbank() {
        // openai-whisper's mel_filters.npz (mel_80), written by tools/extract_whisper_mel.py.
        let bytes = include_bytes!("../../tests/fixtures/whisper_mel_80.f32");
        let reference: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        let ours = mel_filters(16000, 400, 80);
        assert_eq!(ours.len(), reference.len());
        let worst = ours.iter().zip(&reference).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(worst < 1e-7, "largest difference {worst}");
        // The converted file is pinned by hash: no value may depend on how zeros round.
        assert!(ours.iter().all(|v| v.to_bits() != (-0.0f32).to_bits()), "a filter weight is −0.0");
    }
}
