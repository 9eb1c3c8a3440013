//! Secrets in a release's diff: the lines each commit of its range adds (against its first parent,
//! read from git objects, nothing checked out) run past gitleaks' rules and an entropy check, so
//! that a key committed during the release is named by commit, file and line before it ships.
//!
//! - [`rules`] is the rule set and the matching (keywords first, then the rules they name);
//! - [`record`] keeps each release's latest scan and the findings marked as false positives.
//!
//! A secret is never kept whole: a finding carries its first and last characters only
//! (`AK…WY`), in the report, the database, the audit log and the CLI's output alike.
//! Merge commits are not read (what they bring is in the commits they merge, which the range holds,
//! as `git log -p` shows it); neither are binary files, blobs over [`LARGEST`], or lock files.

pub mod record;
pub mod rules;

use git2::{DiffFindOptions, DiffOptions, Oid, Patch};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::git::RangeOptions;
use crate::notes::stored::{release_range, ReleaseRange};
use crate::store::Store;
use crate::{Error, Result};
use rules::{RuleSet, HIGH_ENTROPY};

/// Files larger than this are not read: generated data or bundles, not code someone typed a key into.
pub const LARGEST: u64 = 1024 * 1024;

/// One secret a commit of the range adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LeakFinding {
    /// What names it across scans of the release: rule, commit (12 characters), path, line and column.
    pub key: String,
    /// Gitleaks' rule id (`aws-access-token`), or `high-entropy-string` for the entropy check.
    pub rule_id: String,
    pub description: String,
    pub commit: String,
    pub path: String,
    /// The line in the file as the commit left it, from 1.
    pub line: u32,
    /// The secret's first and last characters, never the whole of it.
    pub redacted: String,
    /// Its Shannon entropy in bits per character, to two decimals.
    pub entropy: f64,
}

/// A release's secrets scan.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct LeakReport {
    pub release_id: i64,
    pub from: Option<String>,
    pub from_sha: Option<String>,
    pub to: String,
    pub to_sha: String,
    /// Commits whose diff was read (merges are not), and the files their diffs touch that were read.
    pub commits_scanned: usize,
    pub files_scanned: usize,
    /// Files of those diffs left unread: binary, larger than [`LARGEST`], lock files or what gitleaks
    /// never reads (images, fonts, installed packages).
    pub files_skipped: usize,
    /// The rules run: gitleaks' (those with an expression) and the entropy check.
    pub rules: usize,
    /// In the order of the range (oldest commit first), then path and line.
    pub findings: Vec<LeakFinding>,
}

/// A release's secrets scan, prepared from the database so that it can run without it.
pub struct LeakJob {
    range: ReleaseRange,
}

/// Gathers what the scan needs: the release's repository and range (as its notes have them).
pub fn prepare(store: &Store, release_id: i64) -> Result<LeakJob> {
    Ok(LeakJob { range: release_range(store, release_id, RangeOptions::default())? })
}

impl LeakJob {
    /// Walks the range and scans what each commit adds; git work only, no database.
    pub fn run(self) -> Result<LeakReport> {
        let set = RuleSet::vendored()?;
        let (repo, _, walked) = self.range.walk_shipped()?;
        let git = repo.git();
        let failed = |e: git2::Error| Error::Io(format!("Reading the range's diffs failed: {}", e.message()));
        let odb = git.odb().map_err(failed)?;
        let mut report = LeakReport {
            release_id: self.range.release.id,
            from: walked.from,
            from_sha: walked.from_sha,
            to: walked.to,
            to_sha: walked.to_sha,
            commits_scanned: 0,
            files_scanned: 0,
            files_skipped: 0,
            rules: set.rules.len() + 1,
            findings: Vec::new(),
        };
        // The walk lists the newest commit first; findings read better oldest first.
        for commit in walked.commits.iter().rev().filter(|c| !c.is_merge) {
            let oid = Oid::from_str(&commit.sha).map_err(failed)?;
            let found = git.find_commit(oid).map_err(failed)?;
            let tree = found.tree().map_err(failed)?;
            let parent = match found.parent_count() {
                0 => None,
                _ => Some(found.parent(0).and_then(|p| p.tree()).map_err(failed)?),
            };
            let mut options = DiffOptions::new();
            options.context_lines(0).ignore_submodules(true);
            let mut diff = git.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut options)).map_err(failed)?;
            // A file moved (and perhaps edited) is its edit, not all of it added anew.
            diff.find_similar(Some(DiffFindOptions::new().renames(true))).map_err(failed)?;
            report.commits_scanned += 1;
            for index in 0..diff.deltas().len() {
                let Some(delta) = diff.get_delta(index) else { continue };
                let file = delta.new_file();
                let Some(path) = file.path().map(|p| p.to_string_lossy().replace('\\', "/")) else { continue };
                if file.id().is_zero() {
                    continue; // deleted: adds nothing
                }
                let size = odb.read_header(file.id()).map(|(size, _)| size as u64).unwrap_or(u64::MAX);
                if size > LARGEST || is_lock_file(&path) || set.skips_path(&path) {
                    report.files_skipped += 1;
                    continue;
                }
                let Some(patch) = Patch::from_diff(&diff, index).map_err(failed)? else { continue };
                if patch.delta().flags().is_binary() {
                    report.files_skipped += 1;
                    continue;
                }
                report.files_scanned += 1;
                let (text, lines) = added_lines(&patch).map_err(failed)?;
                for hit in set.scan(&path, &text) {
                    report.findings.push(finding(set, &hit, &text, &lines, &commit.sha, &path));
                }
            }
        }
        Ok(report)
    }
}

