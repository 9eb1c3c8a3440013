//! Verifying a tag's signature as git does for the `ssh` format: the signature is the last armored
//! block in the tag object's message, and what it signs is every byte before it. The key is the one
//! inside the signature; whether the team trusts that key is the allowed-signers file's answer.

use chrono::{DateTime, TimeZone, Utc};
use git2::ErrorCode as GitCode;
use ssh_key::SshSig;

use super::gpg::Gpg;
use super::{AllowedSigners, SignatureState, SignerTrust, TagSignature, NAMESPACE};
use crate::git::{other, Repo};
use crate::{Error, GitProblem, Result};

const SSH_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
/// The other armors git's `tag -v` knows: OpenPGP and X.509 (gpgsm).
const OTHER_BEGIN: [(&str, &str); 3] = [
    ("-----BEGIN PGP SIGNATURE-----", "openpgp"),
    ("-----BEGIN PGP MESSAGE-----", "openpgp"),
    ("-----BEGIN SIGNED MESSAGE-----", "x509"),
];

/// The signature of tag `name`. `allowed` is the team's allowed-signers file when one is configured;
/// without it a good signature is reported with its fingerprint as not checked against any list.
/// An OpenPGP signature is checked by the gpg the clone's git configuration names.
/// A tag that does not exist is [`Error::NotFound`].
pub fn verify_tag(repo: &Repo, name: &str, allowed: Option<&AllowedSigners>) -> Result<TagSignature> {
    let reference = match repo.git().find_reference(&format!("refs/tags/{name}")) {
        Ok(reference) => reference,
        Err(e) if matches!(e.code(), GitCode::NotFound | GitCode::InvalidSpec) => {
            return Err(Error::NotFound(format!(
                "Tag {name} is not in {}; fetch the tags (git fetch --tags) or create it.",
                repo.path().display()
            )))
        }
        Err(e) => return Err(other(e)),
    };
    let target = reference.target().ok_or_else(|| {
        Error::git(GitProblem::Other, format!("Tag {name} is a symbolic reference; it names no tag object."))
    })?;
    // A lightweight tag points straight at the commit: there is no tag object to carry a signature.
    let Ok(tag) = repo.git().find_tag(target) else {
        return Ok(TagSignature::unsigned(name, "a lightweight tag: it has no tag object to sign"));
    };
    let tagged_at = tag.tagger().and_then(|t| Utc.timestamp_opt(t.when().seconds(), 0).single());
    let odb = repo.git().odb().map_err(other)?;
    let raw = odb.read(tag.id()).map_err(other)?;
    Ok(check(name, raw.data(), tagged_at, allowed, &Gpg::for_repo(repo)))
}

/// Checks a tag object's bytes: where the armored signature starts, what kind it is, and whether it
/// verifies over everything before it.
pub(super) fn check(
    name: &str,
    object: &[u8],
    tagged_at: Option<DateTime<Utc>>,
    allowed: Option<&AllowedSigners>,
    gpg: &Gpg,
) -> TagSignature {
    let Some((start, armor)) = signature_start(object) else {
        return TagSignature::unsigned(name, "no signature in the tag");
    };
    let (payload, armored) = object.split_at(start);
    if armor == "openpgp" {
        return TagSignature::from_gpg(name, gpg.verify(payload, armored));
    }
    if armor != "ssh" {
        return TagSignature::new(name, SignatureState::Unchecked { format: armor.to_string() }, None, None);
    }
    let signature = match SshSig::from_pem(armored) {
        Ok(signature) => signature,
        Err(e) => {
            let reason = format!("the signature block cannot be read ({e})");
            return TagSignature::new(name, SignatureState::Bad { reason }, None, None);
        }
    };
    let key = signature.public_key();
    if signature.namespace() != NAMESPACE {
        let reason = format!("signed for \"{}\", not for git", signature.namespace());
        return TagSignature::new(name, SignatureState::Bad { reason }, Some(key), None);
    }
    let public = ssh_key::PublicKey::new(key.clone(), "");
    if let Err(e) = public.verify(NAMESPACE, payload, &signature) {
        let reason = format!("the tag was changed after it was signed, or the signature is forged ({e})");
        return TagSignature::new(name, SignatureState::Bad { reason }, Some(key), None);
    }
    let (principal, trust) = match allowed {
        None => (None, SignerTrust::NoAllowedSigners),
        Some(allowed) => match allowed.principals_for(key, tagged_at) {
            Some(principals) => (Some(principals), SignerTrust::Allowed),
            None => (None, SignerTrust::NotAllowed),
        },
    };
    TagSignature::new(name, SignatureState::Signed { trust }, Some(key), principal)
}

/// Where the last armored signature starts (at a line's start), and its kind.
fn signature_start(object: &[u8]) -> Option<(usize, &'static str)> {
    let kinds = std::iter::once((SSH_BEGIN, "ssh")).chain(OTHER_BEGIN);
    let mut found: Option<(usize, &'static str)> = None;
    let mut at = 0;
    for line in object.split_inclusive(|b| *b == b'\n') {
        if let Some((_, kind)) = kinds.clone().find(|(begin, _)| line.starts_with(begin.as_bytes())) {
            found = Some((at, kind));
        }
        at += line.len();
    }
    found
}
