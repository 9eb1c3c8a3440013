//! Sharing the plan through a git remote: where and what is shared, a sync (a task: the exchange with
//! the remote runs without the database lock), and the conflicts a person resolves.

use relman_core::secrets::SecretStore;
use relman_core::share::{self, ShareInput, ShareStatus, SyncConflict, SyncReport};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::tasks::{self, TaskKey};
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// The event every window hears after a sync: what arrived, and the conflicts left.
pub const SYNCED_EVENT: &str = "plan-synced";

#[tauri::command]
pub fn share_status(state: State<'_, AppState>) -> Reply<Option<ShareStatus>> {
    state.read(share::status)
}

#[tauri::command]
pub fn init_share(state: State<'_, AppState>, input: ShareInput) -> Reply<ShareStatus> {
    state.write(|store, stamp| share::init(store, stamp, input))
}

/// Syncs the plan: reads it, exchanges it with the remote (keyring token or SSH agent), applies what
/// arrived; then tells every window.
#[tauri::command]
pub async fn sync_plan<R: Runtime>(app: AppHandle<R>) -> Reply<SyncReport> {
    let report = tasks::run(app.clone(), Some(TaskKey::Sync), |state, _| {
        let job = state.read(share::prepare)?;
        let stores: [&dyn SecretStore; 2] = [state.secrets.keyring.as_ref(), &state.secrets.session];
        let exchanged = job.exchange(&state.stamp()?, &stores)?;
        state.write(|store, stamp| exchanged.apply(store, stamp))
    })
    .await?;
    let _ = app.emit(SYNCED_EVENT, &report);
    Ok(report)
}

#[tauri::command]
pub fn list_conflicts(state: State<'_, AppState>) -> Reply<Vec<SyncConflict>> {
    state.read(share::conflicts)
}

/// Picks candidate `pick` (1 for the first) of a conflict; the next sync tells everyone.
#[tauri::command]
pub fn resolve_conflict(state: State<'_, AppState>, id: String, pick: usize) -> Reply<SyncConflict> {
    state.write(|store, stamp| share::resolve(store, stamp, &id, pick))
}
