use serde_json::json;

use crate::Harness;

#[test]
fn a_release_is_created_moved_and_listed_through_ipc() {
    let h = Harness::start();
    let product = h.product("Atlas");
    let input =
        json!({ "product_id": product, "version": "2.4.0", "codename": "Kestrel", "target_date": "2026-12-10" });
    let created = h.ok("create_release", json!({ "input": input }));
    assert_eq!(created["status"], "planned");
    assert_eq!(created["next_statuses"], json!(["in_progress", "cancelled"]), "the UI offers only legal moves");
    let id = created["id"].clone();
    let moved = h.ok("transition_release", json!({ "id": id, "to": "in_progress" }));
    assert_eq!(moved["status"], "in_progress");
    let listed = h.ok("list_releases", json!({ "filter": { "product_id": product, "status": "in_progress" } }));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let detail = h.ok("get_release", json!({ "id": id }));
    let history = &detail["history"][0];
    assert_eq!(
        (history["to"].as_str(), history["at"].as_str()),
        (Some("in_progress"), Some("2026-11-26T10:00:00Z")),
        "the app's clock stamps the move"
    );
}

#[test]
fn invalid_input_comes_back_as_code_message_and_field() {
    let h = Harness::start();
    let product = h.product("Atlas");
    let error = h.err("create_release", json!({ "input": { "product_id": product, "version": "two" } }));
    assert_eq!(error["code"], "invalid_input");
    assert_eq!(error["field"], "version", "the form puts the message beside the version");
    assert!(error["message"].as_str().unwrap().contains("semantic version"), "{error}");
}

#[test]
fn an_illegal_transition_is_refused_with_its_code() {
    let h = Harness::start();
    let product = h.product("Atlas");
    let created = h.ok("create_release", json!({ "input": { "product_id": product, "version": "1.0.0" } }));
    let error = h.err("transition_release", json!({ "id": created["id"], "to": "released" }));
    assert_eq!(error["code"], "invalid_transition");
    let after = h.ok("get_release", json!({ "id": created["id"] }));
    assert_eq!(after["release"]["status"], "planned", "nothing changed");
}

#[test]
fn a_missing_release_is_not_found() {
    let h = Harness::start();
    let error = h.err("get_release", json!({ "id": 999 }));
    assert_eq!(error["code"], "not_found");
}

#[test]
fn sample_data_loads_once_and_settings_name_the_actor() {
    let h = Harness::start();
    let summary = h.ok("load_sample_data", json!({}));
    assert_eq!(summary["releases"], 13);
    assert_eq!(h.err("load_sample_data", json!({}))["code"], "conflict");
    let settings = h.ok("update_settings", json!({ "input": { "user_name": "Dana Release", "theme": "dark" } }));
    assert_eq!((settings["user_name"].as_str(), settings["theme"].as_str()), (Some("Dana Release"), Some("dark")));
    let product = h.product("Gamma");
    let created = h.ok("create_release", json!({ "input": { "product_id": product, "version": "0.1.0" } }));
    let moved = h.ok("transition_release", json!({ "id": created["id"], "to": "in_progress" }));
    let detail = h.ok("get_release", json!({ "id": moved["id"] }));
    assert_eq!(detail["history"][0]["actor"], "Dana Release", "changes are recorded under the configured name");
}

#[test]
fn the_app_reports_where_its_database_is() {
    let h = Harness::start();
    let info = h.ok("app_info", json!({}));
    assert!(info["db_path"].as_str().unwrap().ends_with("relman.db"));
    assert!(info["open_error"].is_null());
}

