//! Checklists: process templates ([`template`]), the items of a release's checklist ([`items`]), each
//! with a state that records who moved it and when, and the sign-offs and go/no-go decisions
//! ([`signoff`]) that the gates (`lifecycle::gates`) read.

pub mod evidence;
pub mod items;
pub mod signoff;
pub mod template;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

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
