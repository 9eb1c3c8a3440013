//! Sharing a plan through a git remote the team already has (docs/sharing.md). The plan travels as
//! plain JSON files, one per shared row, in commits on `refs/relman/plans/<name>`; SQLite stays the
//! working copy. A sync is three steps, so that the database is locked only while it is read and
//! written, never while the network is used:
//!
//! 1. [`prepare`] (database read): the shared rows as files ([`state`]), the last synced commit;
//! 2. [`SyncJob::exchange`] (no database): commit what changed here, fetch the remote's plan,
//!    three-way merge ([`merge`]) when both moved, push; fetch and merge again if someone pushed
//!    meanwhile;
//! 3. [`Exchanged::apply`] (one transaction): write what the merge brought into the database, each
//!    change with an audit event naming its author, and remember the commit as the next base. A sync
//!    killed before this step changes nothing here; the next one does the work again.
//!
//! Which entities are shared is declared in [`kinds`]; what is per machine is not declared, so it
//! never leaves it.

pub mod kinds;
pub mod merge;
mod repo;
pub mod state;

use std::collections::BTreeSet;
use std::path::PathBuf;

use git2::Oid;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use repo::{plan_ref, Credentials, PlanRepo};
pub use state::{Change, State};

use crate::git::redact_url;
use crate::secrets::{index, CredentialKey, SecretStore};
use crate::store::{audit, AuditRecord, Store};
use crate::{product, Error, Result, Stamp};

/// Where this database shares its plan, and how the last sync went.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShareStatus {
    /// The remote's URL, any password in it left out.
    pub remote: String,
    pub name: String,
    /// The products shared, by name.
    pub products: Vec<String>,
    pub synced_at: Option<String>,
    pub synced_by: Option<String>,
    /// The commit of the last sync, short.
    pub commit: Option<String>,
    /// Conflicts waiting for a person.
    pub conflicts: i64,
}

/// What `relman share init` and the app's sharing settings give.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ShareInput {
    /// A git URL: `https://…`, `ssh://…`, `git@host:path`, `file://…` or a path.
    pub remote: String,
    /// The plan's name on the remote (several plans can share one repository); `main` if none.
    #[serde(default)]
    pub name: Option<String>,
    /// The products to share, by name; none means every product.
    #[serde(default)]
    pub products: Vec<String>,
}

/// Starts (or changes) sharing this database's plan through `input.remote`.
pub fn init(store: &mut Store, stamp: &Stamp, input: ShareInput) -> Result<ShareStatus> {
    let remote = input.remote.trim().to_string();
    let looks_like_git =
        remote.contains("://") || remote.starts_with(['/', '.']) || (remote.contains('@') && remote.contains(':'));
    if remote.is_empty() || !looks_like_git {
        return Err(Error::invalid_field(
            "remote",
            format!("\"{remote}\" is not a git URL; give one such as https://git.example.com/team/release-office.git, git@host:team/plan.git or file:///srv/plan.git."),
        ));
    }
    let name = input.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("main").to_string();
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) || name.starts_with('.') {
        return Err(Error::invalid_field(
            "name",
            format!("\"{name}\" cannot name a plan: use letters, digits, - and _."),
        ));
    }
    if store.path().is_none() {
        return Err(Error::invalid("Sharing needs a database file; this one is in memory."));
    }
    let products: Vec<i64> = match input.products.is_empty() {
        true => product::list(store)?.into_iter().map(|p| p.id).collect(),
        false => input.products.iter().map(|n| product::find_by_name(store, n).map(|p| p.id)).collect::<Result<_>>()?,
    };
    store.write(|tx| {
        let before: Option<(String, String)> = tx
            .query_row("SELECT remote, name FROM share WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // Another remote or plan has its own history: the next sync starts from nothing.
        let same = before.as_ref().is_some_and(|(r, n)| *r == remote && *n == name);
        tx.execute(
            "INSERT INTO share (id, remote, name, created_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET remote = excluded.remote, name = excluded.name,
                 base = CASE WHEN ?4 THEN base ELSE NULL END,
                 synced_at = CASE WHEN ?4 THEN synced_at ELSE NULL END,
                 synced_by = CASE WHEN ?4 THEN synced_by ELSE NULL END",
            params![remote, name, stamp.at_text(), same],
        )?;
        tx.execute("DELETE FROM share_product", [])?;
        for id in &products {
            tx.execute("INSERT INTO share_product (product_id) VALUES (?1)", [id])?;
        }
        let details = serde_json::json!({ "remote": redact_url(&remote), "name": name, "products": products });
        audit::record(tx, stamp, AuditRecord::new("share", 1, "init", details))
    })?;
    status(store)?.ok_or_else(|| Error::NotFound("Sharing was not recorded.".into()))
}

