//! Freeze (blackout) windows: spans during which nothing should ship, for every product or some; and
//! the conflict check that flags a deploy window or GA planned inside one.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::milestone::{Milestone, MilestoneKind};
use crate::store::{audit, AuditRecord, Store};
use crate::{dates, product, Error, Result, Stamp};

#[derive(Debug, Clone, Serialize, TS)]
pub struct FreezeWindow {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub name: String,
    /// `YYYY-MM-DD`, both ends included.
    pub start_date: String,
    pub end_date: String,
    pub reason: String,
    /// The products it applies to; empty means every product.
    pub product_ids: Vec<i64>,
}

impl FreezeWindow {
    pub fn applies_to(&self, product_id: i64) -> bool {
        self.product_ids.is_empty() || self.product_ids.contains(&product_id)
    }

    /// Whether the span `start..=end` (calendar dates) shares a day with the window.
    pub fn overlaps(&self, start: &str, end: &str) -> bool {
        start <= self.end_date.as_str() && end >= self.start_date.as_str()
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct FreezeWindowInput {
    pub name: String,
    pub start_date: String,
    pub end_date: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub product_ids: Vec<i64>,
}

/// A deploy window or GA planned inside a freeze window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Conflict {
    pub release_id: i64,
    pub milestone_id: i64,
    pub milestone_name: String,
    pub window_id: i64,
    pub window_name: String,
    pub reason: String,
}

/// The conflicts of one product's milestones with the windows; a pure function for the timeline.
pub fn conflicts(product_id: i64, milestones: &[Milestone], windows: &[FreezeWindow]) -> Vec<Conflict> {
    let mut found = Vec::new();
    for m in milestones.iter().filter(|m| matches!(m.kind, MilestoneKind::DeployWindow | MilestoneKind::Ga)) {
        let start = m.actual_start.as_deref().unwrap_or(&m.planned_start);
        let end = m.planned_end.as_deref().filter(|e| *e >= start).unwrap_or(start);
        for w in windows.iter().filter(|w| w.applies_to(product_id) && w.overlaps(start, end)) {
            found.push(Conflict {
                release_id: m.release_id,
                milestone_id: m.id,
                milestone_name: m.name.clone(),
                window_id: w.id,
                window_name: w.name.clone(),
                reason: w.reason.clone(),
            });
        }
    }
    found
}

pub fn list(store: &Store) -> Result<Vec<FreezeWindow>> {
    read_all(store.conn())
}

pub(crate) fn read_all(conn: &Connection) -> Result<Vec<FreezeWindow>> {
    let mut stmt =
        conn.prepare("SELECT id, name, start_date, end_date, reason, uid FROM freeze_window ORDER BY start_date, id")?;
    let mut windows: Vec<FreezeWindow> = stmt
        .query_map([], |r| {
            Ok(FreezeWindow {
                id: r.get(0)?,
                name: r.get(1)?,
                start_date: r.get(2)?,
                end_date: r.get(3)?,
                reason: r.get(4)?,
                product_ids: Vec::new(),
                uid: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut scope = conn.prepare("SELECT window_id, product_id FROM freeze_window_product ORDER BY product_id")?;
    let pairs = scope.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for pair in pairs {
        let (window_id, product_id) = pair?;
        if let Some(w) = windows.iter_mut().find(|w| w.id == window_id) {
            w.product_ids.push(product_id);
        }
    }
    Ok(windows)
}

pub fn create(store: &mut Store, stamp: &Stamp, input: FreezeWindowInput) -> Result<FreezeWindow> {
    let clean = validate(input)?;
    let id = store.write(|tx| {
        check_products(tx, &clean.product_ids)?;
        tx.execute_cached(
            "INSERT INTO freeze_window (name, start_date, end_date, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![clean.name, clean.start_date, clean.end_date, clean.reason, stamp.at_text()],
        )?;
        let id = tx.last_insert_rowid();
        save_scope(tx, id, &clean.product_ids)?;
        audit::record(tx, stamp, AuditRecord::new("freeze_window", id, "create", details(&clean)))?;
        Ok(id)
    })?;
    get(store, id)
}

pub fn update(store: &mut Store, stamp: &Stamp, id: i64, input: FreezeWindowInput) -> Result<FreezeWindow> {
    let clean = validate(input)?;
    store.write(|tx| {
        exists(tx, id)?;
        check_products(tx, &clean.product_ids)?;
        tx.execute_cached(
            "UPDATE freeze_window SET name = ?2, start_date = ?3, end_date = ?4, reason = ?5 WHERE id = ?1",
            params![id, clean.name, clean.start_date, clean.end_date, clean.reason],
        )?;
        save_scope(tx, id, &clean.product_ids)?;
        audit::record(tx, stamp, AuditRecord::new("freeze_window", id, "update", details(&clean)))
    })?;
    get(store, id)
}

/// The fields of a freeze window to change; the others stay (`relman freeze edit`).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct FreezeWindowPatch {
    pub name: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub reason: Option<String>,
    /// The products it applies to from now on (empty: every product).
    pub product_ids: Option<Vec<i64>>,
}

/// Changes only the fields `patch` gives, read and written in one transaction.
pub fn patch(store: &mut Store, stamp: &Stamp, id: i64, patch: FreezeWindowPatch) -> Result<FreezeWindow> {
    store.batch(|store| {
        let before = get(store, id)?;
        let input = FreezeWindowInput {
            name: patch.name.unwrap_or(before.name),
            start_date: patch.start_date.unwrap_or(before.start_date),
            end_date: patch.end_date.unwrap_or(before.end_date),
            reason: patch.reason.unwrap_or(before.reason),
            product_ids: patch.product_ids.unwrap_or(before.product_ids),
        };
        update(store, stamp, id, input)
    })
}

pub fn delete(store: &mut Store, stamp: &Stamp, id: i64) -> Result<()> {
    store.write(|tx| {
        let name = exists(tx, id)?;
        tx.execute_cached("DELETE FROM freeze_window WHERE id = ?1", [id])?;
        audit::record(tx, stamp, AuditRecord::new("freeze_window", id, "delete", serde_json::json!({ "name": name })))
    })
}

pub fn get(store: &Store, id: i64) -> Result<FreezeWindow> {
    read_all(store.conn())?.into_iter().find(|w| w.id == id).ok_or_else(|| not_found(id))
}

fn exists(conn: &Connection, id: i64) -> Result<String> {
    conn.query_row_cached("SELECT name FROM freeze_window WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: i64) -> Error {
    Error::NotFound(format!("Freeze window {id} does not exist; it may have been deleted."))
}

fn check_products(conn: &Connection, ids: &[i64]) -> Result<()> {
    for id in ids {
        product::find(conn, *id).map_err(|_| {
            Error::invalid_field("product_ids", format!("Product {id} does not exist; pick products from the list."))
        })?;
    }
    Ok(())
}

fn save_scope(conn: &Connection, window_id: i64, product_ids: &[i64]) -> Result<()> {
    conn.execute_cached("DELETE FROM freeze_window_product WHERE window_id = ?1", [window_id])?;
    for product_id in product_ids {
        conn.execute_cached(
            "INSERT OR IGNORE INTO freeze_window_product (window_id, product_id) VALUES (?1, ?2)",
            params![window_id, product_id],
        )?;
    }
    Ok(())
}

fn validate(input: FreezeWindowInput) -> Result<FreezeWindowInput> {
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(Error::invalid_field("name", "Name the freeze window, for example \"Black Friday\"."));
    }
    let start = dates::parse("start_date", &input.start_date)?;
    let end = dates::parse("end_date", &input.end_date)?;
    if end < start {
        return Err(Error::invalid_field("end_date", "The window ends before it starts; swap or fix the dates."));
    }
    let mut product_ids = input.product_ids;
    product_ids.sort_unstable();
    product_ids.dedup();
    Ok(FreezeWindowInput {
        name,
        start_date: dates::format(start),
        end_date: dates::format(end),
        reason: input.reason.trim().to_string(),
        product_ids,
    })
}

fn details(clean: &FreezeWindowInput) -> serde_json::Value {
    serde_json::json!({
        "name": clean.name,
        "start_date": clean.start_date,
        "end_date": clean.end_date,
        "reason": clean.reason,
        "product_ids": clean.product_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: &str, end: &str, products: Vec<i64>) -> FreezeWindow {
        FreezeWindow {
            id: 1,
            name: "Black Friday".into(),
            start_date: start.into(),
            end_date: end.into(),
            reason: "Peak traffic".into(),
            product_ids: products,
            uid: String::new(),
        }
    }

    fn milestone(kind: MilestoneKind, start: &str, end: Option<&str>) -> Milestone {
        Milestone {
            id: 7,
            release_id: 3,
            kind,
            name: "Deploy window".into(),
            planned_start: start.into(),
            planned_end: end.map(str::to_string),
            actual_start: None,
            actual_end: None,
            baseline_start: start.into(),
            baseline_end: None,
            slip_days: 0,
            uid: String::new(),
        }
    }

    #[test]
    fn a_deploy_window_touching_a_freeze_by_one_day_conflicts() {
        let windows = [window("2026-11-27", "2026-11-30", vec![])];
        let ends_on_first_day = milestone(MilestoneKind::DeployWindow, "2026-11-25", Some("2026-11-27"));
        assert_eq!(conflicts(1, &[ends_on_first_day], &windows).len(), 1, "both ends are included");
        let day_before = milestone(MilestoneKind::DeployWindow, "2026-11-25", Some("2026-11-26"));
        assert!(conflicts(1, &[day_before], &windows).is_empty());
    }

    #[test]
    fn only_deploys_and_ga_in_scope_conflict() {
        let scoped = [window("2026-12-20", "2027-01-02", vec![2])];
        let ga = milestone(MilestoneKind::Ga, "2026-12-24", None);
        assert_eq!(conflicts(2, std::slice::from_ref(&ga), &scoped).len(), 1);
        assert!(conflicts(1, std::slice::from_ref(&ga), &scoped).is_empty(), "another product's freeze does not apply");
        let review = milestone(MilestoneKind::Review, "2026-12-24", None);
        assert!(conflicts(2, &[review], &scoped).is_empty(), "a review may happen during a freeze");
        let c = &conflicts(2, &[ga], &scoped)[0];
        assert_eq!((c.window_name.as_str(), c.reason.as_str()), ("Black Friday", "Peak traffic"));
    }
}
