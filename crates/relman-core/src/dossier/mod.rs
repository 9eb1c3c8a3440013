//! The release dossier (issue 16, in progress): one connected record of a release for a CAB or an
//! auditor — the release and its tag, its change requests and their approvals, its status moves (with
//! any gates overridden), sign-offs and go/no-go decisions, the checklist with who did what when,
//! every deployment's log, its risks, incidents and retrospective — and the audit events it rests on,
//! with their chain hashes and the chain's head at export time, so the events can be checked offline
//! ([`verify`] checks the events and every fact against them); the same as one HTML file to read
//! and print ([`html`]). It also reads what shipped from git ([`scope`]), each gate's criteria as
//! they stood at every move, the risks as they stood when the release shipped and as they stand now,
//! and states the [`compliance`] checks an auditor samples for. [`sbom`] attaches the CycloneDX
//! SBOM of the commit it ships, with its SHA-256 (which [`verify`] recomputes). [`population`] sets
//! a product's release tags against its releases.

pub mod compliance;
pub mod population;
pub mod sbom;
pub mod scope;
pub mod verify;

use serde::Serialize;

use crate::audit::{self, AuditExport, AuditFilter};
use crate::change::{self, ChangeRequest};
use crate::checklist::items::{self, ChecklistItem};
use crate::checklist::signoff::{self, GoNoGo, Signoff};
use crate::deployment::{self, DeployLog};
use crate::incident::{self, Incident};
use crate::lifecycle::gates::{self, Criterion};
use crate::release::{self, Release, ReleaseStatus, Transition};
use crate::retro::{self, Retrospective};
use crate::risk::{self, ReleaseScope, Risk, RiskFilter};
use crate::store::Store;
use crate::tagging::{self, ReleaseTag};
use crate::{Result, Stamp};

pub use compliance::{Check, Outcome};
pub use sbom::DossierSbom;
pub use scope::Scope;
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
    pub scope: Scope,
    /// The dependencies it ships, as a CycloneDX SBOM, or why there is none.
    pub sbom: DossierSbom,
    /// Its latest dependency and secrets scans, with what was accepted or marked and why.
    pub security: crate::security::SecurityView,
    /// Its tag's signature and the previous release tag's, as git has them; None without a clone.
    pub signatures: Option<crate::security::signing::ReleaseSignatures>,
    /// The compliance checks, each with its outcome and evidence.
    pub compliance: Vec<Check>,
    pub transitions: Vec<Transition>,
    /// The moves that passed through gates, with each criterion as it stood at the move.
    pub gates: Vec<GatedMove>,
    /// The sign-off roles the release's gates ask for.
    pub required_roles: Vec<String>,
    pub changes: Vec<ChangeRequest>,
    pub signoffs: Vec<Signoff>,
    pub decisions: Vec<GoNoGo>,
    pub checklist: Vec<ChecklistItem>,
    pub deployments: Vec<DeployLog>,
    /// When the release first moved to deploying (else released): "release time" for its risks.
    pub shipped_at: Option<String>,
    pub risks: Vec<RiskThenAndNow>,
    pub incidents: Vec<Incident>,
    pub retrospective: Retrospective,
    /// The release's audit events with their hashes, and the chain's head when exported.
    pub audit: AuditExport,
}

pub const KIND: &str = "relman-release-dossier";

