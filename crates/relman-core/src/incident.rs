//! Incidents after a release: what went wrong in production, attributed to the release (and the
//! deployment that shipped it), with when it was detected, mitigated and resolved, the commits
//! suspected, whether it needed a rollback, and the hotfix release made to repair it (marked as
//! rework). A risk that occurred links to its incident. Feedback on a release is kept for its
//! retrospective. Every write is one transaction with its audit event; both are shared with the plan.

use crate::store::page::{Page, PageRequest};
use crate::store::Cached;
use chrono::{DateTime, FixedOffset};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::release::{self, ReleaseInput};
use crate::store::{audit, AuditRecord, Store};
use crate::{product, version, Error, Result, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Sev1 => "sev1",
            Severity::Sev2 => "sev2",
            Severity::Sev3 => "sev3",
            Severity::Sev4 => "sev4",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "sev1" | "1" => Ok(Severity::Sev1),
            "sev2" | "2" => Ok(Severity::Sev2),
            "sev3" | "3" => Ok(Severity::Sev3),
            "sev4" | "4" => Ok(Severity::Sev4),
            other => Err(Error::invalid_field(
                "severity",
                format!("\"{other}\" is not a severity; use sev1 (the worst) to sev4."),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Open,
    Mitigated,
    Resolved,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Mitigated => "mitigated",
            IncidentStatus::Resolved => "resolved",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "mitigated" => IncidentStatus::Mitigated,
            "resolved" => IncidentStatus::Resolved,
            _ => IncidentStatus::Open,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Incident {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7).
    pub uid: String,
    pub product_id: i64,
    pub release_id: Option<i64>,
    /// "Atlas Web 2.5.0", when attributed to a release.
    pub release_name: Option<String>,
    pub deployment_id: Option<i64>,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    /// RFC 3339, with the offset it was given in.
    pub detected_at: String,
    pub mitigated_at: Option<String>,
    pub resolved_at: Option<String>,
    /// Minutes from detection to resolution, once resolved.
    pub minutes_to_restore: Option<i64>,
    pub suspected_commits: Vec<String>,
    pub needed_rollback: bool,
    pub hotfix_release_id: Option<i64>,
    pub notes: String,
    pub links: Vec<String>,
    pub reported_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// What `relman incident add` and the incident form give.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct IncidentInput {
    pub product_id: i64,
    #[serde(default)]
    pub release_id: Option<i64>,
    /// Without one, the release's last production deployment started before the detection (else its
    /// last deployment of any environment).
    #[serde(default)]
    pub deployment_id: Option<i64>,
    pub title: String,
    pub severity: Option<Severity>,
    /// RFC 3339; now when not given.
    #[serde(default)]
    pub detected_at: Option<String>,
    #[serde(default)]
    pub suspected_commits: Vec<String>,
    #[serde(default)]
    pub needed_rollback: bool,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub links: Vec<String>,
    /// A risk of the register that occurred as this incident: marked occurred and linked.
    #[serde(default)]
    pub risk_id: Option<i64>,
}

/// A time as RFC 3339 with an offset, or a field error saying how to write one.
fn instant(field: &'static str, text: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
        Error::invalid_field(
            field,
            format!("\"{text}\" is not a time with its offset; write it as 2026-12-10T22:15:00+01:00."),
        )
    })
}

/// Suspected commits are SHAs: at least 7 hex digits each.
fn check_shas(shas: &[String]) -> Result<()> {
    for sha in shas.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if sha.len() < 7 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::invalid_field(
                "suspected_commits",
                format!("\"{sha}\" is not a commit SHA; give at least 7 hex digits, such as 3f2a9c1."),
            ));
        }
    }
    Ok(())
}

fn list_json(items: &[String]) -> String {
    let kept: Vec<&str> = items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
}

