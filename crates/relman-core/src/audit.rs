//! The audit log as users see it: pages of events with filters (the Activity view, `relman audit
//! log`), verification of the hash chain (`relman audit verify`, and the app on open), and exports of
//! a slice with its chain hashes that a third party can check offline (`relman audit export`, then
//! `relman audit verify --file`). The chain itself is written in `store/audit.rs`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::export::ExportFile;
pub use crate::store::audit::{
    canonical, AuditEvent, AuditFilter, AuditPage, BreakKind, ChainBreak, ChainReport, Progress, ENCODING, GENESIS,
    PROGRESS_EVERY,
};
use crate::store::{audit, Store};
use crate::{Error, Result, Stamp};

/// The events `filter` selects, newest first, one page at a time.
pub fn page(store: &Store, filter: &AuditFilter) -> Result<AuditPage> {
    audit::query(store.conn(), filter)
}

/// Recomputes the whole chain from the first event.
pub fn verify(store: &Store) -> Result<ChainReport> {
    audit::verify(store.conn())
}

/// [`verify`] with progress every `every` events, which returns false to stop (the app's check on open).
pub fn verify_with(store: &Store, every: i64, progress: &mut dyn FnMut(Progress) -> bool) -> Result<ChainReport> {
    audit::verify_with(store.conn(), every, progress)
}

/// The chains of the other copies of the shared plan, as their events arrived by sync, each checked
/// from its first event (`relman audit verify` reports them after this database's own).
pub fn verify_copies(store: &Store) -> Result<Vec<crate::share::audit::OriginReport>> {
    crate::share::audit::verify_origins(store.conn())
}

/// Checks that the log still holds the event whose hash is `head` (one kept from an earlier check or
/// an export's `chain_head`) and that every event after it chains on from it: that the log only grew
/// since. Events up to `head` are not read again.
pub fn verify_since_head(
    store: &Store,
    head: &str,
    every: i64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ChainReport> {
    let head = head.trim().to_ascii_lowercase();
    if head.len() != 64 || !head.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid_field(
            "head",
            format!("\"{head}\" is not a chain head: give the 64 hex digits `relman audit verify` printed."),
        ));
    }
    let seq = audit::seq_of(store.conn(), &head)?.ok_or_else(|| {
        Error::NotFound(format!(
            "No event in this log has the hash {head}: it comes from another database, or the log was rewritten since. Check the whole log with `relman audit verify`."
        ))
    })?;
    let since = ChainReport { events: seq, head: Some(head), broken: None };
    audit::verify_since(store.conn(), &since, every, progress)
}

/// [`verify_with`] of only what was written since an earlier check that held (the app's check when
/// the Activity view opens); a check that failed, or whose last event changed, makes it a whole one.
pub fn verify_since(
    store: &Store,
    since: &ChainReport,
    every: i64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<ChainReport> {
    audit::verify_since(store.conn(), since, every, progress)
}

/// The JSON of an export: the events (oldest first) with their chain hashes, and the head of the
/// whole chain when it was exported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditExport {
    pub schema: u32,
    pub kind: String,
    /// The canonical encoding the hashes use ([`ENCODING`]; docs/audit.md describes it).
    pub encoding: String,
    pub exported_at: String,
    pub exported_by: String,
    /// The whole log's length and last hash at export time: keep it to compare with later.
    pub chain_events: i64,
    pub chain_head: Option<String>,
    /// Whether the log verified when it was exported.
    pub chain_intact: bool,
    pub events: Vec<AuditEvent>,
}

const EXPORT_KIND: &str = "relman-audit-export";

/// The events `filter` selects (all of them when it sets no limit), oldest first, as JSON.
pub fn export(store: &Store, stamp: &Stamp, filter: &AuditFilter) -> Result<ExportFile> {
    let export = collect(store, stamp, filter)?;
    let mut text = serde_json::to_string_pretty(&export)
        .map_err(|e| Error::Io(format!("The audit export could not be written: {e}.")))?;
    text.push('\n');
    Ok(ExportFile::new(&format!("relman audit {}", stamp.today()), "json", "JSON", text))
}

