//! The packages a lock file pins, read from its text: `Cargo.lock` with the `cargo-lock` crate (the
//! RustSec project's), `package-lock.json` (npm's formats 1 to 3) with serde. Packages from a path, a
//! git source or another registry than crates.io or npm's are left out: the advisories of the public
//! registries do not name them.

use std::str::FromStr;

use serde_json::Value;

use super::{Dependency, Ecosystem};
use crate::{Error, Result};

/// The lock files Relman reads, by file name.
pub fn ecosystem_of(path: &str) -> Option<Ecosystem> {
    match path.rsplit('/').next()? {
        "Cargo.lock" => Some(Ecosystem::CratesIo),
        "package-lock.json" | "npm-shrinkwrap.json" => Some(Ecosystem::Npm),
        _ => None,
    }
}

/// The registry packages `text` pins, sorted and each once; `path` is the file's path in the
/// repository, named in errors and in each dependency.
pub fn parse(path: &str, text: &str) -> Result<Vec<Dependency>> {
    let ecosystem = ecosystem_of(path).ok_or_else(|| {
        Error::invalid(format!("{path} is not a lock file Relman reads (Cargo.lock, package-lock.json)."))
    })?;
    let pinned = match ecosystem {
        Ecosystem::CratesIo => cargo(path, text)?,
        Ecosystem::Npm => npm(path, text)?,
    };
    let mut found: Vec<Dependency> = pinned
        .into_iter()
        .map(|(name, version)| Dependency { ecosystem, name, version, lock_file: path.to_string() })
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

fn cargo(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let lock = cargo_lock::Lockfile::from_str(text).map_err(|e| {
        Error::invalid(format!(
            "{path} is not a readable Cargo.lock ({e}); run `cargo generate-lockfile` and commit it."
        ))
    })?;
    Ok(lock
        .packages
        .into_iter()
        .filter(|p| p.source.as_ref().is_some_and(|s| s.is_default_registry()))
        .map(|p| (p.name.as_str().to_string(), p.version.to_string()))
        .collect())
}

fn npm(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let damaged = |why: String| {
        Error::invalid(format!("{path} is not a readable package-lock.json ({why}); run `npm install` and commit it."))
    };
    let lock: Value = serde_json::from_str(text).map_err(|e| damaged(e.to_string()))?;
    let mut found = Vec::new();
    // Formats 2 and 3: every installed package under "packages", keyed by its folder.
    if let Some(packages) = lock.get("packages").and_then(Value::as_object) {
        for (folder, package) in packages {
            let Some(name) = folder.rsplit_once("node_modules/").map(|(_, name)| name) else { continue };
            if package.get("link").and_then(Value::as_bool) == Some(true) || !from_registry(package) {
                continue;
            }
            let name = package.get("name").and_then(Value::as_str).unwrap_or(name);
            if let Some(version) = package.get("version").and_then(Value::as_str) {
                found.push((name.to_string(), version.to_string()));
            }
        }
        return Ok(found);
    }
    // Format 1: a tree of "dependencies", each with its own.
    fn walk(tree: &serde_json::Map<String, Value>, found: &mut Vec<(String, String)>) {
        for (name, package) in tree {
            if let Some(version) = package.get("version").and_then(Value::as_str) {
                if from_registry(package) && !version.starts_with("file:") && !version.contains("://") {
                    found.push((name.clone(), version.to_string()));
                }
            }
            if let Some(nested) = package.get("dependencies").and_then(Value::as_object) {
                walk(nested, found);
            }
        }
    }
    match lock.get("dependencies").and_then(Value::as_object) {
        Some(tree) => walk(tree, &mut found),
        None if lock.get("lockfileVersion").is_some() => {}
        None => return Err(damaged("it has neither \"packages\" nor \"dependencies\"".into())),
    }
    Ok(found)
}

/// Whether an npm lock entry came from a registry (its `resolved` is a tarball URL, or absent as in
/// lock files written with `--omit-lockfile-registry-resolved`), not from git or a local folder.
fn from_registry(package: &Value) -> bool {
    match package.get("resolved").and_then(Value::as_str) {
        None => true,
        Some(url) => url.starts_with("https://") || url.starts_with("http://"),
    }
}
