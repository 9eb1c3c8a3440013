//! Keeping years of releases safe: snapshots of the database, taken while it is in use, and restoring
//! one after checking it.
//!
//! A snapshot is `VACUUM INTO` a new file: a consistent copy made inside one read transaction, so in
//! write-ahead-log mode it never blocks a writer (a deploy tick goes through while it runs). Automatic
//! snapshots live in a `backups` folder beside the database and rotate: the newest of each day for a
//! week, the newest of each week for a quarter; a snapshot is also taken before every migration of an
//! existing database and before a restore. Backups the user asks for are never rotated away.
//!
//! A file is restored only after it is checked: SQLite's integrity check, a schema this build can
//! open, and an intact audit chain.

use crate::store::Cached;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use super::{audit, migrations, Store};
use crate::{Error, Result};

/// Why a snapshot was taken: its file name starts with this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The daily snapshot, rotated.
    Scheduled,
    /// Before an existing database is migrated to a newer schema.
    BeforeMigration,
    /// Before a bulk import (a risk register from CSV).
    BeforeImport,
    /// Before another file replaces the database.
    BeforeRestore,
    /// Asked for (`relman backup`, Back up now): never rotated.
    Manual,
}

impl Reason {
    fn prefix(self) -> &'static str {
        match self {
            Reason::Scheduled => "auto",
            Reason::BeforeMigration => "before-upgrade",
            Reason::BeforeImport => "before-import",
            Reason::BeforeRestore => "before-restore",
            Reason::Manual => "backup",
        }
    }
}

/// The folder of automatic snapshots beside a database file.
pub fn folder_for(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

fn file_name(reason: Reason, at: DateTime<Utc>) -> String {
    format!("relman-{}-{}.db", reason.prefix(), at.format("%Y%m%d-%H%M%S"))
}

/// A new file in the backups folder of `db` for a snapshot at `at`; a second one in the same second
/// gets a counter (`…-093005.2.db`).
pub(crate) fn new_path(db: &Path, reason: Reason, at: DateTime<Utc>) -> PathBuf {
    let dir = folder_for(db);
    let first = dir.join(file_name(reason, at));
    if !first.exists() {
        return first;
    }
    let stem = file_name(reason, at);
    let stem = stem.trim_end_matches(".db");
    (2..).map(|n| dir.join(format!("{stem}.{n}.db"))).find(|p| !p.exists()).unwrap_or(first)
}

/// Copies the database open on `conn` to `to` as one consistent snapshot.
pub(crate) fn vacuum_into(conn: &Connection, to: &Path) -> Result<()> {
    if to.exists() {
        return Err(Error::Conflict(format!("{} already exists; choose a new file for the backup.", to.display())));
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Io(format!("Cannot create {} for the backup: {e}.", dir.display())))?;
    }
    let target = to.to_str().ok_or_else(|| Error::invalid_field("to", "Choose a backup path in plain characters."))?;
    conn.execute_cached("VACUUM INTO ?1", [target])
        .map_err(|e| Error::Io(format!("The backup to {} failed: {e}. Nothing was changed.", to.display())))?;
    Ok(())
}

/// A snapshot of the database at `db`, through its own read-only connection: whoever has the
/// database open (the app, mid-deploy) goes on writing. Written to `to`, or the backups folder.
pub fn snapshot(db: &Path, reason: Reason, to: Option<&Path>, at: DateTime<Utc>) -> Result<PathBuf> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::Io(format!("Cannot open {} to back it up: {e}.", db.display())))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let path = match to {
        Some(path) => path.to_path_buf(),
        None => new_path(db, reason, at),
    };
    vacuum_into(&conn, &path)?;
    Ok(path)
}

/// One file of the backups folder.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Snapshot {
    pub path: String,
    /// `auto`, `before-upgrade`, `before-import`, `before-restore` or `backup`.
    pub kind: String,
    /// RFC 3339, from the file name.
    pub taken_at: String,
    pub bytes: u64,
}

