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

pub mod audit;
pub mod kinds;
pub mod merge;
mod repo;
pub mod state;

use crate::store::Cached;
use std::collections::{BTreeMap, BTreeSet};
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
use crate::store::{audit as log, AuditRecord, Store};
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
    /// Rows changed here since the last sync, waiting to be sent (what this copy is ahead by).
    pub pending: i64,
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
    if remote.is_empty() || !crate::git::looks_like_url(&remote) {
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
            .query_row_cached("SELECT remote, name FROM share WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // Another remote or plan has its own history: the next sync starts from nothing.
        let same = before.as_ref().is_some_and(|(r, n)| *r == remote && *n == name);
        tx.execute_cached(
            "INSERT INTO share (id, remote, name, created_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET remote = excluded.remote, name = excluded.name,
                 base = CASE WHEN ?4 THEN base ELSE NULL END,
                 synced_at = CASE WHEN ?4 THEN synced_at ELSE NULL END,
                 synced_by = CASE WHEN ?4 THEN synced_by ELSE NULL END",
            params![remote, name, stamp.at_text(), same],
        )?;
        state::track_changes(tx)?;
        if !same {
            // The next sync reads every row anyway.
            tx.execute_cached("DELETE FROM share_dirty", [])?;
        }
        tx.execute_cached("DELETE FROM share_product", [])?;
        for id in &products {
            tx.execute_cached("INSERT INTO share_product (product_id) VALUES (?1)", [id])?;
        }
        let details = serde_json::json!({ "remote": redact_url(&remote), "name": name, "products": products });
        log::record(tx, stamp, AuditRecord::new("share", 1, "init", details))
    })?;
    status(store)?.ok_or_else(|| Error::NotFound("Sharing was not recorded.".into()))
}

