//! Releases: one version of a product, moved through the status machine of [`status`].
//!
//! Every write is one transaction with its audit event; a status change also appends to the release's
//! transition history (who, when, from, to).

mod status;

pub use status::{check as check_transition, ReleaseStatus};

use crate::store::Cached;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::product;
use crate::store::page::{Page, PageRequest};
use crate::store::{audit, AuditRecord, Store};
use crate::{dates, version, Error, Result, Stamp};

/// One version of a product, as shown in lists and the detail view.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Release {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub product_id: i64,
    pub product_name: String,
    pub version: String,
    pub codename: String,
    pub description: String,
    pub owner: String,
    /// `YYYY-MM-DD`
    pub target_date: Option<String>,
    /// `YYYY-MM-DD`, set when it was released.
    pub actual_date: Option<String>,
    /// The first target date it was given; the timeline shows the plan it slipped from.
    pub baseline_target: Option<String>,
    /// Days the target moved from its first plan; later is positive.
    pub slip_days: i64,
    pub from_ref: String,
    pub to_ref: String,
    pub release_branch: String,
    pub status: ReleaseStatus,
    /// A hotfix made to repair another release (rework, in the delivery metrics).
    pub rework: bool,
    /// The statuses it may move to now; the UI offers only these.
    pub next_statuses: Vec<ReleaseStatus>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the user gives to create or edit a release. Dates are `YYYY-MM-DD` text, checked here.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ReleaseInput {
    pub product_id: i64,
    pub version: String,
    #[serde(default)]
    pub codename: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub target_date: Option<String>,
    #[serde(default)]
    pub from_ref: String,
    #[serde(default)]
    pub to_ref: String,
    #[serde(default)]
    pub release_branch: String,
}

/// Which releases to list; empty means all.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ReleaseFilter {
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
    pub status: Option<ReleaseStatus>,
}

/// One recorded status change.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Transition {
    pub from: ReleaseStatus,
    pub to: ReleaseStatus,
    pub actor: String,
    pub at: String,
    pub note: String,
}

pub fn create(store: &mut Store, stamp: &Stamp, input: ReleaseInput) -> Result<Release> {
    let id = store.write(|tx| insert(tx, stamp, input))?;
    get(store, id)
}

/// Records a new planned release inside a write that may do more (a hotfix made from an incident).
pub(crate) fn insert(tx: &Connection, stamp: &Stamp, input: ReleaseInput) -> Result<i64> {
    {
        let clean = validate(tx, input, None)?;
        tx.execute_cached(
            "INSERT INTO release (product_id, version, codename, description, owner, target_date,
                 from_ref, to_ref, release_branch, status, created_at, updated_at, baseline_target)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'planned', ?10, ?10, ?6)",
            params![
                clean.product_id,
                clean.version,
                clean.codename,
                clean.description,
                clean.owner,
                clean.target_date,
                clean.from_ref,
                clean.to_ref,
                clean.release_branch,
                stamp.at_text()
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(tx, stamp, AuditRecord::new("release", id, "create", details(&clean)))?;
        Ok(id)
    }
}

/// Replaces the editable fields of a release. Its product and status do not change here.
pub fn update(store: &mut Store, stamp: &Stamp, id: i64, input: ReleaseInput) -> Result<Release> {
    store.write(|tx| {
        let product_id = find(tx, id)?.product_id;
        replace(tx, stamp, id, ReleaseInput { product_id, ..input })
    })?;
    get(store, id)
}

