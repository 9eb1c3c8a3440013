//! The compliance checks a dossier states, each pass or fail with its evidence in words: what an
//! auditor samples for. Pure functions over the gathered record, so each rule reads in one place and
//! is tested without a database or a repository.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::scope::Scope;
use crate::change::{duties, ChangeRequest, ChangeType};
use crate::checklist::items::{ChecklistItem, ItemState};
use crate::checklist::signoff::{self, Decision, Signoff};
use crate::deployment::DeployLog;
use crate::tagging::ReleaseTag;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// The rule has nothing to look at (no production deployment yet, no code freeze planned).
    NotApplicable,
    /// What the rule needs could not be read here (the repository is not on this machine).
    NotChecked,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::NotApplicable => "not applicable",
            Outcome::NotChecked => "not checked",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub rule: String,
    pub outcome: Outcome,
    /// The outcome in one short line: "no change request", "2 commits after the freeze on 2026-10-27".
    pub summary: String,
    /// The facts the outcome rests on, one per line.
    pub evidence: Vec<String>,
}

/// What the checks read: borrowed from the dossier being built.
pub struct Facts<'a> {
    pub changes: &'a [ChangeRequest],
    pub deployments: &'a [DeployLog],
    pub tag: Option<&'a ReleaseTag>,
    pub signoffs: &'a [Signoff],
    pub required_roles: &'a [String],
    pub checklist: &'a [ChecklistItem],
    pub scope: &'a Scope,
}

pub fn checks(facts: &Facts<'_>) -> Vec<Check> {
    vec![
        approval_before_production(facts),
        approvers_independent(facts),
        signoffs_present(facts),
        skips_explained(facts),
        frozen(facts),
    ]
}

