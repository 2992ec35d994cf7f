//! `alter bench [NAME]`: every benchmark, each printed beside a baseline
//! measured in the same run.
//!
//! | name        | measures                                             | baseline                         |
//! |-------------|------------------------------------------------------|----------------------------------|
//! | `models`    | load time and one real inference of every model      | the model's own inference time   |
//! | `retrieval` | ingest throughput, search p50/p95 at 10k/100k chunks, hit@k per method | naive scan, BM25 alone |
//! | `asr`       | real-time factor; WER/CER on the eval's spoken questions and Piper round trips | whisper-rs called bare, on the Q8_0 and the f16 model |
//! | `tts`       | real-time factor, time to first audio                | the PyPI `piper-tts` command     |
//! | `llm`       | prefill and decode tok/s at 64/256/1024 tokens       | llama.cpp (`llama-cpp-python`)   |
//! | `build`     | a build of 200 pages + 3 min of voice, stage by stage; peak memory | the development twin's build |
//!
//! Each crate owns its benchmark; this module only chooses inputs and
//! collects the printable sections. Everything here blocks: call it from a
//! blocking thread.

use std::path::{Path, PathBuf};
use std::time::Instant;

use alter_audio::{Audio, SpeakerEncoder};
use alter_knowledge::{Embedder, EmbedderOptions};
use alter_llm::{ChatMessage, GenerateRequest, Llm};
use alter_models::{ModelId, ModelPaths};
use alter_tts::{SpeakOptions, Synthesizer};
use serde::Serialize;

use crate::EngineError;

mod build;
mod reel;
mod roundtrip;

/// Benchmark names, in the order `alter bench` runs them.
pub const NAMES: [&str; 6] = ["models", "retrieval", "asr", "tts", "llm", "build"];

/// What the benchmarks run on.
#[derive(Debug, Clone)]
pub struct BenchInputs {
    pub models_dir: PathBuf,
    pub threads: usize,
    /// An evaluation folder (`docs/`, `questions.jsonl`, `audio/`), when there is one.
    pub eval_dir: Option<PathBuf>,
    /// Skip baselines that install software (`piper-tts`, `llama-cpp-python`).
    pub no_baseline: bool,
    /// Chunk counts for the retrieval latency table.
    pub retrieval_sizes: Vec<usize>,
}

/// One benchmark's output.
#[derive(Debug, Clone, Serialize)]
pub struct BenchSection {
    pub name: String,
    /// The tables as printed.
    pub text: String,
    pub data: serde_json::Value,
}

/// Runs the benchmark called `name`.
pub fn run(name: &str, inputs: &BenchInputs) -> Result<BenchSection, EngineError> {
    let (text, data) = match name {
        "models" => {
            let rows = model_loads(&inputs.models_dir, inputs.threads);
            (model_table(&rows), json(&rows))
        }
        "retrieval" => retrieval(inputs)?,
        "asr" => asr(inputs)?,
        "tts" => {
            let opts =
                alter_tts::bench::BenchOptions { threads: inputs.threads, venv: None, no_baseline: inputs.no_baseline };
            let report = alter_tts::bench::run_bench(&inputs.models_dir, &opts)?;
            (report.to_string(), json(&report))
        }
        "llm" => {
            let model = ModelPaths::new(&inputs.models_dir).qwen()?;
            let mut opts = alter_llm::bench::BenchOptions::new(model);
            opts.threads = inputs.threads;
            opts.baseline = !inputs.no_baseline;
            let report = alter_llm::bench::run_bench(&opts)?;
            (report.to_string(), json(&report))
        }
        "build" => {
            let report = build::run(inputs)?;
            (report.to_string(), json(&report))
        }
        other => {
            return Err(EngineError::Bench(format!(
                "unknown benchmark {other:?}; choose one of: {}",
                NAMES.join(", ")
            )));
        }
    };
    Ok(BenchSection { name: name.to_owned(), text, data })
}

fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Loading one model and running it once.
#[derive(Debug, Clone, Serialize)]
pub struct ModelLoad {
    pub model: String,
    pub load_ms: f64,
    pub inference: String,
    pub inference_ms: f64,
    /// What the inference produced, or why the model could not run.
    pub result: String,
    pub ok: bool,
}

fn timed<T, E: std::fmt::Display>(f: impl FnOnce() -> Result<T, E>) -> (Result<T, String>, f64) {
    let started = Instant::now();
    let r = f().map_err(|e| e.to_string());
    (r, started.elapsed().as_secs_f64() * 1000.0)
}

