//! The one front door to Alter.
//!
//! An [`Engine`] is built once from a resolved [`alter_core::Config`] and
//! handed to a shell (the desktop app, the `alter` command line). It owns the
//! app database and, lazily, the loaded models; every user-facing operation
//! is a method here, so both shells behave identically.
//!
//! Architecture invariant: the engine knows nothing of Tauri, terminals or
//! JSON output; shells translate its results and [`EngineError`]s.

mod anticipate;
mod avatar;
pub mod bench;
mod brain;
pub mod build;
pub mod echo;
mod error;
mod eval;
mod knowledge;
mod listen;
pub mod materials;
mod models;
pub mod playback;
mod preferences;
mod profile;
mod talk;
mod twins;
mod voice_in;
mod voice_out;

use std::sync::Arc;

use alter_core::Config;
use alter_store::AppDb;

pub use anticipate::{AnticipateFor, Anticipated};
pub use brain::{AskReport, AskRequest, Retrieval};
pub use build::{BuildReport, BuildRequest};
pub use error::EngineError;
pub use eval::{EvalOptions, EvalRun};
pub use listen::{Heard, ListenEvent, ListenOptions};
pub use materials::{Added, Imported, MaterialDocument, MaterialSample, Materials};
pub use playback::{Playback, PlaybackEvent, PlaybackProbe};
pub use profile::TwinPersona;
pub use talk::{TalkReport, TalkRequest};
pub use voice_in::{TranscribeReport, TranscribeTimings};
pub use voice_out::{SayReport, SayTimings};

/// The answer types shells print.
pub use alter_brain as brain_types;
/// The scoring types of `eval` and the report card.
pub use alter_persona as persona;
/// The speech-synthesis types shells need to fill in options.
pub use alter_tts as tts;

/// Alter's application logic, shared by every shell. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
    app_db: AppDb,
    /// Each twin's answerer, rebuilt when its persona or parameters change.
    answerers: Arc<brain::AnswererCache>,
    /// The passages each twin's newest anticipatory prefill quoted.
    anticipations: Arc<anticipate::Anticipations>,
}

impl Engine {
    /// Opens the app database (creating and migrating it if needed).
    pub async fn open(config: Config) -> Result<Self, EngineError> {
        let app_db = AppDb::open(&config.app_db()).await?;
        Ok(Self { config, app_db, answerers: Arc::default(), anticipations: Arc::default() })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
}
