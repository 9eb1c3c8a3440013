//! `relman audit`: the log (newest first, paged), the chain's verification, and exports.

use std::io::Write;
use std::path::PathBuf;

use relman_core::audit::{self, AuditEvent, AuditFilter, ChainBreak, ChainReport, ExportReport};
use relman_core::store::Store;
use relman_core::{product, release, Error, Result, Stamp};

use crate::output;

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// The audit log, newest first: who changed what, when
    Log {
        #[command(flatten)]
        filter: FilterArgs,
        /// At most this many events (the next page: --after CURSOR, printed at the end)
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// The events after this cursor in the log's order (older than this place in the log)
        #[arg(long, value_name = "CURSOR", alias = "before")]
        after: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Recompute the log's hash chain and name the first event that does not match
    Verify {
        /// Check an export (from `relman audit export`) instead of the database; needs no database
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Check only that the log grew from this head (a hash printed by an earlier verify, or an
        /// export's chain_head): it is still there, and every event after it chains on
        #[arg(long, value_name = "HASH", conflicts_with = "file")]
        since_head: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The events (all, or those the filters select) with their chain hashes, as JSON
    Export {
        #[command(flatten)]
        filter: FilterArgs,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// release, risk, milestone, checklist_item, product, freeze_window, settings…
    #[arg(long)]
    entity: Option<String>,
    /// The entity's id (with --entity)
    #[arg(long, requires = "entity")]
    id: Option<i64>,
    /// Events about this product and its releases
    #[arg(long)]
    product: Option<String>,
    /// Events about this release (with --product)
    #[arg(long, requires = "product")]
    release: Option<String>,
    /// Part of the actor's name or email
    #[arg(long)]
    actor: Option<String>,
    /// From this day (YYYY-MM-DD) on
    #[arg(long)]
    since: Option<String>,
    /// Before this day (YYYY-MM-DD)
    #[arg(long)]
    until: Option<String>,
}

impl FilterArgs {
    fn filter(self, store: &Store) -> Result<AuditFilter> {
        let (product_id, release_id) = match (&self.product, &self.release) {
            (Some(product), Some(version)) => {
                let found = release::find_by_version(store, product, version)?;
                (None, Some(found.id))
            }
            (Some(product), None) => (Some(product::find_by_name(store, product)?.id), None),
            _ => (None, None),
        };
        Ok(AuditFilter {
            entity: self.entity,
            entity_id: self.id,
            product_id,
            release_id,
            actor: self.actor,
            since: self.since,
            until: self.until,
            ..Default::default()
        })
    }
}

/// `audit verify --file` needs no database; everything else does.
pub fn verify_file(path: &std::path::Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io(format!("Cannot read the audit export {}: {e}.", path.display())))?;
    let report = audit::verify_export(&text)?;
    let summary = export_summary(&report, &path.display().to_string());
    conclude(out, json, &report, report.broken.as_ref(), &summary)
}

/// Prints a check's report (JSON, or the summary when it holds) and fails, naming what broke, when
/// it does not: a broken chain is a failed command.
fn conclude<T: serde::Serialize>(
    out: &mut dyn Write,
    json: bool,
    report: &T,
    broken: Option<&ChainBreak>,
    summary: &str,
) -> Result<()> {
    if json {
        output::json(out, report)?;
    } else if broken.is_none() {
        output::line(out, summary)?;
    }
    match broken {
        Some(broken) => Err(Error::Tampered(broken.message.clone())),
        None => Ok(()),
    }
}

fn export_summary(report: &ExportReport, shown: &str) -> String {
    match report.whole_log {
        true => format!("{shown}: the whole log, {} events, one intact chain.", report.events),
        false => format!(
            "{shown}: {} events, each matching its hash; {} between neighbouring events checked. Events not in the export cannot be checked from it.",
            report.events,
            match report.links_checked {
                1 => "1 link".to_string(),
                n => format!("{n} links"),
            }
        ),
    }
}

pub fn run(command: AuditCommand, store: &Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        AuditCommand::Log { filter, limit, after, json } => {
            let filter = AuditFilter { limit: Some(limit), before_seq: after, ..filter.filter(store)? };
            let page = audit::page(store, &filter)?;
            if json {
                return output::json(out, &page);
            }
            if page.events.is_empty() {
                return output::line(out, "No audit events match. Every change made in Relman is listed here.");
            }
            output::audit_events(out, &page.events)?;
            match page.next_before_seq {
                Some(seq) => output::line(out, &format!("More: add --after {seq}.")),
                None => Ok(()),
            }
        }
        AuditCommand::Verify { file: Some(path), json, .. } => verify_file(&path, json, out),
        AuditCommand::Verify { file: None, since_head: Some(head), json } => {
            let report = audit::verify_since_head(store, &head, audit::PROGRESS_EVERY, &mut |_| true)?;
            let summary = match &report.head {
                Some(now) if *now != head.trim().to_ascii_lowercase() => {
                    format!("{} (it grew from {head}).", chain_summary(&report).trim_end_matches('.'))
                }
                _ => format!("The audit log is intact and has not grown since {head}: {} events.", report.events),
            };
            conclude(out, json, &report, report.broken.as_ref(), &summary)
        }
        AuditCommand::Verify { file: None, since_head: None, json } => {
            let report = audit::verify(store)?;
            let copies = audit::verify_copies(store)?;
            let broken = report.broken.as_ref().or(copies.iter().find_map(|c| c.broken.as_ref()));
            let mut summary = chain_summary(&report);
            for copy in &copies {
                let withheld = match copy.withheld {
                    0 => String::new(),
                    n => format!(", {n} withheld (about products not shared here)"),
                };
                summary.push_str(&format!("\nThe copy {}: {} events{withheld}, one chain.", copy.origin, copy.events));
            }
            // The chain's report as before, with the other copies' beside it.
            let mut shown = serde_json::to_value(&report).map_err(|e| Error::Io(e.to_string()))?;
            shown["copies"] = serde_json::to_value(&copies).map_err(|e| Error::Io(e.to_string()))?;
            conclude(out, json, &shown, broken, &summary)
        }
        AuditCommand::Export { filter, output: path } => {
            let file = audit::export(store, stamp, &filter.filter(store)?)?;
            output::to_file_or_out(out, path.as_deref(), &file.text, "the audit export")
        }
    }
}

fn chain_summary(report: &ChainReport) -> String {
    match &report.head {
        Some(head) => format!("The audit log is intact: {} events, one chain, head {head}.", report.events),
        None => "The audit log is empty.".to_string(),
    }
}

/// One line per event for `audit log`.
pub(crate) fn describe(event: &AuditEvent) -> Vec<String> {
    let what = match event.entity_id {
        Some(id) if id > 0 => format!("{} {id}", event.entity),
        _ => event.entity.clone(),
    };
    vec![
        event.seq.to_string(),
        event.at.clone(),
        event.actor.clone(),
        what,
        event.action.clone(),
        summary(&event.details),
    ]
}

/// The details object, short: `key=value` pairs, long values cut.
fn summary(details: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(details) else {
        return String::new();
    };
    let text: Vec<String> = map
        .iter()
        .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let v = if v.chars().count() > 40 { format!("{}…", v.chars().take(39).collect::<String>()) } else { v };
            format!("{k}={v}")
        })
        .collect();
    let joined = text.join(" ");
    if joined.chars().count() > 100 {
        format!("{}…", joined.chars().take(99).collect::<String>())
    } else {
        joined
    }
}
