//! The dependency advisories: lock files read at both ends of a release's range from git objects, and
//! each pinned version matched against a folder of OSV records made by the test.

use std::path::Path;

use relman_core::release;
use relman_core::security::osv::AdvisoryDb;
use relman_core::security::scan::{self, Change};
use relman_core::security::{lockfile, Ecosystem, Severity};

use crate::common::{db, stamp};

/// An OSV record for one package: `ranges` as (type, [(event, version)]), severity as GitHub's word
/// or a CVSS vector.
fn record(id: &str, ecosystem: &str, name: &str, events: &[(&str, &str)], severity: &str) -> String {
    let events: Vec<_> = events.iter().map(|(event, at)| serde_json::json!({ *event: at })).collect();
    let kind = if ecosystem == "npm" { "ECOSYSTEM" } else { "SEMVER" };
    let mut value = serde_json::json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2026-01-01T00:00:00Z",
        "aliases": [format!("CVE-{id}")],
        "summary": format!("{name} is unsafe"),
        "affected": [{ "package": { "ecosystem": ecosystem, "name": name }, "ranges": [{ "type": kind, "events": events }] }],
        "references": [{ "type": "WEB", "url": "https://example.com/more" }, { "type": "ADVISORY", "url": format!("https://example.com/{id}") }],
    });
    if severity.starts_with("CVSS:3") {
        value["severity"] = serde_json::json!([{ "type": "CVSS_V3", "score": severity }]);
    } else {
        value["database_specific"] = serde_json::json!({ "severity": severity });
    }
    value.to_string()
}

const CRITICAL_VECTOR: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const MEDIUM_VECTOR: &str = "CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H";

/// The folder of advisories the fixture's range runs into, with what a real clone also holds: records
/// of other ecosystems, a withdrawn one, a file that is not a record, and a `.git` folder.
fn advisory_folder(dir: &Path) {
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let smallvec = record(
        "RUSTSEC-2019-0009",
        "crates.io",
        "smallvec",
        &[("introduced", "0.6.3"), ("fixed", "0.6.10")],
        CRITICAL_VECTOR,
    );
    write("crates/RUSTSEC-2019-0009.json", &smallvec);
    write(
        "crates/RUSTSEC-2020-0071.json",
        &record("RUSTSEC-2020-0071", "crates.io", "time", &[("introduced", "0"), ("fixed", "0.2.23")], MEDIUM_VECTOR),
    );
    write(
        "advisories/2021/02/GHSA-35jh.json",
        &record("GHSA-35jh", "npm", "lodash", &[("introduced", "0"), ("fixed", "4.17.21")], "HIGH"),
    );
    write(
        "advisories/2022/03/GHSA-xvch.json",
        &record("GHSA-xvch", "npm", "minimist", &[("introduced", "0"), ("fixed", "1.2.6")], "CRITICAL"),
    );
    write(
        "advisories/2018/GHSA-left.json",
        &record("GHSA-left", "npm", "left-pad", &[("introduced", "0"), ("fixed", "1.0.0")], "LOW"),
    );
    write("advisories/pypi/GHSA-pypi.json", &record("GHSA-pypi", "PyPI", "lodash", &[("introduced", "0")], "CRITICAL"));
    let mut withdrawn: serde_json::Value =
        serde_json::from_str(&record("GHSA-gone", "npm", "left-pad", &[("introduced", "0")], "CRITICAL")).unwrap();
    withdrawn["withdrawn"] = "2026-01-02T00:00:00Z".into();
    write("advisories/GHSA-gone.json", &withdrawn.to_string());
    write("advisories/broken.json", "{ \"ecosystem\": \"npm\", oops");
    write(".git/objects/not-a-record.json", &record("GHSA-git", "npm", "lodash", &[("introduced", "0")], "CRITICAL"));
}

/// Atlas 1.1.0 planned from the "vulnerable" fixture repository, and the advisory folder its range
/// runs into; the folders live as long as the setup.
pub(crate) struct Setup {
    pub db: crate::common::Db,
    pub release: i64,
    pub advisories: tempfile::TempDir,
    pub _repo: tempfile::TempDir,
}

pub(crate) fn setup() -> Setup {
    let advisories = tempfile::tempdir().unwrap();
    advisory_folder(advisories.path());
    let mut db = db();
    let (release, repo) = crate::common::release_on_fixture(&mut db, "vulnerable");
    Setup { db, release, advisories, _repo: repo }
}

