//! The Piper runner: one loaded voice that turns text into [`Speech`].
//!
//! Invariants: the ONNX session is created once per voice and guarded by a
//! mutex (ONNX Runtime runs one request at a time per session here, using the
//! configured threads); every call is blocking and belongs on its own thread
//! or in `spawn_blocking`. Each sentence is synthesised alone, so the timing
//! of every phoneme comes from the durations the graph used for that audio.

use std::path::Path;
use std::sync::Mutex;

use ort::session::Session;
use ort::value::Tensor;
use serde::Serialize;

use crate::options::{Resolved, SpeakOptions, Unsupported, resolve};
use crate::timing::{self, HOP, TimedPhoneme, TimedViseme};
use crate::voice::{VoiceConfig, VoiceFiles, find_voices};
use crate::{TtsError, dsp, espeak, onnx_patch, runtime, text};

/// Most characters [`Synthesizer::synthesize`] takes in one call (about ten
/// minutes of speech); longer text goes through [`Synthesizer::stream`].
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Most characters a stream takes; its memory stays bounded whatever the length.
pub const MAX_STREAM_CHARS: usize = 1_000_000;
/// A model file larger than this is not a Piper voice.
const MAX_MODEL_BYTES: u64 = 2 << 30;

/// Which voice to load and how many threads it may use.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Voice name (file stem, e.g. `en_US-joe-medium`); the first installed when `None`.
    pub voice: Option<String>,
    /// Inference threads; 0 lets ONNX Runtime choose.
    pub threads: usize,
}

/// Synthesised audio with its phoneme and viseme timelines.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Speech {
    /// Mono samples in [-1, 1].
    #[serde(skip)]
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    pub phonemes: Vec<TimedPhoneme>,
    pub visemes: Vec<TimedViseme>,
    /// Set when parts of the text were not spoken: the language the voice cannot read.
    pub skipped: Option<String>,
}

impl Speech {
    pub fn duration_ms(&self) -> f32 {
        self.samples.len() as f32 * 1000.0 / self.sample_rate.max(1) as f32
    }

    /// Appends `other`, shifting its timelines by this speech's duration.
    pub fn append(&mut self, other: Speech) {
        let offset = self.duration_ms();
        if self.sample_rate == 0 {
            self.sample_rate = other.sample_rate;
        }
        self.samples.extend_from_slice(&other.samples);
        self.phonemes.extend(other.phonemes.into_iter().map(|mut p| {
            p.start_ms += offset;
            p.end_ms += offset;
            p
        }));
        self.visemes.extend(other.visemes.into_iter().map(|mut v| {
            v.start_ms += offset;
            v.end_ms += offset;
            v
        }));
        if self.skipped.is_none() {
            self.skipped = other.skipped;
        }
    }

    /// Writes 16-bit mono WAV.
    pub fn write_wav(&self, path: &Path) -> Result<(), TtsError> {
        let fail = |e: hound::Error| TtsError::Write { path: path.to_path_buf(), reason: e.to_string() };
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: self.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(path, spec).map_err(fail)?;
        for &s in &self.samples {
            writer.write_sample((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).map_err(fail)?;
        }
        writer.finalize().map_err(fail)
    }
}

/// Text prepared for a voice: normalised, checked, split into sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub sentences: Vec<String>,
    pub skipped: Option<String>,
}

/// One loaded Piper voice.
pub struct Synthesizer {
    voice: VoiceConfig,
    files: VoiceFiles,
    session: Mutex<Session>,
    has_sid: bool,
    audio_output: String,
    durations_output: Option<String>,
    reference: std::sync::OnceLock<Option<crate::tune::ReferenceStats>>,
}

impl std::fmt::Debug for Synthesizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Synthesizer").field("voice", &self.voice.name).field("model", &self.files.onnx).finish()
    }
}

