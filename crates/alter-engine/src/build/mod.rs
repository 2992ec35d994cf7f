//! Building a twin from a source folder ("training").
//!
//! Stages run in order — ingest, voice, persona, self-test — each reporting
//! progress and checking for cancellation. A finished stage is checkpointed
//! with a fingerprint of its inputs, so a build that crashed or was cancelled
//! resumes where it stopped, and a rebuild redoes only what changed.

pub mod checkpoint;
pub mod lock;
pub mod source;

pub use lock::BuildLock;
pub use source::{TwinSource, read_twin_toml};
