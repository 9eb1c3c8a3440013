//! What the rules need from git, read as cheaply as each rule allows.
//!
//! - The path rules look at the range as a whole: one tree-to-tree diff from `from` to `to`, without
//!   file contents. Its paths are the release's net change, so a file added and removed again inside
//!   the range does not count.
//! - The large-commit rule is per commit by nature: each commit against its first parent, without
//!   contents, counts its files; only a commit under the file threshold has its lines counted. The
//!   same per-commit diff names the commits behind the path rules that fired, so evidence costs no
//!   extra diff.
//! - The code-freeze rule needs each commit's committer time, which the walk does not keep.
//!
//! In a shallow clone the oldest commits have their parents cut off; git reports them as having none.
//! Their own changes are unknown, so they are not diffed against the empty tree (which would make
//! every file of the project look new): they count as the range's starting point instead.

use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use git2::{Diff, Oid, Repository};

use super::patterns::PathPatterns;
use crate::git::{diff_to_first_parent, local_day, on_cores, other, CommitRange};
use crate::Result;

/// The paths the whole range changes, as git's raw bytes, sorted and once each. A release-branch
/// range is compared from where the branches meet, as `git diff from...to` does: what `from`'s branch
/// changed on its own is not a change of `to`.
pub(super) fn changed_paths(git: &Repository, range: &CommitRange) -> Result<BTreeSet<Vec<u8>>> {
    let to = git.find_commit(oid(&range.to_sha)?).map_err(other)?.tree().map_err(other)?;
    let from = match range.merge_base.as_deref().or(range.from_sha.as_deref()) {
        Some(sha) => Some(oid(sha)?),
        // From the first commit: the empty tree, unless the history starts at a shallow clone's cut.
        None => {
            let cut = shallow_cuts(git);
            range.commits.iter().rev().filter_map(|c| Oid::from_str(&c.sha).ok()).find(|o| cut.contains(o))
        }
    };
    let from = match from {
        Some(from) => Some(git.find_commit(from).map_err(other)?.tree().map_err(other)?),
        None => None,
    };
    let diff = git.diff_tree_to_tree(from.as_ref(), Some(&to), None).map_err(other)?;
    Ok(paths_of(&diff).map(<[u8]>::to_vec).collect())
}

/// A commit of the range that the large-commit rule flagged.
pub(super) struct LargeCommit {
    /// Its index in `range.commits`.
    pub index: usize,
    pub files: usize,
    /// Lines added plus removed, when they were counted (not for a commit already large by files).
    pub lines: Option<usize>,
}

/// What the per-commit pass found. Indices point into `range.commits`, so they stay newest first.
#[derive(Default)]
pub(super) struct CommitFindings {
    /// Per path rule (same order as the `matched` given), the commits touching its matched paths.
    pub touching: Vec<Vec<usize>>,
    pub large: Vec<LargeCommit>,
    /// Commits committed on a later day than the code freeze, with that day.
    pub late: Vec<(usize, NaiveDate)>,
}

/// Thresholds of the large-commit rule; 0 turns a threshold off.
pub(super) struct Large {
    pub files: usize,
    pub lines: usize,
}

/// One pass over the range's commits for everything that needs them one by one, split across the
/// machine's cores (each part with its own repository handle: libgit2's are not shared between
/// threads); the diffs and line counts are the whole cost of the rules.
pub(super) fn scan_commits(
    git: &Repository,
    range: &CommitRange,
    matched: &[BTreeSet<Vec<u8>>],
    large: &Large,
    code_freeze: Option<NaiveDate>,
    cancel: Option<&AtomicBool>,
) -> Result<CommitFindings> {
    let path_rules_fired = matched.iter().any(|m| !m.is_empty());
    let diffs_needed = large.files > 0 || large.lines > 0 || path_rules_fired;
    if !diffs_needed && code_freeze.is_none() {
        return Ok(CommitFindings { touching: vec![Vec::new(); matched.len()], ..Default::default() });
    }
    let cut = shallow_cuts(git);
    let scan = Scan { matched, large, code_freeze, path_rules_fired, diffs_needed, cut: &cut, cancel };
    let indices: Vec<usize> = (0..range.commits.len()).collect();
    let parts = on_cores(git, &indices, 2, "Reading the range's changes", |git, part| scan.part(git, range, part))?;
    // The parts are in index order, so concatenating keeps every list newest first.
    let mut found = CommitFindings { touching: vec![Vec::new(); matched.len()], ..Default::default() };
    for part in parts {
        for (all, some) in found.touching.iter_mut().zip(part.touching) {
            all.extend(some);
        }
        found.large.extend(part.large);
        found.late.extend(part.late);
    }
    Ok(found)
}