/// A move into a gated status, with what its gates asked and found then, and any override.
#[derive(Debug, Clone, Serialize)]
pub struct GatedMove {
    pub at: String,
    pub actor: String,
    pub to: String,
    pub gates: Vec<GateThen>,
    /// The reason a failing gate was overridden with, and what it overrode.
    pub override_reason: Option<String>,
    pub overridden: Vec<String>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct GateThen {
    pub name: String,
    pub criteria: Vec<Criterion>,
}

/// A risk as it stands now, and as it stood when the release shipped (None when it was raised
/// later, or the release has not shipped).
#[derive(Debug, Clone, Serialize)]
pub struct RiskThenAndNow {
    #[serde(flatten)]
    pub risk: Risk,
    pub at_release: Option<RiskState>,
    /// Raised after the release shipped.
    pub raised_after: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskState {
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub status: String,
    /// Whether its mitigation has been edited since.
    pub mitigation_edited_since: bool,
}

/// Gathers the dossier of a release. Its scope walks the release's range in git and its SBOM reads
/// the lock files at the range's end, so call it off the interface's thread.
pub fn build(store: &Store, stamp: &Stamp, release_id: i64) -> Result<Dossier> {
    let r = release::get(store, release_id)?;
    let filter = RiskFilter {
        product_id: Some(r.product_id),
        release: ReleaseScope::Release { id: release_id },
        ..Default::default()
    };
    let events = AuditFilter { product_id: Some(r.product_id), release_id: Some(release_id), ..Default::default() };
    let audit = audit::collect(store, stamp, &events)?;
    let transitions = release::history(store, release_id)?;
    let shipped_at = [ReleaseStatus::Deploying, ReleaseStatus::Released]
        .iter()
        .find_map(|status| transitions.iter().find(|t| t.to == *status))
        .map(|t| t.at.clone());
    let risks = risk::list(store, &filter)?
        .into_iter()
        .map(|k| then_and_now(store, k, shipped_at.as_deref()))
        .collect::<Result<Vec<_>>>()?;
    let parts = Parts::gather(store, &r)?;
    Ok(Dossier {
        schema: 1,
        kind: KIND.to_string(),
        exported_at: stamp.at_text(),
        exported_by: stamp.actor.clone(),
        compliance: parts.checks(),
        tag: parts.tag,
        scope: parts.scope,
        sbom: sbom::read(store, stamp, release_id)?,
        security: without_local_paths(crate::security::view(store, release_id)?),
        signatures: crate::security::signing::prepare(store, release_id).and_then(|job| job.run()).ok().map(|mut s| {
            s.allowed_signers = s.allowed_signers.as_deref().map(file_name);
            s
        }),
        gates: gated_moves(&audit, release_id),
        required_roles: parts.required_roles,
        transitions,
        changes: parts.changes,
        signoffs: parts.signoffs,
        decisions: signoff::decisions(store, release_id)?,
        checklist: parts.checklist,
        deployments: parts.deployments,
        shipped_at,
        risks,
        incidents: incident::list(store, None, Some(release_id))?,
        retrospective: retro::get(store, release_id)?,
        audit,
        release: r,
    })
}

/// What the compliance checks read, gathered once: the dossier keeps them, the population check
/// judges them for every release tag without the rest of the record.
struct Parts {
    changes: Vec<ChangeRequest>,
    deployments: Vec<DeployLog>,
    tag: Option<ReleaseTag>,
    signoffs: Vec<Signoff>,
    required_roles: Vec<String>,
    checklist: Vec<ChecklistItem>,
    scope: Scope,
}

impl Parts {
    fn gather(store: &Store, r: &Release) -> Result<Parts> {
        Ok(Parts {
            changes: change::list(store, Some(r.product_id), Some(r.id))?,
            deployments: deployment::list(store, r.id)?
                .into_iter()
                .map(|d| deployment::log(store, d.id))
                .collect::<Result<Vec<_>>>()?,
            tag: tagging::get(store, r.id)?,
            signoffs: signoff::signoffs(store, r.id)?,
            required_roles: gates::required_roles(store, r.id)?,
            checklist: items::list(store, r.id)?,
            scope: scope::read(store, r.id)?,
        })
    }

