//! The population check an auditor starts from: every release tag in a product's repository that
//! matches its tag pattern, set against the releases Relman holds. Each tag is either a release with
//! a complete dossier, a release whose dossier is incomplete (and why), or a tag never planned in
//! Relman; releases Relman calls shipped that have no tag are listed too.

use serde::Serialize;

use super::compliance::Outcome;
use crate::git::{Repo, TagPattern};
use crate::release::{self, ReleaseFilter, ReleaseStatus};
use crate::store::Store;
use crate::{product, Error, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Population {
    pub product: String,
    /// The clone by its folder's name: the population goes into an auditor's papers, off the laptop.
    pub repository: String,
    pub tag_pattern: String,
    /// Every matching tag, oldest version first.
    pub tags: Vec<TagAudit>,
    /// Releases Relman has as shipped (released or rolled back) whose tag is not in the repository.
    pub untagged: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Complete,
    Incomplete,
    Unplanned,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagAudit {
    pub tag: String,
    pub version: String,
    pub standing: Standing,
    /// Why the dossier is incomplete, one reason per line.
    pub reasons: Vec<String>,
}

impl Population {
    pub fn count(&self, standing: Standing) -> usize {
        self.tags.iter().filter(|t| t.standing == standing).count()
    }
}

pub fn check(store: &Store, product_id: i64) -> Result<Population> {
    let found = product::get(store, product_id)?;
    let linked = found.repository.clone().ok_or_else(|| {
        Error::invalid_field(
            "repository",
            format!("{} has no git repository linked; set its local path in Products to check its tags.", found.name),
        )
    })?;
    let pattern = TagPattern::new(&linked.tag_pattern, found.versioning)?;
    let repo = Repo::open(std::path::Path::new(&linked.path))?;
    let releases = release::list(store, &ReleaseFilter { product_id: Some(product_id), ..Default::default() })?;
    let mut tags = Vec::new();
    for tag in repo.release_tags(&pattern)? {
        let Some(r) = releases.iter().find(|r| r.version == tag.version) else {
            tags.push(TagAudit {
                tag: tag.name,
                version: tag.version,
                standing: Standing::Unplanned,
                reasons: vec!["Tagged in git, never planned in Relman.".into()],
            });
            continue;
        };
        let mut reasons = Vec::new();
        if !matches!(r.status, ReleaseStatus::Released | ReleaseStatus::RolledBack) {
            reasons.push(format!("Tagged, but Relman has the release as {}.", r.status.label().to_lowercase()));
        }
        for c in super::compliance_of(store, r)? {
            match c.outcome {
                Outcome::Fail => reasons.push(format!("{}: {}.", c.rule, c.summary)),
                Outcome::NotChecked => {
                    reasons.push(format!("{} could not be checked: {}", c.rule, c.evidence.join(" ")))
                }
                Outcome::NotApplicable if c.rule.contains("production deployment") => {
                    reasons.push("No production deployment is recorded.".into())
                }
                _ => {}
            }
        }
        let standing = if reasons.is_empty() { Standing::Complete } else { Standing::Incomplete };
        tags.push(TagAudit { tag: tag.name, version: tag.version, standing, reasons });
    }
    let untagged = releases
        .iter()
        .filter(|r| matches!(r.status, ReleaseStatus::Released | ReleaseStatus::RolledBack))
        .filter(|r| !tags.iter().any(|t| t.version == r.version))
        .map(|r| r.version.clone())
        .collect();
    Ok(Population {
        product: found.name,
        repository: super::file_name(&linked.path),
        tag_pattern: linked.tag_pattern,
        tags,
        untagged,
    })
}

/// The population as Markdown, for an auditor's working papers.
pub fn markdown(p: &Population) -> String {
    let mut out = format!(
        "# Release population: {}\n\n{} release tags matching `{}` in {}: {} complete, {} incomplete, {} never planned in Relman.\n\n",
        p.product,
        p.tags.len(),
        p.tag_pattern,
        p.repository,
        p.count(Standing::Complete),
        p.count(Standing::Incomplete),
        p.count(Standing::Unplanned)
    );
    out.push_str("| Tag | Standing | Why |\n|---|---|---|\n");
    for t in &p.tags {
        let standing = match t.standing {
            Standing::Complete => "complete",
            Standing::Incomplete => "incomplete",
            Standing::Unplanned => "never planned",
        };
        let why =
            t.reasons.iter().map(|r| crate::notes::escape_markdown(r, true).replace('|', "\\|")).collect::<Vec<_>>();
        out.push_str(&format!("| `{}` | {standing} | {} |\n", t.tag, why.join("<br>")));
    }
    if !p.untagged.is_empty() {
        out.push_str(&format!("\nShipped in Relman with no tag in the repository: {}.\n", p.untagged.join(", ")));
    }
    out
}
