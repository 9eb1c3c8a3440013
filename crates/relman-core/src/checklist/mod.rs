//! Checklists: process templates ([`template`]) and the items of a release's checklist ([`items`]),
//! each with a state that records who moved it and when.

pub mod deploy;
pub mod gates;
pub mod items;
pub mod template;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::release::{self, ReleaseStatus};
use crate::store::Store;
use crate::{Error, Result};

/// Everything the checklist section and deploy mode show for a release.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChecklistView {
    pub items: Vec<items::ChecklistItem>,
    /// The process templates that can be applied.
    pub templates: Vec<String>,
    /// The gates into ready and into deploying, each criterion's outcome now.
    pub gates: Vec<gates::GateResult>,
    pub signoffs: Vec<gates::Signoff>,
    pub decisions: Vec<gates::GoNoGo>,
    pub deployment: Option<deploy::Deployment>,
    /// The running deployment's actions, oldest first.
    pub actions: Vec<deploy::Action>,
}

/// A release's checklist with its gates, sign-offs, decisions and running deployment, in one read.
pub fn view(store: &Store, release_id: i64) -> Result<ChecklistView> {
    let release = release::get(store, release_id)?;
    let mut gate_results = Vec::new();
    for into in [ReleaseStatus::Ready, ReleaseStatus::Deploying] {
        gate_results.extend(gates::evaluate_for(store, release.id, into)?);
    }
    let deployment = deploy::running(store, release_id)?;
    let actions = match &deployment {
        Some(d) => deploy::actions(store, d.id)?,
        None => Vec::new(),
    };
    Ok(ChecklistView {
        items: items::list(store, release_id)?,
        templates: template::list(store)?.into_iter().map(|t| t.name).collect(),
        gates: gate_results,
        signoffs: gates::signoffs(store, release_id)?,
        decisions: gates::decisions(store, release_id)?,
        deployment,
        actions,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    PreRelease,
    Deploy,
    PostRelease,
    Rollback,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::PreRelease, Phase::Deploy, Phase::PostRelease, Phase::Rollback];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::PreRelease => "pre_release",
            Phase::Deploy => "deploy",
            Phase::PostRelease => "post_release",
            Phase::Rollback => "rollback",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::PreRelease => "Pre-release",
            Phase::Deploy => "Deploy",
            Phase::PostRelease => "Post-release",
            Phase::Rollback => "Rollback",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text).ok_or_else(|| {
            Error::invalid_field(
                "phase",
                format!("Unknown phase \"{text}\"; use pre_release, deploy, post_release or rollback."),
            )
        })
    }
}
