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

#[test]
fn a_slice_of_rows_is_the_same_rows_as_the_whole_timeline_at_those_places() {
    let mut db = db();
    demo::load_scaled(&mut db.store, &stamp(), demo::Scale::Large).unwrap();
    let window = |offset: u32, limit: Option<u32>| TimelineFilter {
        from: Some("2026-09-01".into()),
        to: Some("2027-03-01".into()),
        row_offset: Some(offset),
        row_limit: limit,
        ..Default::default()
    };
    let all = timeline(&db.store, &window(0, None), today()).unwrap();
    let every: Vec<_> = all.groups.iter().flat_map(|g| &g.rows).collect();
    assert_eq!(every.len() as u32, all.total);
    assert!(all.total > 60, "a window holds many rows: {}", all.total);
    assert!(every.iter().enumerate().all(|(i, r)| r.index == i as u32), "rows are numbered in order");
    for g in &all.groups {
        assert_eq!((g.rows.len() as u32, g.rows.first().map(|r| r.index)), (g.count, Some(g.first)));
        assert!(g.rows.windows(2).all(|w| w[0].bar_start <= w[1].bar_start), "by where bars start");
    }

    // Forty rows from the middle, across a product's edge: the same rows, and every group counted.
    let part = timeline(&db.store, &window(30, Some(40)), today()).unwrap();
    let some: Vec<_> = part.groups.iter().flat_map(|g| &g.rows).collect();
    let ids = |rows: &[&relman_core::overview::TimelineRow]| rows.iter().map(|r| r.release.id).collect::<Vec<_>>();
    assert_eq!(ids(&some), ids(&every[30..70]));
    let days = |r: &relman_core::overview::TimelineRow| r.milestones.iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(days(some[0]), days(every[30]));
    assert_eq!(part.total, all.total);
    assert_eq!((part.start.as_str(), part.end.as_str()), (all.start.as_str(), all.end.as_str()), "the axis stays put");
    let counts = |t: &relman_core::overview::Timeline| t.groups.iter().map(|g| (g.first, g.count)).collect::<Vec<_>>();
    assert_eq!(counts(&part), counts(&all));
    assert!(part.groups.iter().filter(|g| !g.rows.is_empty()).count() >= 2, "the slice crosses a product");

    // Past the end, nothing but the counts; a limit out of range is refused with the range.
    let past = timeline(&db.store, &window(all.total + 5, Some(10)), today()).unwrap();
    assert!(past.groups.iter().all(|g| g.rows.is_empty()) && past.total == all.total);
    let err = timeline(&db.store, &window(0, Some(0)), today()).unwrap_err();
    assert_eq!(err.field(), Some("row_limit"));
    assert!(err.to_string().contains("between 1 and 1000"), "{err}");
}

#[test]
fn a_release_moves_between_windows_as_its_days_change() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let input = ReleaseInput {
        product_id: product,
        version: "1.0.0".into(),
        target_date: Some("2026-12-20".into()),
        ..Default::default()
    };
    let created = release::create(&mut db.store, &stamp(), input.clone()).unwrap();
    let window = |db: &crate::common::Db, from: &str, to: &str| {
        let filter = TimelineFilter { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
        timeline(&db.store, &filter, today()).unwrap().total
    };
    let far = ("2027-06-01", "2027-06-30");
    assert_eq!(window(&db, far.0, far.1), 0);
    let ga = MilestoneInput {
        kind: MilestoneKind::Ga,
        name: String::new(),
        planned_start: "2027-06-10".into(),
        planned_end: None,
        actual_start: None,
        actual_end: None,
    };
    let m = milestone::create(&mut db.store, &stamp(), created.id, ga.clone()).unwrap();
    assert_eq!(window(&db, far.0, far.1), 1, "a milestone added in the days brings its release in");
    let earlier = MilestoneInput { planned_start: "2026-12-15".into(), ..ga };
    milestone::update(&mut db.store, &stamp(), m.id, earlier).unwrap();
    assert_eq!(window(&db, far.0, far.1), 1, "moved out, its first plan is still drawn there");
    milestone::delete(&mut db.store, &stamp(), m.id).unwrap();
    assert_eq!(window(&db, far.0, far.1), 0, "deleted, nothing of it is left in the days");
    let later = ReleaseInput { target_date: Some("2027-06-15".into()), ..input };
    release::update(&mut db.store, &stamp(), created.id, later).unwrap();
    assert_eq!(window(&db, far.0, far.1), 1, "a target moved into the days brings its bar");
    assert_eq!(window(&db, "2026-11-20", "2026-11-25"), 0, "created today, its bar starts today");
}
