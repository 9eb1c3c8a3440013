//! The audit log's hash chain: written by every change, verified from the first event, tampering
//! found and named, old databases chained when they are upgraded, and exports checked offline.

use relman_core::audit::{self, AuditFilter, BreakKind};
use relman_core::milestone::{self, MilestoneInput, MilestoneKind};
use relman_core::store::Store;

use crate::common::{add_product, add_release, db, stamp, Db};

/// A product, two releases and a milestone made and deleted: five events.
fn some_history() -> Db {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, product, "1.0.0").id;
    add_release(&mut db, product, "1.1.0");
    let input = MilestoneInput {
        kind: MilestoneKind::CodeFreeze,
        name: String::new(),
        planned_start: "2026-12-10".into(),
        planned_end: None,
        actual_start: None,
        actual_end: None,
    };
    let made = milestone::create(&mut db.store, &stamp(), release, input).unwrap();
    milestone::delete(&mut db.store, &stamp(), made.id).unwrap();
    db
}

/// The raw file, with the append-only triggers dropped: what someone editing it behind Relman's back does.
fn tamper(db: &Db, sql: &str) {
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    conn.execute_batch("DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;").unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn every_change_is_chained_and_a_fresh_log_verifies() {
    let db = some_history();
    let log = db.store.audit_log(None).unwrap();
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5], "places without gaps");
    assert_eq!(log[0].prev_hash, audit::GENESIS);
    for pair in log.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash, "each event names the one before it");
    }
    assert!(log.iter().all(|e| e.hash.len() == 64 && e.expected_hash() == e.hash));
    let report = audit::verify(&db.store).unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.events, 5);
    assert_eq!(report.head.as_deref(), Some(log[4].hash.as_str()));
}

#[test]
fn events_name_their_product_and_release_even_after_a_delete() {
    let db = some_history();
    let log = db.store.audit_log(None).unwrap();
    let deleted = log.iter().find(|e| e.entity == "milestone" && e.action == "delete").unwrap();
    assert_eq!((deleted.product_id, deleted.release_id), (Some(1), Some(1)), "from the details it kept");
    let page = audit::page(&db.store, &AuditFilter { release_id: Some(1), ..Default::default() }).unwrap();
    let actions: Vec<String> = page.events.iter().map(|e| format!("{} {}", e.entity, e.action)).collect();
    assert_eq!(actions, ["milestone delete", "milestone create", "release create"], "newest first");
    let product = audit::page(&db.store, &AuditFilter { product_id: Some(1), ..Default::default() }).unwrap();
    assert_eq!(product.events.len(), 5, "the product and everything in its releases");
}

#[test]
fn pages_filters_and_bad_filters() {
    let db = some_history();
    let first = audit::page(&db.store, &AuditFilter { limit: Some(4), ..Default::default() }).unwrap();
    assert_eq!(first.events.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 4, 3, 2]);
    assert_eq!(first.next_before_seq, Some(2));
    let next = audit::page(
        &db.store,
        &AuditFilter { limit: Some(4), before_seq: first.next_before_seq, ..Default::default() },
    )
    .unwrap();
    assert_eq!(next.events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1]);
    assert_eq!(next.next_before_seq, None, "the last page says so");
    let by = |actor: &str| audit::page(&db.store, &AuditFilter { actor: Some(actor.into()), ..Default::default() });
    assert_eq!(by("PRI").unwrap().events.len(), 5, "part of the name, any case");
    assert!(by("mallory").unwrap().events.is_empty());
    let since = |day: &str| audit::page(&db.store, &AuditFilter { since: Some(day.into()), ..Default::default() });
    assert_eq!(since("2026-11-26").unwrap().events.len(), 5);
    assert!(since("2026-11-27").unwrap().events.is_empty());
    let error = since("26/11/2026").unwrap_err();
    assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
    let error = audit::page(&db.store, &AuditFilter { entity_id: Some(1), ..Default::default() }).unwrap_err();
    assert!(error.to_string().contains("which kind of entity"), "{error}");
}

