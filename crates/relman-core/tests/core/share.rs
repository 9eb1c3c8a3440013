//! Sharing a plan through git, with real parts: two or three databases in their own folders and a bare
//! repository reached over `file://`.

use chrono::{TimeZone, Utc};
use relman_core::checklist::items::{self, ItemState};
use relman_core::checklist::signoff::{self, Decision, SignoffInput};
use relman_core::release::{self, ReleasePatch, ReleaseStatus};
use relman_core::share::{self, PlanRepo, ShareInput, SyncReport};
use relman_core::store::Store;
use relman_core::{demo, lifecycle, ErrorCode, Stamp};

use crate::common::{db, Db};

const ANA: &str = "Ana Lima <ana@example.com>";
const BEN: &str = "Ben Okafor <ben@example.com>";

fn at(actor: &str, minute: u32) -> Stamp {
    Stamp::new(actor, Utc.with_ymd_and_hms(2026, 12, 1, 10, minute, 0).unwrap())
}

/// A bare repository for the team, and its `file://` URL.
fn remote() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("release-office.git");
    git2::Repository::init_bare(&path).unwrap();
    let url = format!("file://{}", path.display());
    (dir, url)
}

fn share(db: &mut Db, url: &str, actor: &str) {
    let input = ShareInput { remote: url.into(), ..Default::default() };
    share::init(&mut db.store, &at(actor, 0), input).unwrap();
}

fn sync(db: &mut Db, actor: &str, minute: u32) -> SyncReport {
    share::sync(&mut db.store, &at(actor, minute), &[]).unwrap_or_else(|e| panic!("{actor}'s sync: {e}"))
}

/// The sample plan in A, shared; B empty, shared through the same remote.
fn pair() -> (Db, Db, tempfile::TempDir, String) {
    let (dir, url) = remote();
    let mut a = db();
    demo::load(&mut a.store, &at(ANA, 0)).unwrap();
    share(&mut a, &url, ANA);
    sync(&mut a, ANA, 1);
    let mut b = db();
    share(&mut b, &url, BEN);
    sync(&mut b, BEN, 2);
    (a, b, dir, url)
}

fn release_in(db: &Db, version: &str) -> release::Release {
    release::find_by_version(&db.store, "Atlas Web", version).unwrap()
}

#[test]
fn an_empty_database_gets_the_whole_plan_field_by_field() {
    let (a, b, _remote, _) = pair();
    let ours = share::plan(&a.store).unwrap();
    let theirs = share::plan(&b.store).unwrap();
    let kinds: std::collections::BTreeSet<&str> = ours.keys().filter_map(|p| p.split('/').next()).collect();
    for kind in ["products", "releases", "milestones", "checklist", "gates", "risks", "transitions", "freeze-windows"] {
        assert!(kinds.contains(kind), "the sample has {kind}");
    }
    let differing: Vec<&String> = ours.keys().filter(|p| ours.get(*p) != theirs.get(*p)).collect();
    assert!(differing.is_empty(), "every shared row arrives as it was, its author too: {differing:?}");
    assert_eq!(ours.len(), theirs.len());
    let releases = release::list(&b.store, &Default::default()).unwrap();
    assert_eq!(releases.len(), release::list(&a.store, &Default::default()).unwrap().len());
    let lupine = release_in(&b, "2.5.0");
    assert_eq!((lupine.codename.as_str(), lupine.status), ("Lupine", ReleaseStatus::Testing));
}

#[test]
fn a_sign_off_and_ticks_made_by_someone_else_arrive_with_their_name() {
    let (mut a, mut b, _remote, _) = pair();
    let lupine = release_in(&b, "2.5.0");
    let input =
        SignoffInput { role: "QA".into(), person: BEN.into(), decision: Decision::Approve, comment: "Green".into() };
    signoff::sign(&mut b.store, &at(BEN, 5), lupine.id, input).unwrap();
    let open: Vec<_> =
        items::list(&b.store, lupine.id).unwrap().into_iter().filter(|i| i.state == ItemState::Todo).take(2).collect();
    for item in &open {
        items::set_state(&mut b.store, &at(BEN, 6), item.id, ItemState::Done, "").unwrap();
    }
    assert_eq!(sync(&mut b, BEN, 7).sent, 3, "a sign-off and two steps: only the rows that changed");

    let report = sync(&mut a, ANA, 8);
    let mine = release_in(&a, "2.5.0");
    let signed = signoff::signoffs(&a.store, mine.id).unwrap();
    assert!(signed.iter().any(|s| s.role == "QA" && s.person == BEN && s.comment == "Green"), "{signed:?}");
    let done: Vec<_> =
        items::list(&a.store, mine.id).unwrap().into_iter().filter(|i| open.iter().any(|o| o.uid == i.uid)).collect();
    assert!(done.iter().all(|i| i.state == ItemState::Done && i.actor == BEN), "{done:?}");
    let by_ben: Vec<&share::Change> = report.received.iter().filter(|c| c.by == BEN).collect();
    assert!(
        by_ben.iter().any(|c| c.kind == "signoffs" && c.change == "added" && c.label == "QA"),
        "{:?}",
        report.received
    );
    assert_eq!(by_ben.iter().filter(|c| c.kind == "checklist").count(), 2);
}