#[test]
fn the_timeline_and_freeze_windows_through_ipc() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let view = h.ok("get_timeline", json!({ "filter": { "product_id": null, "status": null, "search": "" } }));
    assert_eq!(view["today"], "2026-11-26", "today comes from the app's clock");
    let rows: usize = view["groups"].as_array().unwrap().iter().map(|g| g["rows"].as_array().unwrap().len()).sum();
    assert_eq!(rows, 13);
    let window = h.ok("create_freeze_window", json!({ "input": { "name": "Audit", "start_date": "2027-01-10", "end_date": "2027-01-12", "reason": "SOX audit", "product_ids": [] } }));
    let error = h.err(
        "update_freeze_window",
        json!({ "id": window["id"], "input": { "name": "", "start_date": "2027-01-10", "end_date": "2027-01-12" } }),
    );
    assert_eq!(error["field"], "name");
    h.ok("delete_freeze_window", json!({ "id": window["id"] }));
    let windows = h.ok("list_freeze_windows", json!({}));
    assert!(windows.as_array().unwrap().iter().all(|w| w["name"] != "Audit"));
}

#[test]
fn a_gate_blocks_through_ipc_until_overridden() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let list = h.ok("list_releases", json!({ "filter": { "product_id": null, "status": "testing" } }));
    let id = list[0]["id"].clone();
    let error = h.err("transition_release", json!({ "id": id, "to": "ready" }));
    assert_eq!(error["code"], "gate_blocked", "the UI branches on this code to offer an override");
    let moved = h.ok("transition_release", json!({ "id": id, "to": "ready", "overrideReason": "Agreed at go/no-go" }));
    assert_eq!(moved["status"], "ready");
}

#[test]
fn checklist_editing_and_deploy_steps_through_ipc() {
    let h = Harness::start();
    let product = h.product("Atlas");
    let release = h.ok("create_release", json!({ "input": { "product_id": product, "version": "1.0.0" } }));
    let id = release["id"].clone();
    assert_eq!(h.ok("apply_template", json!({ "releaseId": id, "name": "Web service release" })), 29);
    let added = h.ok(
        "add_checklist_item",
        json!({ "releaseId": id, "input": { "phase": "deploy", "title": "Warm the caches" } }),
    );
    let reordered = h.ok("reorder_checklist_item", json!({ "id": added["id"], "by": -1 }));
    let deploy: Vec<&str> = reordered
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["phase"] == "deploy")
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(deploy[deploy.len() - 2], "Warm the caches", "moved up one place");
    let error = h.err("set_item_state", json!({ "id": added["id"], "to": "skipped" }));
    assert_eq!(error["field"], "note", "a skip needs its reason");
    let deployment =
        h.ok("start_deployment", json!({ "releaseId": id, "environment": "production", "strategy": "canary" }));
    let step = h.ok("deploy_act", json!({ "deploymentId": deployment["id"], "itemId": added["id"], "to": "done" }));
    assert_eq!(step["state"], "done");
    assert_eq!(h.ok("current_deployment", json!({}))["id"], deployment["id"], "a restart would reopen it");
    h.ok("deploy_undo", json!({ "deploymentId": deployment["id"] }));
    let view = h.ok("get_checklist", json!({ "releaseId": id }));
    assert_eq!(view["actions"][0]["undone"], true);
    h.ok("record_go_no_go", json!({ "releaseId": id, "input": { "go": true, "decided_by": "Priya" } }));
    h.ok("finish_deployment", json!({ "deploymentId": deployment["id"], "outcome": "succeeded" }));
    assert!(h.ok("current_deployment", json!({})).is_null());
}

#[test]
fn templates_are_listed_duplicated_and_deleted_through_ipc() {
    let h = Harness::start();
    let list = h.ok("list_templates", json!({}));
    assert_eq!(list[0]["built_in"], true);
    assert_eq!(list[0]["items"], 29);
    h.ok("duplicate_template", json!({ "name": "Web service release", "newName": "Mobile release" }));
    let error = h.err("delete_template", json!({ "name": "Web service release" }));
    assert_eq!(error["code"], "not_found", "the built-in template is not one of yours to delete");
    h.ok("delete_template", json!({ "name": "Mobile release" }));
    assert_eq!(h.ok("list_templates", json!({})).as_array().map(Vec::len), Some(1));
}

