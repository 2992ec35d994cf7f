//! Recording a voice sample in the app: the owner reads aloud, a level meter
//! shows how loud it arrives, and the take is saved as a WAV in the twin's
//! materials and measured like any added sample.
//!
//! Invariants: memory is bounded by `max` (at most ten minutes); stopping
//! keeps what was recorded so far; an empty take is an error, not a file.

use std::time::Duration;

use alter_audio::io::AudioSource;
use alter_audio::{Audio, SPEECH_RATE, write_wav};
use alter_core::{CancelToken, TwinId};
use serde::Serialize;

use super::{MaterialSample, run_blocking, voice};
use crate::{Engine, EngineError};

/// How long a take may run.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// The take ends by itself after this long (at most ten minutes).
    pub max: Duration,
}

impl Default for RecordOptions {
    fn default() -> Self {
        Self { max: Duration::from_secs(120) }
    }
}

/// The live meter: reported about ten times a second while recording.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecordLevel {
    pub seconds: f64,
    /// RMS level of the last tenth of a second, dBFS (−120 for silence).
    pub dbfs: f32,
    /// Highest sample magnitude in it, 0…1 (1 is clipping).
    pub peak: f32,
}

const LONGEST_TAKE: Duration = Duration::from_secs(600);

impl Engine {
    /// Records from `source` until `stop` is cancelled, `max` passes or the
    /// source ends, then saves the take as `recording-N.wav`.
    pub async fn record_voice_sample(
        &self,
        twin: &TwinId,
        mut source: Box<dyn AudioSource>,
        opts: RecordOptions,
        stop: CancelToken,
        on_level: impl Fn(RecordLevel) + Send + 'static,
    ) -> Result<MaterialSample, EngineError> {
        self.twin(twin).await?;
        let dir = self.materials_dir(twin).join("voice");
        run_blocking(move || {
            let rate = source.sample_rate();
            if rate != SPEECH_RATE {
                return Err(EngineError::BadInput(format!("the recording input runs at {rate} Hz, not {SPEECH_RATE}")));
            }
            let limit = (opts.max.min(LONGEST_TAKE).as_secs_f64() * f64::from(rate)) as usize;
            let window = rate as usize / 10;
            let mut samples: Vec<f32> = Vec::new();
            let mut reported = 0;
            while !stop.is_cancelled() && samples.len() < limit {
                let Some(chunk) = source.read_chunk()? else { break };
                let room = limit - samples.len();
                samples.extend(chunk.iter().take(room).map(|s| if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 }));
                while samples.len() >= reported + window {
                    on_level(level(
                        &samples[reported..reported + window],
                        (reported + window) as f64 / f64::from(rate),
                    ));
                    reported += window;
                }
            }
            if samples.len() < rate as usize / 2 {
                return Err(EngineError::BadInput(
                    "nothing was recorded: check the microphone and record for a few seconds".into(),
                ));
            }
            std::fs::create_dir_all(&dir).map_err(|source| EngineError::Io {
                action: "create",
                path: dir.clone(),
                source,
            })?;
            let name = (1..)
                .map(|n| format!("recording-{n}.wav"))
                .find(|n| !dir.join(n).exists())
                .unwrap_or_else(|| "recording.wav".into());
            let temp = dir.join(format!(".{name}"));
            write_wav(&temp, &Audio::new(samples, rate))?;
            let path = dir.join(&name);
            std::fs::rename(&temp, &path).map_err(|source| EngineError::Io {
                action: "save",
                path: path.clone(),
                source,
            })?;
            Ok(voice::describe(name, &path))
        })
        .await
    }
}

fn level(window: &[f32], seconds: f64) -> RecordLevel {
    let peak = window.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    RecordLevel { seconds, dbfs: crate::echo::level_db(window), peak }
}
