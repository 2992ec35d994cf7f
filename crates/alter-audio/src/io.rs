//! Live and file audio behind two small traits, so the conversation loop runs
//! the same on a microphone and on files.
//!
//! Invariants: every source yields mono `f32` at the rate it reports; queues
//! between cpal's callback threads and ours are bounded (a stalled reader
//! drops microphone audio rather than growing memory); a machine without a
//! sound card gets [`AudioError::NoDevice`]/[`AudioError::Device`], never a panic.
//! cpal streams are not `Send` on every platform, so each lives on its own thread.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use cpal::traits::{DeviceTrait, StreamTrait};

use crate::{Audio, AudioError, AudioStream, StreamResampler};

/// Where audio comes from: a microphone, a file, a buffer.
pub trait AudioSource: Send {
    fn sample_rate(&self) -> u32;
    /// The next piece of mono audio; `Ok(None)` when the source has ended.
    fn read_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError>;
}

/// Where audio goes: a speaker, a WAV file, a buffer.
pub trait AudioSink: Send {
    fn sample_rate(&self) -> u32;
    fn write(&mut self, samples: &[f32]) -> Result<(), AudioError>;
    /// Flushes and closes; for a speaker, waits until the queue has played.
    fn finish(&mut self) -> Result<(), AudioError>;
}

/// A file decoded as it is read (bounded memory).
#[derive(Debug)]
pub struct FileSource(AudioStream);

impl FileSource {
    pub fn open(path: &Path, rate: u32) -> Result<Self, AudioError> {
        Ok(Self(AudioStream::open(path, rate)?))
    }
}

impl AudioSource for FileSource {
    fn sample_rate(&self) -> u32 {
        self.0.target_rate()
    }
    fn read_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        self.0.next_chunk()
    }
}

/// A source handed out no faster than real time, the way a microphone
/// delivers audio: a recorded question played into the app as its input.
#[derive(Debug)]
pub struct RealTime<S> {
    inner: S,
    started: Option<std::time::Instant>,
    delivered: u64,
}

impl<S: AudioSource> RealTime<S> {
    pub fn new(inner: S) -> Self {
        Self { inner, started: None, delivered: 0 }
    }
}

impl<S: AudioSource> AudioSource for RealTime<S> {
    fn sample_rate(&self) -> u32 {
        self.inner.sample_rate()
    }
    fn read_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        let started = *self.started.get_or_insert_with(std::time::Instant::now);
        let due = Duration::from_secs_f64(self.delivered as f64 / self.sample_rate().max(1) as f64);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        let chunk = self.inner.read_chunk()?;
        self.delivered += chunk.as_ref().map_or(0, |c| c.len() as u64);
        Ok(chunk)
    }
}

/// A clip in memory, handed out in fixed-size pieces (like a microphone would).
#[derive(Debug)]
pub struct MemorySource {
    audio: Audio,
    pos: usize,
    chunk: usize,
}

impl MemorySource {
    pub fn new(audio: Audio, chunk: usize) -> Self {
        Self { audio, pos: 0, chunk: chunk.max(1) }
    }
}

impl AudioSource for MemorySource {
    fn sample_rate(&self) -> u32 {
        self.audio.sample_rate
    }
    fn read_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        if self.pos >= self.audio.samples.len() {
            return Ok(None);
        }
        let end = (self.pos + self.chunk).min(self.audio.samples.len());
        let out = self.audio.samples[self.pos..end].to_vec();
        self.pos = end;
        Ok(Some(out))
    }
}

/// Writes 16-bit mono WAV as samples arrive.
pub struct WavSink {
    writer: Option<hound::WavWriter<std::io::BufWriter<std::fs::File>>>,
    path: std::path::PathBuf,
    rate: u32,
}

impl std::fmt::Debug for WavSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WavSink").field("path", &self.path).finish()
    }
}

impl WavSink {
    pub fn create(path: &Path, rate: u32) -> Result<Self, AudioError> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::create(path, spec)
            .map_err(|e| AudioError::Write { path: path.to_path_buf(), reason: e.to_string() })?;
        Ok(Self { writer: Some(writer), path: path.to_path_buf(), rate })
    }
}

impl AudioSink for WavSink {
    fn sample_rate(&self) -> u32 {
        self.rate
    }
    fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        let path = self.path.clone();
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| AudioError::Write { path: path.clone(), reason: "already finished".into() })?;
        for &s in samples {
            let s = if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 };
            w.write_sample((s * i16::MAX as f32).round() as i16)
                .map_err(|e| AudioError::Write { path: path.clone(), reason: e.to_string() })?;
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), AudioError> {
        match self.writer.take() {
            Some(w) => w.finalize().map_err(|e| AudioError::Write { path: self.path.clone(), reason: e.to_string() }),
            None => Ok(()),
        }
    }
}

