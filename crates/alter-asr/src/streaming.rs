//! Partial captions on live input: the growing utterance is re-decoded every
//! `step` of new audio (only the last `max_window` seconds once it grows long)
//! and finalised when voice activity ends.
//!
//! Invariants: memory is bounded by `max_window`; partial decodes use one
//! segment and no timestamps (the cheapest settings); the final decode uses
//! the caller's full options over the whole kept window.

use serde::{Deserialize, Serialize};

use crate::transcriber::RATE;
use crate::{AsrError, TranscribeOptions, Transcriber, Transcript};

#[derive(Debug, Clone)]
pub struct StreamingOptions {
    /// Decode a new partial after this much new audio (seconds).
    pub step_s: f32,
    /// Keep at most this much of the utterance (seconds); older audio is dropped.
    pub max_window_s: f32,
    /// Options for the final decode (partials derive theirs from it).
    pub final_options: TranscribeOptions,
}

impl Default for StreamingOptions {
    fn default() -> Self {
        Self { step_s: 1.0, max_window_s: 28.0, final_options: TranscribeOptions::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    /// `false` for a partial that may still change.
    pub is_final: bool,
    pub transcript: Transcript,
}

/// Captions one utterance at a time; drive it with audio and VAD ends.
#[derive(Debug)]
pub struct PartialCaptioner<'a> {
    transcriber: &'a Transcriber,
    opts: StreamingOptions,
    window: Vec<f32>,
    new_since_decode: usize,
}

impl<'a> PartialCaptioner<'a> {
    pub fn new(transcriber: &'a Transcriber, opts: StreamingOptions) -> Self {
        Self { transcriber, opts, window: Vec::new(), new_since_decode: 0 }
    }

    /// Adds 16 kHz speech; returns a partial caption when a step's worth arrived.
    pub fn push(&mut self, samples: &[f32]) -> Result<Option<Caption>, AsrError> {
        self.window.extend_from_slice(samples);
        self.new_since_decode += samples.len();
        let max = (self.opts.max_window_s * RATE as f32) as usize;
        if self.window.len() > max {
            self.window.drain(..self.window.len() - max);
        }
        let step = (self.opts.step_s * RATE as f32) as usize;
        if self.new_since_decode < step || self.window.len() < RATE as usize / 2 {
            return Ok(None);
        }
        self.new_since_decode = 0;
        let mut partial = self.opts.final_options.clone();
        partial.timestamps = false;
        partial.word_timestamps = false;
        partial.single_segment = true;
        let t = self.transcriber.transcribe_blocking(&self.window, &partial)?;
        Ok(Some(Caption { text: t.text.clone(), is_final: false, transcript: t }))
    }

    /// Voice activity ended: decodes the utterance fully and starts afresh.
    pub fn end_of_speech(&mut self) -> Result<Option<Caption>, AsrError> {
        let window = std::mem::take(&mut self.window);
        self.new_since_decode = 0;
        if window.len() < RATE as usize / 10 {
            return Ok(None);
        }
        let t = self.transcriber.transcribe_blocking(&window, &self.opts.final_options)?;
        Ok(Some(Caption { text: t.text.clone(), is_final: true, transcript: t }))
    }

    /// Seconds of audio held for the current utterance.
    pub fn buffered_s(&self) -> f32 {
        self.window.len() as f32 / RATE as f32
    }
}
