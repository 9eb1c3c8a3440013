//! Change requests against a real database: the machine per type, approvals by role and never by the
//! requester, scheduling that waits for them, a rejection back to draft, and an emergency change's
//! retrospective approval; and a CAB member's approval arriving by sync.

use chrono::{TimeZone, Utc};
use relman_core::change::{self, ChangeInput, ChangeState, ChangeType, CloseCode, MoveInput};
use relman_core::{ErrorCode, Stamp};

use crate::common::{add_product, add_release, db, Db};

const ANA: &str = "Ana Lima <ana@example.com>";
const QUINN: &str = "Quinn Okafor <quinn@example.com>";

fn as_(person: &str) -> Stamp {
    Stamp::new(person, Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap())
}

fn a_change(db: &mut Db, kind: ChangeType) -> (i64, change::ChangeRequest) {
    let product = add_product(db, "Atlas");
    let release = add_release(db, product, "2.5.0").id;
    let input = ChangeInput {
        product_id: product,
        release_id: Some(release),
        title: "Deploy Atlas 2.5.0".into(),
        kind: Some(kind),
        window_start: Some("2026-12-10T22:00:00+01:00".into()),
        window_end: Some("2026-12-10T23:30:00+01:00".into()),
        ..Default::default()
    };
    (product, change::create(&mut db.store, &as_(ANA), input).unwrap())
}

fn to(state: ChangeState) -> MoveInput {
    MoveInput { to: Some(state), ..Default::default() }
}

#[test]
fn a_normal_change_is_assessed_approved_by_the_cab_not_by_its_requester_and_scheduled() {
    let mut db = db();
    let (_, created) = a_change(&mut db, ChangeType::Normal);
    assert_eq!((created.state, created.requester.as_str()), (ChangeState::Draft, ANA));
    assert_eq!(created.next_states, [ChangeState::Assess, ChangeState::Cancelled]);
    let id = created.id;
    let skipped = change::move_to(&mut db.store, &as_(ANA), id, to(ChangeState::Scheduled)).unwrap_err();
    assert_eq!(skipped.code(), ErrorCode::InvalidTransition, "{skipped}");
    change::move_to(&mut db.store, &as_(ANA), id, to(ChangeState::Assess)).unwrap();
    change::move_to(&mut db.store, &as_(ANA), id, to(ChangeState::Authorize)).unwrap();
    let early = change::move_to(&mut db.store, &as_(ANA), id, to(ChangeState::Scheduled)).unwrap_err();
    assert_eq!(early.code(), ErrorCode::GateBlocked);
    assert!(early.to_string().contains("needs an approval from CAB"), "{early}");
    let own = change::decide(&mut db.store, &as_(ANA), id, "CAB", true, "").unwrap_err();
    assert_eq!(own.code(), ErrorCode::Conflict);
    assert!(own.to_string().contains("requested this change, so cannot approve it"), "{own}");
    let approved = change::decide(&mut db.store, &as_(QUINN), id, "CAB", true, "Low risk").unwrap();
    assert!(approved.missing.is_empty(), "{:?}", approved.missing);
    let scheduled = change::move_to(&mut db.store, &as_(ANA), id, to(ChangeState::Scheduled)).unwrap();
    assert_eq!(scheduled.state, ChangeState::Scheduled);
    assert_eq!(scheduled.approvals[0].person, QUINN);
}

#[test]
fn a_rejection_sends_the_change_back_to_draft_with_its_reason() {
    let mut db = db();
    let (_, created) = a_change(&mut db, ChangeType::Normal);
    change::move_to(&mut db.store, &as_(ANA), created.id, to(ChangeState::Assess)).unwrap();
    let no_reason = change::decide(&mut db.store, &as_(QUINN), created.id, "CAB", false, " ").unwrap_err();
    assert_eq!(no_reason.field(), Some("comment"));
    let back = change::decide(&mut db.store, &as_(QUINN), created.id, "CAB", false, "No backout plan").unwrap();
    assert_eq!((back.state, back.rejection.as_str()), (ChangeState::Draft, "No backout plan"));
}

