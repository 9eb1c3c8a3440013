//! The app's state: the open release database (or why it could not be opened), and the clock.

use std::path::PathBuf;
use std::sync::Mutex;

use relman_core::secrets::{KeyringStore, MemoryStore, SecretStore};
use relman_core::store::{self, Store};
use relman_core::{settings, ErrorCode, Stamp};

use crate::IpcError;

/// Makes the stamp of a change for an actor: the real clock in the app, a fixed one in tests.
pub type Clock = Box<dyn Fn(&str) -> Stamp + Send + Sync>;

pub struct AppState {
    /// An error here is shown by the UI in place of the views; the file is left untouched.
    store: Mutex<Result<Store, IpcError>>,
    /// The file it is (None in memory); another one is opened with [`AppState::open_other`].
    db_path: Mutex<Option<PathBuf>>,
    clock: Clock,
    os_user: String,
    /// A CSV file the user picked and previewed, kept here so what is imported is exactly what was
    /// previewed, and the webview never names a path.
    pending_import: Mutex<Option<PendingImport>>,
    /// Risk suggestions already worked out from git ranges.
    pub suggestions: relman_core::risk::SuggestionCache,
    pub secrets: Secrets,
    /// The tag last previewed, per release: creating makes exactly what was shown.
    pending_tag: Mutex<Option<(i64, relman_core::git::TagPlan)>>,
    /// Commits and ranges already read from the products' repositories.
    pub ranges: relman_core::git::RangeCache,
    /// The background jobs going on, by the key the UI cancels them with.
    pub tasks: crate::tasks::Tasks,
    /// Who acts in this session when `RELMAN_USER` names someone (else Settings, else git's identity).
    acting: Option<String>,
    /// The last check of the audit chain (on open, in the background, and on demand); None until done.
    pub audit_status: Mutex<Option<relman_core::audit::ChainReport>>,
}

/// Where credentials live: the OS keyring, and (when it cannot be reached and the user agrees) memory
/// for this session only. Nothing here is ever written to disk by Relman.
pub struct Secrets {
    pub keyring: Box<dyn SecretStore>,
    pub session: MemoryStore,
}

impl Secrets {
    pub fn new(keyring: Box<dyn SecretStore>) -> Self {
        Secrets { keyring, session: MemoryStore::new() }
    }
}

impl AppState {
    /// The keyring and this session's memory, as the core's credential use cases take them.
    pub fn vault(&self) -> relman_core::secrets::Vault<'_> {
        relman_core::secrets::Vault { keyring: self.secrets.keyring.as_ref(), session: Some(&self.secrets.session) }
    }
}

/// A previewed risk import waiting for the user's confirmation.
#[derive(Clone)]
pub struct PendingImport {
    pub product_id: i64,
    pub file_name: String,
    pub text: String,
}

impl AppState {
    /// Opens `RELMAN_DB`, else the database last opened with Open database… (while it is still
    /// there), else the platform default.
    pub fn open_default() -> Self {
        let env_set = std::env::var_os(store::DB_ENV).is_some_and(|p| !p.is_empty());
        let last = if env_set { None } else { last_opened().filter(|p| p.is_file()) };
        match last.map_or_else(store::default_path, Ok) {
            Ok(path) => Self::open(path),
            Err(error) => Self::with_store(Err(error.into()), None, Box::new(|actor: &str| Stamp::now(actor))),
        }
    }

    pub fn open(path: PathBuf) -> Self {
        let store = Store::open(&path).map_err(IpcError::from);
        Self::with_store(store, Some(path), Box::new(|actor: &str| Stamp::now(actor)))
    }

    /// For tests: a database and a fixed clock.
    pub fn with_store(store: Result<Store, IpcError>, db_path: Option<PathBuf>, clock: Clock) -> Self {
        Self {
            store: Mutex::new(store),
            db_path: Mutex::new(db_path),
            clock,
            os_user: relman_core::os_user_name(),
            pending_import: Mutex::new(None),
            suggestions: Default::default(),
            secrets: Secrets::new(Box::new(KeyringStore::new())),
            pending_tag: Mutex::new(None),
            ranges: Default::default(),
            tasks: Default::default(),
            acting: std::env::var(settings::USER_ENV).ok().filter(|p| !p.trim().is_empty()),
            audit_status: Mutex::new(None),
        }
    }

