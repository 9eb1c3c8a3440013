//! Saving, deleting and listing credentials: the one path both doors take. A credential is put in a
//! store first, with no database open (a keyring may wait on an unlock prompt for as long as the user
//! takes), and only then recorded in the database's list: [`Vault::put`] then [`Stored::record`].

use super::index::{self, CredentialInfo};
use super::{CredentialKey, MemoryStore, Secret, SecretStore};
use crate::store::Store;
use crate::{Result, Stamp};

/// Where one process keeps credentials: the OS keyring, and, in the app, memory for this session
/// only (for when no keyring can be reached and the user agrees).
pub struct Vault<'a> {
    pub keyring: &'a dyn SecretStore,
    pub session: Option<&'a MemoryStore>,
}

/// A credential a store accepted, to record in the database's list.
#[must_use = "record it, or the list in Settings will not show it"]
pub struct Stored {
    key: CredentialKey,
    in_keyring: bool,
}

impl Stored {
    /// Lists it (one audit event, no value) when it went to the keyring; a session-only one is not
    /// written down. Returns the key as stored (a pasted URL becomes its host).
    pub fn record(self, store: &mut Store, stamp: &Stamp) -> Result<CredentialKey> {
        if self.in_keyring {
            index::record_saved(store, stamp, &self.key)?;
        }
        Ok(self.key)
    }
}

/// A credential a store deleted (or had none of), to take off the database's list.
#[must_use = "record it, or the list in Settings keeps showing it"]
pub struct Removed {
    key: CredentialKey,
    from_keyring: Option<bool>,
}

impl Removed {
    pub fn record(self, store: &mut Store, stamp: &Stamp) -> Result<()> {
        match self.from_keyring {
            Some(deleted) => index::record_removed(store, stamp, &self.key, deleted),
            None => Ok(()),
        }
    }
}

impl Vault<'_> {
    /// Puts the secret in the keyring, or with `session_only` in this session's memory. A pasted token
    /// often brings a line break with it: surrounding whitespace is not part of the secret.
    pub fn put(&self, host: &str, username: &str, secret: &str, session_only: bool) -> Result<Stored> {
        let key = CredentialKey::new(host, username)?;
        let secret = Secret::new(secret.trim());
        match (session_only, self.session) {
            (true, Some(session)) => {
                session.set(&key, &secret)?;
                Ok(Stored { key, in_keyring: false })
            }
            _ => {
                self.keyring.set(&key, &secret)?;
                Ok(Stored { key, in_keyring: true })
            }
        }
    }

    /// Deletes the secret from the keyring, or with `session_only` from this session's memory.
    pub fn take_out(&self, host: &str, username: &str, session_only: bool) -> Result<Removed> {
        let key = CredentialKey::new(host, username)?;
        match (session_only, self.session) {
            (true, Some(session)) => {
                session.delete(&key)?;
                Ok(Removed { key, from_keyring: None })
            }
            _ => {
                let deleted = self.keyring.delete(&key)?;
                Ok(Removed { key, from_keyring: Some(deleted) })
            }
        }
    }

    /// The credentials listed in the database, then this session's.
    pub fn list(&self, store: &Store) -> Result<Vec<CredentialInfo>> {
        let mut listed = index::list(store)?;
        for key in self.session.map(MemoryStore::keys).unwrap_or_default() {
            listed.push(CredentialInfo {
                host: key.host,
                username: key.username,
                added_at: String::new(),
                updated_at: String::new(),
                session_only: true,
            });
        }
        Ok(listed)
    }
}
