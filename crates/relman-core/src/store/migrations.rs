//! Numbered, append-only schema migrations. Never edit a shipped one: add the next.
//!
//! `PRAGMA user_version` holds the number of migrations applied. All pending ones run in one transaction,
//! so a failed upgrade leaves the database as it was.

use rusqlite::Connection;

use crate::{Error, Result};

/// One schema step: its SQL, then, for the few that need it, a step in Rust in the same transaction
/// (what SQL cannot compute, such as the audit chain's hashes).
struct Migration {
    sql: &'static str,
    then: Option<fn(&Connection) -> Result<()>>,
}

const fn sql(sql: &'static str) -> Migration {
    Migration { sql, then: None }
}

const MIGRATIONS: &[Migration] = &[
    sql(include_str!("migrations/0001_foundation.sql")),
    sql(include_str!("migrations/0002_release_notes.sql")),
    sql(include_str!("migrations/0003_notes_templates.sql")),
    sql(include_str!("migrations/0004_timeline.sql")),
    sql(include_str!("migrations/0005_checklists.sql")),
    sql(include_str!("migrations/0006_gates.sql")),
    sql(include_str!("migrations/0007_deployments.sql")),
    sql(include_str!("migrations/0008_go_no_go.sql")),
    sql(include_str!("migrations/0009_action_actor.sql")),
    sql(include_str!("migrations/0010_risks.sql")),
    sql(include_str!("migrations/0011_tags.sql")),
    Migration { sql: include_str!("migrations/0012_audit_chain.sql"), then: Some(super::audit::chain_existing) },
    sql(include_str!("migrations/0013_global_ids.sql")),
    sql(include_str!("migrations/0014_sharing.sql")),
    sql(include_str!("migrations/0015_changes.sql")),
    sql(include_str!("migrations/0016_change_policy.sql")),
    sql(include_str!("migrations/0017_incidents.sql")),
    sql(include_str!("migrations/0018_retrospectives.sql")),
    sql(include_str!("migrations/0019_evidence.sql")),
    sql(include_str!("migrations/0020_paging.sql")),
    sql(include_str!("migrations/0021_timeline.sql")),
    sql(include_str!("migrations/0022_timeline_rows.sql")),
    sql(include_str!("migrations/0023_security.sql")),
    sql(include_str!("migrations/0024_shared_acceptances.sql")),
    sql(include_str!("migrations/0025_leaks.sql")),
    sql(include_str!("migrations/0026_signed_tag_gate.sql")),
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
    for (index, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(step.sql)?;
        if let Some(then) = step.then {
            then(&tx)?;
        }
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
