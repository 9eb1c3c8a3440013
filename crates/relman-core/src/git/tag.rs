//! Creating a release tag in two steps: [`Repo::plan_tag`] checks everything and returns what would be
//! written, writing nothing; [`Repo::create_tag`] writes exactly that plan. The split lets the app show
//! a confirmation (name, commit, message, tagger) and the CLI a `--dry-run` from the same code.
//! [`Repo::create_tag_signed_by`] writes the same tag with a signature (`security::signing` signs).

use chrono::{DateTime, Utc};
use git2::{ErrorCode as GitCode, ObjectType, Oid, Signature};
use serde::Serialize;
use ts_rs::TS;

use super::{other, Person, Repo, TagPattern};
use crate::{version, Error, GitProblem, Result};

/// An annotated tag to create, as [`Repo::plan_tag`] checked it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TagPlan {
    /// The tag name, from the product's tag pattern (`v2.1.0`).
    pub name: String,
    pub target_sha: String,
    pub target_short: String,
    /// The first line of the target commit's message, so the person confirming sees what they tag.
    pub target_summary: String,
    /// The message as it will be stored: whitespace cleaned up as `git tag -a` does, ending in a newline.
    pub message: String,
    pub tagger: Person,
}

impl Repo {
    /// Checks everything and returns what would be created, writing nothing.
    ///
    /// `target` is any revision (`main`, `HEAD~2`, a SHA). Refusals name the input at fault through
    /// [`Error::field`]: `version` (does not fit the scheme or pattern, or the tag exists), `message`,
    /// `tagger`, `target` (not in this clone).
    pub fn plan_tag(
        &self,
        pattern: &TagPattern,
        version: &str,
        target: &str,
        message: &str,
        tagger: &Person,
    ) -> Result<TagPlan> {
        let name = tag_name(pattern, version)?;
        let message = tag_message(message)?;
        let tagger = checked_tagger(tagger)?;
        self.check_tag_free(&name)?;
        let commit = self.target_commit(target)?;
        Ok(TagPlan {
            name,
            target_sha: commit.id().to_string(),
            target_short: self.short_id(commit.id()),
            target_summary: summary(&commit),
            message,
            tagger,
        })
    }

    /// Creates the tag exactly as planned and returns the tag object's SHA. The tagger's time is `when`.
    pub fn create_tag(&self, plan: &TagPlan, when: DateTime<Utc>) -> Result<String> {
        let (tagger, commit) = self.recheck(plan)?;
        let time = git2::Time::new(when.timestamp(), 0);
        let signature = Signature::new(&tagger.name, &tagger.email, &time).map_err(|e| {
            Error::invalid_field("tagger", format!("The tagger cannot be written to git ({}).", e.message()))
        })?;
        match self.git().tag(&plan.name, commit.as_object(), &signature, &plan.message, false) {
            Ok(oid) => Ok(oid.to_string()),
            Err(e) => Err(self.tag_write_failed(&plan.name, &e)),
        }
    }

    /// [`Repo::create_tag`], signed as `git tag -s` signs: `sign` returns the armored signature over
    /// the tag object's text, which is appended to the message, and the object is written as that text
    /// (libgit2 cannot sign a tag itself). Returns the tag object's SHA. The signing itself lives in
    /// `security::signing::create_signed_tag`, above git.
    pub fn create_tag_signed_by(
        &self,
        plan: &TagPlan,
        when: DateTime<Utc>,
        sign: impl FnOnce(&[u8]) -> Result<String>,
    ) -> Result<String> {
        let (tagger, commit) = self.recheck(plan)?;
        let payload = tag_object_text(plan, &tagger, &commit.id().to_string(), when);
        let signature = sign(payload.as_bytes())?;
        let object = format!("{payload}{signature}");
        let oid = self
            .git()
            .odb()
            .and_then(|odb| odb.write(ObjectType::Tag, object.as_bytes()))
            .map_err(|e| self.tag_write_failed(&plan.name, &e))?;
        let log = format!("relman: signed tag {}", plan.name);
        match self.git().reference(&format!("refs/tags/{}", plan.name), oid, false, &log) {
            Ok(_) => Ok(oid.to_string()),
            Err(e) => Err(self.tag_write_failed(&plan.name, &e)),
        }
    }

