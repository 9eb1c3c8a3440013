//! Signed release tags, in git's `ssh` signature format, and the check of a tag's signature that the
//! release view shows ("signed by priya@example.com (SHA256:…)").
//!
//! How the pieces fit:
//! - [`TagSigner`] (`signer.rs`) holds the release manager's key: a private key file (decrypted with
//!   a passphrase passed in, never stored) or a key in ssh-agent. [`prepare_signer`] +
//!   [`SignerJob::load`] find the key as Relman and git would: `--key`, else the Settings' signing
//!   key (per machine), else git's `user.signingkey` when `gpg.format` is `ssh`, else the agent's
//!   only key.
//! - [`create_signed_tag`] writes the tag object with the signature appended to its message, as
//!   `git tag -s` does (through [`Repo::create_tag_signed_by`]), and
//!   [`tagging::create_signed`](crate::tagging::create_signed) records it on the release.
//! - [`verify_tag`] (`verify.rs`) checks a tag: the key inside the signature must verify the bytes
//!   before it; whether the team trusts that key is the allowed-signers file's answer (`allowed.rs`,
//!   git's `gpg.ssh.allowedSignersFile`).
//! - [`prepare`] + [`SignatureJob::run`]: the release's tag, the previous release's tag and the
//!   release tags on the range's commits (its release candidates), checked, for the release view;
//!   [`check_release_tag`], the release's own tag alone, for the deploy gate.
//!
//! OpenPGP signatures go through the machine's `gpg` (`gpg.rs`), as git's do: a key named `gpg:KEY`
//! (in Settings, `--key`, or git's `user.signingkey` with `gpg.format` unset or `openpgp`) signs
//! with `gpg -bsau`, and an OpenPGP-signed tag is checked with `gpg --verify`, the keyring's validity
//! standing in for the allowed-signers file. X.509 signatures are recognised and reported as not
//! checked by Relman (`git tag -v` checks them).

mod allowed;
mod gpg;
mod signer;
mod verify;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use ssh_key::public::KeyData;
use ssh_key::HashAlg;
use ts_rs::TS;

pub use allowed::{AllowedSigner, AllowedSigners};
pub use gpg::{Gpg, GpgKey};
pub use signer::{agent_socket_from_env, TagSigner};
pub use verify::verify_tag;

use crate::git::{RangeOptions, Repo, TagPlan};
use crate::notes;
use crate::secrets::Secret;
use crate::stamp::Stamp;
use crate::store::Store;
use crate::{settings, Error, Result};

/// The sshsig namespace git signs and verifies tags and commits in.
pub const NAMESPACE: &str = "git";

/// How a signing key names a gpg key rather than an SSH key file: `gpg:priya@example.com`,
/// `gpg:A385BD97…` (what gpg's `--local-user` takes).
pub const GPG_PREFIX: &str = settings::GPG_KEY_PREFIX;

/// Sets the Settings' signing key (see [`settings::set_signing_key`]); a gpg key must be one of the
/// user's gpg secret keys, and is kept as `gpg:` and its fingerprint, so it names one key for good.
pub fn use_signing_key(store: &mut Store, stamp: &Stamp, key: Option<&str>) -> Result<()> {
    match key.map(str::trim).and_then(|k| k.strip_prefix(GPG_PREFIX)) {
        Some(id) => {
            let signer = TagSigner::from_gpg(Gpg::default(), id)?;
            settings::set_signing_key(store, stamp, Some(&format!("{GPG_PREFIX}{}", signer.fingerprint())))
        }
        None => settings::set_signing_key(store, stamp, key),
    }
}

/// A tag's signature as Relman checked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TagSignature {
    pub tag: String,
    pub state: SignatureState,
    /// The signing key's SHA-256 fingerprint as `ssh-keygen -l` prints it (`SHA256:…`), when the
    /// signature could be read far enough to name its key.
    pub fingerprint: Option<String>,
    /// The principals the allowed-signers file lists for the key (`priya@example.com`).
    pub principal: Option<String>,
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…
    pub key_type: Option<String>,
    /// One line for a person: "signed by priya@example.com (SHA256:…)", "unsigned", "bad signature: …".
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "TagSignatureState")]
pub enum SignatureState {
    /// The signature verifies; `trust` says whether the team's list names the key.
    Signed {
        trust: SignerTrust,
    },
    Unsigned,
    /// There is a signature and it does not verify: the tag was changed, or the block is damaged.
    Bad {
        reason: String,
    },
    /// An OpenPGP or X.509 signature (`format`: `openpgp`, `x509`), which Relman does not check.
    Unchecked {
        format: String,
    },
}

