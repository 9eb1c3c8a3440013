//! A minimal Tauri window built as Relman is (same Tauri, same release profile, one static page):
//! the floor `bench/startup-memory.mjs` compares Relman's memory with (docs/BENCHMARKS.md).
//!
//! ```sh
//! cargo build --release --example minimal --features custom-protocol
//! ```

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!("bench/minimal/tauri.conf.json"))
        .expect("the minimal window runs");
}
