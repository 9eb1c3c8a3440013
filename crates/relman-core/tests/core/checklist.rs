use relman_core::checklist::items::{self, ItemState};
use relman_core::checklist::template::{self, FileFormat};
use relman_core::checklist::Phase;
use relman_core::ErrorCode;

use crate::common::{add_product, add_release, db, stamp};

#[test]
fn the_built_in_template_covers_the_four_phases_and_round_trips() {
    let built_in = template::built_in();
    assert!((24..=30).contains(&built_in.items.len()), "about 25 items, has {}", built_in.items.len());
    for phase in Phase::ALL {
        assert!(built_in.items.iter().any(|i| i.phase == phase), "{phase:?} has items");
    }
    for format in [FileFormat::Json, FileFormat::Toml] {
        let text = template::render(&built_in, format).unwrap();
        assert_eq!(
            template::parse(&text, format).unwrap(),
            built_in,
            "{format:?} export then import gives the same template"
        );
    }
}

#[test]
fn bad_template_files_name_the_problem_and_its_line() {
    let json = "{\n  \"name\": \"Mobile\",\n  \"items\": [\n    { \"phase\": \"launch\", \"title\": \"Ship\" }\n  ]\n}";
    let error = template::parse(json, FileFormat::Json).unwrap_err();
    assert!(error.to_string().contains("unknown variant `launch`") && error.to_string().contains("line 4"), "{error}");

    let toml = "name = \"Mobile\"\n\n[[items]]\nphase = \"deploy\"\ntitel = \"Ship\"\n";
    let error = template::parse(toml, FileFormat::Toml).unwrap_err();
    assert!(error.to_string().contains("line 5") && error.to_string().contains("unknown field `titel`"), "{error}");

    let no_items = "name = \"Empty\"\nitems = []\n";
    assert_eq!(template::parse(no_items, FileFormat::Toml).unwrap_err().field(), Some("items"));
    let bad_gate =
        "name = \"G\"\n[[items]]\nphase = \"deploy\"\ntitle = \"x\"\n[[gates]]\nname = \"n\"\ninto = \"released\"\n";
    assert!(template::parse(bad_gate, FileFormat::Toml).unwrap_err().to_string().contains("only ready and deploying"));
}

#[test]
fn applying_copies_so_later_template_edits_leave_the_release_alone() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, product, "1.0.0");
    let mut own = template::built_in();
    own.name = "Atlas process".into();
    template::save(&mut db.store, &stamp(), own.clone()).unwrap();
    let stored = template::get(&db.store, "atlas process").unwrap();
    let count = items::apply(&mut db.store, &stamp(), release.id, &stored).unwrap();
    assert_eq!(count, own.items.len());

    own.items[0].title = "Something else entirely".into();
    template::save(&mut db.store, &stamp(), own).unwrap();
    let list = items::list(&db.store, release.id).unwrap();
    assert_eq!(list[0].title, "Announce the code freeze", "the release keeps its copy");
    assert_eq!(list[0].phase, Phase::PreRelease);

    let again = items::apply(&mut db.store, &stamp(), release.id, &template::built_in()).unwrap_err();
    assert_eq!(again.code(), ErrorCode::Conflict);
    let built_in = template::save(&mut db.store, &stamp(), template::built_in()).unwrap_err();
    assert_eq!(built_in.code(), ErrorCode::Conflict, "the built-in template cannot be overwritten");
}

