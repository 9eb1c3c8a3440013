//! After the release: incidents (record, list, move, hotfix), the delivery metrics, and the
//! retrospective (its words, action items, feedback, export). Each command
//! calls one core function; the metrics read git on the blocking pool after the database lock is let go.

use relman_core::incident::{self, Incident, IncidentInput, IncidentStatus, Suspect};
use relman_core::metrics::{self, Metrics, Series};
use relman_core::release::Release;
use relman_core::report::status::Format as ReportFormat;
use relman_core::retro::{self, ActionInput, Feedback, FeedbackInput, Promotion, RetroAction, Retrospective};
use tauri::{AppHandle, Runtime, State};

use super::export::save_as;
use crate::tasks::blocking;
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub fn list_incidents(
    state: State<'_, AppState>,
    product_id: Option<i64>,
    release_id: Option<i64>,
) -> Reply<Vec<Incident>> {
    state.read(|store| incident::list(store, product_id, release_id))
}

#[tauri::command]
pub fn create_incident(state: State<'_, AppState>, input: IncidentInput) -> Reply<Incident> {
    state.write(|store, stamp| incident::create(store, stamp, input))
}

/// Marks an incident mitigated or resolved at `at` (now when None), or open again.
#[tauri::command]
pub fn set_incident_status(
    state: State<'_, AppState>,
    id: i64,
    status: IncidentStatus,
    at: Option<String>,
) -> Reply<Incident> {
    state.write(|store, stamp| incident::set_status(store, stamp, id, status, at.as_deref()))
}

/// Opens the hotfix release of an incident's release, marked as rework.
#[tauri::command]
pub fn create_hotfix(state: State<'_, AppState>, id: i64) -> Reply<(Incident, Release)> {
    state.write(|store, stamp| incident::hotfix(store, stamp, id))
}

/// The incident's release's commits to suspect (those a later commit names as root cause first).
#[tauri::command]
pub async fn get_incident_suspects<R: Runtime>(app: AppHandle<R>, id: i64) -> Reply<Vec<Suspect>> {
    blocking(app, move |state| state.read(|store| incident::suspects(store, id))?.run().map_err(IpcError::from)).await
}

#[tauri::command]
pub fn set_incident_suspects(state: State<'_, AppState>, id: i64, shas: Vec<String>) -> Reply<Incident> {
    state.write(|store, stamp| incident::set_suspects(store, stamp, id, &shas))
}

/// The five delivery metrics over `from..=to` (YYYY-MM-DD; the last 90 days when None).
#[tauri::command]
pub async fn get_metrics<R: Runtime>(
    app: AppHandle<R>,
    product_id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
) -> Reply<Metrics> {
    blocking(app, move |state| {
        let today = state.today();
        let job =
            state.read(|store| metrics::prepare_period(store, product_id, from.as_deref(), to.as_deref(), today))?;
        job.run().map_err(IpcError::from)
    })
    .await
}

/// The metrics week by week over `from..=to` (each point the four weeks ending that week).
#[tauri::command]
pub async fn get_metrics_series<R: Runtime>(
    app: AppHandle<R>,
    product_id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
) -> Reply<Series> {
    blocking(app, move |state| {
        let today = state.today();
        let job =
            state.read(|store| metrics::prepare_series(store, product_id, from.as_deref(), to.as_deref(), today))?;
        job.run_series().map_err(IpcError::from)
    })
    .await
}

/// The stakeholder status report as Markdown or HTML, for one product or all.
#[tauri::command]
pub fn get_status_report(state: State<'_, AppState>, product_id: Option<i64>, format: ReportFormat) -> Reply<String> {
    let now = state.now();
    let today = state.today();
    state.read(|store| relman_core::report::status(store, product_id, today, now)?.render(format))
}

/// Exports a release's dossier (JSON to verify, HTML to read and print) where the user says; None
/// when they cancel. It reads the release's range from git, so it runs off the interface's thread.
#[tauri::command]
pub async fn export_dossier<R: Runtime>(
    app: AppHandle<R>,
    release_id: i64,
    format: relman_core::dossier::DossierFormat,
) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let stamp = state.stamp()?;
        let file = state.read(|store| relman_core::dossier::export(store, &stamp, release_id, format))?;
        save_as(&dialog, "Export the release dossier", file)
    })
    .await
}

#[tauri::command]
pub fn get_retro(state: State<'_, AppState>, release_id: i64) -> Reply<Retrospective> {
    state.read(|store| retro::get(store, release_id))
}

#[tauri::command]
pub fn write_retro(
    state: State<'_, AppState>,
    release_id: i64,
    went_well: String,
    went_badly: String,
) -> Reply<Retrospective> {
    state.write(|store, stamp| retro::write(store, stamp, release_id, &went_well, &went_badly))
}

#[tauri::command]
pub fn add_retro_action(state: State<'_, AppState>, release_id: i64, input: ActionInput) -> Reply<RetroAction> {
    state.write(|store, stamp| retro::add_action(store, stamp, release_id, input))
}

#[tauri::command]
pub fn set_retro_action_done(state: State<'_, AppState>, id: i64, done: bool) -> Reply<RetroAction> {
    state.write(|store, stamp| retro::set_done(store, stamp, id, done))
}

/// Makes an action item a risk on the product's next release, or a step of a saved template.
#[tauri::command]
pub fn promote_retro_action(state: State<'_, AppState>, id: i64, to: Promotion) -> Reply<RetroAction> {
    state.write(|store, stamp| retro::promote(store, stamp, id, to))
}

#[tauri::command]
pub fn add_feedback(state: State<'_, AppState>, release_id: i64, input: FeedbackInput) -> Reply<Feedback> {
    state.write(|store, stamp| retro::add_feedback(store, stamp, release_id, input))
}

/// Asks where to save the retrospective as Markdown and writes it; None when cancelled.
#[tauri::command]
pub async fn export_retro<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.read(|store| retro::export(store, release_id))?;
        save_as(&dialog, "Export the retrospective", file)
    })
    .await
}
