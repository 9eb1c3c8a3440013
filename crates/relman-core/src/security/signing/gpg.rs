//! OpenPGP tag signatures through the `gpg` on the machine, made and checked the way git does it:
//! `gpg --status-fd=2 -bsau KEY` signs the tag's text on stdin; `gpg --status-fd=1 --verify SIG -`
//! checks it, and its status lines (GnuPG's `doc/DETAILS`) say how it went. Whose key it is, is the
//! keyring's answer: a key gpg holds as fully or ultimately valid (your own, or one you certified)
//! counts as the team's, as an allowed-signers entry does for SSH.

use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use super::SignerTrust;
use crate::{Error, Result};

/// The gpg git would run: `gpg.openpgp.program`, else `gpg.program`, else `gpg` on the PATH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gpg {
    program: PathBuf,
}

/// A secret key gpg can sign with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpgKey {
    /// The primary key's fingerprint, 40 hex digits.
    pub fingerprint: String,
    /// Its first user id, `Priya Release <priya@example.com>`.
    pub uid: String,
}

/// What `gpg --verify` said about a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It verifies. `expired`: the key has expired since (gpg's `EXPKEYSIG`).
    Good { fingerprint: Option<String>, uid: String, trust: SignerTrust, expired: bool },
    /// It does not verify over the tag's text (`BADSIG`), or the key is revoked (`REVKEYSIG`).
    Bad { key: String, reason: String },
    /// gpg could not check it: the key is not in the keyring, or gpg is not there to ask.
    Unchecked { key: Option<String>, reason: String },
}

impl Default for Gpg {
    /// The program from the user's git configuration (global and system), else `gpg`.
    fn default() -> Self {
        git2::Config::open_default().map(|config| Self::from_config(&config)).unwrap_or_else(|_| Gpg::named("gpg"))
    }
}

impl Gpg {
    pub fn named(program: impl Into<PathBuf>) -> Self {
        Gpg { program: program.into() }
    }

    /// The program a git configuration (a clone's, with the user's underneath) names for OpenPGP.
    pub fn from_config(config: &git2::Config) -> Self {
        ["gpg.openpgp.program", "gpg.program"]
            .iter()
            .find_map(|name| config.get_path(name).ok())
            .map(Gpg::named)
            .unwrap_or_else(|| Gpg::named("gpg"))
    }

    /// The program `repo`'s git configuration (the clone's, with the user's underneath) names.
    pub fn for_repo(repo: &crate::git::Repo) -> Self {
        repo.git().config().map(|config| Self::from_config(&config)).unwrap_or_default()
    }

