//! The key a release tag is signed with: a private key file read once (decrypted with a passphrase
//! the caller passes in, never stored), or a key held by ssh-agent, which signs without the key ever
//! leaving it. Either way the result is git's `ssh` signature: an sshsig in the namespace `git` over
//! the tag object's text, SHA-512, armored as `-----BEGIN SSH SIGNATURE-----`. Or a gpg secret key,
//! which gpg (and its agent, which asks for any passphrase) signs with, as `git tag -s` does.

use std::fmt;
use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::gpg::{Gpg, GpgKey, Verdict};
use super::{fingerprint_of, GPG_PREFIX, NAMESPACE};
use crate::secrets::Secret;
use crate::{Error, Result};

/// What signs a tag. Build it with [`TagSigner::load`] (what Settings, git's `user.signingkey` or
/// `--key` name), [`TagSigner::from_key_file`], [`TagSigner::from_agent`] or [`TagSigner::from_gpg`].
pub struct TagSigner {
    key: Held,
    /// Where the key came from, for messages: the file, or "ssh-agent".
    source: String,
}

enum Held {
    File(Box<PrivateKey>),
    Agent { socket: PathBuf, public: PublicKey },
    Gpg { gpg: Gpg, key: GpgKey },
}

impl fmt::Debug for TagSigner {
    /// The key's fingerprint and source only: a private key never prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TagSigner({} from {})", self.fingerprint(), self.source)
    }
}

