//! Checklist items proven by git and Relman's records, on the "evidence" fixture repository: each
//! check passing and failing, a pass ticking its item as "Relman (evidence)" with what it saw in the
//! item's history, a check that stops holding reopening the item it ticked, a person's override
//! needing a reason, and a repeat run recording nothing new.

use relman_core::change::{self, ChangeInput, ChangeType};
use relman_core::checklist::evidence::{EvidenceCheck, ACTOR};
use relman_core::checklist::items::{self, ItemInput, ItemState};
use relman_core::checklist::Phase;
use relman_core::milestone::{self, MilestoneInput, MilestoneKind};
use relman_core::product::{self, ProductInput, Repository};
use relman_core::release::{self, ReleaseInput};
use relman_core::{evidence, tagging};

use crate::common::{db, fixture, stamp, Db};

pub struct Fixture {
    pub db: Db,
    pub repo: tempfile::TempDir,
    pub product: i64,
    pub release: i64,
}

impl Fixture {
    pub fn path(&self) -> std::path::PathBuf {
        self.repo.path().join("repo")
    }
}

/// Atlas 1.3.0 on `release/1.3` of the fixture, with its code freeze on 2026-01-02.
pub fn fixture_release() -> Fixture {
    let repo = fixture("evidence");
    let mut db = db();
    let input = ProductInput {
        name: "Atlas".into(),
        repository: Some(Repository {
            path: repo.path().join("repo").display().to_string(),
            default_branch: "main".into(),
            tag_pattern: "v{version}".into(),
        }),
        ..Default::default()
    };
    let product = product::create(&mut db.store, &stamp(), input).unwrap().id;
    let input = ReleaseInput {
        product_id: product,
        version: "1.3.0".into(),
        from_ref: "v1.2.0".into(),
        release_branch: "release/1.3".into(),
        ..Default::default()
    };
    let release = release::create(&mut db.store, &stamp(), input).unwrap().id;
    let freeze = MilestoneInput {
        kind: MilestoneKind::CodeFreeze,
        name: String::new(),
        planned_start: "2026-01-02".into(),
        planned_end: None,
        actual_start: None,
        actual_end: None,
    };
    milestone::create(&mut db.store, &stamp(), release, freeze).unwrap();
    Fixture { db, repo, product, release }
}

fn step(f: &mut Fixture, title: &str, check: EvidenceCheck) -> i64 {
    let input = ItemInput {
        phase: Phase::PreRelease,
        title: title.into(),
        details: String::new(),
        owner: String::new(),
        required: true,
        expected_minutes: None,
        check: Some(check),
    };
    items::add(&mut f.db.store, &stamp(), f.release, input).unwrap().id
}

fn item(f: &Fixture, id: i64) -> items::ChecklistItem {
    items::get(&f.db.store, id).unwrap()
}

fn refresh(f: &mut Fixture) -> usize {
    evidence::refresh(&mut f.db.store, &stamp(), f.release).unwrap()
}

