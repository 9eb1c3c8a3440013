//! The Notes view's commands. Walking a large range takes a while, so these run as tasks
//! (`crate::tasks`), never on the UI's thread, report `notes-progress` events, can be cancelled
//! (`cancel_task` with the walk's key), and reuse what the app's range cache already read.

use relman_core::git::{RangeOptions, WalkControl, WalkProgress};
use relman_core::notes::{self, EntryOverride, Format, ManualNotes, NotesParts, ReleaseNotes};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};

use super::export::save_as;
use crate::tasks::{self, TaskKey};
use ts_rs::TS;

use crate::{AppState, IpcError};

/// The range the user typed in the Notes view; empty means the release's own.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct RangeInput {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// List the changes that already shipped on `from`'s branch, marked.
    #[serde(default)]
    pub show_shipped: bool,
}

impl From<RangeInput> for RangeOptions {
    fn from(input: RangeInput) -> Self {
        RangeOptions { from: input.from, to: input.to, show_shipped: input.show_shipped, ..Default::default() }
    }
}

/// How far the notes' walk has got, as the `notes-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NotesProgress {
    pub release_id: i64,
    /// The id the view gave the walk (None for copy and export).
    pub walk: Option<u64>,
    pub walked: u64,
}

/// Runs `work` as a task with its cancel flag, `notes-progress` events and the app's range cache; a
/// walk the view follows (`walk`) is registered under its id, so the view can stop exactly that one.
async fn walking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    release_id: i64,
    walk: Option<u64>,
    work: impl FnOnce(&AppState, WalkControl<'_>) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tasks::run(app, walk.map(|walk| TaskKey::Notes { walk }), move |state, task| {
        let payload = |p: WalkProgress| NotesProgress { release_id, walk, walked: p.walked };
        task.walk(state, "notes-progress", payload, |control| work(state, control))
    })
    .await
}

// Each gathers what it needs under the database lock (notes::prepare), then walks the repository
// after releasing it, so other commands never wait for a walk.

#[tauri::command]
pub async fn get_release_notes<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    range: Option<RangeInput>,
    walk: Option<u64>,
) -> Result<ReleaseNotes, IpcError> {
    walking(app, id, walk, move |state, control| {
        let job = state.read(|store| notes::prepare(store, id, range.unwrap_or_default().into(), None))?;
        Ok(job.run_with(control)?)
    })
    .await
}

/// The notes as text in a format, for the clipboard.
#[tauri::command]
pub async fn render_release_notes<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    format: Format,
    range: Option<RangeInput>,
) -> Result<String, IpcError> {
    walking(app, id, None, move |state, control| {
        let job = state.read(|store| notes::prepare(store, id, range.unwrap_or_default().into(), Some(format)))?;
        Ok(job.render_with(format, None, control)?)
    })
    .await
}

/// Renders the notes, asks where to save them in the OS dialog (opened here, so the path never comes
/// from the webview) and writes them. Returns the path, or None when the user cancelled.
#[tauri::command]
pub async fn export_release_notes<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    format: Format,
    range: Option<RangeInput>,
) -> Result<Option<String>, IpcError> {
    let dialog = app.clone();
    walking(app, id, None, move |state, control| {
        let job = state.read(|store| notes::prepare(store, id, range.unwrap_or_default().into(), Some(format)))?;
        let file = job.export(format, control)?;
        save_as(&dialog, "Export release notes", file)
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

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use relman_core::{demo, release, store::Store, Stamp};

    use super::super::export::write_file;
    use super::*;

    #[test]
    fn the_export_is_named_after_the_release_and_a_failed_write_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("relman.db")).unwrap();
        let stamp = Stamp::new("priya", Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap());
        demo::load(&mut store, &stamp).unwrap();
        let id = release::find_by_version(&store, "Atlas Web", "2.5.0").unwrap().id;
        let job = notes::prepare(&store, id, RangeOptions::default(), Some(Format::Markdown)).unwrap();
        let file = job.export(Format::Markdown, WalkControl::default()).unwrap();
        assert_eq!((file.file_name.as_str(), file.kind.as_str()), ("atlas-web-2.5.0-notes.md", "Markdown"));
        assert!(file.text.starts_with("## [2.5.0]"));

        let nowhere = dir.path().join("missing-folder").join("notes.md");
        let error = write_file(&nowhere, &file.text).unwrap_err();
        assert!(error.to_string().contains("Choose another place to save"), "{error}");
    }
}
