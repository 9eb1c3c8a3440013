//! Checklist, gate and deploy-mode commands.

use relman_core::checklist::items::{self, ChecklistItem, ItemInput, ItemState};
use relman_core::checklist::signoff::{self, GoNoGo, Signoff, SignoffInput};
use relman_core::checklist::template::{self, FileFormat, TemplateSummary};
use relman_core::deployment::{self, Deployment, Outcome, Strategy};
use relman_core::overview::{self, ChecklistView};
use tauri::{AppHandle, Runtime, State};

use super::export::{ask_open_path, save_as};
use crate::tasks::blocking;
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub fn get_checklist(state: State<'_, AppState>, release_id: i64) -> Reply<ChecklistView> {
    state.read(|store| overview::checklist(store, release_id, state.now()))
}

/// Runs the checklist's checks against git and Relman's records, records what changed (a passing
/// check ticks its item), and returns the checklist as it then stands. The git part holds no lock.
#[tauri::command]
pub async fn check_evidence<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<ChecklistView> {
    blocking(app, move |state| {
        refresh_evidence(state, release_id)?;
        state.read(|store| overview::checklist(store, release_id, state.now()))
    })
    .await
}

/// The checks of a release's checklist: planned under the lock, run without it, recorded under it.
pub(crate) fn refresh_evidence(state: &AppState, release_id: i64) -> Reply<()> {
    let stamp = state.stamp()?;
    let job = state.read(|store| relman_core::evidence::prepare(store, &stamp, release_id))?;
    if job.is_empty() {
        return Ok(());
    }
    let seen = job.run();
    state.write(|store, stamp| relman_core::evidence::record(store, stamp, &seen).map(|_| ()))
}

#[tauri::command]
pub fn apply_template(state: State<'_, AppState>, release_id: i64, name: String) -> Reply<usize> {
    state.write(|store, stamp| {
        let chosen = template::get(store, &name)?;
        items::apply(store, stamp, release_id, &chosen)
    })
}

#[tauri::command]
pub fn set_item_state(
    state: State<'_, AppState>,
    id: i64,
    to: ItemState,
    note: Option<String>,
) -> Reply<ChecklistItem> {
    state.write(|store, stamp| items::set_state(store, stamp, id, to, note.as_deref().unwrap_or("")))
}

#[tauri::command]
pub fn add_checklist_item(state: State<'_, AppState>, release_id: i64, input: ItemInput) -> Reply<ChecklistItem> {
    state.write(|store, stamp| items::add(store, stamp, release_id, input))
}

#[tauri::command]
pub fn edit_checklist_item(state: State<'_, AppState>, id: i64, input: ItemInput) -> Reply<ChecklistItem> {
    state.write(|store, stamp| items::edit(store, stamp, id, input))
}

#[tauri::command]
pub fn delete_checklist_item(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.write(|store, stamp| items::delete(store, stamp, id))
}

/// Moves an item one place up (-1) or down (1) within its phase.
#[tauri::command]
pub fn reorder_checklist_item(state: State<'_, AppState>, id: i64, by: i64) -> Reply<Vec<ChecklistItem>> {
    state.write(|store, stamp| items::reorder(store, stamp, id, by))
}

#[tauri::command]
pub fn record_go_no_go(state: State<'_, AppState>, release_id: i64, input: GoNoGo) -> Reply<GoNoGo> {
    state.write(|store, stamp| signoff::decide(store, stamp, release_id, input))
}

#[tauri::command]
pub fn sign_off(state: State<'_, AppState>, release_id: i64, input: SignoffInput) -> Reply<Signoff> {
    state.write(|store, stamp| signoff::sign(store, stamp, release_id, input))
}

#[tauri::command]
pub fn start_deployment(
    state: State<'_, AppState>,
    release_id: i64,
    environment: String,
    strategy: Strategy,
) -> Reply<Deployment> {
    state.write(|store, stamp| deployment::start(store, stamp, release_id, &environment, strategy))
}

/// Every step is committed and synced before this replies, so what the UI shows as done is on disk.
#[tauri::command]
pub fn deploy_act(
    state: State<'_, AppState>,
    deployment_id: i64,
    item_id: i64,
    to: ItemState,
    note: Option<String>,
) -> Reply<ChecklistItem> {
    state.write(|store, stamp| deployment::act(store, stamp, deployment_id, item_id, to, note.as_deref().unwrap_or("")))
}

#[tauri::command]
pub fn deploy_undo(state: State<'_, AppState>, deployment_id: i64) -> Reply<ChecklistItem> {
    state.write(|store, stamp| deployment::undo(store, stamp, deployment_id))
}

#[tauri::command]
pub fn finish_deployment(state: State<'_, AppState>, deployment_id: i64, outcome: Outcome) -> Reply<Deployment> {
    state.write(|store, stamp| deployment::finish(store, stamp, deployment_id, outcome))
}

/// The deployment still running, if any: the app reopens deploy mode on it after a restart.
#[tauri::command]
pub fn current_deployment(state: State<'_, AppState>) -> Reply<Option<Deployment>> {
    state.read(deployment::any_running)
}

/// Saves the deploy log (Markdown or JSON) where the user picks in the OS dialog; None when cancelled.
#[tauri::command]
pub async fn export_deploy_log<R: Runtime>(
    app: AppHandle<R>,
    deployment_id: i64,
    format: deployment::LogFormat,
) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.read(|store| deployment::export_log(store, deployment_id, format))?;
        save_as(&dialog, "Export the deploy log", file)
    })
    .await
}

#[tauri::command]
pub fn list_templates(state: State<'_, AppState>) -> Reply<Vec<TemplateSummary>> {
    state.read(template::summaries)
}

#[tauri::command]
pub fn duplicate_template(state: State<'_, AppState>, name: String, new_name: String) -> Reply<()> {
    state.write(|store, stamp| template::duplicate(store, stamp, &name, &new_name).map(|_| ()))
}

#[tauri::command]
pub fn delete_template(state: State<'_, AppState>, name: String) -> Reply<()> {
    state.write(|store, stamp| template::delete(store, stamp, &name))
}

/// Saves a template as a TOML or JSON file where the user picks; None when cancelled.
#[tauri::command]
pub async fn export_template<R: Runtime>(app: AppHandle<R>, name: String, format: FileFormat) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let file = state.read(|store| template::export(store, &name, format))?;
        save_as(&dialog, "Export the process template", file)
    })
    .await
}

/// Reads a .toml or .json template the user picks and saves it under its name; None when cancelled.
#[tauri::command]
pub async fn import_template<R: Runtime>(app: AppHandle<R>) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let Some(path) = ask_open_path(&dialog, "Import a process template", "Template", &["toml", "json"]) else {
            return Ok(None);
        };
        Ok(Some(state.write(|store, stamp| template::import_file(store, stamp, &path))?.name))
    })
    .await
}

#[tauri::command]
pub fn get_template(state: State<'_, AppState>, name: String) -> Reply<template::Template> {
    state.read(|store| template::get(store, &name))
}

/// Creates or replaces one of your templates; `previous_name` renames it (the old one is removed).
#[tauri::command]
pub fn save_template(
    state: State<'_, AppState>,
    input: template::Template,
    previous_name: Option<String>,
) -> Reply<template::Template> {
    state.write(|store, stamp| template::save_renaming(store, stamp, input, previous_name.as_deref()))
}
