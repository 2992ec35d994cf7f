//! `alter bench [NAME] [--eval DIR] [--no-baseline] [--sizes 10000,100000]`:
//! the benchmarks of `alter_engine::bench`, printed as they finish
//! (`--json`: one object with every section).

use std::time::Instant;

use alter_core::{ErrorCode, ErrorReport, Settings};
use alter_engine::bench::{self, BenchInputs};

use crate::args::{BenchArgs, Global};
use crate::output;

pub async fn run(args: BenchArgs, global: &Global) -> Result<(), ErrorReport> {
    let config = Settings::from_env().resolve().map_err(|e| ErrorReport::from_error(&e))?;
    let names: Vec<String> = match &args.name {
        Some(n) if bench::NAMES.contains(&n.as_str()) => vec![n.clone()],
        Some(n) => {
            return Err(ErrorReport::new(
                ErrorCode::InvalidInput,
                format!("unknown benchmark {n:?}; choose one of: {}", bench::NAMES.join(", ")),
            ));
        }
        None => bench::NAMES.iter().map(|s| s.to_string()).collect(),
    };
    let eval_dir = args.eval.clone().or_else(default_eval_dir);
    let inputs = BenchInputs {
        models_dir: config.models_dir.clone(),
        threads: config.threads.max(1),
        eval_dir,
        no_baseline: args.no_baseline,
        retrieval_sizes: args.sizes.clone(),
    };
    let json_out = global.json;
    let sections = tokio::task::spawn_blocking(move || {
        let mut sections = Vec::new();
        for name in names {
            let started = Instant::now();
            match bench::run(&name, &inputs) {
                Ok(section) => {
                    if !json_out {
                        println!("{}\n({name}: {:.1} s)\n", section.text.trim_end(), started.elapsed().as_secs_f64());
                    }
                    sections.push(serde_json::json!({ "name": name, "ok": true, "data": section.data }));
                }
                Err(e) => {
                    // One failing benchmark (a missing model, no baseline) does not stop the others.
                    eprintln!("{name}: {e}");
                    sections.push(serde_json::json!({ "name": name, "ok": false, "error": e.to_string() }));
                }
            }
        }
        sections
    })
    .await
    .map_err(|e| ErrorReport::new(ErrorCode::Internal, format!("the benchmark thread failed: {e}")))?;
    let failed: Vec<String> =
        sections.iter().filter(|s| s["ok"] == false).filter_map(|s| s["name"].as_str().map(str::to_owned)).collect();
    if json_out {
        output::json(&serde_json::json!({ "benchmarks": sections }));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(ErrorReport::new(ErrorCode::Internal, format!("benchmarks failed: {}", failed.join(", "))))
    }
}

/// `shared/eval` next to the working folder or one of its parents, when there is one.
fn default_eval_dir() -> Option<std::path::PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors().map(|d| d.join("shared/eval")).find(|d| d.join("questions.jsonl").is_file())
}
