//! Options for loading the recogniser and for one transcription.

use serde::{Deserialize, Serialize};

/// Which language to decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English or Mandarin, whichever the first 10 s sound like (Alter answers in those two).
    #[default]
    Auto,
    English,
    /// Mandarin; output is Simplified Chinese.
    Chinese,
}

impl Language {
    /// Parses `en`, `zh`, `auto` (and a few spellings people type).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Some(Language::Auto),
            "en" | "english" => Some(Language::English),
            "zh" | "cn" | "chinese" | "mandarin" | "zh-cn" => Some(Language::Chinese),
            _ => None,
        }
    }

    pub(crate) fn code(&self) -> Option<&'static str> {
        match self {
            Language::Auto => None,
            Language::English => Some("en"),
            Language::Chinese => Some("zh"),
        }
    }
}

/// How much of Whisper's 30 s encoder window to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum AudioContext {
    /// Sized to the clip plus a margin: much faster on short clips, but
    /// less accurate (used for live partial captions, which are re-decoded).
    Auto,
    /// The full 1500 frames, as the model was trained (final transcripts).
    #[default]
    Full,
    /// An explicit number of encoder frames (50 per second).
    Frames(u32),
}

/// One transcription request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscribeOptions {
    pub language: Language,
    /// Segment start/end times (costs timestamp tokens; off for partial captions).
    pub timestamps: bool,
    /// Per-word times (token-level timestamps).
    pub word_timestamps: bool,
    /// Text that conditions the decoder (names, vocabulary).
    pub initial_prompt: Option<String>,
    /// Names and terms the speech is likely to contain (a twin's documents'
    /// vocabulary): without an `initial_prompt`, those in the heard
    /// language's script become the prompt, biasing the decoder toward them.
    #[serde(default)]
    pub hints: Vec<String>,
    pub audio_context: AudioContext,
    /// Decode into one segment (faster; for live partial captions).
    pub single_segment: bool,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        Self {
            language: Language::Auto,
            timestamps: true,
            word_timestamps: false,
            initial_prompt: None,
            hints: Vec::new(),
            audio_context: AudioContext::Full,
            single_segment: false,
        }
    }
}

/// How the recogniser is loaded.
#[derive(Debug, Clone, Default)]
pub struct TranscriberOptions {
    /// Decoder threads; `None` means all cores.
    pub threads: Option<usize>,
}

pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 16)
}
