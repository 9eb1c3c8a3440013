//! The SBOM of a release: the registry packages its lock files pin at `to`, as CycloneDX 1.5 JSON,
//! checked against CycloneDX's published JSON schema (vendored in `tests/fixtures/cyclonedx/`) as
//! well as the writer's own validation; and the SBOM in the dossier, whose digest `verify` checks.

use std::path::Path;

use chrono::{TimeZone, Utc};
use relman_core::release::{self, ReleasePatch};
use relman_core::security::sbom::{self, EcosystemCount};
use relman_core::security::Ecosystem;
use relman_core::{demo, dossier, ErrorCode, Stamp};
use serde_json::Value;

use crate::common::{db, stamp};
use crate::security::{setup, Setup};

/// CycloneDX 1.5's schema with the two it refers to, served from the vendored copies: nothing is
/// fetched.
fn schema() -> jsonschema::Validator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cyclonedx");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("the vendored schema")).unwrap()
    };
    let registry = jsonschema::Registry::new()
        .add("http://cyclonedx.org/schema/spdx.schema.json", read("spdx.schema.json"))
        .unwrap()
        .add("http://cyclonedx.org/schema/jsf-0.82.schema.json", read("jsf-0.82.schema.json"))
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&read("bom-1.5.schema.json"))
        .expect("the CycloneDX 1.5 schema compiles")
}

/// Each place the document breaks the schema, with why; empty when it holds.
fn schema_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator.iter_errors(document).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn purls(document: &Value) -> Vec<&str> {
    document["components"].as_array().unwrap().iter().map(|c| c["purl"].as_str().unwrap()).collect()
}