fn instant(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

fn check(rule: &str, outcome: Outcome, summary: impl Into<String>, evidence: Vec<String>) -> Check {
    Check { rule: rule.to_string(), outcome, summary: summary.into(), evidence }
}

/// A production deployment is one to an environment named "production" or "prod", as the metrics
/// count them.
fn is_production(environment: &str) -> bool {
    matches!(environment.trim().to_lowercase().as_str(), "production" | "prod")
}

fn approval_before_production(facts: &Facts<'_>) -> Check {
    const RULE: &str = "Approval recorded before the first production deployment";
    let first = facts
        .deployments
        .iter()
        .map(|l| &l.deployment)
        .filter(|d| is_production(&d.environment))
        .min_by_key(|d| instant(&d.started_at));
    let Some(first) = first else {
        return check(
            RULE,
            Outcome::NotApplicable,
            "no production deployment",
            vec!["No production deployment is recorded.".into()],
        );
    };
    let deployed = format!("The first production deployment started {} ({}).", first.started_at, first.actor);
    let Some(started) = instant(&first.started_at) else {
        return check(
            RULE,
            Outcome::Fail,
            "the deployment's start cannot be read",
            vec![deployed, "Its start time cannot be read.".into()],
        );
    };
    if facts.changes.is_empty() {
        return check(
            RULE,
            Outcome::Fail,
            "no change request",
            vec![deployed, "The release has no change request.".into()],
        );
    }
    let mut evidence = vec![deployed];
    let mut approved_before = false;
    for c in facts.changes {
        if c.kind == ChangeType::Standard {
            evidence.push(format!("\"{}\" is a standard change: pre-approved by its type.", c.title));
            approved_before = true;
            continue;
        }
        let before: Vec<&crate::change::Approval> = c
            .approvals
            .iter()
            .filter(|a| a.approved && !a.retrospective && instant(&a.at).is_some_and(|at| at < started))
            .collect();
        for a in &c.approvals {
            let when = match (instant(&a.at).is_some_and(|at| at < started), a.retrospective) {
                (true, _) => "before the deployment",
                (false, true) => "after the deployment, as a retrospective approval",
                (false, false) => "after the deployment",
            };
            let decision = if a.approved { "approved" } else { "rejected" };
            evidence.push(format!("\"{}\": {} {decision} by {} at {}, {when}.", c.title, a.role, a.person, a.at));
        }
        let every_role = c.roles.iter().all(|role| before.iter().any(|a| a.role.eq_ignore_ascii_case(role)));
        if !before.is_empty() && every_role {
            approved_before = true;
        } else if c.approvals.is_empty() {
            evidence.push(format!("\"{}\" has no approval recorded.", c.title));
        }
    }
    match approved_before {
        true => check(RULE, Outcome::Pass, "approved before it shipped", evidence),
        false => check(RULE, Outcome::Fail, "not approved before the first production deployment", evidence),
    }
}

fn approvers_independent(facts: &Facts<'_>) -> Check {
    const RULE: &str = "No approver is also the requester or the tagger";
    let tagger = facts.tag.map(|t| t.created_by.as_str());
    let mut evidence = Vec::new();
    let mut failed = false;
    for c in facts.changes {
        for a in c.approvals.iter().filter(|a| a.approved) {
            if duties::same(&a.person, &c.requester) {
                failed = true;
                evidence.push(format!("{} approved \"{}\" as {} and requested it.", a.person, c.title, a.role));
            } else if tagger.is_some_and(|t| duties::same(&a.person, t)) {
                failed = true;
                evidence
                    .push(format!("{} approved \"{}\" as {} and created the release tag.", a.person, c.title, a.role));
            } else {
                evidence.push(format!(
                    "{} approved \"{}\" as {}; requested by {}{}.",
                    a.person,
                    c.title,
                    a.role,
                    c.requester,
                    tagger.map(|t| format!(", tagged by {t}")).unwrap_or_default()
                ));
            }
        }
    }
    if evidence.is_empty() {
        return check(RULE, Outcome::NotApplicable, "no approval", vec!["No approval is recorded.".into()]);
    }
    match failed {
        true => check(RULE, Outcome::Fail, "an approver requested the change or tagged the release", evidence),
        false => check(RULE, Outcome::Pass, "every approver is independent", evidence),
    }
}

fn signoffs_present(facts: &Facts<'_>) -> Check {
    const RULE: &str = "Required sign-offs present";
    if facts.required_roles.is_empty() {
        return check(
            RULE,
            Outcome::NotApplicable,
            "no sign-off required",
            vec!["The release's gates ask for no sign-off.".into()],
        );
    }
    let mut failed = false;
    let evidence = facts
        .required_roles
        .iter()
        .map(|role| match signoff::latest(facts.signoffs, role) {
            Some(s) if s.decision == Decision::Approve => format!("{role}: approved by {} at {}.", s.person, s.at),
            Some(s) => {
                failed = true;
                format!("{role}: rejected by {} at {} ({}).", s.person, s.at, s.comment)
            }
            None => {
                failed = true;
                format!("{role}: no sign-off.")
            }
        })
        .collect::<Vec<_>>();
    match failed {
        true => check(RULE, Outcome::Fail, "a required sign-off is missing or rejected", evidence),
        false => check(RULE, Outcome::Pass, format!("{} approved", facts.required_roles.join(", ")), evidence),
    }
}

fn skips_explained(facts: &Facts<'_>) -> Check {
    const RULE: &str = "No step skipped without a reason";
    let skipped: Vec<&ChecklistItem> = facts.checklist.iter().filter(|i| i.state == ItemState::Skipped).collect();
    if skipped.is_empty() {
        return check(RULE, Outcome::Pass, "no step skipped", vec!["No step was skipped.".into()]);
    }
    let failed = skipped.iter().any(|i| i.note.trim().is_empty());
    let evidence = skipped
        .iter()
        .map(|i| match i.note.trim() {
            "" => format!("\"{}\" was skipped by {} with no reason.", i.title, i.actor),
            why => format!("\"{}\" was skipped by {}: {why}", i.title, i.actor),
        })
        .collect();
    match failed {
        true => check(RULE, Outcome::Fail, "a step was skipped with no reason", evidence),
        false => check(RULE, Outcome::Pass, format!("{} skipped, each with a reason", skipped.len()), evidence),
    }
}

fn frozen(facts: &Facts<'_>) -> Check {
    const RULE: &str = "No commits after the code freeze";
    let scope = facts.scope;
    let Some(freeze) = &scope.code_freeze else {
        return check(
            RULE,
            Outcome::NotApplicable,
            "no code freeze planned",
            vec!["The release has no code-freeze milestone.".into()],
        );
    };
    if let Some(why) = &scope.unavailable {
        return check(RULE, Outcome::NotChecked, "the repository could not be read", vec![why.clone()]);
    }
    if scope.after_freeze.is_empty() {
        return check(
            RULE,
            Outcome::Pass,
            "none",
            vec![format!("Every commit of the range was committed by {freeze}.")],
        );
    }
    let evidence = std::iter::once(format!(
        "{} commit{} committed after the freeze on {freeze}:",
        scope.after_freeze.len(),
        if scope.after_freeze.len() == 1 { " was" } else { "s were" }
    ))
    .chain(
        scope.after_freeze.iter().map(|c| format!("{} {} ({}, {})", c.short_sha, c.summary, c.author, c.committed_on)),
    )
    .collect();
    let n = scope.after_freeze.len();
    let summary = format!("{n} commit{} after the freeze on {freeze}", if n == 1 { "" } else { "s" });
    check(RULE, Outcome::Fail, summary, evidence)
}