#[test]
fn a_release_reports_the_vulnerable_versions_it_introduces_keeps_and_fixes() {
    let Setup { db, release, advisories, _repo } = setup();

    let folder = AdvisoryDb::load(advisories.path()).unwrap();
    assert_eq!(
        folder.advisories, 6,
        "two crates, three npm packages and one PyPI project; withdrawn and .git left out"
    );
    assert_eq!(folder.skipped, 1, "the file that is not a record");
    assert!(folder.first_skipped.as_deref().unwrap_or_default().contains("broken.json"));

    let report = scan::prepare(&db.store, release).unwrap().run(&folder).unwrap();
    assert_eq!(report.from.as_deref(), Some("v1.0.0"), "from the previous release tag");
    assert_eq!(
        report.lock_files,
        ["Cargo.lock", "tests/fixtures/broken/Cargo.lock", "web/package-lock.json"],
        "not the one under node_modules/"
    );
    assert_eq!(
        report.unreadable.len(),
        1,
        "the broken one is named, and the rest still checked: {:?}",
        report.unreadable
    );
    assert!(report.unreadable[0].contains("tests/fixtures/broken/Cargo.lock"), "{:?}", report.unreadable);
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.package.as_str(), f.version.as_str(), f.advisory.as_str(), f.severity, f.change))
        .collect();
    assert_eq!(
        found,
        [
            ("minimist", "1.2.5", "GHSA-xvch", Severity::Critical, Change::Introduced),
            ("smallvec", "0.6.9", "RUSTSEC-2019-0009", Severity::Critical, Change::Fixed),
            ("lodash", "4.17.20", "GHSA-35jh", Severity::High, Change::Kept),
            // Moved from 0.1.43 to 0.1.44, both affected: the release keeps what the last one shipped.
            ("time", "0.1.44", "RUSTSEC-2020-0071", Severity::Medium, Change::Kept),
        ],
        "left-pad 1.3.0 is past its advisory's fix; the withdrawn one does not count"
    );
    let minimist = &report.findings[0];
    assert_eq!(
        (minimist.fixed_in.as_slice(), minimist.lock_file.as_str()),
        (["1.2.6".to_string()].as_slice(), "web/package-lock.json")
    );
    assert_eq!(minimist.url.as_deref(), Some("https://example.com/GHSA-xvch"), "the advisory's own page");
    assert_eq!(minimist.aliases, ["CVE-GHSA-xvch"]);
    let shipped: Vec<_> = report.shipped_at_or_above(Severity::High).map(|f| f.package.as_str()).collect();
    assert_eq!(
        shipped,
        ["minimist", "lodash"],
        "what the release ships at high or above; the fixed one is not shipped"
    );
}

#[test]
fn versions_fall_in_ranges_as_osv_says() {
    let db = AdvisoryDb::from_records(&[
        &record(
            "A",
            "crates.io",
            "serde_json",
            &[("introduced", "1.0.0"), ("fixed", "1.2.0"), ("introduced", "2.0.0-rc.1")],
            "LOW",
        ),
        &record("B", "npm", "pkg", &[("introduced", "0"), ("last_affected", "3.1.0")], "moderate"),
        &record("C", "npm", "limited", &[("introduced", "1.0.0"), ("limit", "1.5.0")], "HIGH"),
    ])
    .unwrap();
    let hits = |eco, name: &str, version: &str| {
        db.affecting(eco, name, version).iter().map(|a| a.id.clone()).collect::<Vec<_>>()
    };
    assert!(hits(Ecosystem::CratesIo, "serde_json", "0.9.0").is_empty(), "before it was introduced");
    assert_eq!(hits(Ecosystem::CratesIo, "serde_json", "1.1.9"), ["A"]);
    assert_eq!(hits(Ecosystem::CratesIo, "serde-json", "1.1.9"), ["A"], "crates.io: - and _ are the same name");
    assert!(hits(Ecosystem::CratesIo, "serde_json", "1.2.0").is_empty(), "the fix");
    assert!(
        hits(Ecosystem::CratesIo, "serde_json", "2.0.0-beta.1").is_empty(),
        "a pre-release before the next introduction"
    );
    assert_eq!(hits(Ecosystem::CratesIo, "serde_json", "2.0.0"), ["A"], "introduced again, never fixed");
    assert_eq!(hits(Ecosystem::Npm, "pkg", "3.1.0"), ["B"], "the last affected version");
    assert!(hits(Ecosystem::Npm, "pkg", "3.1.1").is_empty());
    assert!(hits(Ecosystem::Npm, "Pkg", "1.0.0").is_empty(), "npm names are exact");
    assert_eq!(hits(Ecosystem::Npm, "limited", "1.4.9"), ["C"]);
    assert!(hits(Ecosystem::Npm, "limited", "1.5.0").is_empty(), "at the limit the range stops");
    let b = &db.affecting(Ecosystem::Npm, "pkg", "1.0.0")[0];
    assert_eq!(b.severity, Severity::Medium, "GitHub's MODERATE");
    assert!(AdvisoryDb::from_records(&["not json"]).is_err());

    // RustSec's notices: no severity, a word for what they are, every version from "0.0.0-0".
    let notice = serde_json::json!({ "id": "RUSTSEC-2024-0413", "summary": "no longer maintained",
        "affected": [{ "package": { "ecosystem": "crates.io", "name": "atk" },
                       "database_specific": { "informational": "unmaintained" },
                       "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0.0.0-0" }] }] }] });
    let db = AdvisoryDb::from_records(&[&notice.to_string()]).unwrap();
    let found = db.affecting(Ecosystem::CratesIo, "atk", "0.18.2");
    assert_eq!((found[0].severity, found[0].informational.as_deref()), (Severity::Unknown, Some("unmaintained")));
}

