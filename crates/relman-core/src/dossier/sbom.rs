//! The release's SBOM in its dossier: the CycloneDX document itself, byte for byte as
//! `relman sbom` writes it at the same moment, its SHA-256 and what it lists. A release whose lock
//! files cannot be read here (no repository, no `to` commit, no lock file there) still gets its
//! dossier; the section then says why there is no SBOM.

use serde::Serialize;

use crate::security::sbom::{self, SbomSummary};
use crate::store::Store;
use crate::{Error, Result, Stamp};

#[derive(Debug, Clone, Default, Serialize)]
pub struct DossierSbom {
    /// Why there is none ("No lock file found at 1a2b3c4 (v2.4.1); no SBOM. …").
    pub unavailable: Option<String>,
    pub summary: Option<SbomSummary>,
    pub file_name: Option<String>,
    /// SHA-256 of `document` (its UTF-8 bytes), lower-case hex: a copy kept apart from the dossier
    /// is the same SBOM when `sha256sum` gives this.
    pub sha256: Option<String>,
    /// The CycloneDX 1.5 JSON, as text so that its bytes, and so its digest, survive the dossier.
    pub document: Option<String>,
}

/// The SBOM of a release, timestamped with the dossier's `stamp`; git and lock-file problems become
/// [`DossierSbom::unavailable`], database ones are errors.
pub fn read(store: &Store, stamp: &Stamp, release_id: i64) -> Result<DossierSbom> {
    let made = sbom::prepare(store, stamp, release_id)
        .and_then(|job| job.run())
        .and_then(|found| Ok((found.to_json()?, found)));
    match made {
        Ok((text, found)) => Ok(DossierSbom {
            unavailable: None,
            file_name: Some(found.file_name()),
            sha256: Some(sbom::sha256_hex(&text)),
            summary: Some(found.summary),
            document: Some(text),
        }),
        Err(e @ Error::Storage(_)) => Err(e),
        Err(e) => Ok(DossierSbom { unavailable: Some(e.to_string()), ..Default::default() }),
    }
}
