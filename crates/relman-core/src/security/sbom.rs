//! A release's software bill of materials: the registry packages its lock files pin at the commit it
//! ships, as a CycloneDX 1.5 JSON document, written and checked by CycloneDX's own crate.
//!
//! - [`prepare`] reads the release and its repository from the database; [`SbomJob::run`] reads the
//!   lock files at the `to` commit from git objects (no checkout, no database, off the UI's thread);
//!   [`Sbom::to_json`] writes the file after the crate's validation passes; [`export`] does all three.
//! - The same release, commit and time give the same bytes: components sorted by package URL, the
//!   serial number derived from the release's uid and the commit, the timestamp the caller's stamp.
//! - Each component is one package URL (its `bom-ref`), with a `relman:lockfile` property for every
//!   lock file that pins it; the document's own properties name the commit and every lock file read.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use cyclonedx_bom::external_models::date_time::DateTime as BomTime;
use cyclonedx_bom::external_models::normalized_string::NormalizedString;
use cyclonedx_bom::external_models::uri::Purl;
use cyclonedx_bom::models::bom::{Bom, SpecVersion, UrnUuid};
use cyclonedx_bom::models::component::{Classification, Component, Components};
use cyclonedx_bom::models::metadata::Metadata;
use cyclonedx_bom::models::property::{Properties, Property};
use cyclonedx_bom::models::tool::Tools;
use cyclonedx_bom::validation::{Validate, ValidationErrorsKind, ValidationResult};
use git2::Oid;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{scan, Dependency, Ecosystem};
use crate::export::ExportFile;
use crate::git::Repo;
use crate::notes::{release_range, ReleaseRange};
use crate::store::Store;
use crate::{Error, GitProblem, Result, Stamp};

/// What the file is, for a save dialog.
pub const KIND: &str = "CycloneDX SBOM";
/// The file's extension: CycloneDX's recommended one for JSON.
pub const EXTENSION: &str = "cdx.json";

/// A release's SBOM, prepared from the database so that it can be read from git without it.
pub struct SbomJob {
    range: ReleaseRange,
    at: DateTime<Utc>,
}

/// Gathers what the SBOM needs: the release, its repository and range, and `stamp`'s time as the
/// document's timestamp.
pub fn prepare(store: &Store, stamp: &Stamp, release_id: i64) -> Result<SbomJob> {
    Ok(SbomJob { range: release_range(store, release_id, Default::default())?, at: stamp.at })
}

/// The SBOM of a release, ready to write.
#[derive(Debug, Clone)]
pub struct Sbom {
    pub summary: SbomSummary,
    bom: Bom,
}

/// What the SBOM lists, for the dossier and the release view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SbomSummary {
    pub release_id: i64,
    pub product: String,
    pub version: String,
    /// The ref the release ships, and its commit: where the lock files were read.
    pub to: String,
    pub to_sha: String,
    /// The document's serial number (`urn:uuid:…`) and timestamp.
    pub serial_number: String,
    pub timestamp: String,
    pub lock_files: Vec<String>,
    /// Lock files at `to` that could not be read, each with why: their packages are not listed.
    pub unreadable: Vec<String>,
    /// Components by ecosystem, in [`Ecosystem`] order; only ecosystems with some.
    pub ecosystems: Vec<EcosystemCount>,
    pub components: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EcosystemCount {
    pub ecosystem: Ecosystem,
    pub components: usize,
}

