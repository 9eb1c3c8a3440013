//! Release notes: a [`NotesDocument`] built from a walked commit range plus the release manager's own
//! words ([`ManualNotes`]: highlights, known issues, upgrade notes, per-commit overrides), then rendered
//! by [`render`] as Markdown, HTML, plain text or JSON.
//!
//! Building is a pure function of its inputs, so regenerating after new commits keeps every manual part
//! and override and simply adds the new entries.

mod render;
pub(crate) mod stored;
mod templates;

pub(crate) use render::{escape_markdown, render_builtin};
pub use render::{render, render_to, Format};
pub use stored::{for_release, manual, prepare, save_parts, set_override, NotesJob, NotesParts, ReleaseNotes};
pub(crate) use stored::{release_range, ReleaseRange};
pub use templates::{clear_template, render_release, set_template, template};

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::git::{Commit, CommitRange, Person};

/// The version of the JSON output's shape; bumped only for incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// A section of the notes and the conventional types it collects.
#[derive(Debug, Clone)]
pub struct SectionSpec {
    pub key: &'static str,
    pub title: &'static str,
    pub kinds: &'static [&'static str],
}

/// Breaking changes first, then by type; anything unmatched (non-conventional too) lands in Other.
pub const DEFAULT_SECTIONS: &[SectionSpec] = &[
    SectionSpec { key: "breaking", title: "Breaking changes", kinds: &[] },
    SectionSpec { key: "feat", title: "Features", kinds: &["feat", "feature"] },
    SectionSpec { key: "fix", title: "Bug fixes", kinds: &["fix", "bugfix"] },
    SectionSpec { key: "perf", title: "Performance", kinds: &["perf"] },
    SectionSpec { key: "refactor", title: "Refactoring", kinds: &["refactor"] },
    SectionSpec { key: "revert", title: "Reverts", kinds: &["revert"] },
    SectionSpec { key: "docs", title: "Documentation", kinds: &["docs", "doc"] },
    SectionSpec { key: "test", title: "Tests", kinds: &["test", "tests"] },
    SectionSpec { key: "build", title: "Build system", kinds: &["build", "deps"] },
    SectionSpec { key: "ci", title: "Continuous integration", kinds: &["ci"] },
    SectionSpec { key: "style", title: "Style", kinds: &["style"] },
    SectionSpec { key: "chore", title: "Chores", kinds: &["chore"] },
    SectionSpec { key: "other", title: "Other", kinds: &[] },
];

/// What the release manager wrote by hand, kept per release across regenerations.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ManualNotes {
    /// The id that stays the same in every copy of the plan (a UUID v7); none until something is
    /// written by hand.
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub highlights: String,
    #[serde(default)]
    pub known_issues: String,
    #[serde(default)]
    pub upgrade_notes: String,
    #[serde(default)]
    pub overrides: Vec<EntryOverride>,
}

/// A change to one commit's entry, keyed by the commit's full SHA.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EntryOverride {
    pub sha: String,
    /// The id that stays the same in every copy of the plan (a UUID v7); set when it is stored.
    #[serde(default)]
    pub uid: String,
    #[serde(default)]
    pub hidden: bool,
    /// Replaces the entry's description.
    #[serde(default)]
    pub text: Option<String>,
    /// Moves the entry to the section with this key (`feat`, `fix`, `other`…).
    #[serde(default)]
    pub section: Option<String>,
}

