//! The timeline: every release as a bar (first milestone, or creation, to target), grouped by product,
//! with its milestones, slippage, lateness and freeze-window conflicts, and the change calendar: each
//! planned change's window on its product, with what it runs into, and each incident at its detection;
//! `today` is passed in.
//!
//! A screen shows a few dozen of the hundreds of rows a window of days holds, so the rows are counted
//! and ordered from the release table's day index alone (`bar_start`, `day_first`, `day_last`, kept by
//! triggers), and only the rows asked for (`row_offset`, `row_limit`) are read with their milestones.

use crate::store::Cached;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::freeze::{self, Conflict, FreezeWindow};
use crate::milestone::{self, Milestone, MilestoneKind};
use crate::release::{self, Release, ReleaseFilter, ReleaseStatus};
use crate::store::{id_list, Store};
use crate::{dates, Error, Result};
use rusqlite::params;

/// The most rows one call returns: a tall screen's worth many times over.
pub const MAX_ROWS: u32 = 1000;

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
    /// Which of the rows to return, counted from 0 in the timeline's order (products by name, each
    /// one's releases by where their bars start); every group is counted whatever is returned.
    /// Without a limit, every row.
    #[serde(default)]
    pub row_offset: Option<u32>,
    #[serde(default)]
    pub row_limit: Option<u32>,
}

