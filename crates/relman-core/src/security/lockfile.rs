//! The packages a lock file pins, read from its text: `Cargo.lock` with the `cargo-lock` crate (the
//! RustSec project's), `package-lock.json` (npm's formats 1 to 3) with serde, `pnpm-lock.yaml` and
//! Yarn's `yarn.lock` (its own format in Yarn 1, YAML from Yarn 2 on) for npm packages, `go.sum`
//! for Go modules, and for Python `poetry.lock` and `uv.lock` (TOML) and `requirements*.txt` pinned
//! with `==` (as pip-compile and `pip freeze` write them), and Bundler's `Gemfile.lock` for gems. Packages from a path, a git source or
//! another registry than the public ones are left out: the advisories of the public registries do
//! not name them.

use std::str::FromStr;

use serde_json::Value;

use super::{Dependency, Ecosystem};
use crate::{Error, Result};

/// The lock-file formats Relman reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Cargo,
    Npm,
    Pnpm,
    Yarn,
    GoSum,
    Poetry,
    Uv,
    Requirements,
    Gemfile,
}

fn format_of(path: &str) -> Option<Format> {
    let name = path.rsplit('/').next()?;
    // requirements.txt, requirements-dev.txt, and any .txt in a requirements/ folder.
    let in_folder = path.rsplit('/').nth(1) == Some("requirements");
    if name.ends_with(".txt") && (name.starts_with("requirements") || in_folder) {
        return Some(Format::Requirements);
    }
    match name {
        "Cargo.lock" => Some(Format::Cargo),
        "package-lock.json" | "npm-shrinkwrap.json" => Some(Format::Npm),
        "pnpm-lock.yaml" => Some(Format::Pnpm),
        "yarn.lock" => Some(Format::Yarn),
        "go.sum" => Some(Format::GoSum),
        "poetry.lock" => Some(Format::Poetry),
        "uv.lock" => Some(Format::Uv),
        "Gemfile.lock" | "gems.locked" => Some(Format::Gemfile),
        _ => None,
    }
}

/// The lock files Relman reads, by file name, and the registry whose packages they pin.
pub fn ecosystem_of(path: &str) -> Option<Ecosystem> {
    Some(match format_of(path)? {
        Format::Cargo => Ecosystem::CratesIo,
        Format::Npm | Format::Pnpm | Format::Yarn => Ecosystem::Npm,
        Format::GoSum => Ecosystem::Go,
        Format::Poetry | Format::Uv | Format::Requirements => Ecosystem::PyPi,
        Format::Gemfile => Ecosystem::RubyGems,
    })
}

