//! What every export and import command shares: the OS save dialog opened from Rust (so the webview
//! never names a path), and one way to write the file and say what to do when that fails. The commands
//! run these on the blocking pool (`crate::tasks`): the dialogs block until the person answers.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use relman_core::export::ExportFile;

use crate::IpcError;

/// Asks where to save; None when the user cancels. Call it from a blocking thread.
pub fn ask_save_path<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    file_name: &str,
    kind: &str,
    extension: &str,
) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(kind, &[extension])
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks for a folder (a repository's clone); None when the user cancels. Call it from a blocking thread.
pub fn ask_folder<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<PathBuf> {
    app.dialog().file().set_title(title).blocking_pick_folder().and_then(|p| p.into_path().ok())
}

/// Asks which file to open; None when the user cancels. With `RELMAN_OPEN_FILE` set, that file is
/// the answer without asking (scripted use, and the end-to-end tests, which cannot answer a native
/// dialog). Call it from a blocking thread.
pub fn ask_open_path<R: Runtime>(app: &AppHandle<R>, title: &str, kind: &str, extensions: &[&str]) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("RELMAN_OPEN_FILE").filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(file));
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(kind, extensions)
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks where to save `file` (its name and kind proposed) and writes it; None when the user cancels.
/// With `RELMAN_EXPORT_DIR` set, exports go to that folder under their proposed name without asking
/// (scripted use, and the end-to-end tests, which cannot answer a native dialog). Call it from a
/// blocking thread.
pub fn save_as<R: Runtime>(app: &AppHandle<R>, title: &str, file: ExportFile) -> Result<Option<String>, IpcError> {
    let chosen = match std::env::var_os("RELMAN_EXPORT_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join(&file.file_name)),
        None => ask_save_path(app, title, &file.file_name, &file.kind, &file.extension),
    };
    let Some(path) = chosen else {
        return Ok(None);
    };
    write_file(&path, &file.text)?;
    Ok(Some(path.display().to_string()))
}

pub fn write_file(path: &Path, text: &str) -> relman_core::Result<()> {
    std::fs::write(path, text).map_err(|e| {
        relman_core::Error::Io(format!("Cannot write {}: {e}. Choose another place to save.", path.display()))
    })
}