/// Collects everything written (tests, and the engine's "reply to a buffer").
#[derive(Debug, Default)]
pub struct MemorySink {
    pub rate: u32,
    pub samples: Vec<f32>,
}

impl AudioSink for MemorySink {
    fn sample_rate(&self) -> u32 {
        self.rate
    }
    fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.samples.extend_from_slice(samples);
        Ok(())
    }
    fn finish(&mut self) -> Result<(), AudioError> {
        Ok(())
    }
}

/// Microphone pieces queued between cpal's thread and the reader (~3 s at 10 ms callbacks).
const MIC_QUEUE: usize = 300;

/// The default microphone, resampled to the rate asked for.
pub struct Microphone {
    rx: Receiver<Vec<f32>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    resampler: StreamResampler,
    rate: u32,
}

impl std::fmt::Debug for Microphone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Microphone").field("rate", &self.rate).finish()
    }
}

fn device_err(kind: &'static str) -> impl Fn(String) -> AudioError {
    move |reason| AudioError::Device { kind, reason }
}

impl Microphone {
    /// Opens the system's default input; [`AudioError::NoDevice`] when there is none.
    pub fn open_default(rate: u32) -> Result<Self, AudioError> {
        Self::open(None, rate)
    }

    /// Opens the input called `name` (see [`crate::list_devices`]), or the default one.
    pub fn open(name: Option<&str>, rate: u32) -> Result<Self, AudioError> {
        let name = name.map(str::to_owned);
        let (tx, rx) = sync_channel::<Vec<f32>>(MIC_QUEUE);
        let (ready_tx, ready_rx) = sync_channel::<Result<u32, AudioError>>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let thread = std::thread::Builder::new()
            .name("alter-mic".into())
            .spawn(move || run_input(name.as_deref(), tx, ready_tx, stop2))
            .map_err(|e| device_err("input")(e.to_string()))?;
        let device_rate = ready_rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| device_err("input")("the device did not start within 10 s".into()))??;
        Ok(Self { rx, stop, thread: Some(thread), resampler: StreamResampler::new(device_rate, rate)?, rate })
    }
}

fn run_input(
    name: Option<&str>,
    tx: SyncSender<Vec<f32>>,
    ready: SyncSender<Result<u32, AudioError>>,
    stop: Arc<AtomicBool>,
) {
    let open = || -> Result<(cpal::Stream, u32), AudioError> {
        let device = crate::devices::input_device(name)?;
        let config = device.default_input_config().map_err(|e| device_err("input")(e.to_string()))?;
        let channels = config.channels().max(1) as usize;
        let rate = config.sample_rate().0;
        let err_fn = |e: cpal::StreamError| eprintln!("microphone error: {e}");
        let stream = match config.sample_format() {
            cpal::SampleFormat::F32 => device.build_input_stream(
                &config.into(),
                move |data: &[f32], _: &cpal::InputCallbackInfo| {
                    let mono = data.chunks(channels).map(|f| f.iter().sum::<f32>() / channels as f32).collect();
                    let _ = tx.try_send(mono); // full queue: drop rather than grow
                },
                err_fn,
                None,
            ),
            cpal::SampleFormat::I16 => device.build_input_stream(
                &config.into(),
                move |data: &[i16], _: &cpal::InputCallbackInfo| {
                    let mono = data
                        .chunks(channels)
                        .map(|f| f.iter().map(|&s| s as f32 / 32768.0).sum::<f32>() / channels as f32)
                        .collect();
                    let _ = tx.try_send(mono);
                },
                err_fn,
                None,
            ),
            other => return Err(device_err("input")(format!("unsupported sample format {other:?}"))),
        }
        .map_err(|e| device_err("input")(e.to_string()))?;
        stream.play().map_err(|e| device_err("input")(e.to_string()))?;
        Ok((stream, rate))
    };
    match open() {
        Ok((stream, rate)) => {
            let _ = ready.send(Ok(rate));
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
            }
            drop(stream);
        }
        Err(e) => {
            let _ = ready.send(Err(e));
        }
    }
}

impl AudioSource for Microphone {
    fn sample_rate(&self) -> u32 {
        self.rate
    }
    fn read_chunk(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        match self.rx.recv_timeout(Duration::from_secs(2)) {
            Ok(chunk) => Ok(Some(self.resampler.push(&chunk)?)),
            Err(RecvTimeoutError::Timeout) => Err(device_err("input")("no audio for 2 s".into())),
            Err(RecvTimeoutError::Disconnected) => Ok(None),
        }
    }
}