impl TagSigner {
    /// The signer for `key`, as git's `user.signingkey` takes it: a path to a private key file, a path
    /// to a public key whose private half is in ssh-agent, or `key::ssh-ed25519 AAAA…` (a public key
    /// written out, also signed by the agent), or `gpg:KEY` for a gpg secret key (signed by the gpg of
    /// the user's git configuration). With no key, the agent's key, if it holds exactly one.
    /// `agent` is the agent's socket (`SSH_AUTH_SOCK`); an encrypted key file with no passphrase is
    /// signed by the agent when it holds that key.
    pub fn load(key: Option<&str>, passphrase: Option<&Secret>, agent: Option<&Path>) -> Result<Self> {
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else {
            let socket = agent.ok_or_else(|| {
                Error::invalid_field(
                    "signing_key",
                    "No signing key is set and ssh-agent is not running: choose your SSH key in Settings (or \
                     with --key FILE, or git config user.signingkey), or start ssh-agent and add it with ssh-add.",
                )
            })?;
            return Self::from_agent(socket, None);
        };
        if let Some(id) = key.strip_prefix(GPG_PREFIX) {
            return Self::from_gpg(Gpg::default(), id);
        }
        if let Some(literal) = key.strip_prefix("key::") {
            let public = PublicKey::from_openssh(literal.trim()).map_err(|e| {
                Error::invalid_field(
                    "signing_key",
                    format!("The signing key \"{key}\" is not an SSH public key ({e})."),
                )
            })?;
            return Self::from_agent(need_agent(agent, key)?, Some(public));
        }
        let path = expand_home(key);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::invalid_field(
                "signing_key",
                format!("Cannot read the signing key {}: {e}; choose an existing key file.", path.display()),
            )
        })?;
        if let Ok(public) = PublicKey::from_openssh(text.trim()) {
            return Self::from_agent(need_agent(agent, key)?, Some(public));
        }
        Self::from_key_text(&path, &text, passphrase, agent)
    }

    /// A private key file in OpenSSH's format; `passphrase` when it is encrypted.
    pub fn from_key_file(path: &Path, passphrase: Option<&Secret>, agent: Option<&Path>) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::invalid_field("signing_key", format!("Cannot read the signing key {}: {e}.", path.display()))
        })?;
        Self::from_key_text(path, &text, passphrase, agent)
    }

    fn from_key_text(path: &Path, text: &str, passphrase: Option<&Secret>, agent: Option<&Path>) -> Result<Self> {
        let shown = path.display();
        let key = PrivateKey::from_openssh(text).map_err(|e| {
            Error::invalid_field(
                "signing_key",
                format!(
                    "{shown} is not an OpenSSH private key ({e}); choose a key made by ssh-keygen (the file \
                     without .pub), or its .pub file when the key is in ssh-agent."
                ),
            )
        })?;
        let key = if !key.is_encrypted() {
            key
        } else {
            match passphrase.filter(|p| !p.expose().is_empty()) {
                Some(passphrase) => key.decrypt(passphrase.expose().as_bytes()).map_err(|_| {
                    Error::invalid_field("passphrase", format!("The passphrase for {shown} is wrong; try again."))
                })?,
                // The agent may hold it already, unlocked: git would sign with it there too.
                None => match agent.map(|socket| Self::from_agent(socket, Some(key.public_key().clone()))) {
                    Some(Ok(signer)) => return Ok(signer),
                    _ => {
                        return Err(Error::invalid_field(
                            "passphrase",
                            format!(
                                "{shown} is protected by a passphrase: add it to ssh-agent (ssh-add {shown}) or \
                                 give the passphrase (RELMAN_KEY_PASSPHRASE for the command line); Relman never \
                                 stores it."
                            ),
                        ))
                    }
                },
            }
        };
        Ok(TagSigner { key: Held::File(Box::new(key)), source: shown.to_string() })
    }

    /// A key held by the ssh-agent listening on `socket`: `public` when given (it must be there), else
    /// the agent's only key.
    pub fn from_agent(socket: &Path, public: Option<PublicKey>) -> Result<Self> {
        let mut client = agent_client(socket)?;
        let held = client.list_all_identities().map_err(|e| agent_error(socket, &e))?;
        let keys: Vec<PublicKey> = held
            .into_iter()
            .filter_map(|identity| match identity {
                ssh_agent_client_rs::Identity::PublicKey(key) => Some(key.into_owned()),
                ssh_agent_client_rs::Identity::Certificate(_) => None,
            })
            .collect();
        let public = match public {
            Some(wanted) => keys.into_iter().find(|k| k.key_data() == wanted.key_data()).ok_or_else(|| {
                Error::invalid_field(
                    "signing_key",
                    format!(
                        "ssh-agent does not hold the signing key {}; add it with ssh-add.",
                        fingerprint_of(wanted.key_data())
                    ),
                )
            })?,
            None => match <[PublicKey; 1]>::try_from(keys) {
                Ok([only]) => only,
                Err(keys) if keys.is_empty() => {
                    return Err(Error::invalid_field(
                        "signing_key",
                        "ssh-agent holds no key; add yours with ssh-add, or choose a key file.",
                    ))
                }
                Err(keys) => {
                    let listed: Vec<String> = keys.iter().map(|k| fingerprint_of(k.key_data())).collect();
                    return Err(Error::invalid_field(
                        "signing_key",
                        format!(
                            "ssh-agent holds {} keys ({}); choose the one to sign with: its .pub file in \
                             Settings, with --key, or in git config user.signingkey.",
                            keys.len(),
                            listed.join(", ")
                        ),
                    ));
                }
            },
        };
        Ok(TagSigner { key: Held::Agent { socket: socket.to_path_buf(), public }, source: "ssh-agent".into() })
    }

    /// gpg's secret key `id` (a fingerprint, key id or email), signed with by `gpg`.
    pub fn from_gpg(gpg: Gpg, id: &str) -> Result<Self> {
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::invalid_field(
                "signing_key",
                "gpg: names no key; write the key's fingerprint or email after it (gpg:priya@example.com).",
            ));
        }
        let key = gpg.secret_key(id)?;
        Ok(TagSigner { key: Held::Gpg { gpg, key }, source: "gpg".into() })
    }

    /// The SSH public key that signs; None for a gpg key.
    fn public_key(&self) -> Option<&PublicKey> {
        match &self.key {
            Held::File(key) => Some(key.public_key()),
            Held::Agent { public, .. } => Some(public),
            Held::Gpg { .. } => None,
        }
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it; a gpg key's 40-digit fingerprint.
    pub fn fingerprint(&self) -> String {
        match (&self.key, self.public_key()) {
            (Held::Gpg { key, .. }, _) => key.fingerprint.clone(),
            (_, Some(public)) => fingerprint_of(public.key_data()),
            (_, None) => unreachable!("an SSH signer has a public key"),
        }
    }

    /// The key's comment (often `name@host`), or a gpg key's user id; empty when it has none.
    pub fn comment(&self) -> &str {
        match (&self.key, self.public_key()) {
            (Held::Gpg { key, .. }, _) => &key.uid,
            (_, Some(public)) => public.comment(),
            (_, None) => "",
        }
    }

    /// Signs `payload` as git does for a tag and returns the armored signature, ending in a newline.
    /// The signature is checked before it is returned, so a key or agent that signs wrongly fails here
    /// rather than in a tag that never verifies.
    pub fn sign_payload(&self, payload: &[u8]) -> Result<String> {
        let (public, signature) = match &self.key {
            Held::Gpg { gpg, key } => return sign_with_gpg(gpg, key, payload),
            Held::File(key) => (
                key.public_key(),
                key.sign(NAMESPACE, HashAlg::Sha512, payload).map_err(|e| {
                    Error::invalid_field("signing_key", format!("Signing with {} failed: {e}.", self.source))
                })?,
            ),
            Held::Agent { socket, public } => {
                let signed = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, payload)
                    .map_err(|e| Error::invalid(format!("Preparing the signature failed: {e}.")))?;
                let raw = agent_client(socket)?.sign(public, &signed).map_err(|e| agent_error(socket, &e))?;
                let signature = SshSig::new(public.key_data().clone(), NAMESPACE, HashAlg::Sha512, raw)
                    .map_err(|e| Error::invalid(format!("ssh-agent's signature cannot be used: {e}.")))?;
                (public, signature)
            }
        };
        public.verify(NAMESPACE, payload, &signature).map_err(|e| {
            Error::invalid(format!("The signature from {} does not verify ({e}); nothing was written.", self.source))
        })?;
        let mut armored = signature
            .to_pem(LineEnding::LF)
            .map_err(|e| Error::invalid(format!("Writing the signature failed: {e}.")))?;
        if !armored.ends_with('\n') {
            armored.push('\n');
        }
        Ok(armored)
    }
}

