//! The streaming detector: Silero probabilities per 32 ms window, turned into
//! start/end events with a minimum speech length and a hang-over.

use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;
use serde::{Deserialize, Serialize};

use crate::{VadError, ensure_runtime};

const RATE: u32 = 16_000;
/// Silero v5+ at 16 kHz: 512 new samples per call, with the previous 64 as context.
const WINDOW: usize = 512;
const CONTEXT: usize = 64;
const STATE: usize = 2 * 128;

/// The model file under a models folder.
pub fn model_path(models_dir: &Path) -> PathBuf {
    models_dir.join("vad").join("silero_vad.onnx")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VadOptions {
    /// Probability above which a window is speech.
    pub threshold: f32,
    /// Speech must last this long before a start is reported (filters clicks and coughs).
    pub min_speech_ms: u32,
    /// Hang-over: silence must last this long before an end is reported.
    pub hangover_ms: u32,
    /// Padding added before a start and after an end.
    pub pad_ms: u32,
}

impl Default for VadOptions {
    fn default() -> Self {
        Self { threshold: 0.5, min_speech_ms: 250, hangover_ms: 500, pad_ms: 30 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum VadEvent {
    /// Speech began at this time (seconds from the start of the stream).
    SpeechStart { at_s: f32 },
    /// Speech ended at this time.
    SpeechEnd { at_s: f32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpeechSpan {
    pub start_s: f32,
    pub end_s: f32,
}

/// One stream's detector (the model session plus the recurrent state).
pub struct Vad {
    session: Session,
    /// Output names: probability, then the next recurrent state.
    outputs: Vec<String>,
    opts: VadOptions,
    state: Vec<f32>,
    context: Vec<f32>,
    pending: Vec<f32>,
    /// Samples consumed by the model so far.
    pos: u64,
    in_speech: bool,
    candidate_start: Option<u64>,
    silence_since: Option<u64>,
    last_probability: f32,
}

impl std::fmt::Debug for Vad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vad").field("opts", &self.opts).field("pos", &self.pos).finish()
    }
}

impl Vad {
    /// Loads ONNX Runtime and the Silero model from `models_dir`.
    pub fn load(models_dir: &Path, opts: VadOptions) -> Result<Self, VadError> {
        let path = model_path(models_dir);
        if !path.is_file() {
            return Err(VadError::ModelMissing(path));
        }
        let (_, env) = ensure_runtime(models_dir)?;
        let corrupt = |reason: String| VadError::ModelCorrupt { path: path.clone(), reason };
        // One thread: a 32 ms window is too small to gain from more, and the
        // recogniser and synthesiser want the cores.
        let mut builder = Session::builder(env).map_err(|e| corrupt(e.to_string()))?;
        builder = builder.with_intra_threads(1).map_err(|e| corrupt(e.to_string()))?;
        let session = builder.commit_from_file(&path).map_err(|e| corrupt(e.to_string()))?;
        let outputs: Vec<String> = session.outputs().iter().map(|o| o.name().to_owned()).collect();
        if outputs.len() < 2 {
            return Err(corrupt("it should have a probability and a state output".into()));
        }
        let names: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
        for needed in ["input", "state", "sr"] {
            if !names.contains(&needed) {
                return Err(corrupt(format!("it has no {needed:?} input; is it Silero VAD v5 or later?")));
            }
        }
        Ok(Self {
            session,
            outputs,
            opts,
            state: vec![0.0; STATE],
            context: vec![0.0; CONTEXT],
            pending: Vec::new(),
            pos: 0,
            in_speech: false,
            candidate_start: None,
            silence_since: None,
            last_probability: 0.0,
        })
    }

    /// Forgets the stream (state, events, time) to start a new one.
    pub fn reset(&mut self) {
        self.state.iter_mut().for_each(|x| *x = 0.0);
        self.context.iter_mut().for_each(|x| *x = 0.0);
        self.pending.clear();
        self.pos = 0;
        self.in_speech = false;
        self.candidate_start = None;
        self.silence_since = None;
    }

    pub fn is_speaking(&self) -> bool {
        self.in_speech
    }

    /// Speech probability of the most recent window.
    pub fn last_probability(&self) -> f32 {
        self.last_probability
    }

    /// Feeds 16 kHz mono audio; returns the events it completed.
    pub fn push(&mut self, samples: &[f32]) -> Result<Vec<VadEvent>, VadError> {
        self.pending.extend_from_slice(samples);
        let mut events = Vec::new();
        let mut start = 0;
        while self.pending.len() - start >= WINDOW {
            let window: Vec<f32> = self.pending[start..start + WINDOW].to_vec();
            start += WINDOW;
            let p = self.probability(&window)?;
            self.pos += WINDOW as u64;
            self.step(p, &mut events);
        }
        self.pending.drain(..start);
        Ok(events)
    }

    /// Ends the stream: closes an open speech span at the current time.
    pub fn finish(&mut self) -> Vec<VadEvent> {
        let mut events = Vec::new();
        if self.in_speech {
            let end = self.pos + self.pending.len() as u64;
            events.push(VadEvent::SpeechEnd { at_s: end as f32 / RATE as f32 });
            self.in_speech = false;
        }
        self.candidate_start = None;
        self.silence_since = None;
        events
    }

    fn probability(&mut self, window: &[f32]) -> Result<f32, VadError> {
        let mut input = Vec::with_capacity(CONTEXT + WINDOW);
        input.extend_from_slice(&self.context);
        // Non-finite samples would poison the recurrent state for the rest of the stream.
        input.extend(window.iter().map(|s| if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 }));
        self.context.copy_from_slice(&input[input.len() - CONTEXT..]);
        let outputs = self.session.run(ort::inputs![
            "input" => Tensor::from_array(([1usize, CONTEXT + WINDOW], input))?,
            "state" => Tensor::from_array(([2usize, 1, 128], self.state.clone()))?,
            "sr" => Tensor::from_array((Vec::<usize>::new(), vec![RATE as i64]))?,
        ])?;
        let (_, prob) = outputs[self.outputs[0].as_str()].try_extract_tensor::<f32>()?;
        let (_, state) = outputs[self.outputs[1].as_str()].try_extract_tensor::<f32>()?;
        if state.len() != STATE || prob.is_empty() {
            return Err(VadError::Inference("unexpected output shapes from the model".into()));
        }
        self.state.copy_from_slice(state);
        self.last_probability = prob[0];
        Ok(prob[0])
    }

    fn step(&mut self, p: f32, events: &mut Vec<VadEvent>) {
        let ms = |m: u32| m as u64 * RATE as u64 / 1000;
        let now = self.pos; // end of the window just scored
        let window_start = now - WINDOW as u64;
        let neg = (self.opts.threshold - 0.15).max(0.01);
        let secs = |s: u64| s as f32 / RATE as f32;
        if !self.in_speech {
            if p >= self.opts.threshold {
                let cand = *self.candidate_start.get_or_insert(window_start);
                if now - cand >= ms(self.opts.min_speech_ms) {
                    self.in_speech = true;
                    self.silence_since = None;
                    events.push(VadEvent::SpeechStart { at_s: secs(cand.saturating_sub(ms(self.opts.pad_ms))) });
                }
            } else if p < neg {
                self.candidate_start = None;
            }
        } else if p < neg {
            let since = *self.silence_since.get_or_insert(window_start);
            if now - since >= ms(self.opts.hangover_ms) {
                self.in_speech = false;
                self.candidate_start = None;
                self.silence_since = None;
                events.push(VadEvent::SpeechEnd { at_s: secs((since + ms(self.opts.pad_ms)).min(now)) });
            }
        } else if p >= self.opts.threshold {
            self.silence_since = None;
        }
    }
}

/// Speech spans of a whole file (decoded and resampled as it streams).
pub fn detect_file(models_dir: &Path, path: &Path, opts: VadOptions) -> Result<Vec<SpeechSpan>, VadError> {
    let mut vad = Vad::load(models_dir, opts)?;
    let mut stream = alter_audio::AudioStream::open(path, RATE)?;
    let mut events = Vec::new();
    while let Some(chunk) = stream.next_chunk()? {
        events.extend(vad.push(&chunk)?);
    }
    events.extend(vad.finish());
    Ok(spans(&events))
}

fn spans(events: &[VadEvent]) -> Vec<SpeechSpan> {
    let mut out = Vec::new();
    let mut open = None;
    for e in events {
        match *e {
            VadEvent::SpeechStart { at_s } => open = Some(at_s),
            VadEvent::SpeechEnd { at_s } => {
                if let Some(s) = open.take() {
                    out.push(SpeechSpan { start_s: s, end_s: at_s });
                }
            }
        }
    }
    out
}

impl Vad {
    /// Checks the rate of a source before streaming it in.
    pub fn check_rate(rate: u32) -> Result<(), VadError> {
        if rate == RATE { Ok(()) } else { Err(VadError::WrongRate(rate)) }
    }
}