#[test]
fn git_checks_pass_and_fail_with_what_they_saw() {
    let mut f = fixture_release();
    let frozen = step(&mut f, "Nothing after the freeze", EvidenceCheck::NoCommitsAfterFreeze);
    let issue = step(&mut f, "PROJ-7 is in", EvidenceCheck::BranchContains { target: "PROJ-7".into() });
    let missing = step(&mut f, "PROJ-99 is in", EvidenceCheck::BranchContains { target: "PROJ-99".into() });
    let by_sha = step(&mut f, "main's tip is in", EvidenceCheck::BranchContains { target: "main".into() });
    let by_tag = step(&mut f, "1.2.0's fix is in", EvidenceCheck::BranchContains { target: "v1.2.0".into() });
    let clean = step(&mut f, "Clean checkout", EvidenceCheck::CleanAtTo);
    let tagged = step(&mut f, "Tagged", EvidenceCheck::TagExists { pushed: false });
    assert_eq!(refresh(&mut f), 7, "every check recorded what it saw the first time");

    let late = item(&f, frozen);
    let seen = late.evidence.clone().unwrap();
    assert!(!seen.passed && seen.summary.contains("1 commit landed after the code freeze on 2026-01-02"), "{seen:?}");
    assert!(seen.seen[0].contains("fix(api): late fix after the freeze") && seen.seen[0].contains("2026-01-04"));
    assert_eq!(late.state, ItemState::Todo, "a failing check ticks nothing");

    let proven = item(&f, issue);
    assert_eq!((proven.state, proven.actor.as_str()), (ItemState::Done, ACTOR), "{proven:?}");
    assert!(
        proven.note.contains("release/1.3 contains PROJ-7: ") && proven.note.contains("bulk edit"),
        "{}",
        proven.note
    );
    assert!(!item(&f, missing).evidence.unwrap().passed);
    let not_in = item(&f, by_sha).evidence.unwrap();
    assert!(!not_in.passed && not_in.summary.starts_with("release/1.3 does not contain main"), "{not_in:?}");
    let holds = item(&f, by_tag).evidence.unwrap();
    assert!(holds.passed && holds.summary.starts_with("release/1.3 contains v1.2.0 ("), "{holds:?}");
    assert_eq!(item(&f, clean).state, ItemState::Done, "checked out at release/1.3 with no changes");
    let untagged = item(&f, tagged).evidence.unwrap();
    assert_eq!(untagged.summary, "There is no tag v1.3.0 in the repository yet.");

    // The history keeps what was seen, by Relman's evidence, for the person whose view ran it.
    let history = f.db.store.audit_log(Some(("checklist_item", issue))).unwrap();
    let event = history.iter().find(|e| e.action == "evidence").unwrap();
    assert_eq!(event.actor, ACTOR);
    assert!(event.details.contains("\"passed\":true") && event.details.contains("\"evaluated_for\":\"priya\""));
    assert!(history.iter().any(|e| e.action == "state" && e.actor == ACTOR), "the tick itself");

    // Nothing changed: nothing new is recorded.
    let events = f.db.audit_count();
    assert_eq!(refresh(&mut f), 0);
    assert_eq!(f.db.audit_count(), events);

    // The working copy gets a stray file: the check stops holding and reopens the step it ticked.
    std::fs::write(f.path().join("notes.txt"), "scratch").unwrap();
    // The release is tagged at its branch: the tag check passes.
    let git = git2::Repository::open(f.path()).unwrap();
    let tip = git.revparse_single("release/1.3").unwrap();
    git.tag_lightweight("v1.3.0", &tip, false).unwrap();
    assert_eq!(refresh(&mut f), 2);
    let dirty = item(&f, clean);
    assert_eq!(dirty.state, ItemState::Todo);
    assert!(
        dirty
            .note
            .starts_with("The evidence no longer holds: The working copy is at release/1.3 but has 1 changed file"),
        "{}",
        dirty.note
    );
    assert_eq!(dirty.evidence.unwrap().seen, vec!["Changed: notes.txt".to_string()]);
    let tag = item(&f, tagged);
    assert_eq!(tag.state, ItemState::Done);
    assert!(tag.note.starts_with("v1.3.0 exists at "), "{}", tag.note);

    // The freeze moves past the late fix: the freeze check holds.
    let freeze = milestone::list(&f.db.store, f.release).unwrap().remove(0);
    let moved = milestone::MilestonePatch { planned_start: Some("2026-01-05".into()), ..Default::default() };
    milestone::patch(&mut f.db.store, &stamp(), freeze.id, moved).unwrap();
    refresh(&mut f);
    let holds = item(&f, frozen);
    assert_eq!(holds.state, ItemState::Done);
    assert!(
        holds.note.starts_with("No commit after the code freeze on 2026-01-05 (2 commits to release/1.3 checked)"),
        "{}",
        holds.note
    );
}

