//! Progress reporting and cancellation for long jobs (fetch, ingest, build).
//!
//! A job receives a [`ProgressSink`] and a [`CancelToken`]; it reports
//! [`Progress`] at natural steps and checks the token between them. The
//! command line turns progress into a bar, the app into events.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

/// One progress report of one stage of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Progress {
    /// Machine name of the stage, e.g. `"ingest"`, `"embed"`, `"voice"`.
    pub stage: String,
    /// Items done and total (files, chunks, bytes…); total 0 means unknown.
    pub done: u64,
    pub total: u64,
    /// What is being worked on now, for people (a file name, a model id).
    pub item: Option<String>,
}

impl Progress {
    pub fn new(stage: &str, done: u64, total: u64) -> Self {
        Self { stage: stage.to_owned(), done, total, item: None }
    }

    pub fn item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    /// Fraction in `[0, 1]`, or `None` when the total is unknown.
    pub fn fraction(&self) -> Option<f32> {
        (self.total > 0).then(|| (self.done as f32 / self.total as f32).clamp(0.0, 1.0))
    }
}

/// Where a job sends its progress. Cheap to clone; never blocks the job.
#[derive(Clone)]
pub struct ProgressSink(Arc<dyn Fn(Progress) + Send + Sync>);

impl ProgressSink {
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// A sink that drops every report.
    pub fn none() -> Self {
        Self::new(|_| {})
    }

    pub fn report(&self, progress: Progress) {
        (self.0)(progress)
    }
}

impl std::fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressSink")
    }
}

/// The job was cancelled by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

impl crate::HasErrorCode for Cancelled {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::Cancelled
    }
}

/// Shared cancellation flag. Clones observe the same flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` once cancelled; use with `?` between steps.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() { Err(Cancelled) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_is_shared() {
        let a = CancelToken::new();
        let b = a.clone();
        assert!(b.check().is_ok());
        a.cancel();
        assert_eq!(b.check(), Err(Cancelled));
    }

    #[test]
    fn fraction() {
        assert_eq!(Progress::new("x", 1, 4).fraction(), Some(0.25));
        assert_eq!(Progress::new("x", 9, 4).fraction(), Some(1.0));
        assert_eq!(Progress::new("x", 1, 0).fraction(), None);
    }
}
