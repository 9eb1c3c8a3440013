//! Change requests through IPC: the same JSON the Changes view will send.

use serde_json::json;

use crate::Harness;

#[test]
fn a_change_is_created_drafted_refused_to_its_requester_and_approved_through_ipc() {
    let ana = Harness::start_as("Ana Lima <ana@example.com>");
    ana.ok("load_sample_data", json!({}));
    let releases = ana.ok("list_releases", json!({}));
    let lupine = releases.as_array().unwrap().iter().find(|r| r["version"] == "2.5.0").unwrap().clone();
    let input = json!({ "product_id": lupine["product_id"], "release_id": lupine["id"], "title": "Deploy 2.5.0",
        "type": "normal", "window_start": "2026-12-10T22:00:00+01:00", "window_end": "2026-12-10T23:30:00+01:00" });
    let created = ana.ok("create_change", json!({ "input": input }));
    let id = created["id"].clone();
    assert_eq!((created["state"].as_str(), created["type"].as_str()), (Some("draft"), Some("normal")));
    let reply = ana.ok("draft_change", json!({ "id": id }));
    let drafted = &reply["change"];
    assert!(drafted["implementation_plan"].as_str().unwrap().contains("\n1. "), "{drafted}");
    assert_eq!(reply["kept"], json!([]));
    let edited = ana.ok(
        "update_change",
        json!({ "id": id, "input": { "product_id": lupine["product_id"], "title": "Deploy Atlas Web 2.5.0",
            "type": "normal", "services": ["web", " web", "payments"],
            "window_start": "2026-12-10T22:00:00+01:00", "window_end": "2026-12-10T23:30:00+01:00" } }),
    );
    assert_eq!(edited["services"], json!(["web", "payments"]), "{edited}");
    let policy = ana.ok(
        "set_change_policy",
        json!({ "productId": lupine["product_id"], "policy": { "roles": [{ "role": "CAB" }, { "role": "Security",
            "only_for": ["payments"] }], "authors_may_approve": false,
            "maintenance": [{ "day": "thu", "start": "21:00", "end": "23:59", "zone": "Europe/Berlin" }] } }),
    );
    assert_eq!(policy["maintenance"][0]["day"], "thu", "{policy}");
    let needs = ana.ok("get_change", json!({ "id": id }));
    assert_eq!(needs["roles"], json!(["CAB", "Security"]), "Security is asked of a payments change: {needs}");
    let zone = ana.err(
        "set_change_policy",
        json!({ "productId": lupine["product_id"], "policy": { "roles": [{ "role": "CAB" }], "authors_may_approve": true,
            "maintenance": [{ "day": "thu", "start": "21:00", "end": "23:00", "zone": "Berlin" }] } }),
    );
    assert_eq!(zone["field"], "zone", "{zone}");
    ana.ok("write_change_plan", json!({ "id": id, "plan": "backout_plan", "text": "Flip back to blue." }));
    ana.ok("submit_change", json!({ "id": id }));
    let own = ana.err("decide_change", json!({ "id": id, "role": "CAB", "approve": true, "comment": "" }));
    assert_eq!(own["code"], "conflict", "{own}");
    let bad = ana.err(
        "create_change",
        json!({ "input": { "product_id": lupine["product_id"], "title": "X", "type": "normal",
        "window_start": "tonight" } }),
    );
    assert_eq!(bad["field"], "window_start", "{bad}");
    let listed = ana.ok("list_changes", json!({ "releaseId": lupine["id"] }));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let moved = ana.err("move_change", json!({ "id": id, "input": { "to": "implement" } }));
    assert_eq!(moved["code"], "invalid_transition", "{moved}");
}