#[test]
fn a_standard_change_needs_no_cab_and_an_emergency_one_a_retrospective_approval() {
    let mut db = db();
    let (product, standard) = a_change(&mut db, ChangeType::Standard);
    let scheduled = change::move_to(&mut db.store, &as_(ANA), standard.id, to(ChangeState::Scheduled)).unwrap();
    assert_eq!(scheduled.state, ChangeState::Scheduled, "pre-approved");

    let input = ChangeInput {
        product_id: product,
        title: "Hotfix the login outage".into(),
        kind: Some(ChangeType::Emergency),
        window_start: Some("2026-12-01T11:00:00Z".into()),
        window_end: Some("2026-12-01T12:00:00Z".into()),
        ..Default::default()
    };
    let id = change::create(&mut db.store, &as_(ANA), input).unwrap().id;
    change::move_to(&mut db.store, &as_(ANA), id, to(ChangeState::Authorize)).unwrap();
    change::decide(&mut db.store, &as_(QUINN), id, "CAB", true, "Go").unwrap();
    for state in [ChangeState::Scheduled, ChangeState::Implement, ChangeState::Review] {
        change::move_to(&mut db.store, &as_(ANA), id, to(state)).unwrap();
    }
    let close =
        MoveInput { to: Some(ChangeState::Closed), close_code: Some(CloseCode::Successful), notes: String::new() };
    let waiting = change::move_to(&mut db.store, &as_(ANA), id, close.clone()).unwrap_err();
    assert!(waiting.to_string().contains("retrospective approval"), "{waiting}");
    let after = change::decide(&mut db.store, &as_(QUINN), id, "CAB", true, "Reviewed").unwrap();
    assert!(after.approvals.last().is_some_and(|a| a.retrospective));
    assert_eq!(change::move_to(&mut db.store, &as_(ANA), id, close).unwrap().state, ChangeState::Closed);
}

#[test]
fn bad_input_is_refused_by_field() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let base = || ChangeInput {
        product_id: product,
        title: "Upgrade".into(),
        kind: Some(ChangeType::Normal),
        ..Default::default()
    };
    let cases = [
        ("title", ChangeInput { title: " ".into(), ..base() }),
        ("type", ChangeInput { kind: None, ..base() }),
        ("window_start", ChangeInput { window_start: Some("tonight".into()), ..base() }),
        (
            "window_end",
            ChangeInput {
                window_start: Some("2026-12-10T22:00:00Z".into()),
                window_end: Some("2026-12-10T21:00:00Z".into()),
                ..base()
            },
        ),
    ];
    for (field, input) in cases {
        let error = change::create(&mut db.store, &as_(ANA), input).unwrap_err();
        assert_eq!(error.field(), Some(field), "{error}");
    }
    let cancel = change::create(&mut db.store, &as_(ANA), base()).unwrap();
    let reason = change::move_to(&mut db.store, &as_(ANA), cancel.id, to(ChangeState::Cancelled)).unwrap_err();
    assert_eq!(reason.field(), Some("notes"), "a cancel says why");
    assert_eq!(change::list(&db.store, Some(product), None).unwrap().len(), 1, "nothing refused was saved");
}

#[test]
fn a_cab_members_approval_on_their_own_laptop_arrives_by_sync() {
    use relman_core::share::{self, ShareInput};
    let remote = tempfile::tempdir().unwrap();
    git2::Repository::init_bare(remote.path()).unwrap();
    let url = format!("file://{}", remote.path().display());
    let mut ana = db();
    let (_, created) = a_change(&mut ana, ChangeType::Normal);
    change::move_to(&mut ana.store, &as_(ANA), created.id, to(ChangeState::Assess)).unwrap();
    let mut quinn = db();
    for (db, who) in [(&mut ana, ANA), (&mut quinn, QUINN)] {
        share::init(&mut db.store, &as_(who), ShareInput { remote: url.clone(), ..Default::default() }).unwrap();
    }
    share::sync(&mut ana.store, &as_(ANA), &[]).unwrap();
    share::sync(&mut quinn.store, &as_(QUINN), &[]).unwrap();
    let theirs = change::list(&quinn.store, None, None).unwrap();
    assert_eq!((theirs.len(), theirs[0].state), (1, ChangeState::Assess), "the change arrived");
    change::decide(&mut quinn.store, &as_(QUINN), theirs[0].id, "CAB", true, "Fine by me").unwrap();
    share::sync(&mut quinn.store, &as_(QUINN), &[]).unwrap();
    let report = share::sync(&mut ana.store, &as_(ANA), &[]).unwrap();
    assert!(report.received.iter().any(|c| c.kind == "change-approvals" && c.by == QUINN), "{:?}", report.received);
    let mine = change::get(&ana.store, created.id).unwrap();
    assert!(mine.missing.is_empty() && mine.approvals[0].person == QUINN, "{mine:?}");
    assert_eq!(mine.state, ChangeState::Authorize, "assessed by every role it needs, it is authorized");
    assert_eq!(
        change::move_to(&mut ana.store, &as_(ANA), created.id, to(ChangeState::Scheduled)).unwrap().state,
        ChangeState::Scheduled
    );
}

