//! Which credential: a remote host and a username. People paste whole URLs into a "host" field, so
//! [`CredentialKey::new`] takes what they paste and keeps only the part a credential belongs to.

use std::fmt;
use std::net::Ipv6Addr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// Where a credential is kept: per remote host and username.
///
/// `host` is lower case, without scheme, user or path, and keeps a port only when one was written
/// (`github.com`, `git.example.com:8443`, `[::1]:3000`). Build keys with [`CredentialKey::new`]; the
/// stores normalize a key again before use, so one that arrives over IPC with `GitHub.com` still
/// finds the token saved under `github.com`.
///
/// `username` may be empty: it then stands for "no username of my own", and the push uses the
/// username in the remote's URL, or a default when the URL has none (hosts that take a personal
/// access token as the password ignore the username).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct CredentialKey {
    pub host: String,
    pub username: String,
}

impl CredentialKey {
    /// Checks and normalizes a host (or a pasted URL) and a username.
    ///
    /// `https://Alice@GitHub.com/org/repo.git` becomes the host `github.com`; the URL's own
    /// username is dropped, not used, so what is stored is exactly what the form shows.
    pub fn new(host: &str, username: &str) -> Result<Self> {
        Ok(CredentialKey { host: normalize_host(host)?, username: normalize_username(username)? })
    }

    /// The same key in normal form, or the reason it cannot be one.
    pub(crate) fn normalized(&self) -> Result<Self> {
        CredentialKey::new(&self.host, &self.username)
    }
}

/// `alice@github.com`, or just `github.com` without a username: how messages name a credential.
impl fmt::Display for CredentialKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.username.is_empty() {
            f.write_str(&self.host)
        } else {
            write!(f, "{}@{}", self.username, self.host)
        }
    }
}

const HOST_EXAMPLE: &str = "such as github.com or git.example.com:8443, or paste the repository's URL";

fn invalid_host(problem: &str) -> Error {
    Error::invalid_field("host", format!("{problem} Type the remote's host name, {HOST_EXAMPLE}."))
}

