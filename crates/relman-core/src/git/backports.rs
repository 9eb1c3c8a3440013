//! Backports listed once. In a release-branch range (`from` not in `to`'s history), a commit of
//! `from..to` whose patch is already in `from` — cherry-picked onto the release branch — is not a new
//! change of `to`. This finds them the way `git rev-list --cherry-pick` does, by patch-id, but
//! computes patch-ids only for candidate pairs: a cherry-pick keeps its author and author date, so
//! only commits of the two sides that share both are compared. The cost stays that of walking the
//! (usually short) `from` side once, plus one diff per candidate.
//!
//! The same walk names the release each backport shipped in: the `from` side is walked children
//! before parents, and each commit takes the lowest-versioned release tag among its own and its
//! children's, a final release before any pre-release.
//!
//! A cherry-pick whose author was changed, or whose patch had to be adjusted, is not matched: its
//! change differs, so it is listed, as git lists it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use git2::{Oid, Sort};

use super::cache::Parsed;
use super::range::cancelled;
use super::{diff_to_first_parent, on_cores, other, Repo, Shipped, Tag, TagIndex, WalkControl};
use crate::Result;

/// Who wrote a commit and when: what a cherry-pick keeps.
type AuthorKey = (String, i64);

/// The commits of `from..to` (in `range`) whose patch-id equals that of a commit of `to..from`.
/// `to..from` is walked as `from` less the merge bases of the two ends, the same commits (every commit
/// both ends have is in the history of a merge base), without painting `to`'s side of the range.
pub(super) fn find(
    repo: &Repo,
    from: Oid,
    merge_bases: &[Oid],
    range: &[Arc<Parsed>],
    tags: Option<&TagIndex>,
    control: WalkControl<'_>,
) -> Result<Vec<Shipped>> {
    let git = repo.git();
    repo.count_query();
    let mut walk = git.revwalk().map_err(other)?;
    walk.set_sorting(Sort::TOPOLOGICAL).map_err(other)?;
    walk.push(from).map_err(other)?;
    for base in merge_bases {
        walk.hide(*base).map_err(other)?;
    }
    let mut candidates: HashMap<AuthorKey, Vec<Oid>> = HashMap::new();
    let mut shipped_in: HashMap<Oid, &Tag> = HashMap::new();
    for (n, oid) in walk.enumerate() {
        if n % 256 == 255 && control.cancelled() {
            return Err(cancelled(n as u64 + 1));
        }
        let oid = oid.map_err(other)?;
        let commit = git.find_commit(oid).map_err(other)?;
        let own = tags.and_then(|t| t.at(oid).min_by(|a, b| rank(a).cmp(&rank(b))));
        let label = match (own, shipped_in.get(&oid).copied()) {
            (Some(a), Some(b)) => Some(if rank(a) <= rank(b) { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(label) = label {
            shipped_in.insert(oid, label);
            for parent in commit.parent_ids() {
                let slot = shipped_in.entry(parent).or_insert(label);
                if rank(label) < rank(slot) {
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
    // The candidate pairs, then every commit of them diffed once, on as many threads as there are
    // cores (each diff of a large file is xdiff's hashing of every line; the walk is not the cost).
    let pairs: Vec<(&Parsed, &Vec<Oid>, Oid)> = range
        .iter()
        .filter(|p| p.parents.len() <= 1)
        .filter_map(|p| {
            let key = (p.commit.author.email.to_ascii_lowercase(), p.commit.time);
            let picks = candidates.get(&key)?;
            Some((p.as_ref(), picks, Oid::from_str(&p.commit.sha).ok()?))
        })
        .collect();
    let mut needed: Vec<Oid> = pairs.iter().flat_map(|(_, picks, oid)| picks.iter().copied().chain([*oid])).collect();
    needed.sort();
    needed.dedup();
    let patch_ids = match control.cache {
        Some(cache) => {
            let mut known = cache.patch_ids(repo.path(), &needed);
            let missing: Vec<Oid> = needed.into_iter().filter(|o| !known.contains_key(o)).collect();
            let computed = patch_ids(repo, &missing, control.cancel)?;
            cache.keep_patch_ids(repo.path(), &computed);
            known.extend(computed);
            known
        }
        None => patch_ids(repo, &needed, control.cancel)?,
    };
    let mut found = Vec::new();
    for (parsed, picks, oid) in pairs {
        let Some(own) = patch_ids.get(&oid).copied().flatten() else { continue };
        if let Some(pick) = picks.iter().find(|pick| patch_ids.get(pick).copied().flatten() == Some(own)) {
            found.push(Shipped {
                sha: parsed.commit.sha.clone(),
                as_sha: pick.to_string(),
                release: shipped_in.get(pick).map(|t| t.name.clone()),
            });
        }
    }
    Ok(found)
}

/// Which of two releases a change is said to have shipped in: the earlier final release, and a
/// pre-release only when no final release holds it (a fix in 20.0.0-rc.1 shipped to users in 20.0.0).
fn rank(tag: &Tag) -> (bool, &semver::Version) {
    (!tag.key.pre.is_empty(), &tag.key)
}

fn author_key(commit: &git2::Commit<'_>) -> AuthorKey {
    let author = commit.author();
    (String::from_utf8_lossy(author.email_bytes()).to_ascii_lowercase(), author.when().seconds())
}

/// The patch-ids of `oids`, on every core; a set `cancel` flag stops each part before its next diff.
fn patch_ids(repo: &Repo, oids: &[Oid], cancel: Option<&AtomicBool>) -> Result<HashMap<Oid, Option<Oid>>> {
    let parts = on_cores(repo.git(), oids, 8, "Comparing patches", |git, part| {
        let mut ids = Vec::with_capacity(part.len());
        for (n, oid) in part.iter().enumerate() {
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(cancelled(n as u64));
            }
            ids.push((*oid, patch_id(git, *oid)?));
        }
        Ok(ids)
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// The patch-id of a commit's change against its first parent, as `git patch-id` computes it; None
/// for a commit that changes nothing.
fn patch_id(git: &git2::Repository, oid: Oid) -> Result<Option<Oid>> {
    let commit = git.find_commit(oid).map_err(other)?;
    let diff = diff_to_first_parent(git, &commit, None)?;
    if diff.deltas().len() == 0 {
        return Ok(None);
    }
    diff.patchid(None).map(Some).map_err(other)
}
