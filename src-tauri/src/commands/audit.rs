//! The Activity view's commands: pages of the audit log, the chain's check, and the export.

use relman_core::audit::{self, AuditFilter, AuditPage, ChainReport};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::export::save_as;
use crate::tasks::{self, blocking, TaskKey};
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// The event the app emits when a check of the chain finishes (the one on open, too).
pub const VERIFIED_EVENT: &str = "audit-verified";

#[tauri::command]
pub fn list_audit(state: State<'_, AppState>, filter: AuditFilter) -> Reply<AuditPage> {
    state.read(|store| audit::page(store, &filter))
}

/// The chains of the other copies of the shared plan, as their events arrived by sync, each checked.
#[tauri::command]
pub fn audit_copies(state: State<'_, AppState>) -> Reply<Vec<relman_core::share::audit::OriginReport>> {
    state.read(audit::verify_copies)
}

/// The last check's result; None while the first one (started on open) is still running.
#[tauri::command]
pub fn audit_status(state: State<'_, AppState>) -> Reply<Option<ChainReport>> {
    Ok(state.audit_status.lock().map_err(|_| crate::state::poisoned())?.clone())
}

/// The event that says how far a check of the chain is (every 10,000 events).
pub const PROGRESS_EVENT: &str = "audit-progress";

/// Checks the chain again as the task `audit_check`, with progress, and tells every window the result:
/// every event (on open, and when asked), or with `since_last` only those written since the last
/// check that held (when the Activity view opens).
#[tauri::command]
pub async fn verify_audit<R: Runtime>(app: AppHandle<R>, since_last: Option<bool>) -> Reply<ChainReport> {
    let events = app.clone();
    let whole = !since_last.unwrap_or(false);
    let report = tasks::run(app, Some(TaskKey::AuditCheck), move |state, task| {
        state.verify_audit(whole, &mut |p| task.progress(PROGRESS_EVENT, p))
    })
    .await?;
    let _ = events.emit(VERIFIED_EVENT, &report);
    Ok(report)
}

/// Asks where to save and writes the events `filter` selects with their hashes; None when cancelled.
#[tauri::command]
pub async fn export_audit<R: Runtime>(app: AppHandle<R>, filter: AuditFilter) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.write(|store, stamp| audit::export(store, stamp, &filter))?;
        save_as(&dialog, "Export the audit log", file)
    })
    .await
}
