//! Sharing through IPC: the settings' init, a sync as a task, and a conflict picked in the app.

use serde_json::{json, Value};

use crate::Harness;

#[test]
fn two_apps_share_a_plan_and_one_resolves_a_conflict() {
    let remote = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("git").args(["init", "-q", "--bare"]).arg(remote.path()).status().unwrap();
    assert!(made.success(), "git makes the bare remote");
    let url = format!("file://{}", remote.path().display());
    let ana = Harness::start_as("Ana Lima <ana@example.com>");
    let ben = Harness::start_as("Ben Okafor <ben@example.com>");
    assert_eq!(ana.ok("share_status", json!({})), Value::Null, "not shared until asked");
    ana.ok("load_sample_data", json!({}));
    let error = ana.err("init_share", json!({ "input": { "remote": "office" } }));
    assert_eq!(error["field"], "remote", "{error}");
    let status = ana.ok("init_share", json!({ "input": { "remote": url } }));
    assert_eq!(status["products"], json!(["Atlas Web", "Beacon Mobile"]));
    let sent = ana.ok("sync_plan", json!({}));
    assert!(sent["sent"].as_u64().unwrap() > 50, "{sent}");
    ben.ok("init_share", json!({ "input": { "remote": url } }));
    let got = ben.ok("sync_plan", json!({}));
    assert!(
        got["received"].as_array().unwrap().iter().any(|c| c["kind"] == "releases" && c["label"] == "2.5.0"),
        "{got}"
    );

    let release = |h: &Harness| {
        let list = h.ok("list_releases", json!({}));
        list.as_array().unwrap().iter().find(|r| r["version"] == "3.0.0").unwrap().clone()
    };
    for (h, owner) in [(&ana, "Ana Lima"), (&ben, "Ben Okafor")] {
        let mut input = release(h);
        input["owner"] = json!(owner);
        h.ok("update_release", json!({ "id": input["id"], "input": input }));
    }
    ana.ok("sync_plan", json!({}));
    let report = ben.ok("sync_plan", json!({}));
    assert_eq!(report["conflicts"][0]["field"], "owner", "{report}");
    let conflicts = ben.ok("list_conflicts", json!({}));
    let id = conflicts[0]["id"].as_str().unwrap();
    let anas =
        conflicts[0]["candidates"].as_array().unwrap().iter().position(|c| c["value"] == "Ana Lima").unwrap() + 1;
    ben.ok("resolve_conflict", json!({ "id": id, "pick": anas }));
    ben.ok("sync_plan", json!({}));
    ana.ok("sync_plan", json!({}));
    assert_eq!(
        (release(&ana)["owner"].clone(), release(&ben)["owner"].clone()),
        (json!("Ana Lima"), json!("Ana Lima"))
    );
    assert_eq!(ana.ok("share_status", json!({}))["conflicts"], 0);
    let copies = ana.ok("audit_copies", json!({}));
    assert_eq!(copies.as_array().map(Vec::len), Some(1), "Ben's chain arrived: {copies}");
    assert_eq!(copies[0]["broken"], Value::Null, "and holds: {copies}");
}
