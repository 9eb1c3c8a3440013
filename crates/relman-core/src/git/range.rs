//! The commits of a release, with git's own meaning of `from..to`: every commit in `to`'s history
//! that is not in `from`'s, walked once, newest first.
//!
//! `from` need not be an ancestor of `to`. A project that tags 20.0.0 on its 20.0.x branch and 21.0.0
//! on main has the range 20.0.0..21.0.0; its [`CommitRange::merge_base`] says where the two histories
//! meet, and the commits whose patch already shipped on `from`'s side (backports, `backports.rs`) are
//! left out unless asked for. Only ends that do not resolve, or share no history at all, are refused.
//!
//! [`WalkControl`] carries what a long walk needs from its caller: progress, cancellation, and the
//! app's [`RangeCache`] (`cache.rs`), with which a walk reads only the commits it has not read before.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use git2::{DiffOptions, ErrorCode as GitCode, Oid, Sort};
use serde::Serialize;
use ts_rs::TS;

use super::cache::{Parsed, RangeKey, Walked};
use super::commit::RawCommit;
use super::{backports, diff_to_first_parent, other, Commit, RangeCache, Repo, TagIndex, TagPattern};
use crate::{Error, GitProblem, Result};

/// Commits per message sent to the parsing thread.
const BATCH: usize = 256;
/// Commits walked between two progress reports.
const PROGRESS_EVERY: u64 = 2_000;

/// How to walk a range. Empty `from`/`to` take the defaults: the previous release tag, and HEAD.
#[derive(Debug, Clone, Default)]
pub struct RangeOptions {
    pub from: Option<String>,
    pub to: Option<String>,
    pub include_merges: bool,
    pub first_parent: bool,
    /// Only commits touching these paths (prefixes, as git pathspecs), for monorepos.
    pub paths: Vec<String>,
    /// The default `from` skips pre-release tags: the notes of a final release cover its release
    /// candidates too.
    pub final_release: bool,
    /// Keep the commits whose patch already shipped on `from`'s side in `commits` (they are always
    /// listed in [`CommitRange::shipped`]).
    pub show_shipped: bool,
}

/// A walked range: its resolved ends and its commits, newest first.
#[derive(Debug, Clone)]
pub struct CommitRange {
    /// The `from` as given or defaulted (a tag name, a ref, or None for "from the first commit").
    pub from: Option<String>,
    pub from_sha: Option<String>,
    pub to: String,
    pub to_sha: String,
    /// Where `from`'s and `to`'s histories meet, when `from` is not in `to`'s history (a release
    /// branch); None when it is.
    pub merge_base: Option<String>,
    pub commits: Vec<Commit>,
    /// Commits of the range whose patch is already in `from` (cherry-picked onto its branch); in
    /// `commits` only with [`RangeOptions::show_shipped`].
    pub shipped: Vec<Shipped>,
}

/// A commit of the range whose change already shipped: `sha` in the range, `as_sha` on `from`'s side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Shipped {
    pub sha: String,
    pub as_sha: String,
    /// The first release tag on `from`'s side that holds `as_sha`, when one does.
    pub release: Option<String>,
}

/// How far a walk has got, as the app's progress event and the CLI's progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct WalkProgress {
    /// Commits read so far.
    pub walked: u64,
}

/// What a walk needs from its caller; the default is a plain walk with no cache, progress or cancel.
#[derive(Clone, Copy, Default)]
pub struct WalkControl<'a> {
    pub cache: Option<&'a RangeCache>,
    pub progress: Option<&'a dyn Fn(WalkProgress)>,
    /// Set by another thread to stop the walk; it then fails with [`crate::ErrorCode::Cancelled`].
    pub cancel: Option<&'a AtomicBool>,
}

impl WalkControl<'_> {
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// The error of a walk stopped by the person after `count` commits.
pub(crate) fn cancelled(count: u64) -> Error {
    let after = if count > 0 { format!(" after {count}") } else { String::new() };
    Error::git(
        GitProblem::Cancelled,
        format!("Reading the commits was cancelled{after}; regenerate to read them again."),
    )
}

