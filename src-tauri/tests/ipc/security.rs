//! A release's dependency scan from the window: none before the first, a scan of the sample's 2.5.0
//! finding what its dependency bump brings in, and an acceptance that needs a reason.

use serde_json::json;

use crate::Harness;

#[test]
fn the_sample_release_is_scanned_and_a_finding_accepted_with_a_reason() {
    let app = Harness::start_as("Priya Raman <priya@example.com>");
    app.ok("load_sample_data", json!({}));
    let page = app.ok("page_releases", json!({ "filter": { "product_id": 1, "status": "testing" } }));
    let id = page["items"][0]["id"].as_i64().unwrap();
    let before = app.ok("get_security", json!({ "releaseId": id }));
    assert_eq!((&before["dependencies"], &before["secrets"]), (&json!(null), &json!(null)), "not scanned yet");
    assert!(before["range_end"].is_string(), "where the range ends now: {before}");

    let scan = app.ok("scan_dependencies", json!({ "releaseId": id }));
    let findings = scan["report"]["findings"].as_array().unwrap();
    let names: Vec<_> =
        findings.iter().map(|f| (f["package"].as_str().unwrap(), f["change"].as_str().unwrap())).collect();
    assert_eq!(names, [("orders-pdf", "introduced"), ("atty", "introduced")]);
    assert_eq!(scan["scanned_by"], "Priya Raman <priya@example.com>", "who scanned is recorded");

    let finding = "SAMPLE-2026-0001:crates.io:orders-pdf@0.3.1";
    let refused = app.err("accept_security_finding", json!({ "releaseId": id, "finding": finding, "reason": "" }));
    assert_eq!(refused["field"], "reason");
    let accepted = app.ok(
        "accept_security_finding",
        json!({ "releaseId": id, "finding": finding, "reason": "Attachments are off in 2.5.0" }),
    );
    assert_eq!(accepted["accepted_by"], "Priya Raman <priya@example.com>");
    let latest = app.ok("get_security", json!({ "releaseId": id }));
    assert_eq!(latest["dependencies"]["accepted"][0]["finding"], finding);
    assert_eq!(latest["range_end"], scan["report"]["to_sha"], "the scan is of the range as it is");

    // Secrets: the sample's 2.5.0 commits a test fixture's key; marking it needs a reason.
    let secrets = app.ok("scan_secrets", json!({ "releaseId": id }));
    let found = secrets["report"]["findings"].as_array().unwrap();
    assert!(!found.is_empty(), "{secrets}");
    let key = found[0]["key"].as_str().unwrap();
    let refused = app.err("dismiss_secret_finding", json!({ "releaseId": id, "finding": key, "reason": " " }));
    assert_eq!(refused["field"], "reason");
    app.ok("dismiss_secret_finding", json!({ "releaseId": id, "finding": key, "reason": "A fixture's made-up key" }));
    let view = app.ok("get_security", json!({ "releaseId": id }));
    assert_eq!(view["secrets"]["dismissed"][0]["reason"], "A fixture's made-up key");

    let signatures = app.ok("get_tag_signatures", json!({ "releaseId": id }));
    assert_eq!(signatures["signature"], json!(null), "2.5.0 is not tagged yet: {signatures}");
    assert_eq!(signatures["previous_tag"], "v2.4.1");
}

#[test]
fn settings_point_the_checks_at_an_advisory_folder_and_refuse_one_that_holds_none() {
    let app = Harness::start();
    assert_eq!(app.ok("get_advisory_folder", json!({})), json!(null), "none set on a new database");
    app.ok("load_sample_data", json!({}));
    let sample = app.ok("get_advisory_folder", json!({}));
    assert_eq!(sample["advisories"], 2, "the sample sets its own folder: {sample}");
    let folder = sample["folder"].as_str().unwrap().to_string();

    let empty = tempfile::tempdir().unwrap();
    let refused = app.err("set_advisory_folder", json!({ "folder": empty.path() }));
    assert_eq!(refused["field"], "advisories");
    assert_eq!(app.ok("get_advisory_folder", json!({}))["folder"], folder, "a refused folder changes nothing");

    let not_a_clone = app.err("update_advisories", json!({}));
    assert!(not_a_clone["message"].as_str().unwrap().contains("not a git clone"), "{not_a_clone}");
    assert_eq!(app.ok("set_advisory_folder", json!({ "folder": null })), json!(null));
    assert_eq!(app.ok("get_advisory_folder", json!({})), json!(null));
    assert_eq!(app.ok("set_advisory_folder", json!({ "folder": folder }))["advisories"], 2);
}