    /// A plan can be stale (a confirmation left open while someone else tagged) or built by hand,
    /// so what can have changed since, or been filled in wrongly, is checked again.
    fn recheck(&self, plan: &TagPlan) -> Result<(Person, git2::Commit<'_>)> {
        check_ref_name(&plan.name)?;
        if plan.message.trim().is_empty() {
            return Err(empty_message());
        }
        let tagger = checked_tagger(&plan.tagger)?;
        self.check_tag_free(&plan.name)?;
        Ok((tagger, self.planned_commit(&plan.target_sha)?))
    }

    fn tag_write_failed(&self, name: &str, e: &git2::Error) -> Error {
        // Someone created it between the check and now.
        if e.code() == GitCode::Exists {
            return self.check_tag_free(name).err().unwrap_or_else(|| {
                Error::git(GitProblem::TagExists, format!("Tag {name} already exists; choose another version."))
            });
        }
        Error::git(
            GitProblem::Other,
            format!("Writing tag {name} failed: {}. Check that {} is writable.", e.message(), self.path().display()),
        )
    }

    /// The commit a tag points at, if the tag exists in this clone.
    pub fn tag_target(&self, name: &str) -> Result<Option<String>> {
        match self.git().find_reference(&format!("refs/tags/{name}")) {
            Err(e) if matches!(e.code(), GitCode::NotFound | GitCode::InvalidSpec) => Ok(None),
            Err(e) => Err(other(e)),
            Ok(reference) => match reference.peel_to_commit() {
                Ok(commit) => Ok(Some(commit.id().to_string())),
                Err(_) => Err(Error::git(
                    GitProblem::Other,
                    format!("Tag {name} does not lead to a commit (it tags a tree or a file), so it names no release."),
                )),
            },
        }
    }

    /// Refuses a tag name that is already taken, saying where the existing tag points.
    fn check_tag_free(&self, name: &str) -> Result<()> {
        let reference = match self.git().find_reference(&format!("refs/tags/{name}")) {
            Ok(reference) => reference,
            Err(e) if e.code() == GitCode::NotFound => return Ok(()),
            Err(e) => return Err(other(e)),
        };
        let at = match reference.peel_to_commit() {
            Ok(commit) => format!("{} (\"{}\")", self.short_id(commit.id()), summary(&commit)),
            Err(_) => reference.target().map_or_else(|| "another ref".to_string(), |oid| self.short_id(oid)),
        };
        Err(Error::git(
            GitProblem::TagExists,
            format!("Tag {name} already exists at {at}; choose another version or delete the tag (git tag -d {name})."),
        ))
    }

    fn target_commit(&self, target: &str) -> Result<git2::Commit<'_>> {
        let target = target.trim();
        if target.is_empty() {
            return Err(Error::invalid_field("target", "Choose the commit to tag: a branch, a tag or a SHA."));
        }
        let shown = self.path().display();
        let object = self.git().revparse_single(target).map_err(|e| {
            let message = if e.code() == GitCode::Ambiguous {
                format!("\"{target}\" matches more than one object in {shown}; give more characters of the SHA.")
            } else if is_hex(target) {
                format!(
                    "Commit {target} is not in this clone ({shown}); fetch it first (git fetch) and plan the tag again."
                )
            } else {
                format!(
                    "\"{target}\" does not name a commit in this clone ({shown}); check the spelling, or fetch \
                     (git fetch) if it exists only on the remote."
                )
            };
            Error::git(GitProblem::TargetMissing, message)
        })?;
        let kind = object.kind().map_or("object", |k| k.str());
        object.peel_to_commit().map_err(|_| {
            Error::git(
                GitProblem::TargetMissing,
                format!("\"{target}\" points at a {kind}, not a commit; tag a commit."),
            )
        })
    }

    /// The planned commit, by its full SHA only: a plan names one exact commit, never a moving ref.
    fn planned_commit(&self, sha: &str) -> Result<git2::Commit<'_>> {
        let oid = Oid::from_str(sha).ok().filter(|_| sha.len() == 40 && is_hex(sha)).ok_or_else(|| {
            Error::invalid_field("target", format!("\"{sha}\" is not a full commit SHA; plan the tag again."))
        })?;
        self.git().find_commit(oid).map_err(|_| {
            Error::git(
                GitProblem::TargetMissing,
                format!(
                    "Commit {} is no longer in this clone ({}); fetch it (git fetch) and plan the tag again.",
                    self.short_id(oid),
                    self.path().display()
                ),
            )
        })
    }
}

