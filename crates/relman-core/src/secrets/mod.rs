//! Secrets: tokens and passwords for git remotes. They live in the operating system's keyring, never in
//! the database, logs, exports, audit events, error messages or the UI after entry. [`Secret`] is the
//! only type that holds one, and it will not print itself.
//!
//! How the pieces fit:
//! - [`CredentialKey`] names a credential: a remote host (normalized from whatever was pasted, URL or
//!   not) and a username.
//! - [`SecretStore`] is what the rest of Relman uses: `set`, `get`, `delete`, and `check` for the
//!   Settings view's honest "keyring: available / not reachable because …". It is a trait so the app
//!   can fall back when the keyring is unavailable, and so callers can be tested without one.
//! - [`KeyringStore`] keeps secrets in the OS keyring through `keyring-core`: the Secret Service
//!   (gnome-keyring, KWallet) over D-Bus on Linux, the login keychain on macOS, the Credential
//!   Manager on Windows. Each credential is one entry under the service [`KEYRING_SERVICE`] with the
//!   user `{username}@{host}`. Its calls block (D-Bus round trips, perhaps an unlock prompt), so the
//!   app runs them off the UI thread.
//! - [`MemoryStore`] keeps them in this process only: "use for this session only", and tests.
//!
//! Failures: a keyring that cannot be used now (no D-Bus, no Secret Service, locked, unlock dismissed)
//! is [`ErrorCode::KeyringUnavailable`](crate::ErrorCode::KeyringUnavailable), whose message says what
//! to start or unlock; the UI offers the session-only store then. Bad input is `invalid_input` with
//! the field (`host`, `username`, `secret`); an entry Relman cannot read (written by another program,
//! or duplicated) is `conflict`, and deleting the credential clears it. No message ever contains a
//! secret's value.
//!
//! To add a platform: add its `keyring-core` store crate under a `[target.'cfg(…)'.dependencies]`
//! table in this crate's `Cargo.toml` and a `platform_store` function for it in `keyring.rs` (until
//! then the platform gets a `keyring_unavailable` error that says its keyring is not built in). Its
//! failures read as "The keyring failed: <the platform's reason>" until a `classify` for it tells
//! locked from missing, as the Linux one does with the Secret Service's errors. macOS (login
//! keychain) and Windows (Credential Manager) are wired this way but have not yet been built or
//! tested on those systems; the keyring tests run on Linux against gnome-keyring.

use std::fmt;

pub mod index;
mod key;
mod keyring;
mod memory;
mod vault;

pub use index::CredentialInfo;
pub use key::CredentialKey;
pub use keyring::{KeyringStore, KEYRING_SERVICE};
pub use memory::MemoryStore;
pub use vault::{Removed, Stored, Vault};

use crate::{Error, Result};

/// Where Relman keeps secrets. Keys are normalized again on every call, so a key deserialized from
/// the UI behaves like one built with [`CredentialKey::new`].
pub trait SecretStore: Send + Sync {
    /// Stores the secret for the key, replacing any earlier one. An empty secret is refused.
    fn set(&self, key: &CredentialKey, secret: &Secret) -> Result<()>;
    /// The secret stored for the key, or `None` when there is none.
    fn get(&self, key: &CredentialKey) -> Result<Option<Secret>>;
    /// Removes the key's secret; true when something was deleted.
    fn delete(&self, key: &CredentialKey) -> Result<bool>;
    /// Whether the store can be reached now (for the Settings view's honest status); Err with the reason.
    fn check(&self) -> Result<()>;
}

/// Refuses a secret no remote would accept, before it reaches a store.
fn check_secret(key: &CredentialKey, secret: &Secret) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::invalid_field(
            "secret",
            format!("The token for {key} is empty. Paste the token or password the remote gave you."),
        ));
    }
    Ok(())
}

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
