//! Risks suggested from a release's git range: what the code about to ship says about the release.
//! Each rule looks at the range and, when it fires, proposes one prefilled risk with its evidence
//! (commits and paths). The user accepts a suggestion into the register or dismisses it.
//!
//! [`suggest`] runs every rule over one walked [`CommitRange`]. The pieces:
//! - `patterns.rs` turns the rules' path patterns into globs (their meaning is documented there and on
//!   [`suggest`]);
//! - `scan.rs` reads git: one tree-to-tree diff for the whole range, then one pass over its commits
//!   for what only commits can tell (size, committer time, which commits touched matched paths);
//! - `wording.rs` writes each rule's prefilled risk.
//!
//! To add a rule: a [`SuggestionKind`] variant (its `as_str` is stored with dismissals, so never rename
//! one), what it needs from git in `scan.rs` (reuse the per-commit diff rather than adding a pass), its
//! words in `wording.rs`, and a fixture range in `tests/fixtures/risky.sh` where it alone fires.

mod patterns;
mod scan;
mod wording;

pub(crate) use wording::vulnerable_dependencies;

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Category;
use crate::git::{CommitRange, Repo};
use crate::Result;
use patterns::PathPatterns;
use wording::PathHit;

/// Per product: which paths mean what, and what counts as a very large commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SuggestionRules {
    /// Database migrations, e.g. `migrations/`, `*.sql`.
    pub migration_paths: Vec<String>,
    /// Dependency manifests and lock files, e.g. `Cargo.lock`, `package.json`.
    pub dependency_paths: Vec<String>,
    /// Infrastructure: `Dockerfile`, `*.tf`, CI configuration.
    pub infrastructure_paths: Vec<String>,
    /// A commit touching at least this many files is very large; 0 turns this check off.
    pub large_commit_files: u32,
    /// A commit adding and removing at least this many lines in total is very large; 0 turns this
    /// check off.
    pub large_commit_lines: u32,
}

impl Default for SuggestionRules {
    fn default() -> Self {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        SuggestionRules {
            migration_paths: owned(&["migrations/", "migrate/", "*.sql"]),
            dependency_paths: owned(&[
                "Cargo.toml",
                "Cargo.lock",
                "package.json",
                "package-lock.json",
                "yarn.lock",
                "pnpm-lock.yaml",
                "go.mod",
                "go.sum",
                "requirements*.txt",
                "poetry.lock",
                "Pipfile.lock",
                "Gemfile.lock",
                "pom.xml",
                "build.gradle*",
                "composer.lock",
            ]),
            infrastructure_paths: owned(&[
                "Dockerfile",
                "*.dockerfile",
                "docker-compose*.yml",
                "*.tf",
                "*.tfvars",
                ".github/workflows/",
                ".gitlab-ci.yml",
                "Jenkinsfile",
                "k8s/",
                "helm/",
                "charts/",
            ]),
            large_commit_files: 50,
            large_commit_lines: 2000,
        }
    }
}

/// Which rule a suggestion comes from; also its key for remembering a dismissal per release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    Migrations,
    Dependencies,
    Infrastructure,
    LargeChange,
    Reverts,
    AfterCodeFreeze,
    BreakingChanges,
    VulnerableDependencies,
}