/// What [`export`] writes, for documents that carry their events with them (the release dossier).
pub fn collect(store: &Store, stamp: &Stamp, filter: &AuditFilter) -> Result<AuditExport> {
    let report = verify(store)?;
    let mut events = page(store, filter)?.events;
    events.reverse();
    Ok(AuditExport {
        schema: 1,
        kind: EXPORT_KIND.to_string(),
        encoding: ENCODING.to_string(),
        exported_at: stamp.at_text(),
        exported_by: stamp.actor.clone(),
        chain_events: report.events,
        chain_head: report.head.clone(),
        chain_intact: report.is_intact(),
        events,
    })
}

/// What checking an export found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportReport {
    pub events: usize,
    /// Events whose own hash was recomputed and matched.
    pub hashes_checked: usize,
    /// Pairs of neighbouring events (consecutive places in the log) whose link was checked.
    pub links_checked: usize,
    /// Whether the export holds the whole log from its first event, checked as one chain.
    pub whole_log: bool,
    pub broken: Option<ChainBreak>,
}

/// Checks an export with no database: every event's hash against its fields, every link between
/// events at neighbouring places, and for a whole log the chain from the first event to the head it
/// names.
pub fn verify_export(text: &str) -> Result<ExportReport> {
    let export: AuditExport = serde_json::from_str(text).map_err(|e| {
        Error::invalid_field(
            "file",
            format!("This is not a Relman audit export ({e}); export one with `relman audit export`."),
        )
    })?;
    if export.kind != EXPORT_KIND || export.encoding != ENCODING {
        return Err(Error::invalid_field(
            "file",
            format!(
                "This export is \"{}\" in encoding \"{}\"; this Relman checks \"{EXPORT_KIND}\" in \"{ENCODING}\". Check it with the Relman that wrote it.",
                export.kind, export.encoding
            ),
        ));
    }
    let events = &export.events;
    let mut report =
        ExportReport { events: events.len(), hashes_checked: 0, links_checked: 0, whole_log: false, broken: None };
    let whole = events.first().is_some_and(|e| e.seq == 1)
        && events.windows(2).all(|w| w[1].seq == w[0].seq + 1)
        && events.last().map(|e| e.seq) == Some(export.chain_events);
    if whole {
        let chain = audit::check(events.iter().cloned().map(Ok))?;
        report.whole_log = true;
        report.hashes_checked = chain.events as usize;
        report.links_checked = (chain.events as usize).saturating_sub(1);
        report.broken = chain.broken;
        if report.broken.is_none() && chain.head != export.chain_head {
            report.broken = Some(ChainBreak {
                kind: BreakKind::OutOfOrder,
                seq: export.chain_events,
                id: None,
                message: "The events do not end at the head hash the export names: the file was edited.".into(),
            });
        }
        return Ok(report);
    }
    for (n, e) in events.iter().enumerate() {
        if e.expected_hash() != e.hash {
            report.broken = Some(ChainBreak {
                kind: BreakKind::Edited,
                seq: e.seq,
                id: Some(e.id),
                message: format!(
                    "Audit event #{} ({} {} by {} at {}) does not match its hash: it was changed after it was written.",
                    e.seq, e.action, e.entity, e.actor, e.at
                ),
            });
            return Ok(report);
        }
        report.hashes_checked += 1;
        if let Some(before) = n.checked_sub(1).map(|b| &events[b]).filter(|b| b.seq + 1 == e.seq) {
            if e.prev_hash != before.hash {
                report.broken = Some(ChainBreak {
                    kind: BreakKind::OutOfOrder,
                    seq: e.seq,
                    id: Some(e.id),
                    message: format!("Audit event #{} does not follow event #{} in this export.", e.seq, before.seq),
                });
                return Ok(report);
            }
            report.links_checked += 1;
        }
    }
    Ok(report)
}