impl TimelineFilter {
    /// The rows asked for, as an offset and a count.
    fn rows(&self) -> Result<(usize, usize)> {
        let offset = self.row_offset.unwrap_or(0) as usize;
        match self.row_limit {
            None => Ok((offset, usize::MAX)),
            Some(limit @ 1..=MAX_ROWS) => Ok((offset, limit as usize)),
            Some(limit) => Err(Error::invalid_field(
                "row_limit",
                format!("Ask for between 1 and {MAX_ROWS} timeline rows at a time, not {limit}."),
            )),
        }
    }

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
    /// How many rows the days hold (each group's are counted, returned or not).
    pub total: u32,
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
    /// The position of its first row among all the timeline's rows, and how many it has.
    pub first: u32,
    pub count: u32,
    /// Those of its rows that were asked for.
    pub rows: Vec<TimelineRow>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TimelineRow {
    /// Its position among all the timeline's rows.
    pub index: u32,
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
    let (from, to) = filter.days()?.unwrap_or_else(|| ("0000-01-01".into(), "9999-12-31".into()));
    let (offset, limit) = filter.rows()?;
    let which = ReleaseFilter { product_id: filter.product_id, status: filter.status };
    let earliest = earliest(store, filter.product_id)?;
    let mut spans = spans(store, &which, &from, &to, earliest.as_deref().unwrap_or(&today_text))?;
    let needle = filter.search.trim().to_lowercase();
    if !needle.is_empty() {
        let found = matching(store, &spans, &needle)?;
        spans.retain(|s| found.contains(&s.id));
    }
    // Products by name, each one's releases by where their bars start: the order rows are counted in.
    let names = product_names(store)?;
    let name = |id: i64| names.get(&id).map_or("", String::as_str);
    let mut by_name: Vec<(&i64, String)> = names.iter().map(|(id, n)| (id, n.to_lowercase())).collect();
    by_name.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    let rank: HashMap<i64, usize> = by_name.iter().enumerate().map(|(i, (id, _))| (**id, i)).collect();
    for span in &mut spans {
        span.rank = rank.get(&span.product_id).copied().unwrap_or(usize::MAX);
    }
    spans.sort_unstable_by(|a, b| (a.rank, &a.bar_start, a.id).cmp(&(b.rank, &b.bar_start, b.id)));

    let (mut start, mut end) = (today_text.clone(), today_text.clone());
    let mut groups: Vec<TimelineGroup> = Vec::new();
    for (index, span) in spans.iter().enumerate() {
        if span.day_first < start {
            start.clone_from(&span.day_first);
        }
        if span.day_last > end {
            end.clone_from(&span.day_last);
        }
        match groups.last_mut() {
            Some(group) if group.product_id == span.product_id => group.count += 1,
            _ => groups.push(TimelineGroup {
                product_id: span.product_id,
                product_name: name(span.product_id).to_string(),
                first: index as u32,
                count: 1,
                rows: Vec::new(),
            }),
        }
    }
    let shown = &spans[offset.min(spans.len())..offset.saturating_add(limit).min(spans.len())];
    let windows = freeze::list(store)?;
    for row in rows(store, shown, offset, &windows, &today_text)? {
        let index = row.index;
        if let Some(group) = groups.iter_mut().rev().find(|g| g.first <= index) {
            group.rows.push(row);
        }
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
    let earliest = earliest.map_or(start.clone(), |day| day.min(start.clone()));
    let total = spans.len() as u32;
    Ok(Timeline { today: today_text, start, end, earliest, total, groups, windows, changes })
}

/// A release the window touches, as its row's days (kept on the release by the schema's triggers).
struct Span {
    id: i64,
    product_id: i64,
    /// Its product's place in name order.
    rank: usize,
    bar_start: String,
    day_first: String,
    day_last: String,
}

/// The releases with something drawn in the days `from` to `to`, read from one of the two day
/// indexes alone: by the last day when fewer releases end after `from` than start before `to` (a
/// window near today), else by the first (one long past). `earliest` is the plan's first day.
fn spans(store: &Store, filter: &ReleaseFilter, from: &str, to: &str, earliest: &str) -> Result<Vec<Span>> {
    let conn = store.conn();
    let latest: Option<String> = conn.query_row_cached("SELECT max(day_last) FROM release", [], |r| r.get(0))?;
    let before_to = dates::days_between(earliest, to.min(latest.as_deref().unwrap_or(to)));
    let after_from = dates::days_between(from.max(earliest), latest.as_deref().unwrap_or(from));
    let index = if after_from <= before_to { "release_day_last" } else { "release_day_first" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, product_id, bar_start, day_first, day_last FROM release INDEXED BY {index}
          WHERE day_last >= ?3 AND day_first <= ?4 AND (?1 IS NULL OR product_id = ?1) AND (?2 IS NULL OR status = ?2)"
    ))?;
    let rows = stmt.query_map(params![filter.product_id, filter.status.map(|s| s.as_str()), from, to], |r| {
        Ok(Span {
            id: r.get(0)?,
            product_id: r.get(1)?,
            rank: 0,
            bar_start: r.get(2)?,
            day_first: r.get(3)?,
            day_last: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The releases among `spans` whose version, codename, product, owner or a milestone's name holds
/// `needle` (lower case), compared in Rust so that case folds beyond ASCII.
fn matching(store: &Store, spans: &[Span], needle: &str) -> Result<HashSet<i64>> {
    let ids = id_list(spans.iter().map(|s| s.id));
    let conn = store.conn();
    let mut found = HashSet::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT r.id, r.version, r.codename, p.name, r.owner FROM release r JOIN product p ON p.id = r.product_id
          WHERE r.id IN ({ids})"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if (1..5)
            .any(|i| r.get_ref(i).ok().and_then(|v| v.as_str().ok()).is_some_and(|t| t.to_lowercase().contains(needle)))
        {
            found.insert(r.get(0)?);
        }
    }
    let mut stmt = conn.prepare(&format!("SELECT release_id, name FROM milestone WHERE release_id IN ({ids})"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if r.get_ref(1)?.as_str().is_ok_and(|t| t.to_lowercase().contains(needle)) {
            found.insert(r.get(0)?);
        }
    }
    Ok(found)
}

/// The rows of these releases, in their order, with their milestones, conflicts and incidents.
fn rows(
    store: &Store,
    shown: &[Span],
    offset: usize,
    windows: &[FreezeWindow],
    today: &str,
) -> Result<Vec<TimelineRow>> {
    let ids: Vec<i64> = shown.iter().map(|s| s.id).collect();
    let mut releases: HashMap<i64, Release> = release::by_ids(store, &ids)?.into_iter().map(|r| (r.id, r)).collect();
    let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
    if !ids.is_empty() {
        let mut stmt = store.conn().prepare(&format!(
            "SELECT {} FROM milestone WHERE release_id IN ({})",
            milestone::COLUMNS,
            id_list(ids.iter().copied())
        ))?;
        for m in stmt.query_map([], milestone::from_row)? {
            let m = m?;
            milestones.entry(m.release_id).or_default().push(m);
        }
    }
    let mut incidents: HashMap<i64, Vec<TimelineIncident>> = HashMap::new();
    let mut found = crate::incident::of_releases(store, &ids)?;
    found.sort_by(|a, b| a.detected_at.cmp(&b.detected_at).then(a.id.cmp(&b.id)));
    for i in found {
        let Some(release_id) = i.release_id else { continue };
        let detected_date = i.detected_at.get(..10).unwrap_or_default().to_string();
        let marker =
            TimelineIncident { id: i.id, title: i.title, severity: i.severity, status: i.status, detected_date };
        incidents.entry(release_id).or_default().push(marker);
    }
    Ok(shown
        .iter()
        .enumerate()
        .filter_map(|(i, span)| {
            let release = releases.remove(&span.id)?;
            let mut mine = milestones.remove(&span.id).unwrap_or_default();
            // Sorted here, a release's few at a time, rather than all of them by SQLite's sorter.
            mine.sort_by(|a, b| a.planned_start.cmp(&b.planned_start).then(a.id.cmp(&b.id)));
            let mut row = row(release, mine, windows, today);
            row.index = (offset + i) as u32;
            row.incidents = incidents.remove(&span.id).unwrap_or_default();
            Some(row)
        })
        .collect())
}

fn product_names(store: &Store) -> Result<HashMap<i64, String>> {
    let mut stmt = store.conn().prepare_cached("SELECT id, name FROM product")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
/// The first day anything of a release is drawn, shown or not: the first entry of the day index.
fn earliest(store: &Store, product_id: Option<i64>) -> Result<Option<String>> {
    Ok(store.conn().query_row_cached(
        "SELECT min(day_first) FROM release INDEXED BY release_day_first WHERE ?1 IS NULL OR product_id = ?1",
        [product_id],
        |r| r.get(0),
    )?)
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
    TimelineRow { index: 0, release, bar_start, bar_end, late, milestones, conflicts, incidents: Vec::new() }
}