/// Where each added line starts in the joined text, and its number in the file.
type LineStarts = Vec<(usize, u32)>;

/// The lines a file's patch adds, joined with newlines (a gap between hunks as an empty line, so
/// that a rule does not match across it), and where each line starts in that text with its number.
fn added_lines(patch: &Patch<'_>) -> std::result::Result<(Vec<u8>, LineStarts), git2::Error> {
    let mut text = Vec::new();
    let mut lines = Vec::new();
    let mut previous = None;
    for hunk in 0..patch.num_hunks() {
        for at in 0..patch.num_lines_in_hunk(hunk)? {
            let line = patch.line_in_hunk(hunk, at)?;
            let Some(number) = line.new_lineno().filter(|_| line.origin() == '+') else { continue };
            if previous.is_some_and(|p: u32| p + 1 != number) {
                text.push(b'\n');
            }
            lines.push((text.len(), number));
            let content = line.content();
            text.extend_from_slice(content.strip_suffix(b"\n").unwrap_or(content));
            text.push(b'\n');
            previous = Some(number);
        }
    }
    Ok((text, lines))
}

fn finding(set: &RuleSet, hit: &rules::Hit, text: &[u8], lines: &[(usize, u32)], sha: &str, path: &str) -> LeakFinding {
    let (starts, line) = match lines.binary_search_by_key(&hit.start, |(at, _)| *at) {
        Ok(i) => lines[i],
        Err(0) => lines.first().copied().unwrap_or((0, 1)),
        Err(i) => lines[i - 1],
    };
    // Two matches of one rule on one line (a minified file, a test key beside a live one) are two
    // findings: marking one must not clear the other.
    let column = hit.start.saturating_sub(starts) + 1;
    let (rule_id, description) = match hit.rule {
        Some(index) => (set.rules[index].id.clone(), set.rules[index].description.clone()),
        None => (
            HIGH_ENTROPY.to_string(),
            "A quoted string random enough to be a key or a password that no rule names.".to_string(),
        ),
    };
    let short = sha.get(..12).unwrap_or(sha);
    LeakFinding {
        key: format!("{rule_id}:{short}:{path}:{line}:{column}"),
        rule_id,
        description,
        commit: sha.to_string(),
        path: path.to_string(),
        line,
        redacted: redact(&text[hit.start..hit.end]),
        entropy: (hit.entropy * 100.0).round() / 100.0,
    }
}

/// The secret's first and last characters, an eighth of it at each end and four at most (a 20-character
/// key shows 2 + 2): enough to find it in the file, never enough to use it.
pub fn redact(secret: &[u8]) -> String {
    let chars: Vec<char> = String::from_utf8_lossy(secret).chars().collect();
    let shown = (chars.len() / 8).min(4);
    let head: String = chars[..shown].iter().collect();
    let tail: String = chars[chars.len() - shown..].iter().collect();
    format!("{head}…{tail}")
}

/// Lock files pin versions and checksums: high in entropy, never a secret, and written by tools.
fn is_lock_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // A requirements file is written by hand too, and its `--index-url` may carry a token: scanned.
    name.ends_with(".lock")
        || (super::lockfile::ecosystem_of(name).is_some() && !name.ends_with(".txt"))
        || matches!(name, "package-lock.json" | "npm-shrinkwrap.json" | "pnpm-lock.yaml" | "go.sum" | "flake.lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redacted_secret_shows_at_most_an_eighth_at_each_end() {
        assert_eq!(redact(b"AKIAQ7BX3ZLM2KVR4TWY"), "AK…WY");
        assert_eq!(redact(b"hunter22"), "h…2");
        assert_eq!(redact(b"abc"), "…");
        assert_eq!(redact("clé-secrète-très-longue".as_bytes()), "cl…ue", "characters, not bytes");
        assert_eq!(redact(b"sk_test_51Hq8ZpLx0v3Tn7Qe2Kd9Wm4RxYz"), "sk_t…RxYz", "four at most");
    }

    #[test]
    fn lock_files_are_not_read() {
        assert!(is_lock_file("Cargo.lock") && is_lock_file("web/yarn.lock") && is_lock_file("go.sum"));
        assert!(is_lock_file("uv.lock") && !is_lock_file("requirements.txt"), "an index URL may hold a token");
        assert!(!is_lock_file("src/lock.rs"));
    }
}
