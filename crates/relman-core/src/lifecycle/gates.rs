//! Gates: what must hold before a release moves into `ready` or `deploying`. The rules a release
//! carries and the facts they look at (its checklist, sign-offs and risks) are read from the database
//! by `evaluate`; [`judge`] is the whole of the rules, a pure function tested without SQLite. A
//! failing gate blocks the move unless overridden with a reason (`check`, called by the transition).

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::checklist::signoff::{latest, read_signoffs, Decision, Signoff};
use crate::checklist::Phase;
use crate::release::ReleaseStatus;
use crate::security::leaks::LeakFinding;
use crate::security::record::ScanFacts;
use crate::security::scan::DependencyFinding;
use crate::security::Severity;
use crate::store::Store;
use crate::{risk, Error, Result};

/// One gate's verdict: the criteria that fail, in words; none means it passes.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GateResult {
    /// The gate's id that stays the same in every copy of the plan (a UUID v7).
    pub uid: String,
    pub name: String,
    pub into: ReleaseStatus,
    pub failures: Vec<String>,
    /// Every criterion of the gate with its outcome, passing ones too (what a transition records).
    pub criteria: Vec<Criterion>,
}

/// One criterion of a gate and its outcome: what it asks ("Signed off by QA"), and why it fails.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, TS)]
pub struct Criterion {
    pub what: String,
    pub passed: bool,
    /// Why it fails, in words; empty when it passes.
    pub failure: String,
}
/// The gates guarding a move into `into` made at `now`, and what fails, for the app and the CLI.
pub fn evaluate_for(
    store: &Store,
    release_id: i64,
    into: ReleaseStatus,
    now: DateTime<Utc>,
) -> Result<Vec<GateResult>> {
    let git = git_facts(store, release_id, into)?;
    evaluate(store.conn(), release_id, into, now, &git)
}

/// What the gates of a move read from git, read before the move's transaction (the only time the
/// gates look into git): where the release's range ends now, when a gate compares a scan or the tag
/// with it, where it starts, when a gate compares the secrets scan (which reads the commits between)
/// with it, and the release's tag, when a gate wants it signed. Each holds why it cannot be read.
#[derive(Debug, Clone, Default)]
pub(crate) struct GitFacts {
    range_end: Option<RangeEnd>,
    range_start: Option<RangeStart>,
    tag: Option<TagFact>,
}

pub(crate) fn git_facts(store: &Store, release_id: i64, into: ReleaseStatus) -> Result<GitFacts> {
    let rules = read_rules(store.conn(), release_id, into)?;
    let signed = rules.iter().any(|r| r.tag_signed);
    let secrets = rules.iter().any(|r| r.secrets_clear);
    if !signed && !secrets && !rules.iter().any(|r| r.vulnerable_at.is_some()) {
        return Ok(GitFacts::default());
    }
    // The range and its clone, read once for both facts; a failure to read them is each fact's answer.
    let opened = crate::notes::release_range(store, release_id, crate::git::RangeOptions::default())
        .and_then(|range| Ok((crate::git::Repo::open(std::path::Path::new(&range.repository))?, range)));
    let (repo, range) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            let why = e.to_string();
            return Ok(GitFacts {
                tag: signed.then(|| Err(why.clone())),
                range_start: secrets.then(|| Err(why.clone())),
                range_end: Some(Err(why)),
            });
        }
    };
    let words = |e: Error| e.to_string();
    Ok(GitFacts {
        range_end: Some(range.shipped_end_in(&repo).map_err(words)),
        range_start: secrets.then(|| range.shipped_start_in(&repo).map_err(words)),
        tag: signed.then(|| crate::security::signing::check_release_tag(&repo, &range).map_err(words)),
    })
}

/// The gates guarding a move into `into`, each with what fails: the facts gathered from the database
/// and `git` ([`git_facts`]' answer), then [`judge`]d.
pub(crate) fn evaluate(
    conn: &Connection,
    release_id: i64,
    into: ReleaseStatus,
    now: DateTime<Utc>,
    git: &GitFacts,
) -> Result<Vec<GateResult>> {
    let rules = read_rules(conn, release_id, into)?;
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let mut facts = gather(conn, release_id, &rules, now)?;
    facts.range_end = git.range_end.clone();
    facts.range_start = git.range_start.clone();
    facts.tag = git.tag.clone();
    Ok(judge(into, &rules, &facts))
}