/// The commits one walk read: those kept (after the filters), newest first, and what it saw of the
/// hidden ends.
struct Fresh {
    kept: Vec<Arc<Parsed>>,
    read: Vec<Arc<Parsed>>,
    reached_from: bool,
    reached_stop: bool,
}

impl Repo {
    /// Walks the range, reading the tags matching `pattern` for the default `from`.
    pub fn walk(&self, options: &RangeOptions, pattern: Option<&TagPattern>) -> Result<CommitRange> {
        let tags = pattern.map(|p| self.tag_index(p)).transpose()?;
        self.walk_with(options, tags.as_ref(), WalkControl::default())
    }

    /// Where a walk to `to` starts, by name and commit: `options.from`, else the previous release tag
    /// of `to` that `tags` holds; none when there is neither (the walk reads all of `to`'s history).
    pub(crate) fn range_start(
        &self,
        options: &RangeOptions,
        to: Oid,
        tags: Option<&TagIndex>,
        control: WalkControl<'_>,
    ) -> Result<(Option<String>, Option<Oid>)> {
        if let Some(name) = options.from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            return Ok((Some(name.to_string()), Some(self.resolve(name)?)));
        }
        let previous = tags.map(|t| t.previous_with(self, to, options.final_release, control)).transpose()?.flatten();
        Ok(previous.map_or((None, None), |tag| (Some(tag.name.clone()), Some(tag.commit))))
    }

    /// Walks the range. `tags` gives the default `from` (the previous release tag of `to`) and names
    /// the releases that shipped a backport.
    pub fn walk_with(
        &self,
        options: &RangeOptions,
        tags: Option<&TagIndex>,
        control: WalkControl<'_>,
    ) -> Result<CommitRange> {
        // A walk cancelled before it starts does not start, even when the cache could answer at once.
        if control.cancelled() {
            return Err(cancelled(0));
        }
        let to_name = options.to.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "HEAD".to_string());
        let to = self.resolve(&to_name)?;
        let (from_name, from) = self.range_start(options, to, tags, control)?;
        let key = RangeKey {
            from,
            include_merges: options.include_merges,
            first_parent: options.first_parent,
            paths: options.paths.clone(),
        };
        let (mut kept, reached_from) = self.range_commits(&key, to, options, control)?;
        let merge_bases = match from {
            Some(from) if from != to && !reached_from => self.meeting_point(from, to, &from_name, &to_name, options)?,
            _ => Vec::new(),
        };
        let shipped = match from {
            Some(from) if !merge_bases.is_empty() => backports::find(self, from, &merge_bases, &kept, tags, control)?,
            _ => Vec::new(),
        };
        let merge_base = merge_bases.first();
        if !options.show_shipped && !shipped.is_empty() {
            let left_out: std::collections::HashSet<&str> = shipped.iter().map(|s| s.sha.as_str()).collect();
            kept.retain(|p| !left_out.contains(p.commit.sha.as_str()));
        }
        Ok(CommitRange {
            from: from_name,
            from_sha: from.map(|o| o.to_string()),
            to: to_name,
            to_sha: to.to_string(),
            merge_base: merge_base.map(|o| o.to_string()),
            commits: kept.iter().map(|p| p.commit.clone()).collect(),
            shipped,
        })
    }

    /// For a `from` the walk did not meet: none when it is in `to`'s history after all (a first-parent
    /// walk skips side parents), else the merge bases, the best first (more than one after criss-cross
    /// merges); two histories that never meet are refused.
    fn meeting_point(
        &self,
        from: Oid,
        to: Oid,
        from_name: &Option<String>,
        to_name: &str,
        options: &RangeOptions,
    ) -> Result<Vec<Oid>> {
        let git = self.git();
        if options.first_parent {
            self.count_query();
            if git.graph_descendant_of(to, from).map_err(other)? {
                return Ok(Vec::new());
            }
        }
        self.count_query();
        match git.merge_bases(from, to) {
            Ok(bases) => Ok(bases.iter().copied().collect()),
            Err(e) if e.code() == GitCode::NotFound => Err(Error::git(
                GitProblem::UnknownRef,
                format!(
                    "{} and {to_name} share no history, so there is no range between them; pick a `from` that \
                     {to_name} has in common with it (a release tag of the same project).",
                    from_name.as_deref().unwrap_or("from")
                ),
            )),
            Err(e) => Err(other(e)),
        }
    }

    /// The commits of `from..to` kept by the filters, newest first, and whether any has `from` as a
    /// parent. With a cache, a range walked before to an ancestor of `to` is extended by the new
    /// commits only.
    fn range_commits(
        &self,
        key: &RangeKey,
        to: Oid,
        options: &RangeOptions,
        control: WalkControl<'_>,
    ) -> Result<(Vec<Arc<Parsed>>, bool)> {
        let Some(cache) = control.cache else {
            let fresh = self.walk_commits(key.from, None, to, options, control)?;
            return Ok((fresh.kept, fresh.reached_from));
        };
        let path = self.path();
        if let Some(old) = cache.range(path, key) {
            let extended = if old.to == to {
                Some((Vec::new(), false))
            } else {
                let fresh = self.walk_commits(key.from, Some(old.to), to, options, control)?;
                cache.keep_commits(path, fresh.read);
                fresh.reached_stop.then_some((fresh.kept, fresh.reached_from))
            };
            if let Some((mut kept, reached_from)) = extended {
                let known: Option<Vec<Arc<Parsed>>> = cache.commits(path, &old.oids).into_iter().collect();
                if let Some(known) = known {
                    kept.extend(known);
                    newest_first(&mut kept);
                    let reached_from = reached_from || old.reached_from;
                    let oids = kept.iter().filter_map(|p| Oid::from_str(&p.commit.sha).ok()).collect();
                    cache.keep_range(path, key.clone(), Walked { to, oids, reached_from });
                    return Ok((kept, reached_from));
                }
            }
        }
        let fresh = self.walk_commits(key.from, None, to, options, control)?;
        let oids = fresh.kept.iter().filter_map(|p| Oid::from_str(&p.commit.sha).ok()).collect();
        cache.keep_commits(path, fresh.read);
        cache.keep_range(path, key.clone(), Walked { to, oids, reached_from: fresh.reached_from });
        Ok((fresh.kept, fresh.reached_from))
    }

    /// One walk of `to`'s history without `from`'s and `stop`'s. Commits the cache already holds are
    /// not parsed again; the others are parsed on a second thread while this one walks, so a large
    /// range takes little more than reading it.
    fn walk_commits(
        &self,
        from: Option<Oid>,
        stop: Option<Oid>,
        to: Oid,
        options: &RangeOptions,
        control: WalkControl<'_>,
    ) -> Result<Fresh> {
        let (batches, parsing) = mpsc::sync_channel::<Vec<(RawCommit, Vec<Oid>, i64)>>(16);
        std::thread::scope(|scope| {
            let parser = scope.spawn(move || {
                parsing
                    .into_iter()
                    .flatten()
                    .map(|(raw, parents, committed)| Arc::new(Parsed { commit: raw.parse(), parents, committed }))
                    .collect::<Vec<_>>()
            });
            let ends = Ends { from, stop, to, first_parent: options.first_parent };
            let visited = self.visit(ends, options, control, batches);
            let parsed = parser.join().map_err(|_| {
                Error::git(
                    GitProblem::Other,
                    "Parsing commit messages failed unexpectedly; please report this with the repository's history.",
                )
            })?;
            let visited = visited?;
            let mut fresh = parsed.iter().cloned();
            let mut kept: Vec<Arc<Parsed>> =
                visited.order.into_iter().filter_map(|slot| slot.or_else(|| fresh.next())).collect();
            newest_first(&mut kept);
            Ok(Fresh { kept, read: parsed, reached_from: visited.reached_from, reached_stop: visited.reached_stop })
        })
    }

    /// The walking half of [`Repo::walk_commits`]: reads each commit (or takes it from the cache),
    /// applies the filters, and sends what needs parsing to `parser`.
    fn visit(
        &self,
        ends: Ends,
        options: &RangeOptions,
        control: WalkControl<'_>,
        parser: mpsc::SyncSender<Vec<(RawCommit, Vec<Oid>, i64)>>,
    ) -> Result<Visited> {
        let repo = self.git();
        self.count_query();
        let mut walk = repo.revwalk().map_err(other)?;
        walk.set_sorting(Sort::NONE).map_err(other)?;
        if options.first_parent {
            walk.simplify_first_parent().map_err(other)?;
        }
        walk.push(ends.to).map_err(other)?;
        // The newer hidden end first: libgit2 starts from its list in the order given, and hiding
        // `from` first paints all of `from`'s history before it reaches the one new commit (60 ms
        // instead of 0.2 ms on a 19k-commit history).
        for hidden in ends.stop.iter().chain(ends.from.iter()) {
            walk.hide(*hidden).map_err(other)?;
        }
        let mut diff_options = (!options.paths.is_empty()).then(|| {
            let mut o = DiffOptions::new();
            for path in &options.paths {
                o.pathspec(path);
            }
            o
        });
        let mut visited = Visited::default();
        let mut batch = Vec::with_capacity(BATCH);
        let mut count: u64 = 0;
        for oid in walk {
            let oid = oid.map_err(other)?;
            count += 1;
            if (count == 1 || count.is_multiple_of(BATCH as u64)) && control.cancelled() {
                return Err(cancelled(count));
            }
            if let (true, Some(progress)) = (count.is_multiple_of(PROGRESS_EVERY), control.progress) {
                progress(WalkProgress { walked: count });
            }
            // A cached commit needs no reading, unless the path filter must diff it.
            let known = match (control.cache, &diff_options) {
                (Some(cache), None) => cache.commit(self.path(), oid),
                _ => None,
            };
            if let Some(parsed) = known {
                visited.saw_parents(&ends, &parsed.parents);
                if options.include_merges || parsed.parents.len() <= 1 {
                    visited.order.push(Some(parsed));
                }
                continue;
            }
            let commit = repo.find_commit(oid).map_err(other)?;
            let parents: Vec<Oid> = commit.parent_ids().collect();
            visited.saw_parents(&ends, &parents);
            if !options.include_merges && parents.len() > 1 {
                continue;
            }
            if let Some(diff_options) = diff_options.as_mut() {
                if !touches(repo, &commit, diff_options)? {
                    continue;
                }
            }
            batch.push((RawCommit::read(&commit), parents, commit.time().seconds()));
            visited.order.push(None);
            if batch.len() == BATCH {
                // A send fails only if the parser is gone, which its join reports.
                let _ = parser.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        }
        let _ = parser.send(batch);
        Ok(visited)
    }
}

