//! The shared plan as data: every shared row as one JSON object at its path in the tree
//! (`releases/3f/0190a2…3f.json`), read from the database by the declarations in [`super::kinds`],
//! and written back to it the same way.
//!
//! A file holds the row's `uid`, its fields, its links as uids, and `_by`/`_at`: who changed it last
//! and when (from the audit log, or the record's own columns), which the merge uses to show who and
//! when in a conflict and which the person sees as "changed since the last sync".

use crate::store::Cached;
use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::kinds::{Kind, Meta, KINDS};
use crate::store::{audit, AuditRecord};
use crate::{Error, Result, Stamp};

/// Path → file contents.
pub type State = BTreeMap<String, Value>;

/// The file naming the format; every tree has it.
pub const FORMAT_FILE: &str = "relman.json";
/// The format this build writes; a newer one is refused.
pub const FORMAT: u64 = 1;

pub fn format_file() -> Value {
    serde_json::json!({ "kind": "relman-plan", "format": FORMAT })
}

/// Where a row lives in the tree: its kind's folder, a folder of the uid's last two characters (so no
/// folder grows past a few hundred entries), and the uid.
pub fn path(kind: &Kind, uid: &str) -> String {
    let shard = uid.get(uid.len().saturating_sub(2)..).unwrap_or("00");
    format!("{}/{shard}/{uid}.json", kind.name)
}

/// The kind a path belongs to.
pub fn kind_of(path: &str) -> Option<&'static Kind> {
    let name = path.split('/').next()?;
    super::kinds::by_name(name)
}

/// The database's shared rows as files, and which of them lie outside the shared products (those keep
/// the file the last sync had for them: taking a product out of sharing is not deleting its plan for
/// everyone).
pub struct Exported {
    pub files: State,
    pub outside: BTreeSet<String>,
}