#[test]
fn the_sbom_of_the_fixture_lists_the_registry_packages_at_to_and_follows_the_schema() {
    let Setup { mut db, release, _repo, .. } = setup();

    // 1.1.0 has no `to`, no branch and no v1.1.0 tag yet: there is no commit to list.
    let err = sbom::export(&db.store, &stamp(), release).unwrap_err();
    assert_eq!(err.field(), Some("to"));
    assert!(err.to_string().contains("relman release edit 1.1.0 --product \"Atlas\" --to REF"), "{err}");
    let patch = ReleasePatch { to_ref: Some("nope".into()), ..Default::default() };
    release::patch(&mut db.store, &stamp(), release, patch).unwrap();
    let err = sbom::export(&db.store, &stamp(), release).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownRef);
    assert!(err.to_string().starts_with("Atlas 1.1.0 ships \"nope\", which does not name a commit"), "{err}");
    let patch = ReleasePatch { to_ref: Some("main".into()), ..Default::default() };
    release::patch(&mut db.store, &stamp(), release, patch).unwrap();

    let found = sbom::prepare(&db.store, &stamp(), release).unwrap().run().unwrap();
    let summary = &found.summary;
    assert_eq!(
        summary.ecosystems,
        [
            EcosystemCount { ecosystem: Ecosystem::CratesIo, components: 2 },
            EcosystemCount { ecosystem: Ecosystem::Npm, components: 4 }
        ],
        "smallvec and time (not the path or git crates); lodash, left-pad, @scope/util, minimist once"
    );
    assert_eq!(summary.components, 6);
    assert_eq!(
        summary.lock_files,
        ["Cargo.lock", "tests/fixtures/broken/Cargo.lock", "web/package-lock.json"],
        "not the one under node_modules/"
    );
    assert!(
        summary.unreadable.len() == 1 && summary.unreadable[0].contains("tests/fixtures/broken/Cargo.lock"),
        "the broken one is named as not listed: {:?}",
        summary.unreadable
    );

    let file = sbom::export(&db.store, &stamp(), release).unwrap();
    assert_eq!((file.file_name.as_str(), file.extension.as_str()), ("atlas-1.1.0.cdx.json", "cdx.json"));
    let document: Value = serde_json::from_str(&file.text).unwrap();
    assert_eq!((&document["bomFormat"], &document["specVersion"]), (&"CycloneDX".into(), &"1.5".into()));
    assert_eq!(
        purls(&document),
        [
            "pkg:cargo/smallvec@0.6.14",
            "pkg:cargo/time@0.1.44",
            "pkg:npm/%40scope/util@2.0.0",
            "pkg:npm/left-pad@1.3.0",
            "pkg:npm/lodash@4.17.20",
            "pkg:npm/minimist@1.2.5",
        ],
        "sorted by package URL; the version at main, not v1.0.0's smallvec 0.6.9; no `evil` from node_modules/"
    );
    let scoped = &document["components"][2];
    assert_eq!(
        (&scoped["type"], &scoped["group"], &scoped["name"], &scoped["version"], &scoped["bom-ref"]),
        (&"library".into(), &"@scope".into(), &"util".into(), &"2.0.0".into(), &scoped["purl"]),
        "a scoped npm package: its scope as the group, its purl as its bom-ref"
    );
    assert_eq!(
        scoped["properties"],
        serde_json::json!([{ "name": "relman:lockfile", "value": "web/package-lock.json" }])
    );

    let metadata = &document["metadata"];
    assert_eq!(metadata["timestamp"], "2026-11-26T09:30:00Z", "the stamp's time");
    let product = &metadata["component"];
    assert_eq!(
        (&product["type"], &product["name"], &product["version"]),
        (&"application".into(), &"Atlas".into(), &"1.1.0".into())
    );
    let tool = &metadata["tools"]["components"][0];
    assert_eq!((&tool["name"], &tool["version"]), (&"Relman".into(), &env!("CARGO_PKG_VERSION").into()));
    assert_eq!(document["serialNumber"], summary.serial_number.as_str());
    let properties: Vec<(&str, &str)> = document["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
        .collect();
    assert_eq!(properties[..2], [("relman:ref", "main"), ("relman:commit", summary.to_sha.as_str())]);
    assert_eq!(properties.iter().filter(|(name, _)| *name == "relman:lockfile").count(), 3);

    let validator = schema();
    assert_eq!(schema_errors(&validator, &document), Vec::<String>::new(), "CycloneDX 1.5's JSON schema holds");
    let mut broken = document.clone();
    broken["components"][0]["type"] = "crate".into();
    broken["serialNumber"] = "urn:uuid:not-a-uuid".into();
    assert_eq!(
        schema_errors(&validator, &broken).len(),
        2,
        "the schema check can fail: {:?}",
        schema_errors(&validator, &broken)
    );

    // The same release, commit and moment give the same bytes; a later moment only a later timestamp.
    assert_eq!(sbom::export(&db.store, &stamp(), release).unwrap().text, file.text, "exported twice, identical");
    let later = Stamp::new("priya", Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap());
    let again: Value = serde_json::from_str(&sbom::export(&db.store, &later, release).unwrap().text).unwrap();
    assert_eq!(again["serialNumber"], document["serialNumber"], "the serial number names the release at its commit");
    assert_eq!(again["metadata"]["timestamp"], "2026-11-27T08:00:00Z");
}

#[test]
fn the_sample_release_in_testing_has_an_sbom_and_the_hotfix_has_no_lock_file() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let testing = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let file = sbom::export(&db.store, &stamp(), testing.id).unwrap();
    assert_eq!(file.file_name, "atlas-web-2.5.0.cdx.json");
    let document: Value = serde_json::from_str(&file.text).unwrap();
    assert_eq!(
        purls(&document),
        ["pkg:cargo/atty@0.2.14", "pkg:cargo/orders-pdf@0.3.1", "pkg:cargo/serde@1.0.228", "pkg:cargo/tokio@1.48.0"],
        "the crates of the tokio bump's Cargo.lock; atlas-web itself is the product, not a registry package"
    );
    assert_eq!(schema_errors(&schema(), &document), Vec::<String>::new());

    let hotfix = release::find_by_version(&db.store, "Atlas Web", "2.4.1").unwrap();
    let err = sbom::export(&db.store, &stamp(), hotfix.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(
        err.to_string().contains("No lock file found at") && err.to_string().contains("(v2.4.1); no SBOM"),
        "{err}"
    );
}