/// The fields of a release to change; the others stay as they are (`relman release edit`).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct ReleasePatch {
    pub version: Option<String>,
    pub codename: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`; an empty one clears the target.
    pub target_date: Option<String>,
    pub from_ref: Option<String>,
    pub to_ref: Option<String>,
    pub release_branch: Option<String>,
}

/// Changes only the fields `patch` gives, read and written in one transaction, so that a change made
/// meanwhile to another field (the app, another terminal) is kept.
pub fn patch(store: &mut Store, stamp: &Stamp, id: i64, patch: ReleasePatch) -> Result<Release> {
    store.write(|tx| {
        let before = find(tx, id)?;
        let input = ReleaseInput {
            product_id: before.product_id,
            version: patch.version.unwrap_or(before.version),
            codename: patch.codename.unwrap_or(before.codename),
            description: patch.description.unwrap_or(before.description),
            owner: patch.owner.unwrap_or(before.owner),
            target_date: dates::patched(patch.target_date, before.target_date),
            from_ref: patch.from_ref.unwrap_or(before.from_ref),
            to_ref: patch.to_ref.unwrap_or(before.to_ref),
            release_branch: patch.release_branch.unwrap_or(before.release_branch),
        };
        replace(tx, stamp, id, input)
    })?;
    get(store, id)
}

/// Writes `input` over release `id`, with its audit event; `input.product_id` is the release's own.
fn replace(tx: &Connection, stamp: &Stamp, id: i64, input: ReleaseInput) -> Result<()> {
    let clean = validate(tx, input, Some(id))?;
    tx.execute_cached(
        "UPDATE release SET version = ?2, codename = ?3, description = ?4, owner = ?5, target_date = ?6,
             from_ref = ?7, to_ref = ?8, release_branch = ?9, updated_at = ?10,
             baseline_target = COALESCE(baseline_target, ?6) WHERE id = ?1",
        params![
            id,
            clean.version,
            clean.codename,
            clean.description,
            clean.owner,
            clean.target_date,
            clean.from_ref,
            clean.to_ref,
            clean.release_branch,
            stamp.at_text()
        ],
    )?;
    audit::record(tx, stamp, AuditRecord::new("release", id, "update", details(&clean)))
}

/// Moves a release's status and appends the move to its history, inside the caller's transaction.
/// Whether the move is allowed (status machine, gates) is the caller's to decide: `lifecycle::transition`.
/// Moving to released sets the actual date to the day of the move when none is set.
pub(crate) fn record_transition(
    tx: &Connection,
    stamp: &Stamp,
    release: &Release,
    to: ReleaseStatus,
    note: &str,
) -> Result<()> {
    let today = dates::format(stamp.today());
    tx.execute_cached(
        "UPDATE release SET status = ?2, updated_at = ?3,
             actual_date = CASE WHEN ?2 = 'released' THEN COALESCE(actual_date, ?4) ELSE actual_date END
         WHERE id = ?1",
        params![release.id, to.as_str(), stamp.at_text(), today],
    )?;
    tx.execute_cached(
        "INSERT INTO release_transition (release_id, from_status, to_status, actor, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![release.id, release.status.as_str(), to.as_str(), stamp.actor, stamp.at_text(), note],
    )?;
    Ok(())
}

/// Deletes a release with its milestones, checklist, risks and history; the audit log keeps the record
/// of it, naming the risks that went with it (their own history stays in the log too).
/// Deletes a release with its milestones, checklist and risks. A release with deployments keeps its
/// deploy records unless `with_deploy_records` says to delete them too: deleting it is refused,
/// saying how many and how to go on.
pub fn delete(store: &mut Store, stamp: &Stamp, id: i64, with_deploy_records: bool) -> Result<()> {
    store.write(|tx| {
        let release = find(tx, id)?;
        let deployments: i64 =
            tx.query_row_cached("SELECT COUNT(*) FROM deployment WHERE release_id = ?1", [id], |r| r.get(0))?;
        if deployments > 0 && !with_deploy_records {
            return Err(Error::Conflict(format!(
                "{} {} has {deployments} deployment{} on record; deleting it deletes {} deploy log too. Confirm \"delete its deploy records too\" (--with-deploy-records) to go on, or cancel the release instead.",
                release.product_name,
                release.version,
                if deployments == 1 { "" } else { "s" },
                if deployments == 1 { "its" } else { "their" }
            )));
        }
        let mut stmt = tx.prepare("SELECT id, title FROM risk WHERE release_id = ?1 ORDER BY id")?;
        let risks: Vec<serde_json::Value> = stmt
            .query_map([id], |r| Ok(serde_json::json!({ "id": r.get::<_, i64>(0)?, "title": r.get::<_, String>(1)? })))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute_cached("DELETE FROM release WHERE id = ?1", [id])?;
        let details = serde_json::json!({
            "product": release.product_name, "version": release.version, "risks": risks, "deployments": deployments
        });
        audit::record(tx, stamp, AuditRecord::new("release", id, "delete", details))
    })
}

pub fn get(store: &Store, id: i64) -> Result<Release> {
    find(store.conn(), id)
}

/// Finds a release by product name and version, for the CLI.
pub fn find_by_version(store: &Store, product_name: &str, version: &str) -> Result<Release> {
    let product = product::find_by_name(store, product_name)?;
    let found = store
        .conn()
        .query_row(
            &format!("{SELECT} WHERE r.product_id = ?1 AND r.version = ?2"),
            params![product.id, version.trim()],
            from_row,
        )
        .optional()?;
    found.ok_or_else(|| {
        Error::NotFound(format!(
            "{} has no release {}; list them with `relman release list --product \"{}\"`.",
            product.name,
            version.trim(),
            product.name
        ))
    })
}

