//! Milestones: named points or spans on a release's timeline (feature freeze, RC, deploy window, GA…).

use crate::store::Cached;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::{audit, AuditRecord, Store};
use crate::{dates, release, Error, Result, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    FeatureFreeze,
    CodeFreeze,
    Rc,
    GoNoGo,
    DeployWindow,
    Ga,
    Review,
    Custom,
}

impl MilestoneKind {
    pub const ALL: [MilestoneKind; 8] = [
        MilestoneKind::FeatureFreeze,
        MilestoneKind::CodeFreeze,
        MilestoneKind::Rc,
        MilestoneKind::GoNoGo,
        MilestoneKind::DeployWindow,
        MilestoneKind::Ga,
        MilestoneKind::Review,
        MilestoneKind::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneKind::FeatureFreeze => "feature_freeze",
            MilestoneKind::CodeFreeze => "code_freeze",
            MilestoneKind::Rc => "rc",
            MilestoneKind::GoNoGo => "go_no_go",
            MilestoneKind::DeployWindow => "deploy_window",
            MilestoneKind::Ga => "ga",
            MilestoneKind::Review => "review",
            MilestoneKind::Custom => "custom",
        }
    }

    /// The name a new milestone of this kind gets when the user gives none.
    pub fn default_name(self) -> &'static str {
        match self {
            MilestoneKind::FeatureFreeze => "Feature freeze",
            MilestoneKind::CodeFreeze => "Code freeze",
            MilestoneKind::Rc => "Release candidate",
            MilestoneKind::GoNoGo => "Go / no-go",
            MilestoneKind::DeployWindow => "Deploy window",
            MilestoneKind::Ga => "General availability",
            MilestoneKind::Review => "Review",
            MilestoneKind::Custom => "Milestone",
        }
    }

    fn parse_stored(text: &str) -> Self {
        Self::ALL.into_iter().find(|k| k.as_str() == text).unwrap_or(MilestoneKind::Custom)
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Milestone {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub release_id: i64,
    pub kind: MilestoneKind,
    pub name: String,
    /// `YYYY-MM-DD`; a point milestone has only a start.
    pub planned_start: String,
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    /// The start as first planned; the timeline shows it as a ghost when the milestone moved.
    pub baseline_start: String,
    pub baseline_end: Option<String>,
    /// Days the milestone moved from its first plan (its actual start, else its planned start); later is positive.
    pub slip_days: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MilestoneInput {
    pub kind: MilestoneKind,
    #[serde(default)]
    pub name: String,
    pub planned_start: String,
    #[serde(default)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub actual_start: Option<String>,
    #[serde(default)]
    pub actual_end: Option<String>,
}

struct Clean {
    kind: MilestoneKind,
    name: String,
    planned_start: String,
    planned_end: Option<String>,
    actual_start: Option<String>,
    actual_end: Option<String>,
}

pub fn create(store: &mut Store, stamp: &Stamp, release_id: i64, input: MilestoneInput) -> Result<Milestone> {
    let clean = validate(input)?;
    let id = store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT INTO milestone (release_id, kind, name, planned_start, planned_end, actual_start, actual_end,
                 baseline_start, baseline_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?4, ?5)",
            params![
                release_id,
                clean.kind.as_str(),
                clean.name,
                clean.planned_start,
                clean.planned_end,
                clean.actual_start,
                clean.actual_end
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(tx, stamp, AuditRecord::new("milestone", id, "create", details(release_id, &clean)))?;
        Ok(id)
    })?;
    find(store.conn(), id)
}

pub fn update(store: &mut Store, stamp: &Stamp, id: i64, input: MilestoneInput) -> Result<Milestone> {
    rewrite(store, stamp, id, |_| Ok(input))
}

/// Replaces a milestone's fields with what `edit` makes of the stored ones, read and written in one
/// transaction: a full edit, a patch of some fields, or a move.
fn rewrite(
    store: &mut Store,
    stamp: &Stamp,
    id: i64,
    edit: impl FnOnce(Milestone) -> Result<MilestoneInput>,
) -> Result<Milestone> {
    store.write(|tx| {
        let before = find(tx, id)?;
        let release_id = before.release_id;
        let clean = validate(edit(before)?)?;
        tx.execute_cached(
            "UPDATE milestone SET kind = ?2, name = ?3, planned_start = ?4, planned_end = ?5, actual_start = ?6,
                 actual_end = ?7 WHERE id = ?1",
            params![
                id,
                clean.kind.as_str(),
                clean.name,
                clean.planned_start,
                clean.planned_end,
                clean.actual_start,
                clean.actual_end
            ],
        )?;
        audit::record(tx, stamp, AuditRecord::new("milestone", id, "update", details(release_id, &clean)))
    })?;
    find(store.conn(), id)
}

/// The fields of a milestone to change; the others stay (`relman milestone edit`).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct MilestonePatch {
    pub kind: Option<MilestoneKind>,
    pub name: Option<String>,
    pub planned_start: Option<String>,
    /// An empty date clears it (the end of a window, or an actual date).
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
}

