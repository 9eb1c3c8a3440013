//! An advisory database in the OSV format (<https://ossf.github.io/osv-schema/>), loaded from a local
//! folder of `.json` records: a clone of GitHub's advisory database, RustSec's OSV export, or any
//! folder of records. One rule decides whether a package version is affected, for every ecosystem:
//! versions compare in their ecosystem's order (semver for npm, Cargo and Go; PEP 440 for PyPI;
//! Gem::Version's for RubyGems), and
//! a range's events, sorted, turn it on at `introduced` and off at `fixed` or after `last_affected`.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use semver::Version;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{Ecosystem, Severity};
use crate::{Error, Result};

/// One advisory, as much of it as a report needs.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Advisory {
    pub id: String,
    /// Other ids of the same advisory (a CVE, a GHSA, a RUSTSEC id).
    pub aliases: Vec<String>,
    pub summary: String,
    pub severity: Severity,
    /// RustSec's word for a notice that is not a vulnerability: `unmaintained`, `unsound`, `notice`.
    pub informational: Option<String>,
    /// Where to read more: the advisory's own page when it names one, else its first reference.
    pub url: Option<String>,
    #[serde(skip)]
    affected: Vec<Affected>,
}

#[derive(Debug, Clone, PartialEq)]
struct Affected {
    ecosystem: Ecosystem,
    name: String,
    /// Each range's events, sorted by version (`None` is "0", before every version).
    ranges: Vec<Vec<(Option<Ver>, Event)>>,
    versions: Vec<String>,
}

/// A version in its ecosystem's order. Versions of one package are all of one kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ver {
    Semver(Version),
    Pep440(pep440_rs::Version),
    Gem(gem_version::GemVersion),
}

impl fmt::Display for Ver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ver::Semver(v) => v.fmt(f),
            Ver::Pep440(v) => v.fmt(f),
            Ver::Gem(v) => v.fmt(f),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Introduced,
    Fixed,
    LastAffected,
    /// No version at or after it is in the range (`*`, stored as None, is no limit).
    Limit,
}

impl Advisory {
    /// Whether this version of the package falls in the advisory.
    pub fn affects(&self, ecosystem: Ecosystem, name: &str, version: &str) -> bool {
        let parsed = parse_version(ecosystem, version);
        self.affected_entries(ecosystem, name).any(|a| {
            a.versions
                .iter()
                .any(|v| v == version || parse_version(ecosystem, v).is_some_and(|v| parsed.as_ref() == Some(&v)))
                || parsed.as_ref().is_some_and(|v| a.ranges.iter().any(|r| in_range(v, r)))
        })
    }

    /// The versions that fix it for this package, oldest first.
    pub fn fixed_in(&self, ecosystem: Ecosystem, name: &str) -> Vec<String> {
        let mut fixed: Vec<Ver> = self
            .affected_entries(ecosystem, name)
            .flat_map(|a| a.ranges.iter().flatten())
            .filter(|(_, event)| *event == Event::Fixed)
            .filter_map(|(at, _)| at.clone())
            .collect();
        fixed.sort();
        fixed.dedup();
        fixed.into_iter().map(|v| v.to_string()).collect()
    }

    fn affected_entries<'a>(&'a self, ecosystem: Ecosystem, name: &'a str) -> impl Iterator<Item = &'a Affected> {
        self.affected.iter().filter(move |a| a.ecosystem == ecosystem && same_name(ecosystem, &a.name, name))
    }
}

/// Whether `v` falls in one range: below its limits, if it has any, the last of its events at or
/// before `v` decides.
fn in_range(v: &Ver, events: &[(Option<Ver>, Event)]) -> bool {
    let mut limits = events.iter().filter(|(_, e)| *e == Event::Limit).peekable();
    if limits.peek().is_some() && !limits.any(|(at, _)| at.as_ref().is_none_or(|at| v < at)) {
        return false;
    }
    let mut affected = false;
    for (at, event) in events {
        match event {
            Event::Introduced if at.as_ref().is_none_or(|at| v >= at) => affected = true,
            Event::Fixed if at.as_ref().is_some_and(|at| v >= at) => affected = false,
            Event::LastAffected if at.as_ref().is_some_and(|at| v > at) => affected = false,
            _ => {}
        }
    }
    affected
}

