//! How errors cross IPC: `{ code, message, field }`. The UI branches on `code`, shows `message`, and
//! puts it beside the input named by `field` when there is one.

use relman_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl From<relman_core::Error> for IpcError {
    fn from(error: relman_core::Error) -> Self {
        IpcError { code: error.code(), message: error.to_string(), field: error.field().map(str::to_string) }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
