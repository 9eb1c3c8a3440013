//! A product's git repository. Reading: tags that name releases, the commit range of a release, each
//! commit parsed as a Conventional Commit, and the next version the range calls for. Writing: a
//! release tag, planned then created (`tag.rs`), and pushed to a remote (`push.rs`).
//!
//! Reading at scale: release tags are answered from one walk (`reach.rs`), never one query per tag; a
//! range is git's own `from..to`, with backports already shipped on `from`'s side left out
//! (`backports.rs`); long walks report progress and can be cancelled, and the app keeps walked ranges
//! in a [`RangeCache`] so that regenerating after a new commit reads only that commit (`cache.rs`).
//!
//! Everything starts from [`Repo::open`]. libgit2's errors become [`Error::Git`] with a [`GitProblem`],
//! or [`Error::Push`] with a [`crate::PushProblem`], for the UI to branch on. Only `push.rs` touches
//! the network.

mod backports;
mod cache;
pub(crate) mod commit;
mod graph;
mod next;
mod push;
mod range;
mod reach;
mod tag;
mod tags;

pub use cache::RangeCache;

pub use commit::{Commit, Person};
pub use next::{next_version, Bump, NextVersion};
pub(crate) use push::redact_url;
pub(crate) use push::{asker_callbacks, host_of, is_unreachable, looks_like_url, proxy, Asker, Refusal};
pub use push::{Credential, CredentialKinds, PushProgress, RemoteInfo};
pub use range::{CommitRange, RangeOptions, Shipped, WalkControl, WalkProgress};
pub use reach::TagIndex;
pub use tag::TagPlan;
pub use tags::{Tag, TagPattern};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::{ErrorCode as GitCode, Oid, Repository};

use crate::{Error, GitProblem, Result};

/// Tells libgit2, before its first use in this process, that the process will open no network
/// connection, so that it skips loading the system's CA certificates.
///
/// libgit2 is built with HTTPS for tag pushes and, when it initialises, has OpenSSL parse the whole CA
/// bundle (about 140 certificates): 30–40 ms, most of the time of a command that lists a small range.
/// Pointing `SSL_CERT_FILE` at an empty file skips that; the certificate folder is still looked up,
/// lazily, and a connection that were made anyway would fail its verification rather than skip it.
///
/// Call it first thing in `main`, before any other thread starts, and only for commands that read
/// local repositories (notes, the next version, risk suggestions). Does nothing where libgit2 does not
/// use OpenSSL.
pub fn no_network_in_this_process() {
    // Also over a bundle the user named: it matters only to connections, and this process makes none.
    #[cfg(all(unix, not(target_os = "macos")))]
    std::env::set_var("SSL_CERT_FILE", "/dev/null");
}

/// An open, non-bare repository with at least one commit.
pub struct Repo {
    inner: Repository,
    path: PathBuf,
    /// Walks and graph queries made so far (see [`Repo::reachability_queries`]).
    queries: AtomicUsize,
}

