//! The security checks of a release for the window: its latest dependency scan, a new scan (off the
//! UI's thread: it reads git and the advisory folder), and a finding accepted with a reason.

use relman_core::security::osv::AdvisoryDb;
use relman_core::security::record::{self, Acceptance, StoredScan};
use relman_core::security::scan;
use relman_core::Error;
use tauri::{AppHandle, Runtime, State};

use crate::{tasks, AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// The release's latest dependency scan with what was accepted; null before its first.
#[tauri::command]
pub fn get_security_scan(state: State<'_, AppState>, release_id: i64) -> Reply<Option<StoredScan>> {
    state.read(|store| record::latest(store, release_id))
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
            record::latest(store, release_id)?.ok_or_else(|| Error::Io("The scan was not kept; scan again.".into()))
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