/// A version as lock files and advisories write it; npm's may carry a `v` or `=`. PyPI's are PEP 440.
fn parse_version(ecosystem: Ecosystem, text: &str) -> Option<Ver> {
    match ecosystem {
        Ecosystem::PyPi => text.trim().parse().ok().map(Ver::Pep440),
        Ecosystem::RubyGems => text.trim().parse().ok().map(Ver::Gem),
        _ => Version::parse(text.trim().trim_start_matches(['v', '='])).ok().map(Ver::Semver),
    }
}

/// crates.io treats `-` and `_` alike and ignores case; PyPI also folds `.` and runs of them (PEP
/// 503); npm names, Go module paths and gem names are exact.
fn same_name(ecosystem: Ecosystem, a: &str, b: &str) -> bool {
    match ecosystem {
        Ecosystem::CratesIo => a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y)),
        Ecosystem::PyPi => pypi_name(a) == pypi_name(b),
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::RubyGems => a == b,
    }
}

/// A PyPI project name as PEP 503 normalises it: lower case, each run of `-`, `_` and `.` one `-`.
pub(crate) fn pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn fold(byte: u8) -> u8 {
    if byte == b'-' {
        b'_'
    } else {
        byte.to_ascii_lowercase()
    }
}

fn key(ecosystem: Ecosystem, name: &str) -> (Ecosystem, String) {
    let name = match ecosystem {
        Ecosystem::CratesIo => name.bytes().map(|b| fold(b) as char).collect(),
        Ecosystem::PyPi => pypi_name(name),
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::RubyGems => name.to_string(),
    };
    (ecosystem, name)
}

/// The advisories of a folder, by the packages they name.
#[derive(Debug, Default)]
pub struct AdvisoryDb {
    pub folder: PathBuf,
    by_package: HashMap<(Ecosystem, String), Vec<Arc<Advisory>>>,
    /// Advisories loaded (for the ecosystems Relman reads; withdrawn ones left out).
    pub advisories: usize,
    /// Files that were not OSV records, and the first one's problem, for the report.
    pub skipped: usize,
    pub first_skipped: Option<String>,
}

impl AdvisoryDb {
    /// Loads every `.json` record under `folder` (hidden folders such as `.git` left out). A file that
    /// is not an OSV record is counted and skipped; a folder with none is an error that says where
    /// to get one.
    pub fn load(folder: &Path) -> Result<Self> {
        let shown = folder.display();
        if !folder.is_dir() {
            return Err(Error::invalid_field(
                "advisories",
                format!("{shown} is not a folder; give the folder of an OSV advisory database (a clone of github.com/github/advisory-database, or of RustSec's OSV export)."),
            ));
        }
        let mut db = Self { folder: folder.to_path_buf(), ..Default::default() };
        let mut pending = vec![folder.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let entries = std::fs::read_dir(&dir)
                .map_err(|e| Error::Io(format!("Cannot read the advisory folder {}: {e}.", dir.display())))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_dir() && !hidden {
                    pending.push(path);
                } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
                    db.add_file(&path);
                }
            }
        }
        if db.advisories == 0 && db.skipped == 0 {
            return Err(Error::invalid_field(
                "advisories",
                format!("{shown} holds no OSV records (.json files); clone an advisory database there, for example `git clone https://github.com/github/advisory-database {shown}`."),
            ));
        }
        Ok(db)
    }

    fn add_file(&mut self, path: &Path) {
        let read = std::fs::read_to_string(path).map_err(|e| e.to_string());
        // Most records of a database of every ecosystem name none of Relman's: they are not parsed.
        let names_one = |text: &String| Ecosystem::ALL.iter().any(|e| text.contains(&format!("\"{}\"", e.as_str())));
        if read.as_ref().is_ok_and(|text| !names_one(text)) {
            return;
        }
        match read.and_then(|text| parse(&text).map_err(|e| e.to_string())) {
            Ok(Some(advisory)) => self.add(advisory),
            Ok(None) => {}
            Err(why) => {
                self.skipped += 1;
                self.first_skipped.get_or_insert_with(|| format!("{}: {why}", path.display()));
            }
        }
    }

    fn add(&mut self, advisory: Advisory) {
        let advisory = Arc::new(advisory);
        let mut keys: Vec<_> = advisory.affected.iter().map(|a| key(a.ecosystem, &a.name)).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            self.by_package.entry(k).or_default().push(advisory.clone());
        }
        self.advisories += 1;
    }

    /// The advisories this package version falls in.
    pub fn affecting(&self, ecosystem: Ecosystem, name: &str, version: &str) -> Vec<Arc<Advisory>> {
        self.by_package
            .get(&key(ecosystem, name))
            .map(|list| list.iter().filter(|a| a.affects(ecosystem, name, version)).cloned().collect())
            .unwrap_or_default()
    }

    /// An advisory database from records given as text, for tests.
    pub fn from_records(records: &[&str]) -> Result<Self> {
        let mut db = Self::default();
        for text in records {
            if let Some(advisory) = parse(text).map_err(|e| Error::invalid(format!("Not an OSV record: {e}.")))? {
                db.add(advisory);
            }
        }
        Ok(db)
    }
}

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    severity: Vec<Score>,
    #[serde(default)]
    affected: Vec<RecordAffected>,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    database_specific: Value,
}

