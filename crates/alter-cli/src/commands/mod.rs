//! One file per subcommand; this module opens the engine and dispatches.

mod ask;
mod bench;
mod build;
mod eval;
mod ingest;
mod models;
mod say;
mod search;
mod talk;
mod transcribe;
mod twins;

use alter_core::{ErrorReport, Settings};
use alter_engine::Engine;

use crate::args::{Cli, Command};

pub async fn run(cli: Cli) -> Result<(), ErrorReport> {
    match cli.command {
        Command::Twins(args) => twins::run(&open_engine().await?, args, &cli.global).await,
        Command::Search(args) => search::run(&open_engine().await?, args, &cli.global).await,
        Command::Ingest(args) => ingest::run(&open_engine().await?, args, &cli.global).await,
        Command::Models(args) => models::run(args, &cli.global).await,
        Command::Transcribe(args) => transcribe::run(&open_engine().await?, args, &cli.global).await,
        Command::Say(args) => say::run(&open_engine().await?, args, &cli.global).await,
        Command::Build(args) => build::run(&open_engine().await?, args, &cli.global).await,
        Command::Ask(args) => ask::run(&open_engine().await?, args, &cli.global).await,
        Command::Talk(args) => talk::run(&open_engine().await?, args, &cli.global).await,
        Command::Eval(args) => eval::run(&open_engine().await?, args, &cli.global).await,
        Command::Bench(args) => bench::run(args, &cli.global).await,
    }
}

/// Resolves settings from the environment and opens the engine.
pub async fn open_engine() -> Result<Engine, ErrorReport> {
    let config = Settings::from_env().resolve().map_err(|e| ErrorReport::from_error(&e))?;
    Ok(Engine::open(config).await?)
}
