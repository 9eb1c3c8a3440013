//! The append-only audit log: one row per user change, written in the change's own transaction.

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::{Result, Stamp};

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

/// One stored audit event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub action: String,
    pub details: String,
}

pub(crate) fn record(tx: &Connection, stamp: &Stamp, event: AuditRecord<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_event (at, actor, entity, entity_id, action, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![stamp.at_text(), stamp.actor, event.entity, event.entity_id, event.action, event.details.to_string()],
    )?;
    Ok(())
}

pub fn list(conn: &Connection, entity: Option<(&str, i64)>) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, entity, entity_id, action, details FROM audit_event
         WHERE (?1 IS NULL OR (entity = ?1 AND entity_id = ?2)) ORDER BY id",
    )?;
    let (name, id) = entity.map_or((None, None), |(n, i)| (Some(n), Some(i)));
    let rows = stmt.query_map(params![name, id], |r| {
        Ok(AuditEvent {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            details: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
