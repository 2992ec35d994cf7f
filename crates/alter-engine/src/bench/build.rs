//! `alter bench build`: a whole build of a large twin — 200 generated pages
//! of mixed documents and three minutes of speech — stage by stage, beside
//! the development twin's build measured in the same run, and the process's
//! peak memory.

use std::path::Path;
use std::time::Instant;

use alter_core::{CancelToken, ProgressSink, Settings};
use serde::Serialize;

use super::{BenchInputs, reel};
use crate::{BuildReport, BuildRequest, Engine, EngineError};

pub const PAGES: usize = 200;
/// Three minutes of speech, as six 30-second recordings.
const REELS: usize = 6;
const REEL_S: f64 = 30.0;
/// The budget for the large build.
const TARGET_S: f64 = 60.0;

/// One build, stage by stage.
#[derive(Debug, Clone, Serialize)]
pub struct BuildTiming {
    pub twin: String,
    pub seconds: f64,
    pub stages: Vec<(String, f64)>,
    pub chunks: usize,
    pub voice_seconds: f64,
    pub report_score: f32,
    /// The tuned voice's distance from the owner's median pitch (semitones), before and after tuning.
    pub pitch_error: (Option<f32>, Option<f32>),
    /// Speaker similarity of the voice to the owner, before and after tuning.
    pub similarity: (Option<f32>, Option<f32>),
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildBench {
    pub large: BuildTiming,
    pub dev: BuildTiming,
    /// Peak resident memory of this process (every benchmark run before included).
    pub peak_rss_mib: Option<f64>,
}

pub fn run(inputs: &BenchInputs) -> Result<BuildBench, EngineError> {
    let Some(eval) = inputs.eval_dir.as_ref().filter(|d| d.join("docs").is_dir()) else {
        return Err(EngineError::Bench("the build benchmark needs the evaluation folder (--eval DIR)".into()));
    };
    let work = tempfile::tempdir().map_err(|e| EngineError::Bench(format!("no temporary folder: {e}")))?;
    let large = work.path().join("large");
    alter_knowledge::synth::write_corpus(&large.join("docs"), PAGES, 42).map_err(|source| EngineError::Io {
        action: "write",
        path: large.join("docs"),
        source,
    })?;
    reel::write_reels(eval, &large.join("voice"), REELS, REEL_S)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(inputs.threads.max(1))
        .enable_all()
        .build()
        .map_err(|e| EngineError::Internal(e.to_string()))?;
    runtime.block_on(async {
        let settings = Settings {
            home: Some(work.path().join("home")),
            models_dir: Some(inputs.models_dir.clone()),
            threads: inputs.threads,
        };
        let config = settings.resolve().map_err(|e| EngineError::Bench(e.to_string()))?;
        let engine = Engine::open(config).await?;
        // The development twin first: it also loads every model, so the large build is timed warm.
        let dev = build(&engine, eval, "dev").await?;
        let large = build(&engine, &large, "large").await?;
        Ok(BuildBench { large, dev, peak_rss_mib: peak_rss_mib() })
    })
}

async fn build(engine: &Engine, dir: &Path, name: &str) -> Result<BuildTiming, EngineError> {
    let request = BuildRequest { name: Some(name.into()), ..BuildRequest::new(dir) };
    let started = Instant::now();
    let report: BuildReport = engine.build_twin(&request, &ProgressSink::none(), &CancelToken::new()).await?;
    Ok(BuildTiming {
        twin: name.into(),
        seconds: started.elapsed().as_secs_f64(),
        stages: report.stages.iter().map(|s| (s.name.clone(), s.seconds)).collect(),
        chunks: report.ingest.chunks,
        voice_seconds: report.voice.samples.iter().map(|s| s.duration_s).sum(),
        report_score: report.report.score,
        pitch_error: (report.voice.pitch_error_before, report.voice.pitch_error_after),
        similarity: (report.voice.similarity_before, report.voice.similarity_after),
    })
}

/// `VmHWM` from `/proc/self/status`, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

impl std::fmt::Display for BuildBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (l, d) = (&self.large, &self.dev);
        writeln!(f, "## Build, stage by stage (s); target ≤ {TARGET_S:.0} s for {PAGES} pages + 3 min of voice")?;
        writeln!(
            f,
            "| stage    | {PAGES} pages + {:.0} min voice | development twin (baseline) |",
            l.voice_seconds / 60.0
        )?;
        writeln!(f, "|----------|------------------------|-----------------------------|")?;
        for (name, large) in &l.stages {
            let dev = d.stages.iter().find(|(n, _)| n == name).map_or(0.0, |(_, s)| *s);
            writeln!(f, "| {name:<8} | {large:>22.1} | {dev:>27.1} |")?;
        }
        writeln!(f, "| total    | {:>22.1} | {:>27.1} |", l.seconds, d.seconds)?;
        writeln!(
            f,
            "large: {} chunks, {:.0} s of voice, report card {:.0}/100; development twin: {} chunks, {:.0} s of voice, {:.0}/100",
            l.chunks,
            l.voice_seconds,
            l.report_score * 100.0,
            d.chunks,
            d.voice_seconds,
            d.report_score * 100.0
        )?;
        let value = |v: Option<f32>, places: usize| v.map_or("-".to_owned(), |v| format!("{v:.places$}"));
        for t in [d, l] {
            writeln!(
                f,
                "voice tuning ({}): pitch error {} → {} semitones, speaker similarity {} → {}",
                t.twin,
                value(t.pitch_error.0, 2),
                value(t.pitch_error.1, 2),
                value(t.similarity.0, 3),
                value(t.similarity.1, 3)
            )?;
        }
        writeln!(f, "models were loaded by the development twin's build, before the large one")?;
        match self.peak_rss_mib {
            Some(mib) => writeln!(f, "peak memory (this process): {mib:.0} MiB"),
            None => writeln!(f, "peak memory: not available on this system"),
        }
    }
}
