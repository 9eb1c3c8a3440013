//! After the release: `relman incident` (add, list, show, mitigate, resolve, hotfix), `relman
//! metrics` (the five DORA metrics over a period, with what each counted) and `relman retro` (a
//! release's retrospective and its action items).

use std::io::Write;

use relman_core::incident::{self, Incident, IncidentInput, IncidentStatus, Severity};
use relman_core::metrics::{self, Metric, Metrics};
use relman_core::store::Store;
use relman_core::{dates, product, release, Result, Stamp};

use crate::output;

#[derive(Debug, clap::Subcommand)]
pub enum IncidentCommand {
    /// Record an incident (prints its id); attributed to the release's deployment before detection
    Add {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: Option<String>,
        /// sev1 (the worst) to sev4
        #[arg(long)]
        severity: String,
        #[arg(long)]
        title: String,
        /// RFC 3339 with an offset; now when not given
        #[arg(long)]
        detected: Option<String>,
        /// A commit suspected of causing it (repeat for more)
        #[arg(long = "suspect", value_name = "SHA")]
        suspects: Vec<String>,
        /// It needed a rollback
        #[arg(long)]
        rollback: bool,
        #[arg(long, default_value = "")]
        notes: String,
        /// A risk of the register that occurred as this incident
        #[arg(long, value_name = "ID")]
        risk: Option<i64>,
        /// A link: the incident ticket, the postmortem, a dashboard (repeat for more)
        #[arg(long = "link", value_name = "URL")]
        links: Vec<String>,
    },
    /// Incidents, newest first
    List {
        #[arg(long)]
        product: Option<String>,
        #[command(flatten)]
        paging: crate::Paging,
        #[arg(long)]
        json: bool,
    },
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Mark it mitigated (now, or --at)
    Mitigate {
        id: i64,
        #[arg(long)]
        at: Option<String>,
    },
    /// Mark it resolved (now, or --at); time to restore is counted to here
    Resolve {
        id: i64,
        #[arg(long)]
        at: Option<String>,
    },
    /// Open the hotfix release of the incident's release (the next patch, marked as rework)
    Hotfix { id: i64 },
    /// The release's commits to suspect; those a later commit names with `Root-cause: <sha>` first
    Suspects {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Set the commits suspected of causing it (replaces the list; none clears it)
    Suspect { id: i64, shas: Vec<String> },
}

/// The metrics of one product (or all) over a period: the last 90 days unless given.
#[derive(Debug, clap::Args)]
pub struct MetricsArgs {
    #[arg(long)]
    product: Option<String>,
    /// YYYY-MM-DD (with --to)
    #[arg(long, requires = "to")]
    from: Option<String>,
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// One line a week: each the four weeks ending that week
    #[arg(long)]
    weekly: bool,
    #[arg(long)]
    json: bool,
}

pub fn incidents(command: IncidentCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    let done = match command {
        IncidentCommand::Add {
            product,
            release,
            severity,
            title,
            detected,
            suspects,
            rollback,
            notes,
            risk,
            links,
        } => {
            let product_id = product::find_by_name(store, &product)?.id;
            let release_id = release.map(|v| release::find_by_version(store, &product, &v)).transpose()?.map(|r| r.id);
            let input = IncidentInput {
                product_id,
                release_id,
                title,
                severity: Some(Severity::parse(&severity)?),
                detected_at: detected,
                suspected_commits: suspects,
                needed_rollback: rollback,
                notes,
                risk_id: risk,
                links,
                ..Default::default()
            };
            let created = incident::create(store, stamp, input)?;
            return output::line(out, &created.id.to_string());
        }
        IncidentCommand::List { product, paging, json } => {
            let product_id = product.map(|p| product::find_by_name(store, &p)).transpose()?.map(|p| p.id);
            let page = incident::page(store, product_id, None, &paging.request())?;
            let found = &page.items;
            if json {
                output::json(out, found)?;
                return output::more(out, found.len(), page.total, page.next.as_deref(), "incidents", json);
            }
            if found.is_empty() {
                return output::line(out, "No incidents recorded. Record one with `relman incident add`.");
            }
            for i in found {
                let on = i.release_name.as_deref().unwrap_or("no release");
                output::line(
                    out,
                    &format!(
                        "{:>4}  {}  {:<9}  {}  {}  ({on})",
                        i.id,
                        i.severity.as_str(),
                        i.status.as_str(),
                        i.detected_at,
                        i.title
                    ),
                )?;
            }
            return output::more(out, found.len(), page.total, page.next.as_deref(), "incidents", json);
        }
        IncidentCommand::Show { id, json } => {
            let found = incident::get(store, id)?;
            return match json {
                true => output::json(out, &found),
                false => output::line(out, &describe(&found)),
            };
        }
        IncidentCommand::Mitigate { id, at } => {
            incident::set_status(store, stamp, id, IncidentStatus::Mitigated, at.as_deref())?
        }
        IncidentCommand::Resolve { id, at } => {
            incident::set_status(store, stamp, id, IncidentStatus::Resolved, at.as_deref())?
        }
        IncidentCommand::Suspects { id, json } => {
            let found = incident::suspects(store, id)?.run()?;
            if json {
                return output::json(out, &found);
            }
            for s in &found {
                let mark = if s.chosen { "*" } else { " " };
                let named = s.named_by.as_deref().map(|n| format!("  (root cause, named by {n})")).unwrap_or_default();
                output::line(out, &format!("{mark} {}  {}  — {}{named}", s.short_sha, s.summary, s.author))?;
            }
            return Ok(());
        }
        IncidentCommand::Suspect { id, shas } => incident::set_suspects(store, stamp, id, &shas)?,
        IncidentCommand::Hotfix { id } => {
            let (_, hotfix) = incident::hotfix(store, stamp, id)?;
            let range = if hotfix.from_ref.is_empty() { String::new() } else { format!(", from {}", hotfix.from_ref) };
            return output::line(
                out,
                &format!("Planned hotfix {} {}{range}, marked as rework.", hotfix.product_name, hotfix.version),
            );
        }
    };
    output::line(out, &describe(&done))
}

fn describe(i: &Incident) -> String {
    let mut lines = vec![
        format!("Incident {}: {}", i.id, i.title),
        format!("  {}, {}; detected {} by {}", i.severity.as_str(), i.status.as_str(), i.detected_at, i.reported_by),
    ];
    if let Some(name) = &i.release_name {
        let deployment = i.deployment_id.map(|d| format!(" (deployment {d})")).unwrap_or_default();
        lines.push(format!("  release: {name}{deployment}"));
    }
    if let Some(at) = &i.mitigated_at {
        lines.push(format!("  mitigated: {at}"));
    }
    if let (Some(at), Some(minutes)) = (&i.resolved_at, i.minutes_to_restore) {
        lines.push(format!("  resolved: {at}, {minutes} minutes after detection"));
    }
    if !i.suspected_commits.is_empty() {
        lines.push(format!("  suspected commits: {}", i.suspected_commits.join(", ")));
    }
    if i.needed_rollback {
        lines.push("  needed a rollback".to_string());
    }
    for link in &i.links {
        lines.push(format!("  link: {link}"));
    }
    lines.join("\n")
}

pub fn metrics(args: MetricsArgs, store: &Store, today: &str, out: &mut dyn Write) -> Result<()> {
    let product_id = args.product.as_deref().map(|p| product::find_by_name(store, p)).transpose()?.map(|p| p.id);
    let today = dates::parse("today", today)?;
    if args.weekly {
        let series = metrics::prepare_series(store, product_id, args.from.as_deref(), args.to.as_deref(), today)?;
        let series = series.run_series()?;
        if args.json {
            return output::json(out, &series);
        }
        let cell = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v}"));
        output::line(out, "week ending   deploys/week  lead time (h)  failure %  restore (h)  rework %")?;
        for p in &series.points {
            output::line(
                out,
                &format!(
                    "{}    {:>12}  {:>13}  {:>9}  {:>11}  {:>8}",
                    p.week_end,
                    cell(p.deployment_frequency),
                    cell(p.lead_time),
                    cell(p.change_failure_rate),
                    cell(p.recovery_time),
                    cell(p.rework_rate)
                ),
            )?;
        }
        return Ok(());
    }
    let found = metrics::prepare_period(store, product_id, args.from.as_deref(), args.to.as_deref(), today)?.run()?;
    if args.json {
        return output::json(out, &found);
    }
    output::line(out, &summary(&found))
}