/// Changes only the fields `patch` gives, read and written in one transaction.
pub fn patch(store: &mut Store, stamp: &Stamp, id: i64, patch: MilestonePatch) -> Result<Milestone> {
    rewrite(store, stamp, id, |before| {
        Ok(MilestoneInput {
            kind: patch.kind.unwrap_or(before.kind),
            name: patch.name.unwrap_or(before.name),
            planned_start: patch.planned_start.unwrap_or(before.planned_start),
            planned_end: dates::patched(patch.planned_end, before.planned_end),
            actual_start: dates::patched(patch.actual_start, before.actual_start),
            actual_end: dates::patched(patch.actual_end, before.actual_end),
        })
    })
}

/// Moves a milestone's plan by `days` (negative: earlier), its end with its start; what a drag on the
/// timeline does, for `relman milestone move`.
pub fn shift(store: &mut Store, stamp: &Stamp, id: i64, days: i64) -> Result<Milestone> {
    let moved = |date: &str| -> Result<String> {
        Ok(dates::format(dates::parse("planned_start", date)? + chrono::Duration::days(days)))
    };
    rewrite(store, stamp, id, |before| {
        Ok(MilestoneInput {
            kind: before.kind,
            planned_start: moved(&before.planned_start)?,
            planned_end: before.planned_end.as_deref().map(moved).transpose()?,
            name: before.name,
            actual_start: before.actual_start,
            actual_end: before.actual_end,
        })
    })
}

pub fn delete(store: &mut Store, stamp: &Stamp, id: i64) -> Result<()> {
    store.write(|tx| {
        let before = find(tx, id)?;
        tx.execute_cached("DELETE FROM milestone WHERE id = ?1", [id])?;
        let details = serde_json::json!({ "release_id": before.release_id, "name": before.name });
        audit::record(tx, stamp, AuditRecord::new("milestone", id, "delete", details))
    })
}

/// A release's milestones in date order.
/// The release's first code-freeze day (a milestone's actual day when it has one), if it has one.
pub fn code_freeze(store: &Store, release_id: i64) -> Result<Option<NaiveDate>> {
    Ok(list(store, release_id)?
        .into_iter()
        .filter(|m| m.kind == MilestoneKind::CodeFreeze)
        .map(|m| m.actual_start.unwrap_or(m.planned_start))
        .filter_map(|d| dates::parse("planned_start", &d).ok())
        .min())
}

pub fn list(store: &Store, release_id: i64) -> Result<Vec<Milestone>> {
    let mut stmt = store
        .conn()
        .prepare_cached(&format!("SELECT {COLUMNS} FROM milestone WHERE release_id = ?1 ORDER BY planned_start, id"))?;
    let rows = stmt.query_map([release_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn find(conn: &Connection, id: i64) -> Result<Milestone> {
    conn.query_row_cached(&format!("SELECT {COLUMNS} FROM milestone WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Milestone {id} does not exist; it may have been deleted.")))
}

pub(crate) const COLUMNS: &str =
    "id, release_id, kind, name, planned_start, planned_end, actual_start, actual_end, baseline_start, baseline_end, uid";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Milestone> {
    let kind: String = row.get(2)?;
    let planned_start: String = row.get(4)?;
    let actual_start: Option<String> = row.get(6)?;
    let baseline_start: String = row.get::<_, Option<String>>(8)?.unwrap_or_else(|| planned_start.clone());
    let slip_days = dates::days_between(&baseline_start, actual_start.as_deref().unwrap_or(&planned_start));
    Ok(Milestone {
        id: row.get(0)?,
        release_id: row.get(1)?,
        kind: MilestoneKind::parse_stored(&kind),
        name: row.get(3)?,
        planned_start,
        planned_end: row.get(5)?,
        actual_start,
        actual_end: row.get(7)?,
        baseline_start,
        baseline_end: row.get(9)?,
        slip_days,
        uid: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
    })
}

fn validate(input: MilestoneInput) -> Result<Clean> {
    let optional = |field: &'static str, value: Option<String>| -> Result<Option<chrono::NaiveDate>> {
        value.filter(|v| !v.trim().is_empty()).map(|v| dates::parse(field, &v)).transpose()
    };
    let planned_start = dates::parse("planned_start", &input.planned_start)?;
    let planned_end = optional("planned_end", input.planned_end)?;
    let actual_start = optional("actual_start", input.actual_start)?;
    let actual_end = optional("actual_end", input.actual_end)?;
    if planned_end.is_some_and(|end| end < planned_start) {
        return Err(Error::invalid_field(
            "planned_end",
            "The planned end is before the planned start; swap or fix the dates.",
        ));
    }
    if let (Some(start), Some(end)) = (actual_start, actual_end) {
        if end < start {
            return Err(Error::invalid_field(
                "actual_end",
                "The actual end is before the actual start; swap or fix the dates.",
            ));
        }
    }
    let name = match input.name.trim() {
        "" => input.kind.default_name().to_string(),
        n => n.to_string(),
    };
    Ok(Clean {
        kind: input.kind,
        name,
        planned_start: dates::format(planned_start),
        planned_end: planned_end.map(dates::format),
        actual_start: actual_start.map(dates::format),
        actual_end: actual_end.map(dates::format),
    })
}

fn details(release_id: i64, clean: &Clean) -> serde_json::Value {
    serde_json::json!({
        "release_id": release_id,
        "kind": clean.kind,
        "name": clean.name,
        "planned_start": clean.planned_start,
        "planned_end": clean.planned_end,
    })
}
