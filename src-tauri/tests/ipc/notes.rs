use serde_json::{json, Value};

use crate::Harness;

fn release_id(h: &Harness, version: &str) -> Value {
    let list = h.ok("list_releases", json!({ "filter": { "product_id": null, "status": null } }));
    let found = list.as_array().unwrap().iter().find(|r| r["version"] == version && r["product_name"] == "Atlas Web");
    found.expect("the sample has this release")["id"].clone()
}

#[test]
fn the_notes_view_round_trip() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let id = release_id(&h, "2.5.0");

    let notes = h.ok("get_release_notes", json!({ "id": id }));
    assert_eq!(notes["document"]["range"]["from"], "v2.4.1");
    assert_eq!(notes["suggestion"]["version"], "2.5.0");
    let first = notes["document"]["sections"][0]["entries"][0].clone();

    h.ok(
        "save_notes_parts",
        json!({ "id": id, "parts": { "highlights": "Team workspaces.", "known_issues": "", "upgrade_notes": "" } }),
    );
    let change = json!({ "sha": first["sha"], "hidden": false, "text": "Workspaces for whole teams", "section": null });
    let manual = h.ok("set_notes_override", json!({ "id": id, "change": change }));
    assert_eq!(manual["overrides"].as_array().map(Vec::len), Some(1));

    let markdown = h.ok("render_release_notes", json!({ "id": id, "format": "md" }));
    let markdown = markdown.as_str().unwrap();
    assert!(markdown.contains("Team workspaces."), "{markdown}");
    assert!(markdown.contains("Workspaces for whole teams"), "the rewording is used: {markdown}");

    let json_text = h.ok("render_release_notes", json!({ "id": id, "format": "json" }));
    let exported: Value = serde_json::from_str(json_text.as_str().unwrap()).unwrap();
    assert_eq!(exported["highlights"], "Team workspaces.");

    let narrowed = h.ok("get_release_notes", json!({ "id": id, "range": { "from": "HEAD~2", "to": null } }));
    assert_eq!(narrowed["document"]["range"]["commits"], 2, "the range typed in the view wins");
}

#[test]
fn notes_errors_say_what_to_fix() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let id = release_id(&h, "2.5.0");
    let error = h.err("get_release_notes", json!({ "id": id, "range": { "from": "v9.9.9" } }));
    assert_eq!(error["code"], "unknown_ref");
    // Formats are typed: an unknown one is refused before the command runs, naming the ones there are.
    let error = h.err("render_release_notes", json!({ "id": id, "format": "docx" }));
    let message = error.as_str().unwrap_or_default();
    assert!(message.contains("format") && message.contains("`md`, `html`, `txt`, `json`"), "{error}");
}

#[test]
fn backports_are_counted_and_shown_on_request_and_a_walk_can_be_cancelled() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let id = release_id(&h, "2.5.0");

    let notes = h.ok("get_release_notes", json!({ "id": id }));
    let range = &notes["document"]["range"];
    assert!(range["merge_base"].is_string(), "v2.4.1 is on release/2.4.x: {range}");
    assert_eq!(range["shipped"], json!([{ "release": "v2.4.1", "count": 2 }]), "the two picks shipped in 2.4.1");
    assert_eq!(range["shipped_shown"], false);

    let shown = h.ok("get_release_notes", json!({ "id": id, "range": { "show_shipped": true } }));
    let marked: Vec<&Value> = shown["document"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["entries"].as_array().unwrap())
        .filter(|e| e["shipped_in"] == "v2.4.1")
        .collect();
    assert_eq!(marked.len(), 2, "shown, each marked with the release it shipped in");
    assert_eq!(shown["document"]["range"]["commits"], 10, "and still not counted as new");

    // A cancel that arrives before its walk starts still stops it; other walks are not touched.
    h.ok("cancel_task", json!({ "key": { "kind": "notes", "walk": 7 } }));
    let error = h.err("get_release_notes", json!({ "id": id, "walk": 7 }));
    assert_eq!(error["code"], "cancelled", "{error}");
    let again = h.ok("get_release_notes", json!({ "id": id, "walk": 8 }));
    assert_eq!(again["document"]["range"]["commits"], 10, "a cancel never leaks into another walk");
    let unnamed = h.ok("get_release_notes", json!({ "id": id }));
    assert_eq!(unnamed["document"]["range"]["commits"], 10);
}