/// Where the plan is shared and how the last sync went; None when this database is not shared.
pub fn status(store: &Store) -> Result<Option<ShareStatus>> {
    let conn = store.conn();
    type Row = (String, String, Option<String>, Option<String>, Option<String>);
    let found: Option<Row> = conn
        .query_row("SELECT remote, name, base, synced_at, synced_by FROM share WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((remote, name, base, synced_at, synced_by)) = found else { return Ok(None) };
    let mut stmt = conn.prepare(
        "SELECT p.name FROM share_product s JOIN product p ON p.id = s.product_id ORDER BY p.name COLLATE NOCASE",
    )?;
    let products = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let conflicts = conn.query_row("SELECT COUNT(*) FROM share_conflict", [], |r| r.get(0))?;
    Ok(Some(ShareStatus {
        remote: redact_url(&remote),
        name,
        products,
        synced_at,
        synced_by,
        commit: base.map(|b| b.chars().take(10).collect()),
        conflicts,
    }))
}

/// The plan as this database shares it, file by file (`relman share show`, and the tests that compare
/// two copies field by field).
pub fn plan(store: &Store) -> Result<State> {
    Ok(state::export(store.conn())?.files)
}

/// Everything a sync needs from the database, read under its lock; [`SyncJob::exchange`] needs none.
pub struct SyncJob {
    db: PathBuf,
    remote: String,
    name: String,
    base: Option<Oid>,
    exported: state::Exported,
    known: Vec<CredentialKey>,
}

pub fn prepare(store: &Store) -> Result<SyncJob> {
    let conn = store.conn();
    let found: Option<(String, String, Option<String>)> = conn
        .query_row("SELECT remote, name, base FROM share WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((remote, name, base)) = found else {
        return Err(Error::NotFound(
            "This database does not share its plan yet; start with `relman share init --remote URL`.".into(),
        ));
    };
    let db = store.path().ok_or_else(|| Error::invalid("Sharing needs a database file; this one is in memory."))?;
    let known = index::list(store)?.into_iter().filter_map(|c| CredentialKey::new(&c.host, &c.username).ok()).collect();
    Ok(SyncJob {
        db: db.to_path_buf(),
        remote,
        name,
        base: base.and_then(|b| Oid::from_str(&b).ok()),
        exported: state::export(conn)?,
        known,
    })
}

/// A sync's exchange with the remote, done; [`Exchanged::apply`] writes its result into the database.
pub struct Exchanged {
    base: State,
    /// The plan as it was here when the sync began.
    prepared: State,
    merged: State,
    commit: Oid,
    remote: String,
    /// Files changed here since the last sync.
    sent: usize,
}

/// How many times a sync fetches and merges again when others push in between.
const ATTEMPTS: usize = 4;

impl SyncJob {
    /// Commits what changed here, fetches, merges and pushes; the database is not touched.
    pub fn exchange(self, stamp: &Stamp, stores: &[&dyn SecretStore]) -> Result<Exchanged> {
        let repo = PlanRepo::beside(&self.db)?;
        let base = match self.base {
            Some(commit) => repo.state(commit).ok(),
            None => None,
        };
        // A base the sharing repository lost (deleted beside the database) means starting afresh.
        let base_commit = base.as_ref().and(self.base);
        // Before the first sync, the base is the empty plan: a database with nothing of its own to
        // share just takes the remote's.
        let base = base.unwrap_or_else(|| [(state::FORMAT_FILE.to_string(), state::format_file())].into());
        let local = self.exported.against(&base);
        let sent = changed(&base, &local);
        let mut failure = None;
        let mut credentials = crate::tagging::credentials_from(&self.known, stores, &mut failure);
        let message = format!("Relman: {sent} changes by {}", stamp.actor);
        let ours = match local == base {
            true => base_commit,
            false => Some(repo.commit(&local, base_commit.as_slice(), stamp, &message)?),
        };
        for _ in 0..ATTEMPTS {
            let theirs = repo.fetch(&self.remote, &self.name, &mut credentials)?;
            let (commit, merged) = match (theirs, ours) {
                (None, Some(ours)) => (ours, local.clone()),
                (None, None) => (repo.commit(&local, &[], stamp, &message)?, local.clone()),
                (Some(theirs), Some(ours)) if Some(theirs) == base_commit || theirs == ours => (ours, local.clone()),
                (Some(theirs), None) => (theirs, checked(repo.state(theirs)?)?),
                (Some(theirs), Some(ours)) if Some(ours) == base_commit => (theirs, checked(repo.state(theirs)?)?),
                (Some(theirs), Some(ours)) => {
                    let remote = checked(repo.state(theirs)?)?;
                    let at = stamp.at_text();
                    let merged = merge::merge(&base, &local, &remote, &merge::Merger { by: &stamp.actor, at: &at });
                    let message = format!("Relman: merge by {}", stamp.actor);
                    (repo.commit(&merged, &[ours, theirs], stamp, &message)?, merged)
                }
            };
            if Some(commit) != theirs && !repo.push(&self.remote, &self.name, commit, &mut credentials)? {
                continue;
            }
            return Ok(Exchanged { base, prepared: local, merged, commit, remote: self.remote, sent });
        }
        drop(credentials);
        Err(failure.unwrap_or_else(|| {
            Error::Conflict(format!(
                "{} kept changing while this sync merged (others are syncing now); everything stays saved here, sync again in a moment.",
                redact_url(&self.remote)
            ))
        }))
    }
}

impl Exchanged {
    /// Writes what the merge brought into the database in one transaction and remembers the commit.
    /// Rows changed here while the sync ran are left as they are now; the next sync sends them.
    pub fn apply(self, store: &mut Store, stamp: &Stamp) -> Result<SyncReport> {
        let commit = self.commit.to_string();
        let received = store.write(|tx| {
            let now = state::export(tx)?.against(&self.base);
            let skip: BTreeSet<String> = now
                .keys()
                .chain(self.prepared.keys())
                .filter(|p| now.get(*p) != self.prepared.get(*p))
                .cloned()
                .collect();
            let changes = state::apply(tx, stamp, &now, &self.merged, &skip)?;
            tx.execute(
                "UPDATE share SET base = ?1, synced_at = ?2, synced_by = ?3 WHERE id = 1",
                params![commit, stamp.at_text(), stamp.actor],
            )?;
            let details = serde_json::json!({ "commit": commit, "sent": self.sent, "received": changes.len() });
            audit::record(tx, stamp, AuditRecord::new("share", 1, "sync", details))?;
            Ok(changes)
        })?;
        let conflicts = conflicts(store)?;
        Ok(SyncReport { remote: redact_url(&self.remote), commit, sent: self.sent, received, conflicts })
    }
}

/// What a sync did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncReport {
    pub remote: String,
    pub commit: String,
    /// Rows changed here since the last sync, now on the remote.
    pub sent: usize,
    /// What others changed, now here: who changed what, and when.
    pub received: Vec<Change>,
    /// Conflicts waiting for a person.
    pub conflicts: Vec<SyncConflict>,
}