/// [`timed`] on a loaded model; a load failure passes through, untimed.
fn run_on<M, L: ToString, T, E: std::fmt::Display>(
    loaded: Result<M, L>,
    f: impl FnOnce(M) -> Result<T, E>,
) -> (Result<T, String>, f64) {
    match loaded {
        Ok(m) => timed(|| f(m)),
        Err(e) => (Err(e.to_string()), 0.0),
    }
}

/// Loads every built-in model and runs one real inference with each: the
/// voice speaks a sentence, Whisper transcribes it, the VAD and the speaker
/// encoder run on it, the embedders embed a query, the LLMs write a few tokens.
pub fn model_loads(models_dir: &Path, threads: usize) -> Vec<ModelLoad> {
    let mut rows = Vec::new();
    let mut row =
        |model: &str, load: (Result<(), String>, f64), inference: &str, run: (Result<String, String>, f64)| {
            let (ok, result) = match (load.0, run.0) {
                (Err(e), _) | (Ok(()), Err(e)) => (false, e),
                (Ok(()), Ok(r)) => (true, r),
            };
            rows.push(ModelLoad {
                model: model.to_owned(),
                load_ms: load.1,
                inference: inference.to_owned(),
                inference_ms: run.1,
                result,
                ok,
            });
        };
    let sentence = "Hello, this is Alter. The budget review is on Friday.";

    let (synth, load) = timed(|| Synthesizer::load(models_dir, &alter_tts::LoadOptions { voice: None, threads }));
    let (speech, run) = run_on(synth.as_ref(), |s| s.synthesize(sentence, &SpeakOptions::default()));
    let speech16 = speech
        .as_ref()
        .ok()
        .and_then(|s| alter_audio::resample(&s.samples, s.sample_rate, 16_000).ok())
        .unwrap_or_default();
    row(
        ModelId::PiperJoe.as_str(),
        (synth.map(|_| ()), load),
        "speak one sentence",
        (speech.map(|s| format!("{:.1} s of speech", s.duration_ms() / 1000.0)), run),
    );
    let need_speech =
        || if speech16.is_empty() { Err("no speech to run on (the voice failed)".to_owned()) } else { Ok(()) };

    let asr_opts = alter_asr::TranscriberOptions { threads: Some(threads) };
    let (asr, load) = timed(|| alter_asr::Transcriber::load(&alter_asr::model_path(models_dir), &asr_opts));
    let run = run_on(asr.as_ref(), |t| {
        need_speech()?;
        t.transcribe_blocking(&speech16, &alter_asr::TranscribeOptions::default())
            .map(|tr| format!("{:?}", tr.text.trim()))
            .map_err(|e| e.to_string())
    });
    row(ModelId::WhisperBase.as_str(), (asr.map(|_| ()), load), "transcribe that sentence", run);

    let (mut vad, load) = timed(|| alter_vad::Vad::load(models_dir, alter_vad::VadOptions::default()));
    let run = run_on(vad.as_mut(), |v| {
        need_speech()?;
        let mut events = v.push(&speech16).map_err(|e| e.to_string())?;
        events.extend(v.finish());
        Ok::<_, String>(format!("{} speech events", events.len()))
    });
    row(ModelId::SileroVad.as_str(), (vad.map(|_| ()), load), "detect speech in it", run);

    let (enc, load) = timed(|| SpeakerEncoder::load(models_dir));
    let run = run_on(enc.as_ref(), |e| {
        need_speech()?;
        e.embed(&Audio::new(speech16.clone(), 16_000))
            .map(|v| format!("{}-d voice embedding", v.len()))
            .map_err(|e| e.to_string())
    });
    row(ModelId::Resemblyzer.as_str(), (enc.map(|_| ()), load), "embed the speaker", run);

    for id in [ModelId::E5Small, ModelId::MiniLm] {
        let dir = models_dir.join(id.relative_path());
        let (emb, load) = timed(|| Embedder::load(&dir, &EmbedderOptions { threads, ..Default::default() }));
        let run = run_on(emb.as_ref(), |e| {
            e.embed_query("how many vacation days do new employees get?").map(|v| format!("{}-d vector", v.len()))
        });
        row(id.as_str(), (emb.map(|_| ()), load), "embed a query", run);
    }

    for id in [ModelId::Qwen25Coder05B, ModelId::SmolLm2] {
        let (llm, load) = timed(|| {
            let path = alter_models::resolve(models_dir, id)?;
            Llm::load(&path, &alter_llm::LoadOptions { threads, max_context: 2048 }).map_err(EngineError::from)
        });
        let run = run_on(llm.as_ref(), |l| {
            let mut req = GenerateRequest::new(vec![ChatMessage::user("Say hello to a new colleague.")]);
            req.max_tokens = 8;
            l.generate_blocking(req, alter_core::CancelToken::new())
                .map(|s| format!("{} tokens: {:?}", s.generated_tokens, s.text.trim()))
        });
        row(id.as_str(), (llm.map(|_| ()), load), "write 8 tokens", run);
    }
    rows
}

