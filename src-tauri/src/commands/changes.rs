//! Change requests: list, show, create, draft from the release, write a plan, submit, approve or
//! reject by role, move, export. Each command calls one core function.

use relman_core::change::{self, ChangeInput, ChangePolicy, ChangeRequest, ExportFormat, MoveInput, Plan};
use relman_core::drafting::{self, Drafted};
use tauri::{AppHandle, Runtime, State};

use super::export::save_as;
use crate::tasks::blocking;
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub fn list_changes(
    state: State<'_, AppState>,
    product_id: Option<i64>,
    release_id: Option<i64>,
) -> Reply<Vec<ChangeRequest>> {
    state.read(|store| change::list(store, product_id, release_id))
}

#[tauri::command]
pub fn get_change(state: State<'_, AppState>, id: i64) -> Reply<ChangeRequest> {
    state.read(|store| change::get(store, id))
}

#[tauri::command]
pub fn create_change(state: State<'_, AppState>, input: ChangeInput) -> Reply<ChangeRequest> {
    state.write(|store, stamp| change::create(store, stamp, input))
}

/// Edits the record (title, description, justification, window, services) until it is scheduled.
#[tauri::command]
pub fn update_change(state: State<'_, AppState>, id: i64, input: ChangeInput) -> Reply<ChangeRequest> {
    state.write(|store, stamp| change::update(store, stamp, id, input))
}

/// Fills the plans from the release; says which plans were kept because they were edited.
#[tauri::command]
pub fn draft_change(state: State<'_, AppState>, id: i64) -> Reply<Drafted> {
    state.write(|store, stamp| drafting::draft(store, stamp, id))
}

#[tauri::command]
pub fn get_change_policy(state: State<'_, AppState>, product_id: i64) -> Reply<ChangePolicy> {
    state.read(|store| change::policy::get(store, product_id))
}

#[tauri::command]
pub fn set_change_policy(state: State<'_, AppState>, product_id: i64, policy: ChangePolicy) -> Reply<ChangePolicy> {
    state.write(|store, stamp| change::policy::set(store, stamp, product_id, policy))
}

#[tauri::command]
pub fn write_change_plan(state: State<'_, AppState>, id: i64, plan: Plan, text: String) -> Reply<ChangeRequest> {
    state.write(|store, stamp| change::write_plan(store, stamp, id, plan, &text))
}

#[tauri::command]
pub fn submit_change(state: State<'_, AppState>, id: i64) -> Reply<ChangeRequest> {
    state.write(|store, stamp| change::submit(store, stamp, id))
}

/// Approves (or rejects, with a comment) for a role, as the person acting: never the requester.
#[tauri::command]
pub fn decide_change(
    state: State<'_, AppState>,
    id: i64,
    role: String,
    approve: bool,
    comment: String,
) -> Reply<ChangeRequest> {
    state.write(|store, stamp| change::decide(store, stamp, id, &role, approve, &comment))
}

#[tauri::command]
pub fn move_change(state: State<'_, AppState>, id: i64, input: MoveInput) -> Reply<ChangeRequest> {
    state.write(|store, stamp| change::move_to(store, stamp, id, input))
}

/// Asks where to save the change record (Markdown or JSON, or its window as iCalendar) and writes it; None when cancelled.
#[tauri::command]
pub async fn export_change<R: Runtime>(app: AppHandle<R>, id: i64, format: ExportFormat) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.read(|store| change::export(store, id, format))?;
        save_as(&dialog, "Export the change record", file)
    })
    .await
}
