//! `alter bench llm`: prefill and decode speed, ours beside llama.cpp.
//!
//! Both engines get the same GGUF, the same thread count and the same token
//! ids (prompt lengths 64/256/1024 by default). llama.cpp comes from the PyPI
//! package `llama-cpp-python`, compiled from source into a cached venv
//! (`$ALTER_MODELS_DIR/.bench-venv`, or `ALTER_LLM_BENCH_VENV`) for this
//! machine's CPU (`GGML_NATIVE`): our kernels choose AVX-512 VNNI at run time
//! where the CPU has it, so llama.cpp gets every instruction set too. If
//! that fails the report says "baseline unavailable" and why. Timings on a
//! shared machine are noisy: compare the two columns of one run, not runs
//! with each other.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::LlmError;
use crate::gguf::read_header;
use crate::model::{KvCache, Model, ModelConfig};
use crate::tokenizer::{TokenId, Tokenizer};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub model: PathBuf,
    pub threads: usize,
    pub prompt_lens: Vec<usize>,
    /// Tokens generated for the decode figure.
    pub decode_tokens: usize,
    /// Rounds, alternating between the sides, each running every prompt;
    /// a side's best round counts (a shared machine's other tenants only
    /// ever slow a run down).
    pub repeats: usize,
    /// Run llama.cpp too (installing it into the venv if needed).
    pub baseline: bool,
    /// Where the llama-cpp-python venv lives (created if missing).
    pub venv: PathBuf,
}

impl BenchOptions {
    pub fn new(model: PathBuf) -> Self {
        let venv = std::env::var_os("ALTER_LLM_BENCH_VENV").map(PathBuf::from).unwrap_or_else(|| {
            std::env::var_os(crate::MODELS_DIR_ENV)
                .map(|d| PathBuf::from(d).join(".bench-venv"))
                .unwrap_or_else(|| std::env::temp_dir().join("alter-llm-bench-venv"))
        });
        Self {
            model,
            threads: 2,
            prompt_lens: vec![64, 256, 1024],
            decode_tokens: 32,
            repeats: 3,
            baseline: true,
            venv,
        }
    }
}

/// One prompt length.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchRow {
    pub prompt_tokens: usize,
    pub ours_prefill_tps: f64,
    pub ours_decode_tps: f64,
    pub llamacpp_prefill_tps: Option<f64>,
    pub llamacpp_decode_tps: Option<f64>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchReport {
    pub model: String,
    pub threads: usize,
    /// Runs per prompt and side; each figure is the best.
    #[serde(default = "one")]
    pub repeats: usize,
    pub rows: Vec<BenchRow>,
    /// Resident memory of this process after our runs (bytes), and its peak.
    pub ours_rss_bytes: u64,
    pub ours_peak_rss_bytes: u64,
    /// Peak resident memory of the llama.cpp process, when it ran.
    pub llamacpp_peak_rss_bytes: Option<u64>,
    /// "ok", or why the baseline is unavailable.
    pub baseline_note: String,
}

fn one() -> usize {
    1
}

fn ratio(a: f64, b: Option<f64>) -> String {
    b.map_or("-".into(), |b| format!("{:.2}x", a / b))
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "LLM bench: {} ({} threads; {} rounds alternating between the sides, each side's best)",
            self.model, self.threads, self.repeats
        )?;
        writeln!(
            f,
            "{:>7} | {:>12} {:>12} {:>6} | {:>11} {:>11} {:>6}",
            "prompt", "prefill ours", "llama.cpp", "ratio", "decode ours", "llama.cpp", "ratio"
        )?;
        let opt = |v: Option<f64>| v.map_or("unavailable".to_string(), |v| format!("{v:.1}"));
        for r in &self.rows {
            writeln!(
                f,
                "{:>7} | {:>12.1} {:>12} {:>6} | {:>11.1} {:>11} {:>6}",
                r.prompt_tokens,
                r.ours_prefill_tps,
                opt(r.llamacpp_prefill_tps),
                ratio(r.ours_prefill_tps, r.llamacpp_prefill_tps),
                r.ours_decode_tps,
                opt(r.llamacpp_decode_tps),
                ratio(r.ours_decode_tps, r.llamacpp_decode_tps),
            )?;
        }
        let mb = |b: u64| b as f64 / (1 << 20) as f64;
        writeln!(
            f,
            "tok/s; memory ours: {:.0} MiB resident, {:.0} MiB peak",
            mb(self.ours_rss_bytes),
            mb(self.ours_peak_rss_bytes)
        )?;
        if let Some(b) = self.llamacpp_peak_rss_bytes {
            writeln!(f, "memory llama.cpp: {:.0} MiB peak", mb(b))?;
        }
        write!(f, "baseline: {}", self.baseline_note)
    }
}

