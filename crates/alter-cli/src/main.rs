//! `alter`: the headless shell over Alter's engine.
//!
//! Contract (see the project's CLI reference): exit 0 on success; otherwise a
//! non-zero exit and one plain-English line on stderr. `--json` prints one
//! JSON document on stdout. Each subcommand lives in its own file under
//! `commands/`; this file only parses arguments and reports errors.

mod args;
mod commands;
mod output;
mod progress;

use std::process::ExitCode;

use alter_core::ErrorReport;
use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&ErrorReport::new(alter_core::ErrorCode::Internal, format!("could not start: {e}"))),
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(report) => fail(&report),
    }
}

fn fail(report: &ErrorReport) -> ExitCode {
    // One line, whatever the message holds.
    let line = report.message.replace(['\n', '\r'], " ");
    eprintln!("error: {line}");
    ExitCode::FAILURE
}

/// Logs go to stderr and only when asked for (`ALTER_LOG=debug`), so that
/// stdout stays clean for `--json`.
fn init_logging() {
    if let Ok(filter) = std::env::var("ALTER_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .try_init();
    }
}
