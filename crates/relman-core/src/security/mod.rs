//! Security checks on what a release ships, offline: the dependency versions its lock files pin,
//! checked against a local clone of an advisory database in the OSV format, and the secrets its diff
//! adds.
//!
//! - [`lockfile`] reads the packages a lock file pins (Cargo, npm, pnpm, Yarn, Go), from its text;
//! - [`folder`] describes the advisory folder and pulls it up to date;
//! - [`osv`] loads an OSV folder and says which advisories a package version falls in, with one
//!   matching rule for every ecosystem (semver order, OSV's introduced / fixed / last-affected events);
//! - [`scan`] reads the lock files at both ends of a release's range from git objects (no checkout) and
//!   reports each hit: introduced by the release, kept from the last one, or fixed by it;
//! - [`signing`] signs a release's tag with the release manager's SSH key (git's `ssh` format) and
//!   checks the signatures of the release's tag and the previous one;
//! - [`sbom`] lists the packages the lock files pin at the release's `to` commit as a CycloneDX SBOM;
//! - [`leaks`] scans the lines the range's commits add for committed secrets (gitleaks' rules and an
//!   entropy check), and keeps the findings marked as false positives.

pub mod folder;
pub mod leaks;
pub mod lockfile;
pub mod osv;
pub mod record;
pub mod sbom;
pub mod scan;
pub mod signing;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::Store;
use crate::Result;

/// A release's security checks as its detail shows them: the latest dependency and secrets scans,
/// with what was accepted or marked as a false positive, and the commits its range starts after and
/// ends at now (a look into git): a scan of another end, or a secrets scan from another start, is out
/// of date, and its gate no longer counts it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SecurityView {
    pub dependencies: Option<record::StoredScan>,
    pub secrets: Option<leaks::record::StoredLeakScan>,
    pub range_end: Option<String>,
    /// Read when there is a secrets scan to compare; None also when the range reads all of the history.
    pub range_start: Option<String>,
}

/// The release's [`SecurityView`].
pub fn view(store: &Store, release_id: i64) -> Result<SecurityView> {
    let secrets = leaks::record::latest(store, release_id)?;
    let (range_start, range_end) = scan::current_range(store, release_id, secrets.is_some());
    Ok(SecurityView { dependencies: record::latest(store, release_id)?, secrets, range_end, range_start })
}

/// A package registry whose lock files Relman reads, named as OSV names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Ecosystem {
    #[serde(rename = "crates.io")]
    CratesIo,
    #[serde(rename = "npm")]
    Npm,
    /// Go modules, as `go.sum` pins them.
    #[serde(rename = "Go")]
    Go,
    /// Python packages, as `poetry.lock` and pinned `requirements*.txt` files name them.
    #[serde(rename = "PyPI")]
    PyPi,
    /// Ruby gems, as `Gemfile.lock` pins them.
    #[serde(rename = "RubyGems")]
    RubyGems,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 5] =
        [Ecosystem::CratesIo, Ecosystem::Npm, Ecosystem::Go, Ecosystem::PyPi, Ecosystem::RubyGems];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CratesIo => "crates.io",
            Self::Npm => "npm",
            Self::Go => "Go",
            Self::PyPi => "PyPI",
            Self::RubyGems => "RubyGems",
        }
    }

    /// OSV's name for the ecosystem, if it is one Relman reads.
    pub fn from_osv(name: &str) -> Option<Self> {
        match name {
            "crates.io" => Some(Self::CratesIo),
            "npm" => Some(Self::Npm),
            "Go" => Some(Self::Go),
            "PyPI" => Some(Self::PyPi),
            "RubyGems" => Some(Self::RubyGems),
            _ => None,
        }
    }

    /// The package URL type (`pkg:cargo/…`, `pkg:npm/…`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Self::CratesIo => "cargo",
            Self::Npm => "npm",
            Self::Go => "golang",
            Self::PyPi => "pypi",
            Self::RubyGems => "gem",
        }
    }
}

/// How bad an advisory is, in the qualitative words of CVSS and GitHub's advisories (named apart
/// from an incident's severity in TypeScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "AdvisorySeverity")]
pub enum Severity {
    /// No severity given (RustSec's "unmaintained" and "unsound" notices among them).
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// A severity as people write it: GitHub's `MODERATE` is medium; case does not matter.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Self::Low),
            "medium" | "moderate" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            "unknown" | "none" => Some(Self::Unknown),
            _ => None,
        }
    }

    /// CVSS's rating of a base score (0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0– critical).
    pub fn of_score(score: f64) -> Self {
        match score {
            s if s >= 9.0 => Self::Critical,
            s if s >= 7.0 => Self::High,
            s if s >= 4.0 => Self::Medium,
            s if s > 0.0 => Self::Low,
            _ => Self::Unknown,
        }
    }
}

/// One package version a lock file pins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
pub struct Dependency {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    /// The lock file it was read from, relative to the repository's root.
    pub lock_file: String,
}
