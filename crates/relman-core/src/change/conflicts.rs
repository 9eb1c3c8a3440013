//! What a change's planned window runs into, in words: a freeze window of its product, another
//! scheduled change on the same product or on a service both affect, another release's deploy window,
//! and time outside the product's maintenance windows.
//! A pure function of gathered facts ([`judge`]), tested without a database, and the query that
//! gathers them ([`gather`]).

use crate::store::Cached;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use super::policy::{self, MaintenanceWindow};
use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    Freeze,
    Change,
    DeployWindow,
    OutsideMaintenance,
}

/// One thing the window runs into, said so that no colour is needed to read it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChangeConflict {
    pub kind: ConflictKind,
    pub message: String,
}

/// A span of days, both ends included (freeze windows, deploy windows).
#[derive(Debug, Clone, PartialEq)]
pub struct Days {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OtherChange {
    pub id: i64,
    pub title: String,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub same_product: bool,
    pub services: Vec<String>,
}

/// What the rules look at, gathered for one change.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub window: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    pub services: Vec<String>,
    pub freezes: Vec<Days>,
    pub others: Vec<OtherChange>,
    pub deploy_windows: Vec<Days>,
    /// The product's name and weekly maintenance windows (none: any time suits).
    pub product: String,
    pub maintenance: Vec<MaintenanceWindow>,
}

