//! What the app keeps between walks of the same repository, so that regenerating the notes after one
//! new commit reads that commit and nothing else.
//!
//! Four things are kept, and none can go stale:
//! - parsed commits, keyed by SHA: a commit's content is fixed by its SHA, whatever happens to refs;
//! - patch-ids of commits (for backports), keyed by SHA for the same reason;
//! - the previous release tag of the last `to` asked, keyed by the whole tag list (every name and
//!   commit) and the pre-release filter: any tag created, moved or deleted is another key; a new `to`
//!   whose history holds the old one is answered from the old answer and the new commits' tags;
//! - walked ranges, keyed by the `from` commit and the walk's options, with the `to` commit they were
//!   walked to. A range is reused for a new `to` only when the old `to` is in the new one's history
//!   (seen as a parent during the walk of the new commits); then `from..new` is `from..old` plus the
//!   commits of `old..new` not in `from`'s history. A moved tag or a rewritten branch changes `from`,
//!   or leaves the old `to` out of the new history, and the range is walked again from scratch.
//!
//! The ends are always resolved afresh, and tags are always read afresh: only work is cached, never
//! an answer about refs. The cache is passed in explicitly ([`super::WalkControl`]); the CLI runs
//! once and uses none. Its size is bounded: past the limits it starts over.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use git2::Oid;

use super::Commit;

/// Parsed commits kept per repository before the cache starts over (about 1 KB each).
const MAX_COMMITS: usize = 200_000;
/// Walked ranges kept per repository before the cache starts over.
const MAX_RANGES: usize = 64;

/// Parsed commits and walked ranges, shared by the app's background walks.
#[derive(Default)]
pub struct RangeCache {
    repos: Mutex<HashMap<PathBuf, RepoCache>>,
}

#[derive(Default)]
struct RepoCache {
    commits: HashMap<Oid, Arc<Parsed>>,
    ranges: HashMap<RangeKey, Arc<Walked>>,
    patch_ids: HashMap<Oid, Option<Oid>>,
    /// (tag list signature, final only) → (the `to` asked, the index of its previous tag).
    previous: HashMap<(u64, bool), (Oid, Option<usize>)>,
}

/// A commit as the walk keeps it: parsed, with its parents (for ancestry without re-reading it).
#[derive(Debug)]
pub(crate) struct Parsed {
    pub commit: Commit,
    pub parents: Vec<Oid>,
    /// Committer time, seconds since the epoch: the order of a range (newest first).
    pub committed: i64,
}

/// What makes two walks the same walk, apart from their `to`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RangeKey {
    pub from: Option<Oid>,
    pub include_merges: bool,
    pub first_parent: bool,
    pub paths: Vec<String>,
}

/// A walked range: the commits kept (after the merge and path filters), newest first.
#[derive(Debug)]
pub(crate) struct Walked {
    pub to: Oid,
    pub oids: Vec<Oid>,
    /// Whether any commit of the range has `from` as a parent (so `from` is in `to`'s history).
    pub reached_from: bool,
}

impl RangeCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The last walk with these options, if any.
    pub(crate) fn range(&self, repo: &Path, key: &RangeKey) -> Option<Arc<Walked>> {
        self.with(repo, |cache| cache.ranges.get(key).cloned())
    }

    pub(crate) fn keep_range(&self, repo: &Path, key: RangeKey, walked: Walked) {
        self.with(repo, |cache| {
            if cache.ranges.len() >= MAX_RANGES && !cache.ranges.contains_key(&key) {
                cache.ranges.clear();
            }
            cache.ranges.insert(key, Arc::new(walked));
        })
    }

    /// The parsed commit `oid`, if kept (the walk asks once per commit).
    pub(crate) fn commit(&self, repo: &Path, oid: Oid) -> Option<Arc<Parsed>> {
        self.with(repo, |cache| cache.commits.get(&oid).cloned())
    }

    /// The parsed commits among `oids` that are kept, in the same order (None where not kept).
    pub(crate) fn commits(&self, repo: &Path, oids: &[Oid]) -> Vec<Option<Arc<Parsed>>> {
        self.with(repo, |cache| oids.iter().map(|oid| cache.commits.get(oid).cloned()).collect())
    }

    pub(crate) fn keep_commits(&self, repo: &Path, parsed: Vec<Arc<Parsed>>) {
        self.with(repo, |cache| {
            if cache.commits.len() + parsed.len() > MAX_COMMITS {
                cache.commits.clear();
            }
            for p in parsed {
                if let Ok(oid) = Oid::from_str(&p.commit.sha) {
                    cache.commits.insert(oid, p);
                }
            }
        })
    }

    /// The last previous-tag answer for this tag list and filter: the `to` it was for, and the tag.
    pub(crate) fn previous(&self, repo: &Path, key: (u64, bool)) -> Option<(Oid, Option<usize>)> {
        self.with(repo, |cache| cache.previous.get(&key).copied())
    }

    pub(crate) fn keep_previous(&self, repo: &Path, key: (u64, bool), to: Oid, found: Option<usize>) {
        self.with(repo, |cache| {
            if cache.previous.len() >= MAX_RANGES && !cache.previous.contains_key(&key) {
                cache.previous.clear();
            }
            cache.previous.insert(key, (to, found));
        })
    }

    /// The patch-ids among `oids` already computed.
    pub(crate) fn patch_ids(&self, repo: &Path, oids: &[Oid]) -> HashMap<Oid, Option<Oid>> {
        self.with(repo, |cache| oids.iter().filter_map(|o| cache.patch_ids.get(o).map(|p| (*o, *p))).collect())
    }

    pub(crate) fn keep_patch_ids(&self, repo: &Path, ids: &HashMap<Oid, Option<Oid>>) {
        self.with(repo, |cache| {
            if cache.patch_ids.len() + ids.len() > MAX_COMMITS {
                cache.patch_ids.clear();
            }
            cache.patch_ids.extend(ids.iter().map(|(k, v)| (*k, *v)));
        })
    }

    fn with<T: Default>(&self, repo: &Path, f: impl FnOnce(&mut RepoCache) -> T) -> T {
        // A poisoned lock means a walk panicked mid-update; the cache is only a shortcut, so it is
        // simply not used from then on.
        // The path is copied only the first time a repository is seen: the walk calls this per commit.
        match self.repos.lock() {
            Ok(mut repos) => match repos.get_mut(repo) {
                Some(cache) => f(cache),
                None => f(repos.entry(repo.to_path_buf()).or_default()),
            },
            Err(_) => T::default(),
        }
    }
}
