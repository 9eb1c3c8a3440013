//! The Activity view's commands, and the two doors writing the same audit event for the same action.

use serde_json::{json, Value};

use crate::Harness;

fn release_created(h: &Harness, product: i64) {
    let input = json!({ "product_id": product, "version": "1.0.0", "codename": "Lynx", "target_date": "2026-12-20" });
    h.ok("create_release", json!({ "input": input }));
}

#[test]
fn the_log_pages_filters_and_verifies() {
    let h = Harness::start_as("Priya Raman <priya@example.com>");
    let product = h.product("Atlas");
    release_created(&h, product);
    let page = h.ok("list_audit", json!({ "filter": { "limit": 1 } }));
    assert_eq!(page["events"].as_array().unwrap().len(), 1);
    assert_eq!(page["events"][0]["action"], "create");
    assert_eq!(page["events"][0]["actor"], "Priya Raman <priya@example.com>", "RELMAN_USER names who acts");
    assert_eq!(page["next_before_seq"], 2);
    let older = h.ok("list_audit", json!({ "filter": { "limit": 1, "before_seq": 2 } }));
    assert_eq!(older["events"][0]["entity"], "product");
    let release = h.ok("list_audit", json!({ "filter": { "release_id": 1 } }));
    assert_eq!(release["events"].as_array().unwrap().len(), 1);
    let error = h.err("list_audit", json!({ "filter": { "since": "last week" } }));
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("invalid_input"), Some("since")));

    assert_eq!(h.ok("verify_audit", json!({}))["broken"], Value::Null);
    let status = h.ok("audit_status", json!({}));
    assert_eq!(status["events"], 2, "the last check is kept for the UI: {status}");
    h.product("Beacon");
    let since = h.ok("verify_audit", json!({ "sinceLast": true }));
    assert_eq!(
        (since["events"].as_i64(), &since["broken"]),
        (Some(3), &Value::Null),
        "on from the last check: {since}"
    );
    assert_eq!(h.ok("verify_audit", json!({ "sinceLast": false })), since, "the whole check agrees");
}

#[test]
fn a_bad_relman_user_is_refused_before_anything_is_written() {
    let h = Harness::start_as("priya");
    let error = h.err("create_product", json!({ "input": { "name": "Atlas" } }));
    assert!(error["message"].as_str().unwrap().contains("Name <email>"), "{error}");
    assert!(h.ok("list_products", json!({})).as_array().unwrap().is_empty());
}

/// The `relman` binary next to this test's (both are built by the workspace's test run).
fn cli() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let cli = dir.join("relman");
    assert!(cli.exists(), "{} is missing: build it with `cargo build -p relman-cli`", cli.display());
    cli
}

#[test]
fn the_app_and_the_cli_write_the_same_event_for_the_same_action() {
    let person = "Priya Raman <priya@example.com>";
    let h = Harness::start_as(person);
    let product = h.product("Atlas");
    release_created(&h, product);
    let app_event = h.ok("list_audit", json!({ "filter": { "limit": 1 } }))["events"][0].clone();

    let db = h.dir().join("cli.db");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(cli())
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("RELMAN_USER", person)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    run(&["product", "add", "Atlas"]);
    run(&[
        "release",
        "create",
        "--product",
        "Atlas",
        "--version",
        "1.0.0",
        "--codename",
        "Lynx",
        "--target",
        "2026-12-20",
    ]);
    let log: Value = serde_json::from_str(&run(&["audit", "log", "--limit", "1", "--json"])).unwrap();
    let cli_event = &log["events"][0];
    for field in ["seq", "actor", "entity", "entity_id", "action", "details", "product_id", "release_id"] {
        assert_eq!(app_event[field], cli_event[field], "{field} differs between the doors");
    }
}
