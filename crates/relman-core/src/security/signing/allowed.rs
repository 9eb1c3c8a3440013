//! The team's allowed-signers file, in the format git's `gpg.ssh.allowedSignersFile` and
//! `ssh-keygen -Y verify` read (ssh-keygen(1), "ALLOWED SIGNERS"): one key a line,
//! `principal[,principal] [options] keytype base64 [comment]`, `#` comments and blank lines ignored.
//!
//! Options honoured: `namespaces="git,…"` (a key limited to other namespaces does not sign tags),
//! `valid-after` / `valid-before` (checked against the tagger's time, as git passes it). A
//! `cert-authority` line trusts certificates, which Relman does not verify; such lines are skipped.

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use ssh_key::public::KeyData;
use ssh_key::PublicKey;

use super::NAMESPACE;
use crate::{Error, Result};

/// One line of the file.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    /// As written: `priya@example.com` or `priya@example.com,release@example.com`.
    pub principals: String,
    key: KeyData,
    namespaces: Option<Vec<String>>,
    valid_after: Option<DateTime<Utc>>,
    valid_before: Option<DateTime<Utc>>,
}

/// The file's keys.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    signers: Vec<AllowedSigner>,
}

impl AllowedSigners {
    /// Reads the file; a line that cannot be read is an error naming it, since a team's trust list
    /// with a typo must not quietly trust less (or more) than it says.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::invalid_field(
                "allowed_signers",
                format!(
                    "Cannot read the allowed signers file {}: {e}; fix git's gpg.ssh.allowedSignersFile.",
                    path.display()
                ),
            )
        })?;
        Self::parse(&text).map_err(|(line, why)| {
            Error::invalid_field(
                "allowed_signers",
                format!("{} line {line}: {why}; correct the line as \"principal ssh-ed25519 AAAA…\".", path.display()),
            )
        })
    }

    /// Parses the file's text; an error is (line number, why).
    pub fn parse(text: &str) -> std::result::Result<Self, (usize, String)> {
        let mut signers = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(signer) = parse_line(line).map_err(|why| (index + 1, why))? {
                signers.push(signer);
            }
        }
        Ok(AllowedSigners { signers })
    }

    /// The principals that may sign tags with `key` at `when`, joined by commas; None when no line
    /// allows it.
    pub fn principals_for(&self, key: &KeyData, when: Option<DateTime<Utc>>) -> Option<String> {
        let found: Vec<&str> = self
            .signers
            .iter()
            .filter(|s| &s.key == key)
            .filter(|s| s.namespaces.as_ref().is_none_or(|n| n.iter().any(|n| n == NAMESPACE)))
            .filter(|s| match when {
                Some(when) => s.valid_after.is_none_or(|t| when >= t) && s.valid_before.is_none_or(|t| when < t),
                None => true,
            })
            .map(|s| s.principals.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join(","))
    }

    pub fn is_empty(&self) -> bool {
        self.signers.is_empty()
    }
}

/// One line; None for a line Relman cannot use but that is valid (a certificate authority).
fn parse_line(line: &str) -> std::result::Result<Option<AllowedSigner>, String> {
    let (principals, rest) = split_token(line);
    let principals = principals.trim_matches('"').to_string();
    let (next, after) = split_token(rest);
    if next.is_empty() {
        return Err("no key after the principals".into());
    }
    let (options, key_text) = if is_key_type(next) { ("", rest) } else { (next, after) };
    let (mut namespaces, mut valid_after, mut valid_before) = (None, None, None);
    for option in split_options(options) {
        let (name, value) = option.split_once('=').unwrap_or((option.as_str(), ""));
        let value = value.trim_matches('"');
        match name.to_ascii_lowercase().as_str() {
            "cert-authority" => return Ok(None),
            "namespaces" => namespaces = Some(value.split(',').map(|n| n.trim().to_string()).collect()),
            "valid-after" => valid_after = Some(parse_time(value)?),
            "valid-before" => valid_before = Some(parse_time(value)?),
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    let (key_type, after_type) = split_token(key_text);
    let (base64, _comment) = split_token(after_type);
    let key = PublicKey::from_openssh(&format!("{key_type} {base64}")).map_err(|e| {
        format!("\"{key_type} {}…\" is not an SSH public key ({e})", base64.get(..12).unwrap_or(base64))
    })?;
    Ok(Some(AllowedSigner { principals, key: key.key_data().clone(), namespaces, valid_after, valid_before }))
}

fn is_key_type(token: &str) -> bool {
    ["ssh-", "ecdsa-", "sk-"].iter().any(|p| token.starts_with(p))
}

/// The first whitespace-separated token (double quotes keep spaces in), and the rest.
fn split_token(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&text[..i], text[i..].trim_start()),
            _ => {}
        }
    }
    (text, "")
}

/// Options are comma-separated, with commas inside quotes kept (`namespaces="git,file"`).
fn split_options(options: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in options.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// `YYYYMMDD[HHMM[SS]][Z]`; without `Z` it is the machine's local time, as ssh-keygen reads it.
fn parse_time(text: &str) -> std::result::Result<DateTime<Utc>, String> {
    let wrong = || format!("\"{text}\" is not a time as YYYYMMDD or YYYYMMDDHHMM[SS], with Z for UTC");
    let (digits, utc) = text.strip_suffix(['Z', 'z']).map_or((text, false), |d| (d, true));
    let naive = match digits.len() {
        8 => NaiveDate::parse_from_str(digits, "%Y%m%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)),
        12 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M").ok(),
        14 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok(),
        _ => None,
    }
    .ok_or_else(wrong)?;
    if utc {
        Ok(Utc.from_utc_datetime(&naive))
    } else {
        chrono::Local.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc)).ok_or_else(wrong)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDrpyZCNRlVvF6n7CQtrj5kbxMaNxsSPIAmaGNWTMQ25";

    fn key() -> KeyData {
        PublicKey::from_openssh(KEY).unwrap().key_data().clone()
    }

    #[test]
    fn a_key_is_allowed_for_its_principals_within_its_namespaces_and_times() {
        let text = format!(
            "# the release managers\n\npriya@example.com {KEY} laptop\nrelease@example.com namespaces=\"git,file\" {KEY}\n\
             old@example.com valid-before=\"20200101Z\" {KEY}\nfiles@example.com namespaces=\"file\" {KEY}\n"
        );
        let signers = AllowedSigners::parse(&text).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        assert_eq!(
            signers.principals_for(&key(), Some(now)).as_deref(),
            Some("priya@example.com,release@example.com"),
            "an expired line and a line for other namespaces do not allow tags"
        );
        let back_then = Utc.with_ymd_and_hms(2019, 6, 1, 0, 0, 0).unwrap();
        assert!(signers.principals_for(&key(), Some(back_then)).unwrap().contains("old@example.com"));
    }

    #[test]
    fn a_line_that_cannot_be_read_is_named() {
        let (line, why) =
            AllowedSigners::parse(&format!("ok@example.com {KEY}\nbroken@example.com ssh-ed25519 AAAA\n")).unwrap_err();
        assert_eq!(line, 2, "{why}");
        let (_, why) = AllowedSigners::parse(&format!("a@example.com no-such-option {KEY}")).unwrap_err();
        assert!(why.contains("no-such-option"), "{why}");
        let ca = AllowedSigners::parse(&format!("*@example.com cert-authority {KEY}")).unwrap();
        assert!(ca.is_empty(), "certificate authorities are skipped, not trusted for plain keys");
    }
}
