//! Tagging a release and pushing its tag. Each step reads what it needs from the database, does the
//! git work without it (the app releases the database lock meanwhile), and records the outcome on the
//! release with an audit event:
//!
//! 1. [`prepare`] + [`TagJob::plan`]: the tag that would be made (name from the product's pattern,
//!    the release's plain-text notes as the message, the configured tagger, the end of the release's
//!    range as the target), for a preview. Nothing is written.
//! 2. [`create`]: makes exactly that tag (git re-checks that the name is free and the commit still
//!    there) and records it; [`create_signed`] signs it with the release manager's SSH key.
//! 3. [`prepare_push`] + [`PushJob::run`] + [`record_push`]: pushes it with a credential from the
//!    keyring (HTTPS) or the SSH agent, and records where it went, or why it did not.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::git::{Credential, Person, PushProgress, RangeOptions, RemoteInfo, Repo, TagPattern, TagPlan};
use crate::notes::{self, Format, NotesJob};
use crate::secrets::{index, CredentialKey, SecretStore};
use crate::security::signing::TagSigner;
use crate::store::{audit, AuditRecord, Store};
use crate::{product, release, settings, Error, Result, Stamp};

/// The tag Relman made for a release, and its last push.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReleaseTag {
    pub release_id: i64,
    pub name: String,
    pub target_sha: String,
    pub tag_sha: String,
    pub created_at: String,
    pub created_by: String,
    /// Where it was pushed; None while it is only in the local clone.
    pub pushed_remote: Option<String>,
    pub pushed_at: Option<String>,
    pub pushed_by: Option<String>,
    /// Why the last push failed, in words; None after a push that landed.
    pub push_error: Option<String>,
}

pub fn get(store: &Store, release_id: i64) -> Result<Option<ReleaseTag>> {
    read(store.conn(), release_id)
}

fn read(conn: &Connection, release_id: i64) -> Result<Option<ReleaseTag>> {
    Ok(conn
        .query_row_cached(
            "SELECT release_id, name, target_sha, tag_sha, created_at, created_by, pushed_remote, pushed_at,
                    pushed_by, push_error
             FROM release_tag WHERE release_id = ?1",
            [release_id],
            |r| {
                Ok(ReleaseTag {
                    release_id: r.get(0)?,
                    name: r.get(1)?,
                    target_sha: r.get(2)?,
                    tag_sha: r.get(3)?,
                    created_at: r.get(4)?,
                    created_by: r.get(5)?,
                    pushed_remote: r.get(6)?,
                    pushed_at: r.get(7)?,
                    pushed_by: r.get(8)?,
                    push_error: r.get(9)?,
                })
            },
        )
        .optional()?)
}

/// What planning a tag needs, read from the database.
pub struct TagJob {
    release_id: i64,
    version: String,
    repository: String,
    pattern: TagPattern,
    notes: NotesJob,
    target: String,
    tagger: Person,
}

/// The tag that would be made, and the remotes it could be pushed to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TagPreview {
    pub release_id: i64,
    pub plan: TagPlan,
    pub remotes: Vec<RemoteInfo>,
}

/// Reads what a tag needs. `target` overrides the end of the release's range (its `to` ref, else its
/// branch, else HEAD); the tagger is the user's name and email from Settings (the email falls back to
/// the repository's git configuration, as `git tag` would use).
pub fn prepare(store: &Store, release_id: i64, target: Option<String>, os_user: &str) -> Result<TagJob> {
    let range = notes::release_range(store, release_id, RangeOptions::default())?;
    if let Some(tag) = get(store, release_id)? {
        return Err(Error::Conflict(format!(
            "{} {} is already tagged {} at {}; push it, or delete the tag in git and create it again.",
            range.release.product_name,
            range.release.version,
            tag.name,
            &tag.target_sha[..tag.target_sha.len().min(7)]
        )));
    }
    let who = settings::get(store, os_user)?;
    let target = target
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .or(range.options.to.clone())
        .unwrap_or_else(|| "HEAD".into());
    Ok(TagJob {
        release_id,
        version: range.release.version.clone(),
        repository: range.repository,
        pattern: range.pattern,
        notes: notes::prepare(store, release_id, RangeOptions::default(), Some(Format::Text))?,
        target,
        tagger: Person { name: who.user_name, email: who.email },
    })
}

