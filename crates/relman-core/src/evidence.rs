//! Checklist items proven instead of ticked: each item's [`EvidenceCheck`] evaluated against the
//! release's repository and Relman's own records, and the outcome recorded with what was seen
//! (`checklist::evidence::record_in`). Plan, then execute: [`prepare`] reads the database, the job
//! runs the git part with no database, [`record`] writes what changed in one transaction. The app
//! runs the job off its interface's thread when the checklist is shown; the CLI when it shows a
//! checklist or checks gates, and before a status move, so the gates count what git proves.

use chrono::NaiveDate;

use crate::change::{self, ChangeRequest, ChangeState};
use crate::checklist::evidence::{self, Evidence, EvidenceCheck};
use crate::checklist::items::{self, ChecklistItem};
use crate::checklist::signoff::{self, Decision, Signoff};
use crate::git::{CommitRange, RangeOptions, Repo};
use crate::lifecycle::gates;
use crate::milestone;
use crate::notes::{self, ReleaseRange};
use crate::store::Store;
use crate::tagging::{self, ReleaseTag};
use crate::{dates, Result, Stamp};

/// What the checks of one release's checklist need, read from the database.
pub struct EvidenceJob {
    items: Vec<ChecklistItem>,
    /// The release's range, or why it cannot be read (no repository linked).
    range: std::result::Result<ReleaseRange, String>,
    tag: Option<ReleaseTag>,
    freeze: Option<NaiveDate>,
    today: NaiveDate,
    signoffs: Vec<Signoff>,
    required_roles: Vec<String>,
    changes: Vec<ChangeRequest>,
    at: String,
}

/// One item's outcome.
#[derive(Debug, Clone)]
pub struct Seen {
    pub item_id: i64,
    pub evidence: Evidence,
}

pub fn prepare(store: &Store, stamp: &Stamp, release_id: i64) -> Result<EvidenceJob> {
    let checked: Vec<ChecklistItem> =
        items::list(store, release_id)?.into_iter().filter(|i| i.check.is_some()).collect();
    let needs = |f: fn(&EvidenceCheck) -> bool| checked.iter().filter_map(|i| i.check.as_ref()).any(f);
    let records = needs(|c| matches!(c, EvidenceCheck::SignoffsAndChange));
    Ok(EvidenceJob {
        range: notes::release_range(store, release_id, RangeOptions::default()).map_err(|e| e.to_string()),
        tag: tagging::get(store, release_id)?,
        freeze: milestone::code_freeze(store, release_id)?,
        today: stamp.today(),
        signoffs: if records { signoff::signoffs(store, release_id)? } else { Vec::new() },
        required_roles: if records { gates::required_roles(store, release_id)? } else { Vec::new() },
        changes: if records { change::list(store, None, Some(release_id))? } else { Vec::new() },
        at: stamp.at_text(),
        items: checked,
    })
}

/// The repository and the release's range, opened and walked once for every check that reads them.
struct Git {
    repo: Repo,
    range: CommitRange,
}

type Lazy = std::cell::OnceCell<std::result::Result<Git, String>>;
type Opened<'a> = std::result::Result<&'a Git, String>;

