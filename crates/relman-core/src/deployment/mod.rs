//! Deployments: deploy mode's record of a release going out — the deployment, the checklist actions
//! taken during it (each committed and synced before it is reported, so a crash loses nothing), and undo
//! of the last one. The deploy log, as Markdown or JSON, is in [`log`].

mod log;

pub use log::{export_log, log, log_markdown, DeployLog, LogFormat};

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::checklist::items::{self, ChecklistItem, ItemState};
use crate::store::{audit, AuditRecord, Store};
use crate::{release, Error, Result, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Rolling,
    BlueGreen,
    Canary,
    Recreate,
    Manual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Failed,
    RolledBack,
}

fn word<T: Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn from_word<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Deployment {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub release_id: i64,
    pub environment: String,
    pub strategy: Strategy,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub outcome: Option<Outcome>,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Action {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub item_id: i64,
    pub item_title: String,
    pub from: ItemState,
    pub to: ItemState,
    pub note: String,
    pub actor: String,
    pub at: String,
    pub undone: bool,
}

/// Starts a deployment of a release; only one runs at a time per release.
pub fn start(
    store: &mut Store,
    stamp: &Stamp,
    release_id: i64,
    environment: &str,
    strategy: Strategy,
) -> Result<Deployment> {
    let environment = environment.trim();
    if environment.is_empty() {
        return Err(Error::invalid_field("environment", "Name the environment, such as production or staging."));
    }
    let id = store.write_durable(|tx| {
        let found = release::find(tx, release_id)?;
        if let Some(running) = running_in(tx, release_id)? {
            return Err(Error::Conflict(format!(
                "{} {} is already being deployed to {} since {}; finish that deployment first.",
                found.product_name, found.version, running.environment, running.started_at
            )));
        }
        tx.execute_cached(
            "INSERT INTO deployment (release_id, environment, strategy, started_at, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![release_id, environment, word(strategy), stamp.at_text(), stamp.actor],
        )?;
        let id = tx.last_insert_rowid();
        let details = serde_json::json!({ "deployment": id, "environment": environment, "strategy": strategy });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "deploy_start", details))?;
        Ok(id)
    })?;
    get(store, id)
}

/// Ends a running deployment with its outcome.
pub fn finish(store: &mut Store, stamp: &Stamp, deployment_id: i64, outcome: Outcome) -> Result<Deployment> {
    store.write_durable(|tx| {
        let d = find(tx, deployment_id)?;
        if d.finished_at.is_some() {
            return Err(Error::Conflict(format!(
                "This deployment already ended at {}.",
                d.finished_at.unwrap_or_default()
            )));
        }
        tx.execute_cached(
            "UPDATE deployment SET finished_at = ?2, outcome = ?3 WHERE id = ?1",
            params![deployment_id, stamp.at_text(), word(outcome)],
        )?;
        let details = serde_json::json!({ "deployment": deployment_id, "outcome": outcome });
        audit::record(tx, stamp, AuditRecord::new("release", d.release_id, "deploy_finish", details))
    })?;
    get(store, deployment_id)
}

/// Every deployment of a release, oldest first.
pub fn list(store: &Store, release_id: i64) -> Result<Vec<Deployment>> {
    let mut stmt =
        store.conn().prepare(&format!("SELECT {COLUMNS} FROM deployment WHERE release_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([release_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The release's running deployment, if any: where deploy mode reopens after a restart.
pub fn running(store: &Store, release_id: i64) -> Result<Option<Deployment>> {
    running_in(store.conn(), release_id)
}

/// The release's latest deployment, running or not.
pub fn latest(store: &Store, release_id: i64) -> Result<Option<Deployment>> {
    Ok(store
        .conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM deployment WHERE release_id = ?1 ORDER BY id DESC LIMIT 1"),
            [release_id],
            from_row,
        )
        .optional()?)
}

/// Any running deployment at all, newest first.
pub fn any_running(store: &Store) -> Result<Option<Deployment>> {
    Ok(store
        .conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM deployment WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"),
            [],
            from_row,
        )
        .optional()?)
}

/// Moves an item during a deployment: committed and synced to disk before this returns.
pub fn act(
    store: &mut Store,
    stamp: &Stamp,
    deployment_id: i64,
    item_id: i64,
    to: ItemState,
    note: &str,
) -> Result<ChecklistItem> {
    store.write_durable(|tx| {
        let d = find(tx, deployment_id)?;
        if d.finished_at.is_some() {
            return Err(Error::Conflict("This deployment has ended; start a new one to change its steps.".into()));
        }
        let before = items::find(tx, item_id)?;
        if before.release_id != d.release_id {
            return Err(Error::invalid_field("item_id", "That step belongs to another release than this deployment."));
        }
        let mut after = items::set_state_in(tx, stamp, item_id, to, note)?;
        if before.started_at.is_none() && after.started_at.is_some() && to != ItemState::InProgress {
            // A step ticked straight from todo began when the one before it ended (or the deploy began).
            let previous: String = tx.query_row_cached(
                "SELECT COALESCE((SELECT MAX(at) FROM checklist_action WHERE deployment_id = ?1 AND undone = 0), ?2)",
                params![deployment_id, d.started_at],
                |r| r.get(0),
            )?;
            tx.execute_cached("UPDATE checklist_item SET started_at = ?2 WHERE id = ?1", params![item_id, previous])?;
            after = items::find(tx, item_id)?;
        }
        tx.execute_cached(
            "INSERT INTO checklist_action (deployment_id, item_id, from_state, to_state, before_note, before_started,
                 before_finished, note, actor, at, before_actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                deployment_id,
                item_id,
                before.state.as_str(),
                to.as_str(),
                before.note,
                before.started_at,
                before.finished_at,
                note.trim(),
                stamp.actor,
                stamp.at_text(),
                before.actor
            ],
        )?;
        Ok(after)
    })
}