/// Whether a key that verifies is one the team trusts. Anyone can make a key, so a good signature by
/// an unknown key says only that the tag is unchanged since someone signed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignerTrust {
    /// The allowed-signers file lists the key for git at the tag's time.
    Allowed,
    /// There is an allowed-signers file and it does not list the key.
    NotAllowed,
    /// No allowed-signers file is configured (git's `gpg.ssh.allowedSignersFile`).
    NoAllowedSigners,
}

impl TagSignature {
    fn new(tag: &str, state: SignatureState, key: Option<&KeyData>, principal: Option<String>) -> Self {
        let fingerprint = key.map(fingerprint_of);
        let shown = fingerprint.as_deref().map(|f| format!(" ({f})")).unwrap_or_default();
        let summary = match &state {
            SignatureState::Signed { trust: SignerTrust::Allowed } => {
                format!("signed by {}{shown}", principal.as_deref().unwrap_or("an allowed signer"))
            }
            SignatureState::Signed { trust: SignerTrust::NotAllowed } => {
                format!("signed by a key not in the allowed signers{shown}")
            }
            SignatureState::Signed { trust: SignerTrust::NoAllowedSigners } => {
                format!("signed{shown}; no allowed signers file to say whose key it is")
            }
            SignatureState::Unsigned => "unsigned".into(),
            SignatureState::Bad { reason } => format!("bad signature{shown}: {reason}"),
            SignatureState::Unchecked { format } => {
                format!("signed with {format}, which Relman does not check; run git tag -v {tag}")
            }
        };
        TagSignature {
            tag: tag.to_string(),
            state,
            fingerprint,
            principal,
            key_type: key.map(|k| k.algorithm().as_str().to_string()),
            summary,
        }
    }

    /// What gpg said about an OpenPGP signature, in the same terms as an SSH one: a key the keyring
    /// holds as fully valid is the team's; an expired one is not.
    fn from_gpg(tag: &str, verdict: gpg::Verdict) -> Self {
        let openpgp = Some("openpgp".to_string());
        let (state, fingerprint, principal, summary) = match verdict {
            gpg::Verdict::Good { fingerprint, uid, trust, expired } => {
                let shown = fingerprint.as_deref().map(|f| format!(" (gpg {f})")).unwrap_or_default();
                let (trust, summary) = match (trust, expired) {
                    (_, true) => (SignerTrust::NotAllowed, format!("signed by {uid}{shown}, whose gpg key has expired")),
                    (SignerTrust::Allowed, false) => (trust, format!("signed by {uid}{shown}")),
                    (_, false) => (
                        SignerTrust::NotAllowed,
                        format!(
                            "signed by {uid}{shown}, a gpg key your keyring does not hold as valid: once you know                              whose it is, certify it (gpg --lsign-key {})",
                            fingerprint.as_deref().unwrap_or("KEY")
                        ),
                    ),
                };
                (SignatureState::Signed { trust }, fingerprint, Some(uid), summary)
            }
            gpg::Verdict::Bad { key, reason } => {
                let summary = format!("bad signature (gpg key {key}): {reason}");
                (SignatureState::Bad { reason }, Some(key), None, summary)
            }
            gpg::Verdict::Unchecked { key, reason } => {
                let summary = format!("signed with openpgp, not checked: {reason}");
                (SignatureState::Unchecked { format: "openpgp".into() }, key, None, summary)
            }
        };
        TagSignature { tag: tag.to_string(), state, fingerprint, principal, key_type: openpgp, summary }
    }

    fn unsigned(tag: &str, detail: &str) -> Self {
        let mut unsigned = Self::new(tag, SignatureState::Unsigned, None, None);
        unsigned.summary = format!("unsigned ({detail})");
        unsigned
    }
}

/// Creates the planned tag signed by `signer` and returns the tag object's SHA: [`Repo::create_tag`]
/// with the signature git's `tag -s` makes with `gpg.format=ssh`.
pub fn create_signed_tag(repo: &Repo, plan: &TagPlan, when: DateTime<Utc>, signer: &TagSigner) -> Result<String> {
    repo.create_tag_signed_by(plan, when, |payload| signer.sign_payload(payload))
}

