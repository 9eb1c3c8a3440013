//! A release's dependencies checked against the advisories: the lock files at both ends of its range
//! read from git objects (no checkout, nothing written to the repository), each pinned version looked
//! up, and each hit said as what the release does to it: introduces it, keeps it, or fixes it.

use std::collections::BTreeSet;
use std::path::Path;

use git2::{ObjectType, Oid, TreeWalkMode, TreeWalkResult};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::osv::AdvisoryDb;
use super::{lockfile, Dependency, Ecosystem, Severity};
use crate::git::{RangeOptions, Repo};
use crate::notes::stored::{release_range, ReleaseRange};
use crate::store::Store;
use crate::{Error, Result};

/// What the release does to a vulnerable version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DependencyChange")]
pub enum Change {
    /// Not in the last release: this one adds the package, or moves it into the advisory's range.
    Introduced,
    /// Already shipped in the last release (that version, or another the advisory names), and still here.
    Kept,
    /// Shipped in the last release; this one no longer has a version the advisory names.
    Fixed,
}

/// One advisory a pinned version falls in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DependencyFinding {
    pub ecosystem: Ecosystem,
    pub package: String,
    pub version: String,
    pub lock_file: String,
    pub advisory: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub severity: Severity,
    /// Not a vulnerability but a notice (RustSec's `unmaintained`, `unsound`), when it is one.
    pub informational: Option<String>,
    /// The versions that fix it, oldest first; none known when empty.
    pub fixed_in: Vec<String>,
    pub url: Option<String>,
    pub change: Change,
}

/// A release's dependency check.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DependencyReport {
    pub release_id: i64,
    pub repository: String,
    /// The range's ends as given or defaulted, and their commits.
    pub from: Option<String>,
    pub from_sha: Option<String>,
    pub to: String,
    pub to_sha: String,
    /// The lock files at `to`, and the registry packages they pin.
    pub lock_files: Vec<String>,
    /// Lock files at either end that could not be read (a test fixture, a merge conflict left in),
    /// each with why: their packages were not checked.
    #[serde(default)]
    pub unreadable: Vec<String>,
    /// The lock files at `to` among them: what they pin ships unchecked, so the deploy gate wants each
    /// mended and scanned again, or accepted with a reason (as [`unchecked_key`]).
    #[serde(default)]
    pub unchecked: Vec<String>,
    pub dependencies: usize,
    /// Advisories loaded, and files of the folder that were not OSV records.
    pub advisories: usize,
    pub skipped_files: usize,
    /// Worst first: severity, then introduced before kept before fixed.
    pub findings: Vec<DependencyFinding>,
}

impl DependencyReport {
    /// The findings the release ships (introduced or kept) that reach `severity` (see
    /// [`DependencyFinding::reaches`]).
    pub fn shipped_at_or_above(&self, severity: Severity) -> impl Iterator<Item = &DependencyFinding> {
        self.findings.iter().filter(move |f| f.change != Change::Fixed && f.reaches(severity))
    }
}

impl DependencyFinding {
    /// What names it across scans of a release: advisory, ecosystem, package and version.
    pub fn key(&self) -> String {
        format!("{}:{}:{}@{}", self.advisory, self.ecosystem.as_str(), self.package, self.version)
    }

    /// Whether it counts at `severity` or above. A vulnerability nobody rated counts at any level
    /// (RustSec's records often carry no score; the safe reading is that it may be bad); a notice
    /// (unmaintained, unsound) at none.
    pub fn reaches(&self, severity: Severity) -> bool {
        self.informational.is_none() && (self.severity >= severity || self.severity == Severity::Unknown)
    }
}

/// A release's check, prepared from the database so that it can run without it.
pub struct DependencyJob {
    range: ReleaseRange,
}

/// Gathers what the check needs: the release's repository and range (as its notes have them).
pub fn prepare(store: &Store, release_id: i64) -> Result<DependencyJob> {
    Ok(DependencyJob { range: release_range(store, release_id, RangeOptions::default())? })
}

impl DependencyJob {
    /// Reads the lock files at both ends and looks every pinned version up in `db`.
    pub fn run(self, db: &AdvisoryDb) -> Result<DependencyReport> {
        let (repo, _, walked) = self.range.walk_shipped()?;
        let to = Oid::from_str(&walked.to_sha).map_err(|e| Error::Io(e.to_string()))?;
        let (lock_files, now, at_to) = dependencies_at(&repo, to)?;
        let unchecked: Vec<String> = at_to.iter().map(|(path, _)| path.clone()).collect();
        let mut unreadable: Vec<String> = at_to.into_iter().map(|(_, why)| why).collect();
        let before = match &walked.from_sha {
            Some(sha) => {
                let (_, before, also) =
                    dependencies_at(&repo, Oid::from_str(sha).map_err(|e| Error::Io(e.to_string()))?)?;
                unreadable.extend(also.into_iter().map(|(_, why)| why));
                before
            }
            None => Vec::new(),
        };
        let shipped: BTreeSet<(Ecosystem, &str, &str)> =
            before.iter().map(|d| (d.ecosystem, d.name.as_str(), d.version.as_str())).collect();
        let mut findings = Vec::new();
        for d in &now {
            let same = shipped.contains(&(d.ecosystem, d.name.as_str(), d.version.as_str()));
            for advisory in db.affecting(d.ecosystem, &d.name, &d.version) {
                // Kept when the last release shipped this version, or another one the same advisory
                // names (an upgrade that stays inside the affected range brings nothing new).
                let kept = same
                    || before.iter().any(|b| {
                        b.ecosystem == d.ecosystem
                            && b.name == d.name
                            && advisory.affects(b.ecosystem, &b.name, &b.version)
                    });
                findings.push(finding(d, &advisory, if kept { Change::Kept } else { Change::Introduced }));
            }
        }
        // A vulnerable version of the last release that this one no longer ships, for an advisory that
        // names none of the versions it does ship.
        for d in &before {
            for advisory in db.affecting(d.ecosystem, &d.name, &d.version) {
                let still = findings.iter().any(|f| f.advisory == advisory.id && f.package == d.name);
                if !still
                    && !now.iter().any(|n| n.ecosystem == d.ecosystem && n.name == d.name && n.version == d.version)
                {
                    findings.push(finding(d, &advisory, Change::Fixed));
                }
            }
        }
        findings.sort_by(|a, b| {
            (b.severity, a.change, &a.package, &a.version, &a.advisory).cmp(&(
                a.severity,
                b.change,
                &b.package,
                &b.version,
                &b.advisory,
            ))
        });
        findings.dedup_by(|a, b| {
            a.advisory == b.advisory && a.package == b.package && a.version == b.version && a.change == b.change
        });
        Ok(DependencyReport {
            release_id: self.range.release.id,
            repository: self.range.repository.clone(),
            from: walked.from,
            from_sha: walked.from_sha,
            to: walked.to,
            to_sha: walked.to_sha,
            dependencies: now.len(),
            lock_files,
            unreadable,
            unchecked,
            advisories: db.advisories,
            skipped_files: db.skipped,
            findings,
        })
    }
}