    /// For tests: who acts, as `RELMAN_USER` would say it.
    pub fn acting_as(mut self, person: &str) -> Self {
        self.acting = Some(person.to_string());
        self
    }

    /// Recomputes the audit chain on a connection of its own, so that the app's writes do not wait for
    /// a long log (a database in memory, for tests, is checked on the app's connection), and keeps the
    /// result for [`AppState::audit_status`]. `whole` checks every event; otherwise only the events
    /// written since the last check that held (a whole check when there is none).
    /// `go_on` hears how far it is, and answers false to stop it.
    pub fn verify_audit(
        &self,
        whole: bool,
        go_on: &mut dyn FnMut(relman_core::audit::Progress) -> bool,
    ) -> Result<relman_core::audit::ChainReport, IpcError> {
        use relman_core::audit::{verify_since, verify_with, PROGRESS_EVERY};
        let since = match whole {
            true => None,
            false => self.audit_status.lock().map_err(|_| poisoned())?.clone(),
        };
        let mut check = |store: &Store| match &since {
            Some(last) => verify_since(store, last, PROGRESS_EVERY, go_on),
            None => verify_with(store, PROGRESS_EVERY, go_on),
        };
        let report = match self.db_path() {
            Some(path) if self.read(|_| Ok(())).is_ok() => check(&Store::open(&path)?)?,
            _ => self.read(check)?,
        };
        *self.audit_status.lock().map_err(|_| poisoned())? = Some(report.clone());
        Ok(report)
    }

    /// For tests: another keyring (an in-memory one, or one that is unavailable).
    pub fn with_keyring(mut self, keyring: Box<dyn SecretStore>) -> Self {
        self.secrets = Secrets::new(keyring);
        self
    }

    pub fn db_path(&self) -> Option<PathBuf> {
        self.db_path.lock().ok()?.clone()
    }

    /// Opens the database `file` in place of this one, and remembers it for the next start. The file is
    /// checked by opening it (a file that is not a Relman database, or one from a newer Relman, is
    /// refused and left untouched); until that succeeds the database open now stays open.
    pub fn open_other(&self, file: &std::path::Path) -> Result<PathBuf, IpcError> {
        let opened = Store::open(file)?;
        let path = opened.path().map(std::path::Path::to_path_buf).unwrap_or_else(|| file.to_path_buf());
        let mut guard = self.store.lock().map_err(|_| poisoned())?;
        *guard = Ok(opened);
        *self.db_path.lock().map_err(|_| poisoned())? = Some(path.clone());
        *self.audit_status.lock().map_err(|_| poisoned())? = None;
        *self.pending_import.lock().map_err(|_| poisoned())? = None;
        *self.pending_tag.lock().map_err(|_| poisoned())? = None;
        drop(guard);
        // Remembering is a convenience: failing to note it does not undo the open.
        if let Err(error) = remember_opened(&path) {
            eprintln!("Relman: could not note {} for the next start: {error}", path.display());
        }
        Ok(path)
    }

    /// Puts a checked backup in place of the database: closes it, restores (keeping it as it was in
    /// a snapshot), and opens it again (migrating an older backup). If the restore fails, the database
    /// as it was is opened again.
    pub fn restore_from(&self, file: &std::path::Path) -> Result<relman_core::store::backup::BackupCheck, IpcError> {
        let db = self
            .db_path()
            .ok_or_else(|| IpcError::from(relman_core::Error::invalid("There is no database file to restore into.")))?;
        relman_core::store::backup::check(file)?;
        let mut guard = self.store.lock().map_err(|_| poisoned())?;
        // Closing the connection lets the file be replaced.
        *guard = Err(relman_core::Error::Io("The database is being restored.".into()).into());
        let restored = relman_core::store::backup::restore(&db, file, self.now());
        *guard = Store::open(&db).map_err(IpcError::from);
        let (checked, _) = restored?;
        guard.as_ref().map_err(Clone::clone)?;
        Ok(checked)
    }