#[test]
fn a_skip_needs_a_reason_and_every_change_records_who_and_when() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, product, "1.0.0");
    items::apply(&mut db.store, &stamp(), release.id, &template::built_in()).unwrap();
    let first = items::list(&db.store, release.id).unwrap()[0].clone();
    let audits = db.audit_count();

    let error = items::set_state(&mut db.store, &stamp(), first.id, ItemState::Skipped, "  ").unwrap_err();
    assert_eq!(error.field(), Some("note"));
    assert_eq!(db.audit_count(), audits, "nothing was written");
    assert_eq!(items::list(&db.store, release.id).unwrap()[0].state, ItemState::Todo);

    let started = items::set_state(&mut db.store, &stamp(), first.id, ItemState::InProgress, "").unwrap();
    assert_eq!(started.started_at.as_deref(), Some("2026-11-26T09:30:00Z"));
    let skipped =
        items::set_state(&mut db.store, &stamp(), first.id, ItemState::Skipped, "Announced last week").unwrap();
    assert_eq!((skipped.note.as_str(), skipped.actor.as_str()), ("Announced last week", "priya"));
    assert!(skipped.finished_at.is_some() && skipped.state.is_closed());
    assert_eq!(db.audit_count(), audits + 2, "one audit row per change");

    let reopened = items::set_state(&mut db.store, &stamp(), first.id, ItemState::Todo, "").unwrap();
    assert_eq!((reopened.started_at, reopened.finished_at), (None, None), "reopening clears the times");
    assert!(
        items::set_state(&mut db.store, &stamp(), first.id, ItemState::Failed, "").is_err(),
        "a failure needs a note"
    );
}

mod gates {
    use relman_core::checklist::items::{self, ItemState};
    use relman_core::checklist::signoff::{self, Decision, SignoffInput};
    use relman_core::checklist::{template, Phase};
    use relman_core::lifecycle;
    use relman_core::release::{self, ReleaseStatus};
    use relman_core::ErrorCode;

    use crate::common::{add_product, add_release, db, stamp};

    fn to_testing(db: &mut crate::common::Db) -> i64 {
        let product = add_product(db, "Atlas");
        let id = add_release(db, product, "1.0.0").id;
        items::apply(&mut db.store, &stamp(), id, &template::built_in()).unwrap();
        for to in [ReleaseStatus::InProgress, ReleaseStatus::Frozen, ReleaseStatus::Testing] {
            lifecycle::transition(&mut db.store, &stamp(), id, to, "").unwrap();
        }
        id
    }

    fn sign(db: &mut crate::common::Db, id: i64, role: &str, decision: Decision, comment: &str) {
        let input = SignoffInput { role: role.into(), person: "Ana".into(), decision, comment: comment.into() };
        signoff::sign(&mut db.store, &stamp(), id, input).unwrap();
    }

