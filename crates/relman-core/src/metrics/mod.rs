//! Delivery metrics computed locally: the facts gathered from the database (production deployments,
//! incidents) and git (the commits each release first shipped), then the pure definitions of
//! [`dora`]. A production deployment is one to an environment named "production" or "prod".

pub mod dora;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;

pub use dora::{Band, FrequencyClass, Metric, Metrics};

use crate::git::{RangeOptions, Repo};
use crate::store::Store;
use crate::{dates, notes, Error, Result};
use dora::{CommitFact, DeployFact, Facts, IncidentFact};

/// The metrics of one product (or all) over the days `from..=to`.
pub fn for_period(store: &Store, product_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Metrics> {
    if to < from {
        return Err(Error::invalid_field(
            "to",
            format!("The period ends ({to}) before it starts ({from}); swap them."),
        ));
    }
    let (facts, skipped) = gather(store, product_id, from, to)?;
    let mut metrics = dora::compute(&facts, from, to);
    if !skipped.is_empty() {
        let note = format!("Left out, their commits could not be read: {}.", skipped.join("; "));
        let lead = &mut metrics.lead_time;
        lead.note = if lead.note.is_empty() { note } else { format!("{} {note}", lead.note) };
    }
    Ok(metrics)
}

/// The last `days` days up to `today`, both included (90 by default in the app and the CLI).
pub fn last_days(today: NaiveDate, days: i64) -> (NaiveDate, NaiveDate) {
    (today - chrono::Duration::days(days - 1), today)
}

fn utc(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// The facts, and the releases whose commits could not be read (with why).
fn gather(store: &Store, product_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<(Facts, Vec<String>)> {
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
    for (id, product, finished, outcome, rework, release_id) in rows {
        let Some(finished) = utc(&finished) else { continue };
        let succeeded = outcome.as_deref() == Some("succeeded");
        if succeeded && !first_success.iter().any(|(r, _, _)| *r == release_id) {
            first_success.push((release_id, id, finished));
        }
        deployments.push(DeployFact { id, product_id: product, finished, succeeded, rework });
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
    let mut commits = Vec::new();
    let mut skipped = Vec::new();
    for (release_id, deployment_id, finished) in first_success {
        let day = dates::format(finished.date_naive());
        if day < start || day >= end {
            continue;
        }
        match release_commits(store, release_id) {
            Ok(found) => {
                commits.extend(found.into_iter().map(|(sha, authored)| CommitFact { sha, authored, deployment_id }))
            }
            Err((name, why)) => skipped.push(format!("{name} ({why})")),
        }
    }
    Ok((Facts { deployments, incidents, commits }, skipped))
}

/// The commits of a release's range with their author times: to its `to` ref or branch, else its
/// release tag when the repository has it (a shipped release's HEAD has moved on).
fn release_commits(
    store: &Store,
    release_id: i64,
) -> std::result::Result<Vec<(String, DateTime<Utc>)>, (String, String)> {
    let range = notes::release_range(store, release_id, RangeOptions::default());
    let range = range.map_err(|e| (format!("release {release_id}"), e.to_string()))?;
    let name = format!("{} {}", range.release.product_name, range.release.version);
    let fail = |e: Error| (name.clone(), e.to_string());
    let repo = Repo::open(std::path::Path::new(&range.repository)).map_err(fail)?;
    let mut options = range.options.clone();
    if options.to.is_none() {
        let tag = range.pattern.tag_name(&range.release.version);
        if repo.resolve(&tag).is_ok() {
            options.to = Some(tag);
        }
    }
    let tags = repo.tag_index(&range.pattern).map_err(fail)?;
    let walked = repo.walk_with(&options, Some(&tags), crate::git::WalkControl::default()).map_err(fail)?;
    Ok(walked.commits.into_iter().filter_map(|c| Some((c.sha, DateTime::from_timestamp(c.time, 0)?))).collect())
}
