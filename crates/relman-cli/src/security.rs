//! `relman security` and `relman advisories`: a release's dependencies checked against a local OSV
//! advisory database and its diff scanned for committed secrets, offline; and that database's folder
//! (set, updated, described). `relman sbom`: the packages a release ships, as a CycloneDX SBOM.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use relman_core::security::folder::{self, AdvisoryFolder};
use relman_core::security::leaks::{self, LeakReport};
use relman_core::security::osv::AdvisoryDb;
use relman_core::security::record;
use relman_core::security::scan::{self, Change, DependencyReport};
use relman_core::security::Severity;
use relman_core::store::Store;
use relman_core::{release, settings, Error, Result, Stamp};

use crate::output::{json, line};

#[derive(Debug, Subcommand)]
pub enum SecurityCommand {
    /// Check the dependency versions a release ships (its lock files at both ends of its range, read
    /// from git) against the advisory database, and scan the lines its range adds for committed
    /// secrets (gitleaks' rules and an entropy check), offline. `--json` prints both reports as
    /// {"dependencies": …, "secrets": …}; a secret is only ever shown by its first and last characters
    Scan {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: String,
        /// The advisory folder (else the one set with `relman advisories use`)
        #[arg(long)]
        advisories: Option<PathBuf>,
        /// Exit with an error when the release ships a dependency finding at or above this severity
        #[arg(long, value_enum)]
        fail_on: Option<Level>,
        /// Exit with an error when the diff adds a secret nobody marked as a false positive (with
        /// `relman security dismiss`)
        #[arg(long)]
        fail_on_secrets: bool,
        /// Scan the diff for secrets only: no advisory database needed, no dependency check (its
        /// report is null in `--json`)
        #[arg(long, conflicts_with_all = ["advisories", "fail_on"])]
        secrets_only: bool,
        #[arg(long)]
        json: bool,
    },
    /// Mark a secret the last scan found as a false positive, with a reason: the gate lets it
    /// through. A real secret is revoked instead (and removed from the history)
    Dismiss {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: String,
        /// The finding, as the scan names it (RULE:COMMIT:PATH:LINE)
        finding: String,
        /// Why it is not a secret (kept in the audit log)
        #[arg(long)]
        reason: String,
    },
    /// Accept a finding of the release's last scan, with a reason: the deploy gate lets it through
    Accept {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: String,
        /// The finding, as the scan names it (ADVISORY:ECOSYSTEM:PACKAGE@VERSION)
        finding: String,
        /// Why the release may ship with it (kept in the audit log)
        #[arg(long)]
        reason: String,
    },
}