    #[test]
    fn each_gate_a_release_carries_has_a_global_id() {
        use relman_core::lifecycle::gates;
        let mut db = db();
        let id = to_testing(&mut db);
        let first = gates::evaluate_for(&db.store, id, ReleaseStatus::Ready, crate::common::stamp().at).unwrap();
        assert!(!first.is_empty() && first.iter().all(|g| g.uid.len() == 36), "{first:?}");
        let again = gates::evaluate_for(&db.store, id, ReleaseStatus::Ready, crate::common::stamp().at).unwrap();
        let ids = |gs: &[gates::GateResult]| gs.iter().map(|g| g.uid.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&first), ids(&again), "the id belongs to the gate, not to one evaluation");
    }

    #[test]
    fn a_blocked_move_lists_exactly_what_fails() {
        let mut db = db();
        let id = to_testing(&mut db);
        let audits = db.audit_count();
        let error = lifecycle::transition(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "").unwrap_err();
        assert_eq!(error.code(), ErrorCode::GateBlocked);
        let text = error.to_string();
        assert!(text.contains("10 required pre-release items are not done"), "{text}");
        assert!(text.contains("no sign-off from QA") && text.contains("no sign-off from Product"), "{text}");
        assert_eq!(release::get(&db.store, id).unwrap().status, ReleaseStatus::Testing, "nothing moved");
        assert_eq!(db.audit_count(), audits, "nothing was written");
    }

    #[test]
    fn done_items_and_approvals_open_the_gate_and_a_rejection_closes_it() {
        let mut db = db();
        let id = to_testing(&mut db);
        for item in
            items::list(&db.store, id).unwrap().into_iter().filter(|i| i.phase == Phase::PreRelease && i.required)
        {
            items::set_state(&mut db.store, &stamp(), item.id, ItemState::Done, "").unwrap();
        }
        sign(&mut db, id, "QA", Decision::Approve, "");
        sign(&mut db, id, "Product", Decision::Reject, "Pricing page copy is wrong");
        let error = lifecycle::transition(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "").unwrap_err();
        assert!(error.to_string().contains("Product rejected (Ana: Pricing page copy is wrong)"), "{error}");
        sign(&mut db, id, "Product", Decision::Approve, "Fixed");
        let ready = lifecycle::transition(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "").unwrap();
        assert_eq!(ready.status, ReleaseStatus::Ready, "the latest sign-off per role counts");
    }

    #[test]
    fn an_override_needs_a_reason_and_is_audited_with_what_it_overrode() {
        let mut db = db();
        let id = to_testing(&mut db);
        let audits = db.audit_count();
        let blank =
            lifecycle::transition_with(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "", Some("  ")).unwrap_err();
        assert_eq!(blank.code(), ErrorCode::GateBlocked, "a blank reason is no override");
        let moved = lifecycle::transition_with(
            &mut db.store,
            &stamp(),
            id,
            ReleaseStatus::Ready,
            "",
            Some("Hotfix for an outage"),
        )
        .unwrap();
        assert_eq!(moved.status, ReleaseStatus::Ready);
        assert_eq!(db.audit_count(), audits + 1, "one audit row for the move");
        let last = db.store.audit_log(None).unwrap().pop().unwrap();
        assert!(
            last.details.contains("Hotfix for an outage") && last.details.contains("no sign-off from QA"),
            "{}",
            last.details
        );
        let history = release::history(&db.store, id).unwrap();
        assert_eq!(history.last().unwrap().note, "Gates overridden: Hotfix for an outage");
    }

    #[test]
    fn a_rejection_needs_a_comment() {
        let mut db = db();
        let id = to_testing(&mut db);
        let input = SignoffInput {
            role: "Security".into(),
            person: "Kenji".into(),
            decision: Decision::Reject,
            comment: String::new(),
        };
        assert_eq!(signoff::sign(&mut db.store, &stamp(), id, input).unwrap_err().field(), Some("comment"));
    }
}

mod deploying {
    use relman_core::checklist::items::{self, ItemState};
    use relman_core::checklist::{template, Phase};
    use relman_core::deployment::{self, Outcome, Strategy};
    use relman_core::ErrorCode;

    use crate::common::{add_product, add_release, db, stamp};

    #[test]
    fn actions_undo_exactly_and_the_log_tells_the_story() {
        let mut db = db();
        let product = add_product(&mut db, "Atlas");
        let id = add_release(&mut db, product, "1.0.0").id;
        items::apply(&mut db.store, &stamp(), id, &template::built_in()).unwrap();
        let steps: Vec<_> =
            items::list(&db.store, id).unwrap().into_iter().filter(|i| i.phase == Phase::Deploy).collect();
        let d = deployment::start(&mut db.store, &stamp(), id, "production", Strategy::Canary).unwrap();
        assert_eq!(
            deployment::start(&mut db.store, &stamp(), id, "staging", Strategy::Manual).unwrap_err().code(),
            ErrorCode::Conflict
        );
        assert_eq!(
            deployment::running(&db.store, id).unwrap().map(|r| r.id),
            Some(d.id),
            "deploy mode reopens here after a restart"
        );

        deployment::act(&mut db.store, &stamp(), d.id, steps[0].id, ItemState::Done, "").unwrap();
        deployment::act(
            &mut db.store,
            &stamp(),
            d.id,
            steps[1].id,
            ItemState::Skipped,
            "No migrations in this release",
        )
        .unwrap();
        let failed =
            deployment::act(&mut db.store, &stamp(), d.id, steps[2].id, ItemState::Failed, "Canary pods crash-loop")
                .unwrap();
        assert_eq!(failed.state, ItemState::Failed);
        let back = deployment::undo(&mut db.store, &stamp(), d.id).unwrap();
        assert_eq!(
            (back.id, back.state, back.started_at.clone()),
            (steps[2].id, ItemState::Todo, None),
            "undo restores the item exactly"
        );
        deployment::act(&mut db.store, &stamp(), d.id, steps[2].id, ItemState::Done, "").unwrap();
        deployment::finish(&mut db.store, &stamp(), d.id, Outcome::Succeeded).unwrap();
        assert!(
            deployment::act(&mut db.store, &stamp(), d.id, steps[3].id, ItemState::Done, "").is_err(),
            "an ended deployment takes no more steps"
        );

        let log = deployment::log(&db.store, d.id).unwrap();
        assert_eq!(log.actions.len(), 4);
        assert!(log.actions[2].undone, "the undone action stays in the log, marked");
        let md = deployment::log_markdown(&log);
        assert!(md.contains("# Deploy log: Atlas 1.0.0 to production"), "{md}");
        assert!(md.contains("No migrations in this release") && md.contains("(undone)"), "{md}");
        assert!(md.contains("Finished 2026-11-26T09:30:00Z: succeeded."), "{md}");
    }
}

