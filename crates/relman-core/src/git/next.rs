//! The next version a range calls for: breaking → major, feat → minor, anything else → patch; before
//! 1.0.0 a breaking change bumps the minor; a pre-release continues its series (`-rc.1` → `-rc.2`).

use semver::{Prerelease, Version};
use serde::Serialize;
use ts_rs::TS;

use super::{Commit, CommitRange, Repo, TagIndex};
use crate::version::Versioning;
use crate::Result;

impl Repo {
    /// The version after the release the range starts from: the tag at `from`'s commit, whatever
    /// `from` was called (a tag, a branch, a SHA), else the latest release tag before it. Calendar
    /// versions follow the calendar, not the commits, so none is suggested for them.
    pub fn suggest_next(&self, tags: &TagIndex, range: &CommitRange) -> Result<Option<NextVersion>> {
        if tags.scheme == Versioning::Calver {
            return Ok(None);
        }
        let from = range.from_sha.as_deref().and_then(|sha| git2::Oid::from_str(sha).ok());
        let current = match from {
            Some(from) => match tags.at(from).next() {
                Some(tag) => Some(tag.key.clone()),
                None => tags.previous(self, from, false)?.map(|t| t.key.clone()),
            },
            None => None,
        };
        Ok(next_version(current.as_ref(), &range.commits))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    Major,
    Minor,
    Patch,
    Prerelease,
    Initial,
}

/// A suggested version and the reason for it, in words.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NextVersion {
    pub version: String,
    pub bump: Bump,
    pub reason: String,
}

/// Suggests the version after `current` for `commits`; None when the range is empty.
pub fn next_version(current: Option<&Version>, commits: &[Commit]) -> Option<NextVersion> {
    if commits.is_empty() {
        return None;
    }
    let breaking: Vec<&Commit> = commits.iter().filter(|c| c.breaking).collect();
    let features = commits.iter().filter(|c| c.kind.as_deref() == Some("feat")).count();
    let why = if let Some(first) = breaking.first() {
        format!(
            "{} breaking change{} (first: {} {})",
            breaking.len(),
            plural(breaking.len()),
            first.short_sha,
            first.summary
        )
    } else if features > 0 {
        format!("{features} new feature{} and no breaking change", plural(features))
    } else {
        format!("{} commit{}, none a feature or breaking change", commits.len(), plural(commits.len()))
    };
    let Some(current) = current else {
        return Some(NextVersion {
            version: "0.1.0".into(),
            bump: Bump::Initial,
            reason: format!("no earlier release tag; {why}"),
        });
    };
    if !current.pre.is_empty() {
        if let Some(pre) = next_prerelease(&current.pre) {
            let mut version = current.clone();
            version.pre = pre;
            return Some(NextVersion {
                version: version.to_string(),
                bump: Bump::Prerelease,
                reason: format!("{current} is a pre-release, so the series continues; {why}"),
            });
        }
    }
    let (mut version, bump) = if !breaking.is_empty() && current.major > 0 {
        (Version::new(current.major + 1, 0, 0), Bump::Major)
    } else if !breaking.is_empty() || features > 0 {
        (Version::new(current.major, current.minor + 1, 0), Bump::Minor)
    } else {
        (Version::new(current.major, current.minor, current.patch + 1), Bump::Patch)
    };
    version.build = semver::BuildMetadata::EMPTY;
    let rule = if !breaking.is_empty() && current.major == 0 {
        " (before 1.0.0 a breaking change bumps the minor)"
    } else {
        ""
    };
    Some(NextVersion { version: version.to_string(), bump, reason: format!("{why}{rule}") })
}

/// `rc.1` → `rc.2`, `beta` → `beta.1`; None when the last identifier cannot be counted on.
fn next_prerelease(pre: &Prerelease) -> Option<Prerelease> {
    let text = pre.as_str();
    let next = match text.rsplit_once('.') {
        Some((label, n)) if n.chars().all(|c| c.is_ascii_digit()) => format!("{label}.{}", n.parse::<u64>().ok()? + 1),
        _ => format!("{text}.1"),
    };
    Prerelease::new(&next).ok()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::super::commit::parse_message;
    use super::*;

    fn commits(messages: &[&str]) -> Vec<Commit> {
        messages.iter().map(|m| parse_message(m)).collect()
    }

    fn next(current: &str, messages: &[&str]) -> String {
        next_version(Some(&Version::parse(current).unwrap()), &commits(messages)).unwrap().version
    }

    #[test]
    fn the_bump_follows_the_biggest_change() {
        assert_eq!(next("1.4.2", &["fix: a", "feat(ui): b", "chore: c"]), "1.5.0");
        assert_eq!(next("1.4.2", &["fix: a", "refactor!: b"]), "2.0.0");
        assert_eq!(next("1.4.2", &["fix: a", "docs: b", "Some old-style commit"]), "1.4.3");
        assert_eq!(next("1.4.2", &["fix: a\n\nBREAKING CHANGE: the config moved"]), "2.0.0");
    }

    #[test]
    fn before_one_point_oh_breaking_bumps_the_minor() {
        let suggestion = next_version(Some(&Version::new(0, 3, 1)), &commits(&["feat!: new API"])).unwrap();
        assert_eq!(suggestion.version, "0.4.0");
        assert!(suggestion.reason.contains("before 1.0.0"), "{}", suggestion.reason);
    }

    #[test]
    fn prereleases_continue_their_series() {
        assert_eq!(next("2.0.0-rc.1", &["fix: a"]), "2.0.0-rc.2");
        assert_eq!(next("2.0.0-beta", &["feat: a"]), "2.0.0-beta.1");
    }

    #[test]
    fn an_empty_range_suggests_nothing_and_a_first_release_starts_at_0_1_0() {
        assert!(next_version(Some(&Version::new(1, 0, 0)), &[]).is_none());
        assert_eq!(next_version(None, &commits(&["feat: first"])).unwrap().version, "0.1.0");
    }
}
