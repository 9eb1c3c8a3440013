//! The OS keyring through `keyring-core` and one platform store crate per OS.
//!
//! keyring-core's errors carry no advice and some carry the stored bytes (`BadEncoding`,
//! `BadDataFormat`), so every one of them is turned into a relman [`Error`] here, by [`describe`],
//! and none is ever formatted with `Debug`.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use keyring_core::{CredentialStore, Entry};

use super::{check_secret, CredentialKey, Secret, SecretStore};
use crate::{Error, Result};

/// The service name every Relman credential is filed under in the keyring.
pub const KEYRING_SERVICE: &str = "relman";

/// What the Settings view and messages call the "use it anyway" choice.
const FALLBACK: &str = "or keep the token for this session only (Relman's Settings offers that)";

/// Secrets in the OS keyring, one entry per [`CredentialKey`] under [`KEYRING_SERVICE`].
///
/// Creating one does not touch the keyring: it connects on first use, and again after a connection
/// failed or broke, so a keyring started or restarted while Relman runs is picked up without a
/// restart of Relman. Every call blocks until the keyring answers (on a desktop, perhaps after an
/// unlock prompt), so callers run them off the UI thread.
pub struct KeyringStore {
    connection: Mutex<Option<Arc<CredentialStore>>>,
}

impl KeyringStore {
    pub fn new() -> Self {
        KeyringStore { connection: Mutex::new(None) }
    }

    fn connection(&self) -> MutexGuard<'_, Option<Arc<CredentialStore>>> {
        // The guarded value is only ever replaced whole, so a poisoned lock still holds a usable one.
        self.connection.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The platform store, connecting when there is no live connection.
    fn store(&self) -> Result<Arc<CredentialStore>, Failure> {
        let mut connection = self.connection();
        if let Some(store) = connection.as_ref() {
            return Ok(Arc::clone(store));
        }
        let store = platform_store().map_err(Failure::Connect)?;
        *connection = Some(Arc::clone(&store));
        Ok(store)
    }

    /// Runs one keyring operation on the key's entry; on a platform failure, forgets the connection
    /// so the next call starts a fresh one (the daemon may have been restarted).
    fn with_entry<T>(
        &self,
        key: &CredentialKey,
        operation: impl FnOnce(&Entry) -> Result<T, keyring_core::Error>,
    ) -> Result<T, Failure> {
        let store = self.store()?;
        let outcome = store.build(KEYRING_SERVICE, &keyring_user(key), None).and_then(|entry| operation(&entry));
        if let Err(keyring_core::Error::PlatformFailure(_)) = &outcome {
            *self.connection() = None;
        }
        outcome.map_err(Failure::Entry)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringStore").field("service", &KEYRING_SERVICE).finish_non_exhaustive()
    }
}

/// The keyring entry's user. Hosts never contain `@`, so the last `@` splits it back unambiguously,
/// and it is never empty, which some platform stores refuse.
fn keyring_user(key: &CredentialKey) -> String {
    format!("{}@{}", key.username, key.host)
}

impl SecretStore for KeyringStore {
    fn set(&self, key: &CredentialKey, secret: &Secret) -> Result<()> {
        let key = key.normalized()?;
        check_secret(&key, secret)?;
        self.with_entry(&key, |entry| entry.set_password(secret.expose()))
            .map_err(|error| redact(describe(&error, Action::Store, &key), secret))
    }

    fn get(&self, key: &CredentialKey) -> Result<Option<Secret>> {
        let key = key.normalized()?;
        match self.with_entry(&key, |entry| entry.get_password()) {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(Failure::Entry(keyring_core::Error::NoEntry)) => Ok(None),
            Err(error) => Err(describe(&error, Action::Read, &key)),
        }
    }

    fn delete(&self, key: &CredentialKey) -> Result<bool> {
        let key = key.normalized()?;
        let outcome = self.with_entry(&key, |entry| match entry.delete_credential() {
            // Duplicates (another program wrote the same service and user) would keep the old token
            // in use; deleting means all of them.
            Err(keyring_core::Error::Ambiguous(duplicates)) => duplicates.iter().try_for_each(Entry::delete_credential),
            other => other,
        });
        match outcome {
            Ok(()) => Ok(true),
            Err(Failure::Entry(keyring_core::Error::NoEntry)) => Ok(false),
            Err(error) => Err(describe(&error, Action::Delete, &key)),
        }
    }

