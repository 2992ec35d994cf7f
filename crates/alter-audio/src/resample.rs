//! Sample-rate conversion with rubato's FFT resampler, one-shot or streamed.
//!
//! Invariants: the output has `ceil(n_in * to / from)` samples in total and is
//! aligned with the input (the resampler's delay is trimmed from the start), so
//! timestamps computed on the resampled signal match the original; memory is
//! bounded by one chunk however long the stream is.

use rubato::{FftFixedIn, Resampler};

use crate::AudioError;

/// Input frames per resampler call: small enough for live audio (64 ms at 16 kHz).
const CHUNK: usize = 1024;
/// Rates outside this range are refused as corrupt headers rather than attempted.
const MAX_RATE: u32 = 768_000;

/// Resamples a whole mono clip.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>, AudioError> {
    let mut r = StreamResampler::new(from, to)?;
    let mut out = r.push(samples)?;
    out.extend(r.finish()?);
    Ok(out)
}

/// A mono resampler fed in pieces of any size.
pub struct StreamResampler {
    inner: Option<FftFixedIn<f32>>,
    from: u32,
    to: u32,
    pending: Vec<f32>,
    delay_left: usize,
    in_total: u64,
    out_total: u64,
}

impl std::fmt::Debug for StreamResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResampler").field("from", &self.from).field("to", &self.to).finish()
    }
}

impl StreamResampler {
    pub fn new(from: u32, to: u32) -> Result<Self, AudioError> {
        for rate in [from, to] {
            if rate == 0 || rate > MAX_RATE {
                return Err(AudioError::InvalidFormat(format!("sample rate {rate} Hz is out of range")));
            }
        }
        let inner = if from == to {
            None
        } else {
            Some(
                FftFixedIn::<f32>::new(from as usize, to as usize, CHUNK, 2, 1)
                    .map_err(|e| AudioError::Resample(e.to_string()))?,
            )
        };
        let delay_left = inner.as_ref().map_or(0, |r| r.output_delay());
        Ok(Self { inner, from, to, pending: Vec::new(), delay_left, in_total: 0, out_total: 0 })
    }

    /// Feeds samples; returns whatever output is ready.
    pub fn push(&mut self, input: &[f32]) -> Result<Vec<f32>, AudioError> {
        self.in_total += input.len() as u64;
        let Some(inner) = self.inner.as_mut() else {
            self.out_total += input.len() as u64;
            return Ok(input.to_vec());
        };
        self.pending.extend_from_slice(input);
        let mut out = Vec::new();
        let mut start = 0;
        loop {
            let need = inner.input_frames_next();
            if self.pending.len() - start < need {
                break;
            }
            let chunk = &self.pending[start..start + need];
            let res = inner.process(&[chunk], None).map_err(|e| AudioError::Resample(e.to_string()))?;
            start += need;
            Self::emit(&mut self.delay_left, &res[0], &mut out);
        }
        self.pending.drain(..start);
        self.out_total += out.len() as u64;
        Ok(out)
    }

    /// Flushes the tail; call once at the end of the stream.
    pub fn finish(&mut self) -> Result<Vec<f32>, AudioError> {
        let expected = (self.in_total * self.to as u64).div_ceil(self.from as u64);
        let Some(inner) = self.inner.as_mut() else {
            return Ok(Vec::new());
        };
        if self.in_total == 0 {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let rest = std::mem::take(&mut self.pending);
        // rubato refuses an empty partial chunk: when the input was a whole
        // number of chunks there is nothing left, only the delayed tail.
        if !rest.is_empty() {
            let res = inner
                .process_partial(Some(&[rest.as_slice()]), None)
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            Self::emit(&mut self.delay_left, &res[0], &mut out);
        }
        // Push silence through until the delayed tail has come out.
        let mut guard = 0;
        while self.out_total + (out.len() as u64) < expected && guard < 64 {
            let res = inner.process_partial::<&[f32]>(None, None).map_err(|e| AudioError::Resample(e.to_string()))?;
            Self::emit(&mut self.delay_left, &res[0], &mut out);
            guard += 1;
        }
        let keep = expected.saturating_sub(self.out_total) as usize;
        out.truncate(keep);
        self.out_total += out.len() as u64;
        Ok(out)
    }

    fn emit(delay_left: &mut usize, produced: &[f32], out: &mut Vec<f32>) {
        let skip = (*delay_left).min(produced.len());
        *delay_left -= skip;
        out.extend_from_slice(&produced[skip..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, secs: f32) -> Vec<f32> {
        (0..(rate as f32 * secs) as usize)
            .map(|i| (i as f32 * freq * std::f32::consts::TAU / rate as f32).sin() * 0.5)
            .collect()
    }

    #[test]
    fn whole_chunks_of_input_resample() {
        // An input that is an exact number of the resampler's chunks leaves
        // nothing pending at the end (this used to fail in `finish`).
        for (from, to) in [(22_050, 16_000), (44_100, 16_000), (16_000, 22_050)] {
            for chunks in [1usize, 2, 37] {
                let x = sine(300.0, from, 0.0)
                    .into_iter()
                    .chain((0..chunks * CHUNK).map(|i| (i as f32 * 0.01).sin() * 0.3))
                    .collect::<Vec<_>>();
                let y = resample(&x, from, to).unwrap_or_else(|e| panic!("{from}->{to}, {chunks} chunks: {e}"));
                assert_eq!(y.len() as u64, (x.len() as u64 * to as u64).div_ceil(from as u64));
            }
        }
    }

    #[test]
    fn lengths_and_alignment_hold() {
        for (from, to) in [(44_100, 16_000), (8_000, 16_000), (96_000, 16_000), (22_050, 16_000), (16_000, 22_050)] {
            let x = sine(440.0, from, 1.3);
            let y = resample(&x, from, to).unwrap();
            let expect = (x.len() as u64 * to as u64).div_ceil(from as u64) as usize;
            assert_eq!(y.len(), expect, "{from}->{to}");
            // Aligned: a sine at 440 Hz keeps its phase; compare mid-signal against the ideal.
            let mid = y.len() / 2;
            let err: f32 = (mid..mid + 200)
                .map(|i| (y[i] - (i as f32 * 440.0 * std::f32::consts::TAU / to as f32).sin() * 0.5).abs())
                .sum::<f32>()
                / 200.0;
            assert!(err < 0.02, "{from}->{to}: mean error {err}");
        }
    }

    #[test]
    fn streamed_equals_one_shot() {
        let x = sine(300.0, 44_100, 0.7);
        let whole = resample(&x, 44_100, 16_000).unwrap();
        let mut r = StreamResampler::new(44_100, 16_000).unwrap();
        let mut parts = Vec::new();
        for c in x.chunks(333) {
            parts.extend(r.push(c).unwrap());
        }
        parts.extend(r.finish().unwrap());
        assert_eq!(parts.len(), whole.len());
        assert!(parts.iter().zip(&whole).all(|(a, b)| (a - b).abs() < 1e-5));
    }

    #[test]
    fn absurd_rates_are_refused() {
        assert!(matches!(StreamResampler::new(0, 16_000), Err(AudioError::InvalidFormat(_))));
        assert!(matches!(StreamResampler::new(16_000, 5_000_000), Err(AudioError::InvalidFormat(_))));
        assert!(resample(&[], 44_100, 16_000).unwrap().is_empty());
    }
}
