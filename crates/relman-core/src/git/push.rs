//! Pushing a release tag to a remote: credentials are asked for only when the server asks, progress is
//! reported, and the person can cancel. Failures come back as the few cases a release manager can act
//! on ([`PushProblem`]): the credential, the network, the remote's refusal, their own cancel.
//!
//! What happens, in order, and where each failure is caught:
//! 1. connect: the server asks for credentials here, so a wrong token fails before anything is sent;
//! 2. negotiate: libgit2 reports the remote's current value of the tag. The same tag there is success
//!    (a retry after a lost connection); another object under that name is refused, nothing sent;
//!    then the first progress report, where a cancel leaves the remote untouched;
//! 3. send the tag, and read the server's verdict on the ref.
//!
//! Tags are never force-pushed: a release tag that moves breaks every build made from it.

use std::cell::RefCell;

use git2::{Cred, CredentialType, ErrorClass, ErrorCode as GitCode, Oid, PushOptions, RemoteCallbacks};
use serde::Serialize;
use ts_rs::TS;

use super::{other, Repo};
use crate::secrets::Secret;
use crate::{Error, GitProblem, PushProblem, Result};

/// What to answer when a server asks who is pushing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// HTTP(S) basic authentication: a username and a token or password.
    UserPass { username: String, secret: Secret },
    /// SSH, with the keys held by the running ssh-agent.
    SshAgent { username: String },
    /// Nothing stored for this host; the push fails with [`PushProblem::AuthFailed`].
    None,
}

/// The kinds of credential the server accepts, for the credentials callback to choose from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialKinds {
    /// A username with a token or password ([`Credential::UserPass`]).
    pub user_pass: bool,
    /// An SSH key ([`Credential::SshAgent`]).
    pub ssh_key: bool,
    /// Only a username, which SSH asks for first when the URL has none.
    pub username: bool,
}

impl From<CredentialType> for CredentialKinds {
    fn from(allowed: CredentialType) -> Self {
        CredentialKinds {
            user_pass: allowed.contains(CredentialType::USER_PASS_PLAINTEXT),
            ssh_key: allowed.contains(CredentialType::SSH_KEY),
            username: allowed.contains(CredentialType::USERNAME),
        }
    }
}

/// How far a push is: objects sent of the total, and bytes sent. The first report is all zeros and
/// comes before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct PushProgress {
    pub current: usize,
    pub total: usize,
    pub bytes: usize,
}

/// A remote of the clone, with the URL pushes go to. A password written into the URL is left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RemoteInfo {
    pub name: String,
    pub url: String,
}

/// How often one push may ask for a credential. Each distinct answer gets one try; this bounds a
/// callback that keeps inventing new ones.
const MAX_CREDENTIAL_ASKS: usize = 5;

impl Repo {
    /// The clone's remotes, in the order git lists them.
    pub fn remotes(&self) -> Result<Vec<RemoteInfo>> {
        let repo = self.git();
        let mut remotes = Vec::new();
        for name in repo.remotes().map_err(other)?.iter().flatten().flatten() {
            let remote = repo.find_remote(name).map_err(other)?;
            remotes.push(RemoteInfo { name: name.to_string(), url: push_url(&remote) });
        }
        Ok(remotes)
    }

    /// Connects to `remote` for pushing, with the credential `credentials` gives, and sends nothing:
    /// the Settings view's "Test". Fails as [`Repo::push_tag`] would (authentication, offline).
    pub fn check_push_access(
        &self,
        remote: &str,
        credentials: &mut dyn FnMut(&str, Option<&str>, CredentialKinds) -> Credential,
    ) -> Result<()> {
        let mut handle = self.push_remote(remote)?;
        let url = push_url(&handle);
        let context = Context {
            tag: "",
            action: format!("push to {}", redact_url(remote)),
            remote: redact_url(remote),
            host: host_of(&url),
        };
        let asker = RefCell::new(Asker { ask: credentials, tried: Vec::new(), refusal: None });
        let connected = handle.connect_auth(git2::Direction::Push, Some(asker_callbacks(&asker)), Some(proxy())).map(
            |mut connection| {
                let _ = connection.remote().disconnect();
            },
        );
        connected.map_err(|e| context.failure(e, &asker))
    }