#[test]
fn lock_files_give_their_registry_packages_only() {
    let cargo = r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "private"
version = "2.0.0"
source = "registry+https://crates.internal.example.com/index"
"#;
    let found = lockfile::parse("Cargo.lock", cargo).unwrap();
    assert_eq!(found.iter().map(|d| (d.name.as_str(), d.version.as_str())).collect::<Vec<_>>(), [("serde", "1.0.200")]);

    let v1 = r#"{ "lockfileVersion": 1, "dependencies": {
        "a": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",
               "dependencies": { "b": { "version": "2.0.0" } } },
        "mine": { "version": "file:../mine" } } }"#;
    let found = lockfile::parse("app/package-lock.json", v1).unwrap();
    let names: Vec<_> = found.iter().map(|d| (d.name.as_str(), d.version.as_str(), d.lock_file.as_str())).collect();
    assert_eq!(names, [("a", "1.0.0", "app/package-lock.json"), ("b", "2.0.0", "app/package-lock.json")]);

    let err = lockfile::parse("Cargo.lock", "[[package]]\nname = 3").unwrap_err();
    assert!(err.to_string().contains("cargo generate-lockfile"), "{err}");
    let err = lockfile::parse("web/package-lock.json", "{ not json").unwrap_err();
    assert!(err.to_string().contains("web/package-lock.json") && err.to_string().contains("npm install"), "{err}");
    let unknown = lockfile::parse("composer.lock", "{}").unwrap_err().to_string();
    assert!(unknown.contains("composer.lock is not a lock file Relman reads"), "not one Relman reads yet: {unknown}");
}

/// What each of these formats pins, as (name, version).
fn pinned(path: &str, text: &str) -> Vec<(String, String)> {
    let found = lockfile::parse(path, text).unwrap_or_else(|e| panic!("{path}: {e}"));
    found.into_iter().map(|d| (d.name, d.version)).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

#[test]
fn pnpm_yarn_and_go_lock_files_give_their_registry_packages() {
    // pnpm 9: keys are name@version with peers in parentheses; a tarball or git package is no version.
    let pnpm9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      lodash: {specifier: ^4, version: 4.17.20}\n\
                 packages:\n  '@babel/core@7.24.0':\n    resolution: {integrity: sha512-x}\n  lodash@4.17.20:\n    resolution: {integrity: sha512-y}\n\
                 \x20 react-dom@18.2.0(react@18.2.0):\n    resolution: {integrity: sha512-z}\n  mine@https://example.com/mine.tgz:\n    resolution: {tarball: https://example.com/mine.tgz}\n";
    assert_eq!(
        pinned("pnpm-lock.yaml", pnpm9),
        pairs(&[("@babel/core", "7.24.0"), ("lodash", "4.17.20"), ("react-dom", "18.2.0")])
    );
    let pnpm6 = "lockfileVersion: '6.0'\npackages:\n  /@types/node@20.1.0:\n    dev: true\n  /ws@8.13.0(bufferutil@4.0.7):\n    dev: false\n";
    assert_eq!(pinned("web/pnpm-lock.yaml", pnpm6), pairs(&[("@types/node", "20.1.0"), ("ws", "8.13.0")]));
    let pnpm5 = "lockfileVersion: 5.4\npackages:\n  /@types/node/20.1.0:\n    dev: true\n  /ws/8.13.0_bufferutil@4.0.7:\n    dev: false\n";
    assert_eq!(pinned("pnpm-lock.yaml", pnpm5), pairs(&[("@types/node", "20.1.0"), ("ws", "8.13.0")]));
    let err = lockfile::parse("pnpm-lock.yaml", "packages: [").unwrap_err();
    assert!(err.to_string().contains("pnpm install"), "{err}");

    // Yarn 1: its own format, aliases installing the package they name; git and file sources left out.
    let yarn1 = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e21d3837d7d95798dd658"
  dependencies:
    "@babel/highlight" "^7.12.13"

lodash@^4.17.20:
  version "4.17.20"
  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.20.tgz"

"string-width-cjs@npm:string-width@^4.2.0":
  version "4.2.3"

mine@file:../mine:
  version "1.0.0"

theirs@git+https://example.com/theirs.git:
  version "2.0.0"
  resolved "git+https://example.com/theirs.git#abc"
"#;
    assert_eq!(
        pinned("yarn.lock", yarn1),
        pairs(&[("@babel/code-frame", "7.12.13"), ("lodash", "4.17.20"), ("string-width", "4.2.3")])
    );
    // Yarn 2 and later: YAML; only what resolves to npm counts.
    let berry = r#"__metadata:
  version: 6
  cacheKey: 8

"lodash@npm:^4.17.20":
  version: 4.17.20
  resolution: "lodash@npm:4.17.20"

"@scope/pkg@npm:1.0.0":
  version: 1.0.0
  resolution: "@scope/pkg@npm:1.0.0"

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."

"resolve@patch:resolve@npm%3A^1.22.0#~builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#~builtin<compat/resolve>::version=1.22.8&hash=c3c19d"
"#;
    assert_eq!(pinned("yarn.lock", berry), pairs(&[("@scope/pkg", "1.0.0"), ("lodash", "4.17.20")]));
    let err = lockfile::parse("yarn.lock", "@:\n  version \"1\"\n").unwrap_err();
    assert!(err.to_string().contains("yarn install"), "{err}");

    // go.sum: a module's code line counts; a go.mod-only line does not.
    let go = "golang.org/x/net v0.17.0 h1:pVaXccu2ozPjCXewfr1S7xza/zcXTity9cCdXQYSjIM=\n\
              golang.org/x/net v0.17.0/go.mod h1:NxSsAGuq816PNPmqtQdLE42eU2Fs7NoRIZrHJAlaCOE=\n\
              golang.org/x/text v0.3.0/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=\n\
              github.com/gin-gonic/gin v1.6.3+incompatible h1:abc=\n";
    assert_eq!(
        pinned("svc/go.sum", go),
        pairs(&[("github.com/gin-gonic/gin", "v1.6.3+incompatible"), ("golang.org/x/net", "v0.17.0")])
    );
    let err = lockfile::parse("go.sum", "golang.org/x/net\n").unwrap_err();
    assert!(err.to_string().contains("go mod tidy") && err.to_string().contains("line 1"), "{err}");

    // Go modules are matched as OSV's "Go" ecosystem, their v-prefixed versions as semver.
    let go_record =
        record("GO-2023-2102", "Go", "golang.org/x/net", &[("introduced", "0"), ("fixed", "0.17.0")], "high");
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("GO-2023-2102.json"), &go_record).unwrap();
    let db = AdvisoryDb::load(folder.path()).unwrap();
    assert_eq!(db.advisories, 1, "a Go record is read from a folder");
    assert_eq!(db.affecting(Ecosystem::Go, "golang.org/x/net", "v0.16.0").len(), 1);
    assert!(db.affecting(Ecosystem::Go, "golang.org/x/net", "v0.17.0").is_empty());
    assert!(db.affecting(Ecosystem::Go, "golang.org/x/Net", "v0.16.0").is_empty(), "module paths are exact");
}

