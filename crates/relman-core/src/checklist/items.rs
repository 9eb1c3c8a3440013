//! The checklist of one release: items copied from a template, each moved through its states with
//! who and when recorded. Skipping or blocking needs a reason, failing a note.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::evidence::{Evidence, EvidenceCheck};
use super::template::Template;
use super::Phase;
use crate::store::{audit, AuditRecord, Store};
use crate::{release, Error, Result, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Todo,
    InProgress,
    Done,
    Skipped,
    Blocked,
    Failed,
}

impl ItemState {
    const ALL: [ItemState; 6] = [
        ItemState::Todo,
        ItemState::InProgress,
        ItemState::Done,
        ItemState::Skipped,
        ItemState::Blocked,
        ItemState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Todo => "todo",
            ItemState::InProgress => "in_progress",
            ItemState::Done => "done",
            ItemState::Skipped => "skipped",
            ItemState::Blocked => "blocked",
            ItemState::Failed => "failed",
        }
    }

    fn parse_stored(text: &str) -> Self {
        Self::ALL.into_iter().find(|s| s.as_str() == text).unwrap_or(ItemState::Todo)
    }

    /// Finished: nothing more to do for this item.
    pub fn is_closed(self) -> bool {
        matches!(self, ItemState::Done | ItemState::Skipped)
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ChecklistItem {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub release_id: i64,
    pub phase: Phase,
    pub position: i64,
    pub title: String,
    pub details: String,
    pub owner: String,
    pub required: bool,
    pub expected_minutes: Option<i64>,
    pub state: ItemState,
    /// The reason of a skip or block, or the note of a failure or a step.
    pub note: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Who last changed its state.
    pub actor: String,
    /// The automatic check it carries, if any: what git or Relman's records can prove.
    pub check: Option<EvidenceCheck>,
    /// What the check saw when last evaluated on this machine.
    pub evidence: Option<Evidence>,
}

/// What the user gives to add or edit an item.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ItemInput {
    pub phase: Phase,
    pub title: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub expected_minutes: Option<u32>,
    /// An automatic check that marks the item done when it passes.
    #[serde(default)]
    #[ts(optional)]
    pub check: Option<EvidenceCheck>,
}

fn yes() -> bool {
    true
}

fn validate(input: &ItemInput) -> Result<()> {
    if input.title.trim().is_empty() {
        return Err(Error::invalid_field("title", "Give the step a title."));
    }
    if input.expected_minutes.is_some_and(|m| m > 24 * 60) {
        return Err(Error::invalid_field("expected_minutes", "A step longer than a day is a phase; split it."));
    }
    input.check.as_ref().map_or(Ok(()), EvidenceCheck::validate)
}

/// The position after the last item of a phase.
fn next_position(conn: &Connection, release_id: i64, phase: Phase) -> Result<i64> {
    Ok(conn.query_row_cached(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM checklist_item WHERE release_id = ?1 AND phase = ?2",
        params![release_id, phase.as_str()],
        |r| r.get(0),
    )?)
}

/// Writes one item as given; `add` and `apply` both go through here.
fn insert(conn: &Connection, release_id: i64, position: i64, item: &ItemInput, stamp: &Stamp) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO checklist_item (release_id, phase, position, title, details, owner, required, expected_minutes, updated_at,
             evidence_check)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            release_id,
            item.phase.as_str(),
            position,
            item.title,
            item.details,
            item.owner,
            item.required as i64,
            item.expected_minutes,
            stamp.at_text(),
            EvidenceCheck::to_stored(item.check.as_ref())
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Adds an item at the end of its phase.
pub fn add(store: &mut Store, stamp: &Stamp, release_id: i64, input: ItemInput) -> Result<ChecklistItem> {
    validate(&input)?;
    store.write(|tx| {
        release::find(tx, release_id)?;
        let position = next_position(tx, release_id, input.phase)?;
        let trimmed = ItemInput {
            title: input.title.trim().to_string(),
            details: input.details.trim().to_string(),
            owner: input.owner.trim().to_string(),
            ..input.clone()
        };
        let id = insert(tx, release_id, position, &trimmed, stamp)?;
        let details =
            serde_json::json!({ "release_id": release_id, "phase": input.phase, "title": input.title.trim() });
        audit::record(tx, stamp, AuditRecord::new("checklist_item", id, "create", details))?;
        find(tx, id)
    })
}

