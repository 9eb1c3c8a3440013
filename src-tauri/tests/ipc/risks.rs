use serde_json::json;

use crate::Harness;

#[test]
fn a_risk_is_added_edited_filtered_and_its_history_read_through_ipc() {
    let h = Harness::start();
    let product = h.product("Atlas");
    let input = json!({ "product_id": product, "title": "Payment outage", "category": "external",
        "likelihood": 4, "impact": 5, "status": "open" });
    let created = h.ok("create_risk", json!({ "input": input }));
    assert_eq!((created["score"].as_u64(), created["band"].as_str()), (Some(20), Some("high")));
    let id = created["id"].clone();
    let mut edit = input.clone();
    edit["likelihood"] = json!(2);
    let edited = h.ok("update_risk", json!({ "id": id, "input": edit }));
    assert_eq!(edited["score"], 10, "the score follows the edit");
    let cell = h.ok("list_risks", json!({ "filter": { "product_id": product, "likelihood": 2, "impact": 5 } }));
    assert_eq!(cell.as_array().map(Vec::len), Some(1), "the heat-map cell filter finds it");
    let history = h.ok("risk_history", json!({ "id": id }));
    assert_eq!(history[1]["changes"], json!(["likelihood 4 → 2"]));
    let mut bad = input;
    bad["impact"] = json!(9);
    let error = h.err("update_risk", json!({ "id": id, "input": bad }));
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("invalid_input"), Some("impact")));
}

#[test]
fn confirming_an_import_without_a_preview_is_refused() {
    let h = Harness::start();
    let error = h.err("confirm_risk_import", json!({}));
    assert!(error["message"].as_str().unwrap().contains("pick the CSV file again"), "{error}");
}

#[test]
fn suggestions_run_as_a_task_that_an_earlier_stop_does_not_reach() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let releases = h.ok("list_releases", json!({}));
    let atlas = releases
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product_name"] == "Atlas Web" && r["version"] == "2.5.0")
        .expect("the sample has Atlas Web 2.5.0");
    let key = json!({ "kind": "suggestions", "release_id": atlas["id"] });
    h.ok("cancel_task", json!({ "key": key }));
    let found = h.ok("get_risk_suggestions", json!({ "releaseId": atlas["id"] }));
    let count = found["suggestions"].as_array().map_or(0, Vec::len);
    assert!(count >= 3, "a stop sent while nothing ran is not kept for the next read: {found}");
    let error = h.err("cancel_task", json!({ "key": { "kind": "rebuild" } }));
    assert!(error.to_string().contains("unknown variant"), "an unknown job is refused by name: {error}");
}
