//! The prefilled risk of each rule: words a release manager can accept as they are, a category and a
//! starting score, and the evidence. The description repeats the evidence briefly so that the risk
//! still explains itself once accepted into the register, whatever the register keeps of the evidence.

use chrono::NaiveDate;

use super::scan::LargeCommit;
use super::{EvidenceCommit, Suggestion, SuggestionKind};
use crate::git::{Commit, CommitRange};
use crate::risk::Category;
use crate::security::record::StoredScan;
use crate::security::scan::{Change, DependencyFinding};
use crate::security::Severity;

/// Evidence lists keep this many commits and paths; the counts keep the totals.
const SHOWN_COMMITS: usize = 5;
const SHOWN_PATHS: usize = 8;

/// A path rule that fired: its paths (sorted) and the commits that touched them (indices, newest first).
pub(super) struct PathHit<'a> {
    pub paths: &'a [String],
    pub commits: &'a [usize],
}

pub(super) fn migrations(range: &CommitRange, hit: PathHit<'_>) -> Suggestion {
    let description = format!(
        "This release changes {} ({}). A migration that fails, runs long or locks \
         a busy table can take the service down during the deploy, and a schema change is hard to undo.",
        count(hit.paths.len(), "database migration file", "database migration files"),
        span(range),
    );
    Draft {
        kind: SuggestionKind::Migrations,
        title: "Database migrations ship in this release",
        category: Category::Technical,
        likelihood: 3,
        impact: 4,
        mitigation: "Rehearse the migrations on a recent copy of production data and time them. Check that the \
                     previous release still runs against the new schema, or have a tested rollback script. \
                     Take a backup just before deploying.",
    }
    .with_paths(range, description, hit)
}

pub(super) fn dependencies(range: &CommitRange, hit: PathHit<'_>) -> Suggestion {
    let description = format!(
        "This release changes {} ({}). Upgraded or new packages can change behaviour, performance or licences \
         without any change to our own code.",
        count(hit.paths.len(), "dependency manifest or lock file", "dependency manifests or lock files"),
        span(range),
    );
    Draft {
        kind: SuggestionKind::Dependencies,
        title: "Dependencies change in this release",
        category: Category::Technical,
        likelihood: 2,
        impact: 3,
        mitigation: "Review the lock file changes for major version bumps and new packages, and read their \
                     changelogs. Run the full test suite and a dependency security audit on the release build.",
    }
    .with_paths(range, description, hit)
}

pub(super) fn infrastructure(range: &CommitRange, hit: PathHit<'_>) -> Suggestion {
    let description = format!(
        "This release changes {} ({}): how the product is built, deployed or run changes together with the code, \
         so a failed deploy may need more than rolling back the application.",
        count(hit.paths.len(), "infrastructure or CI file", "infrastructure or CI files"),
        span(range),
    );
    Draft {
        kind: SuggestionKind::Infrastructure,
        title: "Infrastructure and deployment configuration change",
        category: Category::Operational,
        likelihood: 3,
        impact: 4,
        mitigation: "Apply the infrastructure changes to staging first, through the same pipeline. Have someone \
                     from operations review the plan (for example `terraform plan` or `helm diff`), and write \
                     down how to roll the infrastructure back on its own.",
    }
    .with_paths(range, description, hit)
}

pub(super) fn large_change(range: &CommitRange, large: &[LargeCommit], files: u32, lines: u32) -> Suggestion {
    let threshold = match (files, lines) {
        (0, lines) => format!("{lines} or more lines added and removed"),
        (files, 0) => format!("{files} or more files"),
        (files, lines) => format!("{files} or more files, or {lines} or more lines added and removed"),
    };
    let mut description = format!(
        "{} in this release ({}) {} very large ({threshold}). Changes that big are hard to review thoroughly \
         and can hide regressions.",
        count(large.len(), "commit", "commits"),
        span(range),
        if large.len() == 1 { "is" } else { "are" },
    );
    let lines_of = |l: &LargeCommit| {
        let size = match l.lines {
            Some(lines) => format!("{}, {}", count(l.files, "file", "files"), count(lines, "line", "lines")),
            None => count(l.files, "file", "files"),
        };
        format!("{} ({size})", commit_line(&range.commits[l.index]))
    };
    commit_list(&mut description, large.iter().map(lines_of), large.len());
    let indices: Vec<usize> = large.iter().map(|l| l.index).collect();
    Draft {
        kind: SuggestionKind::LargeChange,
        title: "Very large commits in this release",
        category: Category::Technical,
        likelihood: 3,
        impact: 3,
        mitigation: "Confirm that each large commit had a real review, not a skim. Add tests around the areas it \
                     touches, and ship it behind a feature flag or to a canary first where possible.",
    }
    .finish(range, description, &indices, &[])
}

