//! A release's secrets scans as they were reported, and the findings marked as false positives with a
//! reason: what the gate's "no unresolved secret finding" criterion reads. Both are audited; neither
//! holds a secret whole (a finding carries only its redaction).

use crate::security::record::ScanFacts;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::{LeakFinding, LeakReport};
use crate::store::{audit, AuditRecord, Store};
use crate::{Error, Result, Stamp};

/// A secrets scan as it was stored.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoredLeakScan {
    pub id: i64,
    pub scanned_at: String,
    pub scanned_by: String,
    pub report: LeakReport,
    /// The findings marked as false positives for the release, by key, with who marked each and why.
    pub dismissed: Vec<Dismissal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dismissal {
    pub finding: String,
    pub reason: String,
    pub dismissed_by: String,
    pub dismissed_at: String,
}

impl StoredLeakScan {
    /// The findings nobody marked as a false positive.
    pub fn unresolved(&self) -> impl Iterator<Item = &LeakFinding> {
        self.report.findings.iter().filter(|f| !self.dismissed.iter().any(|d| d.finding == f.key))
    }
}

/// Keeps a secrets scan of the release as its latest, and records it in the audit log (rule, key and
/// redaction of each finding).
pub fn save(store: &mut Store, stamp: &Stamp, report: &LeakReport) -> Result<i64> {
    let text = serde_json::to_string(report).map_err(|e| Error::Io(e.to_string()))?;
    store.write(|tx| {
        tx.execute(
            "INSERT INTO leak_scan (release_id, from_sha, to_sha, scanned_at, scanned_by, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![report.release_id, report.from_sha, report.to_sha, stamp.at_text(), stamp.actor, text],
        )?;
        let id = tx.last_insert_rowid();
        let details = serde_json::json!({
            "scan": id, "from_sha": report.from_sha, "to_sha": report.to_sha, "commits": report.commits_scanned,
            "findings": report.findings.iter().map(|f| serde_json::json!({ "finding": f.key, "rule": f.rule_id, "redacted": f.redacted })).collect::<Vec<_>>(),
        });
        audit::record(tx, stamp, AuditRecord::new("release", report.release_id, "leak_scan", details))?;
        Ok(id)
    })
}

/// The release's latest secrets scan, with what was marked; None before its first.
pub fn latest(store: &Store, release_id: i64) -> Result<Option<StoredLeakScan>> {
    read_latest(store.conn(), release_id)
}

fn read_latest(conn: &Connection, release_id: i64) -> Result<Option<StoredLeakScan>> {
    let row: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, scanned_at, scanned_by, report FROM leak_scan WHERE release_id = ?1 ORDER BY id DESC LIMIT 1",
            [release_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, scanned_at, scanned_by, text)) = row else { return Ok(None) };
    let report = serde_json::from_str(&text)
        .map_err(|e| Error::Io(format!("The release's last secrets scan is stored damaged ({e}); scan it again.")))?;
    Ok(Some(StoredLeakScan { id, scanned_at, scanned_by, report, dismissed: dismissals(conn, release_id)? }))
}

fn dismissals(conn: &Connection, release_id: i64) -> Result<Vec<Dismissal>> {
    let mut stmt = conn.prepare(
        "SELECT finding, reason, dismissed_by, dismissed_at FROM leak_dismissal WHERE release_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([release_id], |r| {
        Ok(Dismissal { finding: r.get(0)?, reason: r.get(1)?, dismissed_by: r.get(2)?, dismissed_at: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks a finding of the release's latest secrets scan as a false positive, with a reason (audited):
/// the gate lets it through. A real secret is not dismissed but revoked, and removed from history.
pub fn dismiss(store: &mut Store, stamp: &Stamp, release_id: i64, finding: &str, reason: &str) -> Result<Dismissal> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid_field(
            "reason",
            "Say why it is not a secret (a test fixture, an example value); the reason is kept in the audit log.",
        ));
    }
    let scan = latest(store, release_id)?.ok_or_else(|| {
        Error::invalid("The release has not been scanned for secrets yet; run `relman security scan` first.")
    })?;
    crate::security::record::known_finding(
        finding,
        scan.report.findings.iter().map(|f| f.key.clone()).collect(),
        "secrets scan",
    )?;
    let dismissed = Dismissal {
        finding: finding.to_string(),
        reason: reason.to_string(),
        dismissed_by: stamp.actor.clone(),
        dismissed_at: stamp.at_text(),
    };
    store.write(|tx| {
        let uid = crate::security::record::decision_uid(tx, release_id, finding)?;
        tx.execute(
            "INSERT INTO leak_dismissal (release_id, finding, reason, dismissed_by, dismissed_at, uid) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (release_id, finding) DO UPDATE SET reason = excluded.reason, dismissed_by = excluded.dismissed_by, dismissed_at = excluded.dismissed_at, uid = excluded.uid",
            params![release_id, dismissed.finding, dismissed.reason, dismissed.dismissed_by, dismissed.dismissed_at, uid],
        )?;
        let details = serde_json::json!({ "finding": finding, "reason": reason });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "leak_dismiss", details))
    })?;
    Ok(dismissed)
}

/// For the gate: the findings of the release's latest secrets scan that nobody marked; None when it
/// was never scanned.
pub(crate) fn unresolved(conn: &Connection, release_id: i64) -> Result<Option<ScanFacts<LeakFinding>>> {
    let Some(scan) = read_latest(conn, release_id)? else { return Ok(None) };
    Ok(Some(ScanFacts {
        from_sha: scan.report.from_sha.clone(),
        to_sha: scan.report.to_sha.clone(),
        open: scan.unresolved().cloned().collect(),
        unchecked: Vec::new(),
    }))
}