fn model_table(rows: &[ModelLoad]) -> String {
    alter_knowledge::bench::Table {
        title: "Model load and first inference".into(),
        header: ["model", "load ms", "inference", "inference ms", "result"].map(String::from).to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                let result = if r.ok { r.result.clone() } else { format!("FAILED: {}", r.result) };
                vec![
                    r.model.clone(),
                    format!("{:.0}", r.load_ms),
                    r.inference.clone(),
                    format!("{:.0}", r.inference_ms),
                    result.chars().take(70).collect(),
                ]
            })
            .collect(),
        notes: vec!["Baseline: each model's load beside its own first inference, in the same process.".into()],
    }
    .to_string()
}

fn retrieval(inputs: &BenchInputs) -> Result<(String, serde_json::Value), EngineError> {
    let dir = inputs.models_dir.join(alter_knowledge::embed::default_model_dir());
    let embedder = Embedder::load(&dir, &EmbedderOptions { threads: inputs.threads, ..Default::default() })?;
    let work_dir = std::env::temp_dir().join(format!("alter-bench-retrieval-{}", std::process::id()));
    let opts = alter_knowledge::bench::BenchOptions {
        sizes: inputs.retrieval_sizes.clone(),
        ingest_pages: 200,
        eval_dir: inputs.eval_dir.clone(),
        pdfs: Vec::new(),
        work_dir: work_dir.clone(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| EngineError::Bench(format!("no async runtime: {e}")))?;
    let tables = rt.block_on(alter_knowledge::bench::run(&embedder, &opts));
    let _ = std::fs::remove_dir_all(&work_dir);
    let tables = tables?;
    let text = tables.iter().map(|t| t.to_string()).collect::<Vec<_>>().join("\n");
    Ok((text, json(&tables)))
}

fn asr(inputs: &BenchInputs) -> Result<(String, serde_json::Value), EngineError> {
    let model = alter_asr::model_path(&inputs.models_dir);
    let Some(eval) = inputs.eval_dir.as_ref().filter(|d| d.join("audio").is_dir()) else {
        return Err(EngineError::Bench("the asr benchmark needs an evaluation folder with audio/ (--eval DIR)".into()));
    };
    let mut clips: Vec<PathBuf> = std::fs::read_dir(eval.join("audio"))
        .map_err(|e| EngineError::Bench(format!("{}: {e}", eval.join("audio").display())))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    clips.sort();
    // Two spoken questions, and a minute of speech: a 2-second clip still
    // encodes Whisper's whole 30-second window, so only long audio shows the
    // real-time factor of dictation or a voice sample.
    let reels = tempfile::tempdir().map_err(|e| EngineError::Bench(format!("no temporary folder: {e}")))?;
    clips.truncate(2);
    clips.extend(reel::write_reels(eval, reels.path(), 1, 60.0)?);
    let mut text = String::new();
    let mut data = Vec::new();
    for clip in &clips {
        let opts = alter_asr::AsrBenchOptions {
            model: model.clone(),
            reference_model: Some(inputs.models_dir.join("whisper").join(alter_asr::F16_MODEL_FILE)),
            audio: clip.clone(),
            // The median of three runs each: one run of a shared machine can be 15 % off.
            repeats: 3,
            transcribe: alter_asr::TranscribeOptions { timestamps: false, ..Default::default() },
            threads: Some(inputs.threads),
        };
        let r = alter_asr::run_asr_bench(&opts)?;
        text.push_str(&r.table());
        data.push(json(&r));
    }
    let t = alter_asr::Transcriber::load(&model, &alter_asr::TranscriberOptions { threads: Some(inputs.threads) })?;
    let w = alter_asr::run_wer_bench(&t, &eval.join("questions.jsonl"), &eval.join("audio"))?;
    text.push_str(&w.table());
    drop(t);
    let trips = roundtrip::run(&inputs.models_dir, &eval.join("questions.jsonl"), inputs.threads)?;
    text.push_str(&trips.to_string());
    Ok((text, serde_json::json!({ "rtf": data, "wer": json(&w), "round_trips": json(&trips) })))
}
