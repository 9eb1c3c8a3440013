//! Background work in the app. Every command that reads a repository, the keyring or the whole
//! database runs as a tokio task on the blocking pool (libgit2, SQLite and the Secret Service block a
//! thread; the UI's never does). The long ones — a notes walk, a tag push, risk suggestions, the audit
//! chain's check — run under a [`TaskKey`]: the UI stops one with `cancel_task` and that key, and the
//! job hears it through the flag its [`Task`] hands to the core (`WalkControl::cancel` and the like),
//! and reports how far it is as events through [`Task::progress`]. One registry, [`Tasks`], holds the
//! flags of the runs going on, so every job is stopped the same way.
//!
//! To make a job cancellable: add a variant to [`TaskKey`], run the command through [`run`] with it,
//! pass `task.cancel_flag()` to the core, and let the UI call `cancel_task` with the key.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use relman_core::git::{WalkControl, WalkProgress};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use ts_rs::TS;

use crate::{AppState, IpcError};

/// A job the UI can stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskKey {
    /// A walk of release notes, by the id the Notes view gave it (a new id for every walk).
    Notes { walk: u64 },
    /// The push of a release's tag.
    Push { release_id: i64 },
    /// The risk suggestions of a release, read from its range.
    Suggestions { release_id: i64 },
    /// The check of the audit chain.
    AuditCheck,
    /// A sync of the shared plan with its remote.
    Sync,
}

impl TaskKey {
    /// Whether the key names one run only. A cancel of such a run is kept until it starts: the Notes
    /// view cancels a walk as soon as a newer one supersedes it, which may be before it began. Other
    /// keys name every run of a job, so a cancel stops the run going on and never a later one.
    fn names_one_run(self) -> bool {
        matches!(self, TaskKey::Notes { .. })
    }
}

/// The cancel flags of the runs going on (and of one-run keys cancelled before they started).
#[derive(Default)]
pub struct Tasks {
    flags: Mutex<HashMap<TaskKey, Arc<AtomicBool>>>,
}

impl Tasks {
    /// Cancels of one-run keys whose run never came would otherwise pile up.
    const KEPT: usize = 256;

    /// Stops the run under `key`: at once if it is going on, at its start if the key names one run.
    pub fn cancel(&self, key: TaskKey) {
        let Ok(mut flags) = self.flags.lock() else { return };
        if key.names_one_run() {
            if flags.len() > Self::KEPT {
                flags.retain(|_, flag| !flag.load(Ordering::Relaxed));
            }
            flags.entry(key).or_default().store(true, Ordering::Relaxed);
        } else if let Some(flag) = flags.get(&key) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Whether a run under `key` is going on.
    pub fn is_running(&self, key: TaskKey) -> bool {
        self.flags.lock().is_ok_and(|flags| flags.get(&key).is_some_and(|f| !f.load(Ordering::Relaxed)))
    }

    fn begin(&self, key: TaskKey) -> Arc<AtomicBool> {
        let Ok(mut flags) = self.flags.lock() else { return Arc::default() };
        match key.names_one_run() {
            true => flags.entry(key).or_default().clone(),
            false => flags.entry(key).insert_entry(Arc::default()).get().clone(),
        }
    }

    fn end(&self, key: TaskKey, flag: &Arc<AtomicBool>) {
        if let Ok(mut flags) = self.flags.lock() {
            // A newer run of the same job may have taken the key meanwhile; its flag stays.
            if flags.get(&key).is_some_and(|f| Arc::ptr_eq(f, flag)) {
                flags.remove(&key);
            }
        }
    }
}

/// What a job sees of its run: whether it is cancelled, and a way to say how far it is.
pub struct Task<R: Runtime> {
    app: AppHandle<R>,
    cancel: Arc<AtomicBool>,
}

impl<R: Runtime> Task<R> {
    /// The flag the core polls to stop; set by `cancel_task`.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Tells every window how far the job is (a window that closed meanwhile is no reason to stop),
    /// and answers whether the job should go on: false once it is cancelled.
    pub fn progress<P: Serialize + Clone>(&self, event: &str, payload: P) -> bool {
        let _ = self.app.emit(event, payload);
        !self.cancelled()
    }