impl SbomJob {
    /// Reads the lock files at the commit the release ships and lists their registry packages. A
    /// release with no `to` ref, branch or tag, or with no lock file there, has no SBOM: the error
    /// says so and what to do.
    pub fn run(&self) -> Result<Sbom> {
        let r = &self.range.release;
        let repo = Repo::open(std::path::Path::new(&self.range.repository))?;
        let to = self.range.shipped_to(&repo).ok_or_else(|| {
            Error::invalid_field(
                "to",
                format!(
                    "{} {} has no `to` ref, release branch or release tag {} in {}, so there is no commit to list the dependencies of; set one with `relman release edit {} --product \"{}\" --to REF` or tag the release.",
                    r.product_name,
                    r.version,
                    self.range.pattern.tag_name(&r.version),
                    self.range.repository,
                    r.version,
                    r.product_name
                ),
            )
        })?;
        let commit = repo.resolve(&to).map_err(|_| {
            Error::git(
                GitProblem::UnknownRef,
                format!(
                    "{} {} ships \"{to}\", which does not name a commit in {}; fetch it, or set another with `relman release edit {} --product \"{}\" --to REF`.",
                    r.product_name, r.version, self.range.repository, r.version, r.product_name
                ),
            )
        })?;
        let (lock_files, dependencies, unreadable) = scan::dependencies_at(&repo, commit)?;
        if lock_files.is_empty() {
            return Err(Error::NotFound(format!(
                "No lock file found at {} ({to}); no SBOM. Relman lists the packages of the lock files committed there (Cargo.lock, package-lock.json, pnpm-lock.yaml, yarn.lock, go.sum, poetry.lock, uv.lock, requirements*.txt, Gemfile.lock).",
                repo.short_id(commit)
            )));
        }
        let unreadable = unreadable.into_iter().map(|(_, why)| why).collect();
        let parts = Parts { range: &self.range, to, commit, at: self.at, lock_files, unreadable };
        parts.sbom(&dependencies)
    }
}

/// What the document is made of besides its components.
struct Parts<'a> {
    range: &'a ReleaseRange,
    to: String,
    commit: Oid,
    at: DateTime<Utc>,
    lock_files: Vec<String>,
    unreadable: Vec<String>,
}

impl Parts<'_> {
    fn sbom(self, dependencies: &[Dependency]) -> Result<Sbom> {
        let r = &self.range.release;
        // One component per package URL; the same version pinned by two lock files is one package.
        let mut by_purl: BTreeMap<String, (&Dependency, BTreeSet<&str>)> = BTreeMap::new();
        for d in dependencies {
            by_purl.entry(purl(d)?).or_insert((d, BTreeSet::new())).1.insert(&d.lock_file);
        }
        let mut counts: BTreeMap<Ecosystem, usize> = BTreeMap::new();
        let components: Vec<Component> = by_purl
            .into_iter()
            .map(|(purl, (d, lock_files))| {
                *counts.entry(d.ecosystem).or_default() += 1;
                component(d, purl, &lock_files)
            })
            .collect();
        let serial = serial_number(&r.uid, &self.commit.to_string());
        let timestamp = crate::stamp::format_timestamp(self.at);
        let mut product = Component::new(Classification::Application, &r.product_name, &r.version, Some(r.uid.clone()));
        product.properties = Some(Properties(vec![Property::new("relman:release", &r.uid)]));
        let tool = Component::new(Classification::Application, "Relman", env!("CARGO_PKG_VERSION"), None);
        let mut properties =
            vec![Property::new("relman:ref", &self.to), Property::new("relman:commit", &self.commit.to_string())];
        properties.extend(self.lock_files.iter().map(|path| Property::new("relman:lockfile", path)));
        properties.extend(self.unreadable.iter().map(|why| Property::new("relman:unreadable", why)));
        let bom = Bom {
            serial_number: Some(UrnUuid::from(serial)),
            metadata: Some(Metadata {
                timestamp: Some(BomTime::try_from(timestamp.clone()).map_err(|e| {
                    Error::invalid(format!("The SBOM's timestamp {timestamp} is not ISO 8601 ({e:?})."))
                })?),
                tools: Some(Tools::Object { services: None, components: Some(Components(vec![tool])) }),
                component: Some(product),
                ..Default::default()
            }),
            components: Some(Components(components)),
            properties: Some(Properties(properties)),
            spec_version: SpecVersion::V1_5,
            ..Default::default()
        };
        let summary = SbomSummary {
            release_id: r.id,
            product: r.product_name.clone(),
            version: r.version.clone(),
            to: self.to,
            to_sha: self.commit.to_string(),
            serial_number: format!("urn:uuid:{serial}"),
            timestamp,
            lock_files: self.lock_files,
            unreadable: self.unreadable,
            components: counts.values().sum(),
            ecosystems: counts
                .into_iter()
                .map(|(ecosystem, components)| EcosystemCount { ecosystem, components })
                .collect(),
        };
        Ok(Sbom { summary, bom })
    }
}