/// The registry packages `text` pins, sorted and each once; `path` is the file's path in the
/// repository, named in errors and in each dependency.
pub fn parse(path: &str, text: &str) -> Result<Vec<Dependency>> {
    let (Some(format), Some(ecosystem)) = (format_of(path), ecosystem_of(path)) else {
        return Err(Error::invalid(format!(
            "{path} is not a lock file Relman reads (Cargo.lock, package-lock.json, pnpm-lock.yaml, yarn.lock, go.sum, poetry.lock, uv.lock, requirements*.txt, Gemfile.lock)."
        )));
    };
    let pinned = match format {
        Format::Cargo => cargo(path, text)?,
        Format::Npm => npm(path, text)?,
        Format::Pnpm => pnpm(path, text)?,
        Format::Yarn => yarn(path, text)?,
        Format::GoSum => go_sum(path, text)?,
        Format::Poetry => poetry(path, text)?,
        Format::Uv => uv(path, text)?,
        Format::Requirements => requirements(path, text)?,
        Format::Gemfile => gemfile(path, text)?,
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

/// `pnpm-lock.yaml`: the keys of `packages`, which name each installed package and version —
/// `/name/1.0.0` up to format 5, `/name@1.0.0` in 6, `name@1.0.0` from 9 — with peer dependencies
/// after it (`_peer@2` in 5, `(peer@2)` from 6). A package resolved from a tarball URL, git or a folder
/// has a key that is no version, and is left out.
fn pnpm(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let damaged = |why: String| {
        Error::invalid(format!("{path} is not a readable pnpm-lock.yaml ({why}); run `pnpm install` and commit it."))
    };
    let lock: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| damaged(e.to_string()))?;
    let version = match lock.get("lockfileVersion") {
        Some(serde_yaml_ng::Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(serde_yaml_ng::Value::String(s)) => s.parse::<f64>().unwrap_or(0.0),
        _ => return Err(damaged("it has no lockfileVersion".into())),
    };
    let Some(packages) = lock.get("packages").and_then(serde_yaml_ng::Value::as_mapping) else { return Ok(Vec::new()) };
    let mut found = Vec::new();
    for key in packages.keys().filter_map(serde_yaml_ng::Value::as_str) {
        let key = key.strip_prefix('/').unwrap_or(key);
        let split = if version < 6.0 {
            // `@scope/name/1.0.0_peer@2.0.0`: the version is the last part, before any peers.
            key.rsplit_once('/').map(|(name, rest)| (name, rest.split('_').next().unwrap_or(rest)))
        } else {
            let plain = key.split('(').next().unwrap_or(key);
            plain.get(1..).and_then(|rest| rest.rfind('@')).map(|at| (&plain[..=at], &plain[at + 2..]))
        };
        if let Some((name, version)) = split {
            if semver::Version::parse(version).is_ok() {
                found.push((name.to_string(), version.to_string()));
            }
        }
    }
    Ok(found)
}

/// `yarn.lock`: from Yarn 2 on, YAML whose entries resolve to `name@npm:version` (other protocols —
/// workspace, patch, git, file — are left out); in Yarn 1, blocks of `"name@range", name@range:`
/// followed by an indented `version "1.0.0"` and the `resolved` URL.
fn yarn(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let damaged = |why: String| {
        Error::invalid(format!("{path} is not a readable yarn.lock ({why}); run `yarn install` and commit it."))
    };
    if text.lines().any(|l| l.starts_with("__metadata:")) {
        let lock: serde_yaml_ng::Mapping = serde_yaml_ng::from_str(text).map_err(|e| damaged(e.to_string()))?;
        let resolved = lock
            .values()
            .filter_map(|entry| entry.get("resolution").and_then(serde_yaml_ng::Value::as_str))
            .filter_map(|resolution| {
                let at = resolution.get(1..)?.find("@npm:")? + 1;
                Some((resolution[..at].to_string(), resolution[at + 5..].to_string()))
            });
        return Ok(resolved.collect());
    }
    let mut found = Vec::new();
    let mut name: Option<String> = None;
    let mut version: Option<String> = None;
    let mut registry = true;
    let mut flush = |name: &mut Option<String>, version: &mut Option<String>, registry: bool| {
        if let (Some(n), Some(v)) = (name.take(), version.take()) {
            if registry {
                found.push((n, v));
            }
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            flush(&mut name, &mut version, registry);
            let first = line.trim_end_matches(':').split(", ").next().unwrap_or_default().trim_matches('"');
            let Some(at) = first.get(1..).and_then(|rest| rest.find('@')).map(|i| i + 1) else {
                return Err(damaged(format!("\"{line}\" names no package")));
            };
            let mut spec = &first[at + 1..];
            let mut package = &first[..at];
            // An alias (`string-width-cjs@npm:string-width@^4.2.0`) installs the package it names.
            if let Some((aliased, range)) =
                spec.strip_prefix("npm:").and_then(|s| s.get(1..)?.find('@').map(|i| s.split_at(i + 1)))
            {
                (package, spec) = (aliased, &range[1..]);
            }
            registry = !["git", "github:", "file:", "link:", "http:", "https:", "portal:", "workspace:"]
                .iter()
                .any(|p| spec.starts_with(p));
            name = Some(package.to_string());
        } else if let Some(v) = line.strip_prefix("  version ") {
            // Two spaces: the entry's own field, not a dependency named `version` listed under it.
            version = Some(v.trim_matches('"').to_string());
        } else if let Some(url) = line.strip_prefix("  resolved ") {
            let url = url.trim_matches('"');
            registry &= url.starts_with("https://") || url.starts_with("http://");
        }
    }
    flush(&mut name, &mut version, registry);
    Ok(found)
}

/// `go.sum`: `module version hash` lines. A `version/go.mod` line only checks a module's `go.mod` for
/// resolving the build; the modules whose code the build uses have a line of their own.
fn go_sum(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        let (Some(module), Some(version), Some(_hash)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::invalid(format!(
                "{path} line {} is not \"module version hash\"; run `go mod tidy` and commit it.",
                n + 1
            )));
        };
        if !version.ends_with("/go.mod") {
            found.push((module.to_string(), version.to_string()));
        }
    }
    // go.sum can keep older versions of a module the build no longer selects; minimal version
    // selection builds the highest one it lists.
    let mut highest: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for (module, version) in found {
        let newer = |than: &String| {
            let parse = |v: &str| semver::Version::parse(v.trim_start_matches('v')).ok();
            parse(&version) > parse(than)
        };
        if highest.get(&module).is_none_or(newer) {
            highest.insert(module, version);
        }
    }
    Ok(highest.into_iter().collect())
}