impl EvidenceJob {
    /// The repository, opened and its range walked on first use.
    fn git<'a>(&self, cell: &'a Lazy) -> std::result::Result<&'a Git, String> {
        let walked = cell.get_or_init(|| {
            let range = self.range.as_ref().map_err(Clone::clone)?;
            let (repo, _, walked) = range.walk_shipped().map_err(|e| e.to_string())?;
            Ok(Git { repo, range: walked })
        });
        walked.as_ref().map_err(Clone::clone)
    }

    /// Whether no item carries a check (nothing to run).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Evaluates every check; needs no database. A check whose facts cannot be read fails, saying why.
    pub fn run(&self) -> Vec<Seen> {
        let git = Lazy::new();
        let open = || self.git(&git);
        let mut seen = Vec::new();
        for item in &self.items {
            let Some(check) = &item.check else { continue };
            let (passed, summary, facts) = match check {
                EvidenceCheck::TagExists { pushed } => self.tag_exists(*pushed, &open),
                EvidenceCheck::NoCommitsAfterFreeze => self.frozen(&open),
                EvidenceCheck::BranchContains { target } => match open() {
                    Ok(git) => contains(git, target.trim()),
                    Err(why) => (false, why, Vec::new()),
                },
                EvidenceCheck::CleanAtTo => self.clean(&open),
                EvidenceCheck::SignoffsAndChange => self.records(),
            };
            let evidence = Evidence { passed, summary, seen: facts, at: self.at.clone() };
            seen.push(Seen { item_id: item.id, evidence });
        }
        seen
    }

    fn tag_exists<'a>(&self, pushed: bool, open: &impl Fn() -> Opened<'a>) -> (bool, String, Vec<String>) {
        let range = match &self.range {
            Ok(range) => range,
            Err(why) => return (false, why.clone(), Vec::new()),
        };
        let name = range.pattern.tag_name(&range.release.version);
        let git = match open() {
            Ok(git) => git,
            Err(why) => return (false, why, Vec::new()),
        };
        let Ok(at) = git.repo.resolve(&format!("refs/tags/{name}")) else {
            return (false, format!("There is no tag {name} in the repository yet."), Vec::new());
        };
        let target = git.repo.short_id(at);
        let mut facts = vec![format!("{name} points at {target}.")];
        if !pushed {
            return (true, format!("{name} exists at {target}."), facts);
        }
        match self.tag.as_ref().filter(|t| t.name == name) {
            Some(ReleaseTag { pushed_remote: Some(remote), pushed_at, pushed_by, .. }) => {
                facts.push(format!(
                    "Pushed to {remote} {} by {}.",
                    pushed_at.as_deref().unwrap_or(""),
                    pushed_by.as_deref().unwrap_or("")
                ));
                (true, format!("{name} exists at {target} and was pushed to {remote}."), facts)
            }
            Some(ReleaseTag { push_error: Some(error), .. }) => {
                (false, format!("{name} exists at {target}, but its last push failed: {error}"), facts)
            }
            _ => (
                false,
                format!(
                    "{name} exists at {target}, but Relman has not pushed it: push it from the release's Tag section."
                ),
                facts,
            ),
        }
    }

    fn frozen<'a>(&self, open: &impl Fn() -> Opened<'a>) -> (bool, String, Vec<String>) {
        let Some(freeze) = self.freeze else {
            return (false, "The release has no code-freeze milestone; add one to check this.".into(), Vec::new());
        };
        let day = dates::format(freeze);
        if freeze >= self.today {
            return (false, format!("The code freeze is on {day}, not yet behind us."), Vec::new());
        }
        let git = match open() {
            Ok(git) => git,
            Err(why) => return (false, why, Vec::new()),
        };
        match git.repo.committed_after(&git.range.commits, freeze) {
            Err(e) => (false, e.to_string(), Vec::new()),
            Ok(late) if late.is_empty() => (
                true,
                format!(
                    "No commit after the code freeze on {day} ({} commits to {} checked).",
                    git.range.commits.len(),
                    git.range.to
                ),
                Vec::new(),
            ),
            Ok(late) => (
                false,
                format!(
                    "{} commit{} landed after the code freeze on {day}.",
                    late.len(),
                    if late.len() == 1 { "" } else { "s" }
                ),
                late.iter()
                    .map(|c| format!("{} {} ({}, {})", c.short_sha, c.summary, c.author, c.committed_on))
                    .collect(),
            ),
        }
    }

    fn clean<'a>(&self, open: &impl Fn() -> Opened<'a>) -> (bool, String, Vec<String>) {
        let to = match &self.range {
            Ok(range) => range.options.to.clone(),
            Err(why) => return (false, why.clone(), Vec::new()),
        };
        let Some(to) = to else {
            return (
                false,
                "The release has no `to` ref or branch to compare with; set one on the release.".into(),
                Vec::new(),
            );
        };
        let git = match open() {
            Ok(git) => git,
            Err(why) => return (false, why, Vec::new()),
        };
        let wanted = match git.repo.resolve(&to) {
            Ok(oid) => oid,
            Err(e) => return (false, e.to_string(), Vec::new()),
        };
        match git.repo.working_copy() {
            Err(e) => (false, e.to_string(), Vec::new()),
            Ok(None) => (false, "The repository is a bare clone: it has no working copy to check.".into(), Vec::new()),
            Ok(Some((head, changed))) => {
                let at = head.map(|h| git.repo.short_id(h)).unwrap_or_else(|| "no commit".into());
                let mut facts: Vec<String> = changed.iter().take(20).map(|p| format!("Changed: {p}")).collect();
                if changed.len() > 20 {
                    facts.push(format!("… and {} more.", changed.len() - 20));
                }
                match (head == Some(wanted), changed.is_empty()) {
                    (true, true) => (true, format!("The working copy is clean at {to} ({at})."), facts),
                    (false, _) => (
                        false,
                        format!("The working copy is at {at}, not at {to} ({}).", git.repo.short_id(wanted)),
                        facts,
                    ),
                    (true, false) => (
                        false,
                        format!(
                            "The working copy is at {to} but has {} changed file{}.",
                            changed.len(),
                            if changed.len() == 1 { "" } else { "s" }
                        ),
                        facts,
                    ),
                }
            }
        }
    }

    fn records(&self) -> (bool, String, Vec<String>) {
        let mut facts = Vec::new();
        let mut missing = Vec::new();
        for role in &self.required_roles {
            match signoff::latest(&self.signoffs, role) {
                Some(s) if s.decision == Decision::Approve => {
                    facts.push(format!("{role} signed off: {} at {}.", s.person, s.at))
                }
                Some(s) => missing.push(format!("{role} rejected ({})", s.person)),
                None => missing.push(format!("no sign-off from {role}")),
            }
        }
        let approved = self.changes.iter().find(|c| {
            matches!(
                c.state,
                ChangeState::Scheduled | ChangeState::Implement | ChangeState::Review | ChangeState::Closed
            ) || (c.state == ChangeState::Authorize && c.missing.is_empty())
        });
        match approved {
            Some(c) => facts.push(format!("The change \"{}\" is approved ({}).", c.title, c.state.as_str())),
            None if self.changes.is_empty() => missing.push("no change request".into()),
            None => missing.push("no change request is approved yet".into()),
        }
        match missing.is_empty() {
            true if self.required_roles.is_empty() => {
                (true, "An approved change request; the gates ask for no sign-off.".into(), facts)
            }
            true => (
                true,
                format!("{} signed off, and the change request is approved.", self.required_roles.join(", ")),
                facts,
            ),
            false => (false, format!("Missing: {}.", missing.join("; ")), facts),
        }
    }
}

