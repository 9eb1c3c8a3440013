use serde_json::json;

use crate::Harness;

#[test]
fn credentials_are_listed_by_host_and_never_sent_back() {
    let h = Harness::start();
    let saved = json!({ "host": "https://GitHub.com/org/app.git", "username": "priya", "secret": "ghp_token123\n", "sessionOnly": false });
    h.ok("save_credential", saved);
    h.ok("save_credential", json!({ "host": "git.example.com", "username": "", "secret": "tok", "sessionOnly": true }));
    let listed = h.ok("list_credentials", json!({}));
    let text = listed.to_string();
    assert!(!text.contains("ghp_token123") && !text.contains("\"tok\""), "no value in the list: {text}");
    assert_eq!(listed[0]["host"], "github.com", "a pasted URL is stored by its host");
    assert_eq!(
        (listed[1]["host"].as_str(), listed[1]["session_only"].as_bool()),
        (Some("git.example.com"), Some(true))
    );
    let status = h.ok("keyring_status", json!({}));
    assert_eq!(status["available"], true);

    let bad = h.err("save_credential", json!({ "host": "  ", "username": "", "secret": "x", "sessionOnly": false }));
    assert_eq!((bad["code"].as_str(), bad["field"].as_str()), (Some("invalid_input"), Some("host")));
    let empty =
        h.err("save_credential", json!({ "host": "github.com", "username": "", "secret": " ", "sessionOnly": false }));
    assert_eq!(empty["field"], "secret");

    h.ok("delete_credential", json!({ "host": "github.com", "username": "priya", "sessionOnly": false }));
    h.ok("delete_credential", json!({ "host": "git.example.com", "username": "", "sessionOnly": true }));
    assert_eq!(h.ok("list_credentials", json!({})), json!([]));
    let untested = h.err("test_credential", json!({ "host": "github.com", "username": "priya" }));
    assert_eq!(untested["code"], "not_found", "no repository has a remote there: {untested}");
}
