use relman_core::release::{self, ReleaseStatus};
use relman_core::{demo, product, ErrorCode};

use crate::common::{db, stamp};

#[test]
fn the_sample_spans_past_present_and_future() {
    let mut db = db();
    let summary = demo::load(&mut db.store, &stamp()).unwrap();
    assert_eq!((summary.products, summary.releases), (2, 7));
    let releases = release::list(&db.store, &Default::default()).unwrap();
    let statuses: Vec<ReleaseStatus> = releases.iter().map(|r| r.status).collect();
    for wanted in [ReleaseStatus::Released, ReleaseStatus::Testing, ReleaseStatus::Planned, ReleaseStatus::RolledBack] {
        assert!(statuses.contains(&wanted), "the sample shows a {wanted:?} release");
    }
    let today = "2026-11-26";
    assert!(releases.iter().any(|r| r.target_date.as_deref() > Some(today)), "some releases are upcoming");
    assert!(releases.iter().any(|r| r.target_date.as_deref() < Some(today)), "some are in the past");
    let testing = releases.iter().find(|r| r.status == ReleaseStatus::Testing).unwrap();
    assert_eq!(release::history(&db.store, testing.id).unwrap().len(), 3, "its path there is recorded");
}

#[test]
fn the_sample_loads_only_into_an_empty_database() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let audits = db.audit_count();
    let error = demo::load(&mut db.store, &stamp()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict);
    assert_eq!(product::list(&db.store).unwrap().len(), 2, "nothing was added twice");
    assert_eq!(db.audit_count(), audits);
}