impl Synthesizer {
    /// Loads ONNX Runtime and a voice from the models folder.
    pub fn load(models_dir: &Path, options: &LoadOptions) -> Result<Self, TtsError> {
        let voices = find_voices(models_dir);
        let files = match &options.voice {
            Some(name) => voices
                .into_iter()
                .find(|v| v.onnx.file_stem().is_some_and(|s| s.to_string_lossy() == name.as_str()))
                .ok_or_else(|| TtsError::VoiceMissing { dir: models_dir.join(name) })?,
            None => {
                voices.into_iter().next().ok_or_else(|| TtsError::VoiceMissing { dir: models_dir.to_path_buf() })?
            }
        };
        Self::load_files(models_dir, &files, options.threads)
    }

    /// Loads one voice's files; ONNX Runtime comes from `models_dir`.
    pub fn load_files(models_dir: &Path, files: &VoiceFiles, threads: usize) -> Result<Self, TtsError> {
        let voice = VoiceConfig::load(&files.config)?;
        let corrupt = |reason: String| TtsError::VoiceCorrupt { path: files.onnx.clone(), reason };
        let size = std::fs::metadata(&files.onnx).map_err(|e| corrupt(format!("cannot read it: {e}")))?.len();
        if size > MAX_MODEL_BYTES {
            return Err(corrupt("it is far too large for a voice".into()));
        }
        let mut model = std::fs::read(&files.onnx).map_err(|e| corrupt(format!("cannot read it: {e}")))?;
        let ceil_outputs =
            onnx_patch::node_outputs(&model, "Ceil").ok_or_else(|| corrupt("it is not an ONNX model".into()))?;
        // The first Ceil is the duration rounding (`w_ceil`) in every Piper export.
        let durations_output = ceil_outputs.into_iter().next();
        if let Some(name) = &durations_output
            && !onnx_patch::graph_outputs(&model).contains(name)
        {
            onnx_patch::add_float_output(&mut model, name);
        }
        let (_, env) = runtime::environment(models_dir)?;
        let mut builder = Session::builder(env)?;
        if threads > 0 {
            builder = builder.with_intra_threads(threads).map_err(|e| TtsError::Inference(e.to_string()))?;
        }
        let session = builder.commit_from_memory(&model).map_err(|e| corrupt(e.to_string()))?;
        drop(model);
        let inputs: Vec<String> = session.inputs().iter().map(|i| i.name().to_owned()).collect();
        for needed in ["input", "input_lengths", "scales"] {
            if !inputs.iter().any(|i| i == needed) {
                return Err(corrupt(format!("it has no {needed:?} input; is it a Piper voice?")));
            }
        }
        let has_sid = inputs.iter().any(|i| i == "sid");
        let audio_output = session
            .outputs()
            .iter()
            .map(|o| o.name().to_owned())
            .find(|n| Some(n) != durations_output.as_ref())
            .ok_or_else(|| corrupt("it has no audio output".into()))?;
        if voice.num_speakers > 1 && !has_sid {
            return Err(corrupt("its config lists several speakers but the graph takes no speaker id".into()));
        }
        tracing::debug!(voice = %voice.name, durations = ?durations_output, "voice loaded");
        Ok(Self {
            voice,
            files: files.clone(),
            session: Mutex::new(session),
            has_sid,
            audio_output,
            durations_output,
            reference: std::sync::OnceLock::new(),
        })
    }

    pub fn voice(&self) -> &VoiceConfig {
        &self.voice
    }

    pub fn files(&self) -> &VoiceFiles {
        &self.files
    }

    /// Whether phoneme timing comes from the graph's own durations.
    pub fn has_exact_timing(&self) -> bool {
        self.durations_output.is_some()
    }

    /// Normalises `text`, checks its script and length limit, and splits it into sentences.
    pub fn prepare(&self, text: &str, options: &SpeakOptions, limit: usize) -> Result<Prepared, TtsError> {
        let chars = text.chars().count();
        if chars > limit {
            return Err(TtsError::TextTooLong { chars, limit });
        }
        let mut clean = text::normalize(text);
        let mut skipped = None;
        if let Some(script) = text::unsupported_script(&clean, &self.voice.language) {
            let language = script.language_name().to_owned();
            match options.unsupported {
                Unsupported::Error => {
                    return Err(TtsError::UnsupportedLanguage {
                        language,
                        voice_language: self.voice.language.clone(),
                    });
                }
                Unsupported::SpeakRest => {
                    clean = text::strip_unsupported(&clean, &self.voice.language);
                    skipped = Some(language);
                }
            }
        }
        let sentences = text::sentences(&clean);
        if sentences.is_empty() {
            return Err(TtsError::NothingToSay);
        }
        Ok(Prepared { sentences, skipped })
    }

