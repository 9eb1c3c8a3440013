//! The timeline: every release as a bar (first milestone, or creation, to target), grouped by product,
//! with its milestones, slippage, lateness and freeze-window conflicts, and the change calendar: each
//! planned change's window on its product, with what it runs into, and each incident at its detection. Built in three queries however
//! many releases there are (and one per open change); `today` is passed in.

use crate::store::Cached;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::freeze::{self, Conflict, FreezeWindow};
use crate::milestone::{self, Milestone, MilestoneKind};
use crate::release::{self, Release, ReleaseFilter, ReleaseStatus};
use crate::store::Store;
use crate::{dates, Error, Result};

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct TimelineFilter {
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
    pub status: Option<ReleaseStatus>,
    /// Matches version, codename, product, owner and milestone names, ignoring case.
    #[serde(default)]
    pub search: String,
    /// Only what touches these days (YYYY-MM-DD, both included): the part of the plan in view.
    /// Without `to`, everything from `from` on; without either, everything.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

impl TimelineFilter {
    /// The days asked for, checked: both or neither, the first not after the last.
    fn days(&self) -> Result<Option<(String, String)>> {
        let day = |field: &'static str, text: &Option<String>| -> Result<Option<String>> {
            text.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| dates::parse(field, t).map(dates::format))
                .transpose()
        };
        match (day("from", &self.from)?, day("to", &self.to)?) {
            (None, None) => Ok(None),
            (Some(from), None) => Ok(Some((from, "9999-12-31".into()))),
            (Some(from), Some(to)) if from <= to => Ok(Some((from, to))),
            (Some(from), Some(to)) => Err(Error::invalid_field(
                "to",
                format!("The timeline's days run from {from} to {to}, which ends before it starts; swap them."),
            )),
            (None, Some(_)) => {
                Err(Error::invalid_field("from", "Give the first day of the timeline as well as its last."))
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Timeline {
    pub today: String,
    /// The first and last day anything on it touches (today included).
    pub start: String,
    pub end: String,
    /// The first day any release of the plan touches, shown or not: how far back there is more.
    pub earliest: String,
    pub groups: Vec<TimelineGroup>,
    pub windows: Vec<FreezeWindow>,
    /// Changes still ahead or under way that have a window (not closed or cancelled).
    pub changes: Vec<CalendarChange>,
}

/// A change's window on the change calendar, in the days of the window's own time zone.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CalendarChange {
    pub id: i64,
    pub uid: String,
    pub product_id: i64,
    pub title: String,
    pub state: crate::change::ChangeState,
    #[serde(rename = "type")]
    pub kind: crate::change::ChangeType,
    pub window_start: String,
    pub window_end: String,
    pub start_date: String,
    pub end_date: String,
    /// What the window runs into, in words.
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TimelineGroup {
    pub product_id: i64,
    pub product_name: String,
    pub rows: Vec<TimelineRow>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TimelineRow {
    pub release: Release,
    pub bar_start: String,
    pub bar_end: String,
    /// Past its target and not released, rolled back or cancelled.
    pub late: bool,
    pub milestones: Vec<Milestone>,
    pub conflicts: Vec<Conflict>,
    /// What went wrong after it, marked at the day each was detected.
    pub incidents: Vec<TimelineIncident>,
}

/// An incident on its release's lane.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TimelineIncident {
    pub id: i64,
    pub title: String,
    pub severity: crate::incident::Severity,
    pub status: crate::incident::IncidentStatus,
    /// YYYY-MM-DD, in the offset it was recorded in.
    pub detected_date: String,
}

pub fn timeline(store: &Store, filter: &TimelineFilter, today: NaiveDate) -> Result<Timeline> {
    let today_text = dates::format(today);
    let days = filter.days()?;
    let which = ReleaseFilter { product_id: filter.product_id, status: filter.status };
    let releases = match &days {
        Some((from, to)) => release::overlapping(store, &which, from, to)?,
        None => release::list(store, &which)?,
    };
    let mut by_release: HashMap<i64, Vec<Milestone>> = HashMap::new();
    let ids: Vec<String> = releases.iter().map(|r| r.id.to_string()).collect();
    // The ids come from the database as numbers: no text of anyone's is put in the SQL.
    let mut stmt = store.conn().prepare(&format!(
        "SELECT {} FROM milestone WHERE release_id IN ({})",
        milestone::COLUMNS,
        ids.join(",")
    ))?;
    for m in stmt.query_map([], milestone::from_row)? {
        let m = m?;
        by_release.entry(m.release_id).or_default().push(m);
    }
    // Sorted here, a release's few at a time, rather than all of them by SQLite's sorter.
    for milestones in by_release.values_mut() {
        milestones.sort_by(|a, b| a.planned_start.cmp(&b.planned_start).then(a.id.cmp(&b.id)));
    }
    let windows = freeze::list(store)?;
    let mut incidents: HashMap<i64, Vec<TimelineIncident>> = HashMap::new();
    for i in crate::incident::list(store, filter.product_id, None)?.into_iter().rev() {
        let Some(release_id) = i.release_id else { continue };
        let detected_date = i.detected_at.get(..10).unwrap_or_default().to_string();
        let marker =
            TimelineIncident { id: i.id, title: i.title, severity: i.severity, status: i.status, detected_date };
        incidents.entry(release_id).or_default().push(marker);
    }
    let needle = filter.search.trim().to_lowercase();
    let mut groups: Vec<TimelineGroup> = Vec::new();
    let (mut start, mut end) = (today_text.clone(), today_text.clone());
    for release in releases {
        let milestones = by_release.remove(&release.id).unwrap_or_default();
        if !needle.is_empty() && !matches(&release, &milestones, &needle) {
            continue;
        }
        let mut row = row(release, milestones, &windows, &today_text);
        if let Some((from, to)) = &days {
            let touches = |a: &str, b: &str| a <= to.as_str() && b >= from.as_str();
            let milestone_in = row
                .milestones
                .iter()
                .any(|m| touches(&m.planned_start, m.planned_end.as_deref().unwrap_or(&m.planned_start)));
            if !touches(&row.bar_start, &row.bar_end) && !milestone_in {
                continue;
            }
        }
        row.incidents = incidents.remove(&row.release.id).unwrap_or_default();
        // The row's first and last day, compared in place: only a new extreme is copied.
        let days = row.milestones.iter().flat_map(|m| {
            [Some(&m.baseline_start), Some(&m.planned_start), m.planned_end.as_ref()].into_iter().flatten()
        });
        let days = days
            .chain([&row.bar_start, &row.bar_end])
            .chain(row.release.baseline_target.as_ref())
            .chain(row.incidents.iter().map(|i| &i.detected_date));
        for day in days {
            if *day < start {
                start.clone_from(day);
            }
            if *day > end {
                end.clone_from(day);
            }
        }
        match groups.iter_mut().find(|g| g.product_id == row.release.product_id) {
            Some(group) => group.rows.push(row),
            None => groups.push(TimelineGroup {
                product_id: row.release.product_id,
                product_name: row.release.product_name.clone(),
                rows: vec![row],
            }),
        }
    }
    groups.sort_by_key(|g| g.product_name.to_lowercase());
    for group in &mut groups {
        group.rows.sort_by(|a, b| a.bar_start.cmp(&b.bar_start).then(a.release.id.cmp(&b.release.id)));
    }
    for w in &windows {
        start = start.min(w.start_date.clone());
        end = end.max(w.end_date.clone());
    }
    let changes = calendar(store, filter.product_id)?;
    for c in &changes {
        start = start.min(c.start_date.clone());
        end = end.max(c.end_date.clone());
    }
    let earliest = earliest(store, filter.product_id)?.map_or(start.clone(), |day| day.min(start.clone()));
    Ok(Timeline { today: today_text, start, end, earliest, groups, windows, changes })
}

/// The first day any release touches (its first milestone, or its creation), shown or not. Two
/// statements rather than one with `?1 IS NULL OR …`, which would keep SQLite from the indexes and
/// read every milestone.
fn earliest(store: &Store, product_id: Option<i64>) -> Result<Option<String>> {
    let conn = store.conn();
    Ok(match product_id {
        None => conn.query_row_cached(
            "SELECT min(day) FROM (SELECT min(planned_start) AS day FROM milestone
                                   UNION ALL SELECT substr(min(created_at), 1, 10) FROM release)",
            [],
            |r| r.get(0),
        )?,
        Some(product) => conn.query_row_cached(
            "SELECT min(day) FROM (
                 SELECT min(planned_start) AS day FROM milestone
                  WHERE release_id IN (SELECT id FROM release WHERE product_id = ?1)
                 UNION ALL
                 SELECT substr(min(created_at), 1, 10) FROM release WHERE product_id = ?1)",
            [product],
            |r| r.get(0),
        )?,
    })
}

fn calendar(store: &Store, product_id: Option<i64>) -> Result<Vec<CalendarChange>> {
    let day = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok().map(|d| dates::format(d.date_naive()));
    Ok(crate::change::planned(store, product_id)?
        .into_iter()
        .filter_map(|c| {
            let (window_start, window_end) = (c.window_start?, c.window_end?);
            Some(CalendarChange {
                id: c.id,
                uid: c.uid,
                product_id: c.product_id,
                title: c.title,
                state: c.state,
                kind: c.kind,
                start_date: day(&window_start)?,
                end_date: day(&window_end)?,
                window_start,
                window_end,
                conflicts: c.conflicts.into_iter().map(|k| k.message).collect(),
            })
        })
        .collect())
}

fn row(release: Release, milestones: Vec<Milestone>, windows: &[FreezeWindow], today: &str) -> TimelineRow {
    let created = release.created_at.get(..10).unwrap_or(today).to_string();
    let bar_start =
        milestones.iter().map(|m| m.planned_start.clone()).min().map_or(created.clone(), |m| m.min(created));
    let ga = milestones.iter().find(|m| m.kind == MilestoneKind::Ga).map(|m| m.planned_start.clone());
    let last = milestones.iter().map(|m| m.planned_end.clone().unwrap_or_else(|| m.planned_start.clone())).max();
    let bar_end = release
        .actual_date
        .clone()
        .or_else(|| release.target_date.clone())
        .or(ga)
        .or(last)
        .unwrap_or_else(|| bar_start.clone())
        .max(bar_start.clone());
    let open =
        !matches!(release.status, ReleaseStatus::Released | ReleaseStatus::RolledBack | ReleaseStatus::Cancelled);
    let late = open && release.target_date.as_deref().is_some_and(|t| t < today);
    let conflicts = freeze::conflicts(release.product_id, &milestones, windows);
    TimelineRow { release, bar_start, bar_end, late, milestones, conflicts, incidents: Vec::new() }
}

fn matches(release: &Release, milestones: &[Milestone], needle: &str) -> bool {
    [&release.version, &release.codename, &release.product_name, &release.owner]
        .iter()
        .any(|field| field.to_lowercase().contains(needle))
        || milestones.iter().any(|m| m.name.to_lowercase().contains(needle))
}
