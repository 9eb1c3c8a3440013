//! Drafting a change request from what Relman already knows about its release, instead of retyping it
//! into a change system: the implementation plan from the runbook's deploy phase (steps, owners,
//! expected minutes), the backout plan from its rollback phase, the test plan from the gates and
//! sign-offs, risk and impact from the register (the highest live score, with the list), and the
//! commit range as a link, and from git the range's size, the version it suggests and the authors of
//! its commits (which segregation of duties checks). A plan someone edited since the last draft is
//! kept (`change::redraft`).

use crate::change::{self, ChangeRequest, Plan};
use crate::checklist::items::{self, ChecklistItem};
use crate::checklist::{signoff, Phase};
use crate::git::{RangeOptions, Repo};
use crate::lifecycle::gates;
use crate::release::{self, ReleaseStatus};
use crate::risk::{self, ReleaseScope, RiskFilter};
use crate::store::Store;
use crate::{notes, Error, Result, Stamp};

/// A change drafted again: the plans kept because someone edited them, and what could not be read.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Drafted {
    pub change: ChangeRequest,
    pub kept: Vec<Plan>,
    /// Said when git could not be read (no repository linked, a ref that does not resolve): the
    /// plans are drafted all the same, without the range's commits.
    pub warnings: Vec<String>,
}

pub fn draft(store: &mut Store, stamp: &Stamp, id: i64) -> Result<Drafted> {
    let found = change::get(store, id)?;
    let release_id = found.release_id.ok_or_else(|| {
        Error::invalid_field(
            "release_id",
            format!("\"{}\" is not linked to a release, so there is nothing to draft it from.", found.title),
        )
    })?;
    let (mut plans, mut links) = compose(store, release_id, stamp.at)?;
    let mut warnings = Vec::new();
    let authors = match from_git(store, release_id) {
        Ok(git) => {
            links = vec![git.range];
            if let Some((_, text)) = plans.iter_mut().find(|(p, _)| *p == Plan::ImplementationPlan) {
                *text = format!("{}\n\n{text}", git.summary);
            }
            Some(git.authors)
        }
        Err(e) => {
            warnings.push(format!("The commits were not read, so their authors are not checked: {e}"));
            None
        }
    };
    let (change, kept) = change::redraft(store, stamp, id, &plans, &links, authors.as_deref())?;
    Ok(Drafted { change, kept, warnings })
}

/// What git says about a release's range.
struct GitFacts {
    /// "v2.4.0..release/2.5 (42 commits)".
    range: String,
    /// "Ships 42 commits from v2.4.0 to release/2.5; git suggests 2.5.0 (3 features)."
    summary: String,
    /// "Name <email>" of every author and co-author, once each.
    authors: Vec<String>,
}

fn from_git(store: &Store, release_id: i64) -> Result<GitFacts> {
    let range = notes::release_range(store, release_id, RangeOptions::default())?;
    let repo = Repo::open(std::path::Path::new(&range.repository))?;
    let tags = repo.tag_index(&range.pattern)?;
    let walked = repo.walk_with(&range.options, Some(&tags), crate::git::WalkControl::default())?;
    let suggestion = repo.suggest_next(&tags, &walked)?;
    let from = walked.from.clone().unwrap_or_else(|| "the first commit".to_string());
    let count = walked.commits.len();
    let commits = if count == 1 { "1 commit".to_string() } else { format!("{count} commits") };
    let suggests = match &suggestion {
        Some(next) => format!("; git suggests {} ({})", next.version, next.reason),
        None => String::new(),
    };
    let mut authors: Vec<String> = Vec::new();
    for person in walked.commits.iter().flat_map(|c| std::iter::once(&c.author).chain(&c.co_authors)) {
        let text = format!("{} <{}>", person.name, person.email);
        if !authors.iter().any(|a| a.eq_ignore_ascii_case(&text)) {
            authors.push(text);
        }
    }
    Ok(GitFacts {
        range: format!("{from}..{} ({commits})", walked.to),
        summary: format!(
            "Ships {} {}: {commits} from {from} to {}{suggests}.",
            range.release.product_name, range.release.version, walked.to
        ),
        authors,
    })
}

/// Each plan's draft.
pub type Drafts = Vec<(Plan, String)>;

