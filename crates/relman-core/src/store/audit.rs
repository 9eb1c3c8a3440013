//! The append-only audit log: one row per user change, written in the change's own transaction, and
//! chained so that tampering shows.
//!
//! Each event has its place in the log (`seq`, 1, 2, 3… without gaps), the hash of the event before it
//! (`prev_hash`; [`GENESIS`] for the first) and its own `hash`: SHA-256, in lower-case hex, of the
//! canonical encoding of its fields and the previous hash (see [`canonical`]). The database refuses
//! updates, deletes and unchained inserts (triggers); an event edited, removed or reordered behind
//! Relman's back anyway (the triggers dropped, the file edited) no longer matches its hash or its
//! neighbour's, and [`verify`] names the first such event.
//!
//! A chain proves the order and contents of what it holds, not that nothing was cut from its end, nor
//! that nobody rewrote all of it with new hashes: compare its head hash with one recorded elsewhere (an
//! export, a shared copy) for that.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{Error, Result, Stamp};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The name of the canonical encoding, part of every hash: a later encoding gets a new name.
pub const ENCODING: &str = "relman-audit-1";

/// What a change did, before it is written.
pub struct AuditRecord<'a> {
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    /// A JSON object describing the change (never secrets).
    pub details: serde_json::Value,
}

impl<'a> AuditRecord<'a> {
    pub fn new(entity: &'a str, entity_id: i64, action: &'a str, details: serde_json::Value) -> Self {
        Self { entity, entity_id, action, details }
    }
}

/// One stored audit event, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditEvent {
    pub id: i64,
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    /// The change as a JSON object, exactly as stored (the hash covers this text).
    pub details: String,
    /// The product and release the event concerns, when it concerns one.
    pub product_id: Option<i64>,
    pub release_id: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this event's fields and `prev_hash` call for.
    pub fn expected_hash(&self) -> String {
        let digest = Sha256::digest(canonical(self).as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The canonical encoding of an event: a compact JSON array of the encoding's name and the fields in
/// this order — seq, at, actor, entity, entity_id, action, details (the stored text, as a string),
/// product_id, release_id, prev_hash — with `null` for an absent number. Anyone can recompute it from
/// an export with any JSON library and SHA-256 (docs/audit.md).
pub fn canonical(event: &AuditEvent) -> String {
    serde_json::json!([
        ENCODING,
        event.seq,
        event.at,
        event.actor,
        event.entity,
        event.entity_id,
        event.action,
        event.details,
        event.product_id,
        event.release_id,
        event.prev_hash,
    ])
    .to_string()
}

pub(crate) fn record(tx: &Connection, stamp: &Stamp, event: AuditRecord<'_>) -> Result<()> {
    let (product_id, release_id) = context(tx, event.entity, event.entity_id, &event.details)?;
    let (seq, prev_hash) = head(tx)?.unwrap_or((0, GENESIS.to_string()));
    let mut stored = AuditEvent {
        id: 0,
        seq: seq + 1,
        at: stamp.at_text(),
        actor: stamp.actor.clone(),
        entity: event.entity.to_string(),
        entity_id: Some(event.entity_id),
        action: event.action.to_string(),
        details: event.details.to_string(),
        product_id,
        release_id,
        prev_hash,
        hash: String::new(),
    };
    stored.hash = stored.expected_hash();
    insert(tx, &stored)
}

fn insert(tx: &Connection, e: &AuditEvent) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_event (seq, at, actor, entity, entity_id, action, details, product_id, release_id, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            e.seq,
            e.at,
            e.actor,
            e.entity,
            e.entity_id,
            e.action,
            e.details,
            e.product_id,
            e.release_id,
            e.prev_hash,
            e.hash
        ],
    )?;
    Ok(())
}

/// The last event's place and hash. Read inside the writing transaction, which holds the write lock,
/// so two writers (two processes) take turns and each chains onto the other's event.
fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row("SELECT seq, hash FROM audit_event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The product and release an event concerns: from the entity's row while it exists, else from the
/// ids its details name (a deleted milestone's details keep its release).
fn context(
    conn: &Connection,
    entity: &str,
    id: i64,
    details: &serde_json::Value,
) -> Result<(Option<i64>, Option<i64>)> {
    let named = |key: &str| details.get(key).and_then(serde_json::Value::as_i64);
    let release_of = |sql: &str| -> Result<Option<i64>> {
        Ok(conn.query_row(sql, [id], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten())
    };
    let release_id = match entity {
        "release" | "release_notes" => Some(id),
        "milestone" => release_of("SELECT release_id FROM milestone WHERE id = ?1")?.or(named("release_id")),
        "checklist_item" => release_of("SELECT release_id FROM checklist_item WHERE id = ?1")?.or(named("release_id")),
        "risk" => release_of("SELECT release_id FROM risk WHERE id = ?1")?.or(named("release_id")),
        _ => named("release_id"),
    };
    let product_of_release = match release_id {
        Some(release) => conn
            .query_row("SELECT product_id FROM release WHERE id = ?1", [release], |r| r.get::<_, i64>(0))
            .optional()?,
        None => None,
    };
    let product_id = match entity {
        "product" | "notes_template" => Some(id),
        "risk" => conn
            .query_row("SELECT product_id FROM risk WHERE id = ?1", [id], |r| r.get::<_, i64>(0))
            .optional()?
            .or(product_of_release)
            .or(named("product_id")),
        _ => product_of_release.or(named("product_id")),
    };
    Ok((product_id, release_id))
}

const COLUMNS: &str = "id, seq, at, actor, entity, entity_id, action, details, product_id, release_id, prev_hash, hash";

fn event(r: &Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        id: r.get(0)?,
        seq: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
        at: r.get(2)?,
        actor: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        action: r.get(6)?,
        details: r.get(7)?,
        product_id: r.get(8)?,
        release_id: r.get(9)?,
        prev_hash: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
        hash: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
    })
}

