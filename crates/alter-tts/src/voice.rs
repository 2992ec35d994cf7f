//! A Piper voice on disk: the `.onnx` graph and its `.onnx.json` config.
//!
//! Invariant: a [`VoiceConfig`] that parsed is usable — it has a sample rate,
//! an espeak voice and a phoneme map containing the pad, BOS and EOS symbols.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::TtsError;

/// The JSON config is a few kilobytes; anything far larger is not one.
const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Piper's special symbols.
pub const PAD: char = '_';
pub const BOS: char = '^';
pub const EOS: char = '$';

#[derive(Debug, Clone, Deserialize)]
struct RawConfig {
    audio: RawAudio,
    espeak: Option<RawEspeak>,
    #[serde(default)]
    inference: RawInference,
    phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default)]
    num_speakers: u32,
    #[serde(default)]
    speaker_id_map: HashMap<String, i64>,
    language: Option<RawLanguage>,
    #[serde(default)]
    dataset: String,
}

#[derive(Debug, Clone, Deserialize)]
struct RawAudio {
    sample_rate: u32,
}

#[derive(Debug, Clone, Deserialize)]
struct RawEspeak {
    voice: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
struct RawInference {
    noise_scale: f32,
    length_scale: f32,
    noise_w: f32,
}

impl Default for RawInference {
    fn default() -> Self {
        Self { noise_scale: 0.667, length_scale: 1.0, noise_w: 0.8 }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RawLanguage {
    code: Option<String>,
    family: Option<String>,
}

/// A voice's validated configuration.
#[derive(Debug, Clone)]
pub struct VoiceConfig {
    /// Voice name, from the file name (e.g. `en_US-joe-medium`).
    pub name: String,
    pub sample_rate: u32,
    /// espeak-ng voice used to phonemise (e.g. `en-us`).
    pub espeak_voice: String,
    /// Language family, e.g. `en` or `zh`.
    pub language: String,
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
    pub num_speakers: u32,
    /// Speaker name → id, for multi-speaker voices.
    pub speakers: HashMap<String, i64>,
    /// Phoneme → ids.
    pub phoneme_ids: HashMap<char, Vec<i64>>,
}

impl VoiceConfig {
    /// Reads and validates `path` (the `.onnx.json`).
    pub fn load(path: &Path) -> Result<Self, TtsError> {
        let corrupt = |reason: String| TtsError::VoiceCorrupt { path: path.to_path_buf(), reason };
        let meta = std::fs::metadata(path).map_err(|e| corrupt(format!("cannot read it: {e}")))?;
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(corrupt("it is far too large for a voice config".into()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| corrupt(format!("cannot read it: {e}")))?;
        let raw: RawConfig = serde_json::from_str(&text).map_err(|e| corrupt(format!("invalid JSON: {e}")))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| n.trim_end_matches(".onnx.json").to_owned())
            .unwrap_or_else(|| raw.dataset.clone());
        let mut phoneme_ids = HashMap::new();
        for (key, ids) in raw.phoneme_id_map {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !ids.is_empty() => {
                    phoneme_ids.insert(c, ids);
                }
                _ => return Err(corrupt(format!("phoneme {key:?} is not one character with ids"))),
            }
        }
        for special in [PAD, BOS, EOS] {
            if !phoneme_ids.contains_key(&special) {
                return Err(corrupt(format!("the phoneme map lacks {special:?}")));
            }
        }
        if !(8_000..=192_000).contains(&raw.audio.sample_rate) {
            return Err(corrupt(format!("sample rate {} is not plausible", raw.audio.sample_rate)));
        }
        let espeak_voice = raw
            .espeak
            .map(|e| e.voice)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| corrupt("it names no espeak voice".into()))?;
        let language = raw
            .language
            .and_then(|l| l.family.or(l.code))
            .unwrap_or_else(|| espeak_voice.clone())
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_lowercase();
        Ok(Self {
            name,
            sample_rate: raw.audio.sample_rate,
            espeak_voice,
            language,
            noise_scale: raw.inference.noise_scale,
            length_scale: raw.inference.length_scale,
            noise_w: raw.inference.noise_w,
            num_speakers: raw.num_speakers.max(1),
            speakers: raw.speaker_id_map,
            phoneme_ids,
        })
    }

    /// Resolves a speaker name or number to an id the graph accepts.
    pub fn speaker_id(&self, speaker: &str) -> Result<i64, TtsError> {
        if let Some(id) = self.speakers.get(speaker) {
            return Ok(*id);
        }
        match speaker.parse::<i64>() {
            Ok(id) if (0..i64::from(self.num_speakers)).contains(&id) => Ok(id),
            _ => Err(TtsError::BadOption(format!(
                "voice {} has no speaker {speaker:?} (it has {} speaker(s))",
                self.name, self.num_speakers
            ))),
        }
    }
}

/// A voice found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceFiles {
    pub onnx: PathBuf,
    pub config: PathBuf,
}

impl VoiceFiles {
    /// The files for `model.onnx` (config `model.onnx.json`).
    pub fn for_model(onnx: &Path) -> Self {
        let mut config = onnx.as_os_str().to_owned();
        config.push(".json");
        Self { onnx: onnx.to_path_buf(), config: PathBuf::from(config) }
    }
}

/// Every Piper voice under `models_dir` (searched three folders deep), sorted by path.
pub fn find_voices(models_dir: &Path) -> Vec<VoiceFiles> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<VoiceFiles>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() && depth > 0 {
                walk(&path, depth - 1, out);
            } else if name.ends_with(".onnx") {
                let files = VoiceFiles::for_model(&path);
                if files.config.is_file() {
                    out.push(files);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(models_dir, 3, &mut out);
    out.sort_by(|a, b| a.onnx.cmp(&b.onnx));
    out
}
