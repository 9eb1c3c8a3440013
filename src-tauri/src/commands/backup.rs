//! Backups in the app: Back up now, the snapshots beside the database, Restore…, Open database…, and the daily
//! snapshot taken in the background. Snapshots read the database through their own connection, so a
//! deploy tick is never held up by one.

use std::time::Duration;

use relman_core::store::backup::{self, BackupCheck, Reason, Snapshot};
use tauri::{AppHandle, Manager, Runtime, State};

use super::export::ask_open_path;
use crate::tasks::blocking;
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

fn no_file() -> IpcError {
    relman_core::Error::invalid("This database is not a file (it could not be opened); there is nothing to back up.")
        .into()
}

/// A snapshot now, in the backups folder beside the database, checked once written.
#[tauri::command]
pub async fn back_up_now<R: Runtime>(app: AppHandle<R>) -> Reply<BackupCheck> {
    blocking(app, |state| {
        let db = state.db_path().ok_or_else(no_file)?;
        let taken = backup::snapshot(&db, Reason::Manual, None, state.now())?;
        Ok(backup::check(&taken)?)
    })
    .await
}

#[tauri::command]
pub fn list_backups(state: State<'_, AppState>) -> Reply<Vec<Snapshot>> {
    Ok(backup::list(&state.db_path().ok_or_else(no_file)?)?)
}

/// Asks for a backup file, checks it, and puts it in place of the database (kept first as a
/// snapshot); None when the user cancels.
#[tauri::command]
pub async fn restore_backup<R: Runtime>(app: AppHandle<R>) -> Reply<Option<BackupCheck>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let Some(file) = ask_open_path(&dialog, "Restore a backup of the release database", "Relman database", &["db"])
        else {
            return Ok(None);
        };
        state.restore_from(&file).map(Some)
    })
    .await
}

/// Asks for another release database and opens it in place of this one (remembered for the next
/// start); None when the user cancels. A file that is not a Relman database is refused and the one
/// open stays open.
#[tauri::command]
pub async fn open_database<R: Runtime>(app: AppHandle<R>) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let Some(file) = ask_open_path(&dialog, "Open a release database", "Relman database", &["db"]) else {
            return Ok(None);
        };
        Ok(Some(state.open_other(&file)?.display().to_string()))
    })
    .await
}

/// How long after start the first daily check, and the audit chain's check, wait.
pub const AFTER_START: Duration = Duration::from_secs(2);

/// The daily snapshot: checked soon after start and every hour, taken when the newest is a day old,
/// rotated. The first check waits until start-up is over: copying a large database would compete with
/// the first view for this laptop's cores and disk.
pub fn schedule<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(AFTER_START).await;
        loop {
            let handle = app.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || {
                let state = handle.state::<AppState>();
                if let Some(db) = state.db_path() {
                    if let Err(error) = backup::scheduled(&db, state.now()) {
                        eprintln!("Relman: the daily snapshot failed: {error}");
                    }
                }
            })
            .await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}