#[test]
fn an_advisory_folder_that_is_missing_or_empty_says_where_to_get_one() {
    let empty = tempfile::tempdir().unwrap();
    let err = AdvisoryDb::load(empty.path()).unwrap_err();
    assert!(err.to_string().contains("git clone"), "{err}");
    let err = AdvisoryDb::load(&empty.path().join("nowhere")).unwrap_err();
    assert!(err.to_string().contains("not a folder"), "{err}");

    let mut db = db();
    let err = scan::advisory_folder(&db.store, None).unwrap_err();
    assert!(err.to_string().contains("relman advisories use"), "{err}");
    relman_core::settings::set_advisory_folder(&mut db.store, &stamp(), Some(empty.path())).unwrap();
    assert_eq!(scan::advisory_folder(&db.store, None).unwrap(), empty.path());
    let missing = empty.path().join("nowhere");
    assert!(relman_core::settings::set_advisory_folder(&mut db.store, &stamp(), Some(&missing)).is_err());
}

#[test]
fn an_advisory_clone_is_pulled_up_to_date_and_a_plain_folder_says_it_cannot_be() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let upstream = dir.path().join("upstream");
    std::fs::create_dir(&upstream).unwrap();
    let add = |id: &str, name: &str| {
        std::fs::write(upstream.join(format!("{id}.json")), record(id, "npm", name, &[("introduced", "0")], "high"))
            .unwrap();
        git(&["-C", "upstream", "add", "."]);
        git(&["-C", "upstream", "commit", "-qm", id]);
    };
    git(&["init", "-q", "upstream"]);
    add("GHSA-1", "left-pad");
    git(&["clone", "-q", "upstream", "clone"]);
    let clone = dir.path().join("clone");
    let before = relman_core::security::folder::AdvisoryFolder::read(&clone).unwrap();
    assert_eq!(before.advisories, 1);
    assert!(before.commit_time.is_some(), "a clone says how current it is");

    add("GHSA-2", "right-pad");
    let after = relman_core::security::folder::update(&clone).unwrap();
    assert_eq!(after.advisories, 2);

    let err = relman_core::security::folder::update(&upstream.join("..")).unwrap_err();
    assert!(err.to_string().contains("is not a git clone"), "{err}");
}

#[test]
fn the_sample_release_in_testing_brings_in_a_vulnerable_crate() {
    let mut db = db();
    relman_core::demo::load(&mut db.store, &stamp()).unwrap();
    let found = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let folder = AdvisoryDb::load(&scan::advisory_folder(&db.store, None).unwrap()).unwrap();
    let report = scan::prepare(&db.store, found.id).unwrap().run(&folder).unwrap();
    let found: Vec<_> = report.findings.iter().map(|f| (f.package.as_str(), f.severity, f.change)).collect();
    assert_eq!(
        found,
        [("orders-pdf", Severity::High, Change::Introduced), ("atty", Severity::Unknown, Change::Introduced)]
    );
    assert_eq!(report.findings[1].informational.as_deref(), Some("unmaintained"));

    // The dossier states the scan, what was accepted and why, and the secrets found (redacted).
    let id = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap().id;
    relman_core::security::record::save(&mut db.store, &stamp(), &report).unwrap();
    let finding = "SAMPLE-2026-0001:crates.io:orders-pdf@0.3.1";
    relman_core::security::record::accept(&mut db.store, &stamp(), id, finding, "Attachments are off").unwrap();
    let leaks = relman_core::security::leaks::prepare(&db.store, id).unwrap().run().unwrap();
    relman_core::security::leaks::record::save(&mut db.store, &stamp(), &leaks).unwrap();
    let html = relman_core::dossier::html(&relman_core::dossier::build(&db.store, &stamp(), id).unwrap()).unwrap();
    let section = &html[html.find("id=\"security\"").unwrap()..];
    assert!(section.contains("orders-pdf 0.3.1") && section.contains("Attachments are off"), "{section}");
    assert!(section.contains("stripe-access-token") && section.contains("sk_t…Wm4R"), "{section}");
    assert!(!html.contains("sk_test_51Hq8ZpLx0v3Tn7Qe2Kd9Wm4R"), "the whole key is not in the dossier");
}