mod editing {
    use relman_core::checklist::items::{self, ItemInput};
    use relman_core::checklist::signoff::{self, GoNoGo};
    use relman_core::checklist::{template, Phase};
    use relman_core::ErrorCode;

    use crate::common::{add_product, add_release, db, stamp};

    fn input(phase: Phase, title: &str) -> ItemInput {
        ItemInput {
            phase,
            title: title.into(),
            details: String::new(),
            owner: "Ops".into(),
            required: true,
            expected_minutes: Some(5),
            check: None,
        }
    }

    #[test]
    fn items_are_added_edited_reordered_and_deleted() {
        let mut db = db();
        let product = add_product(&mut db, "Atlas");
        let id = add_release(&mut db, product, "1.0.0").id;
        let a = items::add(&mut db.store, &stamp(), id, input(Phase::Deploy, "Drain the queue")).unwrap();
        let b = items::add(&mut db.store, &stamp(), id, input(Phase::Deploy, "Flip the load balancer")).unwrap();
        assert_eq!((a.position, b.position), (0, 1));
        let order = items::reorder(&mut db.store, &stamp(), b.id, -1).unwrap();
        assert_eq!(
            order.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(),
            ["Flip the load balancer", "Drain the queue"]
        );
        let unchanged = items::reorder(&mut db.store, &stamp(), b.id, -1).unwrap();
        assert_eq!(unchanged[0].id, b.id, "the first stays first");
        let moved = items::edit(&mut db.store, &stamp(), a.id, input(Phase::Rollback, "Refill the queue")).unwrap();
        assert_eq!((moved.phase, moved.title.as_str()), (Phase::Rollback, "Refill the queue"));
        assert_eq!(
            items::add(&mut db.store, &stamp(), id, input(Phase::Deploy, " ")).unwrap_err().field(),
            Some("title")
        );
        items::delete(&mut db.store, &stamp(), b.id).unwrap();
        assert_eq!(items::list(&db.store, id).unwrap().len(), 1);
    }

    #[test]
    fn go_no_go_and_template_duplicates() {
        let mut db = db();
        let product = add_product(&mut db, "Atlas");
        let id = add_release(&mut db, product, "1.0.0").id;
        let no_go = GoNoGo {
            id: 0,
            uid: String::new(),
            go: false,
            decided_by: "Priya".into(),
            attendees: "Tom, Ana".into(),
            notes: String::new(),
            at: String::new(),
        };
        assert_eq!(signoff::decide(&mut db.store, &stamp(), id, no_go.clone()).unwrap_err().field(), Some("notes"));
        signoff::decide(
            &mut db.store,
            &stamp(),
            id,
            GoNoGo { notes: "Checkout error rate too high in staging".into(), ..no_go },
        )
        .unwrap();
        let go = GoNoGo {
            id: 0,
            uid: String::new(),
            go: true,
            decided_by: "Priya".into(),
            attendees: String::new(),
            notes: String::new(),
            at: String::new(),
        };
        signoff::decide(&mut db.store, &stamp(), id, go).unwrap();
        let decisions = signoff::decisions(&db.store, id).unwrap();
        assert_eq!(decisions.iter().map(|d| d.go).collect::<Vec<_>>(), [false, true]);

        let copy = template::duplicate(&mut db.store, &stamp(), template::BUILT_IN, "Mobile release").unwrap();
        assert_eq!(copy.items.len(), template::built_in().items.len());
        let again = template::duplicate(&mut db.store, &stamp(), template::BUILT_IN, "mobile release").unwrap_err();
        assert_eq!(again.code(), ErrorCode::Conflict);
    }
}