/// `poetry.lock`: its `[[package]]` tables. A package with a `[package.source]` came from git, a
/// folder, a file, a URL or another index than PyPI, and is left out.
fn poetry(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    python_packages(path, text, "poetry.lock", "poetry lock", |package| package.get("source").is_none())
}

/// `uv.lock`: its `[[package]]` tables; those whose `source` is a registry on pypi.org are PyPI's
/// (the project itself is `editable` or `virtual`, others `git`, `path`, `url`).
fn uv(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    python_packages(path, text, "uv.lock", "uv lock", |package| {
        package.get("source").and_then(|s| s.get("registry")).and_then(toml::Value::as_str).is_some_and(|url| {
            url.starts_with("https://pypi.org/") || url.starts_with("https://files.pythonhosted.org/")
        })
    })
}

/// The `[[package]]` tables of a Python TOML lock file that `from_pypi` keeps, as name and version.
fn python_packages(
    path: &str,
    text: &str,
    kind: &str,
    regenerate: &str,
    from_pypi: impl Fn(&toml::Value) -> bool,
) -> Result<Vec<(String, String)>> {
    let damaged = |why: String| {
        Error::invalid(format!("{path} is not a readable {kind} ({why}); run `{regenerate}` and commit it."))
    };
    let lock: toml::Table = text.parse().map_err(|e: toml::de::Error| damaged(e.message().to_string()))?;
    let packages = match lock.get("package") {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(packages)) => packages,
        Some(_) => return Err(damaged("\"package\" is not a list of tables".into())),
    };
    let mut found = Vec::new();
    for package in packages.iter().filter(|p| from_pypi(p)) {
        let field = |name: &str| package.get(name).and_then(toml::Value::as_str);
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            return Err(damaged("a package has no name or version".into()));
        };
        found.push((name.to_string(), version.to_string()));
    }
    Ok(found)
}

/// `requirements*.txt`: the requirements pinned to one version (`name==1.2.3`, `name[extra]===1.2`,
/// with markers and `--hash` options after them, continued over lines with `\`). A requirement with
/// a range (`>=`, `~=`), a wildcard or a URL pins no version and is left out; options (`-r`, `-e`,
/// `--index-url`) are skipped. A line that names no project is an error.
fn requirements(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    let mut logical = String::new();
    let mut first_line = 0;
    for (n, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            first_line = n + 1;
        }
        // A comment starts at a `#` at the line's start or after whitespace (a URL's fragment stays).
        let line = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(at) => &raw[..at],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        if let Some(continued) = line.strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        let requirement = std::mem::take(&mut logical);
        if let Some(pin) = pinned_requirement(&requirement).map_err(|why| {
            Error::invalid(format!(
                "{path} line {first_line} is not a requirement ({why}); write it as name==version, or fix the file with pip-compile."
            ))
        })? {
            found.push(pin);
        }
    }
    Ok(found)
}

