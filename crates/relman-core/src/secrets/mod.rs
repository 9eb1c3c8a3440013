//! Secrets: tokens and passwords for git remotes. They live in the operating system's keyring, never in
//! the database, logs, exports, audit events, error messages or the UI after entry. [`Secret`] is the
//! only type that holds one, and it will not print itself.

use std::fmt;

/// A token or password. `Debug` and `Display` print a placeholder; [`Secret::expose`] is the one way
/// to the value, for the keyring and the git credentials callback.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("••••••")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let secret = Secret::new("ghp_abc123");
        assert!(!format!("{secret:?} {secret} {:?}", Some(&secret)).contains("abc123"), "not in Debug or Display");
        assert_eq!(secret.expose(), "ghp_abc123");
    }
}
