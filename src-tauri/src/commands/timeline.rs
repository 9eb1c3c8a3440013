//! The timeline's commands: the whole view in one call, freeze windows, and the calendar export.

use relman_core::freeze::{self, FreezeWindow, FreezeWindowInput};
use relman_core::overview::timeline::{self, Timeline, TimelineFilter};
use tauri::{AppHandle, Runtime, State};

use super::export::save_as;
use crate::tasks::blocking;

use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub fn get_timeline(state: State<'_, AppState>, filter: Option<TimelineFilter>) -> Reply<Timeline> {
    let today = state.today();
    state.read(|store| timeline::timeline(store, &filter.unwrap_or_default(), today))
}

#[tauri::command]
pub fn list_freeze_windows(state: State<'_, AppState>) -> Reply<Vec<FreezeWindow>> {
    state.read(freeze::list)
}

#[tauri::command]
pub fn create_freeze_window(state: State<'_, AppState>, input: FreezeWindowInput) -> Reply<FreezeWindow> {
    state.write(|store, stamp| freeze::create(store, stamp, input))
}

#[tauri::command]
pub fn update_freeze_window(state: State<'_, AppState>, id: i64, input: FreezeWindowInput) -> Reply<FreezeWindow> {
    state.write(|store, stamp| freeze::update(store, stamp, id, input))
}

#[tauri::command]
pub fn delete_freeze_window(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.write(|store, stamp| freeze::delete(store, stamp, id))
}

/// Asks where to save (the OS dialog, opened here) and writes the iCalendar file; None when cancelled.
#[tauri::command]
pub async fn export_calendar<R: Runtime>(app: AppHandle<R>, product_id: Option<i64>) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.write(|store, stamp| relman_core::ics::export(store, stamp, product_id))?;
        save_as(&dialog, "Export milestones and freeze windows", file)
    })
    .await
}