#[test]
fn the_deploy_gate_blocks_a_vulnerable_release_until_it_is_scanned_clean_or_accepted() {
    use relman_core::lifecycle;
    use relman_core::release::ReleaseStatus;
    use relman_core::security::record;
    use relman_core::ErrorCode;

    let Setup { mut db, release, advisories, _repo } = setup();
    crate::common::ready_behind_security_gate(&mut db, release, Some(Severity::High), false);
    let deploy = |db: &mut crate::common::Db| {
        lifecycle::transition(&mut db.store, &stamp(), release, ReleaseStatus::Deploying, "")
    };

    let unscanned = deploy(&mut db).unwrap_err();
    assert_eq!(unscanned.code(), ErrorCode::GateBlocked);
    assert!(unscanned.to_string().contains("never scanned"), "{unscanned}");

    let folder = AdvisoryDb::load(advisories.path()).unwrap();
    let report = scan::prepare(&db.store, release).unwrap().run(&folder).unwrap();
    record::save(&mut db.store, &stamp(), &report).unwrap();
    let blocked = deploy(&mut db).unwrap_err();
    let text = blocked.to_string();
    assert!(text.contains("2 known-vulnerable dependencies at high or above, not accepted"), "{text}");
    assert!(
        text.contains("minimist 1.2.5 (GHSA-xvch, critical)") && text.contains("lodash 4.17.20 (GHSA-35jh, high)"),
        "{text}"
    );
    assert!(!text.contains("smallvec") && !text.contains("time 0.1.44"), "fixed and medium ones do not block: {text}");
    assert!(
        text.contains("1 lock file could not be read, so what it pins was not checked: tests/fixtures/broken/Cargo.lock; mend it and scan again, or accept it with a reason"),
        "what ships unread blocks too: {text}"
    );

    // Accepting needs a reason and a finding the scan made; each is audited.
    let before = db.audit_count();
    let err = record::accept(&mut db.store, &stamp(), release, "GHSA-xvch:npm:minimist@1.2.5", "  ").unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let err = record::accept(&mut db.store, &stamp(), release, "GHSA-nope:npm:minimist@1.2.5", "fine").unwrap_err();
    assert!(err.to_string().contains("GHSA-xvch:npm:minimist@1.2.5"), "the error lists the findings: {err}");
    let reason = "minimist only parses our own build scripts' flags";
    record::accept(&mut db.store, &stamp(), release, "GHSA-xvch:npm:minimist@1.2.5", reason).unwrap();
    let still = deploy(&mut db).unwrap_err().to_string();
    assert!(still.contains("1 known-vulnerable dependency at high or above") && still.contains("lodash"), "{still}");
    record::accept(&mut db.store, &stamp(), release, "GHSA-35jh:npm:lodash@4.17.20", "Only the server renders with it")
        .unwrap();
    let unread = deploy(&mut db).unwrap_err().to_string();
    assert!(!unread.contains("known-vulnerable") && unread.contains("tests/fixtures/broken/Cargo.lock"), "{unread}");
    let fixture = "A test fixture, broken on purpose; the service does not build from it";
    record::accept(&mut db.store, &stamp(), release, "unreadable:tests/fixtures/broken/Cargo.lock", fixture).unwrap();
    assert_eq!(db.audit_count(), before + 3, "three acceptances; the refused ones wrote nothing");
    deploy(&mut db).unwrap();
    let kept = record::latest(&db.store, release).unwrap().unwrap();
    assert_eq!(
        kept.accepted.iter().map(|a| a.reason.as_str()).collect::<Vec<_>>(),
        [reason, "Only the server renders with it", fixture]
    );
}

#[test]
fn what_a_scan_finds_unaccepted_is_suggested_as_a_security_risk_with_the_advisories_as_evidence() {
    use relman_core::risk::{suggested, Category, SuggestionKind};
    use relman_core::security::record;

    let Setup { mut db, release, advisories, _repo } = setup();
    let suggested_kinds = |db: &crate::common::Db| suggested::for_release(&db.store, release).unwrap().suggestions;
    assert!(
        !suggested_kinds(&db).iter().any(|s| s.kind == SuggestionKind::VulnerableDependencies),
        "nothing before a scan"
    );
    let folder = AdvisoryDb::load(advisories.path()).unwrap();
    let report = scan::prepare(&db.store, release).unwrap().run(&folder).unwrap();
    record::save(&mut db.store, &stamp(), &report).unwrap();

    let all = suggested_kinds(&db);
    let risk = all.iter().find(|s| s.kind == SuggestionKind::VulnerableDependencies).expect("suggested after the scan");
    assert_eq!((risk.category, risk.likelihood, risk.impact), (Category::Security, 3, 5), "a new critical one");
    assert_eq!(
        risk.paths,
        ["web/package-lock.json", "Cargo.lock"].map(String::from).into_iter().rev().collect::<Vec<_>>()
    );
    let d = &risk.description;
    assert!(d.contains("3 package versions with a published advisory, 1 of them new in this release"), "{d}");
    assert!(
        d.contains("minimist 1.2.5 (GHSA-xvch, critical; fixed in 1.2.6)")
            && d.contains("https://example.com/GHSA-xvch"),
        "{d}"
    );
    assert!(d.contains("time 0.1.44 (RUSTSEC-2020-0071, medium"), "a medium one is a risk too: {d}");
    assert!(!d.contains("smallvec"), "what the release fixes is no risk: {d}");

    // Once everything shipped is accepted with a reason, there is nothing left to suggest.
    for key in
        ["GHSA-xvch:npm:minimist@1.2.5", "GHSA-35jh:npm:lodash@4.17.20", "RUSTSEC-2020-0071:crates.io:time@0.1.44"]
    {
        record::accept(&mut db.store, &stamp(), release, key, "Reviewed: not reachable").unwrap();
    }
    assert!(!suggested_kinds(&db).iter().any(|s| s.kind == SuggestionKind::VulnerableDependencies));
}