#[test]
fn an_edited_event_is_caught_and_named() {
    let db = some_history();
    tamper(&db, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 3");
    let db = db.reopen();
    let report = audit::verify(&db.store).unwrap();
    let broken = report.broken.expect("the edit is found");
    assert_eq!((broken.kind, broken.seq), (BreakKind::Edited, 3));
    assert!(
        broken.message.contains("#3") && broken.message.contains("changed after it was written"),
        "{}",
        broken.message
    );
    assert_eq!(report.events, 2, "the two before it hold");
}

#[test]
fn a_removed_event_is_caught_and_named() {
    let db = some_history();
    tamper(&db, "DELETE FROM audit_event WHERE seq = 4");
    let report = audit::verify(&db.reopen().store).unwrap();
    let broken = report.broken.expect("the gap is found");
    assert_eq!((broken.kind, broken.seq), (BreakKind::Missing, 5));
    assert!(broken.message.contains("#4 is missing"), "{}", broken.message);
}

#[test]
fn removing_and_renumbering_is_caught_too() {
    let db = some_history();
    tamper(&db, "DELETE FROM audit_event WHERE seq = 4; UPDATE audit_event SET seq = seq - 1 WHERE seq > 4;");
    let broken = audit::verify(&db.reopen().store).unwrap().broken.expect("found");
    assert_eq!((broken.kind, broken.seq), (BreakKind::OutOfOrder, 4), "{}", broken.message);
}

#[test]
fn two_swapped_events_are_caught() {
    let db = some_history();
    tamper(&db, "UPDATE audit_event SET seq = -2 WHERE seq = 2; UPDATE audit_event SET seq = 2 WHERE seq = 5; UPDATE audit_event SET seq = 5 WHERE seq = -2;");
    let broken = audit::verify(&db.reopen().store).unwrap().broken.expect("found");
    assert_eq!(broken.seq, 2, "the first place that does not match: {}", broken.message);
}

#[test]
fn an_event_written_around_relman_is_refused_and_if_forced_found() {
    let db = some_history();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let plain = conn.execute(
        "INSERT INTO audit_event (at, actor, entity, entity_id, action) VALUES ('2026-11-26T10:00:00Z', 'x', 'release', 1, 'update')",
        [],
    );
    assert!(plain.is_err(), "the database refuses an event without its place in the chain");
    conn.execute_batch("DROP TRIGGER audit_event_chained; INSERT INTO audit_event (at, actor, entity, entity_id, action) VALUES ('2026-11-26T10:00:00Z', 'x', 'release', 1, 'update');").unwrap();
    let broken = audit::verify(&db.reopen().store).unwrap().broken.expect("found");
    assert_eq!(broken.kind, BreakKind::Unchained);
    assert!(broken.message.contains("written around Relman"), "{}", broken.message);
}

#[test]
fn two_writers_at_once_keep_one_chain() {
    let db = some_history();
    let path = db.path();
    let writers: Vec<_> = (0..2)
        .map(|n| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for k in 0..20 {
                    let input = relman_core::product::ProductInput { name: format!("P{n}-{k}"), ..Default::default() };
                    relman_core::product::create(&mut store, &stamp(), input).unwrap();
                }
            })
        })
        .collect();
    writers.into_iter().for_each(|w| w.join().unwrap());
    let report = audit::verify(&db.reopen().store).unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.events, 45);
}

#[test]
fn an_older_database_is_chained_in_its_order_when_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // Schema 11, as the release before the chain left it, with events written the old way.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../../src/store/migrations/0001_foundation.sql"),
            include_str!("../../src/store/migrations/0002_release_notes.sql"),
            include_str!("../../src/store/migrations/0003_notes_templates.sql"),
            include_str!("../../src/store/migrations/0004_timeline.sql"),
            include_str!("../../src/store/migrations/0005_checklists.sql"),
            include_str!("../../src/store/migrations/0006_gates.sql"),
            include_str!("../../src/store/migrations/0007_deployments.sql"),
            include_str!("../../src/store/migrations/0008_go_no_go.sql"),
            include_str!("../../src/store/migrations/0009_action_actor.sql"),
            include_str!("../../src/store/migrations/0010_risks.sql"),
            include_str!("../../src/store/migrations/0011_tags.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO product (id, name, created_at) VALUES (1, 'Atlas', '2026-01-01T00:00:00Z');
             INSERT INTO release (id, product_id, version, created_at, updated_at) VALUES (7, 1, '1.0.0', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z');
             INSERT INTO audit_event (at, actor, entity, entity_id, action, details) VALUES
               ('2026-01-01T00:00:00Z', 'priya', 'product', 1, 'create', '{\"name\":\"Atlas\"}'),
               ('2026-01-02T00:00:00Z', 'priya', 'release', 7, 'create', '{\"version\":\"1.0.0\"}'),
               ('2026-01-03T00:00:00Z', 'tom', 'milestone', 3, 'delete', '{\"release_id\":7,\"name\":\"Beta\"}');
             PRAGMA user_version = 11;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let log = store.audit_log(None).unwrap();
    assert_eq!(
        log.iter().map(|e| (e.seq, e.actor.as_str())).collect::<Vec<_>>(),
        [(1, "priya"), (2, "priya"), (3, "tom")]
    );
    assert_eq!(log[2].release_id, Some(7), "the deleted milestone's release, from its details");
    assert_eq!(log[2].product_id, Some(1));
    assert!(audit::verify(&store).unwrap().is_intact());
    let atlas = relman_core::product::list(&store).unwrap().remove(0);
    let created = format!("{:012x}", 1_767_225_600_000_i64); // 2026-01-01T00:00:00Z in milliseconds
    assert_eq!(atlas.uid.replace('-', "")[..12], created, "an existing row's id is dated from its creation");
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn.execute("UPDATE audit_event SET actor = 'x'", []).is_err(), "append-only again after the upgrade");
}