/// An item as it was before an action, and what the action made of it.
struct Before {
    action: i64,
    item_id: i64,
    state: String,
    note: String,
    started: Option<String>,
    finished: Option<String>,
    actor: String,
    to: String,
}

/// Undoes the deployment's last action that is not undone yet: the item returns exactly as it was.
pub fn undo(store: &mut Store, stamp: &Stamp, deployment_id: i64) -> Result<ChecklistItem> {
    store.write_durable(|tx| {
        if find(tx, deployment_id)?.finished_at.is_some() {
            return Err(Error::Conflict("This deployment has ended; its log can no longer change.".into()));
        }
        let last = tx
            .query_row_cached(
                "SELECT id, item_id, from_state, before_note, before_started, before_finished, before_actor, to_state
                 FROM checklist_action WHERE deployment_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1",
                [deployment_id],
                |r| {
                    Ok(Before {
                        action: r.get(0)?,
                        item_id: r.get(1)?,
                        state: r.get(2)?,
                        note: r.get(3)?,
                        started: r.get(4)?,
                        finished: r.get(5)?,
                        actor: r.get(6)?,
                        to: r.get(7)?,
                    })
                },
            )
            .optional()?;
        let Before { action, item_id, state, note, started, finished, actor, to } =
            last.ok_or_else(|| Error::Conflict("Nothing to undo in this deployment.".into()))?;
        let now = items::find(tx, item_id)?;
        if now.state.as_str() != to {
            return Err(Error::Conflict(format!(
                "\"{}\" changed after that action (it is {} now); undo would overwrite that change, so it was not undone.",
                now.title,
                now.state.as_str().replace('_', " ")
            )));
        }
        tx.execute_cached(
            "UPDATE checklist_item SET state = ?2, note = ?3, started_at = ?4, finished_at = ?5, actor = ?6, updated_at = ?7 WHERE id = ?1",
            params![item_id, state, note, started, finished, actor, stamp.at_text()],
        )?;
        tx.execute_cached("UPDATE checklist_action SET undone = 1 WHERE id = ?1", [action])?;
        let details = serde_json::json!({ "undo_action": action, "back_to": state });
        audit::record(tx, stamp, AuditRecord::new("checklist_item", item_id, "undo", details))?;
        items::find(tx, item_id)
    })
}

/// The actions of a deployment, oldest first (undone ones marked).
pub fn actions(store: &Store, deployment_id: i64) -> Result<Vec<Action>> {
    let mut stmt = store.conn().prepare(
        "SELECT a.id, a.item_id, i.title, a.from_state, a.to_state, a.note, a.actor, a.at, a.undone, a.uid
         FROM checklist_action a JOIN checklist_item i ON i.id = a.item_id WHERE a.deployment_id = ?1 ORDER BY a.id",
    )?;
    let rows = stmt.query_map([deployment_id], |r| {
        let from: String = r.get(3)?;
        let to: String = r.get(4)?;
        Ok(Action {
            id: r.get(0)?,
            item_id: r.get(1)?,
            item_title: r.get(2)?,
            from: from_word(&from).unwrap_or(ItemState::Todo),
            to: from_word(&to).unwrap_or(ItemState::Todo),
            note: r.get(5)?,
            actor: r.get(6)?,
            at: r.get(7)?,
            undone: r.get::<_, i64>(8)? == 1,
            uid: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const COLUMNS: &str = "id, release_id, environment, strategy, started_at, finished_at, outcome, actor, uid";

pub fn get(store: &Store, id: i64) -> Result<Deployment> {
    find(store.conn(), id)
}

fn find(conn: &Connection, id: i64) -> Result<Deployment> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM deployment WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Deployment {id} does not exist.")))
}

fn running_in(conn: &Connection, release_id: i64) -> Result<Option<Deployment>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM deployment WHERE release_id = ?1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1"),
            [release_id],
            from_row,
        )
        .optional()?)
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Deployment> {
    let strategy: String = row.get(3)?;
    let outcome: Option<String> = row.get(6)?;
    Ok(Deployment {
        id: row.get(0)?,
        release_id: row.get(1)?,
        environment: row.get(2)?,
        strategy: from_word(&strategy).unwrap_or(Strategy::Manual),
        started_at: row.get(4)?,
        finished_at: row.get(5)?,
        outcome: outcome.and_then(|o| from_word(&o)),
        actor: row.get(7)?,
        uid: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
    })
}