/// A library component named by its package URL, with the lock files that pin it. A scoped npm
/// package's scope is its group, as CycloneDX's npm tooling writes it.
fn component(d: &Dependency, purl: String, lock_files: &BTreeSet<&str>) -> Component {
    let (group, name) = match (d.ecosystem, d.name.split_once('/')) {
        (Ecosystem::Npm, Some((scope, name))) if scope.starts_with('@') => (Some(scope), name),
        _ => (None, d.name.as_str()),
    };
    let mut c = Component::new(Classification::Library, name, &d.version, Some(purl.clone()));
    c.group = group.map(NormalizedString::new);
    c.purl = Purl::from_str(&purl).ok();
    c.properties = Some(Properties(lock_files.iter().map(|path| Property::new("relman:lockfile", path)).collect()));
    c
}

/// The package URL of a dependency (`pkg:cargo/serde@1.0.228`, `pkg:npm/%40scope/util@2.0.0`),
/// spelled by the purl crate so names and versions are encoded as the specification says.
fn purl(d: &Dependency) -> Result<String> {
    // purl's pypi type wants the name as PEP 503 normalises it (`Django_Filter` is `django-filter`).
    let pypi = (d.ecosystem == Ecosystem::PyPi).then(|| super::osv::pypi_name(&d.name));
    let (namespace, name) = match (d.ecosystem, d.name.split_once('/')) {
        (Ecosystem::PyPi, _) => (None, pypi.as_deref().unwrap_or(&d.name)),
        (Ecosystem::Npm, Some((scope, name))) if scope.starts_with('@') => (Some(scope), name),
        // A Go module path is its namespace and its last element: pkg:golang/github.com/cli/cli/v2@v2.60.0.
        (Ecosystem::Go, Some(_)) => d.name.rsplit_once('/').map_or((None, d.name.as_str()), |(ns, n)| (Some(ns), n)),
        _ => (None, d.name.as_str()),
    };
    let mut builder = purl::GenericPurlBuilder::new(d.ecosystem.purl_type().to_string(), name).with_version(&d.version);
    if let Some(namespace) = namespace {
        builder = builder.with_namespace(namespace);
    }
    builder.build().map(|p| p.to_string()).map_err(|e| {
        Error::invalid(format!(
            "{} {} in {} cannot be named as a package URL ({e}); check that entry of the lock file.",
            d.name, d.version, d.lock_file
        ))
    })
}

