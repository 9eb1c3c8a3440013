//! Incidents and the delivery metrics through IPC: the JSON the release detail and Insights send.

use serde_json::json;

use crate::Harness;

#[test]
fn an_incident_is_recorded_resolved_and_patched_and_the_metrics_answer_through_ipc() {
    let tom = Harness::start_as("Tom Becker <tom@example.com>");
    tom.ok("load_sample_data", json!({}));
    let releases = tom.ok("list_releases", json!({}));
    let hotfix = releases.as_array().unwrap().iter().find(|r| r["version"] == "2.4.1").unwrap().clone();
    let input = json!({ "product_id": hotfix["product_id"], "release_id": hotfix["id"], "title": "Refunds charged twice",
        "severity": "sev2", "detected_at": "2026-11-15T09:00:00+01:00" });
    let created = tom.ok("create_incident", json!({ "input": input }));
    assert_eq!((created["status"].as_str(), created["severity"].as_str()), (Some("open"), Some("sev2")));
    let no_severity =
        tom.err("create_incident", json!({ "input": { "product_id": hotfix["product_id"], "title": "X" } }));
    assert_eq!(no_severity["field"], "severity", "{no_severity}");
    let early = tom.err(
        "set_incident_status",
        json!({ "id": created["id"], "status": "resolved", "at": "2026-11-14T09:00:00+01:00" }),
    );
    assert_eq!(early["field"], "at", "{early}");
    let resolved = tom.ok(
        "set_incident_status",
        json!({ "id": created["id"], "status": "resolved", "at": "2026-11-15T10:30:00+01:00" }),
    );
    assert_eq!(resolved["minutes_to_restore"], 90);
    let patched = tom.ok("create_hotfix", json!({ "id": created["id"] }));
    assert_eq!((patched[1]["version"].as_str(), patched[1]["rework"].as_bool()), (Some("2.4.2"), Some(true)));
    let listed = tom.ok("list_incidents", json!({ "releaseId": hotfix["id"] }));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    let metrics = tom.ok("get_metrics", json!({ "from": "2026-06-01", "to": "2026-11-30" }));
    assert_eq!(metrics["from"], "2026-06-01");
    assert!(metrics["change_failure_rate"]["deployments"].is_array(), "{metrics}");
    let half = tom.err("get_metrics", json!({ "from": "2026-06-01" }));
    assert_eq!(half["field"], "to", "{half}");
}

#[test]
fn a_retrospective_is_read_written_and_its_action_promoted_through_ipc() {
    let ana = Harness::start_as("Ana Lima <ana@example.com>");
    ana.ok("load_sample_data", json!({}));
    let releases = ana.ok("list_releases", json!({}));
    let kestrel = releases.as_array().unwrap().iter().find(|r| r["version"] == "2.4.0").unwrap().clone();
    let retro = ana.ok("get_retro", json!({ "releaseId": kestrel["id"] }));
    assert_eq!(retro["facts"]["status"], "rolled_back");
    assert_eq!(retro["actions"].as_array().map(Vec::len), Some(2), "{retro}");
    assert_eq!(retro["feedback"].as_array().map(Vec::len), Some(2), "{retro}");
    let written = ana.ok(
        "write_retro",
        json!({ "releaseId": kestrel["id"], "wentWell": "Calm rollback", "wentBadly": "No yen in the sandbox" }),
    );
    assert_eq!(written["updated_by"], "Ana Lima <ana@example.com>");
    let id = retro["actions"][0]["id"].clone();
    let promoted = ana.ok("promote_retro_action", json!({ "id": id, "to": { "to": "risk" } }));
    assert!(promoted["risk_id"].is_number(), "{promoted}");
    let step = ana.err(
        "promote_retro_action",
        json!({ "id": retro["actions"][1]["id"], "to": { "to": "step", "template": "Web service release", "phase": "pre_release" } }),
    );
    assert_eq!(step["field"], "template", "the built-in template does not change: {step}");
    let empty = ana.err(
        "add_feedback",
        json!({ "releaseId": kestrel["id"], "input": { "source": "", "text": "x", "sentiment": "neutral" } }),
    );
    assert_eq!(empty["field"], "source", "{empty}");
}

#[test]
fn the_status_report_comes_as_markdown_or_html_through_ipc() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let md = h.ok("get_status_report", json!({ "productId": null, "format": "md" }));
    let md = md.as_str().unwrap();
    assert!(md.starts_with("# Release status, All products: "), "{md}");
    assert!(!md.contains("change 4"), "no internal ids: {md}");
    let html = h.ok("get_status_report", json!({ "productId": null, "format": "html" }));
    assert!(html.as_str().unwrap().starts_with("<!DOCTYPE html>"));
    let bad = h.err("get_status_report", json!({ "productId": 999, "format": "md" }));
    assert_eq!(bad["code"], "not_found", "{bad}");
}
