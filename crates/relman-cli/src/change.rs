//! `relman change`: change requests a CAB approves — create, list, show, submit, approve or reject
//! by role, schedule, implement, review, close, cancel. The acting person (`--as`, `RELMAN_USER`) is
//! the requester of what they create and the approver of what they approve.

use std::io::Write;

use relman_core::change::{self, ChangeInput, ChangeRequest, ChangeState, ChangeType, CloseCode, MoveInput};
use relman_core::store::Store;
use relman_core::{product, release, Result, Stamp};

use crate::output;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    Standard,
    Normal,
    Emergency,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Code {
    Successful,
    SuccessfulWithIssues,
    Unsuccessful,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Json,
}

#[derive(Debug, clap::Subcommand)]
pub enum ChangeCommand {
    /// Open a change request (in draft); prints its id
    Create {
        #[arg(long)]
        product: String,
        /// The release it deploys
        #[arg(long)]
        release: Option<String>,
        #[arg(long = "type", value_enum)]
        kind: Kind,
        #[arg(long)]
        title: String,
        /// RFC 3339 with an offset: 2026-12-10T22:00:00+01:00
        #[arg(long, requires = "window_end")]
        window_start: Option<String>,
        #[arg(long, requires = "window_start")]
        window_end: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "")]
        justification: String,
        /// An affected service or component (repeat for more)
        #[arg(long = "service", value_name = "SERVICE")]
        services: Vec<String>,
    },
    /// The change requests, newest first
    List {
        #[arg(long)]
        product: Option<String>,
        /// With --product
        #[arg(long, requires = "product")]
        release: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One change: its state, window, approvals and what it still needs
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Fill the plans from the release: runbook, rollback steps, gates and sign-offs, risks, range;
    /// a plan edited since the last draft is kept
    Draft { id: i64 },
    /// Send a draft on: to assessment (normal), authorization (emergency) or the schedule (standard)
    Submit { id: i64 },
    /// Approve for a role, as the acting person (never the requester)
    Approve {
        id: i64,
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Reject for a role, saying why; the change goes back to draft
    Reject {
        id: i64,
        #[arg(long)]
        role: String,
        #[arg(long)]
        comment: String,
    },
    /// Schedule an authorized change in its window
    Schedule { id: i64 },
    /// Start implementing a scheduled change
    Implement { id: i64 },
    /// Move an implemented change to review
    Review { id: i64 },
    /// Close a reviewed change with its code
    Close {
        id: i64,
        #[arg(long, value_enum)]
        code: Code,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// The change record as Markdown (to paste into a change system) or JSON (to import into one)
    Export {
        id: i64,
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Cancel a change that is not yet in review, saying why
    Cancel {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

pub fn run(command: ChangeCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    let moved = |store: &mut Store, id: i64, to: ChangeState, code: Option<CloseCode>, notes: String| {
        change::move_to(store, stamp, id, MoveInput { to: Some(to), close_code: code, notes })
    };
    let done = match command {
        ChangeCommand::Create {
            product,
            release,
            kind,
            title,
            window_start,
            window_end,
            description,
            justification,
            services,
        } => {
            let product_id = product::find_by_name(store, &product)?.id;
            let release_id = release.map(|v| release::find_by_version(store, &product, &v)).transpose()?.map(|r| r.id);
            let kind = match kind {
                Kind::Standard => ChangeType::Standard,
                Kind::Normal => ChangeType::Normal,
                Kind::Emergency => ChangeType::Emergency,
            };
            let input = ChangeInput {
                product_id,
                release_id,
                title,
                description,
                justification,
                kind: Some(kind),
                window_start,
                window_end,
                services,
            };
            let created = change::create(store, stamp, input)?;
            return output::line(out, &created.id.to_string());
        }
        ChangeCommand::List { product, release, json } => {
            let product_id = product.as_deref().map(|p| product::find_by_name(store, p)).transpose()?.map(|p| p.id);
            let release_id = match (&product, release) {
                (Some(p), Some(v)) => Some(release::find_by_version(store, p, &v)?.id),
                _ => None,
            };
            let changes = change::list(store, product_id, release_id)?;
            if json {
                return output::json(out, &changes);
            }
            if changes.is_empty() {
                return output::line(out, "No change requests yet. Open one with `relman change create`.");
            }
            for c in &changes {
                output::line(
                    out,
                    &format!("{:>4}  {:<10} {:<9} {}  {}", c.id, c.state.as_str(), c.kind.as_str(), window(c), c.title),
                )?;
            }
            return Ok(());
        }
        ChangeCommand::Show { id, json } => {
            let found = change::get(store, id)?;
            return match json {
                true => output::json(out, &found),
                false => output::line(out, &describe(&found)),
            };
        }
        ChangeCommand::Draft { id } => {
            let (drafted, kept) = relman_core::drafting::draft(store, stamp, id)?;
            output::line(out, &plans(&drafted))?;
            let kept: Vec<&str> = kept.iter().map(|p| p.column()).collect();
            return match kept.as_slice() {
                [] => Ok(()),
                kept => output::line(out, &format!("Kept as edited: {}.", kept.join(", ").replace('_', " "))),
            };
        }
        ChangeCommand::Export { id, format, output: path } => {
            let format = if format == Format::Json { change::ExportFormat::Json } else { change::ExportFormat::Md };
            let file = change::export(store, id, format)?;
            return match path {
                Some(path) => {
                    std::fs::write(&path, &file.text)
                        .map_err(|e| relman_core::Error::Io(format!("Cannot write {}: {e}.", path.display())))?;
                    output::line(out, &format!("Wrote change {id} to {}.", path.display()))
                }
                None => out.write_all(file.text.as_bytes()).map_err(crate::io_error),
            };
        }
        ChangeCommand::Submit { id } => change::submit(store, stamp, id)?,
        ChangeCommand::Approve { id, role, comment } => change::decide(store, stamp, id, &role, true, &comment, &[])?,
        ChangeCommand::Reject { id, role, comment } => change::decide(store, stamp, id, &role, false, &comment, &[])?,
        ChangeCommand::Schedule { id } => moved(store, id, ChangeState::Scheduled, None, String::new())?,
        ChangeCommand::Implement { id } => moved(store, id, ChangeState::Implement, None, String::new())?,
        ChangeCommand::Review { id } => moved(store, id, ChangeState::Review, None, String::new())?,
        ChangeCommand::Close { id, code, notes } => {
            let code = match code {
                Code::Successful => CloseCode::Successful,
                Code::SuccessfulWithIssues => CloseCode::SuccessfulWithIssues,
                Code::Unsuccessful => CloseCode::Unsuccessful,
            };
            moved(store, id, ChangeState::Closed, Some(code), notes)?
        }
        ChangeCommand::Cancel { id, reason } => moved(store, id, ChangeState::Cancelled, None, reason)?,
    };
    output::line(out, &format!("Change {} \"{}\" is {}{}.", done.id, done.title, done.state.as_str(), needs(&done)))
}

/// The plans, headed, for `draft` and `show`.
fn plans(c: &ChangeRequest) -> String {
    let sections = [
        ("Implementation plan", &c.implementation_plan),
        ("Backout plan", &c.backout_plan),
        ("Test plan", &c.test_plan),
        ("Risk", &c.risk),
        ("Impact", &c.impact),
    ];
    let mut lines: Vec<String> = sections
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(title, text)| {
            format!("{title}:\n{}", text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"))
        })
        .collect();
    if !c.links.is_empty() {
        lines.push(format!("Links: {}", c.links.join(", ")));
    }
    lines.join("\n")
}

fn window(c: &ChangeRequest) -> String {
    match (&c.window_start, &c.window_end) {
        (Some(s), Some(e)) => format!("{s} → {e}"),
        _ => "no window yet".to_string(),
    }
}

/// What it still needs, in words: "; it needs an approval from CAB".
fn needs(c: &ChangeRequest) -> String {
    match (c.state, c.missing.as_slice()) {
        (ChangeState::Assess | ChangeState::Authorize, missing)
            if !missing.is_empty() && c.kind != ChangeType::Standard =>
        {
            format!("; it needs an approval from {}", missing.join(" and "))
        }
        _ => String::new(),
    }
}

fn describe(c: &ChangeRequest) -> String {
    let mut lines = vec![
        format!("Change {}: {}", c.id, c.title),
        format!("  {} change, {}{}; requested by {}", c.kind.as_str(), c.state.as_str(), needs(c), c.requester),
        format!("  window: {}", window(c)),
    ];
    if !c.rejection.is_empty() && c.state == ChangeState::Draft {
        lines.push(format!("  sent back: {}", c.rejection));
    }
    for a in &c.approvals {
        let decision = if a.approved { "approved" } else { "rejected" };
        let after = if a.retrospective { " (after the fact)" } else { "" };
        let comment = if a.comment.is_empty() { String::new() } else { format!(": {}", a.comment) };
        lines.push(format!("  {} {decision} as {}{after}, {}{comment}", a.person, a.role, a.at));
    }
    for conflict in &c.conflicts {
        lines.push(format!("  conflict: {}", conflict.message));
    }
    let next: Vec<&str> = c.next_states.iter().map(|s| s.as_str()).collect();
    lines.push(format!(
        "  next: {}",
        if next.is_empty() { "nothing (it is done)".to_string() } else { next.join(", ") }
    ));
    lines.join("\n")
}