impl TagJob {
    /// Renders the notes and checks the tag, writing nothing.
    pub fn plan(self) -> Result<TagPreview> {
        let message = self.notes.render(Format::Text, None)?;
        let repo = Repo::open(std::path::Path::new(&self.repository))?;
        let mut tagger = self.tagger;
        if tagger.email.trim().is_empty() {
            tagger.email = repo.git().config().and_then(|c| c.get_string("user.email")).unwrap_or_default();
        }
        if tagger.email.trim().is_empty() {
            return Err(Error::invalid_field(
                "email",
                "Set your email in Settings (or git's user.email) first: git records it as the tagger.",
            ));
        }
        let plan = repo.plan_tag(&self.pattern, &self.version, &self.target, &message, &tagger)?;
        Ok(TagPreview { release_id: self.release_id, plan, remotes: repo.remotes()? })
    }
}

/// Creates the planned tag and records it on the release (one audit event).
pub fn create(store: &mut Store, stamp: &Stamp, release_id: i64, plan: &TagPlan) -> Result<ReleaseTag> {
    create_with(store, stamp, release_id, plan, None)
}

/// [`create`], with the tag signed by `signer` (see [`crate::security::signing`]); the audit event
/// names the key's fingerprint.
pub fn create_signed(
    store: &mut Store,
    stamp: &Stamp,
    release_id: i64,
    plan: &TagPlan,
    signer: &TagSigner,
) -> Result<ReleaseTag> {
    create_with(store, stamp, release_id, plan, Some(signer))
}

/// [`create`] or [`create_signed`], as `signer` says.
pub fn create_with(
    store: &mut Store,
    stamp: &Stamp,
    release_id: i64,
    plan: &TagPlan,
    signer: Option<&TagSigner>,
) -> Result<ReleaseTag> {
    let range = notes::release_range(store, release_id, RangeOptions::default())?;
    let (found, pattern) = (range.release, range.pattern);
    if plan.name != pattern.tag_name(&found.version) {
        return Err(Error::Conflict(format!(
            "The planned tag {} is not {}'s tag name ({}); plan the tag again.",
            plan.name,
            found.version,
            pattern.tag_name(&found.version)
        )));
    }
    if get(store, release_id)?.is_some() {
        return Err(Error::Conflict(format!("{} {} is already tagged.", found.product_name, found.version)));
    }
    let repo = Repo::open(std::path::Path::new(&range.repository))?;
    let tag_sha = match signer {
        Some(signer) => crate::security::signing::create_signed_tag(&repo, plan, stamp.at, signer)?,
        None => repo.create_tag(plan, stamp.at)?,
    };
    let signed_with = signer.map(TagSigner::fingerprint);
    store.write(|tx| {
        tx.execute_cached(
            "INSERT INTO release_tag (release_id, name, target_sha, tag_sha, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![release_id, plan.name, plan.target_sha, tag_sha, stamp.at_text(), stamp.actor],
        )?;
        let details = serde_json::json!({
            "tag": plan.name, "target": plan.target_sha, "tag_object": tag_sha, "signed_with": signed_with
        });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "tag", details))
    })?;
    get(store, release_id)?.ok_or_else(|| Error::NotFound("The tag was created but not recorded; try again.".into()))
}

/// What pushing a release's tag needs, read from the database.
pub struct PushJob {
    pub release_id: i64,
    pub tag: String,
    /// The remote asked for; None takes `origin`, else the clone's first remote.
    remote: Option<String>,
    repository: String,
    known: Vec<CredentialKey>,
}

/// The release's tag and the remote to push it to (chosen when the push runs, from the clone).
pub fn prepare_push(store: &Store, release_id: i64, remote: Option<&str>) -> Result<PushJob> {
    let range = notes::release_range(store, release_id, RangeOptions::default())?;
    let tag = get(store, release_id)?.ok_or_else(|| {
        Error::Conflict(format!(
            "{} {} has no tag yet; create it first.",
            range.release.product_name, range.release.version
        ))
    })?;
    let known = index::list(store)?.into_iter().filter_map(|c| CredentialKey::new(&c.host, &c.username).ok()).collect();
    let remote = remote.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    Ok(PushJob { release_id, tag: tag.name, remote, repository: range.repository, known })
}