/// A UUID (version 8, RFC 9562's custom kind) from the SHA-256 of the release's uid and the commit:
/// the same release at the same commit keeps its serial number, any other gets another.
fn serial_number(release_uid: &str, commit: &str) -> uuid::Uuid {
    let digest = Sha256::digest(format!("relman-sbom\0{release_uid}\0{commit}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

impl Sbom {
    /// The document as CycloneDX 1.5 JSON (pretty, ending in a newline), once CycloneDX's own
    /// validation passes; an error lists each field at fault.
    pub fn to_json(&self) -> Result<String> {
        let checked = self.bom.validate_version(SpecVersion::V1_5);
        if checked.has_errors() {
            let mut found = Vec::new();
            faults("", checked, &mut found);
            return Err(Error::invalid(format!(
                "The SBOM of {} {} does not follow CycloneDX 1.5: {}. Check the lock files it names; if they are sound, report this as a bug in Relman.",
                self.summary.product,
                self.summary.version,
                found.join("; ")
            )));
        }
        let mut out = Vec::new();
        self.bom
            .clone()
            .output_as_json(&mut out, SpecVersion::V1_5)
            .map_err(|e| Error::Io(format!("The SBOM could not be written as JSON: {e}.")))?;
        let mut text =
            String::from_utf8(out).map_err(|e| Error::Io(format!("The SBOM's JSON is not UTF-8 text: {e}.")))?;
        text.push('\n');
        Ok(text)
    }

    /// The file's suggested name: `<product>-<version>.cdx.json`.
    pub fn file_name(&self) -> String {
        ExportFile::new(&format!("{} {}", self.summary.product, self.summary.version), EXTENSION, KIND, String::new())
            .file_name
    }
}

/// Flattens the validator's tree into "components[3].purl: why" lines.
fn faults(path: &str, result: ValidationResult, found: &mut Vec<String>) {
    for (name, kind) in result.errors() {
        let here = match (path.is_empty(), name.is_empty(), name == "inner") {
            (_, true, _) | (false, _, true) => path.to_string(),
            (true, false, _) => name.clone(),
            (false, false, false) => format!("{path}.{name}"),
        };
        match kind {
            ValidationErrorsKind::Struct(nested) => faults(&here, nested, found),
            ValidationErrorsKind::List(items) => {
                for (index, nested) in items {
                    faults(&format!("{here}[{index}]"), nested, found);
                }
            }
            ValidationErrorsKind::Field(errors) | ValidationErrorsKind::Custom(errors) => {
                found.extend(errors.into_iter().map(|e| format!("{here}: {}", e.message)));
            }
            ValidationErrorsKind::Enum(error) => found.push(format!("{here}: {}", error.message)),
        }
    }
}

/// The SBOM of a release as a file (`atlas-web-2.5.0.cdx.json`), timestamped with `stamp`.
pub fn export(store: &Store, stamp: &Stamp, release_id: i64) -> Result<ExportFile> {
    let sbom = prepare(store, stamp, release_id)?.run()?;
    let text = sbom.to_json()?;
    Ok(ExportFile { file_name: sbom.file_name(), text, kind: KIND.to_string(), extension: EXTENSION.to_string() })
}

/// SHA-256 of a text, as lower-case hex: what the dossier states of the SBOM it holds.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_that_breaks_the_specification_is_named_in_the_error() {
        let mut bad =
            Component::new(Classification::Library, "left-pad", "1.3.0", Some("pkg:npm/left-pad@1.3.0".into()));
        bad.purl = Purl::from_str("left pad, not a package URL").ok();
        let bom =
            Bom { components: Some(Components(vec![bad])), spec_version: SpecVersion::V1_5, ..Default::default() };
        let summary = SbomSummary {
            release_id: 1,
            product: "Atlas".into(),
            version: "1.1.0".into(),
            to: "main".into(),
            to_sha: String::new(),
            serial_number: String::new(),
            timestamp: String::new(),
            lock_files: vec![],
            unreadable: vec![],
            ecosystems: vec![],
            components: 1,
        };
        let err = Sbom { summary, bom }.to_json().unwrap_err().to_string();
        assert!(err.contains("Atlas 1.1.0 does not follow CycloneDX 1.5"), "{err}");
        assert!(err.contains("components[0].purl: Purl does not conform"), "the field at fault is named: {err}");
    }

    #[test]
    fn package_urls_encode_scopes_and_versions() {
        let dep = |ecosystem, name: &str, version: &str| Dependency {
            ecosystem,
            name: name.into(),
            version: version.into(),
            lock_file: "Cargo.lock".into(),
        };
        assert_eq!(purl(&dep(Ecosystem::CratesIo, "serde", "1.0.228")).unwrap(), "pkg:cargo/serde@1.0.228");
        assert_eq!(purl(&dep(Ecosystem::Npm, "@scope/util", "2.0.0")).unwrap(), "pkg:npm/%40scope/util@2.0.0");
        assert_eq!(
            purl(&dep(Ecosystem::PyPi, "Django_Filter", "23.5")).unwrap(),
            "pkg:pypi/django-filter@23.5",
            "a PyPI name as PEP 503 normalises it"
        );
        assert_eq!(purl(&dep(Ecosystem::RubyGems, "nokogiri", "1.16.0")).unwrap(), "pkg:gem/nokogiri@1.16.0");
        let build = purl(&dep(Ecosystem::CratesIo, "wasi", "0.11.0+wasi-snapshot-preview1")).unwrap();
        let read = purl::GenericPurl::<String>::from_str(&build).unwrap();
        assert_eq!(
            (read.name(), read.version()),
            ("wasi", Some("0.11.0+wasi-snapshot-preview1")),
            "a version with build metadata reads back whole: {build}"
        );
    }

    #[test]
    fn the_serial_number_is_the_same_for_the_same_release_and_commit_only() {
        let a = serial_number("0194f2d0-0000-7000-8000-000000000001", "1111");
        assert_eq!(a, serial_number("0194f2d0-0000-7000-8000-000000000001", "1111"));
        assert_ne!(a, serial_number("0194f2d0-0000-7000-8000-000000000001", "2222"));
        assert_ne!(a, serial_number("0194f2d0-0000-7000-8000-000000000002", "1111"));
        assert_eq!(a.get_version_num(), 8);
    }
}