/// The ends of one walk: from `to`, without `from`'s history nor `stop`'s.
struct Ends {
    from: Option<Oid>,
    stop: Option<Oid>,
    to: Oid,
    /// A first-parent walk reaches `stop` only through first parents: a branch merged in as a second
    /// parent does not make the old end part of the new first-parent history.
    first_parent: bool,
}

/// The one order of a range, whether walked fresh or extended from the cache: newest commit first
/// (committer time, as git log), ties by SHA.
fn newest_first(commits: &mut [Arc<Parsed>]) {
    commits.sort_by(|a, b| b.committed.cmp(&a.committed).then_with(|| a.commit.sha.cmp(&b.commit.sha)));
}

/// What the walking half saw: each kept commit in walk order (already parsed, or None for the next
/// one the parser hands back), and whether the hidden ends were met as parents.
#[derive(Default)]
struct Visited {
    order: Vec<Option<Arc<Parsed>>>,
    reached_from: bool,
    reached_stop: bool,
}

impl Visited {
    fn saw_parents(&mut self, ends: &Ends, parents: &[Oid]) {
        self.reached_from = self.reached_from || ends.from.is_some_and(|f| parents.contains(&f));
        let followed = if ends.first_parent { &parents[..parents.len().min(1)] } else { parents };
        self.reached_stop = self.reached_stop || ends.stop.is_some_and(|s| followed.contains(&s));
    }
}

/// Whether a commit changes anything under the pathspec, compared with its first parent.
fn touches(repo: &git2::Repository, commit: &git2::Commit<'_>, options: &mut DiffOptions) -> Result<bool> {
    Ok(diff_to_first_parent(repo, commit, Some(options))?.deltas().len() > 0)
}