/// Title, version and date of the notes.
#[derive(Debug, Clone, Default)]
pub struct NotesMeta {
    pub title: String,
    pub version: String,
    /// `YYYY-MM-DD`
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct NotesDocument {
    pub schema: u32,
    pub title: String,
    pub version: String,
    pub date: Option<String>,
    pub range: NotesRange,
    pub highlights: String,
    pub known_issues: String,
    pub upgrade_notes: String,
    /// Only the sections that have entries, in the configured order.
    pub sections: Vec<Section>,
    /// Authors and co-authors, once each by email, sorted by name.
    pub contributors: Vec<Person>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct NotesRange {
    pub from: Option<String>,
    pub from_sha: Option<String>,
    pub to: String,
    pub to_sha: String,
    /// Where `from`'s and `to`'s histories meet when `from` is on another branch (a release branch).
    pub merge_base: Option<String>,
    /// Commits in the notes' range, including hidden ones, and not the changes that already shipped.
    pub commits: u32,
    /// Changes of the range that already shipped on `from`'s side (backports), by the release they
    /// shipped in; left out of the sections unless `shipped_shown`.
    pub shipped: Vec<ShippedGroup>,
    pub shipped_shown: bool,
}

/// How many changes of the range already shipped in one release (or in `from`, untagged).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShippedGroup {
    pub release: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Entry {
    pub sha: String,
    pub short_sha: String,
    pub kind: Option<String>,
    pub scope: Option<String>,
    pub description: String,
    pub breaking: bool,
    pub breaking_description: Option<String>,
    pub refs: Vec<String>,
    pub author: Person,
    /// True when the description is the release manager's rewording.
    pub reworded: bool,
    /// The release this change already shipped in, for a backport shown in the notes.
    pub shipped_in: Option<String>,
}

/// Builds the notes for `range`, applying the manual parts and overrides.
pub fn build(range: &CommitRange, meta: NotesMeta, manual: &ManualNotes, specs: &[SectionSpec]) -> NotesDocument {
    let overrides: HashMap<&str, &EntryOverride> = manual.overrides.iter().map(|o| (o.sha.as_str(), o)).collect();
    let mut buckets: Vec<Vec<Entry>> = vec![Vec::new(); specs.len()];
    let other = specs.iter().position(|s| s.key == "other");
    let shipped_in = shipped_releases(range);
    for commit in &range.commits {
        let change = overrides.get(commit.sha.as_str()).copied();
        if change.is_some_and(|o| o.hidden) {
            continue;
        }
        let wanted = change.and_then(|o| o.section.as_deref());
        let index = wanted
            .and_then(|key| specs.iter().position(|s| s.key == key))
            .or_else(|| section_of(commit, specs))
            .or(other);
        if let Some(index) = index {
            let mut entry = entry(commit, change);
            entry.shipped_in = shipped_in.get(commit.sha.as_str()).cloned();
            buckets[index].push(entry);
        }
    }
    let shown_shipped = range.commits.iter().filter(|c| shipped_in.contains_key(c.sha.as_str())).count();
    let sections = specs
        .iter()
        .zip(buckets)
        .filter(|(_, entries)| !entries.is_empty())
        .map(|(spec, entries)| Section { key: spec.key.to_string(), title: spec.title.to_string(), entries })
        .collect();
    NotesDocument {
        schema: SCHEMA_VERSION,
        title: meta.title,
        version: meta.version,
        date: meta.date,
        range: NotesRange {
            from: range.from.clone(),
            from_sha: range.from_sha.clone(),
            to: range.to.clone(),
            to_sha: range.to_sha.clone(),
            merge_base: range.merge_base.clone(),
            commits: (range.commits.len() - shown_shipped) as u32,
            shipped: shipped_groups(&shipped_in),
            shipped_shown: shown_shipped > 0,
        },
        highlights: manual.highlights.trim().to_string(),
        known_issues: manual.known_issues.trim().to_string(),
        upgrade_notes: manual.upgrade_notes.trim().to_string(),
        sections,
        contributors: contributors(&range.commits),
    }
}

/// The release each backport of the range shipped in (or the range's `from`, when no tag holds it).
fn shipped_releases(range: &CommitRange) -> HashMap<&str, String> {
    let from = range.from.clone().unwrap_or_else(|| "the other branch".to_string());
    range.shipped.iter().map(|s| (s.sha.as_str(), s.release.clone().unwrap_or_else(|| from.clone()))).collect()
}

/// Backports counted by the release they shipped in, by its name.
fn shipped_groups(shipped_in: &HashMap<&str, String>) -> Vec<ShippedGroup> {
    let mut counts: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    for release in shipped_in.values() {
        *counts.entry(release.as_str()).or_default() += 1;
    }
    counts.into_iter().map(|(release, count)| ShippedGroup { release: release.to_string(), count }).collect()
}

fn section_of(commit: &Commit, specs: &[SectionSpec]) -> Option<usize> {
    if commit.breaking {
        if let Some(index) = specs.iter().position(|s| s.key == "breaking") {
            return Some(index);
        }
    }
    let kind = match (commit.kind.as_deref(), &commit.reverts) {
        (Some(kind), _) => kind,
        (None, Some(_)) => "revert",
        (None, None) => return None,
    };
    specs.iter().position(|s| s.kinds.contains(&kind))
}

pub(crate) fn entry(commit: &Commit, change: Option<&EntryOverride>) -> Entry {
    let text = change.and_then(|o| o.text.as_deref()).map(str::trim).filter(|t| !t.is_empty());
    Entry {
        sha: commit.sha.clone(),
        short_sha: commit.short_sha.clone(),
        kind: commit.kind.clone(),
        scope: commit.scope.clone(),
        description: text.unwrap_or(&commit.description).to_string(),
        breaking: commit.breaking,
        breaking_description: commit.breaking_description.clone(),
        refs: commit.refs.clone(),
        author: commit.author.clone(),
        reworded: text.is_some(),
        shipped_in: None,
    }
}

fn contributors(commits: &[Commit]) -> Vec<Person> {
    let mut seen: HashMap<String, Person> = HashMap::new();
    for person in commits.iter().flat_map(|c| std::iter::once(&c.author).chain(&c.co_authors)) {
        seen.entry(person.email.to_ascii_lowercase()).or_insert_with(|| person.clone());
    }
    let mut people: Vec<Person> = seen.into_values().collect();
    people.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.email.cmp(&b.email)));
    people
}