impl Repo {
    pub fn open(path: &Path) -> Result<Self> {
        // libgit2 re-hashes every object it reads unless told not to; git itself does not, and for
        // reading one's own repository the check costs a fifth of a large walk.
        git2::opts::strict_hash_verification(false);
        let shown = path.display();
        if !path.exists() {
            return Err(Error::git(
                GitProblem::NotARepository,
                format!("{shown} does not exist; give the folder of a local git clone."),
            ));
        }
        let inner = Repository::open(path).map_err(|e| {
            Error::git(
                GitProblem::NotARepository,
                format!("{shown} is not a git repository ({}); give the folder that holds .git.", e.message()),
            )
        })?;
        if inner.is_bare() {
            return Err(Error::git(
                GitProblem::NotARepository,
                format!("{shown} is a bare repository; give a working clone of it instead."),
            ));
        }
        match inner.head() {
            Err(e) if e.code() == GitCode::UnbornBranch => {
                return Err(Error::git(
                    GitProblem::EmptyRepository,
                    format!("{shown} has no commits yet; commit something before planning a release from it."),
                ))
            }
            Err(e) => return Err(other(e)),
            Ok(_) => {}
        }
        Ok(Self { inner, path: path.to_path_buf(), queries: AtomicUsize::new(0) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn git(&self) -> &Repository {
        &self.inner
    }

    /// How many history walks and graph queries (merge bases, ancestry) this handle has made. Tests
    /// use it to show that the work does not grow with the number of tags.
    pub fn reachability_queries(&self) -> usize {
        self.queries.load(Ordering::Relaxed)
    }

    pub(crate) fn count_query(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// Resolves a branch, tag, SHA or any revision (`HEAD~3`) to the commit it names.
    pub fn resolve(&self, rev: &str) -> Result<Oid> {
        let object = self.inner.revparse_single(rev).map_err(|_| {
            Error::git(
                GitProblem::UnknownRef,
                format!(
                    "\"{rev}\" does not name a commit in {}; use a tag, branch or SHA that exists.",
                    self.path.display()
                ),
            )
        })?;
        object.peel_to_commit().map(|c| c.id()).map_err(|_| {
            Error::git(
                GitProblem::UnknownRef,
                format!("\"{rev}\" does not point at a commit; use a tag, branch or SHA."),
            )
        })
    }

    pub fn short_id(&self, oid: Oid) -> String {
        oid.to_string()[..7].to_string()
    }

    /// The local branches, by name.
    pub fn branches(&self) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for branch in self.inner.branches(Some(git2::BranchType::Local)).map_err(other)? {
            let (branch, _) = branch.map_err(other)?;
            if let Ok(Some(name)) = branch.name() {
                names.push(name.to_string());
            }
        }
        names.sort();
        Ok(names)
    }
}

/// The calendar day of a git time where it was recorded: its own UTC offset, not the machine's (a
/// committer's day, as the code-freeze rules read it).
/// An offset git accepted but chrono cannot hold (beyond ±24 h) is read as UTC.
pub(crate) fn local_day(time: git2::Time) -> chrono::NaiveDate {
    use chrono::{DateTime, FixedOffset, Offset, Utc};
    let utc = DateTime::from_timestamp(time.seconds(), 0).unwrap_or_default();
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60).unwrap_or(Utc.fix());
    utc.with_timezone(&offset).date_naive()
}

/// One commit of a range committed after a day (the code freeze), with the day it was committed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct LateCommit {
    pub sha: String,
    pub short_sha: String,
    pub summary: String,
    pub author: String,
    /// `YYYY-MM-DD`, in the committer's own time zone.
    pub committed_on: String,
}

impl Repo {
    /// The commits of `commits` committed (committer date, in the committer's time zone) after `day`;
    /// the day itself is still allowed.
    pub fn committed_after(&self, commits: &[Commit], day: chrono::NaiveDate) -> Result<Vec<LateCommit>> {
        let mut late = Vec::new();
        for c in commits {
            let found = self.inner.find_commit(Oid::from_str(&c.sha).map_err(other)?).map_err(other)?;
            let committed = local_day(found.committer().when());
            if committed > day {
                late.push(LateCommit {
                    sha: c.sha.clone(),
                    short_sha: c.short_sha.clone(),
                    summary: c.summary.clone(),
                    author: format!("{} <{}>", c.author.name, c.author.email),
                    committed_on: committed.format("%Y-%m-%d").to_string(),
                });
            }
        }
        Ok(late)
    }

    /// Whether `commit` is `tip` or in its history.
    pub fn contains(&self, tip: Oid, commit: Oid) -> Result<bool> {
        self.count_query();
        Ok(tip == commit || self.inner.graph_descendant_of(tip, commit).map_err(other)?)
    }

    /// The checked-out commit and the working copy's changes (tracked files changed or staged, and
    /// untracked files that are not ignored), as paths; None for a bare repository.
    pub fn working_copy(&self) -> Result<Option<(Option<Oid>, Vec<String>)>> {
        if self.inner.is_bare() {
            return Ok(None);
        }
        let head = self.inner.head().ok().and_then(|h| h.peel_to_commit().ok()).map(|c| c.id());
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).include_ignored(false).recurse_untracked_dirs(false);
        let statuses = self.inner.statuses(Some(&mut options)).map_err(other)?;
        let changed = statuses.iter().filter_map(|s| s.path().ok().map(str::to_string)).collect();
        Ok(Some((head, changed)))
    }
}

/// A commit's change: its tree against its first parent's (the empty tree for a root commit).
pub(crate) fn diff_to_first_parent<'r>(
    git: &'r Repository,
    commit: &git2::Commit<'_>,
    options: Option<&mut git2::DiffOptions>,
) -> Result<git2::Diff<'r>> {
    let tree = commit.tree().map_err(other)?;
    let parent = match commit.parent_count() {
        0 => None,
        _ => Some(commit.parent(0).map_err(other)?.tree().map_err(other)?),
    };
    git.diff_tree_to_tree(parent.as_ref(), Some(&tree), options).map_err(other)
}

/// Runs `work` over `items` split across the machine's cores (at most four), each part on its own
/// handle of the repository `git` (libgit2's handles are not shared between threads); the results come
/// back in the order of the parts. Fewer than `min` items, or one core, run on `git` itself. `what`
/// names the work for the error a panicking part gives.
pub(crate) fn on_cores<T: Sync, R: Send>(
    git: &Repository,
    items: &[T],
    min: usize,
    what: &str,
    work: impl Fn(&Repository, &[T]) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    if threads == 1 || items.len() < min.max(2) {
        return Ok(vec![work(git, items)?]);
    }
    let path = git.path();
    let work = &work;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || work(&Repository::open(path).map_err(other)?, part)))
            .collect();
        parts
            .into_iter()
            .map(|part| {
                part.join().map_err(|_| {
                    Error::git(
                        GitProblem::Other,
                        format!("{what} failed unexpectedly; please report this with the repository's history."),
                    )
                })?
            })
            .collect()
    })
}

pub(crate) fn other(e: git2::Error) -> Error {
    Error::git(GitProblem::Other, format!("Reading the repository failed: {}.", e.message()))
}
