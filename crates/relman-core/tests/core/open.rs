use relman_core::store::Store;
use relman_core::ErrorCode;

use crate::common::{add_product, add_release, db};

#[test]
fn a_new_file_gets_the_whole_schema_in_wal_mode() {
    let db = db();
    assert!(db.store.schema_version().unwrap() >= 1, "migrations ran on an empty file");
    assert!(db.path().exists(), "the database file was created");
    let wal = db.dir.path().join("relman.db-wal");
    assert!(wal.exists(), "the database uses write-ahead logging");
}

#[test]
fn reopening_keeps_everything() {
    let mut db = db();
    let product = add_product(&mut db, "Atlas");
    add_release(&mut db, product, "1.0.0");
    let db = db.reopen();
    let releases = relman_core::release::list(&db.store, &Default::default()).unwrap();
    assert_eq!(releases.len(), 1, "the release survives a reopen");
    assert_eq!(releases[0].version, "1.0.0");
    assert_eq!(db.audit_count(), 2, "and so does its audit trail");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let content = b"These are my release notes, not a database. ".repeat(200);
    std::fs::write(&path, &content).unwrap();
    let error = Store::open(&path).err().expect("a text file is not a release database");
    assert_eq!(error.code(), ErrorCode::IncompatibleDatabase);
    assert!(error.to_string().contains("not a Relman release database"), "says what is wrong: {error}");
    assert!(error.to_string().contains("untouched"), "says nothing was changed: {error}");
    assert_eq!(std::fs::read(&path).unwrap(), content, "the file's bytes are unchanged");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no -wal or -shm file was left beside it");
}

#[test]
fn a_database_from_a_newer_relman_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = rusqlite_connection(&path);
        conn.execute_batch("CREATE TABLE future (x INTEGER); PRAGMA user_version = 999;").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(&path).err().expect("a newer schema cannot be opened");
    assert_eq!(error.code(), ErrorCode::IncompatibleDatabase);
    assert!(error.to_string().contains("newer Relman"), "names the cause: {error}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the newer database is not modified");
}

fn rusqlite_connection(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn foreign_keys_are_enforced() {
    let db = db();
    let path = db.path();
    drop(db.store);
    // A second connection opened the way Relman opens it: through Store.
    let store = Store::open(&path).unwrap();
    let result = relman_core::milestone::create(
        &mut { store },
        &crate::common::stamp(),
        4242,
        relman_core::milestone::MilestoneInput {
            kind: relman_core::milestone::MilestoneKind::Ga,
            name: String::new(),
            planned_start: "2026-12-01".into(),
            planned_end: None,
            actual_start: None,
            actual_end: None,
        },
    );
    assert_eq!(result.unwrap_err().code(), ErrorCode::NotFound, "a milestone needs an existing release");
    let conn = rusqlite_connection(&path);
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let raw = conn.execute(
        "INSERT INTO milestone (release_id, kind, name, planned_start) VALUES (4242, 'ga', 'GA', '2026-12-01')",
        [],
    );
    assert!(raw.is_err(), "the schema itself rejects a milestone of a missing release");
}

#[test]
fn the_audit_log_cannot_be_rewritten() {
    let mut db = db();
    add_product(&mut db, "Atlas");
    let conn = rusqlite_connection(&db.path());
    let update = conn.execute("UPDATE audit_event SET actor = 'mallory'", []);
    let delete = conn.execute("DELETE FROM audit_event", []);
    assert!(update.is_err() && delete.is_err(), "audit events are append-only");
    assert_eq!(db.audit_count(), 1);
}

#[test]
fn an_older_database_is_upgraded_in_place_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A database as the first release of Relman left it: schema 1, one product.
        let conn = rusqlite_connection(&path);
        let first = include_str!("../../src/store/migrations/0001_foundation.sql");
        conn.execute_batch(first).unwrap();
        conn.execute_batch(
            "INSERT INTO product (name, created_at) VALUES ('Atlas', '2026-01-01T00:00:00Z'); PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(store.schema_version().unwrap() >= 3, "the later migrations ran");
    let products = relman_core::product::list(&store).unwrap();
    assert_eq!(products.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Atlas"], "nothing was lost");

    // It was snapshotted before the upgrade, and the snapshot is the old database as it was.
    let kept = relman_core::store::backup::list(&path).unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].kind, "before-upgrade");
    let old = rusqlite_connection(std::path::Path::new(&kept[0].path));
    let version: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1, "the snapshot holds schema 1, untouched");
    drop(store);
    assert_eq!(relman_core::store::backup::list(&path).unwrap().len(), 1, "opening a current database takes none");
    Store::open(&path).unwrap();
    assert_eq!(relman_core::store::backup::list(&path).unwrap().len(), 1);
}