/// `SHA256:…`, as `ssh-keygen -l` prints it.
pub(crate) fn fingerprint_of(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The allowed-signers file git's configuration names for `repo` (`gpg.ssh.allowedSignersFile`, a
/// relative path taken from the clone's folder), read; None when none is configured.
pub fn allowed_signers_of(repo: &Repo) -> Result<Option<(PathBuf, AllowedSigners)>> {
    let Ok(config) = repo.git().config() else { return Ok(None) };
    let Ok(path) = config.get_path("gpg.ssh.allowedSignersFile") else { return Ok(None) };
    let path = if path.is_relative() { repo.path().join(path) } else { path };
    let signers = AllowedSigners::read(&path)?;
    Ok(Some((path, signers)))
}

/// git's own signing key for `repo`, as git's `tag -s` would use it: `user.signingkey` is an SSH key
/// when `gpg.format` is `ssh`, and a gpg key (returned as `gpg:KEY`) when it is unset or `openpgp`.
/// None with no key set, or for `x509`, which Relman does not sign with.
pub fn git_signing_key(repo: &Repo) -> Option<String> {
    let config = repo.git().config().ok()?;
    let key = config.get_string("user.signingkey").ok().map(|k| k.trim().to_string()).filter(|k| !k.is_empty())?;
    let format = config.get_string("gpg.format").map(|f| f.trim().to_ascii_lowercase()).unwrap_or_default();
    match format.as_str() {
        "ssh" => Some(key),
        "" | "openpgp" => Some(format!("{GPG_PREFIX}{key}")),
        _ => None,
    }
}

/// Which key signs a release's tag, read from the database; [`SignerJob::load`] reads the key.
pub struct SignerJob {
    /// `--key` or the Settings' signing key, if either is set.
    key: Option<String>,
    repository: String,
}

/// `key` (a path, or `key::…`) when given, else the Settings' signing key; git's `user.signingkey`
/// and the agent come in at [`SignerJob::load`].
pub fn prepare_signer(store: &Store, release_id: i64, key: Option<&str>) -> Result<SignerJob> {
    let range = notes::release_range(store, release_id, RangeOptions::default())?;
    let key = match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(key) => Some(key.to_string()),
        None => settings::signing_key(store)?,
    };
    Ok(SignerJob { key, repository: range.repository })
}

impl SignerJob {
    /// Reads the key (and decrypts it with `passphrase` when it is protected), or finds it in the
    /// ssh-agent at `agent`. Slow for a protected key (its passphrase is stretched on purpose), so
    /// the app runs it off the UI thread, with no database held.
    /// A gpg key signs through the gpg the clone's git configuration names.
    pub fn load(self, passphrase: Option<&Secret>, agent: Option<&Path>) -> Result<TagSigner> {
        let repo = || Repo::open(Path::new(&self.repository));
        let key = match self.key {
            Some(key) => Some(key),
            None => git_signing_key(&repo()?),
        };
        if let Some(id) = key.as_deref().and_then(|k| k.strip_prefix(GPG_PREFIX)) {
            return TagSigner::from_gpg(Gpg::for_repo(&repo()?), id);
        }
        TagSigner::load(key.as_deref(), passphrase, agent)
    }
}

/// The signatures the release view shows: its own tag's, the previous release tag's and those of
/// the release tags on its range's commits.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReleaseSignatures {
    pub release_id: i64,
    /// The release's tag name, from the product's pattern.
    pub tag: String,
    /// None while the tag is not in the clone.
    pub signature: Option<TagSignature>,
    /// The release tag the range starts from, when it starts from one.
    pub previous_tag: Option<String>,
    pub previous: Option<TagSignature>,
    /// The other release tags on the range's commits (release candidates, a re-tag), oldest first.
    pub in_range: Vec<TagSignature>,
    /// The allowed-signers file the keys were checked against, if the repository configures one.
    pub allowed_signers: Option<String>,
}

/// The release's own tag as the deploy gate looks at it: its signature (None while the clone has no
/// such tag) and the commit it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTagCheck {
    pub tag: String,
    pub signature: Option<TagSignature>,
    pub commit: Option<String>,
}

