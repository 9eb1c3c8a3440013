//! The Notes view's commands. Walking a large range takes a while, so these run on a blocking
//! thread, never on the UI's.

use relman_core::git::RangeOptions;
use relman_core::notes::{self, EntryOverride, Format, ManualNotes, NotesParts, ReleaseNotes};
use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime};
use ts_rs::TS;

use crate::{AppState, IpcError};

/// The range the user typed in the Notes view; empty means the release's own.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct RangeInput {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

impl From<RangeInput> for RangeOptions {
    fn from(input: RangeInput) -> Self {
        RangeOptions { from: input.from, to: input.to, ..Default::default() }
    }
}

/// Runs `f` with the app state on a blocking thread.
async fn blocking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    f: impl FnOnce(&AppState) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>())).await.map_err(|e| IpcError {
        code: relman_core::ErrorCode::Storage,
        message: format!("The notes could not be generated: {e}. Try again."),
        field: None,
    })?
}

#[tauri::command]
pub async fn get_release_notes<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    range: Option<RangeInput>,
) -> Result<ReleaseNotes, IpcError> {
    blocking(app, move |state| state.read(|store| notes::for_release(store, id, range.unwrap_or_default().into())))
        .await
}

/// The notes as text in a format, for the clipboard.
#[tauri::command]
pub async fn render_release_notes<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    format: String,
    range: Option<RangeInput>,
) -> Result<String, IpcError> {
    blocking(app, move |state| {
        state.read(|store| notes::render_release(store, id, Format::parse(&format)?, range.unwrap_or_default().into()))
    })
    .await
}

/// Writes the notes to `path` (chosen in the OS save dialog).
#[tauri::command]
pub async fn export_release_notes<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    format: String,
    path: String,
    range: Option<RangeInput>,
) -> Result<(), IpcError> {
    blocking(app, move |state| {
        state.read(|store| {
            let text = notes::render_release(store, id, Format::parse(&format)?, range.unwrap_or_default().into())?;
            std::fs::write(&path, text)
                .map_err(|e| relman_core::Error::Io(format!("Cannot write {path}: {e}. Choose another place to save.")))
        })
    })
    .await
}

#[tauri::command]
pub fn save_notes_parts(
    state: tauri::State<'_, AppState>,
    id: i64,
    parts: NotesParts,
) -> Result<ManualNotes, IpcError> {
    state.write(|store, stamp| notes::save_parts(store, stamp, id, parts))
}

#[tauri::command]
pub fn set_notes_override(
    state: tauri::State<'_, AppState>,
    id: i64,
    change: EntryOverride,
) -> Result<ManualNotes, IpcError> {
    state.write(|store, stamp| notes::set_override(store, stamp, id, change))
}
