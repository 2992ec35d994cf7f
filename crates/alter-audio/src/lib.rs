//! Audio for Alter: decoding, resampling, WAV writing, sample quality, pitch,
//! speaking rate, prosody hints, the owner's voice profile and live I/O.
//!
//! Everything speaks [`Audio`]: mono `f32` samples in [-1, 1] at a known rate.
//! Decoding streams ([`AudioStream`]) so memory stays bounded whatever the file
//! claims in its header; [`decode_file`] collects a stream with a duration cap.
//!
//! Architecture invariant: pure Rust, no heavy native builds here (cpal links
//! the system ALSA library only; the GE2E speaker encoder runs in candle). Recognition lives in
//! `alter-asr`, synthesis in `alter-tts`.

mod audio;
mod decode;
mod devices;
mod error;
pub mod io;
mod pitch;
mod profile;
mod prosody;
mod quality;
mod rate;
mod resample;
mod speaker;
mod wav;

pub use audio::Audio;
pub use decode::{AudioStream, DecodeOptions, decode_file, decode_file_with};
pub use devices::{AudioDevice, AudioDevices, list_devices};
pub use error::AudioError;
pub use pitch::{PitchContour, PitchOptions, PitchStats, track_pitch};
pub use profile::{SampleAnalysis, VoiceProfile, analyse_sample};
pub use prosody::{Prosody, ProsodyBaseline, prosody_hints};
pub use quality::{Advice, AdviceKind, SampleQuality, frame_levels_db, quality_report};
pub use rate::{SpeakingRate, speaking_rate};
pub use resample::{StreamResampler, resample};
pub use speaker::{SpeakerEncoder, speaker_model_path};
pub use wav::{WavFormat, write_wav, write_wav_with};

/// The rate every speech model in Alter consumes (Whisper, Silero VAD, GE2E).
pub const SPEECH_RATE: u32 = 16_000;
