//! The app's long-running work in flight: builds (one per twin), the answer
//! being written and the reply being spoken, so that each can be stopped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use alter_core::{CancelToken, ErrorCode, ErrorReport, TwinId};
use alter_engine::Playback;

/// Work in flight. Locks are held only to swap handles, never across an await.
#[derive(Debug)]
pub struct Jobs {
    builds: Arc<Mutex<HashMap<TwinId, CancelToken>>>,
    answer: Mutex<Option<CancelToken>>,
    listening: Mutex<Option<CancelToken>>,
    recording: Mutex<Option<CancelToken>>,
    playback: Mutex<Option<Playback>>,
    /// This window's conversation (turns are remembered per session).
    session: String,
}

impl Default for Jobs {
    fn default() -> Self {
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Self {
            builds: Arc::default(),
            answer: Mutex::default(),
            listening: Mutex::default(),
            recording: Mutex::default(),
            playback: Mutex::default(),
            session: format!("app-{}", started.as_millis()),
        }
    }
}

/// A registered build; dropping it (success, error or panic) frees the twin.
#[must_use]
pub struct RunningBuild {
    builds: Arc<Mutex<HashMap<TwinId, CancelToken>>>,
    twin: TwinId,
}

impl Drop for RunningBuild {
    fn drop(&mut self) {
        lock(&self.builds).remove(&self.twin);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Puts `next` in `slot` and cancels the job it replaces.
fn swap_cancel(slot: &Mutex<Option<CancelToken>>, next: Option<CancelToken>) {
    let old = std::mem::replace(&mut *lock(slot), next);
    if let Some(old) = old {
        old.cancel();
    }
}

impl Jobs {
    /// Registers a build of `twin`; refused while another build of it runs.
    pub fn start_build(&self, twin: &TwinId, cancel: CancelToken) -> Result<RunningBuild, ErrorReport> {
        let mut builds = lock(&self.builds);
        if builds.contains_key(twin) {
            return Err(ErrorReport::new(
                ErrorCode::Busy,
                "This twin is already being built; wait for it or cancel it.",
            ));
        }
        builds.insert(twin.clone(), cancel);
        Ok(RunningBuild { builds: self.builds.clone(), twin: twin.clone() })
    }

    /// Cancels the build of `twin`; `false` when none runs.
    pub fn cancel_build(&self, twin: &TwinId) -> bool {
        lock(&self.builds).get(twin).map(CancelToken::cancel).is_some()
    }

    /// The answer now being written, cancelling the one before.
    pub fn replace_answer(&self, cancel: CancelToken) {
        swap_cancel(&self.answer, Some(cancel));
    }

    /// The listening now running, stopping the one before.
    pub fn replace_listening(&self, cancel: CancelToken) {
        swap_cancel(&self.listening, Some(cancel));
    }

    pub fn stop_listening(&self) {
        swap_cancel(&self.listening, None);
    }

    /// The voice sample now being recorded, ending the one before.
    pub fn replace_recording(&self, stop: CancelToken) {
        swap_cancel(&self.recording, Some(stop));
    }

    pub fn stop_recording(&self) {
        swap_cancel(&self.recording, None);
    }

    /// The reply now being played, stopping the one before.
    pub fn replace_playback(&self, playback: Option<Playback>) {
        let old = std::mem::replace(&mut *lock(&self.playback), playback);
        drop(old); // Stops it, after the lock is released.
    }

    /// A probe of the reply playing now (for barge-in); `None` when none plays.
    pub fn playback_probe(&self) -> Option<alter_engine::PlaybackProbe> {
        lock(&self.playback).as_ref().filter(|p| p.is_playing()).map(Playback::probe)
    }

    /// Queues audio after the reply playing; `None` when none is open.
    pub fn append_to_playback(&self, samples: &[f32]) -> Option<f64> {
        lock(&self.playback).as_ref().filter(|p| p.is_playing()).and_then(|p| p.append(samples))
    }

    /// The reply playing gets no more sentences.
    pub fn close_playback(&self) {
        if let Some(p) = lock(&self.playback).as_ref() {
            p.close();
        }
    }

    /// Barge-in: stop speaking and stop writing.
    pub fn stop_all(&self) {
        self.replace_playback(None);
        swap_cancel(&self.answer, None);
    }

    pub fn session_id(&self) -> String {
        self.session.clone()
    }
}