/// One gate as the release carries it: what must hold before it moves into a status.
#[derive(Debug, Clone, PartialEq)]
pub struct GateRule {
    pub uid: String,
    pub name: String,
    /// Phases whose required items must all be done or skipped.
    pub phases: Vec<Phase>,
    /// Roles that must have signed off, the latest sign-off of each an approval.
    pub roles: Vec<String>,
    /// Whether every open or mitigating risk at or above the product's threshold needs a mitigation.
    pub risks_mitigated: bool,
    /// Whether the move needs an authorized change request whose window it falls in.
    pub change_approved: bool,
    /// The severity from which a known-vulnerable dependency the release ships blocks the move,
    /// unless accepted with a reason (its latest dependency scan is what counts).
    pub vulnerable_at: Option<Severity>,
    /// Whether a secret the release's diff adds blocks the move until it is marked as a false positive
    /// (its latest secrets scan is what counts).
    pub secrets_clear: bool,
    /// Whether the release's tag must be in the clone, at the commit its range ends at, signed by a
    /// key the repository's allowed-signers file lists.
    pub tag_signed: bool,
}

/// A change request of the release, as the change rule looks at it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeFact {
    pub id: i64,
    pub title: String,
    pub state: crate::change::ChangeState,
    pub window: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    /// The roles whose approval it still lacks (an emergency change reaches authorize on submit).
    pub missing: Vec<String>,
}

/// What the gates look at, gathered once for all of a release's gates.
#[derive(Debug, Clone, Default)]
pub struct GateFacts {
    /// Required checklist items not yet done or skipped, in checklist order.
    pub open_required: Vec<(Phase, String)>,
    /// The release's sign-offs, oldest first.
    pub signoffs: Vec<Signoff>,
    /// The product's risk threshold, and the risks at or above it without a mitigation (title, score).
    pub threshold: u8,
    pub unmitigated: Vec<(String, u8)>,
    /// The release's change requests, and when the move is made.
    pub changes: Vec<ChangeFact>,
    pub now: Option<DateTime<Utc>>,
    /// The release's latest dependency scan: what it scanned to, and its shipped findings that nobody
    /// accepted; None when it was never scanned.
    pub vulnerable: Option<ScanFacts<DependencyFinding>>,
    /// The release's latest secrets scan: what it scanned to, and its findings that nobody marked as
    /// a false positive; None when it was never scanned.
    pub leaks: Option<ScanFacts<LeakFinding>>,
    /// The commit the release's range ends at now, or why it cannot be read; None when no gate
    /// compares a scan with it. A scan of another commit is out of date.
    pub range_end: Option<RangeEnd>,
    /// The commit the release's range starts after now (None: all of the history), or why it cannot
    /// be read; None when no gate asks for a secrets scan. A secrets scan from elsewhere is out of date.
    pub range_start: Option<RangeStart>,
    /// The release's tag as checked now, or why it cannot be; None when no gate wants it signed.
    pub tag: Option<TagFact>,
}

/// The sign-off roles any of a release's gates asks for, once each, in gate order.
pub fn required_roles(store: &Store, release_id: i64) -> Result<Vec<String>> {
    let mut roles: Vec<String> = Vec::new();
    for into in [ReleaseStatus::Ready, ReleaseStatus::Deploying] {
        for rule in read_rules(store.conn(), release_id, into)? {
            for role in rule.roles.iter().map(|r| r.trim()) {
                if !roles.iter().any(|r| r.eq_ignore_ascii_case(role)) {
                    roles.push(role.to_string());
                }
            }
        }
    }
    Ok(roles)
}

