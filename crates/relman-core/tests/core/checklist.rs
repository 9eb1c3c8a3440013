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