/// What every part of the pass shares.
struct Scan<'a> {
    matched: &'a [BTreeSet<Vec<u8>>],
    large: &'a Large,
    code_freeze: Option<NaiveDate>,
    path_rules_fired: bool,
    diffs_needed: bool,
    cut: &'a HashSet<Oid>,
    /// Set by another thread to stop the pass between two commits.
    cancel: Option<&'a AtomicBool>,
}

impl Scan<'_> {
    /// The findings for the commits at `indices` (ascending) of the range.
    fn part(&self, git: &Repository, range: &CommitRange, indices: &[usize]) -> Result<CommitFindings> {
        let (matched, large) = (self.matched, self.large);
        let mut found = CommitFindings { touching: vec![Vec::new(); matched.len()], ..Default::default() };
        for &index in indices {
            if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(crate::Error::Cancelled(
                    "Reading the range's changes was cancelled; open the suggestions again to read them.".into(),
                ));
            }
            let listed = &range.commits[index];
            let commit = git.find_commit(oid(&listed.sha)?).map_err(other)?;
            if let Some(freeze) = self.code_freeze {
                let day = local_day(commit.time());
                if day > freeze {
                    found.late.push((index, day));
                }
            }
            let is_merge = commit.parent_count() > 1;
            // A shallow clone's cut commit has no parent to diff against. A merge is diffed only to name
            // it as evidence (in a first-parent range it is the only commit that brought the change in).
            if !self.diffs_needed || self.cut.contains(&commit.id()) || (is_merge && !self.path_rules_fired) {
                continue;
            }
            let diff = diff_to_first_parent(git, &commit, None)?;
            for (paths, touching) in matched.iter().zip(found.touching.iter_mut()) {
                if !paths.is_empty() && paths_of(&diff).any(|p| paths.contains(p)) {
                    touching.push(index);
                }
            }
            // A merge against its first parent repeats its branch's commits, which are judged on their
            // own: merging a branch of small commits is not one large change.
            if is_merge {
                continue;
            }
            let files = diff.deltas().len();
            if large.files > 0 && files >= large.files {
                found.large.push(LargeCommit { index, files, lines: None });
            } else if large.lines > 0 {
                // Contents are read and diffed here only; `stats` honours `.gitattributes` (a `-diff` or
                // `binary` file counts no lines), as `git diff --numstat` does. Counting blob by blob
                // without attributes measured only a tenth faster.
                let stats = diff.stats().map_err(other)?;
                let lines = stats.insertions() + stats.deletions();
                if lines >= large.lines {
                    found.large.push(LargeCommit { index, files, lines: Some(lines) });
                }
            }
        }
        Ok(found)
    }
}

/// Which paths of the range each rule's patterns match.
pub(super) fn matched_paths(changed: &BTreeSet<Vec<u8>>, rules: &[PathPatterns]) -> Vec<BTreeSet<Vec<u8>>> {
    rules
        .iter()
        .map(|rule| match rule.is_empty() {
            true => BTreeSet::new(),
            false => changed.iter().filter(|p| rule.matches(p)).cloned().collect(),
        })
        .collect()
}

/// Both sides' paths of every change: a file's old path matters as much as its new one.
fn paths_of<'a>(diff: &'a Diff<'_>) -> impl Iterator<Item = &'a [u8]> + 'a {
    diff.deltas().flat_map(|d| [d.old_file().path_bytes(), d.new_file().path_bytes()]).flatten()
}

/// The commits where a shallow clone's history was cut, from git's `shallow` file; none when the
/// repository is complete or the file cannot be read (then such a commit looks like a first commit).
fn shallow_cuts(git: &Repository) -> HashSet<Oid> {
    if !git.is_shallow() {
        return HashSet::new();
    }
    let listed = std::fs::read_to_string(git.commondir().join("shallow")).unwrap_or_default();
    listed.lines().filter_map(|line| Oid::from_str(line.trim()).ok()).collect()
}

fn oid(sha: &str) -> Result<Oid> {
    Oid::from_str(sha).map_err(other)
}
