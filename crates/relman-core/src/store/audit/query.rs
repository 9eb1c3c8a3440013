//! Reading the log: a page of events by filter, newest first with a keyset cursor, and one entity's
//! whole history.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{event, AuditEvent, COLUMNS};
use crate::{Error, Result};

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