#[test]
fn a_draft_from_the_release_fills_the_plans_and_a_new_draft_keeps_what_was_edited() {
    use relman_core::change::Plan;
    use relman_core::{demo, drafting, release};
    let mut db = db();
    demo::load(&mut db.store, &as_(ANA)).unwrap();
    let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let input = ChangeInput {
        product_id: lupine.product_id,
        release_id: Some(lupine.id),
        title: "Deploy Atlas Web 2.5.0".into(),
        kind: Some(ChangeType::Normal),
        ..Default::default()
    };
    let id = change::create(&mut db.store, &as_(ANA), input).unwrap().id;
    let report = drafting::draft(&mut db.store, &as_(ANA), id).unwrap();
    assert!(report.kept.is_empty() && report.warnings.is_empty(), "{:?}", report.warnings);
    let drafted = report.change;
    let deploy: Vec<String> = relman_core::checklist::items::list(&db.store, lupine.id)
        .unwrap()
        .into_iter()
        .filter(|i| i.phase == relman_core::checklist::Phase::Deploy)
        .map(|i| i.title)
        .collect();
    let (git, runbook) = drafted.implementation_plan.split_once("\n\n").unwrap();
    assert!(git.starts_with("Ships Atlas Web 2.5.0: ") && git.contains("git suggests"), "the range from git: {git}");
    let plan: Vec<&str> = runbook.lines().collect();
    assert!(plan[0].starts_with(&format!("1. {}", deploy[0])), "the runbook's first step first: {}", plan[0]);
    assert_eq!(
        plan.iter().filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit())).count(),
        deploy.len(),
        "every deploy step, numbered"
    );
    assert!(drafted.backout_plan.starts_with("1. "), "the rollback phase: {}", drafted.backout_plan);
    assert!(drafted.test_plan.contains("Gate \"Ready to ship\" (into ready)"), "{}", drafted.test_plan);
    assert!(drafted.risk.starts_with("Highest live risk scores 20 (high)."), "{}", drafted.risk);
    assert!(drafted.links[0].starts_with("v2.4.1..release/2.5.0 ("), "{:?}", drafted.links);
    assert!(!drafted.authors.is_empty() && drafted.authors.iter().all(|a| a.contains('<')), "{:?}", drafted.authors);

    change::write_plan(&mut db.store, &as_(ANA), id, Plan::BackoutPlan, "Flip the load balancer back to blue.")
        .unwrap();
    let again = drafting::draft(&mut db.store, &as_(ANA), id).unwrap();
    assert_eq!(again.kept, [Plan::BackoutPlan], "the edited plan is kept");
    let again = again.change;
    assert_eq!(again.backout_plan, "Flip the load balancer back to blue.");
    assert_eq!(again.implementation_plan, drafted.implementation_plan, "the others are drafted again");
    assert_eq!(again.links.len(), drafted.links.len(), "a link is listed once");

    let loose = ChangeInput {
        product_id: lupine.product_id,
        title: "Rotate keys".into(),
        kind: Some(ChangeType::Standard),
        ..Default::default()
    };
    let no_release = change::create(&mut db.store, &as_(ANA), loose).unwrap().id;
    assert_eq!(drafting::draft(&mut db.store, &as_(ANA), no_release).unwrap_err().field(), Some("release_id"));
}

