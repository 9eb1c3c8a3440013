//! Incidents against a real repository: the suspects are the release's commits, and the one a later
//! commit names with a `Root-cause:` trailer comes first.

use chrono::{DateTime, Utc};
use relman_core::incident::{self, IncidentInput, Severity};
use relman_core::product::{self, ProductInput, Repository};
use relman_core::release::{self, ReleaseInput};
use relman_core::Stamp;

use crate::common::db;

fn who() -> Stamp {
    Stamp::new(
        "Priya Raman <priya@example.com>",
        DateTime::parse_from_rfc3339("2026-11-10T10:00:00Z").unwrap().with_timezone(&Utc),
    )
}

#[test]
fn the_commit_a_later_fix_names_as_root_cause_is_suspected_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("atlas");
    let repo = git2::Repository::init(&path).unwrap();
    let tree = repo.find_tree(repo.treebuilder(None).unwrap().write().unwrap()).unwrap();
    let sig = git2::Signature::new("Tom Becker", "tom@example.com", &git2::Time::new(1_790_000_000, 0)).unwrap();
    let mut parent: Option<git2::Oid> = None;
    let mut shas = Vec::new();
    for message in ["feat: start", "feat(checkout): round totals", "fix(ui): focus ring"] {
        let parents: Vec<git2::Commit> = parent.iter().map(|p| repo.find_commit(*p).unwrap()).collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        let oid = repo.commit(Some("refs/heads/main"), &sig, &sig, message, &tree, &refs).unwrap();
        shas.push(oid.to_string());
        parent = Some(oid);
    }
    repo.tag_lightweight("v1.0.0", &repo.find_object(parent.unwrap(), None).unwrap(), false).unwrap();
    let culprit = shas[1].clone();
    let fix = format!("fix(checkout): round yen totals\n\nRoot-cause: {}", &culprit[..10]);
    let parents = [repo.find_commit(parent.unwrap()).unwrap()];
    repo.commit(Some("refs/heads/main"), &sig, &sig, &fix, &tree, &[&parents[0]]).unwrap();
    repo.set_head("refs/heads/main").unwrap();

    let mut db = db();
    let input = ProductInput {
        name: "Atlas".into(),
        repository: Some(Repository {
            path: path.display().to_string(),
            default_branch: "main".into(),
            tag_pattern: "v{version}".into(),
        }),
        ..Default::default()
    };
    let atlas = product::create(&mut db.store, &who(), input).unwrap().id;
    let input = ReleaseInput { product_id: atlas, version: "1.0.0".into(), ..Default::default() };
    let shipped = release::create(&mut db.store, &who(), input).unwrap().id;
    let bad = IncidentInput {
        product_id: atlas,
        release_id: Some(shipped),
        title: "Yen totals wrong".into(),
        severity: Some(Severity::Sev2),
        suspected_commits: vec!["not-a-sha".into()],
        ..Default::default()
    };
    assert_eq!(incident::create(&mut db.store, &who(), bad.clone()).unwrap_err().field(), Some("suspected_commits"));
    let found = incident::create(&mut db.store, &who(), IncidentInput { suspected_commits: vec![], ..bad }).unwrap();

    let suspects = incident::suspects(&db.store, found.id).unwrap().run().unwrap();
    assert_eq!(suspects.len(), 3, "the release's three commits");
    assert_eq!(suspects[0].sha, culprit, "named by a later commit: first");
    assert_eq!(suspects[0].named_by.as_deref().map(|n| n.ends_with("fix(checkout): round yen totals")), Some(true));
    assert!(suspects[1..].iter().all(|s| s.named_by.is_none()));

    let picked = incident::set_suspects(&mut db.store, &who(), found.id, &[culprit[..7].to_string()]).unwrap();
    assert_eq!(picked.suspected_commits, [culprit[..7].to_string()]);
    let again = incident::suspects(&db.store, found.id).unwrap().run().unwrap();
    assert!(again[0].chosen && !again[1].chosen, "the picked one is marked");
}
