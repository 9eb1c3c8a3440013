use relman_core::release::{self, ReleaseFilter, ReleaseInput, ReleaseStatus};
use relman_core::{lifecycle, milestone, ErrorCode};

use crate::common::{add_product, add_release, db, stamp};

#[test]
fn every_write_leaves_exactly_one_audit_row() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    assert_eq!(db.audit_count(), 1, "create product");
    let created = add_release(&mut db, product, "2.4.0");
    assert_eq!(db.audit_count(), 2, "create release");
    let input =
        ReleaseInput { product_id: product, version: "2.4.0".into(), codename: "Kestrel".into(), ..Default::default() };
    release::update(&mut db.store, &stamp(), created.id, input).unwrap();
    assert_eq!(db.audit_count(), 3, "update release");
    lifecycle::transition(&mut db.store, &stamp(), created.id, ReleaseStatus::InProgress, "").unwrap();
    assert_eq!(db.audit_count(), 4, "transition");
    let ms = milestone::MilestoneInput {
        kind: milestone::MilestoneKind::CodeFreeze,
        name: String::new(),
        planned_start: "2026-12-01".into(),
        planned_end: None,
        actual_start: None,
        actual_end: None,
    };
    let m = milestone::create(&mut db.store, &stamp(), created.id, ms).unwrap();
    assert_eq!(m.name, "Code freeze", "an unnamed milestone takes its kind's name");
    assert_eq!(db.audit_count(), 5, "create milestone");
    milestone::delete(&mut db.store, &stamp(), m.id).unwrap();
    assert_eq!(db.audit_count(), 6, "delete milestone");
    release::delete(&mut db.store, &stamp(), created.id, false).unwrap();
    assert_eq!(db.audit_count(), 7, "delete release");
    let last = db.store.audit_log(None).unwrap().pop().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.at.as_str()),
        ("priya", "2026-11-26T09:30:00Z"),
        "who and when are the stamp's"
    );
}

#[test]
fn an_illegal_transition_is_rejected_and_changes_nothing() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let created = add_release(&mut db, product, "2.4.0");
    let audits = db.audit_count();
    let error = lifecycle::transition(&mut db.store, &stamp(), created.id, ReleaseStatus::Released, "").unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidTransition);
    assert!(error.to_string().contains("in progress, cancelled"), "names the legal next states: {error}");
    let after = release::get(&db.store, created.id).unwrap();
    assert_eq!(after.status, ReleaseStatus::Planned, "the status is unchanged");
    assert_eq!(db.audit_count(), audits, "no audit row for a refused change");
    assert!(release::history(&db.store, created.id).unwrap().is_empty(), "no transition recorded");
}

#[test]
fn transitions_are_recorded_with_who_and_when_and_release_sets_the_date() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let id = add_release(&mut db, product, "2.4.0").id;
    use ReleaseStatus::*;
    for to in [InProgress, Frozen, Testing, Ready, Deploying, Released] {
        lifecycle::transition(&mut db.store, &stamp(), id, to, "").unwrap();
    }
    let history = release::history(&db.store, id).unwrap();
    assert_eq!(history.len(), 6);
    assert_eq!((history[5].from, history[5].to, history[5].actor.as_str()), (Deploying, Released, "priya"));
    let done = release::get(&db.store, id).unwrap();
    assert_eq!(done.actual_date.as_deref(), Some("2026-11-26"), "released today");
    assert_eq!(done.next_statuses, vec![RolledBack], "after release only a rollback remains");
}

#[test]
fn versions_are_validated_by_the_products_scheme_and_unique() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let bad = ReleaseInput { product_id: product, version: "2.4".into(), ..Default::default() };
    let error = release::create(&mut db.store, &stamp(), bad).unwrap_err();
    assert_eq!((error.code(), error.field()), (ErrorCode::InvalidInput, Some("version")));
    add_release(&mut db, product, "2.4.0");
    let dup = ReleaseInput { product_id: product, version: "v2.4.0".into(), ..Default::default() };
    let error = release::create(&mut db.store, &stamp(), dup).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict, "v2.4.0 is the same version as 2.4.0");
    let bad_date = ReleaseInput {
        product_id: product,
        version: "2.5.0".into(),
        target_date: Some("31/12/2026".into()),
        ..Default::default()
    };
    let error = release::create(&mut db.store, &stamp(), bad_date).unwrap_err();
    assert_eq!(error.field(), Some("target_date"));
    assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
}

#[test]
fn lists_filter_by_product_and_status() {
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let beacon = add_product(&mut db, "Beacon");
    add_release(&mut db, atlas, "1.0.0");
    let moving = add_release(&mut db, atlas, "1.1.0");
    add_release(&mut db, beacon, "0.1.0");
    lifecycle::transition(&mut db.store, &stamp(), moving.id, ReleaseStatus::InProgress, "").unwrap();
    let by_product = release::list(&db.store, &ReleaseFilter { product_id: Some(atlas), status: None }).unwrap();
    assert_eq!(by_product.len(), 2);
    let by_status =
        release::list(&db.store, &ReleaseFilter { product_id: None, status: Some(ReleaseStatus::InProgress) }).unwrap();
    assert_eq!(by_status.iter().map(|r| r.version.as_str()).collect::<Vec<_>>(), ["1.1.0"]);
}

#[test]
fn a_patch_changes_only_its_fields_and_a_shift_moves_a_window_whole() {
    use relman_core::milestone::{self, MilestoneInput, MilestoneKind, MilestonePatch};
    use relman_core::release::ReleasePatch;
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let made = add_release(&mut db, product, "1.0.0");
    let owner =
        ReleasePatch { owner: Some("Ana".into()), target_date: Some("2027-01-10".into()), ..Default::default() };
    release::patch(&mut db.store, &stamp(), made.id, owner).unwrap();
    let codename = ReleasePatch { codename: Some("Lynx".into()), ..Default::default() };
    let after = release::patch(&mut db.store, &stamp(), made.id, codename).unwrap();
    assert_eq!(
        (after.owner.as_str(), after.codename.as_str(), after.target_date.as_deref()),
        ("Ana", "Lynx", Some("2027-01-10"))
    );
    let cleared = release::patch(
        &mut db.store,
        &stamp(),
        made.id,
        ReleasePatch { target_date: Some(String::new()), ..Default::default() },
    );
    assert_eq!(cleared.unwrap().target_date, None);

    let window = MilestoneInput {
        kind: MilestoneKind::DeployWindow,
        name: String::new(),
        planned_start: "2027-01-08".into(),
        planned_end: Some("2027-01-09".into()),
        actual_start: None,
        actual_end: None,
    };
    let m = milestone::create(&mut db.store, &stamp(), made.id, window).unwrap();
    let moved = milestone::shift(&mut db.store, &stamp(), m.id, 3).unwrap();
    assert_eq!((moved.planned_start.as_str(), moved.planned_end.as_deref()), ("2027-01-11", Some("2027-01-12")));
    let renamed = milestone::patch(
        &mut db.store,
        &stamp(),
        m.id,
        MilestonePatch { name: Some("Deploy".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.planned_start.as_str()), ("Deploy", "2027-01-11"));
}