#[test]
fn different_fields_merge_and_the_same_field_is_a_conflict_a_person_resolves() {
    let (mut a, mut b, _remote, _) = pair();
    let id_a = release_in(&a, "3.0.0").id;
    let id_b = release_in(&b, "3.0.0").id;
    let patch = |description: Option<&str>, owner: Option<&str>, target: Option<&str>| ReleasePatch {
        description: description.map(String::from),
        owner: owner.map(String::from),
        target_date: target.map(String::from),
        ..Default::default()
    };
    release::patch(&mut a.store, &at(ANA, 10), id_a, patch(Some("Workspaces for everyone"), None, None)).unwrap();
    release::patch(&mut b.store, &at(BEN, 11), id_b, patch(None, Some("Ben Okafor"), None)).unwrap();
    sync(&mut a, ANA, 12);
    sync(&mut b, BEN, 13);
    sync(&mut a, ANA, 14);
    for db in [&a, &b] {
        let merged = release_in(db, "3.0.0");
        assert_eq!((merged.description.as_str(), merged.owner.as_str()), ("Workspaces for everyone", "Ben Okafor"));
    }

    release::patch(&mut a.store, &at(ANA, 20), id_a, patch(None, None, Some("2027-02-10"))).unwrap();
    release::patch(&mut b.store, &at(BEN, 21), id_b, patch(None, None, Some("2027-02-24"))).unwrap();
    assert!(sync(&mut a, ANA, 22).conflicts.is_empty(), "the first to sync finds nothing to argue with");
    let found = sync(&mut b, BEN, 23).conflicts;
    assert_eq!(found.len(), 1, "{found:?}");
    let conflict = &found[0];
    assert_eq!((conflict.field.as_str(), conflict.label.as_str()), ("target_date", "3.0.0"));
    let values: Vec<(String, String)> =
        conflict.candidates.iter().map(|c| (c.value.as_str().unwrap_or_default().to_string(), c.by.clone())).collect();
    assert_eq!(values, [("2027-02-10".to_string(), ANA.to_string()), ("2027-02-24".to_string(), BEN.to_string())]);
    assert_eq!(release_in(&b, "3.0.0").target_date.as_deref(), Some("2027-02-24"), "nothing decided by clock");

    let seen = sync(&mut a, ANA, 24).conflicts;
    assert_eq!(seen.len(), 1, "the other copy shows the same conflict");
    assert_eq!(
        release_in(&a, "3.0.0").target_date,
        release_in(&b, "3.0.0").target_date,
        "and the same value meanwhile"
    );
    share::resolve(&mut a.store, &at(ANA, 25), &seen[0].id, 1).unwrap();
    assert!(sync(&mut a, ANA, 26).conflicts.is_empty());
    assert!(sync(&mut b, BEN, 27).conflicts.is_empty(), "the resolution travels");
    for db in [&a, &b] {
        assert_eq!(release_in(db, "3.0.0").target_date.as_deref(), Some("2027-02-10"));
    }
    let unknown = share::resolve(&mut a.store, &at(ANA, 28), "releases.nothing.owner", 1).unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::NotFound);
}

