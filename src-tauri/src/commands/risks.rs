//! The Risks view's commands: the register, its settings, CSV and Markdown export, CSV import (pick
//! and preview, then confirm), and the suggestions from a release's git range.

use relman_core::git::WalkProgress;
use relman_core::risk::exchange::{self, ImportPlan, ImportSummary};
use relman_core::risk::{self, settings, suggested, ReleaseSuggestions, Risk, RiskChange, RiskFilter, RiskInput};
use relman_core::risk::{RiskOrder, RiskPatch, RiskSettings, RiskSummary, SuggestionKind};
use relman_core::store::page::{Page, PageRequest};
use relman_core::Error;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use super::export::{ask_open_path, save_as};
use crate::state::PendingImport;
use crate::tasks::{self, blocking, TaskKey};
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub fn list_risks(state: State<'_, AppState>, filter: Option<RiskFilter>) -> Reply<Vec<Risk>> {
    state.read(|store| risk::list(store, &filter.unwrap_or_default()))
}

/// One page of the register in the table's order.
#[tauri::command]
pub fn page_risks(
    state: State<'_, AppState>,
    filter: Option<RiskFilter>,
    order: Option<RiskOrder>,
    page: Option<PageRequest>,
) -> Reply<Page<Risk>> {
    state.read(|store| {
        risk::page(store, &filter.unwrap_or_default(), order.unwrap_or_default(), &page.unwrap_or_default())
    })
}

/// The counts beside the register (heat map, live, blocking a gate, overdue, owners), for the filter
/// without its heat-map cell; the gate threshold is the filter's product's.
#[tauri::command]
pub fn risk_summary(state: State<'_, AppState>, filter: Option<RiskFilter>) -> Reply<RiskSummary> {
    let today = relman_core::dates::format(state.today());
    state.read(|store| {
        let filter = filter.unwrap_or_default();
        let threshold = match filter.product_id {
            Some(product) => settings::get(store, product)?.threshold,
            None => risk::DEFAULT_THRESHOLD,
        };
        risk::summary(store, &filter, threshold, &today)
    })
}

#[tauri::command]
pub fn create_risk(state: State<'_, AppState>, input: RiskInput) -> Reply<Risk> {
    state.write(|store, stamp| risk::create(store, stamp, input))
}

#[tauri::command]
pub fn update_risk(state: State<'_, AppState>, id: i64, input: RiskInput) -> Reply<Risk> {
    state.write(|store, stamp| risk::update(store, stamp, id, input))
}

#[tauri::command]
pub fn patch_risk(state: State<'_, AppState>, id: i64, patch: RiskPatch) -> Reply<Risk> {
    state.write(|store, stamp| risk::patch(store, stamp, id, patch))
}

#[tauri::command]
pub fn delete_risk(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.write(|store, stamp| risk::delete(store, stamp, id))
}

#[tauri::command]
pub fn risk_history(state: State<'_, AppState>, id: i64) -> Reply<Vec<RiskChange>> {
    state.read(|store| risk::history(store, id))
}

#[tauri::command]
pub fn get_risk_settings(state: State<'_, AppState>, product_id: i64) -> Reply<RiskSettings> {
    state.read(|store| settings::get(store, product_id))
}

#[tauri::command]
pub fn save_risk_settings(state: State<'_, AppState>, product_id: i64, input: RiskSettings) -> Reply<RiskSettings> {
    state.write(|store, stamp| settings::set(store, stamp, product_id, input))
}

/// Asks where to save and writes the product's register (or one release's) as CSV or Markdown;
/// None when cancelled.
#[tauri::command]
pub async fn export_risks<R: Runtime>(
    app: AppHandle<R>,
    filter: RiskFilter,
    format: risk::ExportFormat,
) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.read(|store| risk::export(store, &filter, format, state.today()))?;
        save_as(&dialog, "Export the risk register", file)
    })
    .await
}

/// The plan of a picked CSV file, for the preview.
#[derive(Debug, Serialize, TS)]
pub struct ImportPreview {
    pub file_name: String,
    pub plan: ImportPlan,
}

/// Asks for a CSV file and previews its import into the product; None when cancelled. Nothing is
/// written until [`confirm_risk_import`].
#[tauri::command]
pub async fn pick_risk_import<R: Runtime>(app: AppHandle<R>, product_id: i64) -> Reply<Option<ImportPreview>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let Some(path) = ask_open_path(&dialog, "Import risks from a CSV file", "CSV", &["csv", "txt"]) else {
            return Ok(None);
        };
        let planned = state.read(|store| exchange::plan_file(store, product_id, &path))?;
        Ok(Some(keep_for_import(state, product_id, planned)?))
    })
    .await
}

/// Keeps the planned text until the user confirms (the webview never holds it), and returns the preview.
fn keep_for_import(state: &AppState, product_id: i64, planned: exchange::FilePlan) -> Reply<ImportPreview> {
    let exchange::FilePlan { file_name, text, plan } = planned;
    state.set_pending_import(Some(PendingImport { product_id, file_name: file_name.clone(), text }))?;
    Ok(ImportPreview { file_name, plan })
}

/// Imports the previewed file: every row or none.
#[tauri::command]
pub fn confirm_risk_import(state: State<'_, AppState>) -> Reply<ImportSummary> {
    // Kept until the import succeeds, so a failed one can be retried without picking the file again.
    let pending = state
        .pending_import()?
        .ok_or_else(|| Error::invalid("There is no previewed import; pick the CSV file again."))?;
    let summary = state.write(|store, stamp| exchange::import(store, stamp, pending.product_id, &pending.text))?;
    state.set_pending_import(None)?;
    Ok(summary)
}

#[tauri::command]
pub fn cancel_risk_import(state: State<'_, AppState>) -> Reply<()> {
    state.set_pending_import(None)
}

/// The risks the release's range suggests, as the task `suggestions` of the release: the walk runs
/// after the database lock is released, reports `suggestions-progress`, and `cancel_task` stops it.
#[tauri::command]
pub async fn get_risk_suggestions<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<ReleaseSuggestions> {
    tasks::run(app, Some(TaskKey::Suggestions { release_id }), move |state, task| {
        let job = state.read(|store| suggested::prepare(store, release_id))?;
        let payload = |p: WalkProgress| SuggestionsProgress { release_id, walked: p.walked };
        Ok(task
            .walk(state, "suggestions-progress", payload, |control| job.run_with(Some(&state.suggestions), control))?)
    })
    .await
}

/// How far the walk behind a release's risk suggestions is, as the `suggestions-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SuggestionsProgress {
    pub release_id: i64,
    pub walked: u64,
}

#[tauri::command]
pub fn accept_risk_suggestion(
    state: State<'_, AppState>,
    release_id: i64,
    kind: SuggestionKind,
    input: RiskInput,
) -> Reply<Risk> {
    state.write(|store, stamp| suggested::accept(store, stamp, release_id, kind, input))
}

#[tauri::command]
pub fn dismiss_risk_suggestion(state: State<'_, AppState>, release_id: i64, kind: SuggestionKind) -> Reply<()> {
    state.write(|store, stamp| suggested::dismiss(store, stamp, release_id, kind))
}

#[tauri::command]
pub fn restore_risk_suggestion(state: State<'_, AppState>, release_id: i64, kind: SuggestionKind) -> Reply<()> {
    state.write(|store, stamp| suggested::restore(store, stamp, release_id, kind))
}