#[test]
fn a_scan_of_an_older_commit_no_longer_clears_the_gate_until_the_release_is_scanned_again() {
    use relman_core::lifecycle::{self, gates};
    use relman_core::release::ReleaseStatus;
    use relman_core::security::record;

    let Setup { mut db, release, advisories, _repo } = setup();
    crate::common::ready_behind_security_gate(&mut db, release, Some(Severity::Critical), false);
    let folder = AdvisoryDb::load(advisories.path()).unwrap();
    let scan_now = |db: &mut crate::common::Db| {
        let report = scan::prepare(&db.store, release).unwrap().run(&folder).unwrap();
        record::save(&mut db.store, &stamp(), &report).unwrap();
    };
    scan_now(&mut db);
    record::accept(&mut db.store, &stamp(), release, "GHSA-xvch:npm:minimist@1.2.5", "Build scripts only").unwrap();
    record::accept(&mut db.store, &stamp(), release, "unreadable:tests/fixtures/broken/Cargo.lock", "A test fixture")
        .unwrap();
    let scanned = relman_core::security::view(&db.store, release).unwrap();
    assert_eq!(scanned.range_end.as_deref(), Some(scanned.dependencies.unwrap().report.to_sha.as_str()), "current");
    let criterion = |db: &crate::common::Db| {
        let judged = gates::evaluate_for(&db.store, release, ReleaseStatus::Deploying, chrono::Utc::now()).unwrap();
        judged[0].criteria.iter().find(|c| c.what.starts_with("No known-vulnerable")).unwrap().clone()
    };
    assert!(criterion(&db).passed, "{:?}", criterion(&db));

    // A commit lands on the range after the scan: what it brings in was never checked.
    let repo = _repo.path().join("repo");
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "late"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stale = relman_core::security::view(&db.store, release).unwrap();
    assert_ne!(stale.range_end.as_deref(), Some(stale.dependencies.unwrap().report.to_sha.as_str()));
    let failing = criterion(&db);
    assert!(!failing.passed);
    assert!(
        failing.failure.contains("the last scan is of") && failing.failure.ends_with("scan again"),
        "{}",
        failing.failure
    );
    let blocked = lifecycle::transition(&mut db.store, &stamp(), release, ReleaseStatus::Deploying, "").unwrap_err();
    assert!(blocked.to_string().contains("scan again"), "{blocked}");

    scan_now(&mut db);
    lifecycle::transition(&mut db.store, &stamp(), release, ReleaseStatus::Deploying, "").unwrap();
}

#[test]
fn a_go_module_is_named_by_its_path_and_its_highest_version_in_go_sum() {
    let go = "github.com/cli/cli/v2 v2.40.0 h1:a=\ngithub.com/cli/cli/v2 v2.60.0 h1:b=\ngithub.com/cli/cli/v2 v2.9.0 h1:c=\n";
    assert_eq!(pinned("go.sum", go), pairs(&[("github.com/cli/cli/v2", "v2.60.0")]), "what the build selects");
    // An advisory listing versions only (no range) matches with or without the v.
    let mut listed: serde_json::Value =
        serde_json::from_str(&record("GO-1", "Go", "github.com/cli/cli/v2", &[("introduced", "9.9.9")], "high"))
            .unwrap();
    listed["affected"][0]["versions"] = serde_json::json!(["2.60.0"]);
    let db = AdvisoryDb::from_records(&[&listed.to_string()]).unwrap();
    assert_eq!(db.affecting(Ecosystem::Go, "github.com/cli/cli/v2", "v2.60.0").len(), 1);
}