pub(super) fn reverts(range: &CommitRange, indices: &[usize]) -> Suggestion {
    let mut description = format!(
        "{} in this release ({}) {} earlier work. A reverted change was unstable once; the revert can also take \
         fixes with it or leave behind data written by the reverted code.",
        count(indices.len(), "commit", "commits"),
        span(range),
        if indices.len() == 1 { "reverts" } else { "revert" },
    );
    commit_list(&mut description, indices.iter().map(|&i| commit_line(&range.commits[i])), indices.len());
    Draft {
        kind: SuggestionKind::Reverts,
        title: "Reverted changes in this release",
        category: Category::Technical,
        likelihood: 2,
        impact: 3,
        mitigation: "For each revert, confirm why the change was reverted and that nothing in this release still \
                     depends on it. Check that data or settings written by the reverted code are still handled, \
                     and retest the features involved.",
    }
    .finish(range, description, indices, &[])
}

pub(super) fn after_code_freeze(range: &CommitRange, late: &[(usize, NaiveDate)], freeze: NaiveDate) -> Suggestion {
    let mut description = format!(
        "{} in this release ({}) {} committed after the code freeze on {freeze}, so {} less time in testing \
         than the rest of the release.",
        count(late.len(), "commit", "commits"),
        span(range),
        if late.len() == 1 { "was" } else { "were" },
        if late.len() == 1 { "it had" } else { "they had" },
    );
    commit_list(
        &mut description,
        late.iter().map(|&(i, day)| format!("{} (on {day})", commit_line(&range.commits[i]))),
        late.len(),
    );
    let indices: Vec<usize> = late.iter().map(|&(i, _)| i).collect();
    Draft {
        kind: SuggestionKind::AfterCodeFreeze,
        title: "Commits landed after the code freeze",
        category: Category::Schedule,
        likelihood: 3,
        impact: 3,
        mitigation: "Confirm that each late commit was approved as a freeze exception. Run the regression tests \
                     again on the final build, and be ready to revert the late commits if they fail.",
    }
    .finish(range, description, &indices, &[])
}

pub(super) fn breaking_changes(range: &CommitRange, indices: &[usize]) -> Suggestion {
    let mut description = format!(
        "{} in this release ({}) {} marked as breaking: users, clients or integrations that rely on the old \
         behaviour stop working when they upgrade.",
        count(indices.len(), "commit", "commits"),
        span(range),
        if indices.len() == 1 { "is" } else { "are" },
    );
    let line = |i: usize| {
        let commit = &range.commits[i];
        match commit.breaking_description.as_deref() {
            Some(what) => format!("{} (breaking: {what})", commit_line(commit)),
            None => commit_line(commit),
        }
    };
    commit_list(&mut description, indices.iter().map(|&i| line(i)), indices.len());
    Draft {
        kind: SuggestionKind::BreakingChanges,
        title: "Breaking changes for users and integrators",
        category: Category::External,
        likelihood: 4,
        impact: 3,
        mitigation: "Describe each breaking change and the upgrade steps in the release notes, tell the affected \
                     users and integrators before the release, and make sure the version number signals it.",
    }
    .finish(range, description, indices, &[])
}

