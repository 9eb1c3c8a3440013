//! The release lifecycle: moving a release through its statuses. A move is allowed by the status
//! machine (`release::check_transition`) and by the release's [`gates`], and is written with its history
//! and audit event in one transaction; this module is the one place that brings the three together.

pub mod gates;

use crate::release::{self, Release, ReleaseStatus};
use crate::store::{audit, AuditRecord, Store};
use crate::{Result, Stamp};

/// Moves a release to `to` if the status machine and its gates allow it, recording who and when.
/// Moving to released sets the actual date to the day of the move when none is set.
pub fn transition(store: &mut Store, stamp: &Stamp, id: i64, to: ReleaseStatus, note: &str) -> Result<Release> {
    transition_with(store, stamp, id, to, note, None)
}

/// [`transition`], overriding failing gates with a reason (audited with what it overrode).
pub fn transition_with(
    store: &mut Store,
    stamp: &Stamp,
    id: i64,
    to: ReleaseStatus,
    note: &str,
    override_reason: Option<&str>,
) -> Result<Release> {
    // Read before the transaction: it looks into git, and only for a gate that compares a scan or
    // wants the tag signed.
    let git = gates::git_facts(store, id, to)?;
    store.write(|tx| {
        let found = release::find(tx, id)?;
        release::check_transition(&found.version, found.status, to)?;
        let (judged, overridden) = gates::check(tx, id, &found.version, to, override_reason, stamp.at, &git)?;
        let note = match (&overridden, note.trim()) {
            (Some(_), "") => format!("Gates overridden: {}", override_reason.unwrap_or_default().trim()),
            (_, given) => given.to_string(),
        };
        release::record_transition(tx, stamp, &found, to, &note)?;
        let gates: Vec<_> =
            judged.iter().map(|g| serde_json::json!({ "name": g.name, "criteria": g.criteria })).collect();
        let mut details =
            serde_json::json!({ "from": found.status, "to": to, "note": note, "gate_override": overridden });
        if !gates.is_empty() {
            details["gates"] = gates.into();
        }
        audit::record(tx, stamp, AuditRecord::new("release", id, "transition", details))
    })?;
    release::get(store, id)
}