/// (current, peak) resident set size of this process in bytes.
pub fn rss_bytes() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A deterministic prompt of exactly `n` tokens of ordinary text.
pub fn bench_tokens(tok: &Tokenizer, n: usize) -> Vec<TokenId> {
    let text = "The quarterly report covers revenue, hiring plans and the new office in Shanghai. \
                Engineers asked about the release schedule, the budget for cloud services and training. ";
    let base = tok.encode(text, false);
    base.iter().copied().cycle().take(n).collect()
}

/// Measure our engine: (prefill tok/s, decode tok/s).
fn measure_ours(model: &Model, tokens: &[TokenId], decode: usize) -> Result<(f64, f64), LlmError> {
    let mut cache = KvCache::default();
    let t = Instant::now();
    let mut logits = Vec::new();
    // In the chunks generation prefills in.
    for chunk in tokens.chunks(crate::engine::PREFILL_CHUNK) {
        logits = model.forward(&mut cache, chunk)?;
    }
    let prefill = tokens.len() as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..decode {
        let next = logits.iter().enumerate().fold((0, f32::MIN), |b, (i, &v)| if v > b.1 { (i, v) } else { b }).0;
        logits = model.forward(&mut cache, &[next as TokenId])?;
    }
    Ok((prefill, decode as f64 / t.elapsed().as_secs_f64()))
}

const BASELINE_PY: &str = r#"
import json, sys, time, resource
import numpy as np
import llama_cpp
from llama_cpp import Llama
cfg = json.load(sys.stdin)
llm = Llama(model_path=cfg["model"], n_threads=cfg["threads"], n_threads_batch=cfg["threads"],
            n_ctx=cfg["n_ctx"], n_batch=512, n_ubatch=512, verbose=False)
out = []
for toks in cfg["prompts"]:
    llm.reset()
    t = time.perf_counter(); llm.eval(toks); pre = len(toks) / (time.perf_counter() - t)
    nxt = toks[-1]
    t = time.perf_counter()
    for _ in range(cfg["decode"]):
        llm.eval([nxt])
        # The last position's logits (llm.scores only holds n_batch rows).
        last = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm.ctx, -1), shape=(llm.n_vocab(),))
        nxt = int(last.argmax())
    dec = cfg["decode"] / (time.perf_counter() - t)
    out.append([pre, dec])
print(json.dumps({"rows": out, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"#;

/// llama.cpp's build flags: compiled for this machine's CPU (`GGML_NATIVE`),
/// since our kernels pick the widest instructions the CPU has at run time
/// (AVX-512 VNNI where present); no CPU-variant dispatch (a variant built for
/// instructions the machine lacks crashed with "invalid opcode" here).
const LLAMA_CMAKE_ARGS: &str = "-DGGML_NATIVE=ON -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF";

/// What the installed llama.cpp was built for: the flags and this CPU's
/// instruction sets. A venv built elsewhere or with other flags is rebuilt.
fn build_stamp() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| info.lines().find(|l| l.starts_with("flags")).map(str::to_owned))
        .unwrap_or_default();
    format!("{LLAMA_CMAKE_ARGS}\n{cpu}\n")
}

/// Make sure the venv has llama-cpp-python built for this CPU; returns its python.
fn ensure_baseline(venv: &Path) -> Result<PathBuf, String> {
    let py = venv.join("bin").join("python");
    let stamp_file = venv.join("alter-llama-cpp-build.txt");
    let ok = |py: &Path| Command::new(py).args(["-c", "import llama_cpp"]).output().is_ok_and(|o| o.status.success());
    let stamp = build_stamp();
    if py.is_file() && ok(&py) && std::fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp) {
        return Ok(py);
    }
    eprintln!("installing llama-cpp-python into {} (compiles llama.cpp; several minutes)…", venv.display());
    if !py.is_file() {
        let st = Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv)
            .status()
            .map_err(|e| format!("python3 -m venv: {e}"))?;
        if !st.success() {
            return Err("python3 -m venv failed".into());
        }
    }
    let out = Command::new(&py)
        // --no-cache-dir: a wheel cached from a build with other flags would be reused silently.
        .args(["-m", "pip", "install", "--quiet", "--no-cache-dir", "--force-reinstall", "--no-deps"])
        .arg("llama-cpp-python")
        .env("CMAKE_ARGS", LLAMA_CMAKE_ARGS)
        .output()
        .map_err(|e| format!("pip: {e}"))?;
    // Its dependencies (numpy and friends) once, from wheels.
    let deps = Command::new(&py).args(["-m", "pip", "install", "--quiet", "llama-cpp-python"]).output();
    if !out.status.success() || deps.is_err() || !ok(&py) {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: String = err.chars().rev().take(400).collect::<Vec<_>>().into_iter().rev().collect();
        return Err(format!("pip install llama-cpp-python failed: {tail}"));
    }
    std::fs::write(&stamp_file, stamp).map_err(|e| format!("writing {}: {e}", stamp_file.display()))?;
    Ok(py)
}

