//! The security checks of a release for the window: its latest dependency scan, a new scan (off the
//! UI's thread: it reads git and the advisory folder), and a finding accepted with a reason; and the
//! advisory folder Settings points at.

use std::path::PathBuf;

use relman_core::security::folder::{self, AdvisoryFolder};
use relman_core::security::osv::AdvisoryDb;
use relman_core::security::record::{self, Acceptance, StoredScan};
use relman_core::security::scan;
use relman_core::{settings, Error};
use tauri::{AppHandle, Runtime, State};

use crate::{tasks, AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// The release's latest dependency scan with what was accepted, and where its range ends now (off
/// the UI's thread: that is a look into git); null before its first.
#[tauri::command]
pub async fn get_security_scan<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<Option<StoredScan>> {
    tasks::blocking(app, move |state| state.read(|store| record::current(store, release_id))).await
}

/// Scans the release's dependencies against the advisory folder set in Settings, keeps the scan as
/// its latest (what its gates read), and returns it.
#[tauri::command]
pub async fn scan_dependencies<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<StoredScan> {
    tasks::blocking(app, move |state| {
        let (job, folder) =
            state.read(|store| Ok((scan::prepare(store, release_id)?, scan::advisory_folder(store, None)?)))?;
        let report = job.run(&AdvisoryDb::load(&folder)?)?;
        state.write(|store, stamp| record::save(store, stamp, &report))?;
        state.read(|store| {
            record::current(store, release_id)?.ok_or_else(|| Error::Io("The scan was not kept; scan again.".into()))
        })
    })
    .await
}

/// Accepts a finding of the release's latest scan with a reason (audited): its gates let it through.
#[tauri::command]
pub fn accept_security_finding(
    state: State<'_, AppState>,
    release_id: i64,
    finding: String,
    reason: String,
) -> Reply<Acceptance> {
    state.write(|store, stamp| record::accept(store, stamp, release_id, &finding, &reason))
}

/// The advisory folder set in Settings, loaded (off the UI's thread: a full database is thousands of
/// files); null when none is set.
#[tauri::command]
pub async fn get_advisory_folder<R: Runtime>(app: AppHandle<R>) -> Reply<Option<AdvisoryFolder>> {
    tasks::blocking(app, |state| {
        let Some(folder) = state.read(settings::advisory_folder)? else { return Ok(None) };
        Ok(Some(AdvisoryFolder::read(&PathBuf::from(folder))?))
    })
    .await
}

/// Points the security checks at a folder, once it loads as an advisory database; null clears it.
#[tauri::command]
pub async fn set_advisory_folder<R: Runtime>(
    app: AppHandle<R>,
    folder: Option<String>,
) -> Reply<Option<AdvisoryFolder>> {
    tasks::blocking(app, move |state| {
        let Some(folder) = folder.map(|f| f.trim().to_string()).filter(|f| !f.is_empty()) else {
            state.write(|store, stamp| settings::set_advisory_folder(store, stamp, None))?;
            return Ok(None);
        };
        let read = AdvisoryFolder::read(&PathBuf::from(&folder))?;
        state.write(|store, stamp| settings::set_advisory_folder(store, stamp, Some(folder.as_ref())))?;
        Ok(Some(read))
    })
    .await
}

/// Pulls the advisory folder's clone up to date (the one security step that needs the network).
#[tauri::command]
pub async fn update_advisories<R: Runtime>(app: AppHandle<R>) -> Reply<AdvisoryFolder> {
    tasks::blocking(app, |state| {
        let folder = state.read(|store| scan::advisory_folder(store, None))?;
        Ok(folder::update(&folder)?)
    })
    .await
}