#[test]
fn the_dossier_holds_the_sbom_and_verify_recomputes_its_digest() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let testing = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let d = dossier::build(&db.store, &stamp(), testing.id).unwrap();
    let held = d.sbom.document.as_deref().expect("2.5.0 has a lock file at its branch");
    assert_eq!(held, sbom::export(&db.store, &stamp(), testing.id).unwrap().text, "the file `relman sbom` writes");
    assert_eq!(d.sbom.sha256.as_deref(), Some(sbom::sha256_hex(held).as_str()));
    assert_eq!(d.sbom.sha256.as_ref().map(String::len), Some(64));
    assert_eq!(d.sbom.summary.as_ref().map(|s| s.components), Some(4));
    assert_eq!(
        d.sbom.summary.as_ref().map(|s| s.to_sha.as_str()),
        d.scope.range.as_ref().map(|r| r.to_sha.as_str()),
        "the SBOM is of the commit the scope ends at"
    );

    let text = dossier::export_json(&db.store, &stamp(), testing.id).unwrap().text;
    let report = dossier::verify(&text).unwrap();
    assert!(report.holds(), "{report:?}");

    // A package slipped into the SBOM: its digest no longer holds, nor does its count.
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let mut bom: Value = serde_json::from_str(doc["sbom"]["document"].as_str().unwrap()).unwrap();
    bom["components"].as_array_mut().unwrap().pop();
    doc["sbom"]["document"] = serde_json::to_string_pretty(&bom).unwrap().into();
    let report = dossier::verify(&doc.to_string()).unwrap();
    assert_eq!(report.mismatches.len(), 2, "{:?}", report.mismatches);
    assert!(report.mismatches[0].starts_with("The SBOM's SHA-256 is stated as"), "{:?}", report.mismatches);
    assert!(report.mismatches[1].contains("(3 components"), "{:?}", report.mismatches);

    // A version changed in the document, which no count shows: the digest catches it.
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["sbom"]["document"] = doc["sbom"]["document"].as_str().unwrap().replace("1.48.0", "1.49.0").into();
    let report = dossier::verify(&doc.to_string()).unwrap();
    assert_eq!(report.mismatches.len(), 1, "{:?}", report.mismatches);

    let html = dossier::html(&d).unwrap();
    assert!(html.contains("id=\"sbom\"") && html.contains(d.sbom.sha256.as_deref().unwrap()), "the digest in the HTML");
    assert!(html.contains("4 crates.io"), "the count per ecosystem");
}

#[test]
fn a_dossier_without_a_lock_file_says_so_and_still_verifies() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let kestrel = release::find_by_version(&db.store, "Atlas Web", "2.4.0").unwrap();
    let d = dossier::build(&db.store, &stamp(), kestrel.id).unwrap();
    let why = d.sbom.unavailable.as_deref().unwrap_or_default();
    assert!(why.starts_with("No lock file found at ") && why.contains("(v2.4.0); no SBOM"), "{why}");
    assert!(d.sbom.document.is_none() && d.sbom.sha256.is_none());
    assert!(dossier::html(&d).unwrap().contains(">No lock file found at "));
    let text = dossier::export_json(&db.store, &stamp(), kestrel.id).unwrap().text;
    assert!(dossier::verify(&text).unwrap().holds());

    // A digest stated with the document taken out does not verify.
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["sbom"]["sha256"] = sbom::sha256_hex("anything").into();
    let report = dossier::verify(&doc.to_string()).unwrap();
    assert!(report.mismatches.iter().any(|m| m.contains("holds no SBOM document")), "{:?}", report.mismatches);
}