impl PushJob {
    /// The remote as asked for, for recording a push that failed before one was chosen.
    pub fn remote_name(&self) -> String {
        self.remote.clone().unwrap_or_else(|| "origin".into())
    }

    /// Pushes the tag and returns the remote it went to. HTTPS asks `stores` in order for the host's
    /// secret (the keyring, then this session's), SSH uses the agent. `extra` are keys known only to
    /// the session. `progress` returns false to cancel.
    pub fn run(
        &self,
        stores: &[&dyn SecretStore],
        extra: &[CredentialKey],
        progress: &mut dyn FnMut(PushProgress) -> bool,
    ) -> Result<String> {
        let repo = Repo::open(std::path::Path::new(&self.repository))?;
        let remote = match &self.remote {
            Some(r) => r.clone(),
            None => {
                let remotes = repo.remotes()?;
                match remotes.iter().find(|r| r.name == "origin").or(remotes.first()) {
                    Some(r) => r.name.clone(),
                    None => {
                        return Err(Error::invalid_field(
                            "remote",
                            format!("{} has no remote; add one with `git remote add origin URL`.", self.repository),
                        ))
                    }
                }
            }
        };
        let known: Vec<CredentialKey> = self.known.iter().chain(extra).cloned().collect();
        let mut failure: Option<Error> = None;
        let mut credentials = credentials_from(&known, stores, &mut failure);
        let pushed = repo.push_tag(&remote, &self.tag, &mut credentials, progress);
        drop(credentials);
        // A keyring that could not be read explains an authentication failure better than the server.
        match (pushed, failure) {
            (Err(_), Some(keyring)) => Err(keyring),
            (result, _) => result.map(|()| remote),
        }
    }
}

/// A push that ran, to record on the release whatever its outcome.
#[must_use = "record it: a failed push is recorded too"]
pub struct PushAttempt {
    release_id: i64,
    remote: String,
    outcome: Result<String>,
}

impl PushAttempt {
    /// Records the outcome on the release's tag (one audit event), then returns the tag as recorded
    /// when the push landed, or the push's own error when it did not.
    pub fn record(self, store: &mut Store, stamp: &Stamp) -> Result<ReleaseTag> {
        let recorded = record_push(store, stamp, self.release_id, &self.remote, self.outcome.as_ref().map(|_| ()))?;
        self.outcome.map(|_| recorded)
    }
}

impl PushJob {
    /// [`PushJob::run`], kept for [`PushAttempt::record`]: what both doors do, with no database held
    /// while the network is used.
    pub fn attempt(
        &self,
        stores: &[&dyn SecretStore],
        extra: &[CredentialKey],
        progress: &mut dyn FnMut(PushProgress) -> bool,
    ) -> PushAttempt {
        let outcome = self.run(stores, extra, progress);
        let remote = outcome.as_ref().map_or_else(|_| self.remote_name(), String::clone);
        PushAttempt { release_id: self.release_id, remote, outcome }
    }
}

/// Records a push's outcome on the release's tag, with an audit event either way. A remote given as a
/// URL is recorded without any password in it.
pub fn record_push(
    store: &mut Store,
    stamp: &Stamp,
    release_id: i64,
    remote: &str,
    outcome: std::result::Result<(), &Error>,
) -> Result<ReleaseTag> {
    let remote = crate::git::redact_url(remote);
    let remote = remote.as_str();
    store.write(|tx| {
        read(tx, release_id)?.ok_or_else(|| Error::NotFound("The release has no tag recorded.".into()))?;
        let details = match outcome {
            Ok(()) => {
                tx.execute_cached(
                    "UPDATE release_tag SET pushed_remote = ?2, pushed_at = ?3, pushed_by = ?4, push_error = NULL
                     WHERE release_id = ?1",
                    params![release_id, remote, stamp.at_text(), stamp.actor],
                )?;
                serde_json::json!({ "remote": remote, "pushed": true })
            }
            Err(e) => {
                tx.execute_cached(
                    "UPDATE release_tag SET push_error = ?2 WHERE release_id = ?1",
                    params![release_id, e.to_string()],
                )?;
                serde_json::json!({ "remote": remote, "pushed": false, "error": e.to_string(), "code": e.code() })
            }
        };
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "push_tag", details))
    })?;
    get(store, release_id)?.ok_or_else(|| Error::NotFound("The release has no tag recorded.".into()))
}