    fn checks(&self) -> Vec<Check> {
        compliance::checks(&compliance::Facts {
            changes: &self.changes,
            deployments: &self.deployments,
            tag: self.tag.as_ref(),
            signoffs: &self.signoffs,
            required_roles: &self.required_roles,
            checklist: &self.checklist,
            scope: &self.scope,
        })
    }
}

/// A release's compliance checks alone, without its events.
pub fn compliance_of(store: &Store, release: &Release) -> Result<Vec<Check>> {
    Ok(Parts::gather(store, release)?.checks())
}

/// The release's moves whose audit event recorded gates or an override, as they stood then.
fn gated_moves(audit: &AuditExport, release_id: i64) -> Vec<GatedMove> {
    audit
        .events
        .iter()
        .filter(|e| e.entity == "release" && e.entity_id == Some(release_id) && e.action == "transition")
        .filter_map(|e| {
            let details: serde_json::Value = serde_json::from_str(&e.details).ok()?;
            let gates: Vec<GateThen> = serde_json::from_value(details["gates"].clone()).unwrap_or_default();
            let overridden = &details["gate_override"];
            if gates.is_empty() && overridden.is_null() {
                return None;
            }
            Some(GatedMove {
                at: e.at.clone(),
                actor: e.actor.clone(),
                to: details["to"].as_str().unwrap_or_default().to_string(),
                gates,
                override_reason: overridden["reason"].as_str().map(str::to_string),
                overridden: serde_json::from_value(overridden["failures"].clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// A risk as it stood at `shipped_at`: its current values, undone by each recorded change made since
/// ("likelihood 3 → 4" was 3 then).
fn then_and_now(store: &Store, risk: Risk, shipped_at: Option<&str>) -> Result<RiskThenAndNow> {
    let Some(shipped) = shipped_at.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else {
        return Ok(RiskThenAndNow { risk, at_release: None, raised_after: false });
    };
    let after = |at: &str| chrono::DateTime::parse_from_rfc3339(at).is_ok_and(|at| at > shipped);
    if after(&risk.created_at) {
        return Ok(RiskThenAndNow { risk, at_release: None, raised_after: true });
    }
    let mut then = RiskState {
        likelihood: risk.likelihood,
        impact: risk.impact,
        score: risk.score,
        status: risk.status.as_str().to_string(),
        mitigation_edited_since: false,
    };
    // Newest first: the earliest change after the release undoes last, leaving the value it had then.
    for change in risk::history(store, risk.id)?.iter().rev().filter(|c| after(&c.at)) {
        for said in &change.changes {
            let was = |field: &str| said.strip_prefix(field).and_then(|rest| rest.split(" → ").next()).map(str::trim);
            if let Some(v) = was("likelihood ").and_then(|v| v.parse().ok()) {
                then.likelihood = v;
            } else if let Some(v) = was("impact ").and_then(|v| v.parse().ok()) {
                then.impact = v;
            } else if let Some(v) = was("status ") {
                then.status = v.to_string();
            } else if said == "mitigation edited" {
                then.mitigation_edited_since = true;
            }
        }
    }
    then.score = then.likelihood * then.impact;
    Ok(RiskThenAndNow { risk, at_release: Some(then), raised_after: false })
}

/// The dossier as one self-contained HTML file: inline styles, no scripts, nothing loaded from
/// anywhere, a table of contents and page breaks for print; every value escaped.
pub fn html(dossier: &Dossier) -> Result<String> {
    crate::notes::render_builtin("dossier.html", include_str!("templates/dossier.html.jinja"), dossier)
}

/// The two forms of a dossier: JSON to verify, HTML to read and print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DossierFormat {
    Json,
    Html,
}

pub fn export(
    store: &Store,
    stamp: &Stamp,
    release_id: i64,
    format: DossierFormat,
) -> Result<crate::export::ExportFile> {
    match format {
        DossierFormat::Json => export_json(store, stamp, release_id),
        DossierFormat::Html => export_html(store, stamp, release_id),
    }
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

/// The scans as the dossier keeps them: a dossier leaves the laptop, so the clone is named by its
/// folder's name, not where it lies on this machine.
fn without_local_paths(mut view: crate::security::SecurityView) -> crate::security::SecurityView {
    if let Some(scan) = view.dependencies.as_mut() {
        scan.report.repository = file_name(&scan.report.repository);
    }
    view
}

/// The last part of a path (`atlas-web` of `/home/priya/src/atlas-web`).
pub(super) fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}