/// One requirement line: Some((name, version)) when it pins exactly one version, None for an
/// option, an unpinned requirement or a URL; an error when it names no project.
fn pinned_requirement(line: &str) -> std::result::Result<Option<(String, String)>, String> {
    let line = line.trim();
    // An option, or a local path (`./vendor/pkg`, `/opt/wheels/x.whl`), which pins nothing on PyPI.
    if line.is_empty() || line.starts_with(['-', '.', '/', '~']) {
        return Ok(None);
    }
    // Options after the requirement (`--hash=…`), then environment markers.
    let line = line.split(" --").next().unwrap_or(line);
    let line = line.split(';').next().unwrap_or(line).trim();
    let name_end =
        line.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(line.len());
    let name = &line[..name_end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!("\"{line}\" does not start with a project name"));
    }
    let mut rest = line[name_end..].trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        rest = extras.split_once(']').ok_or_else(|| format!("\"{line}\" opens extras with [ and never closes them"))?.1;
    }
    let rest = rest.trim();
    let Some(version) = rest.strip_prefix("===").or_else(|| rest.strip_prefix("==")) else { return Ok(None) };
    let version = version.trim();
    // Only one exact version pins: `==1.*`, or `==1.0,<2` with more than one clause, does not.
    if version.contains(['*', ',']) {
        return Ok(None);
    }
    match version.parse::<pep440_rs::Version>() {
        Ok(_) => Ok(Some((name.to_string(), version.to_string()))),
        Err(e) => Err(format!("{version} is not a PEP 440 version: {e}")),
    }
}

/// `Gemfile.lock`: the `specs:` of its `GEM` sections whose `remote:` is rubygems.org, four spaces in,
/// `name (version)` or `name (version-platform)` (a native build: the platform is not the version).
/// `GIT` and `PATH` sections, and gems from another server, are left out.
fn gemfile(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let damaged = |n: usize, why: &str| {
        Error::invalid(format!(
            "{path} line {n} is not Bundler's lock format ({why}); run `bundle lock` and commit it."
        ))
    };
    let mut found = Vec::new();
    let mut in_gem = false;
    let mut rubygems = false;
    let mut in_specs = false;
    for (n, line) in text.lines().enumerate().map(|(n, l)| (n + 1, l.trim_end())) {
        if line.is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            (in_gem, rubygems, in_specs) = (line == "GEM", false, false);
            continue;
        }
        if !in_gem {
            continue;
        }
        if let Some(remote) = line.strip_prefix("  remote: ") {
            rubygems = remote.starts_with("https://rubygems.org") || remote.starts_with("http://rubygems.org");
        } else if line == "  specs:" {
            in_specs = true;
        } else if let (true, true, Some(spec)) = (rubygems, in_specs, line.strip_prefix("    ")) {
            // Six spaces: a dependency of the gem above, with a requirement, not a pin.
            if spec.starts_with(' ') {
                continue;
            }
            let (name, rest) = spec.split_once(" (").ok_or_else(|| damaged(n, "a gem with no version"))?;
            let version = rest.strip_suffix(')').ok_or_else(|| damaged(n, "a version with no closing parenthesis"))?;
            let version = version.split('-').next().unwrap_or(version);
            if version.parse::<gem_version::GemVersion>().is_err() {
                return Err(damaged(n, &format!("{version} is not a gem version")));
            }
            found.push((name.to_string(), version.to_string()));
        }
    }
    Ok(found)
}
