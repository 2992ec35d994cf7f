//! Listening: speech to text with the Whisper model, loaded once per process
//! on its own thread (see `alter_asr::Transcriber`) and shared by every engine.
//!
//! Invariant: loading and decoding never run on an async task — the model
//! loads in `spawn_blocking` and requests wait on the recogniser's channel.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use alter_asr::{Language, TranscribeOptions, Transcriber, TranscriberOptions, Transcript};
use serde::Serialize;

use crate::{Engine, EngineError};

/// The loaded recogniser, keyed by the model path it came from.
static ASR: Mutex<Option<(PathBuf, Arc<Transcriber>)>> = Mutex::new(None);

/// What `transcribe` produced.
#[derive(Debug, Clone, Serialize)]
pub struct TranscribeReport {
    pub file: PathBuf,
    #[serde(flatten)]
    pub transcript: Transcript,
    pub timings_ms: TranscribeTimings,
}

#[derive(Debug, Clone, Serialize)]
pub struct TranscribeTimings {
    pub load: u64,
    pub decode_audio: u64,
    pub asr: u64,
    pub total: u64,
}

impl Engine {
    /// The loaded recogniser (loading it on first use).
    pub async fn transcriber(&self) -> Result<Arc<Transcriber>, EngineError> {
        let model = alter_asr::model_path(&self.config().models_dir);
        let threads = self.config().threads;
        let task = tokio::task::spawn_blocking(move || {
            let mut slot = ASR.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((path, t)) = slot.as_ref()
                && *path == model
            {
                return Ok(Arc::clone(t));
            }
            let opts = TranscriberOptions { threads: (threads > 0).then_some(threads) };
            let t = Arc::new(Transcriber::load(&model, &opts)?);
            *slot = Some((model, Arc::clone(&t)));
            Ok::<_, alter_asr::AsrError>(t)
        });
        Ok(task.await.map_err(|e| alter_asr::AsrError::Decode(format!("the recogniser thread failed: {e}")))??)
    }

    /// Transcribes an audio file (any format `alter-audio` decodes); `hints`
    /// are names and terms it may contain ([`Engine::vocabulary`]).
    pub async fn transcribe_file(
        &self,
        file: &Path,
        language: Language,
        hints: Vec<String>,
    ) -> Result<TranscribeReport, EngineError> {
        let started = Instant::now();
        let t = self.transcriber().await?;
        let load = started.elapsed();
        let path = file.to_path_buf();
        let audio = tokio::task::spawn_blocking(move || {
            alter_audio::decode_file(&path, alter_audio::SPEECH_RATE).map_err(alter_asr::AsrError::from)
        })
        .await
        .map_err(|e| alter_asr::AsrError::Decode(format!("the decoder thread failed: {e}")))??;
        let decoded = started.elapsed();
        let opts = TranscribeOptions { language, hints, ..Default::default() };
        let transcript = t.transcribe(audio.samples, opts).await?;
        let total = started.elapsed();
        Ok(TranscribeReport {
            file: file.to_path_buf(),
            transcript,
            timings_ms: TranscribeTimings {
                load: load.as_millis() as u64,
                decode_audio: (decoded - load).as_millis() as u64,
                asr: (total - decoded).as_millis() as u64,
                total: total.as_millis() as u64,
            },
        })
    }
}
