//! Every view's backend calls, timed through the app's own IPC handler (tauri's mock runtime: the
//! same command, arguments and JSON reply as the window's, without a display).
//!
//! ```sh
//! target/release/relman --db decade.db demo --scale decade
//! cargo run --release --example views -- decade.db [runs]
//! ```
//!
//! Each call runs `runs` times (100 unless told) after one untimed run; the table gives p50 and p95
//! in milliseconds and the reply's size. Only reads: the database is left as it was. `VIEWS_ONLY=CMD`
//! (or a view's name) times one command (or view) alone, for a profiler.

use std::time::Instant;

use chrono::Utc;
use relman_app::AppState;
use relman_core::store::Store;
use relman_core::Stamp;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().expect("usage: views DATABASE [RUNS]"));
    let runs: usize = args.next().map_or(100, |n| n.parse().expect("RUNS is a number"));
    let store = Store::open(&path).map_err(Into::into);
    let state = AppState::with_store(store, Some(path.clone()), Box::new(|actor: &str| Stamp::new(actor, Utc::now())));
    let app = relman_app::builder(mock_builder(), state).build(mock_context(noop_assets())).unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();

    // The releases a user opens first: the one under way soonest and one shipped with its checklist worked.
    let page = call(&window, "page_releases", json!({ "filter": { "product_id": 1, "status": "testing" } }));
    let current = first_id(&page).unwrap_or(1);
    let page = call(&window, "page_releases", json!({ "filter": { "product_id": 1, "status": "released" } }));
    let shipped = first_id(&page).unwrap_or(1);
    let product = 1;
    // The timeline's first screen asks for the rows a screen shows (with a screen's margin) of what
    // touches the quarter behind and everything ahead; scrolled down, the rows further on; asked for
    // earlier releases five times, five years back on.
    let today = Utc::now().date_naive();
    let day = |days: i64| (today + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let search = |text: &str, from: i64, offset: u32| {
        json!({ "filter": { "product_id": null, "status": null, "search": text, "from": day(from), "to": null,
                            "row_offset": offset, "row_limit": 80 } })
    };
    let timeline = |from: i64, offset: u32| search("", from, offset);
    let next_page = call(&window, "page_releases", json!({ "filter": {}, "page": { "limit": 100 } }))["next"].clone();

    let views: Vec<(&str, Vec<(&str, Value)>)> = vec![
        ("Timeline (first screen)", vec![("list_products", json!({})), ("get_timeline", timeline(-90, 0))]),
        ("Timeline (scrolled down)", vec![("get_timeline", timeline(-90, 300))]),
        ("Timeline (five years back)", vec![("get_timeline", timeline(-90 - 5 * 365, 0))]),
        ("Timeline (five years back, scrolled)", vec![("get_timeline", timeline(-90 - 5 * 365, 2000))]),
        // A word in every release's milestones ("Code freeze"), and a version few have.
        (
            "Timeline (searched)",
            vec![("get_timeline", search("freeze", -90, 0)), ("get_timeline", search("25.1", -90, 0))],
        ),
        (
            "Releases",
            vec![
                ("list_products", json!({})),
                (
                    "page_releases",
                    json!({ "filter": { "product_id": null, "status": null }, "page": { "limit": 100 } }),
                ),
                ("page_releases", json!({ "filter": {}, "page": { "limit": 100, "after": next_page } })),
                ("page_releases", json!({ "filter": { "product_id": product, "status": "released" } })),
            ],
        ),
        (
            "Release detail (under way)",
            vec![
                ("get_release", json!({ "id": current })),
                ("get_checklist", json!({ "releaseId": current })),
                ("list_risks", json!({ "filter": risk_filter(Some(product), Some(current)) })),
                ("get_risk_settings", json!({ "productId": product })),
                ("list_changes", json!({ "productId": product, "releaseId": current })),
                ("list_incidents", json!({ "productId": product, "releaseId": current })),
                ("get_release_tag", json!({ "releaseId": current })),
            ],
        ),
        (
            "Release detail (shipped)",
            vec![
                ("get_release", json!({ "id": shipped })),
                ("get_checklist", json!({ "releaseId": shipped })),
                ("list_risks", json!({ "filter": risk_filter(Some(product), Some(shipped)) })),
                ("get_retro", json!({ "releaseId": shipped })),
            ],
        ),
        (
            "Risks",
            vec![
                ("list_products", json!({})),
                ("page_risks", json!({ "filter": risk_filter(Some(product), None), "page": { "limit": 100 } })),
                ("risk_summary", json!({ "filter": risk_filter(Some(product), None) })),
                ("get_risk_settings", json!({ "productId": product })),
                (
                    "page_risks",
                    json!({ "filter": risk_filter(Some(product), None), "order": { "key": "title", "descending": false } }),
                ),
            ],
        ),
        ("Activity", vec![("list_audit", json!({ "filter": audit_filter() })), ("audit_status", json!({}))]),
        (
            "Insights",
            vec![
                ("get_metrics", json!({ "productId": product, "from": null, "to": null })),
                ("get_metrics_series", json!({ "productId": product, "from": null, "to": null })),
                ("list_incidents", json!({ "productId": product, "releaseId": null })),
            ],
        ),
    ];

    println!("{} ({runs} runs a call)\n", path.display());
    println!("| view | call | p50 ms | p95 ms | reply |");
    println!("|---|---|---:|---:|---:|");
    // `VIEWS_ONLY=get_timeline` times only that command, `VIEWS_ONLY=Releases` only that view's (for a
    // profiler).
    let only = std::env::var("VIEWS_ONLY").ok();
    for (view, calls) in &views {
        let picked = |cmd: &str| only.as_deref().is_none_or(|o| o == cmd || o == *view);
        for (cmd, args) in calls.iter().filter(|(cmd, _)| picked(cmd)) {
            let bytes = reply_size(&window, cmd, args.clone());
            let mut times: Vec<f64> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    reply_size(&window, cmd, args.clone());
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            times.sort_by(f64::total_cmp);
            let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
            let what = describe(args);
            println!("| {view} | `{cmd}` {what} | {:.2} | {:.2} | {} |", at(0.5), at(0.95), size(bytes));
        }
    }
}

