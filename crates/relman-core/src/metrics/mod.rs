//! Delivery metrics computed locally: the facts gathered from the database (production deployments,
//! incidents) and git (the commits each release first shipped), then the pure definitions of
//! [`dora`]. A production deployment is one to an environment named "production" or "prod".

pub mod dora;

use crate::store::Cached;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

pub use dora::{Band, FrequencyClass, Metric, Metrics};

use crate::git::RangeOptions;
use crate::store::Store;
use crate::{dates, notes, Error, Result};
use dora::{CommitFact, DeployFact, Facts, IncidentFact};

/// The metrics of one product (or all) over the days `from..=to`, in one call (the CLI, tests).
pub fn for_period(store: &Store, product_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Metrics> {
    prepare(store, product_id, from, to)?.run()
}

/// [`prepare`] for a period given as text (YYYY-MM-DD, both or neither): the last 90 days up to
/// `today` when not given.
pub fn prepare_period(
    store: &Store,
    product_id: Option<i64>,
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<MetricsJob> {
    let (from, to) = match (from.map(str::trim).filter(|t| !t.is_empty()), to.map(str::trim).filter(|t| !t.is_empty()))
    {
        (Some(from), Some(to)) => (dates::parse("from", from)?, dates::parse("to", to)?),
        (None, None) => last_days(today, DEFAULT_DAYS),
        (Some(_), None) => return Err(Error::invalid_field("to", "Give the period's last day too, or neither end.")),
        (None, Some(_)) => {
            return Err(Error::invalid_field("from", "Give the period's first day too, or neither end."))
        }
    };
    prepare(store, product_id, from, to)
}

/// The period the metrics cover unless told: the last 90 days.
pub const DEFAULT_DAYS: i64 = 90;

/// What the metrics need from the database, gathered under its lock; [`MetricsJob::run`] then reads
/// git without it.
pub struct MetricsJob {
    from: NaiveDate,
    to: NaiveDate,
    facts: Facts,
    /// The releases whose commits to read, with the deployment that first shipped them.
    ranges: Vec<(notes::ReleaseRange, i64)>,
    /// Releases whose range could not even be named (no repository linked), with why.
    skipped: Vec<String>,
    /// For a series: where its points start (the facts reach four weeks further back).
    series_from: Option<NaiveDate>,
}

pub fn prepare(store: &Store, product_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<MetricsJob> {
    if to < from {
        return Err(Error::invalid_field(
            "to",
            format!("The period ends ({to}) before it starts ({from}); swap them."),
        ));
    }
    gather(store, product_id, from, to)
}

/// The metrics week by week: each point is the four weeks ending that week, so a single deploy does
/// not make a spike. For the Insights charts.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Series {
    pub points: Vec<SeriesPoint>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SeriesPoint {
    /// The last day of the week the point stands for (YYYY-MM-DD).
    pub week_end: String,
    pub deployment_frequency: Option<f64>,
    pub lead_time: Option<f64>,
    pub change_failure_rate: Option<f64>,
    pub recovery_time: Option<f64>,
    pub rework_rate: Option<f64>,
}

/// Days each point of a [`Series`] looks back over.
pub const SERIES_WINDOW_DAYS: i64 = 28;

/// [`prepare_period`] for a series: the facts from four weeks before the period, so its first point
/// has a whole window behind it.
pub fn prepare_series(
    store: &Store,
    product_id: Option<i64>,
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<MetricsJob> {
    let period = prepare_period(store, product_id, from, to, today)?;
    let mut wide = prepare(store, product_id, period.from - chrono::Duration::days(SERIES_WINDOW_DAYS - 1), period.to)?;
    wide.series_from = Some(period.from);
    Ok(wide)
}

impl MetricsJob {
    /// Reads each release's commits from git and computes the metrics; needs no database.
    pub fn run(self) -> Result<Metrics> {
        let (from, to) = (self.from, self.to);
        let (facts, skipped) = self.read_git();
        let mut metrics = dora::compute(&facts, from, to);
        if !skipped.is_empty() {
            let note = format!("Left out, their commits could not be read: {}.", skipped.join("; "));
            let lead = &mut metrics.lead_time;
            lead.note = if lead.note.is_empty() { note } else { format!("{} {note}", lead.note) };
        }
        Ok(metrics)
    }

    /// One point a week from the period's start: the metrics of the four weeks ending that week.
    pub fn run_series(self) -> Result<Series> {
        let (start, to) = (self.series_from.unwrap_or(self.from), self.to);
        let (facts, _) = self.read_git();
        let mut points = Vec::new();
        let mut end = (start + chrono::Duration::days(6)).min(to);
        loop {
            let m = dora::compute(&facts, end - chrono::Duration::days(SERIES_WINDOW_DAYS - 1), end);
            points.push(SeriesPoint {
                week_end: end.to_string(),
                deployment_frequency: m.deployment_frequency.value,
                lead_time: m.lead_time.value,
                change_failure_rate: m.change_failure_rate.value,
                recovery_time: m.recovery_time.value,
                rework_rate: m.rework_rate.value,
            });
            if end >= to {
                break;
            }
            end = (end + chrono::Duration::days(7)).min(to);
        }
        Ok(Series { points })
    }

    /// The facts with each release's commits read from git, and the releases that could not be read.
    fn read_git(self) -> (Facts, Vec<String>) {
        let mut facts = self.facts;
        let mut skipped = self.skipped;
        for (range, deployment_id) in self.ranges {
            match release_commits(&range) {
                Ok(found) => facts.commits.extend(found.into_iter().map(|(sha, authored)| CommitFact {
                    sha,
                    authored,
                    deployment_id,
                })),
                Err(why) => skipped.push(format!("{} {} ({why})", range.release.product_name, range.release.version)),
            }
        }
        (facts, skipped)
    }
}

/// The last `days` days up to `today`, both included.
pub fn last_days(today: NaiveDate, days: i64) -> (NaiveDate, NaiveDate) {
    (today - chrono::Duration::days(days - 1), today)
}

fn utc(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// The facts from the database, and the ranges to read.
fn gather(store: &Store, product_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<MetricsJob> {
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT d.id, r.product_id, d.finished_at, d.outcome, r.rework, r.id FROM deployment d
         JOIN release r ON r.id = d.release_id
         WHERE d.finished_at IS NOT NULL AND lower(trim(d.environment)) IN ('production', 'prod')
           AND (?1 IS NULL OR r.product_id = ?1)
         ORDER BY d.finished_at, d.id",
    )?;
    let rows: Vec<(i64, i64, String, Option<String>, bool, i64)> = stmt
        .query_map(params![product_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut deployments = Vec::new();
    // Each release's first successful production deployment: the one that shipped its commits.
    let mut first_success: Vec<(i64, i64, DateTime<Utc>)> = Vec::new();
    // Releases whose every production deployment failed: their commits first reached production with
    // the product's next successful deployment (the hotfix that contains them).
    let mut only_failed: Vec<(i64, i64, DateTime<Utc>)> = Vec::new();
    for (id, product, finished, outcome, rework, release_id) in rows {
        let Some(finished) = utc(&finished) else { continue };
        let succeeded = outcome.as_deref() == Some("succeeded");
        if succeeded && !first_success.iter().any(|(r, _, _)| *r == release_id) {
            first_success.push((release_id, id, finished));
            only_failed.retain(|(r, _, _)| *r != release_id);
        } else if !succeeded && !first_success.iter().any(|(r, _, _)| *r == release_id) {
            only_failed.retain(|(r, _, _)| *r != release_id);
            only_failed.push((release_id, product, finished));
        }
        deployments.push(DeployFact { id, product_id: product, finished, succeeded, rework });
    }
    for (release_id, product, failed_at) in only_failed {
        let next = deployments.iter().find(|d| d.product_id == product && d.succeeded && d.finished > failed_at);
        if let Some(next) = next {
            first_success.push((release_id, next.id, next.finished));
        }
    }

    let mut stmt = conn.prepare(
        "SELECT id, deployment_id, detected_at, resolved_at FROM incident WHERE (?1 IS NULL OR product_id = ?1)",
    )?;
    let incidents = stmt
        .query_map(params![product_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .filter_map(|r| r.ok())
        .filter_map(|(id, deployment_id, detected, resolved)| {
            Some(IncidentFact {
                id,
                deployment_id,
                detected: utc(&detected)?,
                resolved: resolved.as_deref().and_then(utc),
            })
        })
        .collect();

    let (start, end) = (dates::format(from), dates::format(to + chrono::Duration::days(1)));
    let mut ranges = Vec::new();
    let mut skipped = Vec::new();
    for (release_id, deployment_id, finished) in first_success {
        let day = dates::format(finished.date_naive());
        if day < start || day >= end {
            continue;
        }
        match notes::release_range(store, release_id, RangeOptions::default()) {
            Ok(range) => ranges.push((range, deployment_id)),
            Err(e) => {
                let name: String = store.conn().query_row_cached(
                    "SELECT p.name || ' ' || r.version FROM release r JOIN product p ON p.id = r.product_id WHERE r.id = ?1",
                    [release_id],
                    |r| r.get(0),
                )?;
                skipped.push(format!("{name} ({e})"));
            }
        }
    }
    Ok(MetricsJob {
        from,
        to,
        facts: Facts { deployments, incidents, commits: Vec::new() },
        ranges,
        skipped,
        series_from: None,
    })
}

/// The commits of a release's range as it shipped, with their author times.
fn release_commits(range: &notes::ReleaseRange) -> Result<Vec<(String, DateTime<Utc>)>> {
    let (_, _, walked) = range.walk_shipped()?;
    Ok(walked.commits.into_iter().filter_map(|c| Some((c.sha, DateTime::from_timestamp(c.time, 0)?))).collect())
}
