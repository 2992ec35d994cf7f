//! Writing mono WAV files with hound (16-bit PCM by default, or 32-bit float).
//! Samples outside [-1, 1] are clamped, never wrapped.

use std::path::Path;

use crate::{Audio, AudioError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WavFormat {
    /// 16-bit integer PCM: what every player reads.
    #[default]
    Pcm16,
    /// 32-bit IEEE float: lossless for intermediate files.
    Float32,
}

/// Writes `audio` as 16-bit PCM mono WAV.
pub fn write_wav(path: &Path, audio: &Audio) -> Result<(), AudioError> {
    write_wav_with(path, audio, WavFormat::Pcm16)
}

pub fn write_wav_with(path: &Path, audio: &Audio, format: WavFormat) -> Result<(), AudioError> {
    let err = |e: hound::Error| AudioError::Write { path: path.to_path_buf(), reason: e.to_string() };
    if audio.sample_rate == 0 {
        return Err(AudioError::InvalidFormat("cannot write audio with a 0 Hz sample rate".into()));
    }
    let spec = match format {
        WavFormat::Pcm16 => hound::WavSpec {
            channels: 1,
            sample_rate: audio.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        },
        WavFormat::Float32 => hound::WavSpec {
            channels: 1,
            sample_rate: audio.sample_rate,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        },
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(err)?;
    for &s in &audio.samples {
        let s = if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 };
        match format {
            WavFormat::Pcm16 => w.write_sample((s * i16::MAX as f32).round() as i16).map_err(err)?,
            WavFormat::Float32 => w.write_sample(s).map_err(err)?,
        }
    }
    w.finalize().map_err(err)
}
