use relman_core::release::{self, ReleaseStatus};
use relman_core::{demo, product, ErrorCode};

use crate::common::{db, stamp};

#[test]
fn the_sample_spans_past_present_and_future() {
    let mut db = db();
    let summary = demo::load(&mut db.store, &stamp()).unwrap();
    assert_eq!((summary.products, summary.releases), (2, 13));
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

#[test]
fn the_sample_comes_with_a_repository_whose_notes_work() {
    use relman_core::git::RangeOptions;
    use relman_core::notes;

    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let atlas = product::find_by_name(&db.store, "Atlas Web").unwrap();
    let repo = atlas.repository.expect("Atlas Web links the sample repository");
    assert!(repo.path.starts_with(db.dir.path().to_str().unwrap()), "it lives beside the database: {}", repo.path);

    let testing = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let upcoming = notes::for_release(&db.store, testing.id, RangeOptions::default()).unwrap();
    assert_eq!(upcoming.document.range.from.as_deref(), Some("v2.4.1"), "2.5.0 starts at the last release tag");
    assert_eq!(upcoming.document.range.commits, 10);
    assert!(
        upcoming.document.range.merge_base.is_some(),
        "v2.4.1 is on the maintenance branch, not in 2.5.0's history"
    );
    let shipped: Vec<(&str, u32)> =
        upcoming.document.range.shipped.iter().map(|g| (g.release.as_str(), g.count)).collect();
    assert_eq!(shipped, [("v2.4.1", 2)], "the two checkout fixes were picked onto release/2.4.x and shipped in 2.4.1");
    assert_eq!(upcoming.suggestion.map(|s| s.version), Some("2.5.0".to_string()), "features, no breaking change");

    let shipped = release::find_by_version(&db.store, "Atlas Web", "2.4.0").unwrap();
    let past = notes::for_release(&db.store, shipped.id, RangeOptions::default()).unwrap();
    assert_eq!(past.document.range.from.as_deref(), Some("v2.3.0"));
    assert_eq!(past.document.sections[0].key, "breaking", "2.4.0 broke the v1 checkout");

    let patch = release::find_by_version(&db.store, "Atlas Web", "2.4.1").unwrap();
    let fixes = notes::for_release(&db.store, patch.id, RangeOptions::default()).unwrap();
    assert_eq!((fixes.document.range.from.as_deref(), fixes.document.range.commits), (Some("v2.4.0"), 2), "the picks");
}

#[test]
fn the_notes_offer_the_repositorys_tags_and_branches() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let id = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap().id;
    let notes = relman_core::notes::for_release(&db.store, id, Default::default()).unwrap();
    assert_eq!(
        notes.refs,
        [
            "v2.4.1",
            "v2.4.0",
            "v2.3.0",
            "v2.2.2",
            "v2.2.1",
            "v2.2.0",
            "v2.1.0",
            "v2.0.1",
            "v2.0.0",
            "main",
            "release/2.4.x",
            "release/2.5.0"
        ],
        "newest tag first, then branches"
    );
}

#[test]
fn the_samples_register_blocks_atlas_250_on_an_unmitigated_high_risk() {
    use relman_core::lifecycle::gates;
    use relman_core::risk::{self, RiskFilter};

    let mut db = db();
    let summary = demo::load(&mut db.store, &stamp()).unwrap();
    let all = risk::list(&db.store, &RiskFilter::default()).unwrap();
    assert_eq!(all.len() as u32, summary.risks);
    assert!(all.iter().any(|r| r.review_overdue(stamp().today())), "one review is overdue, to show the highlight");
    let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let gate = gates::evaluate_for(&db.store, lupine.id, ReleaseStatus::Ready, crate::common::stamp().at).unwrap();
    let failures = gate.iter().flat_map(|g| g.failures.iter()).cloned().collect::<Vec<_>>().join("; ");
    assert!(
        failures.contains("Payments provider rate limits during the holiday peak (score 20)"),
        "the gate into ready names the unmitigated risk: {failures}"
    );
}

#[test]
fn the_samples_250_range_suggests_risks_that_can_be_accepted_or_dismissed() {
    use relman_core::risk::{suggested, RiskInput, SuggestionKind};

    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let found = suggested::for_release(&db.store, lupine.id).unwrap();
    let kinds: Vec<SuggestionKind> = found.suggestions.iter().map(|s| s.kind).collect();
    for wanted in [
        SuggestionKind::Migrations,
        SuggestionKind::Dependencies,
        SuggestionKind::Infrastructure,
        SuggestionKind::Reverts,
    ] {
        assert!(kinds.contains(&wanted), "the sample range shows {wanted:?}: {kinds:?}");
    }
    let migrations = &found.suggestions[0];
    assert_eq!(migrations.paths, ["db/migrations/0042_workspaces.sql"], "the evidence names the path");
    assert_eq!(migrations.commits[0].summary, "feat(workspaces): team workspaces", "and the commit");

    suggested::dismiss(&mut db.store, &stamp(), lupine.id, SuggestionKind::Migrations).unwrap();
    let after = suggested::for_release(&db.store, lupine.id).unwrap();
    assert!(after.suggestions.iter().all(|s| s.kind != SuggestionKind::Migrations), "a dismissal is remembered");
    assert_eq!(after.dismissed.len(), 1);
    suggested::restore(&mut db.store, &stamp(), lupine.id, SuggestionKind::Migrations).unwrap();
    assert_eq!(suggested::for_release(&db.store, lupine.id).unwrap().suggestions.len(), found.suggestions.len());

    let deps = found.suggestions.iter().find(|s| s.kind == SuggestionKind::Dependencies).unwrap();
    let input = RiskInput::new(0, &deps.title, deps.category, deps.likelihood.into(), deps.impact.into());
    let accepted = suggested::accept(&mut db.store, &stamp(), lupine.id, deps.kind, input.clone()).unwrap();
    assert_eq!((accepted.release_id, accepted.suggestion), (Some(lupine.id), Some(SuggestionKind::Dependencies)));
    let now = suggested::for_release(&db.store, lupine.id).unwrap();
    assert!(
        now.suggestions.iter().all(|s| s.kind != SuggestionKind::Dependencies),
        "an accepted suggestion is not made again"
    );
    let twice = suggested::accept(&mut db.store, &stamp(), lupine.id, deps.kind, input).unwrap_err();
    assert_eq!(twice.code(), ErrorCode::Conflict);
}