fn run_baseline(opts: &BenchOptions, prompts: &[Vec<TokenId>]) -> Result<(Vec<(f64, f64)>, u64), String> {
    use std::io::Write;
    let py = ensure_baseline(&opts.venv)?;
    let max = prompts.iter().map(Vec::len).max().unwrap_or(0);
    let cfg = serde_json::json!({
        "model": opts.model, "threads": opts.threads, "n_ctx": max + opts.decode_tokens + 16,
        "prompts": prompts, "decode": opts.decode_tokens,
    });
    let mut child = Command::new(&py)
        .args(["-c", BASELINE_PY])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting python: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(cfg.to_string().as_bytes()).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("llama.cpp run failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("baseline output: {e}"))?;
    let rows = v["rows"]
        .as_array()
        .ok_or("baseline output has no rows")?
        .iter()
        .map(|r| (r[0].as_f64().unwrap_or(0.0), r[1].as_f64().unwrap_or(0.0)))
        .collect();
    Ok((rows, v["peak_rss"].as_u64().unwrap_or(0)))
}

/// Run the benchmark.
pub fn run_bench(opts: &BenchOptions) -> Result<BenchReport, LlmError> {
    let header = read_header(&opts.model)?;
    let tok = Tokenizer::from_gguf(&header)?;
    let max = opts.prompt_lens.iter().max().copied().unwrap_or(64);
    let cfg = ModelConfig::from_gguf(&header, max + opts.decode_tokens + 16)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| LlmError::Internal(e.to_string()))?;
    let model = Model::load(&mut File::open(&opts.model)?, &header, cfg)?;
    let prompts: Vec<Vec<TokenId>> = opts.prompt_lens.iter().map(|&n| bench_tokens(&tok, n)).collect();
    // Warm up (page in weights, size allocator pools).
    pool.install(|| measure_ours(&model, &prompts[0][..prompts[0].len().min(16)], 2))?;
    let mut rows: Vec<BenchRow> = prompts
        .iter()
        .map(|p| BenchRow {
            prompt_tokens: p.len(),
            ours_prefill_tps: 0.0,
            ours_decode_tps: 0.0,
            llamacpp_prefill_tps: None,
            llamacpp_decode_tps: None,
        })
        .collect();
    // Rounds alternate between the two sides, so that a slow spell of a shared
    // machine falls on both; each figure is a side's best round.
    let mut baseline: Result<Option<u64>, String> = Ok(None);
    for _ in 0..opts.repeats.max(1) {
        for (row, p) in rows.iter_mut().zip(&prompts) {
            let (pre, dec) = pool.install(|| measure_ours(&model, p, opts.decode_tokens))?;
            row.ours_prefill_tps = row.ours_prefill_tps.max(pre);
            row.ours_decode_tps = row.ours_decode_tps.max(dec);
        }
        if !opts.baseline {
            continue;
        }
        if let Ok(peak) = &baseline {
            baseline = run_baseline(opts, &prompts).map(|(b, rss)| {
                for (row, (pre, dec)) in rows.iter_mut().zip(b) {
                    row.llamacpp_prefill_tps = Some(row.llamacpp_prefill_tps.unwrap_or(0.0).max(pre));
                    row.llamacpp_decode_tps = Some(row.llamacpp_decode_tps.unwrap_or(0.0).max(dec));
                }
                Some(peak.unwrap_or(0).max(rss))
            });
        }
    }
    let (rss, peak) = rss_bytes();
    drop(model);
    let (note, base_rss) = match baseline {
        _ if !opts.baseline => ("not run".to_string(), None),
        Ok(rss) => ("ok (llama-cpp-python, same GGUF, same threads, same token ids)".into(), rss),
        Err(e) => {
            rows.iter_mut().for_each(|r| (r.llamacpp_prefill_tps, r.llamacpp_decode_tps) = (None, None));
            (format!("baseline unavailable: {e}"), None)
        }
    };
    Ok(BenchReport {
        model: opts.model.display().to_string(),
        threads: opts.threads,
        repeats: opts.repeats.max(1),
        rows,
        ours_rss_bytes: rss,
        ours_peak_rss_bytes: peak,
        llamacpp_peak_rss_bytes: base_rss,
        baseline_note: note,
    })
}
