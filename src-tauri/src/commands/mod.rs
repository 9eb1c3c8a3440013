//! IPC commands: each converts its input, calls one relman-core function, and maps the error.

pub mod after;
pub mod audit;
pub mod backup;
pub mod changes;
pub mod checklist;
mod export;
pub mod notes;
pub mod risks;
pub mod security;
pub mod share;
pub mod tags;
pub mod timeline;

use relman_core::demo::{self, DemoSummary};
use relman_core::lifecycle;
use relman_core::milestone::{self, Milestone, MilestoneInput};
use relman_core::overview::{self, ReleaseDetail};
use relman_core::product::{self, Product, ProductInput};
use relman_core::release::{self, Release, ReleaseFilter, ReleaseInput, ReleaseStatus};
use relman_core::settings::{self, Settings, SettingsInput};
use relman_core::store::page::{Page, PageRequest};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::tasks::TaskKey;
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// Where the data lives, for the settings view and error screens.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub db_path: Option<String>,
    /// Why the database could not be opened, if it could not.
    pub open_error: Option<IpcError>,
    /// Who this session records as acting ("Name <email>"), when the database is open.
    pub acting: Option<String>,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: state.db_path().map(|p| p.display().to_string()),
        open_error: state.read(|_| Ok(())).err(),
        acting: state.stamp().ok().map(|s| s.actor),
    }
}

/// Milliseconds since the app started, and when its window first appeared: the first view reports
/// when it is interactive, and the start-up benchmark reads it (docs/BENCHMARKS.md).
#[tauri::command]
pub fn since_start() -> StartTimes {
    StartTimes { now: millis_since_start(), window_shown: crate::WINDOW_SHOWN.get().copied() }
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct StartTimes {
    pub now: u64,
    /// None until the event loop has turned (and in tests, which have none).
    pub window_shown: Option<u64>,
}

pub(crate) fn millis_since_start() -> u64 {
    crate::STARTED.get().map_or(0, |at| at.elapsed().as_millis() as u64)
}

#[tauri::command]
pub fn load_sample_data(state: State<'_, AppState>) -> Reply<DemoSummary> {
    state.write(demo::load)
}

#[tauri::command]
pub fn list_products(state: State<'_, AppState>) -> Reply<Vec<Product>> {
    state.read(product::list)
}

#[tauri::command]
pub fn create_product(state: State<'_, AppState>, input: ProductInput) -> Reply<Product> {
    state.write(|store, stamp| product::create(store, stamp, input))
}

#[tauri::command]
pub fn update_product(state: State<'_, AppState>, id: i64, input: ProductInput) -> Reply<Product> {
    state.write(|store, stamp| product::update(store, stamp, id, input))
}

#[tauri::command]
pub fn delete_product(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.write(|store, stamp| product::delete(store, stamp, id))
}

#[tauri::command]
pub fn list_releases(state: State<'_, AppState>, filter: Option<ReleaseFilter>) -> Reply<Vec<Release>> {
    state.read(|store| release::list(store, &filter.unwrap_or_default()))
}

/// One page of the Releases view: `page.after` is the `next` of the page before.
#[tauri::command]
pub fn page_releases(
    state: State<'_, AppState>,
    filter: Option<ReleaseFilter>,
    page: Option<PageRequest>,
) -> Reply<Page<Release>> {
    state.read(|store| release::page(store, &filter.unwrap_or_default(), &page.unwrap_or_default()))
}

#[tauri::command]
pub fn get_release(state: State<'_, AppState>, id: i64) -> Reply<ReleaseDetail> {
    state.read(|store| overview::detail(store, id))
}

#[tauri::command]
pub fn create_release(state: State<'_, AppState>, input: ReleaseInput) -> Reply<Release> {
    state.write(|store, stamp| release::create(store, stamp, input))
}

#[tauri::command]
pub fn update_release(state: State<'_, AppState>, id: i64, input: ReleaseInput) -> Reply<Release> {
    state.write(|store, stamp| release::update(store, stamp, id, input))
}

/// Moves a release; `override_reason` overrides failing gates (audited with what it overrode). The
/// checklist's checks run first, so the gates count what git proves.
#[tauri::command]
pub async fn transition_release<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    id: i64,
    to: ReleaseStatus,
    note: Option<String>,
    override_reason: Option<String>,
) -> Reply<Release> {
    let note = note.unwrap_or_default();
    crate::tasks::blocking(app, move |state| {
        checklist::refresh_evidence(state, id)?;
        state.write(|store, stamp| lifecycle::transition_with(store, stamp, id, to, &note, override_reason.as_deref()))
    })
    .await
}

/// Asks for a folder with the OS dialog (a product's local clone); None when cancelled.
#[tauri::command]
pub async fn pick_folder<R: tauri::Runtime>(app: tauri::AppHandle<R>, title: String) -> Reply<Option<String>> {
    let dialog = app.clone();
    crate::tasks::blocking(app, move |_| Ok(export::ask_folder(&dialog, &title).map(|p| p.display().to_string()))).await
}

/// Deletes a release; one with deployments only with `withDeployRecords` (they go too).
#[tauri::command]
pub fn delete_release(state: State<'_, AppState>, id: i64, with_deploy_records: Option<bool>) -> Reply<()> {
    state.write(|store, stamp| release::delete(store, stamp, id, with_deploy_records.unwrap_or(false)))
}

#[tauri::command]
pub fn create_milestone(state: State<'_, AppState>, release_id: i64, input: MilestoneInput) -> Reply<Milestone> {
    state.write(|store, stamp| milestone::create(store, stamp, release_id, input))
}

#[tauri::command]
pub fn update_milestone(state: State<'_, AppState>, id: i64, input: MilestoneInput) -> Reply<Milestone> {
    state.write(|store, stamp| milestone::update(store, stamp, id, input))
}

#[tauri::command]
pub fn delete_milestone(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.write(|store, stamp| milestone::delete(store, stamp, id))
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Reply<Settings> {
    state.read(|store| settings::get(store, state.os_user()))
}

#[tauri::command]
pub fn update_settings(state: State<'_, AppState>, input: SettingsInput) -> Reply<Settings> {
    let os_user = state.os_user().to_string();
    state.write(|store, stamp| settings::update(store, stamp, input, &os_user))
}

/// Stops a background job by its key: a notes walk, a tag push, risk suggestions, the audit check.
/// Stopping one that already ended does nothing.
#[tauri::command]
pub fn cancel_task(state: State<'_, AppState>, key: TaskKey) {
    state.tasks.cancel(key)
}