    /// Now, from the same clock that stamps changes (what gates are judged at).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        (self.clock)(&self.os_user).at
    }

    /// Today on the user's calendar, from the same clock that stamps changes.
    pub fn today(&self) -> chrono::NaiveDate {
        (self.clock)(&self.os_user).today()
    }

    pub fn os_user(&self) -> &str {
        &self.os_user
    }

    /// Runs `f` with the store; fails with the open error when the database could not be opened.
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> relman_core::Result<T>) -> Result<T, IpcError> {
        let guard = self.store.lock().map_err(|_| poisoned())?;
        let store = guard.as_ref().map_err(Clone::clone)?;
        f(store).map_err(IpcError::from)
    }

    /// A stamp of the current user and time, for work done outside the database lock (a sync's
    /// exchange with its remote).
    pub fn stamp(&self) -> Result<Stamp, IpcError> {
        let guard = self.store.lock().map_err(|_| poisoned())?;
        let store = guard.as_ref().map_err(Clone::clone)?;
        let actor = settings::acting_person(store, &self.os_user, self.acting.as_deref())?;
        Ok((self.clock)(&actor))
    }

    /// Runs a write with a stamp of the current user and time.
    pub fn write<T>(&self, f: impl FnOnce(&mut Store, &Stamp) -> relman_core::Result<T>) -> Result<T, IpcError> {
        let mut guard = self.store.lock().map_err(|_| poisoned())?;
        let store = guard.as_mut().map_err(|e| e.clone())?;
        let actor = settings::acting_person(store, &self.os_user, self.acting.as_deref())?;
        let stamp = (self.clock)(&actor);
        f(store, &stamp).map_err(IpcError::from)
    }
}

impl AppState {
    pub fn set_pending_tag(&self, pending: Option<(i64, relman_core::git::TagPlan)>) -> Result<(), IpcError> {
        *self.pending_tag.lock().map_err(|_| poisoned())? = pending;
        Ok(())
    }

    pub fn pending_tag(&self, release_id: i64) -> Result<Option<relman_core::git::TagPlan>, IpcError> {
        let pending = self.pending_tag.lock().map_err(|_| poisoned())?;
        Ok(pending.as_ref().filter(|(id, _)| *id == release_id).map(|(_, plan)| plan.clone()))
    }

    pub fn set_pending_import(&self, pending: Option<PendingImport>) -> Result<(), IpcError> {
        *self.pending_import.lock().map_err(|_| poisoned())? = pending;
        Ok(())
    }

    pub fn pending_import(&self) -> Result<Option<PendingImport>, IpcError> {
        Ok(self.pending_import.lock().map_err(|_| poisoned())?.clone())
    }
}

pub(crate) fn poisoned() -> IpcError {
    IpcError {
        code: ErrorCode::Storage,
        message: "An earlier action crashed while holding the database; restart Relman. Saved changes are kept.".into(),
        field: None,
    }
}

/// Where the app notes the database last opened with Open database…: beside the default one.
fn last_opened_note() -> Option<PathBuf> {
    let default = store::default_path().ok()?;
    Some(default.parent()?.join("last-database"))
}

fn last_opened() -> Option<PathBuf> {
    let text = std::fs::read_to_string(last_opened_note()?).ok()?;
    Some(PathBuf::from(text.trim_end_matches('\n'))).filter(|p| p.is_absolute())
}

fn remember_opened(path: &std::path::Path) -> std::io::Result<()> {
    let Some(note) = last_opened_note() else { return Ok(()) };
    let absolute = std::path::absolute(path)?;
    std::fs::write(note, format!("{}\n", absolute.display()))
}
