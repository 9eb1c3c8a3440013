//! The advisory folder as Settings and `relman advisories` show it: where it is, what it holds and how
//! old it is; and bringing it up to date, the one step of the security checks that needs the network.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::osv::AdvisoryDb;
use crate::{Error, Result};

/// An advisory folder, loaded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AdvisoryFolder {
    pub folder: String,
    /// Advisories for the ecosystems Relman reads (withdrawn ones left out).
    pub advisories: usize,
    /// Files that are not OSV records, and the first one's problem.
    pub skipped: usize,
    pub first_skipped: Option<String>,
    /// When the clone's checked-out commit was made, when the folder is a git clone: how current the
    /// advisories are.
    pub commit_time: Option<String>,
}

impl AdvisoryFolder {
    /// Loads the folder and describes it (an error when it holds no advisory, saying where to get one).
    pub fn read(folder: &Path) -> Result<Self> {
        let db = AdvisoryDb::load(folder)?;
        Ok(Self::of(&db))
    }

    pub fn of(db: &AdvisoryDb) -> Self {
        Self {
            folder: db.folder.display().to_string(),
            advisories: db.advisories,
            skipped: db.skipped,
            first_skipped: db.first_skipped.clone(),
            commit_time: commit_time(&db.folder),
        }
    }
}

fn commit_time(folder: &Path) -> Option<String> {
    let repo = git2::Repository::open(folder).ok()?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    DateTime::<Utc>::from_timestamp(commit.time().seconds(), 0).map(|t| t.to_rfc3339())
}

/// Brings a git clone of an advisory database up to date (`git pull --ff-only`, in its own process so
/// that git's own credentials and proxy settings apply), then loads it again.
pub fn update(folder: &Path) -> Result<AdvisoryFolder> {
    let shown = folder.display();
    if !folder.join(".git").exists() {
        return Err(Error::invalid_field(
            "advisories",
            format!("{shown} is not a git clone, so it cannot be pulled; replace it with a clone of the advisory database, or update its files by hand."),
        ));
    }
    let pulled =
        Command::new("git").arg("-C").arg(folder).args(["pull", "--ff-only", "--quiet"]).output().map_err(|e| {
            Error::Io(format!("Cannot run git to update {shown} ({e}); install git, or update the clone by hand."))
        })?;
    if !pulled.status.success() {
        let why = String::from_utf8_lossy(&pulled.stderr).trim().to_string();
        return Err(Error::Io(format!(
            "Updating {shown} failed: {why}. Nothing else changed; check the network and that the folder is a git clone."
        )));
    }
    AdvisoryFolder::read(folder)
}
