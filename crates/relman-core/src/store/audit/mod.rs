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

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{Result, Stamp};

mod chain;
mod query;

pub(super) use chain::chain_existing;
pub use chain::{
    check, seq_of, verify, verify_since, verify_with, BreakKind, ChainBreak, ChainReport, Progress, PROGRESS_EVERY,
};
pub use query::{list, query, AuditFilter, AuditPage};

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
    tx.execute_cached(
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
        .query_row_cached(
            "SELECT seq, hash FROM audit_event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
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
        Ok(conn.query_row_cached(sql, [id], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten())
    };
    let release_id = match entity {
        "release" | "release_notes" => Some(id),
        "milestone" => release_of("SELECT release_id FROM milestone WHERE id = ?1")?.or(named("release_id")),
        "checklist_item" => release_of("SELECT release_id FROM checklist_item WHERE id = ?1")?.or(named("release_id")),
        "risk" => release_of("SELECT release_id FROM risk WHERE id = ?1")?.or(named("release_id")),
        "change_request" => release_of("SELECT release_id FROM change_request WHERE id = ?1")?.or(named("release_id")),
        _ => named("release_id"),
    };
    let product_of_release = match release_id {
        Some(release) => conn
            .query_row_cached("SELECT product_id FROM release WHERE id = ?1", [release], |r| r.get::<_, i64>(0))
            .optional()?,
        None => None,
    };
    let product_id = match entity {
        "product" | "notes_template" => Some(id),
        "risk" => conn
            .query_row_cached("SELECT product_id FROM risk WHERE id = ?1", [id], |r| r.get::<_, i64>(0))
            .optional()?
            .or(product_of_release)
            .or(named("product_id")),
        "change_request" => conn
            .query_row_cached("SELECT product_id FROM change_request WHERE id = ?1", [id], |r| r.get::<_, i64>(0))
            .optional()?
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