/// Where the plan is shared and how the last sync went; None when this database is not shared.
pub fn status(store: &Store) -> Result<Option<ShareStatus>> {
    let conn = store.conn();
    type Row = (String, String, Option<String>, Option<String>, Option<String>);
    let found: Option<Row> = conn
        .query_row_cached("SELECT remote, name, base, synced_at, synced_by FROM share WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((remote, name, base, synced_at, synced_by)) = found else { return Ok(None) };
    let mut stmt = conn.prepare(
        "SELECT p.name FROM share_product s JOIN product p ON p.id = s.product_id ORDER BY p.name COLLATE NOCASE",
    )?;
    let products = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let conflicts = conn.query_row_cached("SELECT COUNT(*) FROM share_conflict", [], |r| r.get(0))?;
    let pending =
        conn.query_row_cached("SELECT COUNT(*) FROM (SELECT DISTINCT kind, uid FROM share_dirty)", [], |r| r.get(0))?;
    Ok(Some(ShareStatus {
        remote: redact_url(&remote),
        name,
        products,
        synced_at,
        synced_by,
        commit: base.map(|b| b.chars().take(10).collect()),
        conflicts,
        pending,
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
    local: Local,
    known: Vec<CredentialKey>,
    origin: String,
    /// This database's audit events the remote does not have yet, as files, and the last of them.
    audit: Files,
    audit_upto: i64,
}

/// What the database has to send: every row (the first sync), or the rows changed since the last.
enum Local {
    Whole(state::Exported, i64),
    Changed(state::Changed),
}

impl Local {
    /// The last change note this sync covers.
    fn upto(&self) -> i64 {
        match self {
            Local::Whole(_, upto) => *upto,
            Local::Changed(changed) => changed.upto,
        }
    }
}

pub fn prepare(store: &Store) -> Result<SyncJob> {
    let conn = store.conn();
    type Row = (String, String, Option<String>, String, i64);
    let found: Option<Row> = conn
        .query_row_cached("SELECT remote, name, base, origin, audit_sent FROM share WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((remote, name, base, origin, audit_sent)) = found else {
        return Err(Error::NotFound(
            "This database does not share its plan yet; start with `relman share init --remote URL`.".into(),
        ));
    };
    let db = store.path().ok_or_else(|| Error::invalid("Sharing needs a database file; this one is in memory."))?;
    let known = index::list(store)?.into_iter().filter_map(|c| CredentialKey::new(&c.host, &c.username).ok()).collect();
    let base = base.and_then(|b| Oid::from_str(&b).ok());
    // A new remote has none of this database's events.
    let audit_sent = if base.is_some() { audit_sent } else { 0 };
    let (audit, audit_upto) = audit::changed_chunks(conn, &origin, audit_sent)?;
    Ok(SyncJob {
        origin,
        audit,
        audit_upto,
        db: db.to_path_buf(),
        remote,
        name,
        base,
        local: match base {
            Some(_) => Local::Changed(state::export_changed(conn)?),
            None => {
                let upto = conn.query_row_cached("SELECT COALESCE(MAX(id), 0) FROM share_dirty", [], |r| r.get(0))?;
                Local::Whole(state::export(conn)?, upto)
            }
        },
        known,
    })
}

/// A sync's exchange with the remote, done; [`Exchanged::apply`] writes its result into the database.
pub struct Exchanged {
    /// The merged plan's file at each path where it differs from this database's (None: removed).
    incoming: BTreeMap<String, Option<Value>>,
    /// This database's file at those paths when the sync began.
    prepared: BTreeMap<String, Option<Value>>,
    commit: Oid,
    remote: String,
    /// Files changed here since the last sync.
    sent: usize,
    /// The last change note this sync sent.
    upto: i64,
    origin: String,
    /// The last of this database's audit events the remote now has.
    audit_upto: i64,
    /// Whether the plan is where the last sync left it, here and on the remote.
    unchanged: bool,
}

/// How many times a sync fetches and merges again when others push in between.
const ATTEMPTS: usize = 4;

/// Path → file, where a file is None when it is not there.
type Files = BTreeMap<String, Option<Value>>;

impl SyncJob {
    /// Commits what changed here, fetches, merges and pushes; the database is not touched. The work
    /// follows what changed since the last sync, not the size of the plan: files are compared by
    /// their blob ids, the remote's changes come from git's tree diff (an unchanged folder is skipped
    /// whole), only changed files are read, and new trees rewrite only the folders on changed paths.
    pub fn exchange(self, stamp: &Stamp, stores: &[&dyn SecretStore]) -> Result<Exchanged> {
        let repo = PlanRepo::beside(&self.db)?;
        // A base the sharing repository lost (deleted beside the database) means starting afresh.
        let base = self.base.and_then(|c| repo.tree_of(c).ok().map(|tree| (c, tree)));
        let (base_commit, base_tree) = (base.map(|b| b.0), base.map(|b| b.1));
        // Every file of the base is listed only when every row is compared with it (the first sync);
        // otherwise the changed rows' files are looked up by path.
        let base_entries = match (&self.local, base_tree) {
            (Local::Whole(..), Some(tree)) => Some(repo.entries(tree)?),
            // Before the first sync, the base is the empty plan.
            (_, None) => Some([(state::FORMAT_FILE.to_string(), repo::blob_id(&state::format_file())?)].into()),
            (Local::Changed(_), Some(_)) => None,
        };
        let base_blob = |path: &str| -> Result<Option<Oid>> {
            match (&base_entries, base_tree) {
                (Some(entries), _) => Ok(entries.get(path).copied()),
                (None, Some(tree)) => repo.blob_at(tree, path),
                (None, None) => Ok(None),
            }
        };
        let read_base = |path: &str| -> Result<Option<Value>> {
            match (base_tree, base_blob(path)?) {
                (Some(_), Some(blob)) => repo.read(blob, path).map(Some),
                (None, Some(_)) => Ok(Some(state::format_file())),
                _ => Ok(None),
            }
        };
        if base_tree.is_none() && matches!(self.local, Local::Changed(_)) {
            return Err(Error::NotFound(format!(
                "The sharing repository beside the database lost the last synced commit; it was left as it is. Move {} aside and sync again to start afresh.",
                PlanRepo::path_beside(&self.db).display()
            )));
        }
        let upto = self.local.upto();
        let mut ours = local_changes(self.local, &base_blob, base_entries.as_ref())?;
        let sent = ours.len();
        for (path, file) in self.audit {
            if let Some(file) = &file {
                if base_blob(&path)? != Some(repo::blob_id(file)?) {
                    ours.insert(path, Some(file.clone()));
                }
            }
        }
        let mut failure = None;
        let mut credentials = crate::tagging::credentials_from(&self.known, stores, &mut failure);
        let message = format!("Relman: {sent} changes by {}", stamp.actor);
        let ours_commit = match (ours.is_empty(), base_commit) {
            (true, Some(base)) => Some(base),
            (true, None) => None,
            (false, _) => {
                // The first commit starts from the empty plan, which names its format.
                let changes = match base_tree {
                    Some(_) => ours.clone(),
                    None => initial().into_iter().chain(ours.clone()).collect(),
                };
                Some(repo.commit(repo.update(base_tree, &changes)?, base_commit.as_slice(), stamp, &message)?)
            }
        };
        for _ in 0..ATTEMPTS {
            let theirs = repo.fetch(&self.remote, &self.name, &mut credentials)?;
            let (commit, incoming) = match (theirs, ours_commit) {
                (None, Some(commit)) => (commit, Files::new()),
                (None, None) => (repo.commit(repo.update(None, &initial())?, &[], stamp, &message)?, Files::new()),
                (Some(theirs), Some(commit)) if Some(theirs) == base_commit || theirs == commit => {
                    (commit, Files::new())
                }
                (Some(theirs), ours_commit) => {
                    let remote_tree = repo.tree_of(theirs)?;
                    let changed = repo.changed(base_tree, remote_tree)?;
                    let mut remote = Files::new();
                    for (path, blob) in &changed {
                        remote.insert(path.clone(), blob.map(|b| repo.read(b, path)).transpose()?);
                    }
                    check_format(remote.get(state::FORMAT_FILE), base_tree.is_none())?;
                    if ours_commit == base_commit {
                        (theirs, remote)
                    } else {
                        let merged = merged(&ours, &remote, &read_base, stamp)?;
                        let tree = repo.update(Some(remote_tree), &merged.on_theirs)?;
                        let parents = [ours_commit.unwrap_or(theirs), theirs];
                        let commit =
                            repo.commit(tree, &parents, stamp, &format!("Relman: merge by {}", stamp.actor))?;
                        (commit, merged.on_ours)
                    }
                }
            };
            if Some(commit) != theirs && !repo.push(&self.remote, &self.name, commit, &mut credentials)? {
                continue;
            }
            let prepared = incoming
                .keys()
                .map(|p| (p.clone(), ours.get(p).cloned().unwrap_or_else(|| read_base(p).ok().flatten())))
                .collect();
            let unchanged = Some(commit) == base_commit;
            let (origin, audit_upto) = (self.origin, self.audit_upto);
            return Ok(Exchanged {
                incoming,
                prepared,
                commit,
                remote: self.remote,
                sent,
                upto,
                origin,
                audit_upto,
                unchanged,
            });
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

/// The empty plan: only the file naming the format.
fn initial() -> Files {
    [(state::FORMAT_FILE.to_string(), Some(state::format_file()))].into()
}

/// The files this database changed since the base: each whose blob differs from the base's, each
/// the base has and this database no longer does (removed here), none outside the shared products.
/// `base` finds a file's blob in the base; `listed` is every file of it, for the first sync's whole
/// comparison.
fn local_changes(
    local: Local,
    base: &dyn Fn(&str) -> Result<Option<Oid>>,
    listed: Option<&BTreeMap<String, Oid>>,
) -> Result<Files> {
    let mut changes = Files::new();
    let differs = |path: &str, file: &Option<Value>| -> Result<bool> {
        Ok(match file {
            Some(file) => base(path)? != Some(repo::blob_id(file)?),
            None => base(path)?.is_some(),
        })
    };
    match local {
        Local::Whole(exported, _) => {
            // A file the base has and this database does not: the row was removed here.
            for path in listed.into_iter().flat_map(BTreeMap::keys).filter(|p| !exported.files.contains_key(*p)) {
                changes.insert(path.clone(), None);
            }
            for (path, file) in exported.files {
                if !exported.outside.contains(&path) && differs(&path, &Some(file.clone()))? {
                    changes.insert(path, Some(file));
                }
            }
        }
        Local::Changed(changed) => {
            for (path, file) in changed.files {
                if !changed.outside.contains(&path) && differs(&path, &file)? {
                    changes.insert(path, file);
                }
            }
        }
    }
    Ok(changes)
}

/// A merge of the files both sides touched, as two sets of changes: to the remote's tree (what the
/// merge commit holds), and to this database (what it must take in).
struct Merged {
    on_theirs: Files,
    on_ours: Files,
}

fn merged(
    ours: &Files,
    theirs: &Files,
    read_base: &dyn Fn(&str) -> Result<Option<Value>>,
    stamp: &Stamp,
) -> Result<Merged> {
    let paths: BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    let (mut base_state, mut our_state, mut their_state) = (State::new(), State::new(), State::new());
    for path in &paths {
        let base = read_base(path)?;
        let ours = ours.get(*path).cloned().unwrap_or_else(|| base.clone());
        let theirs = theirs.get(*path).cloned().unwrap_or_else(|| base.clone());
        for (state, value) in [(&mut base_state, base), (&mut our_state, ours), (&mut their_state, theirs)] {
            if let Some(value) = value {
                state.insert((*path).clone(), value);
            }
        }
    }
    let at = stamp.at_text();
    let mut result = merge::merge(&base_state, &our_state, &their_state, &merge::Merger { by: &stamp.actor, at: &at });
    // A conflict found again on a field that already had one joins it.
    let found: Vec<String> = result.keys().filter(|p| !paths.contains(p)).cloned().collect();
    for path in found {
        if let (Some(earlier), Some(now)) = (read_base(&path)?, result.get(&path)) {
            let joined = merge::same_conflict(&earlier, now);
            result.insert(path, joined);
        }
    }
    let all: BTreeSet<String> = paths.into_iter().cloned().chain(result.keys().cloned()).collect();
    let (mut on_theirs, mut on_ours) = (Files::new(), Files::new());
    for path in all {
        let value = result.get(&path).cloned();
        if value.as_ref() != their_state.get(&path) {
            on_theirs.insert(path.clone(), value.clone());
        }
        if value.as_ref() != our_state.get(&path) {
            on_ours.insert(path, value);
        }
    }
    Ok(Merged { on_theirs, on_ours })
}

impl Exchanged {
    /// Writes what the merge brought into the database in one transaction and remembers the commit.
    /// Rows changed here while the sync ran are left as they are now; the next sync sends them.
    pub fn apply(self, store: &mut Store, stamp: &Stamp) -> Result<SyncReport> {
        let commit = self.commit.to_string();
        if self.unchanged && self.incoming.is_empty() {
            // Nothing moved: nothing to write, and no audit event for it.
            return Ok(SyncReport {
                remote: redact_url(&self.remote),
                commit,
                sent: 0,
                received: Vec::new(),
                conflicts: conflicts(store)?,
            });
        }
        let received = store.write(|tx| {
            for (path, file) in &self.incoming {
                match (audit::origin_of(path), file) {
                    (Some(origin), Some(file)) if origin != self.origin => {
                        audit::import(tx, path, file)?;
                    }
                    _ => {}
                }
            }
            let before: i64 = tx.query_row_cached("SELECT COALESCE(MAX(id), 0) FROM share_dirty", [], |r| r.get(0))?;
            let mut now = State::new();
            for path in self.incoming.keys() {
                if let (Some(kind), Some(uid)) = (state::kind_of(path), state::uid_of(path)) {
                    if let Some(file) = state::export_one(tx, kind, uid)? {
                        now.insert(path.clone(), file);
                    }
                } else if path == state::FORMAT_FILE {
                    now.insert(path.clone(), state::format_file());
                }
            }
            let mut from = State::new();
            let mut to = State::new();
            let mut skip = BTreeSet::new();
            for (path, incoming) in &self.incoming {
                let current = now.get(path);
                if current != self.prepared.get(path).and_then(Option::as_ref) {
                    skip.insert(path.clone());
                }
                if let Some(current) = current {
                    from.insert(path.clone(), current.clone());
                }
                if let Some(incoming) = incoming {
                    to.insert(path.clone(), incoming.clone());
                }
            }
            let changes = state::apply(tx, stamp, &from, &to, &skip)?;
            // Sent now: the notes this sync read, and those its own writes made. Changes made while it
            // exchanged stay noted for the next one.
            tx.execute_cached("DELETE FROM share_dirty WHERE id <= ?1 OR id > ?2", params![self.upto, before])?;
            tx.execute_cached(
                "UPDATE share SET base = ?1, synced_at = ?2, synced_by = ?3, audit_sent = ?4 WHERE id = 1",
                params![commit, stamp.at_text(), stamp.actor, self.audit_upto],
            )?;
            let details = serde_json::json!({ "commit": commit, "sent": self.sent, "received": changes.len() });
            log::record(tx, stamp, AuditRecord::new("share", 1, "sync", details))?;
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

fn check_format(format_file: Option<&Option<Value>>, first: bool) -> Result<()> {
    // A remote the diff did not touch the format file of is in the base's format: this build's.
    let file = match format_file {
        None if !first => return Ok(()),
        Some(Some(file)) => file,
        _ => &Value::Null,
    };
    let format = file.get("format").and_then(Value::as_u64).unwrap_or(0);
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
        tx.execute_cached("DELETE FROM share_conflict WHERE uid = ?1", [&found.id])?;
        let details = serde_json::json!({ "conflict": found.id, "field": found.field, "value": chosen.value, "chosen_from": chosen.by });
        log::record(tx, stamp, AuditRecord::new(kind.table, id, "resolve", details))
    })?;
    Ok(found)
}
