//! The two doors stay thin: no SQL or libgit2 outside relman-core, and every Tauri command converts,
//! calls one core function (or one task around it) and maps, in ten lines or fewer. Read from the
//! sources, so a command that grows orchestration fails here with its name.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

fn adapter_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src-tauri/src", "crates/relman-cli/src"] {
        sources(&root.join(dir), &mut files);
    }
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).expect("a source file is readable");
            (p.strip_prefix(root).unwrap_or(&p).display().to_string(), text)
        })
        .collect()
}

/// The lines that are code: comments dropped.
fn code(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")).map(|(i, l)| (i + 1, l))
}

#[test]
fn no_sql_and_no_libgit2_outside_the_core() {
    let words = ["rusqlite", "git2::", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE"];
    let mut found = Vec::new();
    for (path, text) in adapter_sources() {
        for (n, line) in code(&text) {
            if let Some(word) = words.iter().find(|w| line.contains(*w)) {
                found.push(format!("{path}:{n} uses {word}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "SQL and git belong in relman-core:\n{}", found.join("\n"));
}

#[test]
fn every_tauri_command_is_ten_lines_or_fewer() {
    let mut commands = 0;
    let mut long = Vec::new();
    for (path, text) in adapter_sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (at, _) in lines.iter().enumerate().filter(|(_, l)| l.trim() == "#[tauri::command]") {
            commands += 1;
            let signature = at + 1;
            let opens = (signature..lines.len()).find(|&i| lines[i].trim_end().ends_with('{')).expect("a body");
            let closes = (opens..lines.len()).find(|&i| lines[i] == "}").expect("the body's end");
            let body = closes - opens - 1;
            if body > 10 {
                long.push(format!("{path}:{} {} has a {body}-line body", signature + 1, lines[signature].trim()));
            }
        }
    }
    assert!(commands > 70, "the commands should be found, found {commands}");
    assert!(long.is_empty(), "orchestration belongs in the core:\n{}", long.join("\n"));
}
