//! The sample git repository behind "Atlas Web" in the sample data: Conventional Commits, tags for
//! the past releases and a release branch for the one in testing, dated around today so the notes,
//! the range and the suggested version look real.

use std::path::Path;

use chrono::{Duration, NaiveDate};
use git2::{Oid, Repository, Signature, Time};

use crate::git::other;
use crate::Result;

const PEOPLE: [(&str, &str); 4] = [
    ("Priya Raman", "priya@example.com"),
    ("Tom Becker", "tom@example.com"),
    ("Ana Lima", "ana@example.com"),
    ("Kenji Sato", "kenji@example.com"),
];

/// What happened, release by release: (days from today of the last commit, tag, commits).
fn history() -> Vec<(i64, Option<&'static str>, &'static [&'static str])> {
    vec![
        (-63, Some("v2.3.0"), &[
            "chore: initial commit",
            "feat(search): saved searches",
            "feat(billing): a new billing page",
            "fix(billing): round totals to cents",
        ]),
        (-21, Some("v2.4.0"), &[
            "feat(checkout)!: move checkout to the new payments provider\n\nBREAKING CHANGE: the /v1/checkout endpoint is gone; clients use /v2/checkout.",
            "feat(checkout): pay with Apple Pay",
            "perf(db): index orders by customer",
            "fix(ui): focus ring on dark buttons",
            "docs: checkout migration guide",
        ]),
        (-17, Some("v2.4.1"), &[
            "fix(checkout): currency rounding for JPY\n\nCloses #412",
            "fix(checkout): retry idempotent payment calls",
        ]),
        (-1, None, &[
            "feat(workspaces): team workspaces\n\nCo-authored-by: Ana Lima <ana@example.com>",
            "feat(audit): export the audit log as CSV\n\nRefs: ATL-231",
            "fix(workspaces): invite links expire after 7 days",
            "perf(search): cache facet counts",
            "refactor(api): split the orders controller",
            "Update the on-call runbook",
            "chore(deps): bump tokio to 1.48",
            "ci: run the end-to-end tests in the merge queue",
            "revert: perf(search): cache facet counts\n\nFacet counts went stale after re-indexing; see #440.",
            "fix: time zone of scheduled exports\n\nFixes #433",
        ]),
    ]
}

/// Files a sample commit changes besides CHANGES.txt, so the risks suggested from the range have
/// something to find: a migration, a lock file, CI configuration.
fn files_of(message: &str) -> &'static [&'static str] {
    match message.lines().next().unwrap_or("") {
        "perf(db): index orders by customer" => &["db/migrations/0041_orders_customer_index.sql"],
        "feat(workspaces): team workspaces" => &["db/migrations/0042_workspaces.sql", "src/workspaces.rs"],
        "chore(deps): bump tokio to 1.48" => &["Cargo.toml", "Cargo.lock"],
        "ci: run the end-to-end tests in the merge queue" => &[".github/workflows/e2e.yml"],
        _ => &[],
    }
}

/// Creates the sample repository at `path` (or reuses one a previous sample left there).
pub(super) fn create(path: &Path, today: NaiveDate) -> Result<()> {
    if Repository::open(path).is_ok() {
        return Ok(());
    }
    std::fs::create_dir_all(path)
        .map_err(|e| crate::Error::Io(format!("Cannot create the sample repository at {}: {e}.", path.display())))?;
    let mut options = git2::RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(path, &options).map_err(other)?;
    let mut parent: Option<Oid> = None;
    let mut count = 0i64;
    let mut start = today + Duration::days(-90);
    for (end, tag, messages) in history() {
        let end_day = today + Duration::days(end);
        let step = ((end_day - start).num_hours() / messages.len() as i64).max(1);
        for (i, message) in messages.iter().enumerate() {
            count += 1;
            let when =
                start.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc().timestamp() + (i as i64 + 1) * step * 3600;
            let (name, email) = PEOPLE[count as usize % PEOPLE.len()];
            let signature = Signature::new(name, email, &Time::new(when, 0)).map_err(other)?;
            let parents: Vec<git2::Commit<'_>> = parent.iter().filter_map(|p| repo.find_commit(*p).ok()).collect();
            let mut update = git2::build::TreeUpdateBuilder::new();
            for path in std::iter::once(&"CHANGES.txt").chain(files_of(message)) {
                let blob = repo.blob(format!("{path}: change {count}\n").as_bytes()).map_err(other)?;
                update.upsert(*path, blob, git2::FileMode::Blob);
            }
            let base = match parents.first() {
                Some(p) => p.tree().map_err(other)?,
                None => {
                    repo.find_tree(repo.treebuilder(None).map_err(other)?.write().map_err(other)?).map_err(other)?
                }
            };
            let tree = repo.find_tree(update.create_updated(&repo, &base).map_err(other)?).map_err(other)?;
            let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let oid = repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &parent_refs).map_err(other)?;
            parent = Some(oid);
        }
        if let (Some(tag), Some(commit)) = (tag, parent) {
            let object = repo.find_object(commit, None).map_err(other)?;
            let tagger = Signature::new(
                PEOPLE[0].0,
                PEOPLE[0].1,
                &Time::new(end_day.and_hms_opt(18, 0, 0).unwrap_or_default().and_utc().timestamp(), 0),
            )
            .map_err(other)?;
            repo.tag(tag, &object, &tagger, &format!("Release {tag}"), false).map_err(other)?;
        }
        start = end_day;
    }
    if let Some(head) = parent {
        let commit = repo.find_commit(head).map_err(other)?;
        repo.branch("release/2.5.0", &commit, true).map_err(other)?;
    }
    Ok(())
}