    /// Speaks `text` whole (at most [`MAX_TEXT_CHARS`] characters).
    pub fn synthesize(&self, text: &str, options: &SpeakOptions) -> Result<Speech, TtsError> {
        let prepared = self.prepare(text, options, MAX_TEXT_CHARS)?;
        let resolved = resolve(options, &self.voice)?;
        let mut speech = Speech { sample_rate: self.voice.sample_rate, skipped: prepared.skipped, ..Speech::default() };
        for sentence in &prepared.sentences {
            speech.append(self.speak_sentence(sentence, &resolved)?);
        }
        Ok(speech)
    }

    /// Speaks one already prepared sentence.
    pub(crate) fn speak_sentence(&self, sentence: &str, options: &Resolved) -> Result<Speech, TtsError> {
        let phonemes = espeak::phonemize(sentence, &self.voice.espeak_voice)?;
        let ids = timing::phoneme_ids(&phonemes, &self.voice)?;
        if ids.owners.iter().all(|o| o.is_none()) {
            return Ok(Speech { sample_rate: self.voice.sample_rate, ..Speech::default() });
        }
        let (mut samples, frames) = self.run_graph(&ids.ids, options)?;
        let phonemes = match frames {
            Some(frames) if frames.len() == ids.ids.len() => {
                let mut timed = timing::timeline(&ids, &frames, self.voice.sample_rate);
                // The decoder emits exactly sum(frames) × HOP samples; if a graph
                // differs, scale the timeline to the audio so it never drifts.
                let expected = frames.iter().sum::<f32>() as usize * HOP;
                if expected != samples.len() && expected > 0 {
                    let k = samples.len() as f32 / expected as f32;
                    timed.iter_mut().for_each(|p| {
                        p.start_ms *= k;
                        p.end_ms *= k;
                    });
                }
                timed
            }
            _ => Vec::new(),
        };
        if options.pitch_semitones.abs() > 0.01 {
            samples = dsp::pitch_shift(&samples, self.voice.sample_rate, options.pitch_semitones);
        }
        dsp::apply_gain(&mut samples, options.volume);
        let visemes = timing::visemes(&phonemes);
        Ok(Speech { samples, sample_rate: self.voice.sample_rate, phonemes, visemes, skipped: None })
    }

    /// Runs the graph: audio samples and, when exposed, frames per id.
    fn run_graph(&self, ids: &[i64], o: &Resolved) -> Result<(Vec<f32>, Option<Vec<f32>>), TtsError> {
        let n = ids.len();
        let mut inputs = ort::inputs![
            "input" => Tensor::from_array(([1usize, n], ids.to_vec()))?,
            "input_lengths" => Tensor::from_array(([1usize], vec![n as i64]))?,
            "scales" => Tensor::from_array(([3usize], vec![o.noise_scale, o.length_scale, o.noise_w]))?,
        ];
        if self.has_sid {
            let sid = o.speaker_id.unwrap_or(0);
            inputs.push(("sid".into(), Tensor::from_array(([1usize], vec![sid]))?.into()));
        }
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let outputs = session.run(inputs)?;
        let (_, audio) = outputs[self.audio_output.as_str()].try_extract_tensor::<f32>()?;
        let samples = audio.to_vec();
        let frames = match &self.durations_output {
            Some(name) => Some(outputs[name.as_str()].try_extract_tensor::<f32>()?.1.to_vec()),
            None => None,
        };
        Ok((samples, frames))
    }

    /// The voice's own median pitch and speaking rate, measured once on a reference text.
    pub fn reference_stats(&self) -> Option<crate::tune::ReferenceStats> {
        *self.reference.get_or_init(|| {
            let options = SpeakOptions { noise_scale: Some(0.0), noise_w: Some(0.0), ..SpeakOptions::default() };
            let speech = self.synthesize(crate::tune::REFERENCE_TEXT, &options).ok()?;
            crate::tune::ReferenceStats::measure(&speech)
        })
    }
}