/// Prepare, exchange and apply in one go, for the command line (which holds the database throughout).
pub fn sync(store: &mut Store, stamp: &Stamp, stores: &[&dyn SecretStore]) -> Result<SyncReport> {
    prepare(store)?.exchange(stamp, stores)?.apply(store, stamp)
}

fn changed(before: &State, after: &State) -> usize {
    before
        .keys()
        .chain(after.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .count()
}

/// The remote's plan, once its format is one this build reads.
fn checked(remote: State) -> Result<State> {
    check_format(&remote)?;
    Ok(remote)
}

fn check_format(remote: &State) -> Result<()> {
    let format = remote.get(state::FORMAT_FILE).and_then(|f| f.get("format")).and_then(Value::as_u64).unwrap_or(0);
    match format {
        state::FORMAT => Ok(()),
        0 => Err(Error::Incompatible(
            "The remote's plan has no relman.json naming its format; it was not written by Relman. Nothing was changed here.".into(),
        )),
        newer => Err(Error::Incompatible(format!(
            "The remote's plan is in format {newer}, written by a newer Relman (this one writes format {}). Nothing was changed here; update Relman to sync.",
            state::FORMAT
        ))),
    }
}

/// One field two people changed to different values, waiting for a person to pick.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncConflict {
    /// `<kind>.<entity uid>.<field>`: what `relman sync resolve` takes.
    pub id: String,
    pub kind: String,
    pub entity_uid: String,
    /// What the entity is called (a release's version, a risk's title).
    pub label: String,
    pub field: String,
    #[ts(type = "string | number | boolean | null")]
    pub base: Value,
    pub candidates: Vec<Candidate>,
    pub found_by: String,
    pub found_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Candidate {
    #[ts(type = "string | number | boolean | null")]
    pub value: Value,
    pub by: String,
    pub at: String,
}

/// The conflicts waiting for a person, oldest first.
pub fn conflicts(store: &Store) -> Result<Vec<SyncConflict>> {
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT uid, kind, entity_uid, field, base, candidates, found_by, found_at FROM share_conflict ORDER BY found_at, uid",
    )?;
    let rows: Vec<SyncConflict> = stmt
        .query_map([], |r| {
            Ok(SyncConflict {
                id: r.get(0)?,
                kind: r.get(1)?,
                entity_uid: r.get(2)?,
                label: String::new(),
                field: r.get(3)?,
                base: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or(Value::Null),
                candidates: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                found_by: r.get(6)?,
                found_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|c| Ok(SyncConflict { label: label_of(store, &c.kind, &c.entity_uid)?, ..c })).collect()
}

fn label_of(store: &Store, kind: &str, uid: &str) -> Result<String> {
    let Some(kind) = kinds::by_name(kind) else { return Ok(uid.to_string()) };
    let exported = state::export_one(store.conn(), kind, uid)?;
    Ok(exported
        .map(|file| state::describe(kind, None, Some(&file)).label)
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| uid.to_string()))
}

/// Resolves a conflict by picking one of its candidates (1 for the first): the entity's field takes
/// that value here, the conflict goes, and the next sync tells everyone.
pub fn resolve(store: &mut Store, stamp: &Stamp, id: &str, pick: usize) -> Result<SyncConflict> {
    let found = conflicts(store)?.into_iter().find(|c| c.id == id.trim()).ok_or_else(|| {
        Error::NotFound(format!("There is no conflict {id}; list them with `relman sync conflicts`."))
    })?;
    let chosen = pick.checked_sub(1).and_then(|n| found.candidates.get(n)).ok_or_else(|| {
        Error::invalid_field(
            "pick",
            format!("Pick 1 to {} (one of the values listed for {}).", found.candidates.len(), found.id),
        )
    })?;
    let kind = kinds::by_name(&found.kind).ok_or_else(|| Error::NotFound(format!("Unknown kind {}.", found.kind)))?;
    if !kind.fields.contains(&found.field.as_str()) {
        return Err(Error::invalid(format!("{} is not a field of {} that can be set.", found.field, kind.name)));
    }
    store.write(|tx| {
        let id: i64 = tx
            .query_row(&format!("SELECT rowid FROM \"{}\" WHERE uid = ?1", kind.table), [&found.entity_uid], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("The {} this conflict is about is gone; nothing to resolve.", kind.table)))?;
        state::set_field(tx, kind, id, &found.field, &chosen.value)?;
        tx.execute("DELETE FROM share_conflict WHERE uid = ?1", [&found.id])?;
        let details = serde_json::json!({ "conflict": found.id, "field": found.field, "value": chosen.value, "chosen_from": chosen.by });
        audit::record(tx, stamp, AuditRecord::new(kind.table, id, "resolve", details))
    })?;
    Ok(found)
}