#[test]
fn a_template_is_edited_renamed_and_validated_through_ipc() {
    let h = Harness::start();
    let mut built_in = h.ok("get_template", json!({ "name": "Web service release" }));
    built_in["name"] = json!("Mobile release");
    built_in["items"] = json!([{ "phase": "deploy", "title": "Submit to the stores", "owner_role": "Mobile" }]);
    built_in["gates"] = json!([]);
    let saved = h.ok("save_template", json!({ "input": built_in, "previousName": "Web service release" }));
    assert_eq!(saved["items"][0]["required"], true, "required by default");
    let mut renamed = saved.clone();
    renamed["name"] = json!("App store release");
    h.ok("save_template", json!({ "input": renamed, "previousName": "Mobile release" }));
    let names: Vec<String> = h
        .ok("list_templates", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["Web service release", "App store release"],
        "the built-in stays; the rename replaced the old name"
    );
    let mut empty = saved;
    empty["items"] = json!([]);
    let error = h.err("save_template", json!({ "input": empty }));
    assert_eq!(error["field"], "items");
}

#[test]
fn the_releases_view_and_the_register_come_a_page_at_a_time() {
    let h = Harness::start();
    h.ok("load_sample_data", json!({}));
    let first = h.ok("page_releases", json!({ "filter": {}, "page": { "limit": 5 } }));
    assert_eq!(first["items"].as_array().map(Vec::len), Some(5));
    let total = first["total"].as_u64().unwrap();
    let rest = h.ok("page_releases", json!({ "filter": {}, "page": { "limit": 1000, "after": first["next"] } }));
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(total as usize - 5));
    assert_eq!(rest["next"], json!(null), "the last page says so");

    let error = h.err("page_releases", json!({ "filter": {}, "page": { "limit": 0 } }));
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("invalid_input"), Some("limit")));

    let products = h.ok("list_products", json!({}));
    let atlas = products[0]["id"].clone();
    let filter = json!({ "product_id": atlas, "release": { "kind": "any" } });
    let by_title = h.ok("page_risks", json!({ "filter": filter, "order": { "key": "title", "descending": false } }));
    let titles: Vec<&str> =
        by_title["items"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert!(titles.windows(2).all(|w| w[0].to_lowercase() <= w[1].to_lowercase()), "{titles:?}");
    let summary = h.ok("risk_summary", json!({ "filter": filter }));
    let cells: u64 = summary["heat"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(cells, by_title["total"].as_u64().unwrap(), "the heat map counts every risk of the filter");
}

#[test]
fn open_database_swaps_in_another_file_and_refuses_one_that_is_not_a_database() {
    let h = Harness::start();
    h.product("Atlas");
    // The open dialog is answered by RELMAN_OPEN_FILE; RELMAN_DB keeps the note of the last file
    // opened inside this test's folder.
    std::env::set_var("RELMAN_DB", h.dir().join("default.db"));
    let other = h.dir().join("archive.db");
    {
        let mut store = relman_core::store::Store::open(&other).unwrap();
        let stamp = relman_core::Stamp::new("ana", chrono::Utc::now());
        let input = relman_core::product::ProductInput { name: "Beacon".into(), ..Default::default() };
        relman_core::product::create(&mut store, &stamp, input).unwrap();
    }
    std::env::set_var("RELMAN_OPEN_FILE", &other);
    let opened = h.ok("open_database", json!({}));
    assert_eq!(opened.as_str().map(std::path::PathBuf::from), Some(other.clone()));
    let names = |h: &Harness| -> Vec<String> {
        h.ok("list_products", json!({}))
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&h), vec!["Beacon".to_string()], "the other file's plan");
    assert_eq!(h.ok("app_info", json!({}))["db_path"].as_str().map(std::path::PathBuf::from), Some(other.clone()));
    let note = std::fs::read_to_string(h.dir().join("last-database")).unwrap();
    assert_eq!(note.trim(), other.display().to_string(), "remembered for the next start");

    let text = h.dir().join("notes.db");
    std::fs::write(&text, "not a database").unwrap();
    std::env::set_var("RELMAN_OPEN_FILE", &text);
    let error = h.err("open_database", json!({}));
    assert!(error["message"].as_str().unwrap().contains("not a Relman release database"), "{error}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "not a database", "left untouched");
    assert_eq!(names(&h), vec!["Beacon".to_string()], "the open database stays open");
}
