//! The sample git repository behind "Atlas Web" in the sample data: a year of Conventional Commits,
//! tags for the past releases (two of them hotfixes) and a release branch for the one in testing,
//! dated around today so the notes, the range, the suggested version and the delivery metrics look
//! real. Like most projects with a maintenance branch, the
//! 2.4.1 fixes were made on main and cherry-picked onto `release/2.4.x`, where v2.4.1 is tagged: so
//! 2.5.0's range (v2.4.1..release/2.5.0) starts on another branch, and its notes leave out the two
//! fixes that already shipped in 2.4.1.

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

/// The maintenance release whose fixes are cherry-picked from main (the block before it is tagged
/// on main, and its own block lands on main untagged).
const MAINTENANCE: &str = "v2.4.1";
const MAINTENANCE_BRANCH: &str = "release/2.4.x";

/// What happened, release by release: (days from today of the last commit, tag, commits).
fn history() -> Vec<(i64, Option<&'static str>, &'static [&'static str])> {
    vec![
        (-364, Some("v2.0.0"), &[
            "chore: initial commit",
            "feat(api): the public orders API",
            "feat(ui): the new dashboard",
            "fix(api): paginate order lists",
        ]),
        (-358, Some("v2.0.1"), &["fix(api): order totals off by a cent in EUR\n\nFixes #118"]),
        (-301, Some("v2.1.0"), &[
            "feat(search): search orders by customer",
            "feat(export): export orders as CSV",
            "perf(api): cache product lookups",
        ]),
        (-238, Some("v2.2.0"), &[
            "feat(notifications): email receipts",
            "feat(ui): dark mode",
            "refactor(db): split the orders table",
        ]),
        (-233, Some("v2.2.1"), &["fix(notifications): receipts sent twice"]),
        (-151, Some("v2.2.2"), &["fix(ui): the date picker in Safari", "chore(deps): bump serde to 1.0.228"]),
        (-63, Some("v2.3.0"), &[
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
    let mut start = today + Duration::days(-380);
    // The commit the maintenance branch starts from, and the fixes to pick onto it.
    let mut branch_point: Option<Oid> = None;
    let mut fixes: Vec<Oid> = Vec::new();
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
            if tag == Some(MAINTENANCE) {
                fixes.push(oid);
            }
        }
        if tag == Some(MAINTENANCE) {
            let tip = pick(&repo, branch_point, &fixes, end_day)?;
            tag_release(&repo, MAINTENANCE, tip, end_day)?;
        } else if let (Some(tag), Some(commit)) = (tag, parent) {
            tag_release(&repo, tag, commit, end_day)?;
            branch_point = Some(commit);
        }
        start = end_day;
    }
    if let Some(head) = parent {
        let commit = repo.find_commit(head).map_err(other)?;
        repo.branch("release/2.5.0", &commit, true).map_err(other)?;
    }
    Ok(())
}

/// Cherry-picks `fixes` onto a new maintenance branch at `base`, as `git cherry-pick -x` does: the
/// same author, author date and change, a later committer date, and a line naming the original.
/// Each fix's parent is the previous fix (or `base`), so its tree is the pick's tree too.
fn pick(repo: &Repository, base: Option<Oid>, fixes: &[Oid], day: NaiveDate) -> Result<Oid> {
    let mut tip = base.ok_or_else(|| crate::Error::invalid("The sample history has no release before 2.4.1."))?;
    for (i, fix) in fixes.iter().enumerate() {
        let original = repo.find_commit(*fix).map_err(other)?;
        let when = day.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc().timestamp() + i as i64 * 600;
        let committer = Signature::new(PEOPLE[0].0, PEOPLE[0].1, &Time::new(when, 0)).map_err(other)?;
        let message = format!("{}\n\n(cherry picked from commit {fix})", original.message().unwrap_or("").trim_end());
        let parent = repo.find_commit(tip).map_err(other)?;
        let tree = original.tree().map_err(other)?;
        tip = repo.commit(None, &original.author(), &committer, &message, &tree, &[&parent]).map_err(other)?;
    }
    repo.branch(MAINTENANCE_BRANCH, &repo.find_commit(tip).map_err(other)?, true).map_err(other)?;
    Ok(tip)
}

fn tag_release(repo: &Repository, tag: &str, commit: Oid, day: NaiveDate) -> Result<()> {
    let object = repo.find_object(commit, None).map_err(other)?;
    let tagger = Signature::new(
        PEOPLE[0].0,
        PEOPLE[0].1,
        &Time::new(day.and_hms_opt(18, 0, 0).unwrap_or_default().and_utc().timestamp(), 0),
    )
    .map_err(other)?;
    repo.tag(tag, &object, &tagger, &format!("Release {tag}"), false).map_err(other)?;
    Ok(())
}