    /// Pushes `refs/tags/<tag>` to `remote` (a remote's name, or a URL).
    ///
    /// `credentials(url, username_from_url, allowed)` is called when the server asks, and again only
    /// if it refuses the answer; giving the same answer twice ends the push with
    /// [`PushProblem::AuthFailed`]. `progress` is called as the push goes; returning `false` from the
    /// first call (all zeros, before anything is sent) cancels with [`PushProblem::Cancelled`]. Once
    /// objects are on their way the push cannot be stopped part-way (libgit2 offers no hook there);
    /// a later `false` is ignored and the push finishes.
    pub fn push_tag(
        &self,
        remote: &str,
        tag: &str,
        credentials: &mut dyn FnMut(&str, Option<&str>, CredentialKinds) -> Credential,
        progress: &mut dyn FnMut(PushProgress) -> bool,
    ) -> Result<()> {
        let repo = self.git();
        let refname = format!("refs/tags/{tag}");
        let ours = match repo.find_reference(&refname) {
            Ok(reference) => reference.resolve().map_err(other)?.target().ok_or_else(|| {
                Error::NotFound(format!(
                    "Tag {tag} does not point at anything; delete it (git tag -d {tag}) and create it again."
                ))
            })?,
            Err(e) if matches!(e.code(), GitCode::NotFound | GitCode::InvalidSpec) => {
                return Err(Error::NotFound(format!("Tag {tag} is not in this clone; create it before pushing.")))
            }
            Err(e) => return Err(other(e)),
        };
        let mut handle = self.push_remote(remote)?;
        let url = push_url(&handle);
        let context =
            Context { tag, action: format!("push tag {tag}"), remote: redact_url(remote), host: host_of(&url) };
        let asker = RefCell::new(Asker { ask: credentials, tried: Vec::new(), refusal: None });

        let progress = RefCell::new(progress);
        let stop = RefCell::new(None);
        let refused = RefCell::new(None);
        // What the server's hooks print ("remote: ..."), often the reason for a refusal.
        let remote_says = RefCell::new(String::new());

        let mut callbacks = asker_callbacks(&asker);
        // Called once connected, with the remote's current value of the tag, before anything is sent:
        // the one point where the push can still end with the remote untouched.
        callbacks.push_negotiation(|updates| {
            let theirs = updates.iter().find(|u| u.dst_refname().ok() == Some(refname.as_str())).map(|u| u.src());
            let verdict = match theirs {
                Some(theirs) if theirs == ours => Some(Stop::AlreadyThere),
                Some(theirs) if !theirs.is_zero() => Some(Stop::ExistsElsewhere(theirs)),
                _ if !(progress.borrow_mut())(PushProgress { current: 0, total: 0, bytes: 0 }) => Some(Stop::Cancelled),
                _ => None,
            };
            match verdict {
                None => Ok(()),
                Some(verdict) => {
                    *stop.borrow_mut() = Some(verdict);
                    Err(git2::Error::new(GitCode::User, ErrorClass::Callback, "push stopped before sending"))
                }
            }
        });
        callbacks.push_transfer_progress(|current, total, bytes| {
            // Too late to stop (see the doc comment), so a `false` here has nothing to act on.
            let _ = (progress.borrow_mut())(PushProgress { current, total, bytes });
        });
        callbacks.push_update_reference(|name, status| {
            if let (true, Some(status)) = (name == refname, status) {
                *refused.borrow_mut() = Some(status.to_string());
            }
            Ok(())
        });
        callbacks.sideband_progress(|text| {
            let mut said = remote_says.borrow_mut();
            if said.len() < 2000 {
                said.push_str(&String::from_utf8_lossy(text));
            }
            true
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks).proxy_options(proxy());
        let pushed = handle.push(&[format!("{refname}:{refname}")], Some(&mut options));

        let stopped = stop.borrow_mut().take();
        match stopped {
            // A retry after a lost connection: the first try had landed.
            Some(Stop::AlreadyThere) => return Ok(()),
            Some(Stop::ExistsElsewhere(theirs)) => return Err(context.exists_elsewhere(self, theirs, ours)),
            Some(Stop::Cancelled) => {
                return Err(Error::push(
                    PushProblem::Cancelled,
                    format!("Pushing tag {tag} was cancelled before anything was sent; the tag is only in this clone."),
                ))
            }
            None => {}
        }
        pushed.map_err(|e| context.failure(e, &asker))?;
        let refused = refused.borrow_mut().take();
        match refused {
            None => Ok(()),
            Some(status) => {
                let said = remote_says.borrow();
                let said: Vec<&str> = said.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                let said = match said.as_slice() {
                    [] => String::new(),
                    lines => format!(" The remote said: \"{}\".", asker.borrow().scrub(&lines.join(" "))),
                };
                Err(Error::push(
                    PushProblem::Rejected,
                    format!(
                        "{} refused tag {tag} ({status}); it was left unchanged.{said} If the tag exists there \
                         already, choose another version.",
                        context.remote
                    ),
                ))
            }
        }
    }

    /// A remote by name, or an anonymous one for a URL or path.
    fn push_remote(&self, remote: &str) -> Result<git2::Remote<'_>> {
        let repo = self.git();
        match repo.find_remote(remote) {
            Ok(found) => return Ok(found),
            Err(e) if !matches!(e.code(), GitCode::NotFound | GitCode::InvalidSpec) => return Err(other(e)),
            Err(_) => {}
        }
        if looks_like_url(remote) {
            return repo.remote_anonymous(remote).map_err(|e| {
                Error::invalid_field("remote", format!("\"{remote}\" is not a usable remote URL ({}).", e.message()))
            });
        }
        let names: Vec<String> = self.remotes()?.into_iter().map(|r| r.name).collect();
        let choices = match names.as_slice() {
            [] => "this clone has no remotes; add one (git remote add origin URL) or give a URL".to_string(),
            names => format!("use one of {}, or a URL", names.join(", ")),
        };
        Err(Error::invalid_field(
            "remote",
            format!("There is no remote named \"{remote}\" in {}; {choices}.", self.path().display()),
        ))
    }
}

