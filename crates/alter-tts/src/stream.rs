//! Sentence-by-sentence synthesis: the first sentence is ready to play while
//! the later ones are still being made.
//!
//! Invariants: the text is checked before the stream starts (a bad text is an
//! error from [`Synthesizer::stream`], not a failed first chunk); at most one
//! finished chunk waits in the channel, so memory stays bounded for any text
//! length; dropping the stream or cancelling its token stops the worker after
//! the sentence in progress.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use alter_core::CancelToken;

use crate::options::resolve;
use crate::synth::{MAX_STREAM_CHARS, Speech, Synthesizer};
use crate::{SpeakOptions, TtsError};

/// One sentence of a streamed reply.
#[derive(Debug, Clone)]
pub struct SpeechChunk {
    /// 0 for the first sentence.
    pub index: usize,
    /// How many chunks the stream will yield in all.
    pub count: usize,
    pub sentence: String,
    /// Audio and timelines, timed from the start of this chunk.
    pub speech: Speech,
}

/// Chunks in order; ends after the last sentence or the first error.
pub struct SpeechStream {
    rx: Option<Receiver<Result<SpeechChunk, TtsError>>>,
    cancel: CancelToken,
    worker: Option<JoinHandle<()>>,
    /// The language left out, when the text held some the voice cannot read.
    pub skipped: Option<String>,
}

impl std::fmt::Debug for SpeechStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeechStream").field("skipped", &self.skipped).finish()
    }
}

impl Iterator for SpeechStream {
    type Item = Result<SpeechChunk, TtsError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rx.as_ref()?.recv().ok()
    }
}

impl Drop for SpeechStream {
    fn drop(&mut self) {
        self.cancel.cancel();
        // Closing the channel makes the worker's next send fail, so it stops
        // after the sentence in progress instead of waiting for a reader.
        drop(self.rx.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Synthesizer {
    /// Starts speaking `text` sentence by sentence on a worker thread.
    pub fn stream(
        self: &Arc<Self>,
        text: &str,
        options: &SpeakOptions,
        cancel: CancelToken,
    ) -> Result<SpeechStream, TtsError> {
        let prepared = self.prepare(text, options, MAX_STREAM_CHARS)?;
        let resolved = resolve(options, self.voice())?;
        let (tx, rx) = sync_channel(1);
        let synth = Arc::clone(self);
        let worker_cancel = cancel.clone();
        let skipped = prepared.skipped.clone();
        let worker = std::thread::Builder::new()
            .name("alter-tts-stream".into())
            .spawn(move || run(&synth, prepared.sentences, resolved, &worker_cancel, &tx))
            .map_err(|e| TtsError::Inference(format!("could not start the speech thread: {e}")))?;
        Ok(SpeechStream { rx: Some(rx), cancel, worker: Some(worker), skipped })
    }
}

fn run(
    synth: &Synthesizer,
    sentences: Vec<String>,
    options: crate::options::Resolved,
    cancel: &CancelToken,
    tx: &SyncSender<Result<SpeechChunk, TtsError>>,
) {
    let count = sentences.len();
    for (index, sentence) in sentences.into_iter().enumerate() {
        if cancel.is_cancelled() {
            let _ = tx.send(Err(TtsError::Cancelled));
            return;
        }
        let item =
            synth.speak_sentence(&sentence, &options).map(|speech| SpeechChunk { index, count, sentence, speech });
        let failed = item.is_err();
        if tx.send(item).is_err() || failed {
            return;
        }
    }
}