#[derive(Deserialize)]
struct Score {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct RecordAffected {
    package: Option<Package>,
    #[serde(default)]
    ranges: Vec<RecordRange>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    severity: Vec<Score>,
    #[serde(default)]
    database_specific: Value,
    #[serde(default)]
    ecosystem_specific: Value,
}

#[derive(Deserialize)]
struct Package {
    ecosystem: String,
    name: String,
}

#[derive(Deserialize)]
struct RecordRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<HashMap<String, String>>,
}

#[derive(Deserialize)]
struct Reference {
    #[serde(rename = "type", default)]
    kind: String,
    url: String,
}

/// One OSV record as an advisory; None when it is withdrawn or names none of Relman's ecosystems.
fn parse(text: &str) -> std::result::Result<Option<Advisory>, serde_json::Error> {
    let record: Record = serde_json::from_str(text)?;
    if record.withdrawn.is_some() {
        return Ok(None);
    }
    let mut severity = severity_word(&record.database_specific).or_else(|| scored(&record.severity));
    let mut affected = Vec::new();
    let mut informational = None;
    for a in record.affected {
        let Some(package) = a.package else { continue };
        let Some(ecosystem) = Ecosystem::from_osv(&package.ecosystem) else { continue };
        severity = severity
            .or_else(|| severity_word(&a.database_specific))
            .or_else(|| severity_word(&a.ecosystem_specific))
            .or_else(|| scored(&a.severity));
        informational = informational
            .or_else(|| a.database_specific.get("informational").and_then(Value::as_str).map(str::to_string));
        let ranges = a
            .ranges
            .into_iter()
            // Git ranges name commits, not versions: nothing a lock file pins.
            .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
            .filter_map(|r| events(ecosystem, r.events))
            .collect();
        affected.push(Affected { ecosystem, name: package.name, ranges, versions: a.versions });
    }
    if affected.is_empty() {
        return Ok(None);
    }
    let url =
        record.references.iter().find(|r| r.kind == "ADVISORY").or(record.references.first()).map(|r| r.url.clone());
    let summary = if record.summary.trim().is_empty() {
        record.details.lines().next().unwrap_or_default().trim().to_string()
    } else {
        record.summary.trim().to_string()
    };
    Ok(Some(Advisory {
        id: record.id,
        aliases: record.aliases,
        summary,
        severity: severity.unwrap_or(Severity::Unknown),
        informational,
        url,
        affected,
    }))
}

/// A range's events, sorted; None when one of its versions is not one Relman can compare (the
/// range is then left out rather than guessed at).
fn events(ecosystem: Ecosystem, list: Vec<HashMap<String, String>>) -> Option<Vec<(Option<Ver>, Event)>> {
    let mut out = Vec::new();
    for event in list {
        for (kind, at) in event {
            let event = match kind.as_str() {
                "introduced" => Event::Introduced,
                "fixed" => Event::Fixed,
                "last_affected" => Event::LastAffected,
                "limit" => Event::Limit,
                _ => continue,
            };
            let at = if at == "0" || at == "*" { None } else { Some(parse_version(ecosystem, &at)?) };
            out.push((at, event));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Some(out)
}

/// GitHub's `"severity": "HIGH"`, where a record's `database_specific` gives one.
fn severity_word(value: &Value) -> Option<Severity> {
    value.get("severity").and_then(Value::as_str).and_then(Severity::parse)
}

/// The worst of a record's CVSS vectors, rated by its base score.
fn scored(scores: &[Score]) -> Option<Severity> {
    scores
        .iter()
        .filter(|s| s.kind.starts_with("CVSS_V3"))
        .filter_map(|s| s.score.parse::<cvss::v3::Vector>().ok())
        .map(|vector| Severity::of_score(vector.base_score().value()))
        .max()
}