pub fn create(store: &mut Store, stamp: &Stamp, input: IncidentInput) -> Result<Incident> {
    let title = input.title.trim().to_string();
    if title.is_empty() {
        return Err(Error::invalid_field("title", "Say what went wrong, such as \"Checkout returns 500 for PayPal\"."));
    }
    let severity = input
        .severity
        .ok_or_else(|| Error::invalid_field("severity", "Choose a severity: sev1 (the worst) to sev4."))?;
    check_shas(&input.suspected_commits)?;
    let detected = match input.detected_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => instant("detected_at", text)?.to_rfc3339(),
        None => stamp.at_text(),
    };
    let id = store.write(|tx| {
        product::find(tx, input.product_id)?;
        if let Some(release_id) = input.release_id {
            let found = release::find(tx, release_id)?;
            if found.product_id != input.product_id {
                return Err(Error::invalid_field("release_id", format!("{} is a release of another product.", found.version)));
            }
        }
        let deployment = match (input.deployment_id, input.release_id) {
            (Some(id), release) => {
                let of: Option<i64> =
                    tx.query_row_cached("SELECT release_id FROM deployment WHERE id = ?1", [id], |r| r.get(0)).optional()?;
                match of {
                    None => return Err(Error::invalid_field("deployment_id", format!("Deployment {id} does not exist."))),
                    Some(of) if release.is_some_and(|r| r != of) => {
                        return Err(Error::invalid_field("deployment_id", format!("Deployment {id} shipped another release.")))
                    }
                    Some(_) => Some(id),
                }
            }
            (None, Some(release_id)) => tx
                .query_row(
                    // Production first: an incident after a staging run still comes from what users have.
                    "SELECT id FROM deployment WHERE release_id = ?1 AND started_at <= ?2
                     ORDER BY lower(trim(environment)) IN ('production', 'prod') DESC, started_at DESC, id DESC LIMIT 1",
                    params![release_id, detected],
                    |r| r.get(0),
                )
                .optional()?,
            (None, None) => None,
        };
        tx.execute_cached(
            "INSERT INTO incident (product_id, release_id, deployment_id, title, severity, detected_at, suspected_commits,
                 needed_rollback, notes, links, reported_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                input.product_id,
                input.release_id,
                deployment,
                title,
                severity.as_str(),
                detected,
                list_json(&input.suspected_commits),
                input.needed_rollback,
                input.notes.trim(),
                list_json(&input.links),
                stamp.actor,
                stamp.at_text()
            ],
        )?;
        let id = tx.last_insert_rowid();
        if let Some(risk_id) = input.risk_id {
            let changed = tx.execute_cached(
                "UPDATE risk SET status = 'occurred', incident_id = ?2, updated_at = ?3 WHERE id = ?1 AND product_id = ?4",
                params![risk_id, id, stamp.at_text(), input.product_id],
            )?;
            if changed == 0 {
                return Err(Error::invalid_field("risk_id", format!("Risk {risk_id} is not in this product's register.")));
            }
            let details = serde_json::json!({ "status": "occurred", "incident_id": id });
            audit::record(tx, stamp, AuditRecord::new("risk", risk_id, "update", details))?;
        }
        let details = serde_json::json!({ "title": title, "severity": severity, "release_id": input.release_id,
            "deployment_id": deployment, "detected_at": detected });
        audit::record(tx, stamp, AuditRecord::new("incident", id, "create", details))?;
        Ok(id)
    })?;
    get(store, id)
}

/// Marks an incident mitigated or resolved at `at` (now when not given), never before its detection;
/// resolving one not yet mitigated mitigates it at the same time.
pub fn set_status(
    store: &mut Store,
    stamp: &Stamp,
    id: i64,
    status: IncidentStatus,
    at: Option<&str>,
) -> Result<Incident> {
    let at = match at.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => instant("at", text)?,
        None => stamp.at.fixed_offset(),
    };
    store.write(|tx| {
        let found = read(tx, id)?;
        let detected = instant("detected_at", &found.detected_at)?;
        if at < detected {
            return Err(Error::invalid_field(
                "at",
                format!("\"{}\" was detected at {}; it cannot be {} before that.", found.title, found.detected_at, status.as_str()),
            ));
        }
        let at = at.to_rfc3339();
        match status {
            IncidentStatus::Open => tx.execute_cached(
                "UPDATE incident SET status = 'open', mitigated_at = NULL, resolved_at = NULL, updated_at = ?2 WHERE id = ?1",
                params![id, stamp.at_text()],
            )?,
            IncidentStatus::Mitigated => tx.execute_cached(
                "UPDATE incident SET status = 'mitigated', mitigated_at = ?2, resolved_at = NULL, updated_at = ?3 WHERE id = ?1",
                params![id, at, stamp.at_text()],
            )?,
            IncidentStatus::Resolved => tx.execute_cached(
                "UPDATE incident SET status = 'resolved', mitigated_at = COALESCE(mitigated_at, ?2), resolved_at = ?2,
                     updated_at = ?3 WHERE id = ?1",
                params![id, at, stamp.at_text()],
            )?,
        };
        let details = serde_json::json!({ "status": status, "at": at });
        audit::record(tx, stamp, AuditRecord::new("incident", id, "status", details))
    })?;
    get(store, id)
}