#[test]
fn two_people_moving_one_release_end_legal_or_in_conflict() {
    let (mut a, mut b, _remote, _) = pair();
    let id_a = release_in(&a, "3.0.0").id;
    let id_b = release_in(&b, "3.0.0").id;
    lifecycle::transition(&mut a.store, &at(ANA, 30), id_a, ReleaseStatus::InProgress, "").unwrap();
    lifecycle::transition(&mut b.store, &at(BEN, 31), id_b, ReleaseStatus::Cancelled, "Descoped").unwrap();
    sync(&mut a, ANA, 32);
    let conflicts = sync(&mut b, BEN, 33).conflicts;
    assert_eq!(conflicts.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), ["status"], "{conflicts:?}");
    sync(&mut a, ANA, 34);
    for db in [&a, &b] {
        let status = release_in(db, "3.0.0").status;
        assert!(
            matches!(status, ReleaseStatus::InProgress | ReleaseStatus::Cancelled),
            "a status someone chose: {status:?}"
        );
        let history = release::history(&db.store, release_in(db, "3.0.0").id).unwrap();
        assert_eq!(history.iter().filter(|t| t.from == ReleaseStatus::Planned).count(), 2, "both moves are on record");
    }
    assert_eq!(release_in(&a, "3.0.0").status, release_in(&b, "3.0.0").status, "both copies agree while it waits");
}

#[test]
fn an_unreachable_remote_fails_clearly_and_loses_nothing() {
    let mut a = db();
    demo::load(&mut a.store, &at(ANA, 0)).unwrap();
    let missing = a.dir.path().join("not-yet.git");
    share(&mut a, &format!("file://{}", missing.display()), ANA);
    let before = share::plan(&a.store).unwrap();
    let error = share::sync(&mut a.store, &at(ANA, 1), &[]).unwrap_err();
    assert!(error.to_string().contains("stays saved here"), "{error}");
    assert_eq!(share::plan(&a.store).unwrap(), before, "nothing changed");
    assert_eq!(share::status(&a.store).unwrap().unwrap().synced_at, None);
    git2::Repository::init_bare(&missing).unwrap();
    let report = sync(&mut a, ANA, 2);
    assert!(report.sent > 50, "the next sync catches up: {}", report.sent);
}

#[test]
fn the_remote_holds_no_secret_and_no_path_of_this_machine() {
    let (a, _b, remote_dir, _) = pair();
    let remote = PlanRepo::open(&remote_dir.path().join("release-office.git")).unwrap();
    let objects = remote.objects().unwrap();
    assert!(objects.len() > 100, "the plan is there: {} objects", objects.len());
    let local = a.dir.path().display().to_string();
    let leaked: Vec<String> = objects
        .iter()
        .map(|o| String::from_utf8_lossy(o).into_owned())
        .filter(|text| text.contains(&local) || text.contains("sample-repositories") || text.contains(".db"))
        .collect();
    assert!(leaked.is_empty(), "no repository path or database file name travels: {leaked:?}");
}

#[test]
fn one_tick_syncs_as_a_handful_of_objects() {
    let (mut a, mut b, remote_dir, _) = pair();
    let remote = PlanRepo::open(&remote_dir.path().join("release-office.git")).unwrap();
    let before = remote.objects().unwrap().len();
    let lupine = release_in(&a, "2.5.0");
    let item = items::list(&a.store, lupine.id).unwrap().into_iter().find(|i| i.state == ItemState::Todo).unwrap();
    items::set_state(&mut a.store, &at(ANA, 40), item.id, ItemState::Done, "").unwrap();
    assert_eq!(sync(&mut a, ANA, 41).sent, 1);
    let added = remote.objects().unwrap().len() - before;
    // A commit, the root tree, the checklist folder, its shard and the item's file; the audit
    // folder, this copy's folder in it and the chunk file holding the tick's event.
    assert!(added <= 8, "one tick added {added} objects");
    let report = sync(&mut b, BEN, 42);
    assert_eq!(report.received.len(), 1, "{:?}", report.received);
}