/// Edits an item's text, owner, required flag and duration; a change of phase moves it to that phase's end.
pub fn edit(store: &mut Store, stamp: &Stamp, id: i64, input: ItemInput) -> Result<ChecklistItem> {
    validate(&input)?;
    store.write(|tx| {
        let before = find(tx, id)?;
        let position = if before.phase == input.phase {
            before.position
        } else {
            next_position(tx, before.release_id, input.phase)?
        };
        tx.execute_cached(
            "UPDATE checklist_item SET phase = ?2, position = ?3, title = ?4, details = ?5, owner = ?6, required = ?7,
                 expected_minutes = ?8, updated_at = ?9, evidence_check = ?10
             WHERE id = ?1",
            params![
                id,
                input.phase.as_str(),
                position,
                input.title.trim(),
                input.details.trim(),
                input.owner.trim(),
                input.required as i64,
                input.expected_minutes,
                stamp.at_text(),
                EvidenceCheck::to_stored(input.check.as_ref())
            ],
        )?;
        if before.check != input.check {
            // What the old check saw says nothing about the new one.
            tx.execute_cached("DELETE FROM checklist_evidence WHERE item_id = ?1", [id])?;
        }
        let check = input.check.as_ref().map(EvidenceCheck::describe);
        let details = serde_json::json!({ "phase": input.phase, "title": input.title.trim(), "required": input.required, "check": check });
        audit::record(tx, stamp, AuditRecord::new("checklist_item", id, "update", details))?;
        find(tx, id)
    })
}

/// Deletes a step that no deployment has touched; one that has is kept for the deploy log.
pub fn delete(store: &mut Store, stamp: &Stamp, id: i64) -> Result<()> {
    store.write(|tx| {
        let before = find(tx, id)?;
        let acted: i64 =
            tx.query_row_cached("SELECT COUNT(*) FROM checklist_action WHERE item_id = ?1", [id], |r| r.get(0))?;
        if acted > 0 {
            return Err(Error::Conflict(format!(
                "\"{}\" is part of a deployment's log; mark it skipped with a reason instead of deleting it.",
                before.title
            )));
        }
        tx.execute_cached("DELETE FROM checklist_item WHERE id = ?1", [id])?;
        let details = serde_json::json!({ "release_id": before.release_id, "title": before.title });
        audit::record(tx, stamp, AuditRecord::new("checklist_item", id, "delete", details))
    })
}

/// Moves an item one place up (`-1`) or down (`1`) within its phase; at either end nothing moves.
pub fn reorder(store: &mut Store, stamp: &Stamp, id: i64, by: i64) -> Result<Vec<ChecklistItem>> {
    let release_id = store.write(|tx| {
        let item = find(tx, id)?;
        let mut stmt =
            tx.prepare("SELECT id FROM checklist_item WHERE release_id = ?1 AND phase = ?2 ORDER BY position, id")?;
        let mut order: Vec<i64> = stmt
            .query_map(params![item.release_id, item.phase.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let from = order.iter().position(|i| *i == id).unwrap_or(0);
        let to = (from as i64 + by.signum()).clamp(0, order.len() as i64 - 1) as usize;
        if to == from {
            return Ok(item.release_id);
        }
        order.swap(from, to);
        for (position, item_id) in order.iter().enumerate() {
            tx.execute_cached(
                "UPDATE checklist_item SET position = ?2 WHERE id = ?1",
                params![item_id, position as i64],
            )?;
        }
        let details = serde_json::json!({ "from": from, "to": to });
        audit::record(tx, stamp, AuditRecord::new("checklist_item", id, "reorder", details))?;
        Ok(item.release_id)
    })?;
    list(store, release_id)
}

/// Copies a template's items onto a release that has no checklist yet; returns how many.
pub fn apply(store: &mut Store, stamp: &Stamp, release_id: i64, template: &Template) -> Result<usize> {
    store.write(|tx| {
        let found = release::find(tx, release_id)?;
        let existing: i64 = tx.query_row_cached(
            "SELECT (SELECT COUNT(*) FROM checklist_item WHERE release_id = ?1) + (SELECT COUNT(*) FROM release_gate WHERE release_id = ?1)",
            [release_id],
            |r| r.get(0),
        )?;
        if existing > 0 {
            return Err(Error::Conflict(format!(
                "{} {} already has a checklist or gates from a template; add steps to it instead of applying another template.",
                found.product_name, found.version
            )));
        }
        for (position, item) in template.items.iter().enumerate() {
            let copy = ItemInput {
                phase: item.phase,
                title: item.title.clone(),
                details: item.details.clone(),
                owner: item.owner_role.clone(),
                required: item.required,
                expected_minutes: item.expected_minutes,
                check: item.check.clone(),
            };
            insert(tx, release_id, position as i64, &copy, stamp)?;
        }
        super::template::copy_gates(tx, release_id, &template.gates)?;
        let details = serde_json::json!({ "template": template.name, "items": template.items.len(), "gates": template.gates.len() });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "apply_template", details))?;
        Ok(template.items.len())
    })
}

pub fn get(store: &Store, id: i64) -> Result<ChecklistItem> {
    find(store.conn(), id)
}

