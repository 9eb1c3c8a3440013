//! The audit log across copies of the plan. Each database keeps its own hash chain; a sync sends this
//! database's events under `audit/<origin>/<chunk>.json` (1,000 events to a file, so a new event
//! rewrites one file), and keeps the other copies' events, each chain checked on its own by
//! `relman audit verify`: a gap, an edited event or a rewritten one (a fork) is named with its origin.
//!
//! An event travels withheld — its place and its hashes only, so the chain still links — unless it is
//! about the plan of a product this database shares: releases, milestones, checklist steps, risks,
//! notes, freeze windows and deployments. So nothing about other products, credentials, settings or
//! the sharing itself leaves the machine, and neither do the events whose details name a path of this
//! machine (a product's repository, a tag's remote): the hash covers the details, so an event is
//! shown whole or not at all.

use crate::store::Cached;
use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

use crate::store::audit::{AuditEvent, BreakKind, ChainBreak, GENESIS};
use crate::{Error, Result};

/// Events to a file.
pub const CHUNK: i64 = 1000;

/// The files of this database's events since the remote last had them, with the last event they hold;
/// none when the only new events are the syncs' own bookkeeping (sent along with the next real change,
/// so that syncing does not itself make the next sync send something).
pub fn changed_chunks(conn: &Connection, origin: &str, sent: i64) -> Result<(BTreeMap<String, Option<Value>>, i64)> {
    let news: i64 =
        conn.query_row_cached("SELECT COUNT(*) FROM audit_event WHERE seq > ?1 AND entity <> 'share'", [sent], |r| {
            r.get(0)
        })?;
    let last: i64 = conn.query_row_cached("SELECT COALESCE(MAX(seq), 0) FROM audit_event", [], |r| r.get(0))?;
    let mut files = BTreeMap::new();
    if news == 0 {
        return Ok((files, sent));
    }
    for chunk in (sent.max(1) - 1) / CHUNK..=(last - 1) / CHUNK {
        files.insert(path(origin, chunk), Some(chunk_file(conn, origin, chunk)?));
    }
    Ok((files, last))
}

pub fn path(origin: &str, chunk: i64) -> String {
    format!("audit/{origin}/{chunk:06}.json")
}

/// The origin a path of the shared audit log belongs to.
pub fn origin_of(path: &str) -> Option<&str> {
    path.strip_prefix("audit/")?.split('/').next()
}