/// A credential test: the products' clones, to find an HTTPS remote on the credential's host.
pub struct AccessJob {
    key: CredentialKey,
    /// (product, clone path)
    clones: Vec<(String, String)>,
}

/// Lists the products' clones; [`AccessJob::run`] looks for a remote on `key`'s host among them.
pub fn prepare_check(store: &Store, key: &CredentialKey) -> Result<AccessJob> {
    let clones = product::list(store)?.into_iter().filter_map(|p| Some((p.name, p.repository?.path))).collect();
    Ok(AccessJob { key: key.clone(), clones })
}

impl AccessJob {
    /// Connects for pushing with the credential, sending nothing; says what it tested against.
    pub fn run(&self, stores: &[&dyn SecretStore]) -> Result<String> {
        let found = self.clones.iter().find_map(|(product, path)| {
            let repo = Repo::open(std::path::Path::new(path)).ok()?;
            let remote =
                repo.remotes().ok()?.into_iter().find(|r| {
                    is_http(&r.url) && CredentialKey::new(&r.url, "").is_ok_and(|k| k.host == self.key.host)
                })?;
            Some((product, repo, remote))
        });
        let Some((product, repo, remote)) = found else {
            return Err(Error::NotFound(format!(
                "No product's repository has an HTTPS remote on {}, so there is nothing to test against; link one in Products.",
                self.key.host
            )));
        };
        let mut failure = None;
        let mut credentials = |_: &str, url_user: Option<&str>, _kinds: crate::git::CredentialKinds| {
            for store in stores {
                match store.get(&self.key) {
                    Ok(Some(secret)) => return user_pass(&self.key, url_user, secret),
                    Ok(None) => {}
                    Err(e) => failure = failure.take().or(Some(e)),
                }
            }
            Credential::None
        };
        let checked = repo.check_push_access(&remote.name, &mut credentials);
        if let (Err(_), Some(keyring)) = (&checked, failure) {
            return Err(keyring);
        }
        checked?;
        Ok(format!("{} accepted the credential for pushing to {} ({product}).", self.key.host, remote.name))
    }
}

/// Basic authentication with the key's username, else the URL's, else `git` (forges that take a
/// token accept any username).
/// Answers a git server's request for a credential from the keyring (and this session's memory) for
/// HTTPS, or the SSH agent for SSH; a keyring that cannot be read is kept in `failure`, as it explains
/// a refused push better than the server does.
pub(crate) fn credentials_from<'a>(
    known: &'a [CredentialKey],
    stores: &'a [&'a dyn SecretStore],
    failure: &'a mut Option<Error>,
) -> impl FnMut(&str, Option<&str>, crate::git::CredentialKinds) -> Credential + 'a {
    move |url: &str, url_user: Option<&str>, _kinds: crate::git::CredentialKinds| {
        let user = url_user.filter(|u| !u.is_empty());
        // The URL decides: an HTTPS token is never offered to an SSH server as a password.
        if !is_http(url) {
            return Credential::SshAgent { username: user.unwrap_or("git").to_string() };
        }
        match index::lookup(known, stores, url, user) {
            Ok(Some((key, secret))) => user_pass(&key, user, secret),
            Ok(None) => Credential::None,
            Err(e) => {
                *failure = Some(e);
                Credential::None
            }
        }
    }
}

fn user_pass(key: &CredentialKey, url_user: Option<&str>, secret: crate::secrets::Secret) -> Credential {
    let username = Some(key.username.clone())
        .filter(|u| !u.is_empty())
        .or(url_user.filter(|u| !u.is_empty()).map(str::to_string))
        .unwrap_or_else(|| "git".into());
    Credential::UserPass { username, secret }
}

/// Whether a remote URL is HTTP(S); anything else (`ssh://`, `git@host:path`, a path) is not.
fn is_http(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The local clone of the release's product, if it has one.
pub fn clone_of(store: &Store, release_id: i64) -> Result<Option<String>> {
    let found = release::get(store, release_id)?;
    Ok(product::get(store, found.product_id)?.repository.map(|r| r.path))
}

/// The remotes of a clone, for the push picker.
pub fn remotes_of(clone: &str) -> Result<Vec<RemoteInfo>> {
    Repo::open(std::path::Path::new(clone))?.remotes()
}