/// Opens the hotfix release of an incident's release: the next patch version free (2.5.0 → 2.5.1),
/// its range from the release's tag, marked as rework, linked from the incident.
pub fn hotfix(store: &mut Store, stamp: &Stamp, id: i64) -> Result<(Incident, release::Release)> {
    let found = get(store, id)?;
    if let Some(existing) = found.hotfix_release_id {
        let r = release::get(store, existing)?;
        return Err(Error::Conflict(format!(
            "\"{}\" already has its hotfix: {} {}.",
            found.title, r.product_name, r.version
        )));
    }
    let release_id = found.release_id.ok_or_else(|| {
        Error::invalid_field(
            "release_id",
            format!("\"{}\" is not attributed to a release, so there is nothing to patch.", found.title),
        )
    })?;
    let broken = release::get(store, release_id)?;
    let owner = product::get(store, broken.product_id)?;
    let taken: Vec<String> =
        release::list(store, &release::ReleaseFilter { product_id: Some(owner.id), status: None })?
            .into_iter()
            .map(|r| r.version)
            .collect();
    let mut next = version::patch_after(&broken.version, owner.versioning);
    while let Some(candidate) = next.clone().filter(|v| taken.contains(v)) {
        next = version::patch_after(&candidate, owner.versioning);
    }
    let next = next.ok_or_else(|| {
        Error::invalid_field(
            "version",
            format!("{} is a pre-release: create its fix as a release of your own.", broken.version),
        )
    })?;
    let from_ref =
        owner.repository.as_ref().map(|r| r.tag_pattern.replace("{version}", &broken.version)).unwrap_or_default();
    let input = ReleaseInput {
        product_id: owner.id,
        version: next,
        description: format!("Hotfix for \"{}\" ({}).", found.title, found.severity.as_str()),
        owner: broken.owner.clone(),
        from_ref,
        ..Default::default()
    };
    let new_id = store.write(|tx| {
        let new_id = release::insert(tx, stamp, input)?;
        tx.execute_cached("UPDATE release SET rework = 1 WHERE id = ?1", [new_id])?;
        tx.execute_cached(
            "UPDATE incident SET hotfix_release_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, new_id, stamp.at_text()],
        )?;
        audit::record(
            tx,
            stamp,
            AuditRecord::new("incident", id, "hotfix", serde_json::json!({ "release_id": new_id })),
        )?;
        Ok(new_id)
    })?;
    Ok((get(store, id)?, release::get(store, new_id)?))
}

/// Names an existing release as the incident's hotfix (one planned outside Relman's hotfix action),
/// and marks it as rework.
pub fn attach_hotfix(store: &mut Store, stamp: &Stamp, id: i64, release_id: i64) -> Result<Incident> {
    store.write(|tx| {
        let found = read(tx, id)?;
        let fix = release::find(tx, release_id)?;
        if fix.product_id != found.product_id {
            return Err(Error::invalid_field(
                "release_id",
                format!("{} is a release of another product.", fix.version),
            ));
        }
        if Some(release_id) == found.release_id {
            return Err(Error::invalid_field(
                "release_id",
                "A release cannot be its own hotfix; pick the release that repairs it.",
            ));
        }
        tx.execute_cached("UPDATE release SET rework = 1 WHERE id = ?1", [release_id])?;
        tx.execute_cached(
            "UPDATE incident SET hotfix_release_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, release_id, stamp.at_text()],
        )?;
        audit::record(
            tx,
            stamp,
            AuditRecord::new("incident", id, "hotfix", serde_json::json!({ "release_id": release_id })),
        )
    })?;
    get(store, id)
}