fn summary(m: &Metrics) -> String {
    let line = |name: &str, metric: &Metric| {
        let band = metric.band.map(|b| {
            format!(
                " [{}]",
                serde_json::to_value(b).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
            )
        });
        let note = if metric.note.is_empty() { String::new() } else { format!("\n    {}", metric.note) };
        format!("  {name}: {}{}{note}", metric.text, band.unwrap_or_default())
    };
    [
        format!("Delivery from {} to {} (bands: {})", m.from, m.to, m.report),
        line("Deployment frequency", &m.deployment_frequency),
        line("Lead time for changes", &m.lead_time),
        line("Change failure rate", &m.change_failure_rate),
        line("Failed deployment recovery time", &m.recovery_time),
        line("Deployment rework rate", &m.rework_rate),
    ]
    .join("\n")
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    Prevent,
    Mitigate,
    Process,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    Risk,
    Step,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum StepPhase {
    PreRelease,
    Deploy,
    PostRelease,
    Rollback,
}

/// The release a retrospective is about.
#[derive(Debug, clap::Args)]
pub struct Which {
    #[arg(long)]
    product: String,
    #[arg(long)]
    release: String,
}

#[derive(Debug, clap::Subcommand)]
pub enum RetroCommand {
    /// The retrospective, prefilled from the release, with what the team wrote and its action items
    Show {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// The retrospective as Markdown
    Export {
        #[command(flatten)]
        which: Which,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Write what went well and what did not (a part not given stays as it is)
    Write {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        went_well: Option<String>,
        #[arg(long)]
        went_badly: Option<String>,
    },
    /// Action items: add, done, promote (to a risk on the next release, or a template step)
    #[command(subcommand)]
    Action(ActionCommand),
    /// Record what users, support or the team said about the release
    Feedback {
        #[command(flatten)]
        which: Which,
        /// Who said it
        #[arg(long)]
        source: String,
        #[arg(long, default_value = "")]
        channel: String,
        #[arg(long)]
        text: String,
        #[arg(long, value_enum, default_value_t = Mood::Neutral)]
        sentiment: Mood,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Mood {
    Positive,
    Neutral,
    Negative,
}

#[derive(Debug, clap::Subcommand)]
pub enum ActionCommand {
    /// Add an action item (prints its id)
    Add {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "")]
        owner: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
        #[arg(long, value_enum)]
        kind: Kind,
    },
    /// Mark it done (--undo: not done)
    Done {
        id: i64,
        #[arg(long)]
        undo: bool,
    },
    /// Make it a risk on the product's next release, or a step of a saved template
    Promote {
        id: i64,
        #[arg(long, value_enum)]
        to: Target,
        /// With --to step: the template's name
        #[arg(long, required_if_eq("to", "step"))]
        template: Option<String>,
        #[arg(long, value_enum, default_value_t = StepPhase::PreRelease)]
        phase: StepPhase,
    },
}

pub fn retro(command: RetroCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    use relman_core::retro::{self, ActionInput, ActionKind, Promotion};
    let release_of = |store: &Store, w: &Which| release::find_by_version(store, &w.product, &w.release).map(|r| r.id);
    match command {
        RetroCommand::Show { which, json } => {
            let found = retro::get(store, release_of(store, &which)?)?;
            match json {
                true => output::json(out, &found),
                false => out.write_all(retro::markdown(&found).as_bytes()).map_err(crate::io_error),
            }
        }
        RetroCommand::Export { which, output: path } => {
            let file = retro::export(store, release_of(store, &which)?)?;
            output::to_file_or_out(out, path.as_deref(), &file.text, "the retrospective")
        }
        RetroCommand::Write { which, went_well, went_badly } => {
            let id = release_of(store, &which)?;
            let now = retro::get(store, id)?;
            let well = went_well.unwrap_or(now.went_well);
            let badly = went_badly.unwrap_or(now.went_badly);
            let saved = retro::write(store, stamp, id, &well, &badly)?;
            output::line(out, &format!("Saved the retrospective of {}.", saved.release_name))
        }
        RetroCommand::Action(ActionCommand::Add { which, text, owner, due, kind }) => {
            let kind = match kind {
                Kind::Prevent => ActionKind::Prevent,
                Kind::Mitigate => ActionKind::Mitigate,
                Kind::Process => ActionKind::Process,
            };
            let input = ActionInput { text, owner, due_date: due, kind };
            let added = retro::add_action(store, stamp, release_of(store, &which)?, input)?;
            output::line(out, &added.id.to_string())
        }
        RetroCommand::Feedback { which, source, channel, text, sentiment } => {
            let sentiment = match sentiment {
                Mood::Positive => retro::Sentiment::Positive,
                Mood::Neutral => retro::Sentiment::Neutral,
                Mood::Negative => retro::Sentiment::Negative,
            };
            let input = retro::FeedbackInput { source, channel, text, sentiment };
            let saved = retro::add_feedback(store, stamp, release_of(store, &which)?, input)?;
            output::line(out, &format!("Recorded feedback from {}.", saved.source))
        }
        RetroCommand::Action(ActionCommand::Done { id, undo }) => {
            let a = retro::set_done(store, stamp, id, !undo)?;
            output::line(out, &format!("\"{}\" is {}.", a.text, if a.done { "done" } else { "not done" }))
        }
        RetroCommand::Action(ActionCommand::Promote { id, to, template, phase }) => {
            let phase = match phase {
                StepPhase::PreRelease => relman_core::checklist::Phase::PreRelease,
                StepPhase::Deploy => relman_core::checklist::Phase::Deploy,
                StepPhase::PostRelease => relman_core::checklist::Phase::PostRelease,
                StepPhase::Rollback => relman_core::checklist::Phase::Rollback,
            };
            let promotion = match (to, template) {
                (Target::Step, Some(template)) => Promotion::Step { template, phase },
                _ => Promotion::Risk,
            };
            let a = retro::promote(store, stamp, id, promotion)?;
            match a.risk_id {
                Some(risk) => output::line(out, &format!("\"{}\" is now risk {risk}.", a.text)),
                None => output::line(out, &format!("\"{}\" is now the step {}.", a.text, a.template_step)),
            }
        }
    }
}