/// Each conflict of the window with what else is planned.
pub fn judge(facts: &Facts) -> Vec<ChangeConflict> {
    let Some((start, end)) = facts.window else { return Vec::new() };
    // Days are read in the window's own time zone: a change at 23:30 on the 10th is on the 10th there.
    let (first_day, last_day) = (start.date_naive(), end.date_naive());
    let on_days = |d: &Days| d.start <= last_day && first_day <= d.end;
    let mut found = Vec::new();
    for freeze in facts.freezes.iter().filter(|d| on_days(d)) {
        found.push(ChangeConflict {
            kind: ConflictKind::Freeze,
            message: format!(
                "The window falls in the freeze window \"{}\" ({} to {}).",
                freeze.name, freeze.start, freeze.end
            ),
        });
    }
    for other in facts.others.iter().filter(|o| o.start < end && start < o.end) {
        let shared: Vec<&String> =
            other.services.iter().filter(|s| facts.services.iter().any(|m| m.eq_ignore_ascii_case(s))).collect();
        let why = match (other.same_product, shared.as_slice()) {
            (true, _) => "on the same product".to_string(),
            (false, []) => continue,
            (false, shared) => format!("on {}", shared.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
        };
        found.push(ChangeConflict {
            kind: ConflictKind::Change,
            message: format!(
                "Change {} \"{}\" is scheduled {why} at the same time ({} to {}).",
                other.id, other.title, other.start, other.end
            ),
        });
    }
    for window in facts.deploy_windows.iter().filter(|d| on_days(d)) {
        found.push(ChangeConflict {
            kind: ConflictKind::DeployWindow,
            message: format!("{} deploys in the same days ({} to {}).", window.name, window.start, window.end),
        });
    }
    if !facts.maintenance.is_empty() && !facts.maintenance.iter().any(|m| m.holds(start, end)) {
        let windows: Vec<String> = facts.maintenance.iter().map(MaintenanceWindow::describe).collect();
        found.push(ChangeConflict {
            kind: ConflictKind::OutsideMaintenance,
            message: format!("The window is outside {}'s maintenance window ({}).", facts.product, windows.join("; ")),
        });
    }
    found
}

/// The facts for change `id`: its product's freeze windows (and those for every product), the
/// other changes scheduled or being implemented, and other releases' deploy windows.
pub fn gather(conn: &Connection, id: i64) -> Result<Facts> {
    let (product_id, release_id, start, end, services): (i64, Option<i64>, Option<String>, Option<String>, String) =
        conn.query_row_cached(
            "SELECT product_id, release_id, window_start, window_end, services FROM change_request WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    let instant = |t: &Option<String>| t.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    let window = instant(&start).zip(instant(&end));
    let day = |t: String| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok();

    let mut stmt = conn.prepare(
        "SELECT w.name, w.start_date, w.end_date FROM freeze_window w
         WHERE NOT EXISTS (SELECT 1 FROM freeze_window_product f WHERE f.window_id = w.id)
            OR EXISTS (SELECT 1 FROM freeze_window_product f WHERE f.window_id = w.id AND f.product_id = ?1)",
    )?;
    let freezes = stmt
        .query_map([product_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .filter_map(|r| r.ok())
        .filter_map(|(name, s, e)| Some(Days { name, start: day(s)?, end: day(e)? }))
        .collect();

    let mut stmt = conn.prepare(
        "SELECT id, title, window_start, window_end, product_id = ?2, services FROM change_request
         WHERE id <> ?1 AND state IN ('scheduled', 'implement') AND window_start IS NOT NULL AND window_end IS NOT NULL",
    )?;
    let others = stmt
        .query_map(params![id, product_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .filter_map(|r| r.ok())
        .filter_map(|(id, title, s, e, same_product, services)| {
            Some(OtherChange {
                id,
                title,
                start: DateTime::parse_from_rfc3339(&s).ok()?,
                end: DateTime::parse_from_rfc3339(&e).ok()?,
                same_product,
                services: serde_json::from_str(&services).unwrap_or_default(),
            })
        })
        .collect();

    let mut stmt = conn.prepare(
        "SELECT p.name || ' ' || r.version, m.planned_start, COALESCE(m.planned_end, m.planned_start)
         FROM milestone m JOIN release r ON r.id = m.release_id JOIN product p ON p.id = r.product_id
         WHERE m.kind = 'deploy_window' AND r.id IS NOT ?1 AND r.status NOT IN ('released', 'cancelled', 'rolled_back')",
    )?;
    let deploy_windows = stmt
        .query_map([release_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .filter_map(|r| r.ok())
        .filter_map(|(name, s, e)| Some(Days { name, start: day(s)?, end: day(e)? }))
        .collect();

    let product: String =
        conn.query_row_cached("SELECT name FROM product WHERE id = ?1", [product_id], |r| r.get(0))?;
    let maintenance = policy::read(conn, product_id)?.maintenance;
    Ok(Facts {
        window,
        services: serde_json::from_str(&services).unwrap_or_default(),
        freezes,
        others,
        deploy_windows,
        product,
        maintenance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn days(name: &str, start: &str, end: &str) -> Days {
        Days { name: name.into(), start: start.parse().unwrap(), end: end.parse().unwrap() }
    }

    fn facts() -> Facts {
        Facts {
            window: Some((at("2026-12-10T22:00:00+01:00"), at("2026-12-10T23:30:00+01:00"))),
            services: vec!["payments".into()],
            ..Default::default()
        }
    }

    fn other(same_product: bool, services: &[&str], start: &str, end: &str) -> OtherChange {
        let services = services.iter().map(|s| s.to_string()).collect();
        OtherChange { id: 7, title: "Rotate keys".into(), start: at(start), end: at(end), same_product, services }
    }

    #[test]
    fn each_kind_is_found_and_not_just_outside() {
        let cases: Vec<(&str, Facts, Vec<ConflictKind>)> = vec![
            ("nothing planned", facts(), vec![]),
            (
                "a freeze on the day",
                Facts { freezes: vec![days("Holiday", "2026-12-10", "2026-12-24")], ..facts() },
                vec![ConflictKind::Freeze],
            ),
            (
                "a freeze from the next day",
                Facts { freezes: vec![days("Holiday", "2026-12-11", "2026-12-24")], ..facts() },
                vec![],
            ),
            (
                "a freeze read in the window's zone: 23:30 at +01:00 is still the 10th",
                Facts {
                    window: Some((at("2026-12-10T23:00:00+01:00"), at("2026-12-10T23:59:00+01:00"))),
                    freezes: vec![days("Holiday", "2026-12-11", "2026-12-24")],
                    ..facts()
                },
                vec![],
            ),
            (
                "a change on the same product overlapping",
                Facts { others: vec![other(true, &[], "2026-12-10T21:00:00Z", "2026-12-10T22:00:00Z")], ..facts() },
                vec![ConflictKind::Change],
            ),
            (
                "a change on the same product ending as this one starts",
                Facts { others: vec![other(true, &[], "2026-12-10T20:00:00Z", "2026-12-10T21:00:00Z")], ..facts() },
                vec![],
            ),
            (
                "another product's change on a shared service",
                Facts {
                    others: vec![other(false, &["Payments"], "2026-12-10T21:30:00Z", "2026-12-10T23:00:00Z")],
                    ..facts()
                },
                vec![ConflictKind::Change],
            ),
            (
                "another product's change on other services",
                Facts {
                    others: vec![other(false, &["search"], "2026-12-10T21:30:00Z", "2026-12-10T23:00:00Z")],
                    ..facts()
                },
                vec![],
            ),
            (
                "another release deploys that day",
                Facts { deploy_windows: vec![days("Beacon 2026.12", "2026-12-10", "2026-12-10")], ..facts() },
                vec![ConflictKind::DeployWindow],
            ),
            (
                "another release deploys the day before",
                Facts { deploy_windows: vec![days("Beacon 2026.12", "2026-12-09", "2026-12-09")], ..facts() },
                vec![],
            ),
            (
                "inside the maintenance window",
                Facts { maintenance: vec!["thu 21:00-23:59 Europe/Berlin".parse().unwrap()], ..facts() },
                vec![],
            ),
            (
                "a maintenance window on another day",
                Facts { maintenance: vec!["sat 21:00-23:59 Europe/Berlin".parse().unwrap()], ..facts() },
                vec![ConflictKind::OutsideMaintenance],
            ),
            (
                "a maintenance window closing a minute before the end",
                Facts { maintenance: vec!["thu 21:00-23:29 Europe/Berlin".parse().unwrap()], ..facts() },
                vec![ConflictKind::OutsideMaintenance],
            ),
            (
                "no window, nothing to run into",
                Facts { window: None, freezes: vec![days("Holiday", "2026-01-01", "2026-12-31")], ..facts() },
                vec![],
            ),
        ];
        for (what, facts, expected) in cases {
            let kinds: Vec<ConflictKind> = judge(&facts).into_iter().map(|c| c.kind).collect();
            assert_eq!(kinds, expected, "{what}");
        }
    }

    #[test]
    fn a_conflict_says_what_and_when() {
        let found = judge(&Facts { freezes: vec![days("Holiday", "2026-12-10", "2026-12-24")], ..facts() });
        assert_eq!(found[0].message, "The window falls in the freeze window \"Holiday\" (2026-12-10 to 2026-12-24).");
    }
}