/// Checks the release's tag in its clone (`repo`, opened by the caller) against the repository's
/// allowed signers, and reads the commit it names: no walk, so a gate can ask it on every move.
/// Errors when the allowed-signers file cannot be read.
pub(crate) fn check_release_tag(repo: &Repo, range: &notes::ReleaseRange) -> Result<ReleaseTagCheck> {
    let allowed = allowed_signers_of(repo)?;
    let tag = range.pattern.tag_name(&range.release.version);
    let signature = verify_if_there(repo, &tag, allowed.as_ref().map(|(_, signers)| signers))?;
    let commit =
        signature.as_ref().and_then(|_| repo.resolve(&format!("refs/tags/{tag}")).ok()).map(|oid| oid.to_string());
    Ok(ReleaseTagCheck { tag, signature, commit })
}

/// [`verify_tag`], with None for a tag the clone does not have (not made yet, or not fetched).
fn verify_if_there(repo: &Repo, tag: &str, signers: Option<&AllowedSigners>) -> Result<Option<TagSignature>> {
    match verify_tag(repo, tag, signers) {
        Ok(signature) => Ok(Some(signature)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What checking a release's tags needs, read from the database.
pub struct SignatureJob {
    release_id: i64,
    range: notes::ReleaseRange,
}

pub fn prepare(store: &Store, release_id: i64) -> Result<SignatureJob> {
    Ok(SignatureJob { release_id, range: notes::release_range(store, release_id, RangeOptions::default())? })
}

impl SignatureJob {
    /// Checks the release's tag, the previous release's and those on the range's commits; reads git
    /// only.
    pub fn run(self) -> Result<ReleaseSignatures> {
        let (repo, tags, walked) = self.range.walk_shipped()?;
        let allowed = allowed_signers_of(&repo)?;
        let signers = allowed.as_ref().map(|(_, signers)| signers);
        let tag = self.range.pattern.tag_name(&self.range.release.version);
        let signature = verify_if_there(&repo, &tag, signers)?;
        // The range may start from a branch or a SHA; only a tag has a signature to show.
        let previous_tag =
            walked.from.filter(|from| from != &tag && repo.git().find_reference(&format!("refs/tags/{from}")).is_ok());
        let previous = previous_tag.as_deref().map(|name| verify_tag(&repo, name, signers)).transpose()?;
        let mut in_range = Vec::new();
        for commit in walked.commits.iter().rev() {
            let Ok(oid) = git2::Oid::from_str(&commit.sha) else { continue };
            for found in tags.at(oid).filter(|t| t.name != tag && Some(&t.name) != previous_tag.as_ref()) {
                in_range.push(verify_tag(&repo, &found.name, signers)?);
            }
        }
        Ok(ReleaseSignatures {
            release_id: self.release_id,
            tag,
            signature,
            previous_tag,
            previous,
            in_range,
            allowed_signers: allowed.map(|(path, _)| path.display().to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    #[test]
    fn a_state_is_sent_to_the_ui_as_a_kind_and_its_details() {
        let signed = SignatureState::Signed { trust: SignerTrust::NotAllowed };
        assert_eq!(
            serde_json::to_value(&signed).unwrap(),
            serde_json::json!({ "kind": "signed", "trust": "not_allowed" })
        );
        let bad = SignatureState::Bad { reason: "changed".into() };
        assert_eq!(serde_json::to_value(&bad).unwrap(), serde_json::json!({ "kind": "bad", "reason": "changed" }));
        assert_eq!(
            SignatureState::name(&Default::default()),
            "TagSignatureState",
            "named apart from other states in TypeScript"
        );
    }

    #[test]
    fn an_ssh_signature_is_checked_and_any_other_is_named() {
        let pgp = b"object 0\ntype commit\ntag v1\ntagger T <t@x> 0 +0000\n\nm\n-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n";
        let no_gpg = Gpg::named("/nonexistent/gpg");
        let checked = verify::check("v1", pgp, None, None, &no_gpg);
        assert_eq!(checked.state, SignatureState::Unchecked { format: "openpgp".into() });
        assert!(checked.summary.contains("install GnuPG"), "{}", checked.summary);
        let damaged = b"object 0\n\nm\n-----BEGIN SSH SIGNATURE-----\nnot base64\n-----END SSH SIGNATURE-----\n";
        assert!(matches!(verify::check("v1", damaged, None, None, &no_gpg).state, SignatureState::Bad { .. }));
        let quoted = b"object 0\n\nSee -----BEGIN SSH SIGNATURE----- in the docs\n";
        assert_eq!(
            verify::check("v1", quoted, None, None, &no_gpg).state,
            SignatureState::Unsigned,
            "only a line that starts a block"
        );
    }
}