#[test]
fn a_newer_plan_format_is_refused_untouched() {
    let (mut a, _b, remote_dir, url) = pair();
    // Someone with a newer Relman rewrote relman.json.
    let bare = git2::Repository::open_bare(remote_dir.path().join("release-office.git")).unwrap();
    let head = bare.find_reference("refs/relman/plans/main").unwrap().peel_to_commit().unwrap();
    let mut tree = bare.treebuilder(Some(&head.tree().unwrap())).unwrap();
    let blob = bare.blob(br#"{ "format": 2, "kind": "relman-plan" }"#).unwrap();
    tree.insert("relman.json", blob, 0o100644).unwrap();
    let tree = bare.find_tree(tree.write().unwrap()).unwrap();
    let who = git2::Signature::now("Cleo", "cleo@example.com").unwrap();
    bare.commit(Some("refs/relman/plans/main"), &who, &who, "format 2", &tree, &[&head]).unwrap();
    let lupine = release_in(&a, "2.5.0").id;
    let patch = ReleasePatch { codename: Some("Lupin".into()), ..Default::default() };
    release::patch(&mut a.store, &at(ANA, 50), lupine, patch).unwrap();
    let error = share::sync(&mut a.store, &at(ANA, 51), &[]).unwrap_err();
    assert_eq!(error.code(), ErrorCode::IncompatibleDatabase, "{error}");
    assert!(error.to_string().contains("format 2"), "{error}");
    assert_eq!(release_in(&a, "2.5.0").codename, "Lupin", "the local change is kept");
    let _ = url;
}

#[test]
fn sharing_needs_a_git_url_and_a_plain_name() {
    let mut a = db();
    let wrong =
        share::init(&mut a.store, &at(ANA, 0), ShareInput { remote: "release office".into(), ..Default::default() });
    assert_eq!(wrong.unwrap_err().field(), Some("remote"));
    let input = ShareInput { remote: "file:///srv/plan.git".into(), name: Some("team plan".into()), products: vec![] };
    assert_eq!(share::init(&mut a.store, &at(ANA, 0), input).unwrap_err().field(), Some("name"));
    let memory = Store::open_in_memory().unwrap();
    assert!(share::prepare(&memory).is_err(), "an in-memory database cannot share");
}

#[test]
fn the_sample_comes_shared_through_a_remote_beside_it() {
    let mut a = db();
    demo::load(&mut a.store, &at(ANA, 0)).unwrap();
    let status = share::status(&a.store).unwrap().expect("the sample is shared");
    assert!(status.remote.ends_with("sample-repositories/release-office.git"), "{}", status.remote);
    assert!(status.synced_at.is_some() && status.products.len() == 2, "{status:?}");
    let mut b = db();
    share(&mut b, &status.remote, BEN);
    let report = sync(&mut b, BEN, 1);
    assert!(report.received.len() > 50, "a teammate's database gets the sample plan: {}", report.received.len());
}

#[test]
fn a_second_sample_beside_the_first_gets_a_remote_of_its_own() {
    let mut a = db();
    demo::load(&mut a.store, &at(ANA, 0)).unwrap();
    // Another database in the same folder (or this one deleted and made again) loads the sample too:
    // its products have the same names and new ids, so it cannot join the first sample's plan.
    let second = a.dir.path().join("again.db");
    let mut b = relman_core::store::Store::open(&second).unwrap();
    demo::load(&mut b, &at(BEN, 1)).unwrap();
    let first = share::status(&a.store).unwrap().unwrap().remote;
    let other = share::status(&b).unwrap().expect("the second sample is shared too").remote;
    assert!(other.ends_with("sample-repositories/release-office-2.git"), "{other}");
    assert_ne!(first, other);
    assert!(share::status(&b).unwrap().unwrap().synced_at.is_some());
}

#[test]
fn each_copys_audit_chain_arrives_and_is_checked_on_its_own() {
    let (mut a, mut b, _remote, _) = pair();
    let lupine = release_in(&b, "2.5.0");
    let item = items::list(&b.store, lupine.id).unwrap().into_iter().find(|i| i.state == ItemState::Todo).unwrap();
    items::set_state(&mut b.store, &at(BEN, 50), item.id, ItemState::Done, "").unwrap();
    sync(&mut b, BEN, 51);
    sync(&mut a, ANA, 52);
    let copies = relman_core::audit::verify_copies(&a.store).unwrap();
    assert_eq!(copies.len(), 1, "Ben's copy: {copies:?}");
    let bens = &copies[0];
    assert!(bens.broken.is_none() && bens.events > 100, "Ben's chain holds, from his first event: {bens:?}");
    assert!(bens.withheld > 0, "his events about sharing and settings travel as hashes only: {bens:?}");
    assert_eq!(relman_core::audit::verify_copies(&b.store).unwrap().len(), 1, "and Ben has Ana's");

    // An event of Ben's edited in Ana's database is caught, and named with his copy.
    let conn = rusqlite::Connection::open(a.path()).unwrap();
    let seq: i64 = conn
        .query_row("SELECT MAX(seq) FROM audit_remote WHERE withheld = 0 AND entity = 'checklist_item'", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("UPDATE audit_remote SET actor = 'Mallory' WHERE seq = ?1", [seq]).unwrap();
    let broken = relman_core::audit::verify_copies(&a.store).unwrap()[0].broken.clone().expect("caught");
    assert_eq!((broken.kind, broken.seq), (relman_core::audit::BreakKind::Edited, seq), "{}", broken.message);
    assert!(broken.message.contains(&bens.origin), "{}", broken.message);
}

#[test]
fn a_sync_stopped_after_pushing_and_before_applying_is_finished_by_the_next() {
    let (mut a, mut b, _remote, _) = pair();
    let id_a = release_in(&a, "3.0.0").id;
    let patch = ReleasePatch { codename: Some("Marigold".into()), ..Default::default() };
    release::patch(&mut a.store, &at(ANA, 40), id_a, patch).unwrap();
    sync(&mut a, ANA, 41);
    let id_b = release_in(&b, "3.0.0").id;
    let patch = ReleasePatch { owner: Some("Ben Okafor".into()), ..Default::default() };
    release::patch(&mut b.store, &at(BEN, 42), id_b, patch).unwrap();
    // Ben's sync pushes the merge, then the process dies before writing anything here.
    let exchanged = share::prepare(&b.store).unwrap().exchange(&at(BEN, 43), &[]).unwrap();
    drop(exchanged);
    let b = b.reopen();
    assert_eq!(release_in(&b, "3.0.0").codename, "Magnolia", "nothing was applied");
    let mut b = b;
    let report = sync(&mut b, BEN, 44);
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let merged = release_in(&b, "3.0.0");
    assert_eq!(
        (merged.codename.as_str(), merged.owner.as_str()),
        ("Marigold", "Ben Okafor"),
        "the next sync finishes the job"
    );
    sync(&mut a, ANA, 45);
    assert_eq!(release_in(&a, "3.0.0").owner, "Ben Okafor", "and Ana gets Ben's change");
}

#[test]
fn an_accepted_security_finding_and_the_gate_that_reads_it_travel_with_the_plan() {
    use relman_core::lifecycle::gates;
    use relman_core::security::{osv::AdvisoryDb, record, scan};

    let (mut a, mut b, _remote, _) = pair();
    let lupine = release_in(&a, "2.5.0");
    let folder = scan::advisory_folder(&a.store, None).unwrap();
    let report = scan::prepare(&a.store, lupine.id).unwrap().run(&AdvisoryDb::load(&folder).unwrap()).unwrap();
    record::save(&mut a.store, &at(ANA, 3), &report).unwrap();
    let finding = "SAMPLE-2026-0001:crates.io:orders-pdf@0.3.1";
    record::accept(&mut a.store, &at(ANA, 4), lupine.id, finding, "Attachments are off in 2.5.0").unwrap();
    let leaks = relman_core::security::leaks::prepare(&a.store, lupine.id).unwrap().run().unwrap();
    relman_core::security::leaks::record::save(&mut a.store, &at(ANA, 4), &leaks).unwrap();
    let secret = leaks.findings[0].key.clone();
    relman_core::security::leaks::record::dismiss(&mut a.store, &at(ANA, 4), lupine.id, &secret, "A sandbox key")
        .unwrap();
    assert_eq!(
        sync(&mut a, ANA, 5).sent,
        2,
        "the two decisions; the scans themselves (with this machine's paths) stay"
    );

    let report = sync(&mut b, BEN, 6);
    assert!(
        report.received.iter().any(|c| c.kind == "security-acceptances" && c.label == finding && c.by == ANA),
        "{:?}",
        report.received
    );
    assert!(
        report.received.iter().any(|c| c.kind == "secret-dismissals" && c.label == secret),
        "{:?}",
        report.received
    );
    let theirs = release_in(&b, "2.5.0");
    let arrived: (String, String) = rusqlite::Connection::open(b.path())
        .unwrap()
        .query_row("SELECT reason, accepted_by FROM security_acceptance WHERE release_id = ?1", [theirs.id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(arrived, ("Attachments are off in 2.5.0".to_string(), ANA.to_string()));
    let judged = gates::evaluate_for(&b.store, theirs.id, ReleaseStatus::Deploying, Utc::now()).unwrap();
    assert!(
        judged[0].criteria.iter().any(|c| c.what == "No known-vulnerable dependency at high or above"),
        "the gate's severity travels with it: {:?}",
        judged[0].criteria
    );
    let plan = share::plan(&b.store).unwrap();
    assert!(
        plan.values().all(|file| !file.to_string().contains(&folder.display().to_string())),
        "no path of A's machine"
    );
}
