//! Errors from decoding, writing and audio devices. Every message says what
//! happened and what the person can do about it.

use std::path::PathBuf;

use alter_core::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be opened or read.
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not audio in a format we can decode (or the file is broken).
    #[error("{path} is not a readable audio file ({reason}); use WAV, MP3, FLAC, OGG/Vorbis or M4A/AAC")]
    Unsupported { path: PathBuf, reason: String },
    /// The file decodes to no samples at all.
    #[error("{path} contains no audio samples; record the sample again")]
    Empty { path: PathBuf },
    /// The audio is longer than the caller allows; stream it instead of loading it whole.
    #[error("{path} is longer than {max_seconds:.0} s; use a shorter recording or split it")]
    TooLong { path: PathBuf, max_seconds: f64 },
    /// A sample rate or channel layout we refuse (0 Hz, absurd rates, no channels).
    #[error("invalid audio format: {0}")]
    InvalidFormat(String),
    /// The resampler rejected its configuration (a bug or an absurd rate).
    #[error("could not resample audio: {0}")]
    Resample(String),
    /// Writing a WAV file failed.
    #[error("could not write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    /// A model file (the speaker encoder) is not in the models folder.
    #[error("the speaker model is missing at {0}; run: alter models fetch")]
    ModelMissing(PathBuf),
    /// A model file could not be loaded or run.
    #[error("the speaker model at {path} is unusable: {reason}; run: alter models fetch")]
    Model { path: PathBuf, reason: String },
    /// No microphone or speaker is available (common on servers and in VMs).
    #[error("no audio {kind} device found; connect one or use a file instead")]
    NoDevice { kind: &'static str },
    /// The audio device exists but failed to open or stopped working.
    #[error("the audio {kind} device failed: {reason}")]
    Device { kind: &'static str, reason: String },
}

impl HasErrorCode for AudioError {
    fn code(&self) -> ErrorCode {
        match self {
            AudioError::Io { .. } | AudioError::Write { .. } => ErrorCode::Io,
            AudioError::Unsupported { .. } | AudioError::Empty { .. } => ErrorCode::BadFile,
            AudioError::TooLong { .. } | AudioError::InvalidFormat(_) => ErrorCode::InvalidInput,
            AudioError::Resample(_) => ErrorCode::Internal,
            AudioError::ModelMissing(_) => ErrorCode::ModelMissing,
            AudioError::Model { .. } => ErrorCode::ModelCorrupt,
            AudioError::NoDevice { .. } | AudioError::Device { .. } => ErrorCode::Audio,
        }
    }
}
