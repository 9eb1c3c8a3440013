//! The commits of a release: `from` (exclusive) .. `to` (inclusive), walked once, newest first.

use git2::{DiffOptions, Oid, Sort};

use std::sync::mpsc;

use super::commit::RawCommit;
use super::{other, Commit, Repo, TagPattern};

/// Commits per message sent to the parsing thread.
const BATCH: usize = 256;
use crate::{Error, GitProblem, Result};

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
}

/// A walked range: its resolved ends and its commits, newest first.
#[derive(Debug, Clone)]
pub struct CommitRange {
    /// The `from` as given or defaulted (a tag name, a ref, or None for "from the first commit").
    pub from: Option<String>,
    pub from_sha: Option<String>,
    pub to: String,
    pub to_sha: String,
    pub commits: Vec<Commit>,
}

impl Repo {
    /// Walks the range. `pattern` finds the default `from` (the previous release tag of `to`).
    pub fn walk(&self, options: &RangeOptions, pattern: Option<&TagPattern>) -> Result<CommitRange> {
        let to_name = options.to.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "HEAD".to_string());
        let to = self.resolve(&to_name)?;
        let (from_name, from) = match options.from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            Some(name) => (Some(name.to_string()), Some(self.resolve(name)?)),
            None => match pattern.map(|p| self.previous_tag(p, to, options.final_release)).transpose()?.flatten() {
                Some(tag) => (Some(tag.name), Some(tag.commit)),
                None => (None, None),
            },
        };
        let (commits, reached_from) = self.commits_between(from, to, options)?;
        if let Some(from) = from {
            // The walk saw `from` as a parent exactly when `from` is on `to`'s history; only a
            // first-parent walk, which skips side parents, needs the graph asked separately.
            let ancestor = from == to
                || reached_from
                || (options.first_parent && self.git().graph_descendant_of(to, from).map_err(other)?);
            if !ancestor {
                return Err(Error::git(
                    GitProblem::UnknownRef,
                    format!(
                        "{} is not an ancestor of {to_name}, so there is no range between them; pick a `from` on {to_name}'s history.",
                        from_name.as_deref().unwrap_or("from")
                    ),
                ));
            }
        }
        Ok(CommitRange {
            from: from_name,
            from_sha: from.map(|o| o.to_string()),
            to: to_name,
            to_sha: to.to_string(),
            commits,
        })
    }

    /// The commits, and whether any of them has `from` as a parent.
    fn commits_between(&self, from: Option<Oid>, to: Oid, options: &RangeOptions) -> Result<(Vec<Commit>, bool)> {
        let repo = self.git();
        let mut walk = repo.revwalk().map_err(other)?;
        walk.set_sorting(Sort::NONE).map_err(other)?;
        if options.first_parent {
            walk.simplify_first_parent().map_err(other)?;
        }
        walk.push(to).map_err(other)?;
        if let Some(from) = from {
            walk.hide(from).map_err(other)?;
        }
        let mut diff_options = (!options.paths.is_empty()).then(|| {
            let mut o = DiffOptions::new();
            for path in &options.paths {
                o.pathspec(path);
            }
            o
        });
        // Reading objects and parsing messages cost about the same; a second thread parses batches
        // while this one walks, so a large range takes little more than reading it.
        let (batches, parsing) = mpsc::sync_channel::<Vec<RawCommit>>(16);
        std::thread::scope(|scope| {
            let parser =
                scope.spawn(move || parsing.into_iter().flatten().map(RawCommit::parse).collect::<Vec<Commit>>());
            let walked = (|| -> Result<bool> {
                let mut reached_from = false;
                let mut batch = Vec::with_capacity(BATCH);
                for oid in walk {
                    let commit = repo.find_commit(oid.map_err(other)?).map_err(other)?;
                    reached_from = reached_from || from.is_some_and(|f| commit.parent_ids().any(|p| p == f));
                    if !options.include_merges && commit.parent_count() > 1 {
                        continue;
                    }
                    if let Some(diff_options) = diff_options.as_mut() {
                        if !touches(repo, &commit, diff_options)? {
                            continue;
                        }
                    }
                    batch.push(RawCommit::read(&commit));
                    if batch.len() == BATCH {
                        // A send fails only if the parser is gone, which join reports below.
                        let _ = batches.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                    }
                }
                let _ = batches.send(batch);
                Ok(reached_from)
            })();
            drop(batches);
            let parsed = parser.join().map_err(|_| {
                Error::git(
                    GitProblem::Other,
                    "Parsing commit messages failed unexpectedly; please report this with the repository's history.",
                )
            });
            Ok((parsed?, walked?))
        })
    }
}

/// Whether a commit changes anything under the pathspec, compared with its first parent.
fn touches(repo: &git2::Repository, commit: &git2::Commit<'_>, options: &mut DiffOptions) -> Result<bool> {
    let tree = commit.tree().map_err(other)?;
    let parent_tree = match commit.parent(0) {
        Ok(parent) => Some(parent.tree().map_err(other)?),
        Err(_) => None,
    };
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(options)).map_err(other)?;
    Ok(diff.deltas().len() > 0)
}