impl SuggestionKind {
    pub const ALL: [SuggestionKind; 8] = [
        SuggestionKind::Migrations,
        SuggestionKind::Dependencies,
        SuggestionKind::Infrastructure,
        SuggestionKind::LargeChange,
        SuggestionKind::Reverts,
        SuggestionKind::AfterCodeFreeze,
        SuggestionKind::BreakingChanges,
        SuggestionKind::VulnerableDependencies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionKind::Migrations => "migrations",
            SuggestionKind::Dependencies => "dependencies",
            SuggestionKind::Infrastructure => "infrastructure",
            SuggestionKind::LargeChange => "large_change",
            SuggestionKind::Reverts => "reverts",
            SuggestionKind::AfterCodeFreeze => "after_code_freeze",
            SuggestionKind::BreakingChanges => "breaking_changes",
            SuggestionKind::VulnerableDependencies => "vulnerable_dependencies",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        SuggestionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A commit named as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EvidenceCommit {
    pub sha: String,
    pub short_sha: String,
    pub summary: String,
}

/// One proposed risk, prefilled, with what made the rule fire.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub likelihood: u8,
    pub impact: u8,
    pub mitigation: String,
    /// The commits behind it, newest first (at most a handful; `commit_count` has the total).
    pub commits: Vec<EvidenceCommit>,
    pub commit_count: u32,
    /// The paths behind it, sorted (at most a handful; `path_count` has the total).
    pub paths: Vec<String>,
    pub path_count: u32,
}

/// Checks the rules' path patterns, as [`suggest`] would, so settings are refused when saved rather
/// than when the suggestions are next read.
pub fn check_rules(rules: &SuggestionRules) -> Result<()> {
    compile(rules).map(|_| ())
}

/// The rules' three path lists, compiled: migrations, dependencies, infrastructure.
fn compile(rules: &SuggestionRules) -> Result<[PathPatterns; 3]> {
    Ok([
        PathPatterns::compile("migration paths", &rules.migration_paths)?,
        PathPatterns::compile("dependency paths", &rules.dependency_paths)?,
        PathPatterns::compile("infrastructure paths", &rules.infrastructure_paths)?,
    ])
}

/// The suggestions for one walked range, at most one per kind, in [`SuggestionKind::ALL`] order.
/// `code_freeze`: the release's code-freeze day, if it has one; without it that rule stays silent.
///
/// The rules:
/// - **Migrations, Dependencies, Infrastructure**: the range's net change (one diff from `from` to
///   `to`) has a path matching the rule's patterns. Evidence: the matched paths and the range's
///   commits that touched them (a merge, when the range lists merges, by its diff against its first
///   parent).
/// - **LargeChange**: a non-merge commit changes at least `large_commit_files` files, or adds and
///   removes at least `large_commit_lines` lines, against its first parent.
/// - **Reverts**: commits that revert another (git's "This reverts commit" message, or `revert:`).
/// - **AfterCodeFreeze**: commits whose committer date, in the committer's own time zone, is later
///   than the freeze day (the freeze day itself is still allowed).
/// - **BreakingChanges**: Conventional Commits marked breaking (`!` or a `BREAKING CHANGE` footer).
///
/// Path patterns are matched against the path from the repository root, `/`-separated, case-sensitive:
/// - `dir/` (ending in `/`): any path with that folder anywhere in it: `migrations/` matches
///   `db/migrations/0001.sql`, `.github/workflows/` matches `.github/workflows/ci.yml`;
/// - no `/`: the file name, in any folder: `*.sql`, `Dockerfile`, `requirements*.txt`;
/// - a `/` elsewhere: the full path from the root: `db/schema.rb`, `deploy/*.yaml`;
/// - a leading `/` anchors a folder or name at the root: `/migrations/`, `/Cargo.toml`.
///
/// `*` and `?` stay within one folder and `**` crosses folders; `[abc]` and `{a,b}` work as in globs.
/// Blank patterns are ignored. An invalid pattern is an [`Error::InvalidInput`](crate::Error) on the
/// field `rules`, naming the pattern and its list, before the repository is read.
pub fn suggest(
    repo: &Repo,
    range: &CommitRange,
    rules: &SuggestionRules,
    code_freeze: Option<NaiveDate>,
) -> Result<Vec<Suggestion>> {
    suggest_with(repo, range, rules, code_freeze, None)
}

/// [`suggest`], stopping with a `cancelled` error between two commits once `cancel` is set.
pub fn suggest_with(
    repo: &Repo,
    range: &CommitRange,
    rules: &SuggestionRules,
    code_freeze: Option<NaiveDate>,
    cancel: Option<&AtomicBool>,
) -> Result<Vec<Suggestion>> {
    let patterns = compile(rules)?;
    let git = repo.git();
    let matched = match patterns.iter().all(PathPatterns::is_empty) {
        true => vec![BTreeSet::new(); patterns.len()],
        false => scan::matched_paths(&scan::changed_paths(git, range)?, &patterns),
    };
    let large = scan::Large { files: to_usize(rules.large_commit_files), lines: to_usize(rules.large_commit_lines) };
    let found = scan::scan_commits(git, range, &matched, &large, code_freeze, cancel)?;

    let path_hit = |rule: usize| -> Option<(Vec<String>, &[usize])> {
        let paths = &matched[rule];
        (!paths.is_empty()).then(|| {
            (paths.iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect(), &found.touching[rule][..])
        })
    };
    let commits_where = |keep: &dyn Fn(&crate::git::Commit) -> bool| -> Vec<usize> {
        range.commits.iter().enumerate().filter(|(_, c)| keep(c)).map(|(i, _)| i).collect()
    };

    let mut suggestions = Vec::new();
    for kind in SuggestionKind::ALL {
        let suggestion = match kind {
            SuggestionKind::Migrations => {
                path_hit(0).map(|(paths, commits)| wording::migrations(range, PathHit { paths: &paths, commits }))
            }
            SuggestionKind::Dependencies => {
                path_hit(1).map(|(paths, commits)| wording::dependencies(range, PathHit { paths: &paths, commits }))
            }
            SuggestionKind::Infrastructure => {
                path_hit(2).map(|(paths, commits)| wording::infrastructure(range, PathHit { paths: &paths, commits }))
            }
            SuggestionKind::LargeChange => (!found.large.is_empty()).then(|| {
                wording::large_change(range, &found.large, rules.large_commit_files, rules.large_commit_lines)
            }),
            SuggestionKind::Reverts => {
                let reverts = commits_where(&|c| c.reverts.is_some() || c.kind.as_deref() == Some("revert"));
                (!reverts.is_empty()).then(|| wording::reverts(range, &reverts))
            }
            SuggestionKind::AfterCodeFreeze => match code_freeze {
                Some(freeze) if !found.late.is_empty() => Some(wording::after_code_freeze(range, &found.late, freeze)),
                _ => None,
            },
            SuggestionKind::BreakingChanges => {
                let breaking = commits_where(&|c| c.breaking);
                (!breaking.is_empty()).then(|| wording::breaking_changes(range, &breaking))
            }
            // From the release's dependency scan in the database, not from the commits (see `suggested`).
            SuggestionKind::VulnerableDependencies => None,
        };
        suggestions.extend(suggestion);
    }
    Ok(suggestions)
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
