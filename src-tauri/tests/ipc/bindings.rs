//! The UI's TypeScript types are generated from the Rust types; this fails when they drift.

use std::path::PathBuf;

#[test]
fn bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/generated/ipc.ts");
    let expected = relman_app::typescript_bindings();
    if std::env::var_os("RELMAN_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is out of date with the Rust types; run `RELMAN_UPDATE_BINDINGS=1 cargo test --test ipc bindings` and commit it",
        path.display()
    );
}
