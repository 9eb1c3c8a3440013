//! A release's dependency scans as they were reported, and the findings accepted for it with a
//! reason: what the deploy gate's "no known-vulnerable dependency" criterion reads.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::scan::{Change, DependencyFinding, DependencyReport};
use crate::store::{audit, AuditRecord, Store};
use crate::{Error, Result, Stamp};

/// A scan as it was stored.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoredScan {
    pub id: i64,
    pub scanned_at: String,
    pub scanned_by: String,
    pub report: DependencyReport,
    /// The findings accepted for the release, by key, with who accepted each and why.
    pub accepted: Vec<Acceptance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Acceptance {
    pub finding: String,
    pub reason: String,
    pub accepted_by: String,
    pub accepted_at: String,
}

/// Keeps a scan of the release as its latest, and records it in the audit log.
pub fn save(store: &mut Store, stamp: &Stamp, report: &DependencyReport) -> Result<i64> {
    let text = serde_json::to_string(report).map_err(|e| Error::Io(e.to_string()))?;
    store.write(|tx| {
        tx.execute(
            "INSERT INTO security_scan (release_id, from_sha, to_sha, scanned_at, scanned_by, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![report.release_id, report.from_sha, report.to_sha, stamp.at_text(), stamp.actor, text],
        )?;
        let id = tx.last_insert_rowid();
        let details = serde_json::json!({
            "scan": id, "from_sha": report.from_sha, "to_sha": report.to_sha, "advisories": report.advisories,
            "findings": report.findings.iter().map(|f| serde_json::json!({ "finding": f.key(), "severity": f.severity, "change": f.change })).collect::<Vec<_>>(),
        });
        audit::record(tx, stamp, AuditRecord::new("release", report.release_id, "security_scan", details))?;
        Ok(id)
    })
}

/// The release's latest scan, with what was accepted; None before its first.
pub fn latest(store: &Store, release_id: i64) -> Result<Option<StoredScan>> {
    read_latest(store.conn(), release_id)
}

pub(crate) fn read_latest(conn: &Connection, release_id: i64) -> Result<Option<StoredScan>> {
    let row: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, scanned_at, scanned_by, report FROM security_scan WHERE release_id = ?1 ORDER BY id DESC LIMIT 1",
            [release_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, scanned_at, scanned_by, text)) = row else { return Ok(None) };
    let report = serde_json::from_str(&text)
        .map_err(|e| Error::Io(format!("The release's last security scan is stored damaged ({e}); scan it again.")))?;
    Ok(Some(StoredScan { id, scanned_at, scanned_by, report, accepted: acceptances(conn, release_id)? }))
}

fn acceptances(conn: &Connection, release_id: i64) -> Result<Vec<Acceptance>> {
    let mut stmt = conn.prepare(
        "SELECT finding, reason, accepted_by, accepted_at FROM security_acceptance WHERE release_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([release_id], |r| {
        Ok(Acceptance { finding: r.get(0)?, reason: r.get(1)?, accepted_by: r.get(2)?, accepted_at: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Accepts a finding of the release's latest scan, with a reason (audited): the gate lets it through.
pub fn accept(store: &mut Store, stamp: &Stamp, release_id: i64, finding: &str, reason: &str) -> Result<Acceptance> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid_field(
            "reason",
            "Say why the release may ship with it; the reason is kept in the audit log.",
        ));
    }
    let scan = latest(store, release_id)?
        .ok_or_else(|| Error::invalid("The release has not been scanned yet; run `relman security scan` first."))?;
    let unchecked = scan.report.unchecked.iter().map(|path| super::scan::unchecked_key(path));
    known_finding(finding, scan.report.findings.iter().map(|f| f.key()).chain(unchecked).collect(), "scan")?;
    let accepted = Acceptance {
        finding: finding.to_string(),
        reason: reason.to_string(),
        accepted_by: stamp.actor.clone(),
        accepted_at: stamp.at_text(),
    };
    store.write(|tx| {
        let uid = decision_uid(tx, release_id, finding)?;
        tx.execute(
            "INSERT INTO security_acceptance (release_id, finding, reason, accepted_by, accepted_at, uid) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (release_id, finding) DO UPDATE SET reason = excluded.reason, accepted_by = excluded.accepted_by, accepted_at = excluded.accepted_at, uid = excluded.uid",
            params![release_id, accepted.finding, accepted.reason, accepted.accepted_by, accepted.accepted_at, uid],
        )?;
        let details = serde_json::json!({ "finding": finding, "reason": reason });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "security_accept", details))
    })?;
    Ok(accepted)
}

/// Refuses a decision about a finding the release's last scan (named `scan` in the error) did not
/// make, listing the keys it did make.
pub(crate) fn known_finding(finding: &str, keys: Vec<String>, scan: &str) -> Result<()> {
    if keys.iter().any(|k| k == finding) {
        return Ok(());
    }
    let known = if keys.is_empty() { "it found none".to_string() } else { format!("it found {}", keys.join(", ")) };
    Err(Error::invalid_field(
        "finding",
        format!("\"{finding}\" is not a finding of the release's last {scan} ({known}); give one of those."),
    ))
}

/// The global id of a decision about a release's finding (an acceptance, a false-positive mark): the
/// same in every copy of the plan, so two people deciding about one finding meet in one shared file.
/// Shaped like the other ids (hex groups 8-4-4-4-12), from SHA-256 of the release's id and the finding.
pub(crate) fn decision_uid(conn: &Connection, release_id: i64, finding: &str) -> Result<String> {
    use sha2::{Digest, Sha256};
    let release_uid: String = conn.query_row("SELECT uid FROM release WHERE id = ?1", [release_id], |r| r.get(0))?;
    let hex: String =
        Sha256::digest(format!("{release_uid}\n{finding}")).iter().take(16).map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

/// What the gate reads of a release's latest scan (of dependencies, or of secrets): the commit it
/// scanned to, and its findings nobody accepted or marked.
#[derive(Debug, Clone)]
pub struct ScanFacts<F> {
    /// The commit the scan read the range after (None: all of the history), and the one it read to.
    pub from_sha: Option<String>,
    pub to_sha: String,
    pub open: Vec<F>,
    /// Lock files at the scanned commit that could not be read, and nobody accepted (dependency
    /// scans only).
    pub unchecked: Vec<String>,
}

impl<F> Default for ScanFacts<F> {
    fn default() -> Self {
        Self { from_sha: None, to_sha: String::new(), open: Vec::new(), unchecked: Vec::new() }
    }
}

/// For the gate: the release's latest dependency scan as [`ScanFacts`]; None when it was never scanned.
pub(crate) fn unaccepted(conn: &Connection, release_id: i64) -> Result<Option<ScanFacts<DependencyFinding>>> {
    let Some(scan) = read_latest(conn, release_id)? else { return Ok(None) };
    let accepted = |key: &str| scan.accepted.iter().any(|a| a.finding == key);
    let unchecked =
        scan.report.unchecked.iter().filter(|path| !accepted(&super::scan::unchecked_key(path))).cloned().collect();
    Ok(Some(ScanFacts {
        unchecked,
        from_sha: scan.report.from_sha,
        to_sha: scan.report.to_sha,
        open: scan.report.findings.into_iter().filter(|f| f.change != Change::Fixed && !accepted(&f.key())).collect(),
    }))
}
