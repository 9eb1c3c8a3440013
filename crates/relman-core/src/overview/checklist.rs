//! A release's checklist as the checklist section and deploy mode show it: items, the gates into ready
//! and deploying with each criterion's outcome now, sign-offs, decisions and the running deployment.

use serde::Serialize;
use ts_rs::TS;

use crate::checklist::items::{self, ChecklistItem};
use crate::checklist::signoff::{self, GoNoGo, Signoff};
use crate::checklist::template;
use crate::deployment::{self, Action, Deployment};
use crate::lifecycle::gates::{self, GateResult};
use crate::release::{self, ReleaseStatus};
use crate::store::Store;
use crate::Result;

/// Everything the checklist section and deploy mode show for a release.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChecklistView {
    pub items: Vec<ChecklistItem>,
    /// The process templates that can be applied.
    pub templates: Vec<String>,
    /// The gates into ready and into deploying, each criterion's outcome now.
    pub gates: Vec<GateResult>,
    pub signoffs: Vec<Signoff>,
    pub decisions: Vec<GoNoGo>,
    pub deployment: Option<Deployment>,
    /// The running deployment's actions, oldest first.
    pub actions: Vec<Action>,
}

/// A release's checklist with its gates, sign-offs, decisions and running deployment, in one read.
/// `now`: when the gates are judged (the change rule looks at it).
pub fn checklist(store: &Store, release_id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<ChecklistView> {
    let release = release::get(store, release_id)?;
    let mut gate_results = Vec::new();
    for into in [ReleaseStatus::Ready, ReleaseStatus::Deploying] {
        gate_results.extend(gates::evaluate_for(store, release.id, into, now)?);
    }
    let deployment = deployment::running(store, release_id)?;
    let actions = match &deployment {
        Some(d) => deployment::actions(store, d.id)?,
        None => Vec::new(),
    };
    Ok(ChecklistView {
        items: items::list(store, release_id)?,
        templates: template::list(store)?.into_iter().map(|t| t.name).collect(),
        gates: gate_results,
        signoffs: signoff::signoffs(store, release_id)?,
        decisions: signoff::decisions(store, release_id)?,
        deployment,
        actions,
    })
}