/// The known-vulnerable dependencies the release's latest scan found it shipping that nobody accepted
/// (notices such as "unmaintained" left out: they are no vulnerability); None when there are none. The
/// advisories are the evidence, the lock files the paths; the worst severity sets the impact.
pub(crate) fn vulnerable_dependencies(scan: &StoredScan) -> Option<Suggestion> {
    let accepted: Vec<&str> = scan.accepted.iter().map(|a| a.finding.as_str()).collect();
    let open: Vec<&DependencyFinding> = scan
        .report
        .findings
        .iter()
        .filter(|f| f.change != Change::Fixed && f.informational.is_none() && !accepted.contains(&f.key().as_str()))
        .collect();
    // A vulnerability nobody rated is taken as high, as the gate takes it.
    let impact = open
        .iter()
        .map(|f| match f.severity {
            Severity::Critical => 5,
            Severity::High | Severity::Unknown => 4,
            Severity::Medium => 3,
            Severity::Low => 2,
        })
        .max()?;
    let introduced = open.iter().filter(|f| f.change == Change::Introduced).count();
    let mut description = format!(
        "The dependency scan of {} found this release shipping {} with a published advisory{}. An attacker \
         who knows the advisory can aim at it as soon as the release is live.",
        scan.scanned_at.get(..10).unwrap_or(&scan.scanned_at),
        count(open.len(), "package version", "package versions"),
        if introduced > 0 { format!(", {introduced} of them new in this release") } else { String::new() },
    );
    let line = |f: &&DependencyFinding| {
        let fixed = if f.fixed_in.is_empty() {
            "no fix known".to_string()
        } else {
            format!("fixed in {}", f.fixed_in.join(", "))
        };
        let link = f.url.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        format!("{} {} ({}, {}; {fixed}): {}{link}", f.package, f.version, f.advisory, f.severity.as_str(), f.summary)
    };
    list(&mut description, "Advisories", open.iter().map(line), open.len(), SHOWN_PATHS);
    let mut paths: Vec<String> = open.iter().map(|f| f.lock_file.clone()).collect();
    paths.sort();
    paths.dedup();
    Some(Suggestion {
        kind: SuggestionKind::VulnerableDependencies,
        title: "Known-vulnerable dependencies ship in this release".to_string(),
        description,
        category: Category::Security,
        likelihood: if introduced > 0 { 3 } else { 2 },
        impact,
        mitigation: "Upgrade each package to a fixed version and scan again. Where that cannot happen before the \
                     release, check whether the vulnerable code is reachable, and accept the finding in the \
                     release's Security section with that reason."
            .to_string(),
        commits: Vec::new(),
        commit_count: 0,
        path_count: total(paths.len()),
        paths,
    })
}

/// The fixed parts of a rule's suggestion.
struct Draft {
    kind: SuggestionKind,
    title: &'static str,
    category: Category,
    likelihood: u8,
    impact: u8,
    mitigation: &'static str,
}

impl Draft {
    fn with_paths(self, range: &CommitRange, mut description: String, hit: PathHit<'_>) -> Suggestion {
        let heading = if hit.paths.len() == 1 { "File" } else { "Files" };
        list(&mut description, heading, hit.paths.iter().cloned(), hit.paths.len(), SHOWN_PATHS);
        if !hit.commits.is_empty() {
            commit_list(
                &mut description,
                hit.commits.iter().map(|&i| commit_line(&range.commits[i])),
                hit.commits.len(),
            );
        }
        self.finish(range, description, hit.commits, hit.paths)
    }

    fn finish(self, range: &CommitRange, description: String, commits: &[usize], paths: &[String]) -> Suggestion {
        Suggestion {
            kind: self.kind,
            title: self.title.to_string(),
            description,
            category: self.category,
            likelihood: self.likelihood,
            impact: self.impact,
            mitigation: self.mitigation.to_string(),
            commits: commits.iter().take(SHOWN_COMMITS).map(|&i| evidence(&range.commits[i])).collect(),
            commit_count: total(commits.len()),
            paths: paths.iter().take(SHOWN_PATHS).cloned().collect(),
            path_count: total(paths.len()),
        }
    }
}

/// Appends a headed, bulleted list of the first `limit` items, and how many more there are.
fn list(text: &mut String, heading: &str, items: impl Iterator<Item = String>, total: usize, limit: usize) {
    text.push_str("\n\n");
    text.push_str(heading);
    text.push(':');
    for item in items.take(limit) {
        text.push_str("\n- ");
        text.push_str(&item);
    }
    if total > limit {
        text.push_str(&format!("\n- and {} more", total - limit));
    }
}

/// The "Commits:" list, singular for one.
fn commit_list(text: &mut String, items: impl Iterator<Item = String>, total: usize) {
    list(text, if total == 1 { "Commit" } else { "Commits" }, items, total, SHOWN_COMMITS);
}

fn evidence(commit: &Commit) -> EvidenceCommit {
    EvidenceCommit { sha: commit.sha.clone(), short_sha: commit.short_sha.clone(), summary: commit.summary.clone() }
}

fn commit_line(commit: &Commit) -> String {
    format!("{} {}", commit.short_sha, commit.summary)
}

/// The range as people name it: `v1.0.0..HEAD`, or `up to HEAD` from the first commit.
fn span(range: &CommitRange) -> String {
    match range.from.as_deref() {
        Some(from) => format!("{from}..{}", range.to),
        None => format!("up to {}", range.to),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn total(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
