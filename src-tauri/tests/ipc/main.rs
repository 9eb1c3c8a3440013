//! The IPC commands through tauri's mock runtime: the same JSON the UI sends, no display needed.

mod adapters;
mod after;
mod audit;
mod changes;
mod bindings;
mod credentials;
mod notes;
mod releases;
mod risks;
mod security;
mod share;

use chrono::{TimeZone, Utc};
use relman_app::AppState;
use relman_core::store::Store;
use relman_core::Stamp;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

pub struct Harness {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    temp: tempfile::TempDir,
}

impl Harness {
    pub fn start() -> Self {
        Self::start_with(|state| state)
    }

    /// The app with `RELMAN_USER` naming `person`.
    pub fn start_as(person: &str) -> Self {
        Self::start_with(|state| state.acting_as(person))
    }

    fn start_with(adjust: impl FnOnce(AppState) -> AppState) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relman.db");
        let store = Store::open(&path).map_err(Into::into);
        let clock = Box::new(|actor: &str| Stamp::new(actor, Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()));
        let state = AppState::with_store(store, Some(path), clock)
            .with_keyring(Box::new(relman_core::secrets::MemoryStore::new()));
        let state = adjust(state);
        let app = relman_app::builder(mock_builder(), state).build(mock_context(noop_assets())).unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Harness { _app: app, window, temp: dir }
    }

    /// Invokes `cmd` with `args`; Ok is the command's JSON reply, Err its `{code, message, field}`.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} should succeed, got {e}"))
    }

    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, got {v}"),
            Err(e) => e,
        }
    }

    pub fn dir(&self) -> &std::path::Path {
        self.temp.path()
    }

    pub fn product(&self, name: &str) -> i64 {
        let product = self.ok("create_product", json!({ "input": { "name": name } }));
        product["id"].as_i64().unwrap()
    }
}