/// Whether the range's end holds `target`: a commit it names, or a commit of the range whose message
/// references it as an issue key.
fn contains(git: &Git, target: &str) -> (bool, String, Vec<String>) {
    let Ok(tip) = git2::Oid::from_str(&git.range.to_sha) else {
        return (false, "The release's range has no end commit.".into(), Vec::new());
    };
    if let Ok(commit) = git.repo.resolve(target) {
        return match git.repo.contains(tip, commit) {
            Ok(true) => {
                (true, format!("{} contains {target} ({}).", git.range.to, git.repo.short_id(commit)), Vec::new())
            }
            Ok(false) => (
                false,
                format!("{} does not contain {target} ({}).", git.range.to, git.repo.short_id(commit)),
                Vec::new(),
            ),
            Err(e) => (false, e.to_string(), Vec::new()),
        };
    }
    let key = target.to_lowercase();
    let referencing: Vec<String> = git
        .range
        .commits
        .iter()
        .filter(|c| {
            c.refs.iter().any(|r| r.to_lowercase() == key)
                || c.summary.to_lowercase().contains(&key)
                || c.body.as_deref().is_some_and(|b| b.to_lowercase().contains(&key))
        })
        .map(|c| format!("{} {}", c.short_sha, c.summary))
        .collect();
    match referencing.first() {
        Some(first) => (true, format!("{} contains {target}: {first}.", git.range.to), referencing),
        None => (
            false,
            format!(
                "No commit of the range to {} names {target}, and it is not a commit of the repository.",
                git.range.to
            ),
            Vec::new(),
        ),
    }
}

/// Records what changed since the checks last ran, in one transaction; returns how many items changed.
pub fn record(store: &mut Store, stamp: &Stamp, seen: &[Seen]) -> Result<usize> {
    store.write(|tx| {
        let mut changed = 0;
        for s in seen {
            // The item may have been deleted or edited while the checks ran.
            let Ok(item) = items::find(tx, s.item_id) else { continue };
            if item.check.is_some() && evidence::record_in(tx, stamp, &item, &s.evidence)? {
                changed += 1;
            }
        }
        Ok(changed)
    })
}

/// Runs a release's checks and records what changed, in one call (the CLI and tests; the app runs
/// the three steps apart so the git part holds no lock).
pub fn refresh(store: &mut Store, stamp: &Stamp, release_id: i64) -> Result<usize> {
    let job = prepare(store, stamp, release_id)?;
    if job.is_empty() {
        return Ok(0);
    }
    let seen = job.run();
    record(store, stamp, &seen)
}