/// The drafts of every plan, and the links, for a release.
pub fn compose(store: &Store, release_id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<(Drafts, Vec<String>)> {
    let found = release::get(store, release_id)?;
    let steps = items::list(store, release_id)?;
    let of = |phase: Phase| steps.iter().filter(|i| i.phase == phase).collect::<Vec<_>>();
    let implementation =
        runbook(&of(Phase::Deploy), "No deploy steps yet: apply a process template to the release's checklist.");
    let backout = runbook(&of(Phase::Rollback), "No rollback steps yet: add them to the release's checklist.");

    let mut tests = Vec::new();
    for into in [ReleaseStatus::Ready, ReleaseStatus::Deploying] {
        for gate in gates::evaluate_for(store, release_id, into, now)? {
            let state = if gate.failures.is_empty() {
                "passes now".to_string()
            } else {
                format!("open: {}", gate.failures.join("; "))
            };
            tests.push(format!("- Gate \"{}\" (into {}): {state}.", gate.name, into.label().to_lowercase()));
        }
    }
    for s in signoff::signoffs(store, release_id)? {
        let decision = if s.decision == signoff::Decision::Approve { "approved" } else { "rejected" };
        tests.push(format!("- {} {decision} by {} on {}.", s.role, s.person, s.at.get(..10).unwrap_or(&s.at)));
    }
    let pre = of(Phase::PreRelease);
    let done = pre.iter().filter(|i| i.state.is_closed()).count();
    tests.push(format!("- Pre-release checklist: {done} of {} steps done or skipped.", pre.len()));

    let filter = RiskFilter {
        product_id: Some(found.product_id),
        release: ReleaseScope::Release { id: release_id },
        ..Default::default()
    };
    let mut live: Vec<risk::Risk> = risk::list(store, &filter)?.into_iter().filter(|r| r.status.is_live()).collect();
    live.sort_by_key(|r| std::cmp::Reverse(r.score));
    let (risk_text, impact_text) = match live.first() {
        None => ("No live risks in the register for this release.".to_string(), String::new()),
        Some(top) => {
            let listed: Vec<String> = live
                .iter()
                .map(|r| format!("- {} (score {}, {}): {}", r.title, r.score, r.status.as_str(), mitigation(r)))
                .collect();
            (
                format!("Highest live risk scores {} ({}).\n{}", top.score, top.band.as_str(), listed.join("\n")),
                format!("Impact {} of 5 at worst: {}.", top.impact, top.title),
            )
        }
    };
    let mut links = Vec::new();
    // The range the release ships, as its notes read it: to its ref, else its release branch.
    let to = [&found.to_ref, &found.release_branch].into_iter().find(|r| !r.is_empty());
    if let Some(to) = to {
        let from = if found.from_ref.is_empty() { "the previous release".to_string() } else { found.from_ref.clone() };
        links.push(format!("{from}..{to}"));
    }
    Ok((
        vec![
            (Plan::ImplementationPlan, implementation),
            (Plan::BackoutPlan, backout),
            (Plan::TestPlan, tests.join("\n")),
            (Plan::Risk, risk_text),
            (Plan::Impact, impact_text),
        ],
        links,
    ))
}

/// Steps as a numbered list: "1. Deploy the canary (5% of traffic) — Ops, ~10 min".
fn runbook(steps: &[&ChecklistItem], none: &str) -> String {
    if steps.is_empty() {
        return none.to_string();
    }
    let total: i64 = steps.iter().filter_map(|s| s.expected_minutes).sum();
    let mut lines: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let who = Some(s.owner.clone()).filter(|o| !o.is_empty());
            let how_long = s.expected_minutes.map(|m| format!("~{m} min"));
            let about: Vec<String> = who.into_iter().chain(how_long).collect();
            match about.as_slice() {
                [] => format!("{}. {}", n + 1, s.title),
                about => format!("{}. {} — {}", n + 1, s.title, about.join(", ")),
            }
        })
        .collect();
    if total > 0 {
        lines.push(format!("About {total} minutes in all."));
    }
    lines.join("\n")
}

fn mitigation(r: &risk::Risk) -> String {
    match r.mitigation.trim() {
        "" => "no mitigation yet".to_string(),
        m => format!("mitigated by {m}"),
    }
}