/// The annotated tag object as git writes it (what a signature covers): the headers, a blank line and
/// the message. The time zone is UTC, as [`Repo::create_tag`] writes it.
fn tag_object_text(plan: &TagPlan, tagger: &Person, target_sha: &str, when: DateTime<Utc>) -> String {
    // A planned message ends in a newline; a hand-built one may not, and the signature must start a line.
    let newline = if plan.message.ends_with('\n') { "" } else { "\n" };
    format!(
        "object {target_sha}\ntype commit\ntag {}\ntagger {} <{}> {} +0000\n\n{}{newline}",
        plan.name,
        tagger.name,
        tagger.email,
        when.timestamp(),
        plan.message
    )
}

/// The tag name for `version`, after checking that the version fits the product's scheme and that the
/// pattern reads it back unchanged (so the new tag is found as this release's tag later).
fn tag_name(pattern: &TagPattern, version: &str) -> Result<String> {
    let version = version::validate(version, pattern.scheme)?;
    let name = pattern.tag_name(&version);
    match pattern.version_of(&name) {
        Some((back, _)) if back == version => {}
        _ => {
            return Err(Error::invalid_field(
                "version",
                format!(
                    "Version {version} does not fit the tag pattern: tag {name} would not read back as {version}; \
                     use a {} version or change the product's tag pattern.",
                    pattern.scheme.as_str()
                ),
            ))
        }
    }
    check_ref_name(&name)?;
    Ok(name)
}

fn check_ref_name(name: &str) -> Result<()> {
    if git2::Reference::is_valid_name(&format!("refs/tags/{name}")) {
        Ok(())
    } else {
        Err(Error::invalid_field(
            "version",
            format!("\"{name}\" cannot be a git tag name (no spaces, ~ ^ : ? * [ or ..); change the version or the tag pattern."),
        ))
    }
}

fn tag_message(message: &str) -> Result<String> {
    // The same clean-up `git tag -a` applies: trailing spaces and extra blank lines go, a newline ends it.
    // Lines starting with # are kept: a tag message may well say "#123".
    let cleaned = git2::message_prettify(message, None).unwrap_or_default();
    if cleaned.trim().is_empty() {
        return Err(empty_message());
    }
    Ok(cleaned)
}

fn empty_message() -> Error {
    Error::invalid_field("message", "Write a tag message, for example \"Release 2.1.0\"; annotated tags need one.")
}

fn checked_tagger(tagger: &Person) -> Result<Person> {
    let (name, email) = (tagger.name.trim(), tagger.email.trim());
    if name.is_empty() || email.is_empty() {
        return Err(Error::invalid_field(
            "tagger",
            "A tag records who made it: set your name and email in Settings (or git config user.name and \
             user.email) first.",
        ));
    }
    if [name, email].iter().any(|s| s.contains(['<', '>', '\n'])) {
        return Err(Error::invalid_field(
            "tagger",
            "The tagger's name and email cannot contain <, > or line breaks; correct them in Settings.",
        ));
    }
    Ok(Person { name: name.to_string(), email: email.to_string() })
}

fn summary(commit: &git2::Commit<'_>) -> String {
    String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned()
}

fn is_hex(text: &str) -> bool {
    text.len() >= 4 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Versioning;

    #[test]
    fn messages_are_cleaned_like_git_tag_does() {
        assert_eq!(tag_message("Release 2.1.0  \n\n\n").unwrap(), "Release 2.1.0\n");
        assert_eq!(tag_message("Fixes #12").unwrap(), "Fixes #12\n", "a # line is text, not a comment");
        assert_eq!(tag_message(" \n\t").unwrap_err().field(), Some("message"));
    }

    #[test]
    fn versions_must_fit_the_scheme_of_the_pattern() {
        let semver = TagPattern::new("v{version}", Versioning::Semver).unwrap();
        assert_eq!(tag_name(&semver, "v2.1.0").unwrap(), "v2.1.0", "a leading v is not doubled");
        let calver = TagPattern::new("release-{version}", Versioning::Calver).unwrap();
        assert_eq!(tag_name(&calver, "2026.11.1").unwrap(), "release-2026.11.1");
        assert_eq!(tag_name(&calver, "2.1.0").unwrap_err().field(), Some("version"), "semver is not calver");
    }
}