fn normalize_host(input: &str) -> Result<String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(invalid_host("The host is empty."));
    }
    if text.chars().any(char::is_whitespace) {
        return Err(invalid_host("The host contains a space."));
    }
    let text = text.to_ascii_lowercase();
    let (has_scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => {
            let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if !scheme_ok {
                return Err(invalid_host("The text before \"://\" is not a URL scheme."));
            }
            (true, rest)
        }
        None => (false, text.as_str()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // A pasted URL can carry `user@` or even `user:token@`. Drop it, and never quote it back in a
    // message below: only the part after the last `@` is ever shown.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if authority.is_empty() {
        return Err(invalid_host("There is no host name in what was typed."));
    }

    let (host, port) = split_port(authority, has_scheme)?;
    let host = check_host_name(host)?;
    Ok(match port {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// Splits `host:port`, `[v6]:port` and scp-style `host:path` (what `git@github.com:org/repo.git` is
/// after the path cut; its part after `:` is a path, not a port).
fn split_port(authority: &str, has_scheme: bool) -> Result<(&str, Option<u16>)> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let Some((address, after)) = inner.split_once(']') else {
            return Err(invalid_host("The IPv6 address has no closing \"]\"."));
        };
        if address.parse::<Ipv6Addr>().is_err() {
            return Err(invalid_host(&format!("\"[{address}]\" is not an IPv6 address.")));
        }
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => return Err(invalid_host(&format!("\"{after}\" after the IPv6 address is not a port."))),
        };
        (&authority[..address.len() + 2], port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if !has_scheme && !port.chars().all(|c| c.is_ascii_digit()) => (host, None),
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(port) => match port.parse::<u16>() {
            Ok(number) if number > 0 => Some(number),
            _ => return Err(invalid_host(&format!("\"{port}\" is not a port number (1 to 65535)."))),
        },
    };
    Ok((host, port))
}

/// A DNS name, an IPv4 address or a bracketed IPv6 address, without a trailing dot.
fn check_host_name(host: &str) -> Result<String> {
    if host.starts_with('[') {
        return Ok(host.to_string());
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return Err(invalid_host("There is no host name in what was typed."));
    }
    if !host.is_ascii() {
        return Err(invalid_host(&format!(
            "\"{host}\" has non-ASCII letters; write it in its ASCII form (the one that starts with xn--)."
        )));
    }
    if host.contains(':') {
        return Err(invalid_host(&format!("\"{host}\" is not a host name; put an IPv6 address in brackets.")));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    };
    if host.len() > 253 || !host.split('.').all(label_ok) {
        return Err(invalid_host(&format!("\"{host}\" is not a valid host name.")));
    }
    Ok(host.to_string())
}

fn normalize_username(input: &str) -> Result<String> {
    let username = input.trim();
    if username.chars().any(char::is_control) {
        return Err(Error::invalid_field(
            "username",
            "The username contains a control character (a tab or a line break). Type it on one line.",
        ));
    }
    // HTTP basic authentication, which git uses for tokens, cannot carry a `:` in the username.
    if username.contains(':') {
        return Err(Error::invalid_field(
            "username",
            "The username contains \":\", which git cannot send. Type only the username; the token goes in \
             its own field.",
        ));
    }
    Ok(username.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(input: &str) -> String {
        match CredentialKey::new(input, "") {
            Ok(key) => key.host,
            Err(error) => panic!("{input:?} should be accepted, got: {error}"),
        }
    }

    fn host_error(input: &str) -> Error {
        match CredentialKey::new(input, "alice") {
            Ok(key) => panic!("{input:?} should be refused, got the host {:?}", key.host),
            Err(error) => error,
        }
    }

    #[test]
    fn a_pasted_url_becomes_its_host() {
        assert_eq!(host("https://github.com/org/repo.git"), "github.com", "scheme and path dropped");
        assert_eq!(host("  HTTPS://GitHub.COM/Org/Repo  "), "github.com", "lower case, trimmed");
        assert_eq!(host("https://alice@gitlab.example.org/x"), "gitlab.example.org", "the URL's user dropped");
        assert_eq!(host("git@github.com:org/repo.git"), "github.com", "an scp-style remote gives its host");
        assert_eq!(host("ssh://git@github.com/org/repo"), "github.com");
        assert_eq!(host("github.com."), "github.com", "a trailing dot names the same host");
        assert_eq!(host("https://github.com?tab=repositories"), "github.com");
    }

    #[test]
    fn an_explicit_port_is_kept_because_it_is_another_server() {
        assert_eq!(host("127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(host("http://git.example.com:8443/org/repo"), "git.example.com:8443");
        assert_eq!(host("[::1]:3000"), "[::1]:3000");
        assert_eq!(host("https://[2001:db8::1]/repo"), "[2001:db8::1]");
        assert_eq!(host("https://github.com:/org"), "github.com", "an empty port is no port");
        assert_eq!(host("git.example.com:08443"), "git.example.com:8443", "one spelling per port");
    }

    #[test]
    fn hosts_that_cannot_be_a_remote_are_refused_with_what_to_type() {
        for input in ["", "   ", "git hub.com", "https://", "https:///org/repo", "-github.com", "a..b", "ht tp://x"] {
            let error = host_error(input);
            assert_eq!(error.field(), Some("host"), "the form shows {input:?}'s message beside the host field");
            assert!(error.to_string().contains("such as github.com"), "says what to type for {input:?}: {error}");
        }
        assert!(host_error("github.com:99999").to_string().contains("\"99999\" is not a port number"));
        assert!(host_error("https://github.com:abc/x").to_string().contains("\"abc\" is not a port number"));
        assert!(host_error("::1").to_string().contains("brackets"), "bare IPv6 is explained");
        assert!(host_error("gitlab.bücher.de").to_string().contains("xn--"), "IDN hosts are explained");
    }

    #[test]
    fn a_token_pasted_inside_a_url_is_never_echoed() {
        let error = host_error("https://alice:ghp_SECRET123@bad_host!/org/repo");
        let message = error.to_string().to_lowercase();
        assert!(!message.contains("ghp_secret123"), "the message must not repeat the token: {message}");
        assert!(message.contains("bad_host!"), "it names the part that is wrong: {message}");
    }

    #[test]
    fn usernames_are_trimmed_may_be_empty_and_refuse_what_git_cannot_send() {
        let key = CredentialKey::new("github.com", "  Alice ").unwrap();
        assert_eq!(key.username, "Alice", "trimmed, case kept: usernames can be case-sensitive");
        assert_eq!(key.to_string(), "Alice@github.com");
        let key = CredentialKey::new("github.com", "").unwrap();
        assert_eq!(key.to_string(), "github.com", "an empty username is allowed and not shown");
        let key = CredentialKey::new("dev.azure.com", "alice@example.com").unwrap();
        assert_eq!(key.username, "alice@example.com", "e-mail usernames are real on some hosts");
        for bad in ["alice:token", "ali\tce"] {
            let error = CredentialKey::new("github.com", bad).unwrap_err();
            assert_eq!(error.field(), Some("username"), "{bad:?} is refused beside the username field");
        }
    }

    #[test]
    fn a_key_from_ipc_is_normalized_the_same_way() {
        let raw = CredentialKey { host: "HTTPS://GitHub.com/org".into(), username: " alice ".into() };
        assert_eq!(raw.normalized().unwrap(), CredentialKey::new("github.com", "alice").unwrap());
    }
}