/// A commit that may have caused an incident: one of its release's range, and whether a later commit
/// names it as the root cause (a `Root-cause: <sha>` trailer).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Suspect {
    pub sha: String,
    pub short_sha: String,
    pub summary: String,
    pub author: String,
    /// The later commit that named it the root cause ("a1b2c3d fix(checkout): …"), if one did.
    pub named_by: Option<String>,
    /// Already listed on the incident.
    pub chosen: bool,
}

/// What reading an incident's suspects needs, gathered under the database lock.
pub struct SuspectsJob {
    range: crate::notes::ReleaseRange,
    default_branch: String,
    chosen: Vec<String>,
}

/// The commits of the incident's release, to pick suspects from; [`SuspectsJob::run`] reads git.
pub fn suspects(store: &Store, id: i64) -> Result<SuspectsJob> {
    let found = get(store, id)?;
    let release_id = found.release_id.ok_or_else(|| {
        Error::invalid_field(
            "release_id",
            format!("\"{}\" is not attributed to a release: there is no range to suspect.", found.title),
        )
    })?;
    let range = crate::notes::release_range(store, release_id, crate::git::RangeOptions::default())?;
    let default_branch =
        product::get(store, found.product_id)?.repository.map(|r| r.default_branch).unwrap_or_default();
    Ok(SuspectsJob { range, default_branch, chosen: found.suspected_commits })
}

impl SuspectsJob {
    /// The release's commits, those a later commit names as the root cause first.
    pub fn run(self) -> Result<Vec<Suspect>> {
        use crate::git::{RangeOptions, WalkControl};
        let (repo, tags, shipped) = self.range.walk_shipped()?;
        // Commits after the release, on the default branch, that name a root cause.
        let end = shipped.to.clone();
        let later_branch =
            if self.default_branch.is_empty() { "HEAD".to_string() } else { self.default_branch.clone() };
        let later = RangeOptions { from: Some(end), to: Some(later_branch), ..Default::default() };
        let later = repo.walk_with(&later, Some(&tags), WalkControl::default()).map(|r| r.commits).unwrap_or_default();
        let names = |token: &str| {
            let t: String = token.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
            t == "rootcause"
        };
        let mut found: Vec<Suspect> = shipped
            .commits
            .iter()
            .map(|c| {
                let named_by = later.iter().find(|l| {
                    l.footers.iter().any(|(token, value)| {
                        let value = value.trim();
                        names(token) && value.len() >= 7 && c.sha.starts_with(&value.to_lowercase())
                    })
                });
                Suspect {
                    sha: c.sha.clone(),
                    short_sha: c.short_sha.clone(),
                    summary: c.summary.clone(),
                    author: format!("{} <{}>", c.author.name, c.author.email),
                    named_by: named_by.map(|l| format!("{} {}", l.short_sha, l.summary)),
                    chosen: self.chosen.iter().any(|s| c.sha.starts_with(s.as_str()) || s.starts_with(&c.sha)),
                }
            })
            .collect();
        found.sort_by_key(|s| s.named_by.is_none());
        Ok(found)
    }
}

/// Replaces the commits suspected of causing an incident (full or abbreviated SHAs).
pub fn set_suspects(store: &mut Store, stamp: &Stamp, id: i64, shas: &[String]) -> Result<Incident> {
    for sha in shas.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if sha.len() < 7 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::invalid_field(
                "suspected_commits",
                format!("\"{sha}\" is not a commit SHA; give at least 7 hex digits."),
            ));
        }
    }
    store.write(|tx| {
        read(tx, id)?;
        tx.execute_cached(
            "UPDATE incident SET suspected_commits = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, list_json(shas), stamp.at_text()],
        )?;
        let details = serde_json::json!({ "suspected_commits": shas });
        audit::record(tx, stamp, AuditRecord::new("incident", id, "suspects", details))
    })?;
    get(store, id)
}

pub fn get(store: &Store, id: i64) -> Result<Incident> {
    read(store.conn(), id)
}

