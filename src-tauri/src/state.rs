//! What the app holds between commands: the engine, or the reason it could not open.
//!
//! Invariant: the window always opens. A corrupt database, an unwritable data
//! folder or a missing home folder is kept here as an [`ErrorReport`]; every
//! command that needs the engine returns that report, and `app_status` lets the
//! UI explain the problem and what to do instead of the app crashing.

use alter_core::{Config, ErrorReport, Settings};
use alter_engine::Engine;

use std::sync::Arc;

use crate::jobs::Jobs;

/// Tauri-managed state: one per app.
#[derive(Debug)]
pub struct AppState {
    engine: Result<Engine, ErrorReport>,
    /// The resolved configuration, when the settings could be resolved (its
    /// paths are shown to people when something is wrong).
    config: Option<Config>,
    jobs: Arc<Jobs>,
}

impl AppState {
    /// Resolves the settings from the environment (`ALTER_HOME`, `ALTER_MODELS_DIR`)
    /// and opens the engine. Never fails: a failure is recorded instead.
    pub async fn open_from_env() -> Self {
        match Settings::from_env().resolve() {
            Ok(config) => Self::open(config).await,
            Err(err) => Self { engine: Err(ErrorReport::from_error(&err)), config: None, jobs: Arc::default() },
        }
    }

    /// Opens the engine on an already resolved configuration.
    pub async fn open(config: Config) -> Self {
        let engine = Engine::open(config.clone()).await.map_err(ErrorReport::from);
        if let Err(report) = &engine {
            tracing::error!(code = ?report.code, message = %report.message, details = ?report.details, "engine did not open");
        }
        Self { engine, config: Some(config), jobs: Arc::default() }
    }

    /// The engine, or the report saying why it is not available.
    pub fn engine(&self) -> Result<&Engine, ErrorReport> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    /// The reason the engine did not open, if it did not.
    pub fn startup_error(&self) -> Option<&ErrorReport> {
        self.engine.as_ref().err()
    }

    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Builds, answers and playback in flight.
    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    /// The jobs, for work that outlives a command's borrow (a listening thread).
    pub fn jobs_handle(&self) -> Arc<Jobs> {
        Arc::clone(&self.jobs)
    }
}