    fn run<S: AsRef<OsStr>>(&self, args: &[S], input: &[u8]) -> std::io::Result<Output> {
        let mut child = Command::new(&self.program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // gpg may stop reading early (a bad option); its exit status says why, not a broken pipe.
        let _ = stdin.write_all(input);
        drop(stdin);
        child.wait_with_output()
    }

    fn not_runnable(&self, e: &std::io::Error) -> String {
        format!("{} cannot be run ({e}); install GnuPG, or point git's gpg.program at it", self.program.display())
    }

    /// The secret key `key` names (a fingerprint, key id or email, as `user.signingkey` takes it).
    pub fn secret_key(&self, key: &str) -> Result<GpgKey> {
        let listed = self
            .run(&["--batch", "--with-colons", "--list-secret-keys", "--", key], b"")
            .map_err(|e| Error::invalid_field("signing_key", format!("{}.", self.not_runnable(&e))))?;
        let text = String::from_utf8_lossy(&listed.stdout);
        let mut fingerprint = None;
        let mut uid = None;
        let mut keys = 0;
        for fields in text.lines().map(|line| line.split(':').collect::<Vec<_>>()) {
            match fields.first().copied() {
                Some("sec") => keys += 1,
                Some("fpr") if keys == 1 && fingerprint.is_none() => fingerprint = fields.get(9).map(|f| f.to_string()),
                Some("uid") if keys == 1 && uid.is_none() => uid = fields.get(9).map(|u| unescape(u)),
                _ => {}
            }
        }
        match (keys, fingerprint) {
            (1, Some(fingerprint)) => Ok(GpgKey { fingerprint, uid: uid.unwrap_or_default() }),
            (0, _) | (_, None) => Err(Error::invalid_field(
                "signing_key",
                format!(
                    "gpg has no secret key \"{key}\" to sign with; list yours with gpg --list-secret-keys, or make one \
                     with gpg --quick-gen-key."
                ),
            )),
            (n, _) => Err(Error::invalid_field(
                "signing_key",
                format!("\"{key}\" names {n} of gpg's secret keys; give the fingerprint of the one to sign with."),
            )),
        }
    }

    /// Signs `payload` with `key` and returns the armored detached signature, as `git tag -s` does.
    pub fn sign(&self, key: &GpgKey, payload: &[u8]) -> Result<String> {
        let signed = self
            .run(&["--status-fd=2", "-bsau", &key.fingerprint], payload)
            .map_err(|e| Error::invalid_field("signing_key", format!("{}.", self.not_runnable(&e))))?;
        let status = String::from_utf8_lossy(&signed.stderr);
        if !signed.status.success() || !status.lines().any(|l| l.starts_with("[GNUPG:] SIG_CREATED ")) {
            let said = status.lines().filter(|l| !l.starts_with("[GNUPG:]")).collect::<Vec<_>>().join(" ");
            return Err(Error::invalid_field(
                "signing_key",
                format!(
                    "gpg did not sign with {} ({}); check that the key is usable (gpg --list-secret-keys) and that \
                     its passphrase was given.",
                    key.fingerprint,
                    said.trim()
                ),
            ));
        }
        String::from_utf8(signed.stdout)
            .map_err(|_| Error::invalid("gpg's signature is not text; nothing was written."))
    }

    /// Checks the detached `signature` over `payload`.
    pub fn verify(&self, payload: &[u8], signature: &[u8]) -> Verdict {
        let file = match tempfile::NamedTempFile::new().and_then(|mut f| f.write_all(signature).map(|_| f)) {
            Ok(file) => file,
            Err(e) => {
                return Verdict::Unchecked { key: None, reason: format!("cannot hand the signature to gpg ({e})") }
            }
        };
        let args = [OsStr::new("--status-fd=1"), OsStr::new("--verify"), file.path().as_os_str(), OsStr::new("-")];
        match self.run(&args, payload) {
            Ok(output) => read_status(&String::from_utf8_lossy(&output.stdout)),
            Err(e) => Verdict::Unchecked { key: None, reason: self.not_runnable(&e) },
        }
    }
}

/// Reads gpg's status lines for one signature.
pub(super) fn read_status(status: &str) -> Verdict {
    let mut good: Option<(String, bool)> = None;
    let mut fingerprint = None;
    let mut trust = SignerTrust::NotAllowed;
    for line in status.lines().filter_map(|l| l.strip_prefix("[GNUPG:] ")) {
        let (keyword, rest) = line.split_once(' ').unwrap_or((line, ""));
        let (key, uid) = rest.split_once(' ').unwrap_or((rest, ""));
        match keyword {
            "GOODSIG" => good = Some((uid.to_string(), false)),
            "EXPKEYSIG" => good = Some((uid.to_string(), true)),
            "BADSIG" => {
                return Verdict::Bad {
                    key: key.to_string(),
                    reason: "the tag was changed after it was signed, or the signature is forged".into(),
                }
            }
            "REVKEYSIG" => {
                return Verdict::Bad { key: key.to_string(), reason: format!("{uid}'s key is revoked") };
            }
            // The signing key's fingerprint, then (tenth field) the primary key's.
            "VALIDSIG" => {
                let fields: Vec<&str> = rest.split(' ').collect();
                fingerprint = fields.get(9).or(fields.first()).map(|f| f.to_string());
            }
            "TRUST_FULLY" | "TRUST_ULTIMATE" => trust = SignerTrust::Allowed,
            "NO_PUBKEY" => {
                return Verdict::Unchecked {
                    key: Some(key.to_string()),
                    reason: format!(
                        "key {key} is not in your gpg keyring; import the signer's public key (gpg --import) to check it"
                    ),
                };
            }
            _ => {}
        }
    }
    match good {
        Some((uid, expired)) => Verdict::Good { fingerprint, uid, trust, expired },
        None => Verdict::Unchecked { key: None, reason: "gpg could not read the signature".into() },
    }
}

/// A `--with-colons` field, with gpg's `\x3a` escapes undone.
fn unescape(field: &str) -> String {
    field.replace("\\x3a", ":").replace("\\x5c", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpgs_status_lines_are_read_as_git_reads_them() {
        let good = "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG CBCFF19EE733EF86 Priya <priya@example.com>\n\
                    [GNUPG:] VALIDSIG 1111 2026-12-02 1796219562 0 4 0 22 8 00 A385BD97\n[GNUPG:] TRUST_ULTIMATE 0 pgp\n";
        assert_eq!(
            read_status(good),
            Verdict::Good {
                fingerprint: Some("A385BD97".into()),
                uid: "Priya <priya@example.com>".into(),
                trust: SignerTrust::Allowed,
                expired: false
            }
        );
        let unknown = "[GNUPG:] GOODSIG AB Sam <s@x>\n[GNUPG:] VALIDSIG FF\n[GNUPG:] TRUST_UNDEFINED 0 pgp\n";
        assert!(matches!(
            read_status(unknown),
            Verdict::Good { trust: SignerTrust::NotAllowed, fingerprint: Some(f), .. } if f == "FF"
        ));
        assert!(matches!(read_status("[GNUPG:] BADSIG AB Sam <s@x>\n"), Verdict::Bad { .. }));
        assert!(
            matches!(read_status("[GNUPG:] REVKEYSIG AB Sam <s@x>\n"), Verdict::Bad { reason, .. } if reason.contains("revoked"))
        );
        assert!(matches!(
            read_status("[GNUPG:] ERRSIG AB 22 8 00 1 9 FF\n[GNUPG:] NO_PUBKEY AB\n"),
            Verdict::Unchecked { key: Some(k), .. } if k == "AB"
        ));
        assert!(matches!(read_status(""), Verdict::Unchecked { key: None, .. }));
    }
}
