//! Decoding WAV, MP3, FLAC, OGG/Vorbis and M4A/AAC with symphonia into mono
//! `f32` at the rate a model wants.
//!
//! Invariants: nothing is sized from the file's header (a header may claim
//! 2^31 samples and hold none), so memory is bounded by one packet plus one
//! resampler chunk per [`AudioStream::next_chunk`]; [`decode_file`] adds a
//! duration cap so a one-hour file is refused instead of loaded whole.
//! Channels are averaged (down-mix), never dropped.

use std::fs::File;
use std::path::{Path, PathBuf};

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CODEC_TYPE_NULL, Decoder, DecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::{Audio, AudioError, StreamResampler};

/// A stream of packets that fail to decode in a row before we call the file broken.
const MAX_CONSECUTIVE_BAD_PACKETS: usize = 32;

/// How to decode a whole file.
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// Output rate in Hz (e.g. [`crate::SPEECH_RATE`]).
    pub target_rate: u32,
    /// Refuse files longer than this (seconds); `None` means no cap.
    pub max_seconds: Option<f64>,
}

impl DecodeOptions {
    /// 16 kHz (or `target_rate`) with a 30-minute cap: enough for any voice
    /// sample or spoken question, far below what would strain memory.
    pub fn new(target_rate: u32) -> Self {
        Self { target_rate, max_seconds: Some(30.0 * 60.0) }
    }
}

/// Decodes a whole file to mono at `target_rate` (30-minute cap; see [`decode_file_with`]).
pub fn decode_file(path: &Path, target_rate: u32) -> Result<Audio, AudioError> {
    decode_file_with(path, &DecodeOptions::new(target_rate))
}

/// Decodes a whole file with explicit options.
pub fn decode_file_with(path: &Path, opts: &DecodeOptions) -> Result<Audio, AudioError> {
    let mut stream = AudioStream::open(path, opts.target_rate)?;
    let max_samples = opts.max_seconds.map(|s| (s * opts.target_rate as f64).ceil() as usize);
    let mut samples = Vec::new();
    while let Some(chunk) = stream.next_chunk()? {
        samples.extend_from_slice(&chunk);
        if let (Some(max), Some(secs)) = (max_samples, opts.max_seconds)
            && samples.len() > max
        {
            return Err(AudioError::TooLong { path: path.to_path_buf(), max_seconds: secs });
        }
    }
    if samples.is_empty() {
        return Err(AudioError::Empty { path: path.to_path_buf() });
    }
    Ok(Audio::new(samples, opts.target_rate))
}

/// A file decoded piece by piece: mono `f32` at the target rate.
pub struct AudioStream {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    source_rate: u32,
    channels: usize,
    target_rate: u32,
    resampler: StreamResampler,
    buf: Option<SampleBuffer<f32>>,
    finished: bool,
    decoded_frames: u64,
}

impl std::fmt::Debug for AudioStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioStream")
            .field("path", &self.path)
            .field("source_rate", &self.source_rate)
            .field("channels", &self.channels)
            .finish()
    }
}

impl AudioStream {
    /// Opens and probes `path`; nothing is decoded yet.
    pub fn open(path: &Path, target_rate: u32) -> Result<Self, AudioError> {
        let unsupported = |reason: String| AudioError::Unsupported { path: path.to_path_buf(), reason };
        let file = File::open(path).map_err(|source| AudioError::Io { path: path.to_path_buf(), source })?;
        let mss = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let probed = symphonia::default::get_probe()
            .format(&hint, mss, &FormatOptions::default(), &MetadataOptions::default())
            .map_err(|e| unsupported(e.to_string()))?;
        let format = probed.format;
        let track = format
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
            .ok_or_else(|| unsupported("no audio track".into()))?;
        let params = track.codec_params.clone();
        let track_id = track.id;
        let source_rate = params.sample_rate.ok_or_else(|| unsupported("no sample rate in the header".into()))?;
        let channels = params.channels.map(|c| c.count()).unwrap_or(1);
        if channels == 0 || channels > 64 {
            return Err(unsupported(format!("{channels} channels")));
        }
        let decoder = symphonia::default::get_codecs()
            .make(&params, &DecoderOptions::default())
            .map_err(|e| unsupported(e.to_string()))?;
        let resampler = StreamResampler::new(source_rate, target_rate).map_err(|e| unsupported(e.to_string()))?;
        Ok(Self {
            path: path.to_path_buf(),
            format,
            decoder,
            track_id,
            source_rate,
            channels,
            target_rate,
            resampler,
            buf: None,
            finished: false,
            decoded_frames: 0,
        })
    }

    /// The file's own rate before resampling.
    pub fn source_rate(&self) -> u32 {
        self.source_rate
    }

    /// Channels in the file (the output is always mono).
    pub fn source_channels(&self) -> usize {
        self.channels
    }

    pub fn target_rate(&self) -> u32 {
        self.target_rate
    }

    /// Seconds of source audio decoded so far.
    pub fn decoded_seconds(&self) -> f64 {
        self.decoded_frames as f64 / self.source_rate as f64
    }

    /// The next piece of mono audio at the target rate; `None` at the end.
    /// Pieces may be empty while the resampler fills; keep calling until `None`.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        if self.finished {
            return Ok(None);
        }
        let mut bad_in_a_row = 0;
        loop {
            let packet = match self.format.next_packet() {
                Ok(p) => p,
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return self.finish();
                }
                Err(SymError::ResetRequired) => return self.finish(),
                Err(e) => {
                    // A truncated or damaged container: keep what decoded so far,
                    // unless nothing did, in which case the file is not audio.
                    if self.decoded_frames > 0 {
                        return self.finish();
                    }
                    return Err(AudioError::Unsupported { path: self.path.clone(), reason: e.to_string() });
                }
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            let decoded = match self.decoder.decode(&packet) {
                Ok(d) => d,
                Err(SymError::DecodeError(e)) => {
                    bad_in_a_row += 1;
                    if bad_in_a_row > MAX_CONSECUTIVE_BAD_PACKETS {
                        return Err(AudioError::Unsupported { path: self.path.clone(), reason: e.to_string() });
                    }
                    continue;
                }
                Err(e) => return Err(AudioError::Unsupported { path: self.path.clone(), reason: e.to_string() }),
            };
            let spec = *decoded.spec();
            let frames = decoded.frames();
            if frames == 0 {
                continue;
            }
            let channels = spec.channels.count().max(1);
            let needs_new = self.buf.as_ref().is_none_or(|b| b.capacity() < frames * channels);
            if needs_new {
                self.buf = Some(SampleBuffer::<f32>::new(decoded.capacity() as u64, spec));
            }
            let Some(buf) = self.buf.as_mut() else { continue };
            buf.copy_interleaved_ref(decoded);
            let inter = buf.samples();
            let mono: Vec<f32> = if channels == 1 {
                inter.to_vec()
            } else {
                let scale = 1.0 / channels as f32;
                inter.chunks_exact(channels).map(|f| f.iter().sum::<f32>() * scale).collect()
            };
            self.decoded_frames += mono.len() as u64;
            let out = self.resampler.push(&mono)?;
            return Ok(Some(out));
        }
    }

    fn finish(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        self.finished = true;
        let tail = self.resampler.finish()?;
        Ok(if tail.is_empty() { None } else { Some(tail) })
    }
}