fn chunk_file(conn: &Connection, origin: &str, chunk: i64) -> Result<Value> {
    let mut stmt = conn.prepare(
        "SELECT e.seq, e.at, e.actor, e.entity, e.entity_id, e.action, e.details, e.product_id, e.release_id,
                e.prev_hash, e.hash,
                e.product_id IN (SELECT product_id FROM share_product)
                AND e.entity IN ('release', 'milestone', 'checklist_item', 'risk', 'release_notes', 'freeze_window', 'deployment', 'change_request')
                AND e.action NOT LIKE '%tag%'
         FROM audit_event e WHERE e.seq > ?1 AND e.seq <= ?2 ORDER BY e.seq",
    )?;
    let events: Vec<Value> = stmt
        .query_map([chunk * CHUNK, (chunk + 1) * CHUNK], |r| {
            let shared: Option<bool> = r.get(11)?;
            Ok(match shared {
                Some(true) => json!({
                    "seq": r.get::<_, i64>(0)?, "at": r.get::<_, String>(1)?, "actor": r.get::<_, String>(2)?,
                    "entity": r.get::<_, String>(3)?, "entity_id": r.get::<_, Option<i64>>(4)?,
                    "action": r.get::<_, String>(5)?, "details": r.get::<_, String>(6)?,
                    "product_id": r.get::<_, Option<i64>>(7)?, "release_id": r.get::<_, Option<i64>>(8)?,
                    "prev_hash": r.get::<_, String>(9)?, "hash": r.get::<_, String>(10)?,
                }),
                _ => json!({ "seq": r.get::<_, i64>(0)?, "prev_hash": r.get::<_, String>(9)?, "hash": r.get::<_, String>(10)?, "withheld": true }),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(json!({ "origin": origin, "chunk": chunk, "events": events }))
}

/// Keeps another copy's events from one file. An event it already had with another hash is a fork:
/// refused, naming it, and nothing of the file is kept.
pub fn import(conn: &Connection, path: &str, file: &Value) -> Result<usize> {
    let origin = origin_of(path).ok_or_else(|| Error::Io(format!("{path} is not a file of the shared audit log.")))?;
    let events = file.get("events").and_then(Value::as_array).cloned().unwrap_or_default();
    for event in &events {
        let seq = event.get("seq").and_then(Value::as_i64).unwrap_or(0);
        let hash = text(event, "hash");
        let known: Option<String> = conn
            .query_row_cached(
                "SELECT hash FROM audit_remote WHERE origin = ?1 AND seq = ?2",
                params![origin, seq],
                |r| r.get(0),
            )
            .optional()?;
        if known.as_ref().is_some_and(|k| *k != hash) {
            return Err(Error::Tampered(format!(
                "The copy {origin} sent audit event #{seq} with another hash than it sent before: its log was rewritten. Nothing from it was kept; ask whoever uses that copy to check it with `relman audit verify`."
            )));
        }
        conn.execute_cached(
            "INSERT OR REPLACE INTO audit_remote (origin, seq, at, actor, entity, entity_id, action, details, product_id,
                 release_id, prev_hash, hash, withheld)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                origin,
                seq,
                event.get("at").and_then(Value::as_str),
                event.get("actor").and_then(Value::as_str),
                event.get("entity").and_then(Value::as_str),
                event.get("entity_id").and_then(Value::as_i64),
                event.get("action").and_then(Value::as_str),
                event.get("details").and_then(Value::as_str),
                event.get("product_id").and_then(Value::as_i64),
                event.get("release_id").and_then(Value::as_i64),
                text(event, "prev_hash"),
                hash,
                event.get("withheld").and_then(Value::as_bool).unwrap_or(false),
            ],
        )?;
    }
    Ok(events.len())
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// One other copy's chain, as checked here.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OriginReport {
    pub origin: String,
    pub events: i64,
    /// Events that arrived withheld (about products this copy does not share): linked, not readable.
    pub withheld: i64,
    pub head: Option<String>,
    pub broken: Option<ChainBreak>,
}

/// Checks every other copy's chain from its first event: each in its place, each linked to the one
/// before, each shown event matching its hash.
pub fn verify_origins(conn: &Connection) -> Result<Vec<OriginReport>> {
    let mut origins = conn.prepare("SELECT DISTINCT origin FROM audit_remote ORDER BY origin")?;
    let names: Vec<String> = origins.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    names.into_iter().map(|origin| verify_origin(conn, origin)).collect()
}

fn verify_origin(conn: &Connection, origin: String) -> Result<OriginReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, entity, entity_id, action, details, product_id, release_id, prev_hash, hash, withheld
         FROM audit_remote WHERE origin = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([&origin])?;
    let (mut prev, mut count, mut withheld) = (GENESIS.to_string(), 0_i64, 0_i64);
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let hash: String = r.get(10)?;
        let prev_hash: String = r.get(9)?;
        let broken = |kind, message: String| ChainBreak { kind, seq, id: None, message };
        let found = if seq != count + 1 {
            Some(broken(
                BreakKind::Missing,
                format!("Audit events #{} to #{} of the copy {origin} never arrived.", count + 1, seq - 1),
            ))
        } else if prev_hash != prev {
            Some(broken(
                BreakKind::OutOfOrder,
                format!("Audit event #{seq} of the copy {origin} does not follow the event before it."),
            ))
        } else if r.get::<_, bool>(11)? {
            withheld += 1;
            None
        } else {
            let event = AuditEvent {
                id: 0,
                seq,
                at: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                actor: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                entity: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                entity_id: r.get(4)?,
                action: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                details: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                product_id: r.get(7)?,
                release_id: r.get(8)?,
                prev_hash: prev_hash.clone(),
                hash: hash.clone(),
            };
            (event.expected_hash() != hash).then(|| {
                broken(
                    BreakKind::Edited,
                    format!("Audit event #{seq} of the copy {origin} does not match its hash: it was changed."),
                )
            })
        };
        if let Some(broken) = found {
            return Ok(OriginReport { origin, events: count, withheld, head: Some(prev), broken: Some(broken) });
        }
        count = seq;
        prev = hash;
    }
    Ok(OriginReport { origin, events: count, withheld, head: (count > 0).then_some(prev), broken: None })
}
