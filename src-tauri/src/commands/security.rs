//! The security checks of a release for the window: its latest dependency scan, a new scan (off the
//! UI's thread: it reads git and the advisory folder), and a finding accepted with a reason; and the
//! advisory folder Settings points at.

use std::path::PathBuf;

use relman_core::security::folder::{self, AdvisoryFolder};
use relman_core::security::leaks::{self, record::Dismissal, record::StoredLeakScan};
use relman_core::security::osv::AdvisoryDb;
use relman_core::security::record::{self, Acceptance, StoredScan};
use relman_core::security::scan;
use relman_core::security::signing::{self, ReleaseSignatures};
use relman_core::security::{self, sbom, SecurityView};
use relman_core::{settings, Error};
use tauri::{AppHandle, Runtime, State};

use crate::{tasks, AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// The release's latest dependency and secrets scans with what was accepted or marked, and where its
/// range ends now (off the UI's thread: that is a look into git).
#[tauri::command]
pub async fn get_security<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<SecurityView> {
    tasks::blocking(app, move |state| state.read(|store| security::view(store, release_id))).await
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

/// Scans the lines the release's commits add for committed secrets (off the UI's thread), keeps the
/// scan as its latest, and returns it with the findings already marked as false positives.
#[tauri::command]
pub async fn scan_secrets<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<StoredLeakScan> {
    tasks::blocking(app, move |state| {
        let job = state.read(|store| leaks::prepare(store, release_id))?;
        let report = job.run()?;
        state.write(|store, stamp| leaks::record::save(store, stamp, &report))?;
        state.read(|store| {
            leaks::record::latest(store, release_id)?
                .ok_or_else(|| Error::Io("The scan was not kept; scan again.".into()))
        })
    })
    .await
}

/// Marks a secrets finding of the release's latest scan as a false positive, with a reason (audited).
#[tauri::command]
pub fn dismiss_secret_finding(
    state: State<'_, AppState>,
    release_id: i64,
    finding: String,
    reason: String,
) -> Reply<Dismissal> {
    state.write(|store, stamp| leaks::record::dismiss(store, stamp, release_id, &finding, &reason))
}

/// The signatures of the release's tag and of the previous release's tag, read from its clone.
#[tauri::command]
pub async fn get_tag_signatures<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<ReleaseSignatures> {
    tasks::blocking(app, move |state| Ok(state.read(|store| signing::prepare(store, release_id))?.run()?)).await
}

/// Writes the release's CycloneDX SBOM where the user chooses; null when cancelled.
#[tauri::command]
pub async fn export_sbom<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<Option<String>> {
    let dialog = app.clone();
    tasks::blocking(app, move |state| {
        let stamp = state.stamp()?;
        let file = state.read(|store| sbom::export(store, &stamp, release_id))?;
        crate::commands::export::save_as(&dialog, "Export the release's SBOM", file)
    })
    .await
}

/// The signing key set for this machine, if any.
#[tauri::command]
pub fn get_signing_key(state: State<'_, AppState>) -> Reply<Option<String>> {
    state.read(settings::signing_key)
}

/// Sets the key release tags are signed with (an existing file, or `gpg:KEY`; a passphrase is never
/// kept), or clears it with null.
#[tauri::command]
pub fn set_signing_key(state: State<'_, AppState>, key: Option<String>) -> Reply<Option<String>> {
    let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
    state.write(|store, stamp| {
        signing::use_signing_key(store, stamp, key.as_deref())?;
        settings::signing_key(store)
    })
}
