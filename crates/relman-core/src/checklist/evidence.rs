//! Evidence instead of ticks: the automatic check a checklist item can carry, and what it saw. The
//! checks themselves (reading git, the tag record, sign-offs and change requests) are the `evidence`
//! use case; this module holds the kinds, their wording, and the one write that records a result:
//! a passing check marks the item done by [`ACTOR`], with what was seen in the item's history.

use crate::store::Cached;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::items::{self, ChecklistItem, ItemState};
use crate::store::{audit, AuditRecord};
use crate::{Error, Result, Stamp};

/// Who a check's tick is recorded as: no person did it, git or Relman's records proved it.
pub const ACTOR: &str = "Relman (evidence)";

/// What an item's check proves, against the release's repository or Relman's own records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvidenceCheck {
    /// The release tag exists in the repository; with `pushed`, it was pushed to a remote too.
    TagExists {
        #[serde(default)]
        pushed: bool,
    },
    /// No commit of the release's range was committed after its code-freeze day (and the day has come).
    NoCommitsAfterFreeze,
    /// The release's branch (its `to`) holds this commit (a SHA or ref), or a commit whose message
    /// references this issue key (`PROJ-123`, `#123`).
    BranchContains { target: String },
    /// The repository's working copy has no changes and is checked out at the release's `to`.
    CleanAtTo,
    /// Every sign-off the release's gates ask for is an approval, and a change request of the release
    /// is approved.
    SignoffsAndChange,
}

impl EvidenceCheck {
    /// The check in words, as the checklist shows it.
    pub fn describe(&self) -> String {
        match self {
            EvidenceCheck::TagExists { pushed: false } => "The release tag exists".into(),
            EvidenceCheck::TagExists { pushed: true } => "The release tag exists and is pushed".into(),
            EvidenceCheck::NoCommitsAfterFreeze => "No commits after the code freeze".into(),
            EvidenceCheck::BranchContains { target } => format!("The release branch contains {target}"),
            EvidenceCheck::CleanAtTo => "The working copy is clean and at the release commit".into(),
            EvidenceCheck::SignoffsAndChange => "Required sign-offs and an approved change request".into(),
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            EvidenceCheck::BranchContains { target } if target.trim().is_empty() => Err(Error::invalid_field(
                "check",
                "Name the commit (a SHA or ref) or the issue key (PROJ-123) the release branch must contain.",
            )),
            EvidenceCheck::BranchContains { target } if target.trim().chars().count() > 200 => {
                Err(Error::invalid_field("check", "A commit or issue key is at most 200 characters."))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn to_stored(check: Option<&EvidenceCheck>) -> String {
        check.and_then(|c| serde_json::to_string(c).ok()).unwrap_or_default()
    }

    /// A stored check; an unreadable one (written by a newer Relman) reads as none.
    pub(crate) fn from_stored(text: &str) -> Option<EvidenceCheck> {
        serde_json::from_str(text).ok()
    }
}

/// What a check saw, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Evidence {
    pub passed: bool,
    /// One line: "v2.5.0 exists at 3f2a9c1 and was pushed to origin".
    pub summary: String,
    /// The facts behind it, one per line (the commits after the freeze, the sign-offs found).
    pub seen: Vec<String>,
    /// RFC 3339.
    pub at: String,
}

impl Evidence {
    pub(crate) fn from_stored(text: &str) -> Option<Evidence> {
        serde_json::from_str(text).ok()
    }

    /// The same outcome and facts, whenever seen: a repeat is not recorded again.
    fn same_as(&self, other: &Evidence) -> bool {
        self.passed == other.passed && self.summary == other.summary && self.seen == other.seen
    }
}

/// Records what an item's check saw, inside a caller's transaction. A new outcome is kept on the
/// item and in its history; a passing check closes an open item as done by [`ACTOR`]; a check that
/// stops passing reopens an item it had closed itself (a person's tick stays: theirs is an override).
/// Returns whether anything changed.
pub(crate) fn record_in(tx: &Connection, stamp: &Stamp, item: &ChecklistItem, seen: &Evidence) -> Result<bool> {
    if item.evidence.as_ref().is_some_and(|was| was.same_as(seen)) {
        return Ok(false);
    }
    let stored = serde_json::to_string(seen).map_err(|e| Error::Io(format!("Cannot store the evidence: {e}.")))?;
    tx.execute_cached(
        "INSERT INTO checklist_evidence (item_id, evidence) VALUES (?1, ?2)
         ON CONFLICT (item_id) DO UPDATE SET evidence = excluded.evidence",
        params![item.id, stored],
    )?;
    let check = item.check.as_ref().map(EvidenceCheck::describe).unwrap_or_default();
    let details = serde_json::json!({
        "check": check,
        "passed": seen.passed,
        "summary": seen.summary,
        "seen": seen.seen,
        "evaluated_for": stamp.actor,
    });
    let by = Stamp { actor: ACTOR.to_string(), ..stamp.clone() };
    audit::record(tx, &by, AuditRecord::new("checklist_item", item.id, "evidence", details))?;
    let closed_by_evidence = item.state == ItemState::Done && item.actor == ACTOR;
    if seen.passed && !item.state.is_closed() {
        items::set_state_in(tx, &by, item.id, ItemState::Done, &seen.summary)?;
    } else if !seen.passed && closed_by_evidence {
        let note = format!("The evidence no longer holds: {}", seen.summary);
        items::set_state_in(tx, &by, item.id, ItemState::Todo, &note)?;
    }
    Ok(true)
}