#[test]
fn a_gate_can_hold_the_deploy_until_an_approved_change_is_in_its_window() {
    use relman_core::checklist::template::{Gate, Template, TemplateItem};
    use relman_core::checklist::{items, Phase};
    use relman_core::lifecycle;
    use relman_core::release::ReleaseStatus;
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, product, "2.5.0").id;
    let template = Template {
        name: "Gated".into(),
        description: String::new(),
        items: vec![TemplateItem {
            phase: Phase::Deploy,
            title: "Roll out".into(),
            details: String::new(),
            owner_role: "Ops".into(),
            required: true,
            expected_minutes: Some(10),
            check: None,
        }],
        gates: vec![Gate {
            name: "Change approved".into(),
            into: ReleaseStatus::Deploying,
            phases_done: vec![],
            signoff_roles: vec![],
            risks_mitigated: false,
            change_approved: true,
            vulnerable_at: None,
            secrets_clear: false,
            tag_signed: false,
        }],
    };
    items::apply(&mut db.store, &as_(ANA), release, &template).unwrap();
    for status in [ReleaseStatus::InProgress, ReleaseStatus::Frozen, ReleaseStatus::Testing, ReleaseStatus::Ready] {
        lifecycle::transition(&mut db.store, &as_(ANA), release, status, "").unwrap();
    }
    let blocked = lifecycle::transition(&mut db.store, &as_(ANA), release, ReleaseStatus::Deploying, "").unwrap_err();
    assert_eq!(blocked.code(), ErrorCode::GateBlocked);
    assert!(blocked.to_string().contains("no change request for this release"), "{blocked}");

    // The stamps are at 10:00 UTC on 2026-12-01: a window around it, authorized by the CAB.
    let input = ChangeInput {
        product_id: product,
        release_id: Some(release),
        title: "Deploy Atlas 2.5.0".into(),
        kind: Some(ChangeType::Normal),
        window_start: Some("2026-12-01T10:30:00+01:00".into()),
        window_end: Some("2026-12-01T12:00:00+01:00".into()),
        ..Default::default()
    };
    let id = change::create(&mut db.store, &as_(ANA), input).unwrap().id;
    change::submit(&mut db.store, &as_(ANA), id).unwrap();
    let still = lifecycle::transition(&mut db.store, &as_(ANA), release, ReleaseStatus::Deploying, "").unwrap_err();
    assert!(still.to_string().contains("is in assess"), "{still}");
    change::decide(&mut db.store, &as_(QUINN), id, "CAB", true, "").unwrap();
    let moved = lifecycle::transition(&mut db.store, &as_(ANA), release, ReleaseStatus::Deploying, "").unwrap();
    assert_eq!(moved.status, ReleaseStatus::Deploying, "the approved change's window holds the move");
}

#[test]
fn the_sample_has_a_standard_a_normal_awaiting_the_cab_with_a_conflict_and_a_closed_emergency_change() {
    let mut db = db();
    relman_core::demo::load(&mut db.store, &as_(ANA)).unwrap();
    let all = change::list(&db.store, None, None).unwrap();
    let of = |kind: ChangeType| all.iter().find(|c| c.kind == kind).expect("one of each type");
    assert_eq!(of(ChangeType::Standard).state, ChangeState::Scheduled);
    let normal = of(ChangeType::Normal);
    assert_eq!((normal.state, normal.missing.as_slice()), (ChangeState::Assess, &["CAB".to_string()][..]));
    assert_eq!(normal.conflicts.len(), 1, "{:?}", normal.conflicts);
    assert!(normal.conflicts[0].message.contains("Holiday freeze"), "{:?}", normal.conflicts);
    let emergency = of(ChangeType::Emergency);
    assert_eq!(emergency.state, ChangeState::Closed);
    assert!(emergency.approvals.iter().any(|a| a.retrospective), "{:?}", emergency.approvals);
}

