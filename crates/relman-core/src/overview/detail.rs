//! The release detail: a release with its milestones, status history and freeze conflicts, for the
//! detail view and `relman release show`.

use serde::Serialize;
use ts_rs::TS;

use crate::freeze::{self, Conflict};
use crate::milestone::{self, Milestone};
use crate::release::{self, Release, Transition};
use crate::store::Store;
use crate::Result;

/// A release with its milestones and status history, for the detail view and `relman release show`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReleaseDetail {
    pub release: Release,
    pub milestones: Vec<Milestone>,
    pub history: Vec<Transition>,
    /// Deploy windows or GA planned inside a freeze window.
    pub conflicts: Vec<Conflict>,
}

pub fn detail(store: &Store, id: i64) -> Result<ReleaseDetail> {
    let release = release::get(store, id)?;
    let milestones = milestone::list(store, id)?;
    let conflicts = freeze::conflicts(release.product_id, &milestones, &freeze::list(store)?);
    Ok(ReleaseDetail { release, milestones, history: release::history(store, id)?, conflicts })
}
