//! The Notes view's commands. Walking a large range takes a while, so these run on a blocking
//! thread, never on the UI's, report `notes-progress` events, can be cancelled (`cancel_notes`), and
//! reuse what the app's range cache already read.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use relman_core::git::{RangeOptions, WalkControl, WalkProgress};
use relman_core::notes::{self, EntryOverride, Format, ManualNotes, NotesParts, ReleaseNotes};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::export::{blocking, save_as};
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

/// A walk the view follows and can stop, by the id the view chose for it. Registered first thing, and
/// a cancel that arrives before it (the view cancels as soon as it supersedes a walk) is kept, so it
/// is never lost; forgotten when the walk ends.
struct Registered<'a> {
    state: &'a AppState,
    walk: Option<u64>,
    cancel: Arc<AtomicBool>,
}

impl<'a> Registered<'a> {
    fn new(state: &'a AppState, walk: Option<u64>) -> Self {
        let cancel = match (walk, state.notes_walks.lock()) {
            (Some(walk), Ok(mut walks)) => walks.entry(walk).or_default().clone(),
            _ => Arc::default(),
        };
        Registered { state, walk, cancel }
    }
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        if let (Some(walk), Ok(mut walks)) = (self.walk, self.state.notes_walks.lock()) {
            walks.remove(&walk);
        }
    }
}

/// Runs `work` with the walk's cancel flag, progress events and the app's range cache.
fn walking<R: Runtime, T>(
    app: &AppHandle<R>,
    state: &AppState,
    release_id: i64,
    walk: Option<u64>,
    work: impl FnOnce(WalkControl<'_>) -> relman_core::Result<T>,
) -> relman_core::Result<T> {
    let registered = Registered::new(state, walk);
    let report = |p: WalkProgress| {
        let _ = app.emit("notes-progress", NotesProgress { release_id, walk, walked: p.walked });
    };
    let control = WalkControl { cache: Some(&state.ranges), progress: Some(&report), cancel: Some(&registered.cancel) };
    work(control)
}

/// Stops the view's walk `walk`: now if it runs, at its start if it has not started yet.
#[tauri::command]
pub fn cancel_notes(state: State<'_, AppState>, walk: u64) {
    if let Ok(mut walks) = state.notes_walks.lock() {
        // Cancels of walks that already ended would otherwise pile up.
        if walks.len() > 256 {
            walks.retain(|_, flag| !flag.load(Ordering::Relaxed));
        }
        walks.entry(walk).or_default().store(true, Ordering::Relaxed);
    }
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
    let events = app.clone();
    blocking(app, move |state| {
        let job = state.read(|store| notes::prepare(store, id, range.unwrap_or_default().into(), None))?;
        Ok(walking(&events, state, id, walk, |control| job.run_with(control))?)
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
    let events = app.clone();
    blocking(app, move |state| {
        let job = state.read(|store| notes::prepare(store, id, range.unwrap_or_default().into(), Some(format)))?;
        Ok(walking(&events, state, id, None, |control| job.render_with(format, None, control))?)
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
    blocking(app, move |state| {
        let job = state.read(|store| notes::prepare(store, id, range.unwrap_or_default().into(), Some(format)))?;
        let file = walking(&dialog, state, id, None, |control| job.export(format, control))?;
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
