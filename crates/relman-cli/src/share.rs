//! `relman share` (where and what this database shares) and `relman sync` (exchange the plan with the
//! team's remote, list and resolve conflicts).

use std::io::Write;

use relman_core::secrets::{KeyringStore, SecretStore};
use relman_core::share::{self, ShareInput, ShareStatus, SyncConflict, SyncReport};
use relman_core::store::Store;
use relman_core::{Result, Stamp};

use crate::output;

#[derive(Debug, clap::Subcommand)]
pub enum ShareCommand {
    /// Share this database's plan through a git remote the team already has
    Init {
        /// A git URL: https://…, ssh://…, git@host:path, file://…
        #[arg(long)]
        remote: String,
        /// The plan's name on the remote, when one repository holds several plans
        #[arg(long)]
        name: Option<String>,
        /// A product to share (repeat for more); every product when none is named
        #[arg(long = "product", value_name = "PRODUCT")]
        products: Vec<String>,
    },
    /// Where the plan is shared, which products, and how the last sync went
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    command: Option<SyncCommand>,
    #[arg(long)]
    json: bool,
    /// Keep syncing (deploy night: watchers see each tick within seconds); Ctrl-C stops
    #[arg(long)]
    watch: bool,
    /// Seconds between syncs with --watch
    #[arg(long, default_value_t = 10, requires = "watch", value_parser = clap::value_parser!(u64).range(1..))]
    every: u64,
    /// Stop after this many syncs with --watch (for scripts)
    #[arg(long, requires = "watch")]
    count: Option<u64>,
}

#[derive(Debug, clap::Subcommand)]
pub enum SyncCommand {
    /// Fields two people changed to different values, waiting for someone to pick
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Pick one of a conflict's values (1, 2, … as `sync conflicts` lists them); the next sync tells everyone
    Resolve {
        /// The conflict, as `sync conflicts` names it
        id: String,
        #[arg(long)]
        pick: usize,
    },
}

pub fn share(command: ShareCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        ShareCommand::Init { remote, name, products } => {
            let status = share::init(store, stamp, ShareInput { remote, name, products })?;
            output::line(
                out,
                &format!(
                    "This database shares {} through {} (plan {}). Run `relman sync` to send it.",
                    listed(&status.products),
                    status.remote,
                    status.name
                ),
            )
        }
        ShareCommand::Status { json } => {
            let status = share::status(store)?;
            match (json, status) {
                (true, status) => output::json(out, &status),
                (false, Some(status)) => output::line(out, &describe(&status)),
                (false, None) => output::line(
                    out,
                    "This database does not share its plan. Start with `relman share init --remote URL`.",
                ),
            }
        }
    }
}

pub fn sync(args: SyncArgs, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match args.command {
        None if args.watch => watch(store, stamp, args.every, args.count, out),
        None => {
            let keyring = KeyringStore::new();
            let report = share::sync(store, stamp, &[&keyring as &dyn SecretStore])?;
            match args.json {
                true => output::json(out, &report),
                false => output::line(out, &summary(&report)),
            }
        }
        Some(SyncCommand::Conflicts { json }) => {
            let conflicts = share::conflicts(store)?;
            if json {
                return output::json(out, &conflicts);
            }
            if conflicts.is_empty() {
                return output::line(out, "No conflicts: every copy agrees.");
            }
            for conflict in &conflicts {
                output::line(out, &conflict_lines(conflict))?;
            }
            output::line(out, "Pick one with `relman sync resolve ID --pick N`.")
        }
        Some(SyncCommand::Resolve { id, pick }) => {
            let resolved = share::resolve(store, stamp, &id, pick)?;
            let chosen = &resolved.candidates[pick - 1];
            output::line(
                out,
                &format!(
                    "{} of {} is now {} ({}'s value). Sync to tell everyone.",
                    resolved.field, resolved.label, chosen.value, chosen.by
                ),
            )
        }
    }
}

/// Syncs every `every` seconds, saying only what moved and why a sync failed; a failed sync (offline)
/// is tried again at the next turn, with nothing lost. Each sync is stamped when it runs.
fn watch(store: &mut Store, stamp: &Stamp, every: u64, count: Option<u64>, out: &mut dyn Write) -> Result<()> {
    let keyring = KeyringStore::new();
    let started = std::time::Instant::now();
    let mut done = 0;
    loop {
        let now =
            Stamp { at: stamp.at + chrono::Duration::from_std(started.elapsed()).unwrap_or_default(), ..stamp.clone() };
        match share::sync(store, &now, &[&keyring as &dyn SecretStore]) {
            Ok(report) if report.sent > 0 || !report.received.is_empty() || !report.conflicts.is_empty() => {
                output::line(out, &summary(&report))?
            }
            Ok(_) => {}
            Err(e) => output::line(out, &format!("{}: {e}", now.at_text()))?,
        }
        done += 1;
        if count.is_some_and(|n| done >= n) {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(every));
    }
}

fn listed(products: &[String]) -> String {
    match products {
        [] => "no products yet".to_string(),
        [one] => one.clone(),
        many => format!("{} products ({})", many.len(), many.join(", ")),
    }
}

fn describe(status: &ShareStatus) -> String {
    let last = match (&status.synced_at, &status.synced_by) {
        (Some(at), Some(by)) => format!("last synced {at} by {by}"),
        _ => "not synced yet".to_string(),
    };
    let conflicts = match status.conflicts {
        0 => String::new(),
        1 => "; 1 conflict waits for a person".to_string(),
        n => format!("; {n} conflicts wait for a person"),
    };
    let pending = match status.pending {
        0 => String::new(),
        1 => "; 1 change to send".to_string(),
        n => format!("; {n} changes to send"),
    };
    format!(
        "Sharing {} through {} (plan {}), {last}{pending}{conflicts}.",
        listed(&status.products),
        status.remote,
        status.name
    )
}

fn summary(report: &SyncReport) -> String {
    let mut lines = vec![format!(
        "Synced with {}: {} sent, {} received (commit {}).",
        report.remote,
        report.sent,
        report.received.len(),
        report.commit.chars().take(10).collect::<String>()
    )];
    for change in report.received.iter().take(20) {
        let by = if change.by.is_empty() { String::new() } else { format!(" by {}", change.by) };
        let fields = if change.fields.is_empty() { String::new() } else { format!(" ({})", change.fields.join(", ")) };
        let on = if change.on.is_empty() || change.kind == "releases" {
            String::new()
        } else {
            format!(" on {}", change.on)
        };
        lines.push(format!("  {} {} {}{on}{fields}{by}", change.change, change.kind, change.label));
    }
    if report.received.len() > 20 {
        lines.push(format!("  and {} more", report.received.len() - 20));
    }
    if !report.conflicts.is_empty() {
        lines.push(format!(
            "{} conflict{} to resolve: `relman sync conflicts`.",
            report.conflicts.len(),
            if report.conflicts.len() == 1 { "" } else { "s" }
        ));
    }
    lines.join("\n")
}

fn conflict_lines(conflict: &SyncConflict) -> String {
    let mut lines = vec![format!("{}  {} of {} {}", conflict.id, conflict.field, conflict.kind, conflict.label)];
    lines.push(format!("    was {}", conflict.base));
    for (n, candidate) in conflict.candidates.iter().enumerate() {
        lines.push(format!("    {}. {} — {}, {}", n + 1, candidate.value, candidate.by, candidate.at));
    }
    lines.join("\n")
}
