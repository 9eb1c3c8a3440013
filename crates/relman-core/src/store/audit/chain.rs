//! Checking the chain: recompute every event's hash in order and name the first that does not match
//! (edited, missing, out of order, or written around Relman); or check only what was written since a
//! check that held. And the migration step that chained the events written before there was a chain.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::{context, event, AuditEvent, COLUMNS, GENESIS};
use crate::{Error, Result};

/// How far a check of the chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    pub checked: i64,
    pub total: i64,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChainReport {
    /// Events checked.
    pub events: i64,
    /// The last event's hash: what to compare with a copy kept elsewhere.
    pub head: Option<String>,
    /// The first event that does not match, if any.
    pub broken: Option<ChainBreak>,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// Its contents no longer match its hash.
    Edited,
    /// Events before it are gone (a gap in the sequence).
    Missing,
    /// It does not follow the event before it (removed, reordered or re-chained).
    OutOfOrder,
    /// It has no place in the chain: written around Relman.
    Unchained,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChainBreak {
    pub kind: BreakKind,
    /// The place in the log where the chain breaks.
    pub seq: i64,
    /// The row there, when there is one.
    pub id: Option<i64>,
    /// What is wrong and what it means, for the user.
    pub message: String,
}

/// Recomputes the chain from the first event and names the first that does not match.
pub fn verify(conn: &Connection) -> Result<ChainReport> {
    verify_with(conn, PROGRESS_EVERY, &mut |_| true)
}

/// How often the app's check reports, in events.
pub const PROGRESS_EVERY: i64 = 10_000;

/// [`verify`], telling `progress` every `every` events how many it checked and of how many;
/// `progress` returns false to stop, and the check ends with [`Error::Cancelled`].
pub fn verify_with(conn: &Connection, every: i64, progress: &mut dyn FnMut(Progress) -> bool) -> Result<ChainReport> {
    walk(conn, None, every, progress)
}

/// Checks only what was written since an earlier check that held: that the last event it checked is
/// still there with the hash it had, then every event after it. On a long log that is the difference
/// between reading every event and reading a few. What it cannot see is an edit before that event
/// whose own hash was left alone; the full check ([`verify_with`], which the app runs on every open)
/// finds that. An earlier check that failed, or whose last event changed, means a full check now.
pub fn verify_since(
    conn: &Connection,
    since: &ChainReport,
    every: i64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ChainReport> {
    let (Some(head), None) = (&since.head, &since.broken) else { return verify_with(conn, every, progress) };
    let stored: Option<String> = conn
        .query_row_cached("SELECT hash FROM audit_event WHERE seq = ?1", [since.events], |r| r.get(0))
        .optional()?
        .flatten();
    match stored.as_deref() == Some(head.as_str()) {
        true => walk(conn, Some((since.events, head.clone())), every, progress),
        false => verify_with(conn, every, progress),
    }
}

/// The place of the event whose hash is `hash`, if the log has one.
pub fn seq_of(conn: &Connection, hash: &str) -> Result<Option<i64>> {
    Ok(conn.query_row_cached("SELECT seq FROM audit_event WHERE hash = ?1", [hash], |r| r.get(0)).optional()?)
}

/// Checks the events after `after` (the place and hash of an event already checked), or all of them.
fn walk(
    conn: &Connection,
    after: Option<(i64, String)>,
    every: i64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ChainReport> {
    let total: i64 = conn.query_row_cached("SELECT COUNT(*) FROM audit_event", [], |r| r.get(0))?;
    let unchained: Option<i64> = conn
        .query_row_cached("SELECT id FROM audit_event WHERE seq IS NULL OR hash IS NULL ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    // The whole log takes every event with a place, so that a place below 1 shows as out of order.
    let (done, prev, which) = match after {
        Some((seq, hash)) => (seq, hash, format!("seq > {seq}")),
        None => (0, GENESIS.to_string(), "seq IS NOT NULL".to_string()),
    };
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_event WHERE {which} ORDER BY seq"))?;
    let rows = stmt.query_map([], event)?;
    let mut checked = done;
    let events = rows.map(|r| {
        checked += 1;
        if (checked - done) % every.max(1) == 0 && !progress(Progress { checked, total }) {
            return Err(Error::Cancelled(format!(
                "The check of the audit log stopped after {checked} events; nothing was changed."
            )));
        }
        r.map_err(Error::from)
    });
    let mut report = check_after(done, prev, events)?;
    if let (None, Some(id)) = (&report.broken, unchained) {
        report.broken = Some(ChainBreak {
            kind: BreakKind::Unchained,
            seq: report.events + 1,
            id: Some(id),
            message: format!(
                "Audit event {id} has no place in the chain: it was written around Relman, not by it. Treat the log after it as untrusted."
            ),
        });
    }
    Ok(report)
}

/// Checks a run of consecutive events starting at the first (the whole log, or a whole export).
pub fn check(events: impl Iterator<Item = Result<AuditEvent>>) -> Result<ChainReport> {
    check_after(0, GENESIS.to_string(), events)
}

/// Checks a run of consecutive events following the `count` already checked, the last of which had
/// the hash `prev`.
fn check_after(
    mut count: i64,
    mut prev: String,
    events: impl Iterator<Item = Result<AuditEvent>>,
) -> Result<ChainReport> {
    for (expected_seq, e) in (count + 1..).zip(events) {
        let e = e?;
        let broken = |kind, message: String| ChainBreak { kind, seq: e.seq, id: Some(e.id), message };
        let what = format!("event #{} ({} {} by {} at {})", e.seq, e.action, e.entity, e.actor, e.at);
        let found = if e.seq > expected_seq {
            let missing = match e.seq - expected_seq {
                1 => format!("Audit event #{expected_seq} is missing"),
                _ => format!("Audit events #{expected_seq} to #{} are missing", e.seq - 1),
            };
            Some(broken(BreakKind::Missing, format!("{missing}: removed from the database behind Relman's back.")))
        } else if e.prev_hash != prev {
            Some(broken(
                BreakKind::OutOfOrder,
                format!("Audit {what} does not follow the event before it: events were removed, reordered or re-chained there."),
            ))
        } else if e.expected_hash() != e.hash {
            Some(broken(
                BreakKind::Edited,
                format!("Audit {what} was changed after it was written: its contents no longer match its hash."),
            ))
        } else {
            None
        };
        if let Some(broken) = found {
            return Ok(ChainReport { events: count, head: (count > 0).then_some(prev), broken: Some(broken) });
        }
        count = expected_seq;
        prev = e.hash;
    }
    Ok(ChainReport { events: count, head: (count > 0).then_some(prev), broken: None })
}

/// The migration step after `0012_audit_chain.sql`: chains the events written before it, in their
/// order, with the product and release each concerns, then makes the log append-only again.
pub(in crate::store) fn chain_existing(tx: &Connection) -> Result<()> {
    let mut stmt = tx.prepare(&format!("SELECT {COLUMNS} FROM audit_event ORDER BY id"))?;
    let old = stmt.query_map([], event)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut prev = GENESIS.to_string();
    for (n, mut e) in old.into_iter().enumerate() {
        let details = serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null);
        (e.product_id, e.release_id) = context(tx, &e.entity, e.entity_id.unwrap_or(0), &details)?;
        e.seq = n as i64 + 1;
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        tx.execute_cached(
            "UPDATE audit_event SET seq = ?2, prev_hash = ?3, hash = ?4, product_id = ?5, release_id = ?6 WHERE id = ?1",
            params![e.id, e.seq, e.prev_hash, e.hash, e.product_id, e.release_id],
        )?;
        prev = e.hash;
    }
    tx.execute_batch(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
         BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
         CREATE TRIGGER audit_event_chained BEFORE INSERT ON audit_event
         WHEN NEW.seq IS NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
         BEGIN SELECT RAISE(ABORT, 'audit events are written by Relman, with their place in the chain'); END;",
    )?;
    Ok(())
}