/// Whether `remote` is a git URL or path rather than a remote's name: `scheme://…`, a path, or
/// scp-like `user@host:path`.
pub(crate) fn looks_like_url(remote: &str) -> bool {
    let scp_like = remote.contains('@') && remote.contains(':');
    remote.contains("://") || remote.starts_with(['/', '.']) || scp_like
}

/// Answers libgit2's requests for credentials through the caller's callback, once per distinct answer.
pub(crate) struct Asker<'c> {
    ask: &'c mut dyn FnMut(&str, Option<&str>, CredentialKinds) -> Credential,
    /// Each answer already handed to libgit2, with the kind it was given as.
    tried: Vec<(CredentialType, Credential)>,
    /// Why the asker gave up, for the error message.
    pub(crate) refusal: Option<Refusal>,
}

pub(crate) enum Refusal {
    Missing,
    Refused { username: String },
    WrongKind { wanted: &'static str, stored: &'static str },
}

impl<'c> Asker<'c> {
    pub(crate) fn new(ask: &'c mut dyn FnMut(&str, Option<&str>, CredentialKinds) -> Credential) -> Self {
        Asker { ask, tried: Vec::new(), refusal: None }
    }

    fn answer(&mut self, url: &str, username: Option<&str>, allowed: CredentialType) -> Result<Cred, git2::Error> {
        if self.tried.len() >= MAX_CREDENTIAL_ASKS {
            return self.give_up(Refusal::Refused { username: username.unwrap_or_default().to_string() });
        }
        let kinds = CredentialKinds::from(allowed);
        let credential = (self.ask)(url, username, kinds);
        let (kind, cred) = match &credential {
            Credential::None => return self.give_up(Refusal::Missing),
            Credential::UserPass { secret, .. } if secret.is_empty() => return self.give_up(Refusal::Missing),
            Credential::UserPass { username, secret } if kinds.user_pass => {
                (CredentialType::USER_PASS_PLAINTEXT, Cred::userpass_plaintext(username, secret.expose()))
            }
            Credential::SshAgent { username } if kinds.username => (CredentialType::USERNAME, Cred::username(username)),
            Credential::SshAgent { username } if kinds.ssh_key => {
                (CredentialType::SSH_KEY, Cred::ssh_key_from_agent(username))
            }
            Credential::UserPass { .. } => {
                return self.give_up(Refusal::WrongKind { wanted: "an SSH key", stored: "a username and token" })
            }
            Credential::SshAgent { .. } => {
                return self.give_up(Refusal::WrongKind { wanted: "a username and token", stored: "an SSH login" })
            }
        };
        // libgit2 asks again after the server refuses an answer; the same answer would be refused again,
        // round and round.
        if self.tried.iter().any(|(k, c)| *k == kind && *c == credential) {
            let username = match credential {
                Credential::UserPass { username, .. } | Credential::SshAgent { username } => username,
                Credential::None => String::new(),
            };
            return self.give_up(Refusal::Refused { username });
        }
        self.tried.push((kind, credential));
        cred
    }

    fn give_up(&mut self, refusal: Refusal) -> Result<Cred, git2::Error> {
        self.refusal = Some(refusal);
        Err(git2::Error::new(GitCode::Auth, ErrorClass::Callback, "no usable credential"))
    }

