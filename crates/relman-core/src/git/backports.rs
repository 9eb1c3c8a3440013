//! Backports listed once. In a release-branch range (`from` not in `to`'s history), a commit of
//! `from..to` whose patch is already in `from` — cherry-picked onto the release branch — is not a new
//! change of `to`. This finds them the way `git rev-list --cherry-pick` does, by patch-id, but
//! computes patch-ids only for candidate pairs: a cherry-pick keeps its author and author date, so
//! only commits of the two sides that share both are compared. The cost stays that of walking the
//! (usually short) `from` side once, plus one diff per candidate.
//!
//! The same walk names the release each backport shipped in: the `from` side is walked children
//! before parents, and each commit takes the lowest-versioned release tag among its own and its
//! children's.
//!
//! A cherry-pick whose author was changed, or whose patch had to be adjusted, is not matched: its
//! change differs, so it is listed, as git lists it.

use std::collections::HashMap;
use std::sync::Arc;

use git2::{Oid, Sort};

use super::cache::Parsed;
use super::{other, Repo, Shipped, Tag, TagIndex};
use crate::Result;

/// Who wrote a commit and when: what a cherry-pick keeps.
type AuthorKey = (String, i64);

/// The commits of `from..to` (in `range`) whose patch-id equals that of a commit of `to..from`.
pub(super) fn find(
    repo: &Repo,
    from: Oid,
    to: Oid,
    range: &[Arc<Parsed>],
    tags: Option<&TagIndex>,
) -> Result<Vec<Shipped>> {
    let git = repo.git();
    repo.count_query();
    let mut walk = git.revwalk().map_err(other)?;
    walk.set_sorting(Sort::TOPOLOGICAL).map_err(other)?;
    walk.push(from).map_err(other)?;
    walk.hide(to).map_err(other)?;
    let mut candidates: HashMap<AuthorKey, Vec<Oid>> = HashMap::new();
    let mut shipped_in: HashMap<Oid, &Tag> = HashMap::new();
    for oid in walk {
        let oid = oid.map_err(other)?;
        let commit = git.find_commit(oid).map_err(other)?;
        let own = tags.and_then(|t| t.at(oid).last());
        let label = match (own, shipped_in.get(&oid).copied()) {
            (Some(a), Some(b)) => Some(if a.key <= b.key { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(label) = label {
            shipped_in.insert(oid, label);
            for parent in commit.parent_ids() {
                let slot = shipped_in.entry(parent).or_insert(label);
                if label.key < slot.key {
                    *slot = label;
                }
            }
        }
        if commit.parent_count() <= 1 {
            candidates.entry(author_key(&commit)).or_default().push(oid);
        }
    }
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let mut patch_ids: HashMap<Oid, Option<Oid>> = HashMap::new();
    let mut found = Vec::new();
    for parsed in range.iter().filter(|p| p.parents.len() <= 1) {
        let author = &parsed.commit.author;
        let key = (author.email.to_ascii_lowercase(), parsed.commit.time);
        let Some(picks) = candidates.get(&key) else { continue };
        let Ok(oid) = Oid::from_str(&parsed.commit.sha) else { continue };
        let Some(own) = patch_id(repo, oid, &mut patch_ids)? else { continue };
        for pick in picks {
            if patch_id(repo, *pick, &mut patch_ids)? == Some(own) {
                found.push(Shipped {
                    sha: parsed.commit.sha.clone(),
                    as_sha: pick.to_string(),
                    release: shipped_in.get(pick).map(|t| t.name.clone()),
                });
                break;
            }
        }
    }
    Ok(found)
}

fn author_key(commit: &git2::Commit<'_>) -> AuthorKey {
    let author = commit.author();
    (String::from_utf8_lossy(author.email_bytes()).to_ascii_lowercase(), author.when().seconds())
}

/// The patch-id of a commit's change against its first parent, as `git patch-id` computes it; None
/// for a commit that changes nothing.
fn patch_id(repo: &Repo, oid: Oid, memo: &mut HashMap<Oid, Option<Oid>>) -> Result<Option<Oid>> {
    if let Some(known) = memo.get(&oid) {
        return Ok(*known);
    }
    let git = repo.git();
    let commit = git.find_commit(oid).map_err(other)?;
    let tree = commit.tree().map_err(other)?;
    let parent_tree = match commit.parent(0) {
        Ok(parent) => Some(parent.tree().map_err(other)?),
        Err(_) => None,
    };
    let diff = git.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None).map_err(other)?;
    let id = if diff.deltas().len() == 0 { None } else { Some(diff.patchid(None).map_err(other)?) };
    memo.insert(oid, id);
    Ok(id)
}