/// Which events to list. Every field narrows; the default is the newest page of the whole log.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub product_id: Option<i64>,
    pub release_id: Option<i64>,
    /// Part of the actor's name or email, any case.
    pub actor: Option<String>,
    /// Events at or after this day (`YYYY-MM-DD`) or moment (RFC 3339, UTC).
    pub since: Option<String>,
    /// Events before this day or moment.
    pub until: Option<String>,
    /// Events older than this place in the log: the cursor of the next page.
    pub before_seq: Option<i64>,
    /// At most this many (newest first); None for all.
    pub limit: Option<u32>,
}

/// One page of the log, newest first, and the cursor of the next (older) page when there is one.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next_before_seq: Option<i64>,
}

/// The events `filter` selects, newest first.
pub fn query(conn: &Connection, filter: &AuditFilter) -> Result<AuditPage> {
    let since = filter.since.as_deref().map(|d| bound(d, "since")).transpose()?;
    let until = filter.until.as_deref().map(|d| bound(d, "until")).transpose()?;
    if filter.entity_id.is_some() && filter.entity.is_none() {
        return Err(Error::invalid_field("entity", "Say which kind of entity the id is (release, risk, milestone…)."));
    }
    let actor = filter.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(|a| format!("%{a}%"));
    let limit = filter.limit.map_or(-1, i64::from);
    // One more than asked, to know whether an older page exists.
    let fetch = if limit < 0 { -1 } else { limit + 1 };
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_event
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
           AND (?3 IS NULL OR product_id = ?3) AND (?4 IS NULL OR release_id = ?4)
           AND (?5 IS NULL OR actor LIKE ?5) AND (?6 IS NULL OR at >= ?6) AND (?7 IS NULL OR at < ?7)
           AND (?8 IS NULL OR seq < ?8)
         ORDER BY seq DESC LIMIT ?9"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        params![
            filter.entity,
            filter.entity_id,
            filter.product_id,
            filter.release_id,
            actor,
            since,
            until,
            filter.before_seq,
            fetch
        ],
        event,
    )?;
    let mut events = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let next_before_seq = match limit {
        n if n >= 0 && events.len() as i64 > n => {
            events.truncate(n as usize);
            events.last().map(|e| e.seq)
        }
        _ => None,
    };
    Ok(AuditPage { events, next_before_seq })
}

/// A day becomes its first moment; a moment is kept as given (stored times are RFC 3339 UTC, so
/// they compare as text).
fn bound(text: &str, field: &'static str) -> Result<String> {
    let text = text.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(format!("{day}T00:00:00Z"));
    }
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(at) => Ok(crate::stamp::format_timestamp(at.with_timezone(&chrono::Utc))),
        Err(_) => Err(Error::invalid_field(
            field,
            format!(
                "\"{text}\" is not a date; write it as YYYY-MM-DD (or an RFC 3339 time such as 2026-12-01T09:30:00Z)."
            ),
        )),
    }
}

/// The whole log of one entity (`("risk", 3)`), or all of it, oldest first.
pub fn list(conn: &Connection, entity: Option<(&str, i64)>) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_event WHERE (?1 IS NULL OR (entity = ?1 AND entity_id = ?2)) ORDER BY seq"
    ))?;
    let (name, id) = entity.map_or((None, None), |(n, i)| (Some(n), Some(i)));
    let rows = stmt.query_map(params![name, id], event)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

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
    let total: i64 = conn.query_row("SELECT COUNT(*) FROM audit_event", [], |r| r.get(0))?;
    let unchained: Option<i64> = conn
        .query_row("SELECT id FROM audit_event WHERE seq IS NULL OR hash IS NULL ORDER BY id LIMIT 1", [], |r| r.get(0))
        .optional()?;
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_event WHERE seq IS NOT NULL ORDER BY seq"))?;
    let rows = stmt.query_map([], event)?;
    let mut checked = 0;
    let events = rows.map(|r| {
        checked += 1;
        if checked % every.max(1) == 0 && !progress(Progress { checked, total }) {
            return Err(Error::Cancelled(format!(
                "The check of the audit log stopped after {checked} events; nothing was changed."
            )));
        }
        r.map_err(Error::from)
    });
    let mut report = check(events)?;
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
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    for (expected_seq, e) in (1..).zip(events) {
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
pub(super) fn chain_existing(tx: &Connection) -> Result<()> {
    let mut stmt = tx.prepare(&format!("SELECT {COLUMNS} FROM audit_event ORDER BY id"))?;
    let old = stmt.query_map([], event)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut prev = GENESIS.to_string();
    for (n, mut e) in old.into_iter().enumerate() {
        let details = serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null);
        (e.product_id, e.release_id) = context(tx, &e.entity, e.entity_id.unwrap_or(0), &details)?;
        e.seq = n as i64 + 1;
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        tx.execute(
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