    /// Runs a git walk under this task: the app's range cache, each step reported as `event` (its
    /// payload made by `payload`), and this task's cancel flag.
    pub fn walk<P: Serialize + Clone, T>(
        &self,
        state: &AppState,
        event: &str,
        payload: impl Fn(WalkProgress) -> P,
        work: impl FnOnce(WalkControl<'_>) -> T,
    ) -> T {
        let report = |p: WalkProgress| {
            self.progress(event, payload(p));
        };
        work(WalkControl { cache: Some(&state.ranges), progress: Some(&report), cancel: Some(self.cancel_flag()) })
    }

    /// The app, for what a job does besides progress (a save dialog, a final event).
    pub fn app(&self) -> &AppHandle<R> {
        &self.app
    }
}

/// Forgets a run's flag however the job ends, a panic included.
struct Running<'a> {
    tasks: &'a Tasks,
    key: TaskKey,
    flag: Arc<AtomicBool>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.tasks.end(self.key, &self.flag);
    }
}

/// Runs `work` with the app's state as a tokio task on the blocking pool, registered under `key`
/// (when given) while it runs so that `cancel_task` can stop it.
pub async fn run<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    key: Option<TaskKey>,
    work: impl FnOnce(&AppState, &Task<R>) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let running = key.map(|key| Running { tasks: &state.tasks, key, flag: state.tasks.begin(key) });
        let cancel = running.as_ref().map_or_else(Arc::default, |r| r.flag.clone());
        let task = Task { app: app.clone(), cancel };
        work(&state, &task)
    })
    .await
    .map_err(|e| IpcError {
        code: relman_core::ErrorCode::Storage,
        message: format!("That did not finish: {e}. Try again."),
        field: None,
    })?
}

/// [`run`] for a job nobody stops: off the UI's thread, nothing more.
pub async fn blocking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    work: impl FnOnce(&AppState) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    run(app, None, move |state, _| work(state)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_stops_the_run_going_on_and_never_a_later_one() {
        let tasks = Tasks::default();
        let push = TaskKey::Push { release_id: 7 };
        tasks.cancel(push);
        let first = tasks.begin(push);
        assert!(!first.load(Ordering::Relaxed), "a cancel of a push that was not running is not kept for the next");
        assert!(tasks.is_running(push));
        tasks.cancel(push);
        assert!(first.load(Ordering::Relaxed), "the running push hears the cancel");
        tasks.end(push, &first);
        assert!(!tasks.begin(push).load(Ordering::Relaxed), "the next push starts afresh");
    }

    #[test]
    fn a_walk_cancelled_before_it_starts_starts_cancelled() {
        let tasks = Tasks::default();
        let walk = TaskKey::Notes { walk: 3 };
        tasks.cancel(walk);
        let flag = tasks.begin(walk);
        assert!(flag.load(Ordering::Relaxed), "the view superseded walk 3 before it began");
        tasks.end(walk, &flag);
        assert!(!tasks.is_running(walk));
        assert!(!tasks.begin(TaskKey::Notes { walk: 4 }).load(Ordering::Relaxed), "another walk is not touched");
    }

    #[test]
    fn a_newer_run_keeps_its_flag_when_an_older_one_ends() {
        let tasks = Tasks::default();
        let check = TaskKey::AuditCheck;
        let older = tasks.begin(check);
        let newer = tasks.begin(check);
        tasks.end(check, &older);
        tasks.cancel(check);
        assert!(newer.load(Ordering::Relaxed), "the cancel reaches the check still going on");
        assert!(!older.load(Ordering::Relaxed));
    }

    #[test]
    fn the_key_crosses_ipc_as_a_kind_and_its_fields() {
        let key: TaskKey = serde_json::from_str(r#"{"kind":"push","release_id":5}"#).unwrap();
        assert_eq!(key, TaskKey::Push { release_id: 5 });
        let walk: TaskKey = serde_json::from_str(r#"{"kind":"notes","walk":12}"#).unwrap();
        assert_eq!(walk, TaskKey::Notes { walk: 12 });
        assert_eq!(serde_json::to_string(&TaskKey::AuditCheck).unwrap(), r#"{"kind":"audit_check"}"#);
    }
}
