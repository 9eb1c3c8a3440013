//! Which release tags a commit's history holds, answered from one walk of that history — never from
//! one reachability query per tag. Asking libgit2's `graph_descendant_of` for each tag is a merge-base
//! walk per tag, tags × history: on a repository with a thousand tags it made the next-version
//! suggestion 270× slower than `git log`.
//!
//! [`TagIndex`] reads the tags once ([`Repo::tag_index`]), then answers:
//! - [`TagIndex::at`]: the tags on one commit, a lookup;
//! - [`TagIndex::previous`]: the highest-versioned release tag in a commit's history (not on the commit
//!   itself), from one walk that reads only commit ids and stops as soon as the answer cannot change;
//! - "which release shipped this commit" is answered for a whole side of a range by the backport
//!   walk (`backports.rs`), with [`TagIndex::at`] on each commit it reads.
//!
//! Every walk and graph query a [`Repo`] makes is counted ([`Repo::reachability_queries`]), so a test
//! can show that the count does not grow with the number of tags.

use std::collections::HashMap;

use git2::{Oid, Sort};

use super::graph::CommitGraph;
use super::range::cancelled;
use super::{other, Repo, Tag, TagPattern, WalkControl};
use crate::version::Versioning;
use crate::Result;

/// The release tags of a repository, oldest version first, indexed by the commit they point at.
#[derive(Debug, Clone)]
pub struct TagIndex {
    tags: Vec<Tag>,
    by_commit: HashMap<Oid, Vec<usize>>,
    pub(crate) scheme: Versioning,
    /// A hash of every tag's name and commit: the same list of tags, the same signature.
    signature: u64,
}

impl Repo {
    /// Reads the tags matching `pattern` once, for any number of questions about them.
    pub fn tag_index(&self, pattern: &TagPattern) -> Result<TagIndex> {
        Ok(TagIndex::new(self.release_tags(pattern)?, pattern.scheme))
    }
}

