//! The Activity view's commands: pages of the audit log, the chain's check, and the export.

use relman_core::audit::{self, AuditFilter, AuditPage, ChainReport};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::export::{blocking, save_as};
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// The event the app emits when a check of the chain finishes (the one on open, too).
pub const VERIFIED_EVENT: &str = "audit-verified";

#[tauri::command]
pub fn list_audit(state: State<'_, AppState>, filter: AuditFilter) -> Reply<AuditPage> {
    state.read(|store| audit::page(store, &filter))
}

/// The last check's result; None while the first one (started on open) is still running.
#[tauri::command]
pub fn audit_status(state: State<'_, AppState>) -> Reply<Option<ChainReport>> {
    Ok(state.audit_status.lock().map_err(|_| crate::state::poisoned())?.clone())
}

/// Checks the chain again, off the UI's thread, and tells every window.
#[tauri::command]
pub async fn verify_audit<R: Runtime>(app: AppHandle<R>) -> Reply<ChainReport> {
    let events = app.clone();
    let report = blocking(app, |state| state.verify_audit()).await?;
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
