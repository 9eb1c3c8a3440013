//! Which hosts have a credential: a list in the database (host, username, when), never the value,
//! so Settings can show them without opening the keyring. The value goes to the keyring first; the
//! list changes only after the keyring accepted it.

use crate::store::Cached;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::{CredentialKey, Secret, SecretStore};
use crate::store::{audit, AuditRecord, Store};
use crate::{Error, Result, Stamp};

/// A credential as Settings lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CredentialInfo {
    pub host: String,
    pub username: String,
    pub added_at: String,
    pub updated_at: String,
    /// Kept in memory for this session only (no keyring was reachable); gone when Relman quits.
    pub session_only: bool,
}

/// The credentials recorded as being in the keyring.
pub fn list(store: &Store) -> Result<Vec<CredentialInfo>> {
    let mut stmt =
        store.conn().prepare("SELECT host, username, added_at, updated_at FROM credential ORDER BY host, username")?;
    let rows = stmt.query_map([], |r| {
        Ok(CredentialInfo {
            host: r.get(0)?,
            username: r.get(1)?,
            added_at: r.get(2)?,
            updated_at: r.get(3)?,
            session_only: false,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records that the keyring holds a credential for `key` ([`super::Stored::record`]).
pub(super) fn record_saved(store: &mut Store, stamp: &Stamp, key: &CredentialKey) -> Result<()> {
    let key = key.normalized()?;
    store.write(|tx| {
        let replaced: bool = tx.query_row_cached(
            "SELECT EXISTS (SELECT 1 FROM credential WHERE host = ?1 AND username = ?2)",
            params![key.host, key.username],
            |r| r.get(0),
        )?;
        tx.execute_cached(
            "INSERT INTO credential (host, username, added_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (host, username) DO UPDATE SET updated_at = excluded.updated_at",
            params![key.host, key.username, stamp.at_text()],
        )?;
        let details = serde_json::json!({ "host": key.host, "username": key.username });
        audit::record(tx, stamp, AuditRecord::new("credential", 0, if replaced { "replace" } else { "add" }, details))
    })
}

/// Takes `key` off the list, after the keyring deleted it (`deleted`) or had none.
pub(super) fn record_removed(store: &mut Store, stamp: &Stamp, key: &CredentialKey, deleted: bool) -> Result<()> {
    let key = key.normalized()?;
    let listed = list(store)?.iter().any(|c| c.host == key.host && c.username == key.username);
    if !listed && !deleted {
        return Err(Error::NotFound(format!(
            "No credential is stored for {key}; list them with `relman secret list`."
        )));
    }
    store.write(|tx| {
        tx.execute_cached("DELETE FROM credential WHERE host = ?1 AND username = ?2", params![key.host, key.username])?;
        let details = serde_json::json!({ "host": key.host, "username": key.username });
        audit::record(tx, stamp, AuditRecord::new("credential", 0, "delete", details))
    })
}

/// The secret for a server's host, from the first store that has one. `known` are the keys recorded
/// for any host; the URL's own username is preferred when it names one.
pub fn lookup(
    known: &[CredentialKey],
    stores: &[&dyn SecretStore],
    url: &str,
    url_user: Option<&str>,
) -> Result<Option<(CredentialKey, Secret)>> {
    let host = CredentialKey::new(url, "")?.host;
    let mut candidates: Vec<&CredentialKey> = known.iter().filter(|k| k.host == host).collect();
    candidates.sort_by_key(|k| Some(k.username.as_str()) != url_user);
    // A keyring that cannot be reached must not hide a token kept for this session: every store is
    // asked, and a store's failure is reported only when no store had the secret.
    let mut failure = None;
    for key in candidates {
        for store in stores {
            match store.get(key) {
                Ok(Some(secret)) => return Ok(Some((key.clone(), secret))),
                Ok(None) => {}
                Err(e) => failure = failure.or(Some(e)),
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(None),
    }
}