/// Invokes `cmd` and returns the size of its reply, as the JSON text the window would receive
/// (not parsed here, so the timing is the backend's alone).
fn reply_size(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> usize {
    match get_ipc_response(window, request(cmd, args)).unwrap_or_else(|e| panic!("{cmd} failed: {e:?}")) {
        tauri::ipc::InvokeResponseBody::Json(text) => text.len(),
        tauri::ipc::InvokeResponseBody::Raw(bytes) => bytes.len(),
    }
}

fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Value {
    get_ipc_response(window, request(cmd, args))
        .map(|body| body.deserialize::<Value>().unwrap())
        .unwrap_or_else(|e| panic!("{cmd} failed: {e:?}"))
}

/// The first release id of a reply: a list, or a page with `items`.
fn first_id(reply: &Value) -> Option<i64> {
    let list = reply.get("items").unwrap_or(reply);
    list.as_array()?.first()?.get("id")?.as_i64()
}

fn risk_filter(product: Option<i64>, release: Option<i64>) -> Value {
    let scope = match release {
        Some(id) => json!({ "kind": "release", "id": id }),
        None => json!({ "kind": "any" }),
    };
    json!({ "product_id": product, "release": scope, "statuses": [], "categories": [], "owner": null,
            "band": null, "text": null, "likelihood": null, "impact": null })
}

fn audit_filter() -> Value {
    json!({ "entity": null, "entity_id": null, "product_id": null, "release_id": null, "actor": null,
            "since": null, "until": null, "before_seq": null, "limit": 100 })
}

/// The arguments that tell one call of a command from another, in a few words.
fn describe(args: &Value) -> String {
    let mut words = Vec::new();
    let filter = &args["filter"];
    if filter["product_id"].is_i64() || args["productId"].is_i64() {
        words.push("one product".to_string());
    }
    if let Some(status) = filter["status"].as_str() {
        words.push(status.to_string());
    }
    if let Some(key) = args["order"]["key"].as_str() {
        words.push(format!("by {key}"));
    }
    if let Some(text) = filter["search"].as_str().filter(|t| !t.is_empty()) {
        words.push(format!("\"{text}\""));
    }
    if args["page"]["after"].is_string() {
        words.push("page 2".into());
    }
    match (filter["from"].as_str(), filter["to"].as_str()) {
        (Some(from), Some(to)) => words.push(format!("{from} to {to}")),
        (Some(from), None) => words.push(format!("from {from}")),
        _ => {}
    }
    if let (Some(offset), Some(limit)) = (filter["row_offset"].as_u64(), filter["row_limit"].as_u64()) {
        words.push(format!("rows {}–{}", offset + 1, offset + limit));
    }
    if words.is_empty() {
        String::new()
    } else {
        format!("({})", words.join(", "))
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.0} kB", bytes as f64 / (1 << 10) as f64)
    } else {
        format!("{bytes} B")
    }
}
