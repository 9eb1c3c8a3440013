//! Version numbers: semantic versions by default, calendar versions when the product says so.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// How a product numbers its releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Versioning {
    /// `MAJOR.MINOR.PATCH[-pre][+build]`, as semver.org defines it.
    #[default]
    Semver,
    /// `YYYY.MM`, `YYYY.MM.N` or `YY.MM.N`, optionally with a `-suffix`.
    Calver,
}

impl Versioning {
    pub fn as_str(self) -> &'static str {
        match self {
            Versioning::Semver => "semver",
            Versioning::Calver => "calver",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "semver" => Ok(Versioning::Semver),
            "calver" => Ok(Versioning::Calver),
            other => Err(Error::invalid_field(
                "versioning",
                format!("Unknown versioning scheme \"{other}\"; use semver or calver."),
            )),
        }
    }
}

/// Checks `version` against the product's scheme and returns it trimmed.
pub fn validate(version: &str, scheme: Versioning) -> Result<String> {
    let version = version.trim();
    if version.is_empty() {
        return Err(Error::invalid_field("version", "Enter a version, for example 2.4.0."));
    }
    let version = version.strip_prefix('v').filter(|_| scheme == Versioning::Semver).unwrap_or(version);
    match scheme {
        Versioning::Semver => semver::Version::parse(version).map(|_| version.to_string()).map_err(|_| {
            Error::invalid_field(
                "version",
                format!("\"{version}\" is not a semantic version; use MAJOR.MINOR.PATCH such as 2.4.0 or 2.4.0-rc.1."),
            )
        }),
        Versioning::Calver => {
            if is_calver(version) {
                Ok(version.to_string())
            } else {
                Err(Error::invalid_field(
                    "version",
                    format!("\"{version}\" is not a calendar version; use YYYY.MM or YYYY.MM.N such as 2026.11 or 2026.11.2."),
                ))
            }
        }
    }
}

/// The patch release after `version`: 2.5.0 → 2.5.1, 2.5.0-rc.1 → 2.5.0 is not a patch (None for a
/// pre-release); calendar 2026.12 → 2026.12.1, 2026.12.1 → 2026.12.2.
pub fn patch_after(version: &str, scheme: Versioning) -> Option<String> {
    match scheme {
        Versioning::Semver => {
            let v = semver::Version::parse(version.trim().trim_start_matches('v')).ok()?;
            v.pre.is_empty().then(|| format!("{}.{}.{}", v.major, v.minor, v.patch + 1))
        }
        Versioning::Calver => {
            let core = version.trim().split('-').next()?;
            let parts: Vec<&str> = core.split('.').collect();
            match parts.as_slice() {
                [year, month] => Some(format!("{year}.{month}.1")),
                [year, month, micro] => Some(format!("{year}.{month}.{}", micro.parse::<u32>().ok()? + 1)),
                _ => None,
            }
        }
    }
}

fn is_calver(version: &str) -> bool {
    let core = version.split_once('-').map_or(version, |(core, suffix)| if suffix.is_empty() { "" } else { core });
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(numeric) {
        return false;
    }
    let year_ok = matches!(parts[0].len(), 2 | 4);
    let month_ok = parts[1].len() <= 2 && matches!(parts[1].parse::<u8>(), Ok(1..=12));
    year_ok && month_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_follows_a_final_release() {
        assert_eq!(patch_after("2.5.0", Versioning::Semver).as_deref(), Some("2.5.1"));
        assert_eq!(patch_after("v2.5.9", Versioning::Semver).as_deref(), Some("2.5.10"));
        assert_eq!(patch_after("2.5.0-rc.1", Versioning::Semver), None);
        assert_eq!(patch_after("2026.12", Versioning::Calver).as_deref(), Some("2026.12.1"));
        assert_eq!(patch_after("2026.12.4", Versioning::Calver).as_deref(), Some("2026.12.5"));
    }

    #[test]
    fn semver_accepts_prereleases_and_a_leading_v() {
        assert_eq!(validate(" v2.4.0-rc.1 ", Versioning::Semver).unwrap(), "2.4.0-rc.1");
        assert_eq!(validate("1.0.0+build.5", Versioning::Semver).unwrap(), "1.0.0+build.5");
    }

    #[test]
    fn semver_rejects_partial_versions_with_a_hint() {
        let err = validate("2.4", Versioning::Semver).unwrap_err();
        assert_eq!(err.field(), Some("version"), "the form should show this beside the version field");
        assert!(err.to_string().contains("MAJOR.MINOR.PATCH"), "the message should say what to type: {err}");
    }

    #[test]
    fn calver_accepts_year_month_and_micro() {
        for ok in ["2026.11", "2026.11.2", "26.1.0", "2026.03-beta"] {
            assert!(validate(ok, Versioning::Calver).is_ok(), "{ok} is a calendar version");
        }
        for bad in ["2026", "2026.13", "2026.0", "v2026.11", "2026.11.1.1", "2026.11-", "x.11"] {
            assert!(validate(bad, Versioning::Calver).is_err(), "{bad} is not a calendar version");
        }
    }
}