#[test]
fn a_person_overrides_a_failing_check_only_with_a_reason() {
    let mut f = fixture_release();
    let frozen = step(&mut f, "Nothing after the freeze", EvidenceCheck::NoCommitsAfterFreeze);
    refresh(&mut f);
    let error = items::set_state(&mut f.db.store, &stamp(), frozen, ItemState::Done, "").unwrap_err();
    assert_eq!(error.field(), Some("note"));
    assert!(error.to_string().contains("Its check does not pass (1 commit landed after the code freeze"), "{error}");
    let reason = "The late fix was approved at the go/no-go.";
    let ticked = items::set_state(&mut f.db.store, &stamp(), frozen, ItemState::Done, reason).unwrap();
    assert_eq!((ticked.state, ticked.actor.as_str(), ticked.note.as_str()), (ItemState::Done, "priya", reason));
    refresh(&mut f);
    assert_eq!(item(&f, frozen).state, ItemState::Done, "a person's override stays when the check still fails");
}

#[test]
fn records_checks_need_sign_offs_and_an_approved_change() {
    let mut f = fixture_release();
    let records = step(&mut f, "Paperwork", EvidenceCheck::SignoffsAndChange);
    let pushed = step(&mut f, "Pushed", EvidenceCheck::TagExists { pushed: true });
    refresh(&mut f);
    assert_eq!(item(&f, records).evidence.unwrap().summary, "Missing: no change request.");
    let input = ChangeInput {
        product_id: f.product,
        release_id: Some(f.release),
        title: "Ship 1.3.0".into(),
        kind: Some(ChangeType::Standard),
        window_start: Some("2026-11-27T22:00:00+01:00".into()),
        window_end: Some("2026-11-27T23:00:00+01:00".into()),
        ..Default::default()
    };
    let change = change::create(&mut f.db.store, &stamp(), input).unwrap();
    change::submit(&mut f.db.store, &stamp(), change.id).unwrap();
    refresh(&mut f);
    let done = item(&f, records);
    assert_eq!(done.state, ItemState::Done, "{:?}", done.evidence);
    assert!(done.evidence.unwrap().seen.iter().any(|s| s.contains("\"Ship 1.3.0\" is approved (scheduled)")));

    // Tagged by Relman but not pushed: the pushed check says what to do.
    let git = git2::Repository::open(f.path()).unwrap();
    git.set_head("refs/heads/release/1.3").unwrap();
    let job = tagging::prepare(&f.db.store, f.release, None, "priya").unwrap();
    let preview = job.plan().unwrap();
    tagging::create(&mut f.db.store, &stamp(), f.release, &preview.plan).unwrap();
    refresh(&mut f);
    let summary = item(&f, pushed).evidence.unwrap().summary;
    assert!(summary.contains("but Relman has not pushed it: push it from the release's Tag section"), "{summary}");
    tagging::record_push(&mut f.db.store, &stamp(), f.release, "origin", Ok(())).unwrap();
    refresh(&mut f);
    let done = item(&f, pushed);
    assert_eq!(done.state, ItemState::Done);
    assert!(done.note.ends_with("and was pushed to origin."), "{}", done.note);
}

#[test]
fn a_check_without_its_facts_says_what_is_missing() {
    let mut db = db();
    let product = crate::common::add_product(&mut db, "Beacon");
    let release = crate::common::add_release(&mut db, product, "1.0.0").id;
    let input = ItemInput {
        phase: Phase::PreRelease,
        title: "Branch has the fix".into(),
        details: String::new(),
        owner: String::new(),
        required: true,
        expected_minutes: None,
        check: Some(EvidenceCheck::BranchContains { target: "  ".into() }),
    };
    let error = items::add(&mut db.store, &stamp(), release, input.clone()).unwrap_err();
    assert_eq!(error.field(), Some("check"));
    let input = ItemInput { check: Some(EvidenceCheck::NoCommitsAfterFreeze), ..input };
    let id = items::add(&mut db.store, &stamp(), release, input).unwrap().id;
    evidence::refresh(&mut db.store, &stamp(), release).unwrap();
    let seen = items::get(&db.store, id).unwrap().evidence.unwrap();
    assert_eq!(seen.summary, "The release has no code-freeze milestone; add one to check this.");
}