/// Incidents of a product (or of one release, or all), newest first.
pub fn list(store: &Store, product_id: Option<i64>, release_id: Option<i64>) -> Result<Vec<Incident>> {
    let mut stmt = store.conn().prepare(&format!(
        "{SELECT} WHERE (?1 IS NULL OR i.product_id = ?1) AND (?2 IS NULL OR i.release_id = ?2)
         ORDER BY i.detected_at DESC, i.id DESC"
    ))?;
    let rows = stmt.query_map(params![product_id, release_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The incidents of these releases, in no particular order.
pub(crate) fn of_releases(store: &Store, release_ids: &[i64]) -> Result<Vec<Incident>> {
    if release_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::store::id_list(release_ids.iter().copied());
    let mut stmt = store.conn().prepare(&format!("{SELECT} WHERE i.release_id IN ({list})"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of [`list`], in its order.
pub fn page(
    store: &Store,
    product_id: Option<i64>,
    release_id: Option<i64>,
    request: &PageRequest,
) -> Result<Page<Incident>> {
    let limit = request.limit()?;
    let (key, after) = request.position()?;
    let matches = "(?1 IS NULL OR i.product_id = ?1) AND (?2 IS NULL OR i.release_id = ?2)";
    let mut stmt = store.conn().prepare_cached(&format!(
        "{SELECT} WHERE {matches} AND (?3 IS NULL OR (i.detected_at, i.id) < (?3, ?4))
         ORDER BY i.detected_at DESC, i.id DESC LIMIT ?5"
    ))?;
    let rows = stmt
        .query_map(params![product_id, release_id, key, after, limit + 1], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total: u64 = store.conn().query_row_cached(
        &format!("SELECT count(*) FROM incident i WHERE {matches}"),
        params![product_id, release_id],
        |r| r.get(0),
    )?;
    Ok(Page::from_rows(rows, limit, total, |i: &Incident| (i.detected_at.clone(), i.id)))
}

const SELECT: &str = "SELECT i.id, i.uid, i.product_id, i.release_id, p.name || ' ' || r.version, i.deployment_id,
        i.title, i.severity, i.status, i.detected_at, i.mitigated_at, i.resolved_at, i.suspected_commits,
        i.needed_rollback, i.hotfix_release_id, i.notes, i.links, i.reported_by, i.created_at, i.updated_at
    FROM incident i JOIN product p ON p.id = i.product_id LEFT JOIN release r ON r.id = i.release_id";

fn read(conn: &Connection, id: i64) -> Result<Incident> {
    conn.query_row(&format!("{SELECT} WHERE i.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Incident {id} does not exist; list them with `relman incident list`.")))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Incident> {
    let detected_at: String = r.get(9)?;
    let resolved_at: Option<String> = r.get(11)?;
    let minutes_to_restore = resolved_at.as_deref().and_then(|end| {
        let (start, end) = (DateTime::parse_from_rfc3339(&detected_at).ok()?, DateTime::parse_from_rfc3339(end).ok()?);
        Some((end - start).num_minutes())
    });
    let severity: String = r.get(7)?;
    Ok(Incident {
        id: r.get(0)?,
        uid: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        product_id: r.get(2)?,
        release_id: r.get(3)?,
        release_name: r.get(4)?,
        deployment_id: r.get(5)?,
        title: r.get(6)?,
        // The schema's CHECK keeps it to the four words.
        severity: Severity::parse(&severity).unwrap_or(Severity::Sev4),
        status: IncidentStatus::parse(&r.get::<_, String>(8)?),
        detected_at,
        mitigated_at: r.get(10)?,
        resolved_at,
        minutes_to_restore,
        suspected_commits: serde_json::from_str(&r.get::<_, String>(12)?).unwrap_or_default(),
        needed_rollback: r.get(13)?,
        hotfix_release_id: r.get(14)?,
        notes: r.get(15)?,
        links: serde_json::from_str(&r.get::<_, String>(16)?).unwrap_or_default(),
        reported_by: r.get(17)?,
        created_at: r.get(18)?,
        updated_at: r.get(19)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_read_with_or_without_the_prefix() {
        assert_eq!(Severity::parse("SEV1").unwrap(), Severity::Sev1);
        assert_eq!(Severity::parse("3").unwrap(), Severity::Sev3);
        assert_eq!(Severity::parse("critical").unwrap_err().field(), Some("severity"));
    }
}