impl TagIndex {
    /// `tags` oldest version first, as [`Repo::release_tags`] returns them.
    pub fn new(tags: Vec<Tag>, scheme: Versioning) -> Self {
        let mut by_commit: HashMap<Oid, Vec<usize>> = HashMap::new();
        for (i, tag) in tags.iter().enumerate() {
            by_commit.entry(tag.commit).or_default().push(i);
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for tag in &tags {
            std::hash::Hash::hash(&tag.name, &mut hasher);
            std::hash::Hash::hash(tag.commit.as_bytes(), &mut hasher);
        }
        let signature = std::hash::Hasher::finish(&hasher);
        TagIndex { tags, by_commit, scheme, signature }
    }

    /// All release tags, oldest version first.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The tags on `commit`, highest version first.
    pub fn at(&self, commit: Oid) -> impl Iterator<Item = &Tag> {
        self.by_commit.get(&commit).into_iter().flat_map(|ids| ids.iter().rev().map(|&i| &self.tags[i]))
    }

    /// The highest-versioned release tag whose commit is in `to`'s history and is not `to` itself (so
    /// the notes of a tagged commit cover its own changes). With `final_only`, pre-release tags
    /// (`-rc.1`) are passed over.
    ///
    /// One walk from `to`, reading commit ids only (from git's commit-graph file when there is one); it
    /// stops when the highest candidate is found, which on a project that tags its main line is as soon
    /// as the walk reaches the latest tag.
    pub fn previous(&self, repo: &Repo, to: Oid, final_only: bool) -> Result<Option<&Tag>> {
        self.previous_with(repo, to, final_only, WalkControl::default())
    }

    /// [`TagIndex::previous`], stopped by `control`'s cancel flag (checked every few thousand commits),
    /// and answered from `control`'s cache when it holds the answer for `to` or for an ancestor of it.
    pub fn previous_with(
        &self,
        repo: &Repo,
        to: Oid,
        final_only: bool,
        control: WalkControl<'_>,
    ) -> Result<Option<&Tag>> {
        let key = (self.signature, final_only);
        let known = control.cache.and_then(|cache| cache.previous(repo.path(), key));
        let found = match known {
            Some((old, found)) if old == to => found,
            Some((old, found)) => match self.extend_previous(repo, old, found, to, final_only)? {
                Some(found) => found,
                None => self.search_previous(repo, to, final_only, control)?,
            },
            None => self.search_previous(repo, to, final_only, control)?,
        };
        if let Some(cache) = control.cache {
            cache.keep_previous(repo.path(), key, to, found);
        }
        Ok(found.map(|i| &self.tags[i]))
    }

    /// Whether tag `i` can be the previous tag of `to`.
    fn eligible(&self, i: usize, to: Oid, final_only: bool) -> bool {
        let tag = &self.tags[i];
        tag.commit != to && (!final_only || tag.key.pre.is_empty())
    }

    /// The previous tag of `to` from the one of `old`, when `old` is in `to`'s history: the best of that
    /// answer, the tags on `old` itself, and the tags on the commits `to` has and `old` lacks (one short
    /// walk). None when `old` is not in `to`'s history.
    fn extend_previous(
        &self,
        repo: &Repo,
        old: Oid,
        old_found: Option<usize>,
        to: Oid,
        final_only: bool,
    ) -> Result<Option<Option<usize>>> {
        repo.count_query();
        let git = repo.git();
        let mut walk = git.revwalk().map_err(other)?;
        walk.push(to).map_err(other)?;
        walk.hide(old).map_err(other)?;
        let mut best = old_found;
        let mut consider = |oid: Oid| {
            for &i in self.by_commit.get(&oid).into_iter().flatten() {
                if self.eligible(i, to, final_only) && best.is_none_or(|b| i > b) {
                    best = Some(i);
                }
            }
        };
        consider(old);
        let mut reached = false;
        for oid in walk {
            let oid = oid.map_err(other)?;
            reached = reached || git.find_commit(oid).map_err(other)?.parent_ids().any(|p| p == old);
            consider(oid);
        }
        Ok(reached.then_some(best))
    }

    /// The previous tag of `to` by one walk of its history.
    fn search_previous(
        &self,
        repo: &Repo,
        to: Oid,
        final_only: bool,
        control: WalkControl<'_>,
    ) -> Result<Option<usize>> {
        // The best candidate on each commit (the highest index, tags being sorted by version).
        let mut best_at: HashMap<Oid, usize> = HashMap::new();
        for (commit, ids) in &self.by_commit {
            if let Some(&i) = ids.iter().filter(|&&i| self.eligible(i, to, final_only)).max() {
                best_at.insert(*commit, i);
            }
        }
        let Some(&top) = best_at.values().max() else { return Ok(None) };
        repo.count_query();
        // From git's commit-graph file when the repository has one (a few bytes a commit), else by
        // reading commit objects; a graph found inconsistent part-way is dropped and the walk redone.
        let git = repo.git();
        let start = || Search { best_at: &best_at, top, control, found: None, walked: 0, stopped: false };
        let mut search = start();
        let graphed = CommitGraph::open(git.path()).and_then(|graph| {
            let parents = |oid: Oid| git.find_commit(oid).ok().map(|c| c.parent_ids().collect());
            graph.ancestors(to, parents, |oid| search.visit(oid))
        });
        if graphed.is_none() {
            search = start();
            let mut walk = git.revwalk().map_err(other)?;
            walk.set_sorting(Sort::NONE).map_err(other)?;
            walk.push(to).map_err(other)?;
            for oid in walk {
                if !search.visit(oid.map_err(other)?) {
                    break;
                }
            }
        }
        if search.stopped {
            return Err(cancelled(search.walked));
        }
        Ok(search.found)
    }
}

/// One search for the previous tag: what it has found, and whether the walk goes on.
struct Search<'a> {
    /// The best candidate tag (its index) on each commit that has one.
    best_at: &'a HashMap<Oid, usize>,
    /// The highest candidate: found, nothing can beat it.
    top: usize,
    control: WalkControl<'a>,
    found: Option<usize>,
    walked: u64,
    stopped: bool,
}

impl Search<'_> {
    fn visit(&mut self, oid: Oid) -> bool {
        self.walked += 1;
        if self.walked.is_multiple_of(4096) && self.control.cancelled() {
            self.stopped = true;
            return false;
        }
        match self.best_at.get(&oid) {
            Some(&i) => {
                self.found = Some(self.found.map_or(i, |f| f.max(i)));
                i != self.top
            }
            None => true,
        }
    }
}
