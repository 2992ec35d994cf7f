//! The voice samples of a twin's materials: decoded and measured as they are added.

use std::path::{Path, PathBuf};

use alter_audio::{SPEECH_RATE, SampleQuality, decode_file, quality_report};
use serde::Serialize;

use super::files::{self, Copied, skipped};
use super::{Added, MaterialSample, file_len};
use crate::EngineError;

/// Largest voice recording accepted (about an hour of 16-bit stereo WAV).
pub(super) const MAX_SAMPLE_BYTES: u64 = 700 << 20;

/// Audio file endings looked for inside a dropped folder.
const AUDIO_EXTENSIONS: &[&str] = &["wav", "mp3", "flac", "ogg", "oga", "m4a", "aac", "mp4"];

/// What the build will make of one voice sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleCheck {
    /// Loudness, noise, clipping and advice; `None` when it could not be decoded.
    pub quality: Option<SampleQuality>,
    /// Why the file cannot be used as a voice sample.
    pub failure: Option<String>,
}

impl SampleCheck {
    pub(super) fn of_file(path: &Path) -> Self {
        match decode_file(path, SPEECH_RATE) {
            Ok(audio) => Self { quality: Some(quality_report(&audio)), failure: None },
            Err(e) => Self { quality: None, failure: Some(e.to_string()) },
        }
    }
}

pub(super) fn list(dir: &Path) -> Result<Vec<MaterialSample>, EngineError> {
    Ok(files::list(dir)?.into_iter().map(|(name, path)| describe(name, &path)).collect())
}

pub(super) fn describe(name: String, path: &Path) -> MaterialSample {
    MaterialSample { bytes: file_len(path), check: SampleCheck::of_file(path), name }
}

pub(super) fn add(dir: &Path, paths: &[PathBuf]) -> Result<Added<MaterialSample>, EngineError> {
    let mut out = Added::default();
    let recordings_in = |folder: &Path| files::walk(folder).into_iter().filter(|p| is_audio_name(p)).collect();
    for path in files::expand(paths, &mut out.skipped, recordings_in, "the folder holds no audio files") {
        if file_len(&path) > MAX_SAMPLE_BYTES {
            out.skipped.push(skipped(&path, "too large: a voice sample is at most 700 MB (a few minutes is plenty)"));
            continue;
        }
        // Refuse what is not audio before copying it (a PDF dropped on the voice list).
        let check = SampleCheck::of_file(&path);
        if let Some(reason) = &check.failure {
            out.skipped.push(skipped(&path, format!("not a usable recording: {reason}")));
            continue;
        }
        match files::copy_in(&path, dir)? {
            Copied::New(name) => {
                let bytes = file_len(&dir.join(&name));
                out.added.push(MaterialSample { name, bytes, check });
            }
            Copied::Duplicate(name) => out.skipped.push(skipped(&path, format!("already added as {name}"))),
        }
    }
    Ok(out)
}

fn is_audio_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}