/// gpg's detached signature over `payload`, checked by gpg before it is returned.
fn sign_with_gpg(gpg: &Gpg, key: &GpgKey, payload: &[u8]) -> Result<String> {
    let armored = gpg.sign(key, payload)?;
    match gpg.verify(payload, armored.as_bytes()) {
        Verdict::Good { .. } => Ok(armored),
        Verdict::Bad { reason, .. } | Verdict::Unchecked { reason, .. } => Err(Error::invalid(format!(
            "The signature gpg made with {} does not verify ({reason}); nothing was written.",
            key.fingerprint
        ))),
    }
}

/// `SSH_AUTH_SOCK` from the environment: for the adapters, which pass it to [`TagSigner::load`].
pub fn agent_socket_from_env() -> Option<PathBuf> {
    std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty()).map(PathBuf::from)
}

fn need_agent<'a>(agent: Option<&'a Path>, key: &str) -> Result<&'a Path> {
    agent.ok_or_else(|| {
        Error::invalid_field(
            "signing_key",
            format!(
                "The signing key {key} is a public key, so ssh-agent must hold its private half, but ssh-agent \
                 is not running (SSH_AUTH_SOCK is not set); start it and ssh-add the key, or choose the private \
                 key file."
            ),
        )
    })
}

fn agent_client(socket: &Path) -> Result<ssh_agent_client_rs::Client> {
    ssh_agent_client_rs::Client::connect(socket).map_err(|e| agent_error(socket, &e))
}

fn agent_error(socket: &Path, error: &ssh_agent_client_rs::Error) -> Error {
    let detail = match error {
        ssh_agent_client_rs::Error::AgentCommunicationError(io) => io.to_string(),
        ssh_agent_client_rs::Error::RemoteFailure => "it refused (a confirmation declined, or a locked agent)".into(),
        other => other.to_string(),
    };
    Error::invalid_field(
        "signing_key",
        format!(
            "ssh-agent at {} could not sign: {detail}. Check that ssh-agent runs (ssh-add -l), or choose a key file.",
            socket.display()
        ),
    )
}

/// `~/…` as git reads `user.signingkey`.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}
