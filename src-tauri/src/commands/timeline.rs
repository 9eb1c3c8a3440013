//! The timeline's commands: the whole view in one call, freeze windows, and the calendar export.

use relman_core::freeze::{self, FreezeWindow, FreezeWindowInput};
use relman_core::timeline::{self, Timeline, TimelineFilter};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

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
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let chosen = handle
            .dialog()
            .file()
            .set_title("Export milestones and freeze windows")
            .set_file_name("relman-releases.ics")
            .add_filter("iCalendar", &["ics"])
            .blocking_save_file();
        let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
        let state = handle.state::<AppState>();
        let text = state.write(|store, stamp| relman_core::ics::calendar(store, stamp, product_id))?;
        std::fs::write(&path, text).map_err(|e| {
            IpcError::from(relman_core::Error::Io(format!(
                "Cannot write {}: {e}. Choose another place to save.",
                path.display()
            )))
        })?;
        Ok(Some(path.display().to_string()))
    })
    .await
    .map_err(|e| IpcError {
        code: relman_core::ErrorCode::Storage,
        message: format!("The export failed: {e}."),
        field: None,
    })?
}