fn parse_name(name: &str) -> Option<(String, DateTime<Utc>)> {
    let rest = name.strip_prefix("relman-")?.strip_suffix(".db")?;
    // A counter after the time (two snapshots in one second) is not part of it.
    let rest = rest.split_once('.').map_or(rest, |(time, _)| time);
    let (kind, stamp) = rest.rsplit_once('-').and_then(|(head, time)| {
        let (kind, day) = head.rsplit_once('-')?;
        Some((kind, format!("{day}-{time}")))
    })?;
    let at = NaiveDateTime::parse_from_str(&stamp, "%Y%m%d-%H%M%S").ok()?.and_utc();
    Some((kind.to_string(), at))
}

/// The snapshots in the backups folder of `db`, newest first.
pub fn list(db: &Path) -> Result<Vec<Snapshot>> {
    let dir = folder_for(db);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut found: Vec<(DateTime<Utc>, Snapshot)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let (kind, at) = parse_name(&name)?;
            let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
            Some((at, Snapshot { path: e.path().display().to_string(), kind, taken_at: at.to_rfc3339(), bytes }))
        })
        .collect();
    found.sort_by_key(|s| std::cmp::Reverse(s.0));
    Ok(found.into_iter().map(|(_, s)| s).collect())
}

/// Which automatic snapshots to keep at `now`: the newest of each of the last 7 days, the newest of
/// each of the last 13 weeks, and the 3 newest taken before an upgrade, import or restore. Manual
/// backups are always kept. A pure function of the names and `now`.
pub fn to_delete(snapshots: &[Snapshot], now: DateTime<Utc>) -> Vec<String> {
    let mut keep_days = std::collections::BTreeSet::new();
    let mut keep_weeks = std::collections::BTreeSet::new();
    let mut before_kept = 0;
    let mut doomed = Vec::new();
    // Newest first, so the first seen of a day or week is its newest.
    for s in snapshots {
        let Ok(at) = DateTime::parse_from_rfc3339(&s.taken_at).map(|t| t.with_timezone(&Utc)) else { continue };
        match s.kind.as_str() {
            "backup" => {}
            "auto" => {
                let day = at.date_naive();
                let week = (at.iso_week().year(), at.iso_week().week());
                let recent_day = now - at <= Duration::days(7) && keep_days.insert(day);
                let recent_week = now - at <= Duration::weeks(13) && keep_weeks.insert(week);
                if !(recent_day || recent_week) {
                    doomed.push(s.path.clone());
                }
            }
            _ => {
                before_kept += 1;
                if before_kept > 3 {
                    doomed.push(s.path.clone());
                }
            }
        }
    }
    doomed
}

/// Takes the scheduled snapshot when the newest is a day old (or there is none), then rotates.
/// Returns the new snapshot, if one was taken.
pub fn scheduled(db: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    let existing = list(db)?;
    let newest = existing
        .iter()
        .filter(|s| s.kind == "auto")
        .filter_map(|s| DateTime::parse_from_rfc3339(&s.taken_at).ok())
        .map(|t| t.with_timezone(&Utc))
        .max();
    if newest.is_some_and(|t| now - t < Duration::hours(24)) {
        return Ok(None);
    }
    let taken = snapshot(db, Reason::Scheduled, None, now)?;
    for doomed in to_delete(&list(db)?, now) {
        let _ = std::fs::remove_file(doomed);
    }
    Ok(Some(taken))
}

/// What a backup holds, checked before anything trusts it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupCheck {
    pub path: String,
    pub schema: i64,
    pub releases: i64,
    pub audit_events: i64,
    pub audit_head: Option<String>,
}

/// Checks a backup file without changing it: an SQLite database whose integrity check passes, with a
/// schema this build can open, and an intact audit chain.
pub fn check(path: &Path) -> Result<BackupCheck> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(Error::NotFound(format!(
            "{shown} does not exist; name a backup file (relman backup list shows them)."
        )));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::Incompatible(format!("{shown} cannot be opened as a database: {e}.")))?;
    let bad = |what: String| {
        Error::Incompatible(format!("{shown} is not a usable Relman backup: {what}. Nothing was changed."))
    };
    let integrity: String = conn
        .query_row_cached("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("it is not SQLite ({e})")))?;
    if integrity != "ok" {
        return Err(bad(format!("SQLite's integrity check says \"{integrity}\"")));
    }
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if schema == 0 {
        return Err(bad("it holds no Relman schema".into()));
    }
    migrations::check_supported(schema, &shown)?;
    let releases: i64 = conn
        .query_row_cached("SELECT COUNT(*) FROM release", [], |r| r.get(0))
        .map_err(|e| bad(format!("it has no release table ({e})")))?;
    let chain = audit::verify(&conn)?;
    if let Some(broken) = &chain.broken {
        return Err(bad(format!("its audit log does not verify: {}", broken.message)));
    }
    Ok(BackupCheck { path: shown, schema, releases, audit_events: chain.events, audit_head: chain.head })
}

