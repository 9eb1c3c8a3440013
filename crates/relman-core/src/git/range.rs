//! The commits of a release: `from` (exclusive) .. `to` (inclusive), walked once, newest first.

use git2::{DiffOptions, Oid, Sort};

use super::{other, Commit, Repo, TagPattern};
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
            None => match pattern.map(|p| self.previous_tag(p, to)).transpose()?.flatten() {
                Some(tag) => (Some(tag.name), Some(tag.commit)),
                None => (None, None),
            },
        };
        if let Some(from) = from {
            let ancestor = from == to || self.git().graph_descendant_of(to, from).map_err(other)?;
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
        let commits = self.commits_between(from, to, options)?;
        Ok(CommitRange {
            from: from_name,
            from_sha: from.map(|o| o.to_string()),
            to: to_name,
            to_sha: to.to_string(),
            commits,
        })
    }

    fn commits_between(&self, from: Option<Oid>, to: Oid, options: &RangeOptions) -> Result<Vec<Commit>> {
        let repo = self.git();
        let mut walk = repo.revwalk().map_err(other)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).map_err(other)?;
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
        let mut commits = Vec::new();
        for oid in walk {
            let commit = repo.find_commit(oid.map_err(other)?).map_err(other)?;
            if !options.include_merges && commit.parent_count() > 1 {
                continue;
            }
            if let Some(diff_options) = diff_options.as_mut() {
                if !touches(repo, &commit, diff_options)? {
                    continue;
                }
            }
            commits.push(Commit::from_git(&commit));
        }
        Ok(commits)
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
