//! Checklist, gate and deploy-mode commands.

use relman_core::checklist::deploy::{self, Action, Deployment, Outcome, Strategy};
use relman_core::checklist::gates::{self, GateResult, GoNoGo, Signoff, SignoffInput};
use relman_core::checklist::items::{self, ChecklistItem, ItemInput, ItemState};
use relman_core::checklist::template::{self, FileFormat};
use relman_core::release::{self, ReleaseStatus};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use super::export::{ask_open_path, ask_save_path, blocking, write_file};
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// Everything the checklist section and deploy mode show for a release.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChecklistView {
    pub items: Vec<ChecklistItem>,
    pub templates: Vec<String>,
    pub gates: Vec<GateResult>,
    pub signoffs: Vec<Signoff>,
    pub decisions: Vec<GoNoGo>,
    pub deployment: Option<Deployment>,
    /// The running deployment's actions, oldest first.
    pub actions: Vec<Action>,
}

#[tauri::command]
pub fn get_checklist(state: State<'_, AppState>, release_id: i64) -> Reply<ChecklistView> {
    state.read(|store| {
        let release = release::get(store, release_id)?;
        let mut gate_results = Vec::new();
        for into in [ReleaseStatus::Ready, ReleaseStatus::Deploying] {
            gate_results.extend(gates::evaluate_for(store, release.id, into)?);
        }
        let deployment = deploy::running(store, release_id)?;
        let actions = match &deployment {
            Some(d) => deploy::actions(store, d.id)?,
            None => Vec::new(),
        };
        Ok(ChecklistView {
            items: items::list(store, release_id)?,
            templates: template::list(store)?.into_iter().map(|t| t.name).collect(),
            gates: gate_results,
            signoffs: gates::signoffs(store, release_id)?,
            decisions: gates::decisions(store, release_id)?,
            deployment,
            actions,
        })
    })
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
    state.write(|store, stamp| gates::decide(store, stamp, release_id, input))
}

#[tauri::command]
pub fn sign_off(state: State<'_, AppState>, release_id: i64, input: SignoffInput) -> Reply<Signoff> {
    state.write(|store, stamp| gates::sign(store, stamp, release_id, input))
}

#[tauri::command]
pub fn start_deployment(
    state: State<'_, AppState>,
    release_id: i64,
    environment: String,
    strategy: Strategy,
) -> Reply<Deployment> {
    state.write(|store, stamp| deploy::start(store, stamp, release_id, &environment, strategy))
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
    state.write(|store, stamp| deploy::act(store, stamp, deployment_id, item_id, to, note.as_deref().unwrap_or("")))
}

#[tauri::command]
pub fn deploy_undo(state: State<'_, AppState>, deployment_id: i64) -> Reply<ChecklistItem> {
    state.write(|store, stamp| deploy::undo(store, stamp, deployment_id))
}

#[tauri::command]
pub fn finish_deployment(state: State<'_, AppState>, deployment_id: i64, outcome: Outcome) -> Reply<Deployment> {
    state.write(|store, stamp| deploy::finish(store, stamp, deployment_id, outcome))
}

/// The deployment still running, if any: the app reopens deploy mode on it after a restart.
#[tauri::command]
pub fn current_deployment(state: State<'_, AppState>) -> Reply<Option<Deployment>> {
    state.read(deploy::any_running)
}

/// Saves the deploy log (Markdown or JSON) where the user picks in the OS dialog; None when cancelled.
#[tauri::command]
pub async fn export_deploy_log<R: Runtime>(
    app: AppHandle<R>,
    deployment_id: i64,
    format: String,
) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let log = state.read(|store| deploy::log(store, deployment_id))?;
        let (text, extension) = if format == "json" {
            (serde_json::to_string_pretty(&log).unwrap_or_default() + "\n", "json")
        } else {
            (deploy::log_markdown(&log), "md")
        };
        let file_name = format!("deploy-log-{deployment_id}.{extension}");
        let kind = extension.to_uppercase();
        let Some(path) = ask_save_path(&dialog, "Export the deploy log", &file_name, &kind, extension) else {
            return Ok(None);
        };
        write_file(&path, &text)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// A process template as the Settings list shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TemplateSummary {
    pub name: String,
    pub description: String,
    pub items: usize,
    pub gates: usize,
    pub built_in: bool,
}

#[tauri::command]
pub fn list_templates(state: State<'_, AppState>) -> Reply<Vec<TemplateSummary>> {
    state.read(|store| {
        Ok(template::list(store)?
            .into_iter()
            .map(|t| TemplateSummary {
                built_in: t.name == template::BUILT_IN,
                items: t.items.len(),
                gates: t.gates.len(),
                description: t.description,
                name: t.name,
            })
            .collect())
    })
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
pub async fn export_template<R: Runtime>(app: AppHandle<R>, name: String, format: String) -> Reply<Option<String>> {
    let dialog = app.clone();
    blocking(app, move |state| {
        let chosen = state.read(|store| template::get(store, &name))?;
        let (file_format, extension) =
            if format == "json" { (FileFormat::Json, "json") } else { (FileFormat::Toml, "toml") };
        let text = template::render(&chosen, file_format)?;
        let file_name = format!("{}.{extension}", chosen.name.to_lowercase().replace(' ', "-"));
        let kind = extension.to_uppercase();
        let Some(path) = ask_save_path(&dialog, "Export the process template", &file_name, &kind, extension) else {
            return Ok(None);
        };
        write_file(&path, &text)?;
        Ok(Some(path.display().to_string()))
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
        let text = std::fs::read_to_string(&path)
            .map_err(|e| relman_core::Error::Io(format!("Cannot read {}: {e}. Pick another file.", path.display())))?;
        let parsed = template::parse(&text, FileFormat::of_path(&path)?)?;
        let saved = state.write(|store, stamp| template::save(store, stamp, parsed))?;
        Ok(Some(saved.name))
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