#[test]
fn an_author_of_the_drafted_commits_may_not_approve_where_the_product_says_so() {
    use relman_core::{demo, drafting, release};
    let mut db = db();
    demo::load(&mut db.store, &as_(ANA)).unwrap();
    let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let input = ChangeInput {
        product_id: lupine.product_id,
        release_id: Some(lupine.id),
        title: "Deploy Atlas Web 2.5.0".into(),
        kind: Some(ChangeType::Normal),
        ..Default::default()
    };
    let id = change::create(&mut db.store, &as_(ANA), input).unwrap().id;
    let authors = drafting::draft(&mut db.store, &as_(ANA), id).unwrap().change.authors;
    let author = authors.iter().find(|a| !a.contains("ana@")).expect("an author other than the requester").clone();
    change::submit(&mut db.store, &as_(ANA), id).unwrap();
    let mut policy = change::policy::get(&db.store, lupine.product_id).unwrap();
    assert!(!policy.authors_may_approve, "the sample's Atlas Web keeps authors from approving");
    policy.authors_may_approve = true;
    change::policy::set(&mut db.store, &as_(ANA), lupine.product_id, policy.clone()).unwrap();
    change::decide(&mut db.store, &as_(&author), id, "CAB", false, "Not yet: trying the rule").unwrap();
    change::submit(&mut db.store, &as_(ANA), id).unwrap();
    policy.authors_may_approve = false;
    change::policy::set(&mut db.store, &as_(ANA), lupine.product_id, policy).unwrap();
    let refused = change::decide(&mut db.store, &as_(&author), id, "CAB", true, "").unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Conflict);
    assert!(refused.to_string().contains("wrote commits this change ships"), "{refused}");
    change::decide(&mut db.store, &as_(QUINN), id, "CAB", true, "").unwrap();
}

#[test]
fn roles_for_tagged_services_maintenance_windows_and_the_record_frozen_once_scheduled() {
    use relman_core::change::{ChangePolicy, ConflictKind, RoleRule};
    let mut db = db();
    let (product, created) = a_change(&mut db, ChangeType::Normal);
    let policy = ChangePolicy {
        roles: vec![
            RoleRule { role: "CAB".into(), only_for: vec![] },
            RoleRule { role: "Security".into(), only_for: vec!["security".into()] },
        ],
        authors_may_approve: true,
        maintenance: vec!["sat 22:00-02:00 Europe/Berlin".parse().unwrap()],
    };
    change::policy::set(&mut db.store, &as_(ANA), product, policy).unwrap();
    let now = change::get(&db.store, created.id).unwrap();
    assert_eq!(now.roles, ["CAB"], "Security is asked only of security changes");
    let outside: Vec<_> = now.conflicts.iter().filter(|c| c.kind == ConflictKind::OutsideMaintenance).collect();
    assert_eq!(outside.len(), 1, "a Thursday window outside Saturday nights: {:?}", now.conflicts);
    assert!(
        outside[0].message.contains("Atlas's maintenance window (Saturdays 22:00–02:00 Europe/Berlin)"),
        "{:?}",
        outside
    );

    let edit = ChangeInput {
        product_id: product,
        title: "Deploy Atlas 2.5.0".into(),
        kind: Some(ChangeType::Normal),
        window_start: Some("2026-12-12T22:30:00+01:00".into()),
        window_end: Some("2026-12-13T00:30:00+01:00".into()),
        services: vec!["web".into(), "Security".into()],
        ..Default::default()
    };
    let moved = change::update(&mut db.store, &as_(ANA), created.id, edit.clone()).unwrap();
    assert!(moved.conflicts.is_empty(), "inside Saturday night: {:?}", moved.conflicts);
    assert_eq!(moved.roles, ["CAB", "Security"]);
    change::submit(&mut db.store, &as_(ANA), created.id).unwrap();
    change::decide(&mut db.store, &as_(QUINN), created.id, "CAB", true, "").unwrap();
    let one = change::get(&db.store, created.id).unwrap();
    assert_eq!((one.state, one.missing.as_slice()), (ChangeState::Assess, &["Security".to_string()][..]));
    change::decide(&mut db.store, &as_("Sam Reyes <sam@example.com>"), created.id, "Security", true, "").unwrap();
    change::move_to(&mut db.store, &as_(ANA), created.id, to(ChangeState::Scheduled)).unwrap();
    let frozen = change::update(&mut db.store, &as_(ANA), created.id, edit).unwrap_err();
    assert_eq!(frozen.code(), ErrorCode::InvalidTransition);
    assert!(frozen.to_string().contains("is what was approved"), "{frozen}");

    let ics = change::export(&db.store, created.id, change::ExportFormat::Ics).unwrap();
    assert!(ics.text.contains(&format!("UID:change-{}@relman", one.uid)), "{}", ics.text);
    assert!(ics.text.contains("DTSTART:20261212T213000Z"), "the window in UTC: {}", ics.text);
}