#[test]
fn a_gate_that_compares_a_scan_fails_when_the_release_range_cannot_be_read() {
    use relman_core::lifecycle::gates::{judge, GateFacts, GateRule};
    use relman_core::release::ReleaseStatus;
    use relman_core::security::record::ScanFacts;
    let rule = GateRule {
        uid: String::new(),
        name: "Clear to deploy".into(),
        phases: vec![],
        roles: vec![],
        risks_mitigated: false,
        change_approved: false,
        vulnerable_at: Some(Severity::High),
        secrets_clear: true,
        tag_signed: false,
    };
    let scanned = ScanFacts { from_sha: Some("f".repeat(40)), to_sha: "a".repeat(40), ..Default::default() };
    let facts = |end: Option<Result<String, String>>, start: Result<Option<String>, String>| GateFacts {
        vulnerable: Some(scanned.clone()),
        leaks: Some(ScanFacts {
            from_sha: scanned.from_sha.clone(),
            to_sha: scanned.to_sha.clone(),
            ..Default::default()
        }),
        range_end: end,
        range_start: Some(start),
        ..Default::default()
    };
    let failures = |end, start| {
        judge(ReleaseStatus::Deploying, std::slice::from_ref(&rule), &facts(end, start))[0].failures.clone()
    };
    let from = Ok(Some("f".repeat(40)));
    assert!(failures(Some(Ok("a".repeat(40))), from.clone()).is_empty(), "scans of the range as it is");
    let moved = failures(Some(Ok("b".repeat(40))), from.clone());
    assert_eq!(moved.len(), 2, "both scans are out of date: {moved:?}");
    let unreadable = failures(Some(Err("Atlas has no git repository linked".into())), from);
    assert!(unreadable.iter().all(|f| f.contains("cannot tell that the last scan is of what ships")), "{unreadable:?}");

    // An earlier start brings commits the secrets scan never read; what ships is the same, so the
    // dependency scan still counts.
    let earlier = failures(Some(Ok("a".repeat(40))), Ok(Some("e".repeat(40))));
    assert_eq!(
        earlier,
        ["the last secrets scan read the commits after fffffff, but the release's range now starts after eeeeeee: scan again"]
    );
    let everything = failures(Some(Ok("a".repeat(40))), Ok(None));
    assert!(everything[0].ends_with("now starts after the first commit: scan again"), "{everything:?}");
    let unknown = failures(Some(Ok("a".repeat(40))), Err("v2.4.0 names nothing".into()));
    assert_eq!(unknown, ["cannot tell that the last secrets scan read the whole range (v2.4.0 names nothing)"]);
}

#[test]
fn python_lock_files_give_their_pypi_packages() {
    let poetry = r#"
[[package]]
name = "Django"
version = "4.2.9"
description = "A high-level Python web framework"
optional = false
python-versions = ">=3.8"
files = [{file = "Django-4.2.9-py3-none-any.whl", hash = "sha256:00"}]

[package.dependencies]
sqlparse = ">=0.3.1"

[[package]]
name = "internal-tools"
version = "0.3.0"
description = "From the team's git"
optional = false
python-versions = "*"
files = []

[package.source]
type = "git"
url = "https://git.example.com/internal-tools.git"
reference = "HEAD"
resolved_reference = "abc"

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "00"
"#;
    assert_eq!(pinned("poetry.lock", poetry), pairs(&[("Django", "4.2.9")]), "the git package is left out");
    let uv = r#"
version = 1
requires-python = ">=3.11"

[[package]]
name = "atlas-api"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "requests"
version = "2.31.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "vendored"
version = "1.0.0"
source = { git = "https://git.example.com/vendored.git?rev=abc#abc" }

[[package]]
name = "mirror-only"
version = "2.0.0"
source = { registry = "https://pypi.internal.example.com/simple" }
"#;
    assert_eq!(pinned("api/uv.lock", uv), pairs(&[("requests", "2.31.0")]), "PyPI's registry only");
    let requirements = "# pip-compile's output\n\
        --index-url https://pypi.org/simple\n\
        -r base.txt\n\
        django==4.2.9 \\\n    --hash=sha256:00 \\\n    --hash=sha256:11\n\
        celery[redis]===5.3.6 ; python_version >= \"3.8\"  # via -r requirements.in\n\
        numpy>=1.26\n\
        pyyaml==6.*\n\
        attrs==23.2.0,<24\n\
        mylib @ https://example.com/mylib-1.0.tar.gz\n\
        ./vendor/localpkg\n\
        -e git+https://git.example.com/tool.git#egg=tool\n\
        \n\
        Jinja2==3.1.2\n";
    assert_eq!(
        pinned("requirements-dev.txt", requirements),
        pairs(&[("Jinja2", "3.1.2"), ("celery", "5.3.6"), ("django", "4.2.9")]),
        "exact pins only: ranges, wildcards, URLs, paths and options pin no version"
    );
    assert_eq!(lockfile::ecosystem_of("requirements/prod.txt"), Some(Ecosystem::PyPi), "a requirements/ folder");
    assert_eq!(lockfile::ecosystem_of("docs/notes.txt"), None);
    assert_eq!(lockfile::ecosystem_of("requirements.in"), None, "pip-compile's input pins nothing");

    let bad = lockfile::parse("requirements.txt", "requests==2.31.0\n==1.0\n").unwrap_err().to_string();
    assert!(bad.contains("requirements.txt line 2 is not a requirement") && bad.contains("name==version"), "{bad}");
    let version = lockfile::parse("requirements.txt", "requests==two\n").unwrap_err().to_string();
    assert!(version.contains("two is not a PEP 440 version"), "{version}");
    let damaged = lockfile::parse("poetry.lock", "[[package]\nname =").unwrap_err().to_string();
    assert!(
        damaged.contains("poetry.lock is not a readable poetry.lock") && damaged.contains("poetry lock"),
        "{damaged}"
    );
}