#[test]
fn an_export_is_checked_offline_whole_or_in_part() {
    let db = some_history();
    let whole = audit::export(&db.store, &stamp(), &AuditFilter::default()).unwrap();
    assert_eq!(whole.file_name, "relman-audit-2026-11-26.json");
    let report = audit::verify_export(&whole.text).unwrap();
    assert!(report.whole_log && report.broken.is_none(), "{report:?}");
    assert_eq!((report.hashes_checked, report.links_checked), (5, 4));

    let part = audit::export(&db.store, &stamp(), &AuditFilter { release_id: Some(1), ..Default::default() }).unwrap();
    let report = audit::verify_export(&part.text).unwrap();
    assert!(!report.whole_log && report.broken.is_none(), "{report:?}");
    assert_eq!(
        (report.events, report.hashes_checked, report.links_checked),
        (3, 3, 1),
        "events 4 and 5 are neighbours"
    );

    let edited = whole.text.replacen("\"actor\": \"priya\"", "\"actor\": \"mallory\"", 1);
    let broken = audit::verify_export(&edited).unwrap().broken.expect("the edit is found");
    assert_eq!((broken.kind, broken.seq), (BreakKind::Edited, 1));
    let error = audit::verify_export("{\"not\": \"an export\"}").unwrap_err();
    assert!(error.to_string().contains("relman audit export"), "{error}");
}

#[test]
fn the_canonical_encoding_is_the_documented_one() {
    // docs/audit.md describes this encoding to third parties: a change here is a new encoding name.
    let event = relman_core::audit::AuditEvent {
        id: 9,
        seq: 2,
        at: "2026-11-26T09:30:00Z".into(),
        actor: "Priya Raman <priya@example.com>".into(),
        entity: "release".into(),
        entity_id: Some(7),
        action: "create".into(),
        details: r#"{"version":"1.0.0","note":"ünïcode \"quoted\""}"#.into(),
        product_id: Some(1),
        release_id: None,
        prev_hash: audit::GENESIS.into(),
        hash: String::new(),
    };
    assert_eq!(
        audit::canonical(&event),
        r#"["relman-audit-1",2,"2026-11-26T09:30:00Z","Priya Raman <priya@example.com>","release",7,"create","{\"version\":\"1.0.0\",\"note\":\"ünïcode \\\"quoted\\\"\"}",1,null,"0000000000000000000000000000000000000000000000000000000000000000"]"#
    );
    assert_eq!(event.expected_hash().len(), 64);
}

#[test]
fn shared_entities_get_a_global_id_that_sorts_by_creation_and_never_changes() {
    let mut db = some_history();
    let uuid7 = |uid: &str| {
        let parts: Vec<&str> = uid.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && parts[2].starts_with('7')
            && "89ab".contains(&parts[3][..1])
            && uid.chars().all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    };
    let products = relman_core::product::list(&db.store).unwrap();
    let releases = relman_core::release::list(&db.store, &Default::default()).unwrap();
    let mut uids: Vec<&str> =
        products.iter().map(|p| p.uid.as_str()).chain(releases.iter().map(|r| r.uid.as_str())).collect();
    assert!(uids.iter().all(|u| uuid7(u)), "UUID v7 in text form: {uids:?}");
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 3, "one each");
    let before = releases[0].uid.clone();
    let id = releases[0].id;
    let patch = relman_core::release::ReleasePatch { codename: Some("Lynx".into()), ..Default::default() };
    assert_eq!(
        relman_core::release::patch(&mut db.store, &stamp(), id, patch).unwrap().uid,
        before,
        "an edit keeps it"
    );
    let db = db.reopen();
    assert_eq!(relman_core::release::get(&db.store, id).unwrap().uid, before, "so does reopening");
}

#[test]
fn sign_offs_and_decisions_carry_their_global_id_from_the_moment_they_are_recorded() {
    use relman_core::checklist::signoff::{self, Decision, GoNoGo, SignoffInput};
    let mut db = some_history();
    let input =
        SignoffInput { role: "QA".into(), person: "Quinn".into(), decision: Decision::Approve, comment: String::new() };
    let signed = signoff::sign(&mut db.store, &stamp(), 1, input).unwrap();
    assert_eq!(signed.uid.len(), 36);
    assert_eq!(signoff::signoffs(&db.store, 1).unwrap()[0].uid, signed.uid, "read back as recorded");
    let decision = GoNoGo {
        id: 0,
        uid: String::new(),
        go: true,
        decided_by: "Priya".into(),
        attendees: String::new(),
        notes: String::new(),
        at: String::new(),
    };
    let decided = signoff::decide(&mut db.store, &stamp(), 1, decision).unwrap();
    assert_eq!(signoff::decisions(&db.store, 1).unwrap()[0].uid, decided.uid);
    assert_ne!(decided.uid, signed.uid);
}

