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
    /// The window as a calendar event
    Ics,
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
        #[command(flatten)]
        paging: crate::Paging,
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
    /// Edit the record until it is scheduled; only the fields given change
    Edit {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        justification: Option<String>,
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        #[arg(long, requires = "window_end")]
        window_start: Option<String>,
        #[arg(long, requires = "window_start")]
        window_end: Option<String>,
        /// The affected services, replacing the ones recorded (repeat for more)
        #[arg(long = "service", value_name = "SERVICE")]
        services: Option<Vec<String>>,
    },
    /// A product's change policy: the roles that approve, whether commit authors may, and its
    /// maintenance windows; shown as it is when nothing is given
    Policy {
        #[arg(long)]
        product: String,
        /// A role that approves (repeat for more; replaces the list). ROLE=SERVICE,… asks it only of
        /// changes affecting those services: Security=security
        #[arg(long = "role", value_name = "ROLE")]
        roles: Option<Vec<String>>,
        #[arg(long, value_name = "true|false")]
        authors_may_approve: Option<bool>,
        /// A weekly window (repeat for more; replaces the list): "sat 22:00-02:00 Europe/Berlin"
        #[arg(long = "maintenance", value_name = "WINDOW", conflicts_with = "any_time")]
        maintenance: Option<Vec<String>>,
        /// No maintenance windows: changes may be planned at any time
        #[arg(long)]
        any_time: bool,
        #[arg(long)]
        json: bool,
    },
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
            let kind = change_type(kind);
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
        ChangeCommand::List { product, release, paging, json } => {
            let product_id = product.as_deref().map(|p| product::find_by_name(store, p)).transpose()?.map(|p| p.id);
            let release_id = match (&product, release) {
                (Some(p), Some(v)) => Some(release::find_by_version(store, p, &v)?.id),
                _ => None,
            };
            let page = change::page(store, product_id, release_id, &paging.request())?;
            let changes = &page.items;
            if json {
                output::json(out, changes)?;
                return output::more(out, changes.len(), page.total, page.next.as_deref(), "changes", json);
            }
            if changes.is_empty() {
                return output::line(out, "No change requests yet. Open one with `relman change create`.");
            }
            for c in changes {
                output::line(
                    out,
                    &format!("{:>4}  {:<10} {:<9} {}  {}", c.id, c.state.as_str(), c.kind.as_str(), window(c), c.title),
                )?;
            }
            return output::more(out, changes.len(), page.total, page.next.as_deref(), "changes", json);
        }
        ChangeCommand::Show { id, json } => {
            let found = change::get(store, id)?;
            return match json {
                true => output::json(out, &found),
                false => output::line(out, &describe(&found)),
            };
        }
        ChangeCommand::Draft { id } => {
            let drafted = relman_core::drafting::draft(store, stamp, id)?;
            output::line(out, &plans(&drafted.change))?;
            for warning in &drafted.warnings {
                output::line(out, warning)?;
            }
            let kept: Vec<&str> = drafted.kept.iter().map(|p| p.column()).collect();
            return match kept.as_slice() {
                [] => Ok(()),
                kept => output::line(out, &format!("Kept as edited: {}.", kept.join(", ").replace('_', " "))),
            };
        }
        ChangeCommand::Policy { product, roles, authors_may_approve, maintenance, any_time, json } => {
            let product_id = product::find_by_name(store, &product)?.id;
            let mut found = change::policy::get(store, product_id)?;
            let given = roles.is_some() || authors_may_approve.is_some() || maintenance.is_some() || any_time;
            if given {
                if let Some(roles) = roles {
                    found.roles = roles.iter().map(|r| role_rule(r)).collect();
                }
                if let Some(may) = authors_may_approve {
                    found.authors_may_approve = may;
                }
                if let Some(windows) = maintenance {
                    found.maintenance = windows.iter().map(|w| w.parse()).collect::<Result<_>>()?;
                }
                if any_time {
                    found.maintenance.clear();
                }
                found = change::policy::set(store, stamp, product_id, found)?;
            }
            return match json {
                true => output::json(out, &found),
                false => output::line(out, &policy(&product, &found)),
            };
        }
        ChangeCommand::Export { id, format, output: path } => {
            let format = match format {
                Format::Md => change::ExportFormat::Md,
                Format::Json => change::ExportFormat::Json,
                Format::Ics => change::ExportFormat::Ics,
            };
            let file = change::export(store, id, format)?;
            return output::to_file_or_out(out, path.as_deref(), &file.text, &format!("change {id}"));
        }
        ChangeCommand::Edit { id, title, description, justification, kind, window_start, window_end, services } => {
            let now = change::get(store, id)?;
            let input = ChangeInput {
                product_id: now.product_id,
                release_id: now.release_id,
                title: title.unwrap_or(now.title),
                description: description.unwrap_or(now.description),
                justification: justification.unwrap_or(now.justification),
                kind: Some(kind.map_or(now.kind, change_type)),
                window_start: window_start.or(now.window_start),
                window_end: window_end.or(now.window_end),
                services: services.unwrap_or(now.services),
            };
            change::update(store, stamp, id, input)?
        }
        ChangeCommand::Submit { id } => change::submit(store, stamp, id)?,
        ChangeCommand::Approve { id, role, comment } => change::decide(store, stamp, id, &role, true, &comment)?,
        ChangeCommand::Reject { id, role, comment } => change::decide(store, stamp, id, &role, false, &comment)?,
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

fn change_type(kind: Kind) -> ChangeType {
    match kind {
        Kind::Standard => ChangeType::Standard,
        Kind::Normal => ChangeType::Normal,
        Kind::Emergency => ChangeType::Emergency,
    }
}

/// "Security=security,auth": the role, and the services it is asked for.
fn role_rule(text: &str) -> change::RoleRule {
    let (role, only) = text.split_once('=').unwrap_or((text, ""));
    let only_for = only.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    change::RoleRule { role: role.trim().to_string(), only_for }
}

fn policy(product: &str, p: &change::ChangePolicy) -> String {
    let roles: Vec<String> = p
        .roles
        .iter()
        .map(|r| match r.only_for.as_slice() {
            [] => r.role.clone(),
            only => format!("{} (for {})", r.role, only.join(", ")),
        })
        .collect();
    let windows = match p.maintenance.as_slice() {
        [] => "any time".to_string(),
        windows => windows.iter().map(|w| w.describe()).collect::<Vec<_>>().join("; "),
    };
    let authors = if p.authors_may_approve { "may" } else { "may not" };
    format!(
        "{product}: changes are approved by {}; commit authors {authors} approve; maintenance windows: {windows}.",
        roles.join(", ")
    )
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
            let indented: Vec<String> =
                text.lines().map(|l| if l.is_empty() { String::new() } else { format!("  {l}") }).collect();
            format!("{title}:\n{}", indented.join("\n"))
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