    fn check(&self) -> Result<()> {
        // Reading an entry that never exists goes the whole way (connection, session, search)
        // without writing anything or prompting.
        let probe = CredentialKey { host: "relman.invalid".into(), username: "relman-check".into() };
        match self.with_entry(&probe, |entry| entry.get_password()) {
            // Any answer about the entry itself means the keyring was reached.
            Ok(_)
            | Err(Failure::Entry(
                keyring_core::Error::NoEntry | keyring_core::Error::BadEncoding(_) | keyring_core::Error::Ambiguous(_),
            )) => Ok(()),
            Err(error) => Err(describe(&error, Action::Check, &probe)),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>, keyring_core::Error> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, keyring_core::Error> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>, keyring_core::Error> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> Result<Arc<CredentialStore>, keyring_core::Error> {
    Err(keyring_core::Error::NotSupportedByStore(
        "this build of Relman has no keyring for this operating system".into(),
    ))
}

/// Where a keyring call failed: opening the platform store (on Linux: connecting to the session bus
/// and opening a Secret Service session), or the operation on the entry.
#[derive(Debug)]
enum Failure {
    Connect(keyring_core::Error),
    Entry(keyring_core::Error),
}

#[derive(Debug, Clone, Copy)]
enum Action {
    Check,
    Store,
    Read,
    Delete,
}

impl Action {
    /// What the failure stops, to follow "The keyring is locked"; a check stops nothing.
    fn consequence(self, key: &CredentialKey) -> String {
        match self {
            Action::Check => String::new(),
            Action::Store => format!(", so Relman cannot store the token for {key}"),
            Action::Read => format!(", so Relman cannot read the token for {key}"),
            Action::Delete => format!(", so Relman cannot delete the token for {key}"),
        }
    }
}

/// Why the keyring cannot be used, as far as the platform store lets us tell. Only the Secret
/// Service's errors are told apart so far; other platforms report [`Blocker::Other`].
#[derive(Debug, PartialEq, Eq)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
enum Blocker {
    /// No session bus, or nothing on it answers for the Secret Service; the text is the reason.
    NoService(String),
    /// The keyring (collection) is locked.
    Locked,
    /// The Secret Service has no default keyring (collection) to create entries in.
    NoDefaultKeyring,
    /// An unlock prompt was dismissed, or closed before an answer.
    PromptDismissed,
    /// Something else; the text is the platform's reason, without any secret.
    Other(String),
}

/// Turns a keyring failure into an error a release manager can act on.
fn describe(failure: &Failure, action: Action, key: &CredentialKey) -> Error {
    use keyring_core::Error as K;
    let so = action.consequence(key);
    let error = match failure {
        Failure::Entry(error) => error,
        // A platform without a store is described the same whenever it is found out.
        Failure::Connect(error @ (K::NoDefaultStore | K::NotSupportedByStore(_))) => error,
        Failure::Connect(error) => return unavailable(&so, classify_connect(error)),
    };
    let blocker = match error {
        K::PlatformFailure(inner) => classify(inner.as_ref()),
        K::NoStorageAccess(inner) => match classify(inner.as_ref()) {
            Blocker::Other(reason) => Blocker::Other(format!("access was refused ({reason})")),
            blocker => blocker,
        },
        K::NoDefaultStore | K::NotSupportedByStore(_) => {
            return Error::KeyringUnavailable(format!(
                "This build of Relman has no keyring for {}{so}. Keep the token for this session only.",
                std::env::consts::OS
            ));
        }
        K::Invalid(what, reason) => {
            return Error::invalid(format!("The keyring refused the {what} for {key}: {reason}."));
        }
        K::TooLong(what, limit) => {
            return Error::invalid(format!(
                "The keyring refused the {what} for {key}: it is longer than its limit of {limit} characters."
            ));
        }
        // Written by another program (or damaged): its bytes are not shown, they may be a secret.
        K::BadEncoding(_) | K::BadDataFormat(..) | K::BadStoreFormat(_) => {
            return Error::Conflict(format!(
                "The keyring's entry for {key} is not a token Relman can read. Delete the token for {key} in \
                 Relman's settings and enter it again."
            ));
        }
        K::Ambiguous(entries) => {
            return Error::Conflict(format!(
                "The keyring holds {} entries for {key} under \"{KEYRING_SERVICE}\", so Relman cannot tell which \
                 is current. Delete the token for {key} in Relman's settings (that removes all of them) and \
                 enter it again.",
                entries.len()
            ));
        }
        K::NoEntry => Blocker::Other("the entry disappeared while Relman was using it".into()),
        // keyring-core's error enum is non-exhaustive.
        other => Blocker::Other(other.to_string()),
    };
    unavailable(&so, blocker)
}

/// `so` is ", so Relman cannot …" or empty (for [`Action::Check`]).
fn unavailable(so: &str, blocker: Blocker) -> Error {
    Error::KeyringUnavailable(match blocker {
        Blocker::NoService(reason) => format!(
            "No keyring is reachable{so}: Relman found no Secret Service on the session bus (is gnome-keyring or \
             KWallet running and unlocked?). Start one, {FALLBACK}. (Details: {reason})"
        ),
        Blocker::Locked => format!(
            "The keyring is locked{so}. Unlock it (log in again, or unlock it in your keyring app such as \
             Passwords and Keys or KWallet) and try again, {FALLBACK}."
        ),
        Blocker::NoDefaultKeyring => format!(
            "The keyring has no default collection to keep tokens in{so}. In your keyring app (such as \
             Passwords and Keys) create a keyring and make it the default, usually \"Login\", {FALLBACK}."
        ),
        Blocker::PromptDismissed => format!(
            "The keyring stayed locked{so}: its unlock prompt was dismissed or could not be shown. Try again and \
             unlock it when asked, {FALLBACK}."
        ),
        Blocker::Other(reason) => format!(
            "The keyring failed{so}: {reason}. Check that your keyring app is running and unlocked and try \
             again, {FALLBACK}."
        ),
    })
}

/// Failing to open the Secret Service at all (no bus, nothing answering on it, no session) means
/// there is none to use, whatever zbus calls the reason.
#[cfg(target_os = "linux")]
fn classify_connect(error: &keyring_core::Error) -> Blocker {
    match error {
        keyring_core::Error::PlatformFailure(inner) | keyring_core::Error::NoStorageAccess(inner) => {
            match classify(inner.as_ref()) {
                Blocker::Other(reason) => Blocker::NoService(reason),
                blocker => blocker,
            }
        }
        other => Blocker::NoService(other.to_string()),
    }
}

#[cfg(not(target_os = "linux"))]
fn classify_connect(error: &keyring_core::Error) -> Blocker {
    Blocker::Other(format!("Relman could not open {}'s keyring ({error})", std::env::consts::OS))
}

#[cfg(target_os = "linux")]
fn classify(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Blocker {
    use secret_service::Error as S;
    match error.downcast_ref::<S>() {
        Some(S::Unavailable) => Blocker::NoService(error.to_string()),
        Some(S::Locked) => Blocker::Locked,
        // The only "no result" on our paths is the `default` alias pointing nowhere.
        Some(S::NoResult) => Blocker::NoDefaultKeyring,
        Some(S::Prompt | S::PromptDisconnected) => Blocker::PromptDismissed,
        // Nothing owns org.freedesktop.secrets and D-Bus could not start a provider.
        Some(S::Zbus(zbus::Error::MethodError(name, ..))) if is_no_provider(name.as_str()) => {
            Blocker::NoService(error.to_string())
        }
        Some(S::ZbusFdo(zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_))) => {
            Blocker::NoService(error.to_string())
        }
        _ => Blocker::Other(error.to_string()),
    }
}

#[cfg(target_os = "linux")]
fn is_no_provider(error_name: &str) -> bool {
    matches!(
        error_name,
        "org.freedesktop.DBus.Error.ServiceUnknown"
            | "org.freedesktop.DBus.Error.NameHasNoOwner"
            | "org.freedesktop.DBus.Error.Spawn.ChildExited"
            | "org.freedesktop.DBus.Error.Spawn.ExecFailed"
    )
}

#[cfg(not(target_os = "linux"))]
fn classify(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Blocker {
    Blocker::Other(error.to_string())
}

/// Belt and braces: no platform message is known to echo a secret, but a message that did would end
/// up in the UI and in bug reports.
fn redact(error: Error, secret: &Secret) -> Error {
    let value = secret.expose();
    if value.is_empty() || !error.to_string().contains(value) {
        return error;
    }
    let scrub = |text: String| text.replace(value, "••••••");
    match error {
        Error::KeyringUnavailable(message) => Error::KeyringUnavailable(scrub(message)),
        Error::Conflict(message) => Error::Conflict(scrub(message)),
        Error::InvalidInput { field, message } => Error::InvalidInput { field, message: scrub(message) },
        other => Error::KeyringUnavailable(scrub(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn alice() -> CredentialKey {
        CredentialKey::new("github.com", "alice").unwrap()
    }

    fn boxed(message: &str) -> keyring_core::error::PlatformError {
        Box::new(std::io::Error::other(message.to_string()))
    }

    #[test]
    fn a_stored_value_in_a_keyring_error_never_reaches_the_message() {
        let secret = b"ghp_leaky".to_vec();
        for error in [
            keyring_core::Error::BadEncoding(secret.clone()),
            keyring_core::Error::BadDataFormat(secret.clone(), boxed("bad padding")),
        ] {
            let described = describe(&Failure::Entry(error), Action::Read, &alice());
            assert_eq!(described.code(), ErrorCode::Conflict, "an unreadable entry is not an outage");
            let message = described.to_string();
            assert!(!message.contains("ghp_leaky"), "the stored bytes must not be shown: {message}");
            assert!(message.contains("alice@github.com") && message.contains("enter it again"), "{message}");
        }
    }

    #[test]
    fn a_platform_message_that_echoes_the_secret_is_scrubbed() {
        let secret = Secret::new("ghp_echoed");
        let error = keyring_core::Error::PlatformFailure(boxed("daemon said: ghp_echoed rejected"));
        let described = redact(describe(&Failure::Entry(error), Action::Store, &alice()), &secret);
        assert_eq!(described.code(), ErrorCode::KeyringUnavailable);
        assert!(!described.to_string().contains("ghp_echoed"), "scrubbed: {described}");
        assert!(described.to_string().contains("daemon said"), "the rest of the reason stays: {described}");
    }

    #[test]
    fn keyring_outages_say_what_to_do_and_offer_the_session_fallback() {
        let cases = [
            keyring_core::Error::PlatformFailure(boxed("connection reset")),
            keyring_core::Error::NoStorageAccess(boxed("denied")),
            keyring_core::Error::NoDefaultStore,
        ];
        for error in cases {
            let shown = error.to_string();
            let described = describe(&Failure::Entry(error), Action::Store, &alice());
            assert_eq!(described.code(), ErrorCode::KeyringUnavailable, "the UI offers the fallback for {shown}");
            assert!(described.to_string().contains("this session only"), "{described}");
            assert!(described.to_string().contains("store the token for alice@github.com"), "{described}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn secret_service_failures_are_told_apart() {
        use secret_service::Error as S;
        let as_platform = |error: S| classify(&error);
        assert!(matches!(as_platform(S::Unavailable), Blocker::NoService(_)));
        assert_eq!(as_platform(S::Locked), Blocker::Locked);
        assert_eq!(as_platform(S::Prompt), Blocker::PromptDismissed);
        let no_owner = zbus::fdo::Error::ServiceUnknown("org.freedesktop.secrets".into());
        assert!(matches!(as_platform(S::ZbusFdo(no_owner)), Blocker::NoService(_)));

        let locked = keyring_core::Error::NoStorageAccess(Box::new(S::Locked));
        let message = describe(&Failure::Entry(locked), Action::Read, &alice()).to_string();
        assert!(message.starts_with("The keyring is locked, so Relman cannot read the token for alice@"), "{message}");

        // zbus calls a refused connection a plain failure; at connect time it still means "no keyring".
        let refused = zbus::Error::Failure("Failed to connect to address `unix:path=/nowhere`".into());
        let connect = Failure::Connect(keyring_core::Error::PlatformFailure(Box::new(S::Zbus(refused))));
        let message = describe(&connect, Action::Check, &alice()).to_string();
        assert!(message.starts_with("No keyring is reachable: Relman found no Secret Service"), "{message}");
        assert!(message.contains("/nowhere"), "the details stay for bug reports: {message}");
    }

    #[test]
    fn the_keyring_user_splits_back_into_username_and_host() {
        let key = CredentialKey::new("git.example.com:8443", "alice@example.com").unwrap();
        let user = keyring_user(&key);
        assert_eq!(user, "alice@example.com@git.example.com:8443");
        assert_eq!(user.rsplit_once('@'), Some(("alice@example.com", "git.example.com:8443")));
        let anonymous = CredentialKey::new("github.com", "").unwrap();
        assert_eq!(keyring_user(&anonymous), "@github.com", "never empty");
    }
}