#[test]
fn the_notes_written_by_hand_carry_global_ids_that_edits_keep() {
    use relman_core::notes::{self, EntryOverride, NotesParts};
    let mut db = some_history();
    assert_eq!(notes::manual(&db.store, 1).unwrap().uid, None, "nothing written yet, no id yet");
    let parts = NotesParts { highlights: "Faster search.".into(), ..Default::default() };
    let first = notes::save_parts(&mut db.store, &stamp(), 1, parts.clone()).unwrap().uid.expect("an id once written");
    let again = NotesParts { highlights: "Faster search, everywhere.".into(), ..parts };
    assert_eq!(notes::save_parts(&mut db.store, &stamp(), 1, again).unwrap().uid.as_deref(), Some(first.as_str()));
    let change = EntryOverride { sha: "a".repeat(40), hidden: true, ..Default::default() };
    let hidden = notes::set_override(&mut db.store, &stamp(), 1, change.clone()).unwrap().overrides[0].uid.clone();
    assert_eq!(hidden.len(), 36, "an override has its own id: {hidden}");
    let reworded = EntryOverride { text: Some("Reworded".into()), ..change };
    let kept = &notes::set_override(&mut db.store, &stamp(), 1, reworded).unwrap().overrides[0];
    assert_eq!((kept.uid.as_str(), kept.text.as_deref()), (hidden.as_str(), Some("Reworded")), "an edit keeps it");
    assert_ne!(hidden, first);
}

#[test]
fn a_long_check_reports_progress_and_stops_when_asked() {
    let db = some_history();
    let mut heard = Vec::new();
    let report = audit::verify_with(&db.store, 2, &mut |p| {
        heard.push((p.checked, p.total));
        true
    })
    .unwrap();
    assert!(report.is_intact());
    assert_eq!(heard, [(2, 5), (4, 5)], "every 2 events, of 5");
    let stopped = audit::verify_with(&db.store, 2, &mut |_| false).unwrap_err();
    assert_eq!(stopped.code(), relman_core::ErrorCode::Cancelled);
    assert!(stopped.to_string().contains("nothing was changed"), "{stopped}");
}

#[test]
fn a_check_since_the_last_one_reads_only_the_new_events_and_still_catches_them_edited() {
    let mut db = some_history();
    let earlier = audit::verify(&db.store).unwrap();
    assert_eq!(earlier.events, 5);
    for name in ["Beacon", "Comet", "Dawn"] {
        add_product(&mut db, name);
    }
    let mut heard = Vec::new();
    let now = audit::verify_since(&db.store, &earlier, 1, &mut |p| {
        heard.push(p.checked);
        true
    })
    .unwrap();
    assert_eq!(heard, [6, 7, 8], "only the three events written since, counted on from the five checked");
    assert_eq!(now, audit::verify(&db.store).unwrap(), "the same answer as the whole check");

    tamper(&db, "UPDATE audit_event SET actor = 'mallory' WHERE seq = 7;");
    let db = db.reopen();
    let broken = audit::verify_since(&db.store, &earlier, 100, &mut |_| true).unwrap().broken.expect("caught");
    assert_eq!((broken.kind, broken.seq), (BreakKind::Edited, 7), "{}", broken.message);
    let full = audit::verify_with(&db.store, 100, &mut |_| true).unwrap();
    assert_eq!(full.broken.map(|b| b.seq), Some(7));
}

#[test]
fn a_check_since_a_changed_or_failed_one_checks_everything() {
    let db = some_history();
    let earlier = audit::verify(&db.store).unwrap();
    tamper(
        &db,
        "UPDATE audit_event SET details = '{}' WHERE seq = 2; UPDATE audit_event SET hash = 'f00d' WHERE seq = 5;",
    );
    let db = db.reopen();
    let mut read = 0;
    let report = audit::verify_since(&db.store, &earlier, 1, &mut |_| {
        read += 1;
        true
    })
    .unwrap();
    let broken = report.broken.clone().expect("the tip it stopped at changed, so everything is read again");
    assert_eq!((broken.kind, broken.seq), (BreakKind::Edited, 2), "{}", broken.message);
    assert!(read >= 2, "read from the first event, not after the fifth: {read}");
    let again = audit::verify_since(&db.store, &report, 1, &mut |_| true).unwrap();
    assert_eq!(again.broken.map(|b| b.seq), Some(2), "after a failed check, the next is whole too");
}
