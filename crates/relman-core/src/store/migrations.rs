//! Numbered, append-only schema migrations. Never edit a shipped one: add the next.
//!
//! `PRAGMA user_version` holds the number of migrations applied. All pending ones run in one transaction,
//! so a failed upgrade leaves the database as it was.

use rusqlite::Connection;

use crate::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_foundation.sql"),
    include_str!("migrations/0002_release_notes.sql"),
    include_str!("migrations/0003_notes_templates.sql"),
    include_str!("migrations/0004_timeline.sql"),
    include_str!("migrations/0005_checklists.sql"),
    include_str!("migrations/0006_gates.sql"),
    include_str!("migrations/0007_deployments.sql"),
    include_str!("migrations/0008_go_no_go.sql"),
    include_str!("migrations/0009_action_actor.sql"),
    include_str!("migrations/0010_risks.sql"),
    include_str!("migrations/0011_tags.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub(super) fn check_supported(version: i64, shown: &str) -> Result<()> {
    if version > LATEST {
        return Err(Error::Incompatible(format!(
            "{shown} was written by a newer Relman (schema {version}; this build knows up to {LATEST}). It was left untouched; update Relman to open it."
        )));
    }
    Ok(())
}

pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