    /// `text` with every secret handed out blanked, in case a server or libgit2 echoes one back.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (_, credential) in &self.tried {
            if let Credential::UserPass { secret, .. } = credential {
                text = text.replace(secret.expose(), "••••••");
            }
        }
        text
    }
}

pub(crate) fn asker_callbacks<'a>(asker: &'a RefCell<Asker<'_>>) -> RemoteCallbacks<'a> {
    let mut callbacks = RemoteCallbacks::new();
    callbacks.credentials(move |url, username, allowed| asker.borrow_mut().answer(url, username, allowed));
    callbacks
}

/// Proxies as git finds them: `http.proxy` in the config, then the `https_proxy` family of variables.
pub(crate) fn proxy() -> git2::ProxyOptions<'static> {
    let mut proxy = git2::ProxyOptions::new();
    proxy.auto();
    proxy
}

/// Why the push stopped itself before sending.
enum Stop {
    AlreadyThere,
    /// The remote has the tag at this object.
    ExistsElsewhere(Oid),
    Cancelled,
}

/// What a push error message needs to name.
struct Context<'a> {
    tag: &'a str,
    /// What was being done, for messages: "push tag v2.1.0", "push to origin".
    action: String,
    /// As the caller named it, less any password in a URL.
    remote: String,
    host: String,
}

impl Context<'_> {
    /// Turns a failed connect or push into the problem the person can act on.
    fn failure(&self, e: git2::Error, asker: &RefCell<Asker<'_>>) -> Error {
        let (tag, host, action) = (self.tag, &self.host, &self.action);
        let asker = asker.borrow();
        let detail = asker.scrub(e.message());
        let auth = |why: String| {
            let fix =
                format!("Set the credential in Settings or with `relman secret set --host {host}`, then push again");
            Error::push(PushProblem::AuthFailed, format!("{why}. {fix}; the tag stays local until then."))
        };
        match &asker.refusal {
            Some(Refusal::Missing) => {
                return auth(format!("{host} asks for a credential to {action}, and none is stored for it"))
            }
            Some(Refusal::Refused { username }) => {
                let who = if username.is_empty() { String::new() } else { format!(" for user {username}") };
                return auth(format!(
                    "{host} refused the credential{who} to {action}: it is wrong, expired or lacks write access"
                ));
            }
            Some(Refusal::WrongKind { wanted, stored }) => {
                return auth(format!(
                    "{host} asks for {wanted} to {action}, but the credential stored for it is {stored}"
                ))
            }
            None => {}
        }
        // An HTTP 403 is a credential that may read but not write (a read-only token, say).
        if e.code() == GitCode::Auth || (e.class() == ErrorClass::Http && detail.contains("403")) {
            return auth(format!("{host} refused to let this credential {action} ({detail})"));
        }
        if detail.contains("failed to resolve address") {
            return Error::push(
                PushProblem::Offline,
                format!(
                    "Could not find the host {host} ({detail}). Check the remote's URL, or your network if the \
                     name is right; the tag stays local."
                ),
            );
        }
        if e.code() == GitCode::Certificate || detail.contains("hostkey") || detail.contains("known_hosts") {
            return Error::push(
                PushProblem::AuthFailed,
                format!(
                    "{host} could not be verified ({detail}). For SSH, connect once with `ssh` to accept its host \
                     key; for HTTPS, check the server's certificate. The tag stays local until then."
                ),
            );
        }
        if is_unreachable(&e) {
            return Error::push(
                PushProblem::Offline,
                format!("Could not reach {host} to {action} ({detail}). The tag stays local; push again when online."),
            );
        }
        if e.code() == GitCode::NotFastForward {
            return Error::push(
                PushProblem::Rejected,
                format!(
                    "{} already has a tag {tag} at another commit; it was left unchanged. Choose another version.",
                    self.remote
                ),
            );
        }
        let hint = if e.class() == ErrorClass::Http && detail.contains("404") {
            " Check the remote's URL: the server has no repository there."
        } else {
            ""
        };
        Error::git(GitProblem::Other, format!("Pushing tag {tag} to {} failed: {detail}.{hint}", self.remote))
    }

    /// The remote has the tag at `theirs`: a tag object or a commit, named by its commit when this clone has it.
    fn exists_elsewhere(&self, repo: &Repo, theirs: Oid, ours: Oid) -> Error {
        let git = repo.git();
        let describe = |oid: Oid| match git.find_object(oid, None).and_then(|o| o.peel_to_commit()) {
            Ok(commit) => {
                let summary = String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned();
                format!("{} (\"{summary}\")", repo.short_id(commit.id()))
            }
            Err(_) => format!("{}, which this clone has not fetched", repo.short_id(oid)),
        };
        Error::push(
            PushProblem::Rejected,
            format!(
                "{} already has tag {tag} at {}, while this clone's points at {}; nothing was pushed. Choose another \
                 version, or delete the wrong tag first.",
                self.remote,
                describe(theirs),
                describe(ours),
                tag = self.tag,
            ),
        )
    }
}

