//! The release dossier (issue 16, in progress): one connected record of a release for a CAB or an
//! auditor — the release and its tag, its change requests and their approvals, its status moves (with
//! any gates overridden), sign-offs and go/no-go decisions, the checklist with who did what when,
//! every deployment's log, its risks, incidents and retrospective — and the audit events it rests on,
//! with their chain hashes and the chain's head at export time, so the events can be checked offline
//! ([`verify`] checks the events and every fact against them); the same as one HTML file to read
//! and print ([`html`]). The compliance checks come next.

pub mod verify;

use serde::Serialize;

use crate::audit::{self, AuditExport, AuditFilter};
use crate::change::{self, ChangeRequest};
use crate::checklist::items::{self, ChecklistItem};
use crate::checklist::signoff::{self, GoNoGo, Signoff};
use crate::deployment::{self, DeployLog};
use crate::incident::{self, Incident};
use crate::release::{self, Release, Transition};
use crate::retro::{self, Retrospective};
use crate::risk::{self, ReleaseScope, Risk, RiskFilter};
use crate::store::Store;
use crate::tagging::{self, ReleaseTag};
use crate::{Result, Stamp};

pub use verify::{verify, DossierReport};

/// The dossier's JSON, versioned by `schema`.
#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    pub schema: u32,
    pub kind: String,
    pub exported_at: String,
    pub exported_by: String,
    pub release: Release,
    pub tag: Option<ReleaseTag>,
    pub transitions: Vec<Transition>,
    pub changes: Vec<ChangeRequest>,
    pub signoffs: Vec<Signoff>,
    pub decisions: Vec<GoNoGo>,
    pub checklist: Vec<ChecklistItem>,
    pub deployments: Vec<DeployLog>,
    pub risks: Vec<Risk>,
    pub incidents: Vec<Incident>,
    pub retrospective: Retrospective,
    /// The release's audit events with their hashes, and the chain's head when exported.
    pub audit: AuditExport,
}

pub const KIND: &str = "relman-release-dossier";

/// Gathers the dossier of a release.
pub fn build(store: &Store, stamp: &Stamp, release_id: i64) -> Result<Dossier> {
    let r = release::get(store, release_id)?;
    let deployments = deployment::list(store, release_id)?
        .into_iter()
        .map(|d| deployment::log(store, d.id))
        .collect::<Result<Vec<_>>>()?;
    let filter = RiskFilter {
        product_id: Some(r.product_id),
        release: ReleaseScope::Release { id: release_id },
        ..Default::default()
    };
    let events = AuditFilter { product_id: Some(r.product_id), release_id: Some(release_id), ..Default::default() };
    Ok(Dossier {
        schema: 1,
        kind: KIND.to_string(),
        exported_at: stamp.at_text(),
        exported_by: stamp.actor.clone(),
        tag: tagging::get(store, release_id)?,
        transitions: release::history(store, release_id)?,
        changes: change::list(store, Some(r.product_id), Some(release_id))?,
        signoffs: signoff::signoffs(store, release_id)?,
        decisions: signoff::decisions(store, release_id)?,
        checklist: items::list(store, release_id)?,
        deployments,
        risks: risk::list(store, &filter)?,
        incidents: incident::list(store, None, Some(release_id))?,
        retrospective: retro::get(store, release_id)?,
        audit: audit::collect(store, stamp, &events)?,
        release: r,
    })
}

/// The dossier as one self-contained HTML file: inline styles, no scripts, nothing loaded from
/// anywhere, a table of contents and page breaks for print; every value escaped.
pub fn html(dossier: &Dossier) -> Result<String> {
    crate::notes::render_builtin("dossier.html", include_str!("templates/dossier.html.jinja"), dossier)
}

/// The dossier as an HTML file ("atlas-web-2-4-0-dossier.html").
pub fn export_html(store: &Store, stamp: &Stamp, release_id: i64) -> Result<crate::export::ExportFile> {
    let dossier = build(store, stamp, release_id)?;
    let name = format!("{} {} dossier", dossier.release.product_name, dossier.release.version);
    Ok(crate::export::ExportFile::new(&name, "html", "HTML", html(&dossier)?))
}

/// The dossier as a JSON file ("atlas-web-2-4-0-dossier.json").
pub fn export_json(store: &Store, stamp: &Stamp, release_id: i64) -> Result<crate::export::ExportFile> {
    let dossier = build(store, stamp, release_id)?;
    let mut text = serde_json::to_string_pretty(&dossier)
        .map_err(|e| crate::Error::Io(format!("The dossier could not be written as JSON: {e}.")))?;
    text.push('\n');
    let name = format!("{} {} dossier", dossier.release.product_name, dossier.release.version);
    Ok(crate::export::ExportFile::new(&name, "json", "JSON", text))
}
