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
