//! The shared vocabulary of Alter.
//!
//! Every other crate speaks in these types: a [`TwinId`], the owner's
//! [`TwinParams`], the resolved [`Config`] (where the data and the models
//! live), the stable [`ErrorCode`]s the shells show to people, and the
//! [`Progress`] / [`CancelToken`] pair that long jobs use.
//!
//! Architecture invariant: this crate has no I/O beyond reading settings and
//! no heavy dependencies; everything may depend on it, it depends on nothing
//! of ours.

pub mod config;
pub mod error;
pub mod eval;
pub mod preferences;
pub mod progress;
pub mod twin;

pub use config::{Config, Settings};
pub use error::{ErrorCode, ErrorReport, HasErrorCode};
pub use preferences::{Preferences, UI_LANGUAGES};
pub use progress::{CancelToken, Cancelled, Progress, ProgressSink};
pub use twin::{FACT_KINDS, Tone, TwinId, TwinParams, TwinSummary, ValidationError, VoiceTuning};