mod guarding {
    use relman_core::checklist::items::{self, ItemState};
    use relman_core::checklist::{template, Phase};
    use relman_core::deployment::{self, Outcome, Strategy};
    use relman_core::{ErrorCode, Stamp};

    use crate::common::{add_product, add_release, db, stamp};

    #[test]
    fn undo_never_overwrites_a_later_change_and_restores_who_too() {
        let mut db = db();
        let product = add_product(&mut db, "Atlas");
        let id = add_release(&mut db, product, "1.0.0").id;
        items::apply(&mut db.store, &stamp(), id, &template::built_in()).unwrap();
        let step = items::list(&db.store, id).unwrap().into_iter().find(|i| i.phase == Phase::Deploy).unwrap();
        let other = Stamp::new("tom", stamp().at);
        items::set_state(&mut db.store, &other, step.id, ItemState::InProgress, "").unwrap();
        let d = deployment::start(&mut db.store, &stamp(), id, "production", Strategy::Rolling).unwrap();
        deployment::act(&mut db.store, &stamp(), d.id, step.id, ItemState::Done, "").unwrap();
        let back = deployment::undo(&mut db.store, &stamp(), d.id).unwrap();
        assert_eq!(
            (back.state, back.actor.as_str()),
            (ItemState::InProgress, "tom"),
            "exactly as it was, who included"
        );

        deployment::act(&mut db.store, &stamp(), d.id, step.id, ItemState::Done, "").unwrap();
        items::set_state(&mut db.store, &other, step.id, ItemState::Failed, "Pods crash").unwrap();
        let refused = deployment::undo(&mut db.store, &stamp(), d.id).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::Conflict, "{refused}");
        assert_eq!(items::get(&db.store, step.id).unwrap().state, ItemState::Failed, "the later change stands");

        let acted = items::delete(&mut db.store, &stamp(), step.id).unwrap_err();
        assert_eq!(acted.code(), ErrorCode::Conflict, "a step in a deploy log is not deleted");
        deployment::finish(&mut db.store, &stamp(), d.id, Outcome::Failed).unwrap();
        assert_eq!(
            deployment::undo(&mut db.store, &stamp(), d.id).unwrap_err().code(),
            ErrorCode::Conflict,
            "an ended log does not change"
        );
    }

    #[test]
    fn a_deployment_only_ticks_its_own_release_and_templates_apply_once() {
        let mut db = db();
        let product = add_product(&mut db, "Atlas");
        let first = add_release(&mut db, product, "1.0.0").id;
        let second = add_release(&mut db, product, "1.1.0").id;
        items::apply(&mut db.store, &stamp(), first, &template::built_in()).unwrap();
        items::apply(&mut db.store, &stamp(), second, &template::built_in()).unwrap();
        let foreign = items::list(&db.store, second).unwrap()[0].id;
        let d = deployment::start(&mut db.store, &stamp(), first, "production", Strategy::Rolling).unwrap();
        let error = deployment::act(&mut db.store, &stamp(), d.id, foreign, ItemState::Done, "").unwrap_err();
        assert_eq!(error.field(), Some("item_id"));

        let third = add_release(&mut db, product, "1.2.0").id;
        items::apply(&mut db.store, &stamp(), third, &template::built_in()).unwrap();
        for item in items::list(&db.store, third).unwrap() {
            items::delete(&mut db.store, &stamp(), item.id).unwrap();
        }
        let again = items::apply(&mut db.store, &stamp(), third, &template::built_in()).unwrap_err();
        assert_eq!(again.code(), ErrorCode::Conflict, "its gates are still there: no second copy");
    }
}