fn finding(d: &Dependency, advisory: &super::osv::Advisory, change: Change) -> DependencyFinding {
    DependencyFinding {
        ecosystem: d.ecosystem,
        package: d.name.clone(),
        version: d.version.clone(),
        lock_file: d.lock_file.clone(),
        advisory: advisory.id.clone(),
        aliases: advisory.aliases.clone(),
        summary: advisory.summary.clone(),
        severity: advisory.severity,
        informational: advisory.informational.clone(),
        fixed_in: advisory.fixed_in(d.ecosystem, &d.name),
        url: advisory.url.clone(),
        change,
    }
}

/// Folders no lock file of the product's own is in: installed or vendored packages, build output.
const SKIPPED: [&str; 4] = ["node_modules", "target", "vendor", ".git"];

/// How an accepted lock file that could not be read is named among a scan's findings.
pub fn unchecked_key(path: &str) -> String {
    format!("unreadable:{path}")
}

/// A lock file that could not be read: its path, and why (with the commit).
pub type Unreadable = (String, String);

/// The lock files of the commit's tree, the registry packages they pin (read from git objects), and
/// the lock files that could not be read, each with why: one broken file does not stop the check.
pub fn dependencies_at(repo: &Repo, commit: Oid) -> Result<(Vec<String>, Vec<Dependency>, Vec<Unreadable>)> {
    let git = repo.git();
    let tree = git.find_commit(commit).and_then(|c| c.tree()).map_err(|e| Error::Io(e.message().to_string()))?;
    let mut found: Vec<(String, Oid)> = Vec::new();
    tree.walk(TreeWalkMode::PreOrder, |root, entry| {
        let name = entry.name().unwrap_or_default();
        match entry.kind() {
            Some(ObjectType::Tree) if SKIPPED.contains(&name) => TreeWalkResult::Skip,
            Some(ObjectType::Blob) if lockfile::ecosystem_of(name).is_some() => {
                found.push((format!("{root}{name}"), entry.id()));
                TreeWalkResult::Ok
            }
            _ => TreeWalkResult::Ok,
        }
    })
    .map_err(|e| Error::Io(e.message().to_string()))?;
    found.sort();
    let short = repo.short_id(commit);
    let mut dependencies = Vec::new();
    let mut unreadable = Vec::new();
    for (path, blob) in &found {
        let blob = git.find_blob(*blob).map_err(|e| Error::Io(e.message().to_string()))?;
        let parsed = match std::str::from_utf8(blob.content()) {
            Ok(text) => lockfile::parse(path, text).map_err(|e| e.to_string()),
            Err(_) => Err(format!("{path} is not UTF-8 text; a lock file is.")),
        };
        match parsed {
            Ok(pinned) => dependencies.extend(pinned),
            Err(why) => unreadable.push((path.clone(), format!("At {short}: {why}"))),
        }
    }
    Ok((found.into_iter().map(|(path, _)| path).collect(), dependencies, unreadable))
}

/// The commits the release's range starts after and ends at now, as a scan would read them, from one
/// look into its clone: whether its last scans are still of what it ships. The start is read only
/// when `start` asks (a secrets scan to compare it with); None there also when the range reads all of
/// the history. Both None when the repository cannot be read (then no scan can run either).
pub fn current_range(store: &Store, release_id: i64, start: bool) -> (Option<String>, Option<String>) {
    let Ok(range) = release_range(store, release_id, RangeOptions::default()) else { return (None, None) };
    let Ok(repo) = Repo::open(Path::new(&range.repository)) else { return (None, None) };
    let from = if start { range.shipped_start_in(&repo).ok().flatten() } else { None };
    (from, range.shipped_end_in(&repo).ok())
}

/// The advisory folder to use: the one given, else the one in Settings.
pub fn advisory_folder(store: &Store, given: Option<&Path>) -> Result<std::path::PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_path_buf());
    }
    crate::settings::advisory_folder(store)?.map(std::path::PathBuf::from).ok_or_else(|| {
        Error::invalid_field(
            "advisories",
            "No advisory database is set: clone one (for example `git clone https://github.com/github/advisory-database`) and point Relman at it with `relman advisories use FOLDER` or in Settings.",
        )
    })
}