/// A release's checklist, by phase and position.
pub fn list(store: &Store, release_id: i64) -> Result<Vec<ChecklistItem>> {
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE i.release_id = ?1
         ORDER BY CASE phase WHEN 'pre_release' THEN 0 WHEN 'deploy' THEN 1 WHEN 'post_release' THEN 2 ELSE 3 END, position, id"
    ))?;
    let rows = stmt.query_map([release_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves an item to `state`. `text` is the reason (skipped, blocked) or the note (failed; optional
/// otherwise). Done and skipped close the item; todo reopens it and clears its times.
pub fn set_state(store: &mut Store, stamp: &Stamp, id: i64, state: ItemState, text: &str) -> Result<ChecklistItem> {
    store.write(|tx| set_state_in(tx, stamp, id, state, text))
}

/// [`set_state`] inside a caller's transaction (deploy mode records its action beside it).
pub(crate) fn set_state_in(
    tx: &Connection,
    stamp: &Stamp,
    id: i64,
    state: ItemState,
    text: &str,
) -> Result<ChecklistItem> {
    let text = text.trim();
    let needs = match state {
        ItemState::Skipped => Some("Say why this step is skipped; the reason is kept with the release."),
        ItemState::Blocked => Some("Say what blocks this step, so the next person knows."),
        ItemState::Failed => Some("Note what failed, for the deploy log."),
        _ => None,
    };
    if let (Some(message), true) = (needs, text.is_empty()) {
        return Err(Error::invalid_field("note", message));
    }
    {
        let before = find(tx, id)?;
        // Ticking a step whose check fails overrides the evidence: a person may, with a reason.
        let failing = before.evidence.as_ref().filter(|e| !e.passed && before.check.is_some());
        if let (ItemState::Done, Some(seen), true) = (state, failing, text.is_empty()) {
            if stamp.actor != super::evidence::ACTOR {
                return Err(Error::invalid_field(
                    "note",
                    format!(
                        "Its check does not pass ({}). Say why you mark it done anyway; the reason is kept with the release.",
                        seen.summary
                    ),
                ));
            }
        }
        let now = stamp.at_text();
        let (started, finished) = match state {
            ItemState::Todo => (None, None),
            ItemState::InProgress => (Some(before.started_at.clone().unwrap_or_else(|| now.clone())), None),
            ItemState::Blocked => (before.started_at.clone(), None),
            ItemState::Done | ItemState::Skipped | ItemState::Failed => {
                (Some(before.started_at.clone().unwrap_or_else(|| now.clone())), Some(now.clone()))
            }
        };
        let note = if text.is_empty() && state != ItemState::Todo { before.note.clone() } else { text.to_string() };
        tx.execute_cached(
            "UPDATE checklist_item SET state = ?2, note = ?3, started_at = ?4, finished_at = ?5, actor = ?6, updated_at = ?7
             WHERE id = ?1",
            params![id, state.as_str(), note, started, finished, stamp.actor, now],
        )?;
        let details = serde_json::json!({ "from": before.state, "to": state, "note": text });
        audit::record(tx, stamp, AuditRecord::new("checklist_item", id, "state", details))?;
        find(tx, id)
    }
}

const COLUMNS: &str = "i.id, i.release_id, i.phase, i.position, i.title, i.details, i.owner, i.required,
    i.expected_minutes, i.state, i.note, i.started_at, i.finished_at, i.actor, i.uid, i.evidence_check, e.evidence";
const FROM: &str = "checklist_item i LEFT JOIN checklist_evidence e ON e.item_id = i.id";

pub(crate) fn find(conn: &Connection, id: i64) -> Result<ChecklistItem> {
    conn.query_row_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!("Checklist item {id} does not exist; list them with `relman checklist show`."))
        })
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<ChecklistItem> {
    let phase: String = row.get(2)?;
    let state: String = row.get(9)?;
    Ok(ChecklistItem {
        id: row.get(0)?,
        release_id: row.get(1)?,
        phase: Phase::parse(&phase).unwrap_or(Phase::PreRelease),
        position: row.get(3)?,
        title: row.get(4)?,
        details: row.get(5)?,
        owner: row.get(6)?,
        required: row.get::<_, i64>(7)? == 1,
        expected_minutes: row.get(8)?,
        state: ItemState::parse_stored(&state),
        note: row.get(10)?,
        started_at: row.get(11)?,
        finished_at: row.get(12)?,
        actor: row.get(13)?,
        uid: row.get::<_, Option<String>>(14)?.unwrap_or_default(),
        check: EvidenceCheck::from_stored(&row.get::<_, String>(15)?),
        evidence: row.get::<_, Option<String>>(16)?.as_deref().and_then(Evidence::from_stored),
    })
}
