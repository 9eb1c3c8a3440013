//! Sign-offs and go/no-go decisions: who approved a release for which role, and what the go/no-go
//! meeting decided. The gates read them (`lifecycle::gates`); nothing here judges them.

use crate::store::Cached;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::{audit, AuditRecord, Store};
use crate::{release, Error, Result, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Signoff {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub role: String,
    pub person: String,
    pub decision: Decision,
    pub comment: String,
    pub at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignoffInput {
    pub role: String,
    pub person: String,
    pub decision: Decision,
    #[serde(default)]
    pub comment: String,
}
/// Records a sign-off; a later one from the same role replaces the earlier in the gate's eyes.
pub fn sign(store: &mut Store, stamp: &Stamp, release_id: i64, input: SignoffInput) -> Result<Signoff> {
    let role = input.role.trim().to_string();
    let person = input.person.trim().to_string();
    if role.is_empty() {
        return Err(Error::invalid_field("role", "Name the role signing off, such as QA or Security."));
    }
    if person.is_empty() {
        return Err(Error::invalid_field("person", "Name the person signing off."));
    }
    if input.decision == Decision::Reject && input.comment.trim().is_empty() {
        return Err(Error::invalid_field("comment", "Say why it is rejected, so the team knows what to fix."));
    }
    store.write(|tx| {
        release::find(tx, release_id)?;
        let decision = match input.decision {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        };
        tx.execute_cached(
            "INSERT INTO signoff (release_id, role, person, decision, comment, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![release_id, role, person, decision, input.comment.trim(), stamp.at_text()],
        )?;
        let id = tx.last_insert_rowid();
        let uid = tx.query_row_cached("SELECT uid FROM signoff WHERE id = ?1", [id], |r| r.get(0))?;
        let details = serde_json::json!({ "role": role, "person": person, "decision": decision, "comment": input.comment.trim() });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "signoff", details))?;
        let comment = input.comment.trim().to_string();
        Ok(Signoff { id, uid, role, person, decision: input.decision, comment, at: stamp.at_text() })
    })
}

/// The sign-off that counts for `role` (the latest, roles compared ignoring case), from sign-offs
/// oldest first: what the gates, the evidence checks and the dossier's compliance all judge.
pub fn latest<'a>(signoffs: &'a [Signoff], role: &str) -> Option<&'a Signoff> {
    signoffs.iter().rev().find(|s| s.role.eq_ignore_ascii_case(role.trim()))
}

pub fn signoffs(store: &Store, release_id: i64) -> Result<Vec<Signoff>> {
    read_signoffs(store.conn(), release_id)
}

pub(crate) fn read_signoffs(conn: &Connection, release_id: i64) -> Result<Vec<Signoff>> {
    let mut stmt = conn.prepare(
        "SELECT id, role, person, decision, comment, at, uid FROM signoff WHERE release_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([release_id], |r| {
        let decision: String = r.get(3)?;
        Ok(Signoff {
            id: r.get(0)?,
            role: r.get(1)?,
            person: r.get(2)?,
            decision: if decision == "reject" { Decision::Reject } else { Decision::Approve },
            comment: r.get(4)?,
            at: r.get(5)?,
            uid: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A go/no-go decision, as recorded at the meeting.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct GoNoGo {
    #[serde(default)]
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); set when it is recorded.
    #[serde(default)]
    pub uid: String,
    /// `go` or `no_go`
    pub go: bool,
    pub decided_by: String,
    #[serde(default)]
    pub attendees: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub at: String,
}

/// Records a go/no-go decision; a no-go needs notes saying why.
pub fn decide(store: &mut Store, stamp: &Stamp, release_id: i64, input: GoNoGo) -> Result<GoNoGo> {
    if input.decided_by.trim().is_empty() {
        return Err(Error::invalid_field("decided_by", "Name who made the call."));
    }
    if !input.go && input.notes.trim().is_empty() {
        return Err(Error::invalid_field("notes", "Say why it is a no-go and what has to change."));
    }
    store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT INTO go_no_go (release_id, decision, decided_by, attendees, notes, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                release_id,
                if input.go { "go" } else { "no_go" },
                input.decided_by.trim(),
                input.attendees.trim(),
                input.notes.trim(),
                stamp.at_text()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let uid = tx.query_row_cached("SELECT uid FROM go_no_go WHERE id = ?1", [id], |r| r.get(0))?;
        let details = serde_json::json!({ "go": input.go, "decided_by": input.decided_by.trim(), "attendees": input.attendees.trim(), "notes": input.notes.trim() });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "go_no_go", details))?;
        Ok(GoNoGo {
            id,
            uid,
            go: input.go,
            decided_by: input.decided_by.trim().into(),
            attendees: input.attendees.trim().into(),
            notes: input.notes.trim().into(),
            at: stamp.at_text(),
        })
    })
}

/// The release's go/no-go decisions, oldest first.
pub fn decisions(store: &Store, release_id: i64) -> Result<Vec<GoNoGo>> {
    let mut stmt = store.conn().prepare(
        "SELECT id, decision, decided_by, attendees, notes, at, uid FROM go_no_go WHERE release_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([release_id], |r| {
        Ok(GoNoGo {
            id: r.get(0)?,
            go: r.get::<_, String>(1)? == "go",
            decided_by: r.get(2)?,
            attendees: r.get(3)?,
            notes: r.get(4)?,
            at: r.get(5)?,
            uid: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