impl Drop for Microphone {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The default speaker. Writes block while more than ~1 s is queued.
pub struct Speaker {
    queue: Arc<Mutex<VecDeque<f32>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    resampler: StreamResampler,
    device_rate: u32,
    rate: u32,
}

impl std::fmt::Debug for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speaker").field("rate", &self.rate).finish()
    }
}

impl Speaker {
    /// Opens the default output for audio at `rate`; [`AudioError::NoDevice`] when there is none.
    pub fn open_default(rate: u32) -> Result<Self, AudioError> {
        Self::open(None, rate)
    }

    /// Opens the output called `name` (see [`crate::list_devices`]), or the default one.
    pub fn open(name: Option<&str>, rate: u32) -> Result<Self, AudioError> {
        let name = name.map(str::to_owned);
        let queue = Arc::new(Mutex::new(VecDeque::<f32>::new()));
        let (ready_tx, ready_rx) = sync_channel::<Result<u32, AudioError>>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let (q2, stop2) = (queue.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("alter-speaker".into())
            .spawn(move || run_output(name.as_deref(), q2, ready_tx, stop2))
            .map_err(|e| device_err("output")(e.to_string()))?;
        let device_rate = ready_rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| device_err("output")("the device did not start within 10 s".into()))??;
        Ok(Self {
            queue,
            stop,
            thread: Some(thread),
            resampler: StreamResampler::new(rate, device_rate)?,
            device_rate,
            rate,
        })
    }

    fn queued(&self) -> usize {
        self.queue.lock().map(|q| q.len()).unwrap_or(0)
    }

    /// Audio written but not yet played, in seconds: the playback position is
    /// what was written minus this.
    pub fn queued_seconds(&self) -> f64 {
        self.queued() as f64 / self.device_rate.max(1) as f64
    }

    /// Drops everything not yet played (the listener interrupted).
    pub fn clear(&self) {
        if let Ok(mut q) = self.queue.lock() {
            q.clear();
        }
    }
}

fn run_output(
    name: Option<&str>,
    queue: Arc<Mutex<VecDeque<f32>>>,
    ready: SyncSender<Result<u32, AudioError>>,
    stop: Arc<AtomicBool>,
) {
    let open = || -> Result<(cpal::Stream, u32), AudioError> {
        let device = crate::devices::output_device(name)?;
        let config = device.default_output_config().map_err(|e| device_err("output")(e.to_string()))?;
        if config.sample_format() != cpal::SampleFormat::F32 {
            return Err(device_err("output")(format!("unsupported sample format {:?}", config.sample_format())));
        }
        let channels = config.channels().max(1) as usize;
        let rate = config.sample_rate().0;
        let stream = device
            .build_output_stream(
                &config.into(),
                move |data: &mut [f32], _: &cpal::OutputCallbackInfo| {
                    let mut q = match queue.lock() {
                        Ok(q) => q,
                        Err(p) => p.into_inner(),
                    };
                    for frame in data.chunks_mut(channels) {
                        let s = q.pop_front().unwrap_or(0.0);
                        frame.iter_mut().for_each(|x| *x = s);
                    }
                },
                |e| eprintln!("speaker error: {e}"),
                None,
            )
            .map_err(|e| device_err("output")(e.to_string()))?;
        stream.play().map_err(|e| device_err("output")(e.to_string()))?;
        Ok((stream, rate))
    };
    match open() {
        Ok((stream, rate)) => {
            let _ = ready.send(Ok(rate));
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
            }
            drop(stream);
        }
        Err(e) => {
            let _ = ready.send(Err(e));
        }
    }
}

impl AudioSink for Speaker {
    fn sample_rate(&self) -> u32 {
        self.rate
    }
    fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        let out = self.resampler.push(samples)?;
        while self.queued() > self.device_rate as usize {
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Ok(mut q) = self.queue.lock() {
            q.extend(out);
        }
        Ok(())
    }
    fn finish(&mut self) -> Result<(), AudioError> {
        let tail = self.resampler.finish()?;
        if let Ok(mut q) = self.queue.lock() {
            q.extend(tail);
        }
        // Wait for the queue to drain, at most the queued length plus a margin.
        let limit = std::time::Instant::now() + Duration::from_secs(5);
        while self.queued() > 0 && std::time::Instant::now() < limit {
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

impl Drop for Speaker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