/// Replaces the database at `db` with the backup at `from`, after checking it; the database as it was
/// is kept as a `before-restore` snapshot first. Call it with the database closed: the app closes its
/// store, restores, and opens it again (which migrates an older backup).
pub fn restore(db: &Path, from: &Path, now: DateTime<Utc>) -> Result<(BackupCheck, Option<PathBuf>)> {
    let checked = check(from)?;
    if same_file(db, from) {
        return Err(Error::invalid_field("file", "That is the database itself; choose a backup to restore."));
    }
    let kept = if db.exists() { Some(snapshot(db, Reason::BeforeRestore, None, now)?) } else { None };
    let staged = db.with_extension("restoring");
    std::fs::copy(from, &staged).map_err(|e| {
        Error::Io(format!("Cannot copy {} beside the database: {e}. Nothing was changed.", from.display()))
    })?;
    for side in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(db.with_extension(side));
    }
    std::fs::rename(&staged, db)
        .map_err(|e| Error::Io(format!("Cannot put the backup in place of {}: {e}.", db.display())))?;
    Ok((checked, kept))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl Store {
    /// A snapshot of this database (the CLI's `relman backup`, the app's Back up now).
    pub fn back_up(&self, reason: Reason, to: Option<&Path>, at: DateTime<Utc>) -> Result<PathBuf> {
        let Some(db) = self.path() else {
            return Err(Error::invalid("An in-memory database has nothing to back up."));
        };
        let path = match to {
            Some(path) => path.to_path_buf(),
            None => new_path(db, reason, at),
        };
        vacuum_into(&self.conn, &path)?;
        Ok(path)
    }
}

#[cfg(test)]
mod rotation {
    use super::*;

    fn auto(at: &str) -> Snapshot {
        let t = DateTime::parse_from_rfc3339(at).unwrap().with_timezone(&Utc);
        Snapshot { path: format!("auto-{at}"), kind: "auto".into(), taken_at: t.to_rfc3339(), bytes: 0 }
    }

    #[test]
    fn keeps_a_day_for_a_week_a_week_for_a_quarter_and_every_manual_backup() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z").unwrap().with_timezone(&Utc);
        let mut all: Vec<Snapshot> = (0..120)
            .flat_map(|d| {
                let day = now - Duration::days(d);
                [auto(&(day - Duration::hours(1)).to_rfc3339()), auto(&(day - Duration::hours(5)).to_rfc3339())]
            })
            .collect();
        all.push(Snapshot {
            path: "manual".into(),
            kind: "backup".into(),
            taken_at: "2020-01-01T00:00:00+00:00".into(),
            bytes: 0,
        });
        all.sort_by(|a, b| b.taken_at.cmp(&a.taken_at));
        let doomed = to_delete(&all, now);
        let kept: Vec<&Snapshot> = all.iter().filter(|s| !doomed.contains(&s.path)).collect();
        assert!(kept.iter().any(|s| s.path == "manual"), "a manual backup is never rotated");
        let autos = kept.iter().filter(|s| s.kind == "auto").count();
        assert!((8..=22).contains(&autos), "a week of days and a quarter of weeks: {autos}");
        assert!(!doomed.contains(&all[0].path), "the newest stays");
    }

    #[test]
    fn names_read_back_as_their_kind_and_time() {
        let at = DateTime::parse_from_rfc3339("2026-12-01T09:30:05Z").unwrap().with_timezone(&Utc);
        let (kind, back) = parse_name(&file_name(Reason::BeforeMigration, at)).unwrap();
        assert_eq!((kind.as_str(), back), ("before-upgrade", at));
        assert!(parse_name("notes.db").is_none());
    }
}
