//! `cargo bench -p alter-knowledge`: every knowledge benchmark, each table
//! with its baseline. Environment:
//! - `ALTER_MODELS_DIR` (required): the embedding model is
//!   `$ALTER_MODELS_DIR/embed/multilingual-e5-small` (override the relative
//!   folder with `ALTER_EMBED_MODEL`, e.g. `embed/all-minilm-l6-v2`);
//! - `ALTER_BENCH_EVAL`: an evaluation folder (`docs/`, `questions.jsonl`);
//! - `ALTER_BENCH_SIZES`: chunk counts for latency, default `10000,100000`;
//! - `ALTER_BENCH_PAGES`: generated pages for ingest, default 200 (0 skips);
//! - `ALTER_BENCH_PDFS`: colon-separated real PDFs to compare extractors on.

use std::path::PathBuf;

use alter_knowledge::bench::{BenchOptions, run};
use alter_knowledge::{Embedder, EmbedderOptions};

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing useful either way.
    let Some(models) = std::env::var_os("ALTER_MODELS_DIR") else {
        eprintln!("ALTER_MODELS_DIR is not set: run: alter models fetch, then set it");
        std::process::exit(2);
    };
    let model =
        std::env::var("ALTER_EMBED_MODEL").unwrap_or_else(|_| alter_knowledge::embed::default_model_dir().into());
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let embedder =
        match Embedder::load(&PathBuf::from(models).join(model), &EmbedderOptions { threads, ..Default::default() }) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        };
    let sizes = std::env::var("ALTER_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let opts = BenchOptions {
        sizes,
        ingest_pages: std::env::var("ALTER_BENCH_PAGES").ok().and_then(|s| s.parse().ok()).unwrap_or(200),
        eval_dir: std::env::var_os("ALTER_BENCH_EVAL").map(PathBuf::from),
        pdfs: std::env::var("ALTER_BENCH_PDFS").map(|s| s.split(':').map(PathBuf::from).collect()).unwrap_or_default(),
        work_dir: std::env::temp_dir().join(format!("alter-knowledge-bench-{}", std::process::id())),
    };
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let result = rt.block_on(run(&embedder, &opts));
    let _ = std::fs::remove_dir_all(&opts.work_dir);
    if let Err(e) = result {
        eprintln!("benchmark failed: {e}");
        std::process::exit(1);
    }
}
