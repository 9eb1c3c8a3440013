//! `relman`: the command line over relman-core. Parsing lives in [`Args`]; [`run`] opens the database,
//! makes the [`Stamp`] from the clock and the configured user, and calls one core function per command.
//! Output goes to the writer it is given (stdout in the binary, a buffer in tests).

mod after;
mod audit;
mod backup;
mod change;
mod checklist;
mod deploy;
mod notes;
mod output;
mod plan;
mod progress;
mod report;
mod risk;
mod security;
mod share;
mod tag;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use relman_core::product::{self, ProductInput, Repository};
use relman_core::release::{self, ReleaseFilter, ReleaseInput, ReleaseStatus};
use relman_core::store::page::PageRequest;
use relman_core::store::{self, Store};
use relman_core::version::Versioning;
use relman_core::{demo, settings, Error, Result, Stamp};

#[derive(Debug, Parser)]
#[command(name = "relman", version, about = "Plan, track and ship releases from a local release database")]
pub struct Args {
    /// The release database file [default: the platform data folder, e.g. ~/.local/share/relman/relman.db]
    #[arg(long, global = true, env = store::DB_ENV, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Who acts, as "Name <email>" [default: RELMAN_USER, else the name and email in Settings, else git's user.name and user.email]
    #[arg(long = "as", global = true, value_name = "PERSON")]
    pub acting: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// One page of a listing: `--limit` rows after `--after` (the cursor the previous page printed).
#[derive(Debug, Clone, clap::Args)]
pub struct Paging {
    /// At most this many rows (1 to 1000; 100 unless told)
    #[arg(long)]
    limit: Option<u32>,
    /// The rows after this cursor: the one the previous page printed
    #[arg(long, value_name = "CURSOR")]
    after: Option<String>,
}

impl Paging {
    pub fn request(&self) -> PageRequest {
        PageRequest { limit: self.limit, after: self.after.clone() }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Products: add and list
    #[command(subcommand)]
    Product(ProductCommand),
    /// Releases: create, list, show, and move through their statuses
    #[command(subcommand)]
    Release(ReleaseCommand),
    /// Load the sample data (two products, a year of releases) into an empty database
    Demo {
        /// small: a sample to read; large: 500 releases and 3,000 milestones to measure speed
        #[arg(long, value_enum, default_value_t = DemoScale::Small)]
        scale: DemoScale,
    },
    /// Export: milestones and freeze windows as an iCalendar file
    #[command(subcommand)]
    Export(ExportCommand),
    /// Release notes from a git range: Markdown, HTML, plain text or JSON
    Notes(notes::NotesArgs),
    /// A release's checklist: apply a template, show, tick, skip
    #[command(subcommand)]
    Checklist(checklist::ChecklistCommand),
    /// Deploy a release from the terminal: start, step, undo, finish, log
    #[command(subcommand)]
    Deploy(deploy::DeployCommand),
    /// Process templates: list, export and import as JSON or TOML, delete
    #[command(subcommand)]
    Template(checklist::TemplateCommand),
    /// A product's own release-notes templates (minijinja): set, clear, show
    #[command(subcommand, name = "notes-template")]
    NotesTemplate(notes::TemplateCommand),
    /// The risk register: list, add, update, history, export (CSV, Markdown), import (CSV), suggest
    #[command(subcommand)]
    Risk(risk::RiskCommand),
    /// Release tags: create (plan, confirm, create) and push
    #[command(subcommand)]
    Tag(tag::TagCommand),
    /// Credentials for git hosts, kept in the OS keyring: set (from stdin or a prompt), delete, list
    #[command(subcommand)]
    Secret(tag::SecretCommand),
    /// Versions: the next version a git range calls for
    #[command(subcommand)]
    Version(VersionCommand),
    /// The audit log: log (who changed what, when), verify (its hash chain), export (with the hashes)
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// A release's milestones: add, list, edit, move, delete
    #[command(subcommand)]
    Milestone(plan::MilestoneCommand),
    /// Freeze windows (no deploys or GA inside them): add, list, edit, delete
    #[command(subcommand)]
    Freeze(plan::FreezeCommand),
    /// Change requests a CAB approves: create, list, show, submit, approve, reject, schedule, implement, review, close, cancel
    #[command(subcommand)]
    Change(change::ChangeCommand),
    /// Share this database's plan through a git remote: init, status
    #[command(subcommand)]
    Share(share::ShareCommand),
    /// Exchange the plan with the team's remote (fetch, merge, push); conflicts, resolve
    Sync(share::SyncArgs),
    /// Incidents after a release: add, list, show, mitigate, resolve, hotfix
    #[command(subcommand)]
    Incident(after::IncidentCommand),
    /// Delivery metrics (DORA) over a period, computed from deployments, incidents and git
    Metrics(after::MetricsArgs),
    /// A release's retrospective: show, export, write, and its action items
    #[command(subcommand)]
    Retro(after::RetroCommand),
    /// Reports for stakeholders: status (every release in flight, as Markdown or HTML)
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// One release's whole record for a CAB or an auditor, with the audit events it rests on (JSON)
    Dossier(report::DossierArgs),
    /// Back up the database while it is in use; list the snapshots beside it; check one
    Backup(backup::BackupArgs),
    /// Security checks on what a release ships: scan its dependencies against known advisories, offline
    #[command(subcommand)]
    Security(security::SecurityCommand),
    /// The advisory database the security checks read: use a folder, update it, status
    #[command(subcommand)]
    Advisories(security::AdvisoriesCommand),
    /// The packages a release ships, as a CycloneDX SBOM (JSON), read from its lock files at `to`
    Sbom(security::SbomArgs),
    /// Put a backup in place of the database, after checking it (the database as it was is kept)
    Restore {
        file: std::path::PathBuf,
        /// Yes, replace the database (close Relman first)
        #[arg(long)]
        yes: bool,
    },
}

impl Command {
    /// Commands that read local repositories and never open a connection (see
    /// [`relman_core::git::no_network_in_this_process`]). Only `tag push` talks to a remote today; the
    /// list names the safe ones rather than the others, so that a new command that pushes is not
    /// left without its certificates.
    pub fn reads_git_offline(&self) -> bool {
        matches!(
            self,
            Command::Notes(_)
                | Command::Version(_)
                | Command::Risk(risk::RiskCommand::Suggest { .. })
                | Command::Change(change::ChangeCommand::Draft { .. })
                | Command::Metrics(_)
                | Command::Security(security::SecurityCommand::Scan { .. })
                | Command::Sbom(_)
        )
    }
}

#[derive(Debug, Subcommand)]
pub enum VersionCommand {
    /// Suggest the next version from the commits since the last release tag, and say why
    Next {
        #[command(flatten)]
        range: notes::RangeArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    /// Add a product
    Add {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, value_enum, default_value_t = Scheme::Semver)]
        versioning: Scheme,
        /// A local git clone of the product's code
        #[arg(long, value_name = "PATH")]
        repo: Option<String>,
        #[arg(long, default_value = "main")]
        branch: String,
        /// How release tags are named; {version} stands for the version
        #[arg(long, default_value = "v{version}")]
        tag_pattern: String,
    },
    /// List products
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Create a planned release
    Create {
        #[arg(long)]
        product: String,
        #[arg(long)]
        version: String,
        #[arg(long, default_value = "")]
        codename: String,
        #[arg(long, default_value = "")]
        owner: String,
        /// Target date, YYYY-MM-DD
        #[arg(long)]
        target: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List releases, newest plans first
    List {
        #[arg(long)]
        product: Option<String>,
        /// planned, in_progress, frozen, testing, ready, deploying, released, rolled_back, cancelled
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        paging: Paging,
        #[arg(long)]
        json: bool,
    },
    /// Show one release with its milestones and status history
    Show {
        version: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a release to its next status
    Transition {
        version: String,
        #[arg(long)]
        product: String,
        /// The new status
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Move even though the release's gates fail; the reason is kept in the audit log
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// Change a release; only the fields given change
    Edit(plan::ReleaseEdit),
    /// Delete a release with its milestones, checklist, risks and notes (asks for --yes)
    Delete {
        version: String,
        #[arg(long)]
        product: String,
        /// Yes, delete it
        #[arg(long)]
        yes: bool,
        /// Delete its deployments and deploy logs too (a release that was deployed needs this)
        #[arg(long)]
        with_deploy_records: bool,
    },
    /// Record the go/no-go decision
    GoNoGo(plan::GoNoGoArgs),
    /// Record a sign-off (approve, or reject with a comment) for a role
    Signoff {
        version: String,
        #[arg(long)]
        product: String,
        /// QA, Security, Product, Ops…
        #[arg(long)]
        role: String,
        /// Who signs [default: the person acting, see --as]
        #[arg(long)]
        person: Option<String>,
        #[arg(long, conflicts_with = "approve")]
        reject: bool,
        #[arg(long)]
        approve: bool,
        #[arg(long, default_value = "")]
        comment: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Milestones and freeze windows as iCalendar (RFC 5545); a later export updates the same events
    Ics {
        /// Only this product's milestones and the freeze windows that apply to it
        #[arg(long)]
        product: Option<String>,
        /// Write to this file instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoScale {
    Small,
    Large,
    /// Ten years of a release office (a minute or so in a release build)
    Decade,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Scheme {
    Semver,
    Calver,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    // Reading a repository needs no database.
    let command = match args.command {
        Command::Version(VersionCommand::Next { range, json }) => return notes::version_next(range, json, out),
        Command::Notes(notes_args) if notes_args.release.is_none() => {
            return notes::notes(notes_args, None, &today, out)
        }
        Command::Audit(audit::AuditCommand::Verify { file: Some(path), json, .. }) => {
            return audit::verify_file(&path, json, out)
        }
        Command::Dossier(report::DossierArgs {
            command: Some(report::DossierCommand::Verify { file, json }), ..
        }) => return report::verify(&file, json, out),
        other => other,
    };
    let path = match args.db {
        Some(path) => path,
        None => store::default_path()?,
    };
    // A restore must not open (and migrate) the database it replaces.
    if let Command::Restore { file, yes } = &command {
        return backup::restore(file, *yes, &path, out);
    }
    let mut store = Store::open(&path)?;
    let stamp = stamp(&store, args.acting.as_deref())?;
    match command {
        Command::Notes(notes_args) => notes::notes(notes_args, Some(&store), &today, out),
        Command::NotesTemplate(command) => notes::template(command, &mut store, &stamp, out),
        Command::Checklist(command) => checklist::checklist(command, &mut store, &stamp, out),
        Command::Template(command) => checklist::template(command, &mut store, &stamp, out),
        Command::Deploy(command) => deploy::run(command, &mut store, &stamp, out),
        Command::Risk(command) => risk::run(command, &mut store, &stamp, out),
        Command::Security(command) => security::security(command, &mut store, &stamp, out),
        Command::Advisories(command) => security::advisories(command, &mut store, &stamp, out),
        Command::Sbom(args) => security::sbom(args, &store, &stamp, out),
        Command::Audit(command) => audit::run(command, &store, &stamp, out),
        Command::Milestone(command) => plan::milestones(&mut store, &stamp, command, out),
        Command::Freeze(command) => plan::freezes(&mut store, &stamp, command, out),
        Command::Change(command) => change::run(command, &mut store, &stamp, out),
        Command::Incident(command) => after::incidents(command, &mut store, &stamp, out),
        Command::Metrics(args) => after::metrics(args, &store, &today, out),
        Command::Retro(command) => after::retro(command, &mut store, &stamp, out),
        Command::Report(command) => report::run(command, &store, &stamp, out),
        Command::Dossier(args) => report::dossier(args, &store, &stamp, out),
        Command::Share(command) => share::share(command, &mut store, &stamp, out),
        Command::Sync(args) => share::sync(args, &mut store, &stamp, out),
        Command::Tag(command) => tag::tag(command, &mut store, &stamp, out),
        Command::Secret(command) => tag::secret(command, &mut store, &stamp, out),
        Command::Version(VersionCommand::Next { range, json }) => notes::version_next(range, json, out),
        Command::Backup(backup_args) => backup::backup(backup_args, &store, &path, out),
        Command::Restore { file, yes } => backup::restore(&file, yes, &path, out),
        Command::Export(ExportCommand::Ics { product, output }) => {
            let product_id = product.map(|name| product::find_by_name(&store, &name)).transpose()?.map(|p| p.id);
            let text = relman_core::ics::calendar(&mut store, &stamp, product_id)?;
            output::to_file_or_out(out, output.as_deref(), &text, "the calendar")
        }
        Command::Demo { scale } => {
            let scale = match scale {
                DemoScale::Small => demo::Scale::Small,
                DemoScale::Large => demo::Scale::Large,
                DemoScale::Decade => demo::Scale::Decade,
            };
            let summary = demo::load_scaled(&mut store, &stamp, scale)?;
            let line = format!(
                "Loaded sample data into {}: {} products, {} releases, {} milestones, {} risks.",
                path.display(),
                summary.products,
                summary.releases,
                summary.milestones,
                summary.risks
            );
            output::line(out, &line)?;
            match relman_core::share::status(&store)? {
                Some(shared) => output::line(
                    out,
                    &format!(
                        "The plan is shared through {}: another database gets it with `relman --db other.db share init --remote {}` and `relman --db other.db sync`.",
                        shared.remote, shared.remote
                    ),
                ),
                None => Ok(()),
            }
        }
        Command::Product(command) => run_product(&mut store, &stamp, command, out),
        Command::Release(command) => run_release(&mut store, &stamp, command, out),
    }
}

fn run_product(store: &mut Store, stamp: &Stamp, command: ProductCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        ProductCommand::Add { name, description, versioning, repo, branch, tag_pattern } => {
            let versioning = match versioning {
                Scheme::Semver => Versioning::Semver,
                Scheme::Calver => Versioning::Calver,
            };
            let repository = repo.map(|path| Repository { path, default_branch: branch, tag_pattern });
            let created = product::create(store, stamp, ProductInput { name, description, versioning, repository })?;
            output::line(out, &format!("Added product {} (id {}).", created.name, created.id))
        }
        ProductCommand::List { json } => output::products(out, &product::list(store)?, json),
    }
}

fn run_release(store: &mut Store, stamp: &Stamp, command: ReleaseCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        ReleaseCommand::Create { product, version, codename, owner, target, description } => {
            let product_id = product::find_by_name(store, &product)?.id;
            let input = ReleaseInput {
                product_id,
                version,
                codename,
                owner,
                description,
                target_date: target,
                ..Default::default()
            };
            let created = release::create(store, stamp, input)?;
            output::line(out, &format!("Created {} {} (planned).", created.product_name, created.version))
        }
        ReleaseCommand::List { product, status, paging, json } => {
            let filter = ReleaseFilter {
                product_id: product.map(|name| product::find_by_name(store, &name)).transpose()?.map(|p| p.id),
                status: status.map(|s| ReleaseStatus::parse(&s)).transpose()?,
            };
            let page = release::page(store, &filter, &paging.request())?;
            output::releases(out, &page.items, json)?;
            output::more(out, page.items.len(), page.total, page.next.as_deref(), "releases", json)
        }
        ReleaseCommand::Show { version, product, json } => {
            let found = release::find_by_version(store, &product, &version)?;
            output::release_detail(out, &relman_core::overview::detail(store, found.id)?, json)
        }
        ReleaseCommand::Transition { version, product, to, note, override_reason } => {
            let found = release::find_by_version(store, &product, &version)?;
            let to = ReleaseStatus::parse(&to)?;
            // The gates count what git proves: the checklist's checks run first.
            relman_core::evidence::refresh(store, stamp, found.id)?;
            let moved =
                relman_core::lifecycle::transition_with(store, stamp, found.id, to, &note, override_reason.as_deref())?;
            output::line(
                out,
                &format!(
                    "{} {}: {} → {}.",
                    moved.product_name,
                    moved.version,
                    found.status.label(),
                    moved.status.label()
                ),
            )
        }
        ReleaseCommand::Edit(args) => plan::edit_release(store, stamp, args, out),
        ReleaseCommand::Delete { version, product, yes, with_deploy_records } => {
            plan::delete_release(store, stamp, &version, &product, yes, with_deploy_records, out)
        }
        ReleaseCommand::GoNoGo(args) => plan::go_no_go(store, stamp, args, out),
        ReleaseCommand::Signoff { version, product, role, person, reject, approve: _, comment } => {
            use relman_core::checklist::signoff::{self, Decision, SignoffInput};
            let found = release::find_by_version(store, &product, &version)?;
            let decision = if reject { Decision::Reject } else { Decision::Approve };
            let person = person.unwrap_or_else(|| name_of(&stamp.actor));
            let signed = signoff::sign(store, stamp, found.id, SignoffInput { role, person, decision, comment })?;
            let verb = if reject { "rejected" } else { "approved" };
            output::line(
                out,
                &format!("{} {}: {} {verb} as {}.", found.product_name, found.version, signed.person, signed.role),
            )
        }
    }
}

/// Who acts: `--as`, else `RELMAN_USER`, else Settings, else git's identity (see
/// [`settings::acting_person`]).
fn stamp(store: &Store, chosen: Option<&str>) -> Result<Stamp> {
    let env = std::env::var(settings::USER_ENV).ok();
    let person = settings::acting_person(store, &relman_core::os_user_name(), chosen.or(env.as_deref()))?;
    Ok(Stamp::now(person))
}

/// A recorded person's name, without the email the audit event already records.
pub(crate) fn name_of(actor: &str) -> String {
    match actor.split_once(" <") {
        Some((name, _)) => name.to_string(),
        None => actor.to_string(),
    }
}

pub(crate) fn io_error(error: std::io::Error) -> Error {
    Error::Io(format!("Cannot write the output: {error}."))
}
