use chrono::NaiveDate;
use relman_core::milestone::{self, MilestoneInput, MilestoneKind};
use relman_core::overview::timeline::{timeline, TimelineFilter};
use relman_core::release::{self, ReleaseInput, ReleaseStatus};
use relman_core::{demo, freeze, lifecycle};

use crate::common::{add_product, db, stamp};

fn today() -> NaiveDate {
    stamp().today()
}

#[test]
fn the_sample_timeline_shows_slip_lateness_and_conflicts() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let view = timeline(&db.store, &TimelineFilter::default(), today()).unwrap();
    let names: Vec<&str> = view.groups.iter().map(|g| g.product_name.as_str()).collect();
    assert_eq!(names, ["Atlas Web", "Beacon Mobile"]);
    let rows: Vec<_> = view.groups.iter().flat_map(|g| &g.rows).collect();
    assert_eq!(rows.len(), 13);

    let lupine = rows.iter().find(|r| r.release.version == "2.5.0").unwrap();
    assert_eq!(lupine.release.slip_days, 3, "the target moved from +6 to +9 days");
    let code_freeze = lupine.milestones.iter().find(|m| m.kind == MilestoneKind::CodeFreeze).unwrap();
    assert_eq!(code_freeze.slip_days, 2, "code freeze slipped two days");
    assert!(!lupine.late);

    let conflicted: Vec<&str> =
        rows.iter().filter(|r| !r.conflicts.is_empty()).map(|r| r.release.product_name.as_str()).collect();
    assert_eq!(conflicted, ["Beacon Mobile"], "Beacon's GA falls in the holiday freeze");
    assert!(view.start <= lupine.bar_start && view.end >= lupine.bar_end, "the view spans every bar");
}

#[test]
fn an_open_release_past_its_target_is_late() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let input = ReleaseInput {
        product_id: product,
        version: "1.0.0".into(),
        target_date: Some("2026-11-20".into()),
        ..Default::default()
    };
    let late = release::create(&mut db.store, &stamp(), input).unwrap();
    let view = timeline(&db.store, &TimelineFilter::default(), today()).unwrap();
    assert!(view.groups[0].rows[0].late, "six days past target and still planned");
    lifecycle::transition(&mut db.store, &stamp(), late.id, ReleaseStatus::Cancelled, "").unwrap();
    let view = timeline(&db.store, &TimelineFilter::default(), today()).unwrap();
    assert!(!view.groups[0].rows[0].late, "a cancelled release is not late");
}

#[test]
fn moving_a_milestone_keeps_its_first_plan_and_filters_find_rows() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let created = release::create(
        &mut db.store,
        &stamp(),
        ReleaseInput { product_id: product, version: "1.0.0".into(), codename: "Orca".into(), ..Default::default() },
    )
    .unwrap();
    let input = |day: &str| MilestoneInput {
        kind: MilestoneKind::Rc,
        name: String::new(),
        planned_start: day.into(),
        planned_end: None,
        actual_start: None,
        actual_end: None,
    };
    let m = milestone::create(&mut db.store, &stamp(), created.id, input("2026-12-01")).unwrap();
    let moved = milestone::update(&mut db.store, &stamp(), m.id, input("2026-12-03")).unwrap();
    assert_eq!((moved.baseline_start.as_str(), moved.slip_days), ("2026-12-01", 2));
    let back = milestone::update(&mut db.store, &stamp(), m.id, input("2026-11-29")).unwrap();
    assert_eq!(back.slip_days, -2, "earlier than planned is a negative slip");

    let search = |text: &str| {
        timeline(&db.store, &TimelineFilter { search: text.into(), ..Default::default() }, today())
            .unwrap()
            .groups
            .len()
    };
    assert_eq!(search("orca"), 1, "codename, any case");
    assert_eq!(search("candidate"), 1, "milestone names");
    assert_eq!(search("nothing like it"), 0);
}

#[test]
fn freeze_windows_validate_their_input() {
    let mut db = db();
    let bad = freeze::FreezeWindowInput {
        name: "X".into(),
        start_date: "2026-12-10".into(),
        end_date: "2026-12-01".into(),
        reason: String::new(),
        product_ids: vec![],
    };
    assert_eq!(freeze::create(&mut db.store, &stamp(), bad).unwrap_err().field(), Some("end_date"));
    let unknown = freeze::FreezeWindowInput {
        name: "X".into(),
        start_date: "2026-12-01".into(),
        end_date: "2026-12-01".into(),
        reason: String::new(),
        product_ids: vec![99],
    };
    assert_eq!(freeze::create(&mut db.store, &stamp(), unknown).unwrap_err().field(), Some("product_ids"));
    assert_eq!(db.audit_count(), 0);
}

#[test]
fn the_large_sample_has_the_promised_size() {
    let mut db = db();
    let summary = demo::load_scaled(&mut db.store, &stamp(), demo::Scale::Large).unwrap();
    assert_eq!((summary.products, summary.releases, summary.milestones), (20, 500, 3000));
    let view = timeline(&db.store, &TimelineFilter::default(), today()).unwrap();
    assert_eq!(view.groups.iter().map(|g| g.rows.len()).sum::<usize>(), 500);
}
