//! The core's modules form layers: `lib.rs` lists them lowest first (foundations, entities, use cases),
//! and each may use only the modules listed before it. This test reads that list and every source
//! file's `crate::` paths, so a use that points down the list (an entity calling a use case, a cycle)
//! fails here with the file and the module it reached for.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The modules `lib.rs` declares, in its order.
fn layers() -> Vec<String> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs is readable");
    lib.lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod ").or_else(|| line.trim().strip_prefix("mod ")))
        .filter_map(|rest| rest.strip_suffix(';'))
        .map(str::to_string)
        .collect()
}

fn files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("the source folder is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// The first segment of every `crate::` path in a file: `crate::release::find` and
/// `use crate::{release, risk::Risk, Error}` name `release`, `risk` and `Error`.
fn crate_uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        if !item.is_empty() {
                            found.insert(std::mem::take(&mut item));
                        }
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !item.is_empty() {
                            found.insert(std::mem::take(&mut item));
                        }
                        at_start = true;
                    }
                    c if at_start && (c.is_alphanumeric() || c == '_') => item.push(c),
                    _ if !item.is_empty() => {
                        found.insert(std::mem::take(&mut item));
                        at_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            found.insert(name);
        }
    }
    found
}

#[test]
fn each_module_uses_only_the_modules_listed_before_it() {
    let order = layers();
    assert!(order.len() > 20, "lib.rs should list the core's modules, found {order:?}");
    let root = src();
    let mut wrong = Vec::new();
    for (rank, module) in order.iter().enumerate() {
        let mut sources = Vec::new();
        let folder = root.join(module);
        if folder.is_dir() {
            files(&folder, &mut sources);
        }
        let file = root.join(format!("{module}.rs"));
        if file.is_file() {
            sources.push(file);
        }
        assert!(!sources.is_empty(), "lib.rs declares {module} but no src/{module}.rs or src/{module}/ exists");
        for path in sources {
            let text = fs::read_to_string(&path).expect("a source file is readable");
            for used in crate_uses(&text) {
                let Some(used_rank) = order.iter().position(|m| *m == used) else { continue };
                if used_rank > rank {
                    let shown = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
                    wrong.push(format!("{shown} ({module}) uses {used}, which lib.rs lists after it"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies must point up the list in lib.rs:\n{}", wrong.join("\n"));
}

#[test]
fn the_reader_sees_grouped_and_nested_uses() {
    let uses = crate_uses("use crate::{release::{self, Release}, risk, Error};\nlet x = crate::notes::render();\n");
    let expected: BTreeSet<String> = ["release", "risk", "Error", "notes"].map(String::from).into();
    assert_eq!(uses, expected, "every first segment, at the top level of a group only");
}