/// Releases, newest plans first: by target (or actual) date descending, undated ones on top.
/// Every matching release, in the Releases view's order ([`ORDER`]).
pub fn list(store: &Store, filter: &ReleaseFilter) -> Result<Vec<Release>> {
    let mut stmt = store.conn().prepare_cached(&format!("{SELECT} WHERE {MATCHES} ORDER BY {ORDER}"))?;
    let rows = stmt.query_map(params![filter.product_id, filter.status.map(|s| s.as_str())], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of the matching releases, in the order of [`list`], with how many match in all.
pub fn page(store: &Store, filter: &ReleaseFilter, request: &PageRequest) -> Result<Page<Release>> {
    let limit = request.limit()?;
    let (key, id) = request.position()?;
    let conn = store.conn();
    let status = filter.status.map(|s| s.as_str());
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE {MATCHES} AND (?3 IS NULL OR ({PLAN_KEY}, r.id) < (?3, ?4)) ORDER BY {ORDER} LIMIT ?5"
    ))?;
    let rows = stmt
        .query_map(params![filter.product_id, status, key, id, limit + 1], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total: u64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM release r WHERE {MATCHES}"))?
        .query_row(params![filter.product_id, status], |r| r.get(0))?;
    Ok(Page::from_rows(rows, limit, total, |r| (plan_key(r).to_string(), r.id)))
}

/// The releases with these ids, in no particular order.
pub(crate) fn by_ids(store: &Store, ids: &[i64]) -> Result<Vec<Release>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::store::id_list(ids.iter().copied());
    let mut stmt = store.conn().prepare(&format!("{SELECT} WHERE r.id IN ({list})"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What a release is sorted by: its target day, else the day it shipped; undated ones (`~`, after
/// every digit) before the dated, which go newest first.
const PLAN_KEY: &str = "COALESCE(r.target_date, r.actual_date, '~')";
const ORDER: &str = "COALESCE(r.target_date, r.actual_date, '~') DESC, r.id DESC";
const MATCHES: &str = "(?1 IS NULL OR r.product_id = ?1) AND (?2 IS NULL OR r.status = ?2)";

fn plan_key(release: &Release) -> &str {
    release.target_date.as_deref().or(release.actual_date.as_deref()).unwrap_or("~")
}

/// The status history of a release, oldest first.
pub fn history(store: &Store, id: i64) -> Result<Vec<Transition>> {
    let mut stmt = store.conn().prepare(
        "SELECT from_status, to_status, actor, at, note FROM release_transition WHERE release_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let from: String = r.get(0)?;
        let to: String = r.get(1)?;
        Ok(Transition {
            from: parse_stored(&from),
            to: parse_stored(&to),
            actor: r.get(2)?,
            at: r.get(3)?,
            note: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const SELECT: &str = "SELECT r.id, r.product_id, p.name, r.version, r.codename, r.description, r.owner,
        r.target_date, r.actual_date, r.from_ref, r.to_ref, r.release_branch, r.status, r.created_at, r.updated_at,
        r.baseline_target, r.uid, r.rework
    FROM release r JOIN product p ON p.id = r.product_id";

pub(crate) fn find(conn: &Connection, id: i64) -> Result<Release> {
    conn.query_row_cached(&format!("{SELECT} WHERE r.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Release {id} does not exist; it may have been deleted.")))
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Release> {
    let status: String = row.get(12)?;
    let status = parse_stored(&status);
    let target_date: Option<String> = row.get(7)?;
    let baseline_target: Option<String> = row.get(15)?;
    let slip_days = match (&baseline_target, &target_date) {
        (Some(baseline), Some(target)) => dates::days_between(baseline, target),
        _ => 0,
    };
    Ok(Release {
        id: row.get(0)?,
        product_id: row.get(1)?,
        product_name: row.get(2)?,
        version: row.get(3)?,
        codename: row.get(4)?,
        description: row.get(5)?,
        owner: row.get(6)?,
        target_date,
        actual_date: row.get(8)?,
        baseline_target,
        slip_days,
        from_ref: row.get(9)?,
        to_ref: row.get(10)?,
        release_branch: row.get(11)?,
        status,
        next_statuses: status.next().to_vec(),
        created_at: row.get(13)?,
        updated_at: row.get(14)?,
        uid: row.get::<_, Option<String>>(16)?.unwrap_or_default(),
        rework: row.get(17)?,
    })
}

/// The schema's CHECK constraint guarantees a known status.
fn parse_stored(text: &str) -> ReleaseStatus {
    ReleaseStatus::parse(text).unwrap_or(ReleaseStatus::Planned)
}

struct CleanRelease {
    product_id: i64,
    version: String,
    codename: String,
    description: String,
    owner: String,
    target_date: Option<String>,
    from_ref: String,
    to_ref: String,
    release_branch: String,
}

fn validate(tx: &Connection, input: ReleaseInput, except: Option<i64>) -> Result<CleanRelease> {
    let product = product::find(tx, input.product_id)
        .map_err(|_| Error::invalid_field("product_id", "Choose the product this release belongs to."))?;
    let version = version::validate(&input.version, product.versioning)?;
    let taken: Option<i64> = tx
        .query_row_cached(
            "SELECT id FROM release WHERE product_id = ?1 AND version = ?2 AND id IS NOT ?3",
            params![product.id, version, except],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(Error::Conflict(format!(
            "{} already has a release {version}; choose another version.",
            product.name
        )));
    }
    let target_date: Option<NaiveDate> = input
        .target_date
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| dates::parse("target_date", d))
        .transpose()?;
    let refs = [("from_ref", &input.from_ref), ("to_ref", &input.to_ref), ("release_branch", &input.release_branch)];
    for (field, value) in refs {
        let value = value.trim();
        if !value.is_empty() && !git2::Reference::is_valid_name(&format!("refs/heads/{value}")) && !is_sha(value) {
            return Err(Error::invalid_field(
                field,
                format!("\"{value}\" is not a valid git ref; use a tag, branch or commit SHA."),
            ));
        }
    }
    let codename = input.codename.trim().to_string();
    if codename.chars().count() > 60 {
        return Err(Error::invalid_field("codename", "Keep the codename under 60 characters."));
    }
    Ok(CleanRelease {
        product_id: product.id,
        version,
        codename,
        description: input.description.trim().to_string(),
        owner: input.owner.trim().to_string(),
        target_date: target_date.map(dates::format),
        from_ref: input.from_ref.trim().to_string(),
        to_ref: input.to_ref.trim().to_string(),
        release_branch: input.release_branch.trim().to_string(),
    })
}

fn is_sha(text: &str) -> bool {
    (7..=40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn details(clean: &CleanRelease) -> serde_json::Value {
    serde_json::json!({
        "version": clean.version,
        "codename": clean.codename,
        "owner": clean.owner,
        "target_date": clean.target_date,
        "from_ref": clean.from_ref,
        "to_ref": clean.to_ref,
        "release_branch": clean.release_branch,
    })
}