/// The packages a release ships (its lock files at `to`, read from git) as a CycloneDX 1.5 JSON SBOM
#[derive(Debug, clap::Args)]
pub struct SbomArgs {
    #[arg(long)]
    product: String,
    #[arg(long)]
    release: String,
    /// Write to this file, e.g. atlas-web-2.5.0.cdx.json (`-` or none: standard output)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AdvisoriesCommand {
    /// Use this folder (a clone of an OSV advisory database, such as github.com/github/advisory-database)
    Use { folder: PathBuf },
    /// Bring the advisory folder up to date: `git pull --ff-only` in it (the one command here that
    /// needs the network)
    Update {
        #[arg(long)]
        advisories: Option<PathBuf>,
    },
    /// The folder in use and how many advisories it holds
    Status {
        #[arg(long)]
        advisories: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl From<Level> for Severity {
    fn from(level: Level) -> Self {
        match level {
            Level::Low => Severity::Low,
            Level::Medium => Severity::Medium,
            Level::High => Severity::High,
            Level::Critical => Severity::Critical,
        }
    }
}

pub fn security(command: SecurityCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    let (product, version, advisories, fail_on, fail_on_secrets, secrets_only, as_json) = match command {
        SecurityCommand::Scan { product, release, advisories, fail_on, fail_on_secrets, secrets_only, json } => {
            (product, release, advisories, fail_on, fail_on_secrets, secrets_only, json)
        }
        SecurityCommand::Dismiss { product, release: version, finding, reason } => {
            let found = release::find_by_version(store, &product, &version)?;
            let dismissed = leaks::record::dismiss(store, stamp, found.id, &finding, &reason)?;
            return line(
                out,
                &format!(
                    "Marked {} as a false positive for {} {}: {}",
                    dismissed.finding, found.product_name, found.version, dismissed.reason
                ),
            );
        }
        SecurityCommand::Accept { product, release: version, finding, reason } => {
            let found = release::find_by_version(store, &product, &version)?;
            let accepted = record::accept(store, stamp, found.id, &finding, &reason)?;
            return line(
                out,
                &format!(
                    "Accepted {} for {} {}: {}",
                    accepted.finding, found.product_name, found.version, accepted.reason
                ),
            );
        }
    };
    let found = release::find_by_version(store, &product, &version)?;
    let name = format!("{} {}", found.product_name, found.version);
    let dependencies = match secrets_only {
        true => None,
        false => {
            let folder = scan::advisory_folder(store, advisories.as_deref())?;
            let db = AdvisoryDb::load(&folder)?;
            Some((scan::prepare(store, found.id)?.run(&db)?, db))
        }
    };
    let secrets = leaks::prepare(store, found.id)?.run()?;
    // Kept as the release's latest scans: what its gates read.
    if let Some((report, _)) = &dependencies {
        record::save(store, stamp, report)?;
    }
    leaks::record::save(store, stamp, &secrets)?;
    let stored = leaks::record::latest(store, found.id)?;
    let unresolved: Vec<&leaks::LeakFinding> = stored.iter().flat_map(|s| s.unresolved()).collect();
    if as_json {
        let report = dependencies.as_ref().map(|(report, _)| report);
        json(out, &serde_json::json!({ "dependencies": report, "secrets": secrets }))?;
    } else {
        if let Some((report, db)) = &dependencies {
            describe(out, &name, report, db)?;
        } else {
            line(out, &format!("{name}: {}..{}", secrets.from.as_deref().unwrap_or("the first commit"), secrets.to))?;
        }
        describe_secrets(out, &secrets, &unresolved)?;
    }
    if fail_on_secrets && !unresolved.is_empty() {
        return Err(Error::invalid(format!(
            "{name}'s diff adds {} secret(s) nobody marked as a false positive; revoke each and remove it from the history, or mark it with `relman security dismiss` and a reason.",
            unresolved.len()
        )));
    }
    let Some((report, _)) = dependencies else { return Ok(()) };
    if let Some(level) = fail_on {
        let level = Severity::from(level);
        // What someone accepted with a reason does not fail the check, as it does not block the gate.
        let accepted = record::latest(store, found.id)?.map(|s| s.accepted).unwrap_or_default();
        let shipped =
            report.shipped_at_or_above(level).filter(|f| !accepted.iter().any(|a| a.finding == f.key())).count();
        if shipped > 0 {
            return Err(Error::invalid(format!(
                "{} {} ships {shipped} known-vulnerable dependency version(s) at {} or above that nobody accepted; upgrade them to a fixed version, or accept each with a reason.",
                found.product_name,
                found.version,
                level.as_str()
            )));
        }
    }
    Ok(())
}

fn describe(out: &mut dyn Write, name: &str, report: &DependencyReport, db: &AdvisoryDb) -> Result<()> {
    let short = |sha: &str| sha.get(..7).unwrap_or(sha).to_string();
    let from = report.from.as_deref().unwrap_or("the first commit");
    line(out, &format!("{name}: {from}..{} ({})", report.to, short(&report.to_sha)))?;
    let files = if report.lock_files.is_empty() { "no lock files".to_string() } else { report.lock_files.join(", ") };
    line(
        out,
        &format!(
            "{} packages in {files}; {} advisories in {}",
            report.dependencies,
            report.advisories,
            db.folder.display()
        ),
    )?;
    if let Some(why) = &db.first_skipped {
        line(out, &format!("{} file(s) of the folder are not OSV records and were skipped, first {why}", db.skipped))?;
    }
    for why in &report.unreadable {
        line(out, &format!("Not checked: {why}"))?;
    }
    if let Some(path) = report.unchecked.first() {
        line(out, "What a lock file that cannot be read pins ships unchecked: mend it and scan again, or accept it:")?;
        line(
            out,
            &format!("  relman security accept --product … --release … {} --reason \"…\"", scan::unchecked_key(path)),
        )?;
    }
    if report.findings.is_empty() {
        return line(out, "No known-vulnerable dependency.");
    }
    for f in &report.findings {
        let change = match f.change {
            Change::Introduced => "introduced by this release",
            Change::Kept => "already shipped, still here",
            Change::Fixed => "fixed by this release",
        };
        let fixed = if f.fixed_in.is_empty() {
            "no fixed version known".to_string()
        } else {
            format!("fixed in {}", f.fixed_in.join(", "))
        };
        let how_bad = match (&f.informational, f.severity) {
            (Some(notice), Severity::Unknown) => notice.as_str(),
            (_, severity) => severity.as_str(),
        };
        let what = format!("{} {} ({}): {}", f.package, f.version, f.lock_file, f.advisory);
        line(out, &format!("{how_bad:<12} {what} — {change}; {fixed}"))?;
        let url = f.url.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        line(out, &format!("{:13}{}{url}", "", f.summary))?;
    }
    if report.findings.iter().any(|f| f.change != Change::Fixed) {
        line(out, "To ship one anyway, accept it with a reason:")?;
        line(
            out,
            &format!("  relman security accept --product … --release … {} --reason \"…\"", report.findings[0].key()),
        )?;
    }
    Ok(())
}

fn describe_secrets(out: &mut dyn Write, report: &LeakReport, unresolved: &[&leaks::LeakFinding]) -> Result<()> {
    line(
        out,
        &format!(
            "Secrets: {} commits read ({} files; {} binary, large or lock files not read), {} rules",
            report.commits_scanned, report.files_scanned, report.files_skipped, report.rules
        ),
    )?;
    if report.findings.is_empty() {
        return line(out, "No secret in the diff.");
    }
    for f in &report.findings {
        let state = if unresolved.iter().any(|u| u.key == f.key) { "" } else { " (marked as a false positive)" };
        let short = f.commit.get(..7).unwrap_or(&f.commit);
        line(
            out,
            &format!("{:<12} {}:{} at {short}: {} — {}{state}", "secret", f.path, f.line, f.redacted, f.rule_id),
        )?;
        line(out, &format!("{:13}{}", "", f.key))?;
    }
    if let Some(first) = unresolved.first() {
        line(out, "Revoke a real one; mark a false positive with a reason:")?;
        line(out, &format!("  relman security dismiss --product … --release … {} --reason \"…\"", first.key))?;
    }
    Ok(())
}

pub fn advisories(command: AdvisoriesCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        AdvisoriesCommand::Use { folder } => {
            let read = AdvisoryFolder::read(&folder)?;
            settings::set_advisory_folder(store, stamp, Some(&folder))?;
            line(out, &format!("Security checks now read {} ({} advisories).", read.folder, read.advisories))
        }
        AdvisoriesCommand::Status { advisories } => {
            let read = AdvisoryFolder::read(&scan::advisory_folder(store, advisories.as_deref())?)?;
            let when = read.commit_time.map(|t| format!(", as of {}", &t[..10])).unwrap_or_default();
            line(
                out,
                &format!(
                    "{}: {} advisories for crates.io, npm, Go, PyPI and RubyGems packages{when}.",
                    read.folder, read.advisories
                ),
            )
        }
        AdvisoriesCommand::Update { advisories } => {
            let read = folder::update(&scan::advisory_folder(store, advisories.as_deref())?)?;
            line(out, &format!("Updated {}: {} advisories.", read.folder, read.advisories))
        }
    }
}

pub fn sbom(args: SbomArgs, store: &Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    let found = release::find_by_version(store, &args.product, &args.release)?;
    let file = relman_core::security::sbom::export(store, stamp, found.id)?;
    let path = args.output.filter(|p| p.as_os_str() != "-");
    crate::output::to_file_or_out(
        out,
        path.as_deref(),
        &file.text,
        &format!("the SBOM of {} {}", found.product_name, found.version),
    )
}