fn read_rules(conn: &Connection, release_id: i64, into: ReleaseStatus) -> Result<Vec<GateRule>> {
    let mut stmt = conn.prepare(
        "SELECT name, phases_done, signoff_roles, risks_mitigated, uid, change_approved, vulnerable_at, secrets_clear,
                tag_signed FROM release_gate
         WHERE release_id = ?1 AND into_status = ?2 ORDER BY id",
    )?;
    type Row = (String, String, String, bool, Option<String>, bool, Option<String>, bool, bool);
    let stored: Vec<Row> = stmt
        .query_map(params![release_id, into.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    stored
        .into_iter()
        .map(
            |(name, phases, roles, risks_mitigated, uid, change_approved, vulnerable_at, secrets_clear, tag_signed)| {
                let damaged = |e: serde_json::Error| {
                    Error::Io(format!(
                        "The gate \"{name}\" is stored damaged ({e}); apply the template to a new release."
                    ))
                };
                let phases = serde_json::from_str(&phases).map_err(damaged)?;
                let roles = serde_json::from_str(&roles).map_err(damaged)?;
                // The schema's CHECK keeps it to the four words.
                let vulnerable_at = vulnerable_at.as_deref().and_then(Severity::parse);
                Ok(GateRule {
                    uid: uid.unwrap_or_default(),
                    name,
                    phases,
                    roles,
                    risks_mitigated,
                    change_approved,
                    vulnerable_at,
                    secrets_clear,
                    tag_signed,
                })
            },
        )
        .collect()
}

fn gather(conn: &Connection, release_id: i64, rules: &[GateRule], now: DateTime<Utc>) -> Result<GateFacts> {
    let mut items = conn.prepare(
        "SELECT phase, title, state FROM checklist_item WHERE release_id = ?1 AND required = 1 ORDER BY position",
    )?;
    let rows: Vec<(String, String, String)> =
        items.query_map([release_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    // The schema's CHECKs keep phases and states known; only done and skipped close a step.
    let open_required = rows
        .into_iter()
        .filter(|(_, _, state)| !matches!(state.as_str(), "done" | "skipped"))
        .filter_map(|(phase, title, _)| Some((Phase::parse(&phase).ok()?, title)))
        .collect();
    let (threshold, unmitigated) = match rules.iter().any(|g| g.risks_mitigated) {
        true => risk::unmitigated(conn, release_id)?,
        false => (0, Vec::new()),
    };
    let changes = match rules.iter().any(|g| g.change_approved) {
        true => change_facts(conn, release_id)?,
        false => Vec::new(),
    };
    let vulnerable = match rules.iter().any(|g| g.vulnerable_at.is_some()) {
        true => crate::security::record::unaccepted(conn, release_id)?,
        false => Some(ScanFacts::default()),
    };
    let leaks = match rules.iter().any(|g| g.secrets_clear) {
        true => crate::security::leaks::record::unresolved(conn, release_id)?,
        false => Some(ScanFacts::default()),
    };
    Ok(GateFacts {
        vulnerable,
        leaks,
        open_required,
        signoffs: read_signoffs(conn, release_id)?,
        threshold,
        unmitigated: unmitigated.into_iter().map(|r| (r.title, r.score)).collect(),
        changes,
        now: Some(now),
        range_end: None,
        range_start: None,
        tag: None,
    })
}

fn change_facts(conn: &Connection, release_id: i64) -> Result<Vec<ChangeFact>> {
    let mut stmt = conn.prepare("SELECT id FROM change_request WHERE release_id = ?1 ORDER BY id")?;
    let ids: Vec<i64> = stmt.query_map([release_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let instant = |t: &Option<String>| t.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    ids.into_iter()
        .map(|id| {
            let c = crate::change::record(conn, id)?;
            Ok(ChangeFact {
                id: c.id,
                window: instant(&c.window_start).zip(instant(&c.window_end)),
                title: c.title,
                state: c.state,
                missing: if c.kind == crate::change::ChangeType::Standard { Vec::new() } else { c.missing },
            })
        })
        .collect()
}

/// Each gate's verdict on the facts: a pure function, the whole of the gate rules.
pub fn judge(into: ReleaseStatus, rules: &[GateRule], facts: &GateFacts) -> Vec<GateResult> {
    let verdict = |rule: &GateRule| {
        let criteria = criteria(rule, facts);
        GateResult {
            uid: rule.uid.clone(),
            name: rule.name.clone(),
            into,
            failures: criteria.iter().filter(|c| !c.passed).map(|c| c.failure.clone()).collect(),
            criteria,
        }
    };
    rules.iter().map(verdict).collect()
}

fn criteria(rule: &GateRule, facts: &GateFacts) -> Vec<Criterion> {
    let mut criteria = Vec::new();
    let mut judged = |what: String, failure: Option<String>| {
        criteria.push(Criterion { what, passed: failure.is_none(), failure: failure.unwrap_or_default() })
    };
    for phase in &rule.phases {
        let missing: Vec<&str> =
            facts.open_required.iter().filter(|(p, _)| p == phase).map(|(_, t)| t.as_str()).collect();
        let what = format!("Required {} items done", phase.label().to_lowercase());
        if missing.is_empty() {
            judged(what, None);
        } else {
            judged(
                what,
                Some(format!(
                    "{} required {} item{} not done: {}",
                    missing.len(),
                    phase.label().to_lowercase(),
                    if missing.len() == 1 { " is" } else { "s are" },
                    first_three(&missing)
                )),
            );
        }
    }
    for role in rule.roles.iter().map(|r| r.trim()) {
        let failure = match latest(&facts.signoffs, role) {
            None => Some(format!("no sign-off from {role}")),
            Some(s) if s.decision == Decision::Reject => Some(format!("{role} rejected ({}: {})", s.person, s.comment)),
            Some(_) => None,
        };
        judged(format!("Signed off by {role}"), failure);
    }
    let unmitigated = &facts.unmitigated;
    if rule.risks_mitigated {
        let shown: Vec<String> = unmitigated.iter().map(|(title, score)| format!("{title} (score {score})")).collect();
        let failure = (!unmitigated.is_empty()).then(|| {
            format!(
                "{} open or mitigating risk{} scoring {} or more {} no mitigation: {}",
                unmitigated.len(),
                if unmitigated.len() == 1 { "" } else { "s" },
                facts.threshold,
                if unmitigated.len() == 1 { "has" } else { "have" },
                first_three(&shown)
            )
        });
        judged("High risks mitigated".to_string(), failure);
    }
    if rule.change_approved {
        judged("An approved change request inside its window".to_string(), change_failure(facts));
    }
    if let Some(level) = rule.vulnerable_at {
        let failure = match &facts.vulnerable {
            None => Some("its dependencies were never scanned: scan them in the release's Security section (or `relman security scan`)".to_string()),
            Some(scan) => stale(facts, &scan.to_sha).or_else(|| vulnerable_failure(scan, level)),
        };
        judged(format!("No known-vulnerable dependency at {} or above", level.as_str()), failure);
    }
    if rule.secrets_clear {
        judged("No unresolved secret finding".to_string(), leaks_failure(facts));
    }
    if rule.tag_signed {
        judged("Release tag signed by an allowed signer".to_string(), tag_failure(facts));
    }
    criteria
}

/// Why the release's tag does not let the move through, if it does not: not made yet, not signed,
/// signed by a key nobody listed, or not at what ships.
fn tag_failure(facts: &GateFacts) -> Option<String> {
    use crate::security::signing::{SignatureState, SignerTrust};
    let check = match facts.tag.as_ref()? {
        Ok(check) => check,
        Err(why) => return Some(format!("cannot check the release's tag ({why})")),
    };
    let tag = &check.tag;
    let Some(signature) = &check.signature else {
        return Some(format!(
            "its tag {tag} is not in the clone: create it signed in the release's Tag section (or `relman tag create --sign`)"
        ));
    };
    let key = signature.fingerprint.as_deref().map(|f| format!(" ({f})")).unwrap_or_default();
    let openpgp = signature.key_type.as_deref() == Some("openpgp");
    let failure = match &signature.state {
        SignatureState::Signed { trust: SignerTrust::Allowed } => None,
        // gpg's own words say what to do: import the key, certify it, or that it expired.
        _ if openpgp => Some(format!("its tag {tag} is {}", signature.summary)),
        SignatureState::Signed { trust: SignerTrust::NotAllowed } => Some(format!(
            "its tag {tag} is signed by a key the repository's allowed signers do not list{key}: add the key to the allowed-signers file, or sign with a listed one"
        )),
        SignatureState::Signed { trust: SignerTrust::NoAllowedSigners } => Some(format!(
            "nothing says whose key signed {tag}{key}: point git's gpg.ssh.allowedSignersFile at the team's allowed-signers file in the clone"
        )),
        SignatureState::Unsigned => Some(format!(
            "its tag {tag} is not signed: delete it (`git tag -d {tag}`) and create it again signed (`relman tag create --sign`)"
        )),
        SignatureState::Bad { reason } => Some(format!("its tag {tag} has a bad signature{key}: {reason}")),
        SignatureState::Unchecked { format } => Some(format!(
            "its tag {tag} is signed with {format}, which Relman cannot check: sign it with an SSH or gpg key, or check it with `git tag -v {tag}` and override with a reason"
        )),
    };
    if failure.is_some() {
        return failure;
    }
    match (&check.commit, &facts.range_end) {
        (Some(at), Some(Ok(end))) if at != end => {
            Some(format!("its tag {tag} is at {}, but the release's range now ends at {}", short(at), short(end)))
        }
        (_, Some(Err(why))) => Some(format!("cannot tell that its tag {tag} is of what ships ({why})")),
        _ => None,
    }
}

/// Why a dependency scan of what ships does not let the move through, if it does not: findings at
/// `level` or above that nobody accepted, or lock files that could not be read.
fn vulnerable_failure(scan: &ScanFacts<DependencyFinding>, level: Severity) -> Option<String> {
    let shown: Vec<String> = scan
        .open
        .iter()
        .filter(|f| f.reaches(level))
        .map(|f| format!("{} {} ({}, {})", f.package, f.version, f.advisory, f.severity.as_str()))
        .collect();
    let vulnerable = (!shown.is_empty()).then(|| {
        format!(
            "{} known-vulnerable dependenc{} at {} or above, not accepted: {}",
            shown.len(),
            if shown.len() == 1 { "y" } else { "ies" },
            level.as_str(),
            first_three(&shown)
        )
    });
    // What a lock file that cannot be read pins ships unchecked, whatever its severity.
    let unchecked = (!scan.unchecked.is_empty()).then(|| {
        let (s, they, pin, them, each) =
            if scan.unchecked.len() == 1 { ("", "it", "pins", "it", "it") } else { ("s", "they", "pin", "them", "each") };
        format!(
            "{} lock file{s} could not be read, so what {they} {pin} was not checked: {}; mend {them} and scan again, or accept {each} with a reason",
            scan.unchecked.len(),
            first_three(&scan.unchecked),
        )
    });
    match (vulnerable, unchecked) {
        (Some(v), Some(u)) => Some(format!("{v}; {u}")),
        (v, u) => v.or(u),
    }
}

/// Why the release's secrets scan does not let the move through, if it does not: never run, or
/// findings left that nobody marked as a false positive.
fn leaks_failure(facts: &GateFacts) -> Option<String> {
    let found = match &facts.leaks {
        None => {
            return Some(
                "its diff was never scanned for secrets: scan it in the release's Security section (or `relman security scan`)"
                    .to_string(),
            )
        }
        Some(scan) => {
            if let Some(why) = stale(facts, &scan.to_sha).or_else(|| moved_start(facts, scan.from_sha.as_deref())) {
                return Some(why);
            }
            &scan.open
        }
    };
    if found.is_empty() {
        return None;
    }
    let shown: Vec<String> =
        found.iter().map(|f| format!("{} in {}:{} ({})", f.rule_id, f.path, f.line, f.redacted)).collect();
    Some(format!(
        "{} secret{} in the diff, not marked as a false positive: {}",
        shown.len(),
        if shown.len() == 1 { "" } else { "s" },
        first_three(&shown)
    ))
}

/// Why a scan of `scanned` no longer counts: the release's range has moved on since, or where it
/// ends now cannot be read (then nothing says the scan is of what ships).
fn stale(facts: &GateFacts, scanned: &str) -> Option<String> {
    match facts.range_end.as_ref()? {
        Ok(end) if end == scanned => None,
        Ok(end) => Some(format!(
            "the last scan is of {}, but the release's range now ends at {}: scan again",
            short(scanned),
            short(end)
        )),
        Err(why) => Some(format!("cannot tell that the last scan is of what ships ({why})")),
    }
}

/// Why a secrets scan that read the commits after `scanned` no longer counts: the release's range
/// starts elsewhere now (an earlier `from` brings commits nobody scanned), or that cannot be read.
fn moved_start(facts: &GateFacts, scanned: Option<&str>) -> Option<String> {
    let start = |sha: Option<&str>| sha.map_or_else(|| "the first commit".to_string(), |s| short(s).to_string());
    match facts.range_start.as_ref()? {
        Ok(now) if now.as_deref() == scanned => None,
        Ok(now) => Some(format!(
            "the last secrets scan read the commits after {}, but the release's range now starts after {}: scan again",
            start(scanned),
            start(now.as_deref())
        )),
        Err(why) => Some(format!("cannot tell that the last secrets scan read the whole range ({why})")),
    }
}

/// A commit's first seven hex digits, as git shows it.
fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// The commit a release's range ends at now, or why it cannot be read.
pub type RangeEnd = std::result::Result<String, String>;
/// The commit a release's range starts after now (None: it reads all of the history), or why it
/// cannot be read.
pub type RangeStart = std::result::Result<Option<String>, String>;

/// The release's tag as checked now, or why it cannot be checked.
pub type TagFact = std::result::Result<crate::security::signing::ReleaseTagCheck, String>;

/// Why no change request lets the move through now, if none does: authorized (or scheduled, or being
/// implemented) with a window around the moment of the move.
fn change_failure(facts: &GateFacts) -> Option<String> {
    use crate::change::ChangeState::{Authorize, Implement, Scheduled};
    let now = facts.now?;
    // Scheduling already waited for every approval; in authorize, every role must have approved.
    let approved =
        |c: &&ChangeFact| matches!(c.state, Scheduled | Implement) || (c.state == Authorize && c.missing.is_empty());
    let inside = |c: &&ChangeFact| c.window.is_some_and(|(start, end)| start <= now && now <= end);
    if facts.changes.iter().filter(approved).any(|c| inside(&c)) {
        return None;
    }
    let described: Vec<String> = facts
        .changes
        .iter()
        .map(|c| match (approved(&c), c.window) {
            (false, _) if c.state == Authorize => {
                format!("the change \"{}\" awaits an approval from {}", c.title, c.missing.join(" and "))
            }
            (false, _) => format!("the change \"{}\" is in {}", c.title, c.state.as_str()),
            (true, Some((start, end))) => format!("the change \"{}\" is approved for {start} to {end}", c.title),
            (true, None) => format!("the change \"{}\" has no window", c.title),
        })
        .collect();
    Some(match described.as_slice() {
        [] => "no change request for this release: open one and have it approved".to_string(),
        _ => format!("no approved change request inside its window now: {}", first_three(&described)),
    })
}

/// The first three of a list, and how many more.
fn first_three<T: AsRef<str>>(all: &[T]) -> String {
    let shown = all.iter().take(3).map(AsRef::as_ref).collect::<Vec<_>>().join("; ");
    match all.len() {
        n if n > 3 => format!("{shown} and {} more", n - 3),
        _ => shown,
    }
}
/// Refuses a move whose gates fail, unless `override_reason` is given. Returns each gate's verdict
/// (what the transition's audit event records, criterion by criterion) and what an override overrode.
/// Called inside the transition's transaction.
pub(crate) fn check(
    conn: &Connection,
    release_id: i64,
    version: &str,
    into: ReleaseStatus,
    override_reason: Option<&str>,
    now: DateTime<Utc>,
    git: &GitFacts,
) -> Result<(Vec<GateResult>, Option<serde_json::Value>)> {
    let gates = evaluate(conn, release_id, into, now, git)?;
    let failing: Vec<&GateResult> = gates.iter().filter(|g| !g.failures.is_empty()).collect();
    if failing.is_empty() {
        return Ok((gates, None));
    }
    let listed: Vec<String> = failing.iter().map(|g| format!("{}: {}", g.name, g.failures.join("; "))).collect();
    match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => Ok((gates, Some(serde_json::json!({ "failures": listed, "reason": reason })))),
        None => Err(Error::GateBlocked(format!(
            "Release {version} cannot move to {} yet. {}. Finish these, or override with a reason.",
            into.label(),
            listed.join(". ")
        ))),
    }
}

#[cfg(test)]
mod judging {
    use super::*;

    fn rule(phases: &[Phase], roles: &[&str], risks_mitigated: bool) -> GateRule {
        let roles = roles.iter().map(|r| r.to_string()).collect();
        GateRule {
            uid: String::new(),
            name: "Ready to ship".into(),
            phases: phases.to_vec(),
            roles,
            risks_mitigated,
            change_approved: false,
            vulnerable_at: None,
            secrets_clear: false,
            tag_signed: false,
        }
    }

    fn signed(role: &str, decision: Decision, comment: &str) -> Signoff {
        let (person, at) = ("Quinn".to_string(), String::new());
        Signoff { id: 0, uid: String::new(), role: role.into(), person, decision, comment: comment.into(), at }
    }

    fn open(phase: Phase, titles: &[&str]) -> Vec<(Phase, String)> {
        titles.iter().map(|t| (phase, t.to_string())).collect()
    }

    #[test]
    fn the_tag_rule_wants_a_tag_at_what_ships_signed_by_a_listed_key() {
        use crate::security::signing::{ReleaseTagCheck, SignatureState, SignerTrust, TagSignature};
        let rule = GateRule { tag_signed: true, ..rule(&[], &[], false) };
        let end = "e".repeat(40);
        let signed = |state: SignatureState| TagSignature {
            tag: "v2.5.0".into(),
            state,
            fingerprint: Some("SHA256:abc".into()),
            principal: None,
            key_type: None,
            summary: String::new(),
        };
        let judged = |signature: Option<TagSignature>, commit: &str, range_end: RangeEnd| {
            let check = ReleaseTagCheck { tag: "v2.5.0".into(), signature, commit: Some(commit.to_string()) };
            let facts = GateFacts { tag: Some(Ok(check)), range_end: Some(range_end), ..Default::default() };
            judge(ReleaseStatus::Deploying, std::slice::from_ref(&rule), &facts)[0].failures.join("; ")
        };
        let allowed = || Some(signed(SignatureState::Signed { trust: SignerTrust::Allowed }));
        assert_eq!(judged(allowed(), &end, Ok(end.clone())), "", "signed by a listed key, at what ships");
        assert_eq!(
            judged(allowed(), &"a".repeat(40), Ok(end.clone())),
            "its tag v2.5.0 is at aaaaaaa, but the release's range now ends at eeeeeee"
        );
        assert_eq!(
            judged(allowed(), &end, Err("Atlas has no git repository linked".into())),
            "cannot tell that its tag v2.5.0 is of what ships (Atlas has no git repository linked)"
        );
        let unsigned = judged(Some(signed(SignatureState::Unsigned)), &end, Ok(end.clone()));
        assert!(unsigned.starts_with("its tag v2.5.0 is not signed: delete it (`git tag -d v2.5.0`)"), "{unsigned}");
        let bad =
            judged(Some(signed(SignatureState::Bad { reason: "the tag was changed".into() })), &end, Ok(end.clone()));
        assert_eq!(bad, "its tag v2.5.0 has a bad signature (SHA256:abc): the tag was changed");
        let x509 = judged(Some(signed(SignatureState::Unchecked { format: "x509".into() })), &end, Ok(end.clone()));
        assert!(
            x509.contains("signed with x509, which Relman cannot check") && x509.contains("git tag -v v2.5.0"),
            "{x509}"
        );
        let by_gpg = |state: SignatureState, summary: &str| TagSignature {
            key_type: Some("openpgp".into()),
            summary: summary.into(),
            ..signed(state)
        };
        let untrusted = by_gpg(
            SignatureState::Signed { trust: SignerTrust::NotAllowed },
            "signed by Sam <sam@example.com> (gpg FF), a gpg key your keyring does not hold as valid",
        );
        assert_eq!(
            judged(Some(untrusted), &end, Ok(end.clone())),
            "its tag v2.5.0 is signed by Sam <sam@example.com> (gpg FF), a gpg key your keyring does not hold as valid",
            "gpg's trust, in its own words"
        );
        let trusted = by_gpg(SignatureState::Signed { trust: SignerTrust::Allowed }, "signed by Sam");
        assert_eq!(judged(Some(trusted), &end, Ok(end.clone())), "", "a valid gpg key passes");
        let none = GateFacts { tag: Some(Err("the clone is gone".into())), ..Default::default() };
        assert_eq!(
            judge(ReleaseStatus::Deploying, std::slice::from_ref(&rule), &none)[0].failures,
            ["cannot check the release's tag (the clone is gone)"]
        );
    }

    #[test]
    fn the_change_rule_wants_an_approved_change_whose_window_holds_the_move() {
        use crate::change::ChangeState;
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
        let now = at("2026-12-10T22:30:00+01:00").with_timezone(&Utc);
        let change = |state, window: Option<(&str, &str)>| ChangeFact {
            id: 4,
            title: "Deploy".into(),
            state,
            window: window.map(|(s, e)| (at(s), at(e))),
            missing: vec![],
        };
        let rule = GateRule { change_approved: true, ..rule(&[], &[], false) };
        let tonight = Some(("2026-12-10T22:00:00+01:00", "2026-12-10T23:30:00+01:00"));
        let tomorrow = Some(("2026-12-11T22:00:00+01:00", "2026-12-11T23:30:00+01:00"));
        let cases: Vec<(&str, Vec<ChangeFact>, Option<&str>)> = vec![
            ("none at all", vec![], Some("no change request for this release: open one and have it approved")),
            ("scheduled, window now", vec![change(ChangeState::Scheduled, tonight)], None),
            ("authorized, window now", vec![change(ChangeState::Authorize, tonight)], None),
            (
                "an emergency change submitted, not yet authorized",
                vec![ChangeFact { missing: vec!["CAB".into()], ..change(ChangeState::Authorize, tonight) }],
                Some("no approved change request inside its window now: the change \"Deploy\" awaits an approval from CAB"),
            ),
            (
                "scheduled for tomorrow",
                vec![change(ChangeState::Scheduled, tomorrow)],
                Some("no approved change request inside its window now: the change \"Deploy\" is approved for 2026-12-11 22:00:00 +01:00 to 2026-12-11 23:30:00 +01:00"),
            ),
            (
                "still being assessed",
                vec![change(ChangeState::Assess, tonight)],
                Some("no approved change request inside its window now: the change \"Deploy\" is in assess"),
            ),
        ];
        for (what, changes, expected) in cases {
            let facts = GateFacts { changes, now: Some(now), ..Default::default() };
            let failures = judge(ReleaseStatus::Deploying, std::slice::from_ref(&rule), &facts).remove(0).failures;
            assert_eq!(failures.first().map(String::as_str), expected, "{what}");
        }
    }

    #[test]
    fn each_criterion_fails_in_words_or_passes() {
        use Decision::*;
        use Phase::*;
        let cases: Vec<(&str, GateRule, GateFacts, Vec<&str>)> = vec![
            ("nothing asked, nothing fails", rule(&[], &[], false), GateFacts::default(), vec![]),
            (
                "an open required item of a gated phase",
                rule(&[PreRelease], &[], false),
                GateFacts { open_required: open(PreRelease, &["Staging sign-off"]), ..Default::default() },
                vec!["1 required pre-release item is not done: Staging sign-off"],
            ),
            (
                "open items of another phase do not count",
                rule(&[PreRelease], &[], false),
                GateFacts { open_required: open(Deploy, &["Roll out"]), ..Default::default() },
                vec![],
            ),
            (
                "more than three are counted, three named",
                rule(&[PreRelease], &[], false),
                GateFacts { open_required: open(PreRelease, &["a", "b", "c", "d", "e"]), ..Default::default() },
                vec!["5 required pre-release items are not done: a; b; c and 2 more"],
            ),
            ("a missing sign-off", rule(&[], &["QA"], false), GateFacts::default(), vec!["no sign-off from QA"]),
            (
                "roles match ignoring case",
                rule(&[], &["QA"], false),
                GateFacts { signoffs: vec![signed("qa", Approve, "")], ..Default::default() },
                vec![],
            ),
            (
                "the latest sign-off of a role decides",
                rule(&[], &["QA"], false),
                GateFacts {
                    signoffs: vec![signed("QA", Approve, ""), signed("QA", Reject, "login broken")],
                    ..Default::default()
                },
                vec!["QA rejected (Quinn: login broken)"],
            ),
            (
                "a rejection approved again passes",
                rule(&[], &["QA"], false),
                GateFacts {
                    signoffs: vec![signed("QA", Reject, "login broken"), signed("QA", Approve, "fixed")],
                    ..Default::default()
                },
                vec![],
            ),
            (
                "unmitigated risks, when the gate asks",
                rule(&[], &[], true),
                GateFacts { threshold: 15, unmitigated: vec![("Rate limits".into(), 20)], ..Default::default() },
                vec!["1 open or mitigating risk scoring 15 or more has no mitigation: Rate limits (score 20)"],
            ),
            (
                "unmitigated risks, when it does not",
                rule(&[], &[], false),
                GateFacts { threshold: 15, unmitigated: vec![("Rate limits".into(), 20)], ..Default::default() },
                vec![],
            ),
        ];
        for (case, rule, facts, expected) in cases {
            let verdict = judge(ReleaseStatus::Ready, &[rule], &facts);
            assert_eq!(verdict[0].failures, expected, "{case}");
        }
    }

    #[test]
    fn every_failure_of_a_gate_is_listed_in_order() {
        let facts = GateFacts {
            open_required: open(Phase::PreRelease, &["Staging sign-off"]),
            threshold: 15,
            unmitigated: vec![("Rate limits".into(), 20), ("Index rebuild".into(), 15)],
            ..Default::default()
        };
        let verdict = judge(ReleaseStatus::Deploying, &[rule(&[Phase::PreRelease], &["Ops"], true)], &facts);
        assert_eq!(verdict[0].into, ReleaseStatus::Deploying);
        assert_eq!(
            verdict[0].failures,
            [
                "1 required pre-release item is not done: Staging sign-off",
                "no sign-off from Ops",
                "2 open or mitigating risks scoring 15 or more have no mitigation: Rate limits (score 20); Index rebuild (score 15)",
            ]
        );
    }
}
