//! Release tags: the tags that match a product's pattern (`v{version}`), ordered by version.

use git2::{ObjectType, Oid};
use semver::Version;

use super::{other, Repo};
use crate::version::Versioning;
use crate::{Error, Result};

/// A tag pattern split around its `{version}` placeholder.
#[derive(Debug, Clone)]
pub struct TagPattern {
    prefix: String,
    suffix: String,
    pub(crate) scheme: Versioning,
}

impl TagPattern {
    pub fn new(pattern: &str, scheme: Versioning) -> Result<Self> {
        match pattern.split_once("{version}") {
            Some((prefix, suffix)) if !suffix.contains("{version}") => {
                Ok(Self { prefix: prefix.to_string(), suffix: suffix.to_string(), scheme })
            }
            _ => Err(Error::invalid_field(
                "tag_pattern",
                format!("The tag pattern \"{pattern}\" must contain {{version}} once, for example v{{version}}."),
            )),
        }
    }

    /// The tag name for a version.
    pub fn tag_name(&self, version: &str) -> String {
        format!("{}{version}{}", self.prefix, self.suffix)
    }

    /// The version a tag name stands for, if the tag matches the pattern.
    pub fn version_of(&self, tag: &str) -> Option<(String, Version)> {
        let text = tag.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        let key = sort_key(text, self.scheme)?;
        Some((text.to_string(), key))
    }
}

/// A version as a sortable semver value; calendar versions map YYYY.MM.N onto MAJOR.MINOR.PATCH.
pub fn sort_key(text: &str, scheme: Versioning) -> Option<Version> {
    match scheme {
        Versioning::Semver => Version::parse(text).ok(),
        Versioning::Calver => {
            let (core, pre) = text.split_once('-').map_or((text, None), |(c, p)| (c, Some(p)));
            let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
            let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next().unwrap_or(Some(0))?);
            if parts.next().is_some() {
                return None;
            }
            let mut version = Version::new(major, minor, patch);
            if let Some(pre) = pre {
                version.pre = semver::Prerelease::new(pre).ok()?;
            }
            Some(version)
        }
    }
}

/// A release tag: its name, the version it stands for, and the commit it points at.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub version: String,
    pub key: Version,
    pub commit: Oid,
    pub annotated: bool,
}

impl Repo {
    /// The tags matching `pattern`, annotated and lightweight, oldest version first.
    pub fn release_tags(&self, pattern: &TagPattern) -> Result<Vec<Tag>> {
        let repo = self.git();
        let odb = repo.odb().map_err(other)?;
        // What kind of object an id names, from the object's header: a thousand tags are read on
        // every run, and inflating each tagged commit only to learn that it is one was a sixth of
        // a small range's notes.
        let kind = |oid: Oid| odb.read_header(oid).map(|(_, kind)| kind).ok();
        let mut tags = Vec::new();
        for reference in repo.references_glob("refs/tags/*").map_err(other)? {
            let reference = reference.map_err(other)?;
            let Ok(name) = reference.shorthand() else { continue };
            let Some((version, key)) = pattern.version_of(name) else { continue };
            // A tag that does not lead to a commit (a tagged tree or blob) names no release.
            let (commit, annotated) = match reference.target().map(|oid| (oid, kind(oid))) {
                Some((oid, Some(ObjectType::Commit))) => (oid, false),
                // An annotated tag: packed refs usually record what it peels to.
                Some((_, Some(ObjectType::Tag))) => match reference.target_peel() {
                    Some(peeled) if kind(peeled) == Some(ObjectType::Commit) => (peeled, true),
                    _ => match reference.peel_to_commit() {
                        Ok(commit) => (commit.id(), true),
                        Err(_) => continue,
                    },
                },
                Some((_, Some(_))) => continue,
                // A symbolic tag, or an object whose header cannot be read: peel it the long way.
                _ => match reference.peel_to_commit() {
                    Ok(commit) => (commit.id(), reference.peel_to_tag().is_ok()),
                    Err(_) => continue,
                },
            };
            tags.push(Tag { name: name.to_string(), version, key, commit, annotated });
        }
        tags.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.name.cmp(&b.name)));
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_split_around_the_version() {
        let pattern = TagPattern::new("app-v{version}", Versioning::Semver).unwrap();
        assert_eq!(pattern.tag_name("1.2.0"), "app-v1.2.0");
        assert_eq!(pattern.version_of("app-v1.2.0-rc.1").map(|v| v.0), Some("1.2.0-rc.1".into()));
        assert!(pattern.version_of("v1.2.0").is_none(), "another prefix is another product's tag");
        assert!(pattern.version_of("app-vnext").is_none(), "not a version");
        assert!(TagPattern::new("latest", Versioning::Semver).is_err());
    }

    #[test]
    fn prereleases_sort_before_their_release() {
        let mut versions = ["1.10.0", "1.2.0", "1.2.0-rc.2", "1.2.0-rc.10", "1.2.0-beta.1"]
            .map(|v| (sort_key(v, Versioning::Semver).unwrap(), v));
        versions.sort();
        let order: Vec<&str> = versions.iter().map(|v| v.1).collect();
        assert_eq!(order, ["1.2.0-beta.1", "1.2.0-rc.2", "1.2.0-rc.10", "1.2.0", "1.10.0"]);
    }

    #[test]
    fn calendar_versions_sort_by_date() {
        let a = sort_key("2026.9", Versioning::Calver).unwrap();
        let b = sort_key("2026.10.1", Versioning::Calver).unwrap();
        assert!(a < b, "September before October");
    }
}
