//! The retrospective: prefilled from a fixture release's deploy (timings, a skip, a failure), a gate
//! override, a risk that occurred and an incident; written by the team; action items that become a
//! risk on the next release and a template step.

use chrono::{DateTime, Utc};
use relman_core::checklist::items::{self, ItemState};
use relman_core::checklist::template::{self, Gate, Template, TemplateItem};
use relman_core::checklist::Phase;
use relman_core::deployment::{self, Outcome, Strategy};
use relman_core::incident::{self, IncidentInput, Severity};
use relman_core::release::ReleaseStatus;
use relman_core::retro::{self, ActionInput, ActionKind, Promotion};
use relman_core::risk::{self, Category, RiskInput, RiskStatus};
use relman_core::{lifecycle, Stamp};

use crate::common::{add_product, add_release, db};

fn at(text: &str) -> Stamp {
    Stamp::new("Priya Raman <priya@example.com>", DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc))
}

fn step(title: &str, minutes: u32) -> TemplateItem {
    TemplateItem {
        phase: Phase::Deploy,
        title: title.into(),
        details: String::new(),
        owner_role: "Ops".into(),
        required: true,
        expected_minutes: Some(minutes),
        check: None,
    }
}

#[test]
fn the_retrospective_is_prefilled_from_the_release_and_its_actions_become_a_risk_and_a_step() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, product, "2.5.0").id;
    let next = add_release(&mut db, product, "2.6.0").id;
    let process = Template {
        name: "Atlas process".into(),
        description: String::new(),
        items: vec![step("Migrate", 10), step("Canary", 15), step("Roll out", 20)],
        gates: vec![Gate {
            name: "Signed".into(),
            into: ReleaseStatus::Ready,
            phases_done: vec![],
            signoff_roles: vec!["QA".into()],
            risks_mitigated: false,
            change_approved: false,
            vulnerable_at: None,
            secrets_clear: false,
            tag_signed: false,
        }],
    };
    template::save(&mut db.store, &at("2026-11-01T09:00:00Z"), process.clone()).unwrap();
    items::apply(&mut db.store, &at("2026-11-01T09:00:00Z"), release, &process).unwrap();
    for status in [ReleaseStatus::InProgress, ReleaseStatus::Frozen, ReleaseStatus::Testing] {
        lifecycle::transition(&mut db.store, &at("2026-11-02T09:00:00Z"), release, status, "").unwrap();
    }
    lifecycle::transition_with(
        &mut db.store,
        &at("2026-11-03T09:00:00Z"),
        release,
        ReleaseStatus::Ready,
        "",
        Some("QA is out; Ops tested"),
    )
    .unwrap();

    // The deploy: started 20:00; Migrate done 20:12 (12 min against 10), Canary skipped, Roll out done
    // at 21:00 (48 min against 20: the most over-run).
    let steps = items::list(&db.store, release).unwrap();
    let d =
        deployment::start(&mut db.store, &at("2026-11-04T20:00:00Z"), release, "production", Strategy::Canary).unwrap();
    deployment::act(&mut db.store, &at("2026-11-04T20:12:00Z"), d.id, steps[0].id, ItemState::Done, "").unwrap();
    deployment::act(
        &mut db.store,
        &at("2026-11-04T20:12:30Z"),
        d.id,
        steps[1].id,
        ItemState::Skipped,
        "Canary pool down",
    )
    .unwrap();
    deployment::act(&mut db.store, &at("2026-11-04T21:00:30Z"), d.id, steps[2].id, ItemState::Done, "").unwrap();
    deployment::finish(&mut db.store, &at("2026-11-04T21:01:00Z"), d.id, Outcome::Succeeded).unwrap();

    let feared = risk::create(
        &mut db.store,
        &at("2026-11-01T09:00:00Z"),
        RiskInput {
            release_id: Some(release),
            ..RiskInput::new(product, "Orders table locks", Category::Technical, 3, 4)
        },
    )
    .unwrap();
    let input = IncidentInput {
        product_id: product,
        release_id: Some(release),
        title: "Orders stuck for 20 minutes".into(),
        severity: Some(Severity::Sev2),
        detected_at: Some("2026-11-04T21:10:00Z".into()),
        risk_id: Some(feared.id),
        ..Default::default()
    };
    let happened = incident::create(&mut db.store, &at("2026-11-04T21:12:00Z"), input).unwrap();
    assert_eq!(
        risk::get(&db.store, feared.id).unwrap().status,
        RiskStatus::Occurred,
        "the risk occurred as the incident"
    );

    let r = retro::get(&db.store, release).unwrap();
    let f = &r.facts;
    let timings: Vec<(&str, i64, i64)> =
        f.timings.iter().map(|t| (t.title.as_str(), t.expected_minutes, t.actual_minutes)).collect();
    assert_eq!(timings[0], ("Roll out", 20, 48), "the most over-run first: {timings:?}");
    assert!(timings.contains(&("Migrate", 10, 12)), "{timings:?}");
    assert_eq!(f.troubled.len(), 1);
    assert_eq!((f.troubled[0].title.as_str(), f.troubled[0].reason.as_str()), ("Canary", "Canary pool down"));
    assert_eq!(f.overrides.len(), 1);
    assert_eq!(f.overrides[0].reason, "QA is out; Ops tested");
    assert_eq!(f.risks_occurred, ["Orders table locks"]);
    assert_eq!(f.incidents[0].id, happened.id);

    retro::write(
        &mut db.store,
        &at("2026-11-06T10:00:00Z"),
        release,
        "The rollout was calm.",
        "The canary pool was down.",
    )
    .unwrap();
    let empty = ActionInput { text: " ".into(), owner: String::new(), due_date: None, kind: ActionKind::Process };
    assert_eq!(
        retro::add_action(&mut db.store, &at("2026-11-06T10:00:00Z"), release, empty).unwrap_err().field(),
        Some("text")
    );
    let add = |db: &mut crate::common::Db, text: &str, kind| {
        let input =
            ActionInput { text: text.into(), owner: "Tom Becker".into(), due_date: Some("2026-11-20".into()), kind };
        retro::add_action(&mut db.store, &at("2026-11-06T10:00:00Z"), release, input).unwrap()
    };
    let lock = add(&mut db, "Run the migration online in batches", ActionKind::Mitigate);
    let pool = add(&mut db, "Check the canary pool before the deploy", ActionKind::Process);

    let as_risk = retro::promote(&mut db.store, &at("2026-11-06T10:05:00Z"), lock.id, Promotion::Risk).unwrap();
    let created = risk::get(&db.store, as_risk.risk_id.unwrap()).unwrap();
    assert_eq!((created.release_id, created.mitigation.as_str()), (Some(next), "Run the migration online in batches"));
    assert!(retro::promote(&mut db.store, &at("2026-11-06T10:05:00Z"), lock.id, Promotion::Risk).is_err(), "once");

    let built_in = Promotion::Step { template: template::BUILT_IN.into(), phase: Phase::PreRelease };
    let refused = retro::promote(&mut db.store, &at("2026-11-06T10:06:00Z"), pool.id, built_in).unwrap_err();
    assert_eq!(refused.field(), Some("template"));
    let to_step = Promotion::Step { template: "Atlas process".into(), phase: Phase::PreRelease };
    let as_step = retro::promote(&mut db.store, &at("2026-11-06T10:06:00Z"), pool.id, to_step).unwrap();
    assert_eq!(as_step.template_step, "Atlas process: Pre-release: Check the canary pool before the deploy");
    let saved = template::get(&db.store, "Atlas process").unwrap();
    assert!(saved
        .items
        .iter()
        .any(|i| i.title == "Check the canary pool before the deploy" && i.phase == Phase::PreRelease));

    let text = retro::markdown(&retro::get(&db.store, release).unwrap());
    for expected in [
        "# Retrospective: Atlas 2.5.0",
        "- \"Roll out\" took 48 min against 20 expected.",
        "- \"Canary\" was skipped: Canary pool down.",
        "- Gates overridden into ready by Priya Raman <priya@example.com>: QA is out; Ops tested.",
        "- The risk \"Orders table locks\" occurred.",
        "The rollout was calm.",
        "(became risk",
    ] {
        assert!(text.contains(expected), "{expected}\n---\n{text}");
    }
}
