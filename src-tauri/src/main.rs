// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // SAFETY: the first thing in main, before Tauri or anything else starts a thread.
    unsafe { relman_core::git::bound_connect_time() };
    relman_app::run();
}
