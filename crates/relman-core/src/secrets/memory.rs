//! Secrets kept in this process only: the "use for this session only" choice when no keyring is
//! reachable, and the store that unit tests of secret users run against.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{check_secret, CredentialKey, Secret, SecretStore};
use crate::Result;

/// An in-memory [`SecretStore`]. Everything in it is gone when the process ends.
#[derive(Debug, Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<CredentialKey, Secret>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The keys it holds, by host then username (as the keyring's list is ordered).
    pub fn keys(&self) -> Vec<CredentialKey> {
        let mut keys: Vec<CredentialKey> = self.secrets.lock().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        keys.sort_by(|a, b| (&a.host, &a.username).cmp(&(&b.host, &b.username)));
        keys
    }

    fn secrets(&self) -> MutexGuard<'_, HashMap<CredentialKey, Secret>> {
        // A panic elsewhere while holding the lock cannot leave the map half-written (every change
        // is one insert or remove), so carry on with it rather than lose the session's tokens.
        self.secrets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SecretStore for MemoryStore {
    fn set(&self, key: &CredentialKey, secret: &Secret) -> Result<()> {
        let key = key.normalized()?;
        check_secret(&key, secret)?;
        self.secrets().insert(key, secret.clone());
        Ok(())
    }

    fn get(&self, key: &CredentialKey) -> Result<Option<Secret>> {
        let key = key.normalized()?;
        Ok(self.secrets().get(&key).cloned())
    }

    fn delete(&self, key: &CredentialKey) -> Result<bool> {
        let key = key.normalized()?;
        Ok(self.secrets().remove(&key).is_some())
    }

    fn check(&self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn key(host: &str, username: &str) -> CredentialKey {
        CredentialKey::new(host, username).unwrap()
    }

    #[test]
    fn stores_reads_replaces_and_deletes_per_host_and_username() {
        let store = MemoryStore::new();
        let alice = key("github.com", "alice");
        assert_eq!(store.get(&alice).unwrap(), None, "nothing is stored yet");

        store.set(&alice, &Secret::new("ghp_first")).unwrap();
        store.set(&key("github.com", "bob"), &Secret::new("ghp_bob")).unwrap();
        store.set(&key("gitlab.com", "alice"), &Secret::new("glpat_alice")).unwrap();
        assert_eq!(store.get(&alice).unwrap().as_ref().map(Secret::expose), Some("ghp_first"));

        store.set(&alice, &Secret::new("ghp_second")).unwrap();
        assert_eq!(
            store.get(&alice).unwrap().as_ref().map(Secret::expose),
            Some("ghp_second"),
            "setting again replaces the token"
        );
        assert_eq!(
            store.get(&key("github.com", "bob")).unwrap().as_ref().map(Secret::expose),
            Some("ghp_bob"),
            "another user on the same host keeps theirs"
        );

        assert!(store.delete(&alice).unwrap(), "delete reports that a token was removed");
        assert_eq!(store.get(&alice).unwrap(), None, "and it is gone");
        assert!(!store.delete(&alice).unwrap(), "deleting again removes nothing and says so");
        assert!(store.get(&key("gitlab.com", "alice")).unwrap().is_some(), "the same user on another host stays");
    }

    #[test]
    fn a_pasted_url_finds_the_token_saved_under_its_host() {
        let store = MemoryStore::new();
        store.set(&key("github.com", "alice"), &Secret::new("ghp_abc")).unwrap();
        let raw = CredentialKey { host: "https://GitHub.com/org/repo.git".into(), username: "alice".into() };
        assert_eq!(store.get(&raw).unwrap().as_ref().map(Secret::expose), Some("ghp_abc"));
    }

    #[test]
    fn an_empty_token_is_refused_beside_the_token_field() {
        let store = MemoryStore::new();
        let error = store.set(&key("github.com", "alice"), &Secret::new("  ")).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidInput);
        assert_eq!(error.field(), Some("secret"), "the form shows it beside the token field");
        assert_eq!(store.get(&key("github.com", "alice")).unwrap(), None, "nothing was stored");
    }

    #[test]
    fn a_bad_key_from_ipc_is_refused_not_stored() {
        let store = MemoryStore::new();
        let raw = CredentialKey { host: " ".into(), username: "alice".into() };
        let error = store.set(&raw, &Secret::new("ghp_abc")).unwrap_err();
        assert_eq!(error.field(), Some("host"));
        assert!(!error.to_string().contains("ghp_abc"), "the token is not in the message");
    }

    #[test]
    fn the_session_store_is_always_reachable() {
        assert!(MemoryStore::new().check().is_ok(), "Settings shows it as available");
    }
}