#[test]
fn pypi_versions_order_by_pep_440_and_names_fold_as_pypi_folds_them() {
    let django = record("GHSA-django", "PyPI", "Django", &[("introduced", "4.2"), ("fixed", "4.2.10")], "HIGH");
    let yaml =
        record("PYSEC-yaml", "PyPI", "PyYAML", &[("introduced", "0"), ("last_affected", "5.3.post1")], "CRITICAL");
    let zope = record("PYSEC-zope", "PyPI", "zope.interface", &[("introduced", "0"), ("fixed", "5.1")], "LOW");
    let db = AdvisoryDb::from_records(&[&django, &yaml, &zope]).unwrap();
    let hit = |name: &str, version: &str| !db.affecting(Ecosystem::PyPi, name, version).is_empty();
    assert!(hit("Django", "4.2.9"));
    assert!(hit("django", "4.2"), "4.2 is 4.2.0 in PEP 440, where semver cannot read it");
    assert!(hit("django", "4.2.10rc1"), "a release candidate comes before its release");
    assert!(!hit("django", "4.2.10"));
    assert!(!hit("django", "4.1.13"));
    assert!(hit("pyyaml", "5.3.post1") && hit("PyYaml", "5.3"), "PEP 503 folds case");
    assert!(hit("Zope_Interface", "5.0") && hit("zope-interface", "5.0"), "and -, _ and . alike");
    assert!(!hit("pyyaml", "5.4"), "after the last affected version");
    assert!(db.affecting(Ecosystem::Npm, "django", "4.2.9").is_empty(), "another ecosystem's django");
    let found = db.affecting(Ecosystem::PyPi, "django", "4.2.9");
    assert_eq!(found[0].fixed_in(Ecosystem::PyPi, "django"), ["4.2.10"]);
}

#[test]
fn a_python_and_ruby_release_is_checked_against_pypi_and_rubygems_advisories() {
    let advisories = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| std::fs::write(advisories.path().join(name), text).unwrap();
    write(
        "django.json",
        record("GHSA-django", "PyPI", "django", &[("introduced", "4.2"), ("fixed", "4.2.10")], "HIGH"),
    );
    write(
        "pyyaml.json",
        record("PYSEC-2020-96", "PyPI", "PyYAML", &[("introduced", "0"), ("last_affected", "5.3.post1")], "CRITICAL"),
    );
    write("jinja.json", record("GHSA-jinja", "PyPI", "Jinja2", &[("introduced", "0"), ("fixed", "2.11.3")], "MEDIUM"));
    write(
        "nokogiri.json",
        record("GHSA-noko", "RubyGems", "nokogiri", &[("introduced", "0"), ("fixed", "1.16.2")], "HIGH"),
    );
    write(
        "rack.json",
        record("GHSA-rack", "RubyGems", "rack", &[("introduced", "3.0.0"), ("fixed", "3.0.9.1")], "MEDIUM"),
    );
    let folder = AdvisoryDb::load(advisories.path()).unwrap();
    let mut db = db();
    let (release, _repo) = crate::common::release_on_fixture(&mut db, "polyglot");

    let report = scan::prepare(&db.store, release).unwrap().run(&folder).unwrap();
    assert_eq!(report.lock_files, ["docs/Gemfile.lock", "poetry.lock", "tools/requirements.txt"]);
    assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.package.as_str(), f.version.as_str(), f.advisory.as_str(), f.change, f.lock_file.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("pyyaml", "5.3", "PYSEC-2020-96", Change::Introduced, "tools/requirements.txt"),
            ("nokogiri", "1.15.5", "GHSA-noko", Change::Introduced, "docs/Gemfile.lock"),
            ("Django", "4.2.9", "GHSA-django", Change::Fixed, "poetry.lock"),
        ],
        "Jinja2 3.1.2 and rack 3.0.9.1 are at or past their fixes; requests has no advisory; numpy pins no version"
    );
    assert_eq!(report.findings[2].fixed_in, ["4.2.10"]);
    assert_eq!(report.findings[1].fixed_in, ["1.16.2"], "the native build's version, without its platform");
}

#[test]
fn a_gemfile_lock_gives_the_rubygems_pins_and_gem_versions_order_as_rubygems_does() {
    let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    actionpack (7.1.3)\n      rack (>= 2.2.4)\n    \
        nokogiri (1.16.0-arm64-darwin)\n    nokogiri (1.16.0-x86_64-linux)\n    rack (3.0.9)\n\n\
        GEM\n  remote: https://gems.internal.example.com/\n  specs:\n    secret-sauce (2.0.0)\n\n\
        PLATFORMS\n  arm64-darwin\n  x86_64-linux\n\nDEPENDENCIES\n  actionpack\n\nBUNDLED WITH\n   2.5.3\n";
    assert_eq!(
        pinned("Gemfile.lock", lock),
        pairs(&[("actionpack", "7.1.3"), ("nokogiri", "1.16.0"), ("rack", "3.0.9")]),
        "one nokogiri for both platforms; the private server's gem left out; dependencies are not pins"
    );
    let broken = lockfile::parse("Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 3.0.9\n");
    let broken = broken.unwrap_err().to_string();
    assert!(
        broken.contains("Gemfile.lock line 4 is not Bundler's lock format") && broken.contains("bundle lock"),
        "{broken}"
    );

    let rails =
        record("GHSA-rails", "RubyGems", "actionpack", &[("introduced", "7.1.0"), ("fixed", "7.1.3.1")], "HIGH");
    let db = AdvisoryDb::from_records(&[&rails]).unwrap();
    let hit = |version: &str| !db.affecting(Ecosystem::RubyGems, "actionpack", version).is_empty();
    assert!(hit("7.1.3") && hit("7.1") && hit("7.1.3.1.rc1"), "7.1 is 7.1.0; a prerelease comes before its release");
    assert!(!hit("7.1.3.1") && !hit("7.2.0") && !hit("7.0.8"));
    assert!(db.affecting(Ecosystem::RubyGems, "ActionPack", "7.1.3").is_empty(), "gem names are exact");
}