/// Whether libgit2 failed to reach the host: a name that does not resolve, a refused or timed-out
/// connection, a connection dropped part-way. libgit2 files refused connections under OS errors, so
/// those are told apart by their wording.
pub(crate) fn is_unreachable(e: &git2::Error) -> bool {
    let socket = ["failed to connect to", "could not read from socket", "could not write to socket"];
    e.class() == ErrorClass::Net
        || e.code() == GitCode::Timeout
        || (e.class() == ErrorClass::Os && socket.iter().any(|s| e.message().starts_with(s)))
}

/// The URL pushes to a remote go to, with any password in it left out.
fn push_url(remote: &git2::Remote<'_>) -> String {
    let bytes = remote.pushurl_bytes().unwrap_or(remote.url_bytes());
    redact_url(&String::from_utf8_lossy(bytes))
}

/// `https://user:token@host/x` → `https://user@host/x`.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_string(),
    }
}

/// The host a URL names, with its port when it has one; the whole URL for a local path.
pub(crate) fn host_of(url: &str) -> String {
    let authority = match url.split_once("://") {
        Some(("file", _)) => return url.to_string(),
        Some((_, rest)) => rest.split('/').next().unwrap_or(rest),
        // scp-like `git@host:org/repo`
        None => match url.split_once(':') {
            Some((authority, _)) if !url.starts_with('/') => authority,
            _ => return url.to_string(),
        },
    };
    authority.rsplit_once('@').map_or(authority, |(_, host)| host).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_left_out() {
        assert_eq!(redact_url("https://ci:ghp_x@github.com/org/app.git"), "https://ci@github.com/org/app.git");
        assert_eq!(redact_url("https://github.com/org/app.git"), "https://github.com/org/app.git");
        assert_eq!(redact_url("git@github.com:org/app.git"), "git@github.com:org/app.git");
    }

    #[test]
    fn hosts_are_named_as_the_url_gives_them() {
        assert_eq!(host_of("https://ci@git.example.com:8443/org/app.git"), "git.example.com:8443");
        assert_eq!(host_of("ssh://git@github.com/org/app.git"), "github.com");
        assert_eq!(host_of("git@github.com:org/app.git"), "github.com");
        assert_eq!(host_of("/srv/git/app.git"), "/srv/git/app.git");
        assert_eq!(host_of("file:///srv/git/app.git"), "file:///srv/git/app.git");
    }

    /// libgit2 asks again after a refusal; the second identical answer must end the loop.
    #[test]
    fn the_same_credential_is_tried_once() {
        let mut asked = 0;
        let mut ask = |_: &str, _: Option<&str>, _: CredentialKinds| {
            asked += 1;
            Credential::UserPass { username: "ci".into(), secret: Secret::new("wrong") }
        };
        let mut asker = Asker { ask: &mut ask, tried: Vec::new(), refusal: None };
        assert!(asker.answer("https://h/x", None, CredentialType::USER_PASS_PLAINTEXT).is_ok());
        assert!(asker.answer("https://h/x", None, CredentialType::USER_PASS_PLAINTEXT).is_err());
        assert!(matches!(asker.refusal, Some(Refusal::Refused { .. })));
        assert_eq!(asker.scrub("token wrong echoed"), "token •••••• echoed", "secrets never reach messages");
        drop(asker);
        assert_eq!(asked, 2);
    }

    #[test]
    fn ssh_asks_for_a_username_then_a_key() {
        let mut ask = |_: &str, _: Option<&str>, _: CredentialKinds| Credential::SshAgent { username: "git".into() };
        let mut asker = Asker { ask: &mut ask, tried: Vec::new(), refusal: None };
        assert!(asker.answer("ssh://h/x", None, CredentialType::USERNAME).is_ok());
        assert!(asker.answer("ssh://h/x", Some("git"), CredentialType::SSH_KEY).is_ok(), "a new kind, not a retry");
        assert!(
            asker.answer("ssh://h/x", Some("git"), CredentialType::SSH_KEY).is_err(),
            "the agent's keys were refused"
        );
    }
}