/// Installs the triggers that note each change to a shared row in `share_dirty`, one set per kind
/// (and per set of links), generated from the declarations; installing them again changes nothing.
pub fn track_changes(conn: &Connection) -> Result<()> {
    let mut sql = String::new();
    for kind in KINDS {
        let (table, name) = (kind.table, kind.name);
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            sql.push_str(&format!(
                "CREATE TRIGGER IF NOT EXISTS share_note_{table}_{event} AFTER {event} ON \"{table}\" WHEN {row}.uid IS NOT NULL
                 BEGIN INSERT INTO share_dirty (kind, uid) VALUES ('{name}', {row}.uid); END;\n"
            ));
        }
        for set in kind.sets {
            for (event, row) in [("INSERT", "NEW"), ("DELETE", "OLD")] {
                sql.push_str(&format!(
                    "CREATE TRIGGER IF NOT EXISTS share_note_{set_table}_{event} AFTER {event} ON \"{set_table}\"
                     BEGIN INSERT INTO share_dirty (kind, uid) SELECT '{name}', uid FROM \"{table}\" WHERE id = {row}.\"{own}\" AND uid IS NOT NULL; END;\n",
                    set_table = set.table,
                    own = set.own,
                ));
            }
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// The shared rows changed since the notes were last cleared, each as its file (None: the row is gone),
/// which of them lie outside the shared products, and the last note read (what the sync clears).
pub struct Changed {
    pub files: BTreeMap<String, Option<Value>>,
    pub outside: BTreeSet<String>,
    pub upto: i64,
}

pub fn export_changed(conn: &Connection) -> Result<Changed> {
    let mut stmt = conn.prepare("SELECT id, kind, uid FROM share_dirty ORDER BY id")?;
    let notes: Vec<(i64, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    let upto = notes.last().map_or(0, |n| n.0);
    let mut changed = Changed { files: BTreeMap::new(), outside: BTreeSet::new(), upto };
    let unique: BTreeSet<(String, String)> = notes.into_iter().map(|(_, kind, uid)| (kind, uid)).collect();
    for (name, uid) in unique {
        let Some(kind) = super::kinds::by_name(&name) else { continue };
        let mut one = Exported { files: State::new(), outside: BTreeSet::new() };
        export_kind(conn, kind, Some(&uid), &mut one)?;
        let at = path(kind, &uid);
        if one.outside.contains(&at) {
            changed.outside.insert(at.clone());
        }
        changed.files.insert(at.clone(), one.files.remove(&at));
    }
    Ok(changed)
}

/// The uid a path names (`releases/3f/0190…3f.json` → `0190…3f`).
pub fn uid_of(path: &str) -> Option<&str> {
    path.rsplit('/').next()?.strip_suffix(".json")
}

/// Reads every shared row; cheap enough to run under the database lock (no git).
pub fn export(conn: &Connection) -> Result<Exported> {
    let mut exported = Exported { files: State::new(), outside: BTreeSet::new() };
    exported.files.insert(FORMAT_FILE.to_string(), format_file());
    for kind in KINDS {
        export_kind(conn, kind, None, &mut exported)?;
    }
    Ok(exported)
}

/// One row's file, as [`export`] writes it.
pub fn export_one(conn: &Connection, kind: &Kind, uid: &str) -> Result<Option<Value>> {
    let mut one = Exported { files: State::new(), outside: BTreeSet::new() };
    export_kind(conn, kind, Some(uid), &mut one)?;
    Ok(one.files.into_values().next())
}

/// Sets one field of a row to a value from the shared plan (a conflict's chosen candidate).
pub fn set_field(conn: &Connection, kind: &Kind, rowid: i64, field: &str, value: &Value) -> Result<()> {
    if !kind.fields.contains(&field) {
        return Err(Error::invalid(format!("{field} is not a shared field of {}.", kind.table)));
    }
    conn.execute(
        &format!("UPDATE \"{}\" SET \"{field}\" = ?1 WHERE rowid = ?2", kind.table),
        rusqlite::params![sql(value), rowid],
    )?;
    Ok(())
}

fn export_kind(conn: &Connection, kind: &Kind, only: Option<&str>, into: &mut Exported) -> Result<()> {
    let (by, at) = meta_sql(kind);
    let mut columns: Vec<String> = vec!["t.uid".into(), "t.rowid".into(), format!("({})", kind.scope), by, at];
    columns.extend(kind.fields.iter().chain(kind.latest).map(|f| format!("t.\"{f}\"")));
    columns
        .extend(kind.links.iter().map(|l| format!("(SELECT uid FROM \"{}\" WHERE id = t.\"{}\")", l.target, l.column)));
    let which = if only.is_some() { "t.uid = ?1" } else { "t.uid IS NOT NULL AND ?1 IS NULL" };
    let sql = format!("SELECT {} FROM \"{}\" t WHERE {which}", columns.join(", "), kind.table);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([only])?;
    while let Some(row) = rows.next()? {
        let uid: String = row.get(0)?;
        let rowid: i64 = row.get(1)?;
        let in_scope: bool = row.get(2)?;
        let at = path(kind, &uid);
        if !in_scope {
            into.outside.insert(at.clone());
        }
        let mut file = Map::new();
        file.insert("uid".into(), Value::String(uid));
        file.insert("_by".into(), json(row.get_ref(3)?)?);
        file.insert("_at".into(), json(row.get_ref(4)?)?);
        let plain = kind.fields.iter().chain(kind.latest);
        for (n, field) in plain.enumerate() {
            file.insert((*field).into(), json(row.get_ref(5 + n)?)?);
        }
        let first_link = 5 + kind.fields.len() + kind.latest.len();
        for (n, link) in kind.links.iter().enumerate() {
            file.insert(link.field.into(), json(row.get_ref(first_link + n)?)?);
        }
        for set in kind.sets {
            let mut members = conn.prepare_cached(&format!(
                "SELECT (SELECT uid FROM \"{}\" WHERE id = j.\"{}\") FROM \"{}\" j WHERE j.\"{}\" = ?1",
                set.target, set.other, set.table, set.own
            ))?;
            let mut uids: Vec<String> = members
                .query_map([rowid], |r| r.get::<_, Option<String>>(0))?
                .filter_map(|u| u.ok().flatten())
                .collect();
            uids.sort();
            file.insert(set.field.into(), Value::Array(uids.into_iter().map(Value::String).collect()));
        }
        into.files.insert(at, Value::Object(file));
    }
    Ok(())
}

/// Who changed a row last and when, as two SQL expressions over `t`. A change that arrived by sync
/// names its author in the sync event's details.
fn meta_sql(kind: &Kind) -> (String, String) {
    match &kind.meta {
        Meta::Columns { by, at } => (by.to_string(), at.to_string()),
        Meta::Unknown => ("NULL".to_string(), "NULL".to_string()),
        Meta::Audit { entity, id } => {
            let latest = |sync: &str, own: &str| {
                format!(
                    "(SELECT CASE WHEN e.action = 'sync' THEN json_extract(e.details, '$.{sync}') ELSE e.{own} END
                      FROM audit_event e WHERE e.entity = '{entity}' AND e.entity_id = {id} ORDER BY e.seq DESC LIMIT 1)"
                )
            };
            (latest("by", "actor"), latest("at", "at"))
        }
    }
}

fn json(value: ValueRef<'_>) -> Result<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::from(n),
        ValueRef::Real(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => return Err(Error::Io("A shared column holds binary data; that cannot be shared.".into())),
    })
}

fn sql(value: &Value) -> Sql {
    match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => n.as_i64().map_or_else(|| Sql::Real(n.as_f64().unwrap_or_default()), Sql::Integer),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// One row that a sync added, changed or removed, as the person sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Change {
    pub kind: String,
    pub uid: String,
    /// `added`, `changed` or `removed`.
    pub change: String,
    /// What the row is called: its title, name, role or version.
    pub label: String,
    /// The fields that changed (for `changed`).
    pub fields: Vec<String>,
    /// Who made the change, and when, as the row's author recorded it.
    pub by: String,
    pub at: String,
    /// The release (or product) it is about, as people name it: `Atlas Web 2.5.0`.
    pub on: String,
}

/// The release or product a file is about, in words, as this database has it.
fn context(conn: &Connection, file: &Value) -> Result<String> {
    let uid = |key: &str| file.get(key).and_then(Value::as_str).map(str::to_string);
    if let Some(release) = uid("release") {
        let named: Option<String> = conn
            .query_row_cached(
                "SELECT p.name || ' ' || r.version FROM release r JOIN product p ON p.id = r.product_id WHERE r.uid = ?1",
                [release],
                |r| r.get(0),
            )
            .optional()?;
        return Ok(named.unwrap_or_default());
    }
    match uid("product") {
        Some(product) => Ok(conn
            .query_row_cached("SELECT name FROM product WHERE uid = ?1", [product], |r| r.get(0))
            .optional()?
            .unwrap_or_default()),
        None => Ok(String::new()),
    }
}

/// Writes into the database what differs between `from` (the database now) and `to` (the merged
/// plan), except the paths in `skip`, each with a `sync` audit event naming who made the change.
pub fn apply(
    conn: &Connection,
    stamp: &Stamp,
    from: &State,
    to: &State,
    skip: &BTreeSet<String>,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for kind in KINDS {
        let prefix = format!("{}/", kind.name);
        for (path, file) in to.range(prefix.clone()..).take_while(|(p, _)| p.starts_with(&prefix)) {
            let before = from.get(path);
            if before == Some(file) || skip.contains(path) {
                continue;
            }
            let id = upsert(conn, kind, file).map_err(|e| cannot(kind, file, e))?;
            let change = Change { on: context(conn, file)?, ..describe(kind, before, Some(file)) };
            // The author as the file has it (none, for a row no change of its own was ever logged for),
            // so that this copy's file comes out the same.
            let (by, at) =
                (file.get("_by").cloned().unwrap_or(Value::Null), file.get("_at").cloned().unwrap_or(Value::Null));
            let details = serde_json::json!({ "by": by, "at": at, "change": change.change, "fields": change.fields });
            audit::record(conn, stamp, AuditRecord::new(kind.table, id, "sync", details))?;
            // A row whose author changed but no field (a release signed off) is no news of its own.
            if change.change != "changed" || !change.fields.is_empty() {
                changes.push(change);
            }
        }
    }
    for kind in KINDS.iter().rev() {
        let prefix = format!("{}/", kind.name);
        for (path, file) in from.range(prefix.clone()..).take_while(|(p, _)| p.starts_with(&prefix)) {
            if to.contains_key(path) || skip.contains(path) {
                continue;
            }
            let uid = file.get("uid").and_then(Value::as_str).unwrap_or_default();
            let id: Option<i64> = conn
                .query_row(&format!("SELECT rowid FROM \"{}\" WHERE uid = ?1", kind.table), [uid], |r| r.get(0))
                .optional()?;
            let Some(id) = id else { continue };
            conn.execute(&format!("DELETE FROM \"{}\" WHERE uid = ?1", kind.table), [uid])?;
            let change = Change { on: context(conn, file)?, ..describe(kind, Some(file), None) };
            let details =
                serde_json::json!({ "by": change.by, "at": change.at, "change": "removed", "label": change.label });
            audit::record(conn, stamp, AuditRecord::new(kind.table, id, "sync", details))?;
            changes.push(change);
        }
    }
    Ok(changes)
}

fn cannot(kind: &Kind, file: &Value, e: Error) -> Error {
    let uid = file.get("uid").and_then(Value::as_str).unwrap_or("?");
    Error::Conflict(format!(
        "The shared plan's {} {uid} cannot be written here ({e}). Nothing was changed; if two people created the same thing separately (a product name, a release version), rename one and sync again.",
        kind.table
    ))
}

/// Inserts or updates the row a file describes; returns its local id.
fn upsert(conn: &Connection, kind: &Kind, file: &Value) -> Result<i64> {
    let uid = file.get("uid").and_then(Value::as_str).ok_or_else(|| Error::Io("A shared file has no uid.".into()))?;
    let mut columns = vec!["uid".to_string()];
    let mut values = vec![Sql::Text(uid.to_string())];
    // A field the file does not have (written by a Relman from before the field was shared) keeps
    // the row's value, or the column's default for a new row; a null in the file is a null.
    for field in kind.fields.iter().chain(kind.latest) {
        let Some(value) = file.get(*field) else { continue };
        columns.push(format!("\"{field}\""));
        values.push(sql(value));
    }
    for link in kind.links {
        columns.push(format!("\"{}\"", link.column));
        values.push(match file.get(link.field).and_then(Value::as_str) {
            Some(target) => Sql::Integer(local_id(conn, link.target, target)?),
            None => Sql::Null,
        });
    }
    let marks: Vec<String> = (1..=values.len()).map(|n| format!("?{n}")).collect();
    let updates: Vec<String> = columns.iter().skip(1).map(|c| format!("{c} = excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO \"{}\" ({}) VALUES ({}) ON CONFLICT(uid) DO UPDATE SET {}",
        kind.table,
        columns.join(", "),
        marks.join(", "),
        updates.join(", ")
    );
    conn.execute(&sql, params_from_iter(values))?;
    let id: i64 =
        conn.query_row(&format!("SELECT rowid FROM \"{}\" WHERE uid = ?1", kind.table), [uid], |r| r.get(0))?;
    for set in kind.sets {
        conn.execute(&format!("DELETE FROM \"{}\" WHERE \"{}\" = ?1", set.table, set.own), [id])?;
        for member in file.get(set.field).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            let other = local_id(conn, set.target, member)?;
            conn.execute(
                &format!("INSERT INTO \"{}\" (\"{}\", \"{}\") VALUES (?1, ?2)", set.table, set.own, set.other),
                [id, other],
            )?;
        }
    }
    if kind.table == "product" {
        // A product that came from the shared plan is shared from here on.
        conn.execute_cached("INSERT OR IGNORE INTO share_product (product_id) VALUES (?1)", [id])?;
    }
    Ok(id)
}

fn local_id(conn: &Connection, table: &str, uid: &str) -> Result<i64> {
    conn.query_row(&format!("SELECT id FROM \"{table}\" WHERE uid = ?1"), [uid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("the {table} {uid} it points at is not in the shared plan")))
}

/// A change in words: what it is called, which fields moved, and who made it.
pub fn describe(kind: &Kind, before: Option<&Value>, after: Option<&Value>) -> Change {
    let shown = after.or(before);
    let text = |key: &str| shown.and_then(|f| f.get(key)).and_then(Value::as_str).unwrap_or_default().to_string();
    let label = ["title", "name", "role", "version", "environment", "to_status", "sha", "field", "finding"]
        .iter()
        .map(|k| text(k))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let fields = match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => kind
            .fields
            .iter()
            .chain(kind.links.iter().map(|l| &l.field))
            .chain(kind.sets.iter().map(|s| &s.field))
            .filter(|f| a.get(**f) != b.get(**f))
            .map(|f| f.to_string())
            .collect(),
        _ => Vec::new(),
    };
    let change = match (before, after) {
        (None, _) => "added",
        (_, None) => "removed",
        _ => "changed",
    };
    Change {
        kind: kind.name.to_string(),
        uid: text("uid"),
        change: change.to_string(),
        label,
        fields,
        by: text("_by"),
        at: text("_at"),
        on: String::new(),
    }
}
