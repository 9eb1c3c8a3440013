//! The release database: one SQLite file, opened with the settings every write relies on, and migrated
//! to the current schema in one transaction.
//!
//! Opening checks the file before it changes anything: a file that is not SQLite, or one written by a
//! newer Relman, is refused with [`Error::Incompatible`] and left byte-for-byte as it was.

pub mod audit;
pub mod backup;
mod migrations;
pub mod page;

pub use audit::{AuditEvent, AuditRecord};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::{Error, Result};

/// The environment variable that points both the app and the CLI at a database file.
pub const DB_ENV: &str = "RELMAN_DB";

/// An open, migrated release database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::Io(format!(
                    "Cannot create the folder {} for the release database: {e}. Choose another location with --db or RELMAN_DB.",
                    parent.display()
                ))
            })?;
        }
        // No mutex inside SQLite (rusqlite's own default): a connection is used by one thread at a
        // time, which the type system already ensures, and each call would otherwise lock twice.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| {
            Error::Io(format!(
                "Cannot open the release database {}: {e}. Check the path and its permissions.",
                path.display()
            ))
        })?;
        Self::prepare(conn, Some(path.to_path_buf()))
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Self> {
        Self::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Self> {
        let shown = path.as_ref().map_or_else(|| "(memory)".to_string(), |p| p.display().to_string());
        // Connection-level settings first: they do not touch the file.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        fold_function(&conn)?;
        // Every statement a write or a view runs again is kept parsed (see [`Cached`]).
        conn.set_prepared_statement_cache_capacity(256);
        // Statement journals (each write inside a transaction keeps the pages it changes, to undo
        // itself alone) in memory rather than in a temporary file: writing them was a quarter of
        // the decade sample's load. Relman runs no VACUUM, the one user of a temporary database.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Reading the header validates the file before anything is written to it.
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| not_a_database(&shown, e))?;
        migrations::check_supported(version, &shown)?;
        if path.is_some() {
            let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Io(format!(
                    "The release database {shown} cannot use write-ahead logging (journal mode stays {mode}); put it on a local disk."
                )));
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // An existing database about to be migrated is snapshotted first: a bad upgrade loses nothing.
        if let (Some(file), true) = (&path, version > 0 && version < migrations::LATEST) {
            let kept = backup::new_path(file, backup::Reason::BeforeMigration, chrono::Utc::now());
            backup::vacuum_into(&conn, &kept)?;
        }
        migrations::apply(&mut conn)?;
        Ok(Self { conn, path })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one transaction: every user write goes through here with its audit event.
    /// At the top level an IMMEDIATE transaction, which takes the write lock up front so that another
    /// process writing at the same time makes this one wait (busy_timeout) instead of failing midway;
    /// inside [`Store::batch`] a savepoint, so many writes can form one.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.conn.is_autocommit() {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            return Ok(value);
        }
        let sp = self.conn.savepoint()?;
        let value = f(&sp)?;
        sp.commit()?;
        Ok(value)
    }

    /// A write that must survive a power cut the moment it returns (a tick in deploy mode): the same
    /// transaction as [`Store::write`], synced to disk with `synchronous=FULL` before it is reported.
    pub(crate) fn write_durable<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        // The safety level cannot change inside a transaction; inside a batch the batch's commit decides.
        if !self.conn.is_autocommit() {
            return self.write(f);
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let result = self.write(f);
        // The write is stored either way; failing to go back to NORMAL only costs speed, so it must
        // not turn a stored tick into an error the user would retry.
        let _ = self.conn.pragma_update(None, "synchronous", "NORMAL");
        result
    }

    /// Runs several writes as one transaction: all of them land, or none.
    pub(crate) fn batch<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = f(self).and_then(|value| Ok(self.conn.execute_batch("COMMIT").map(|_| value)?));
        if result.is_err() && !self.conn.is_autocommit() {
            // The rollback's own error, if any, matters less than the error that caused it.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result
    }

    /// The audit log, oldest first; all of it, or one entity's (`("release", 3)`).
    pub fn audit_log(&self, entity: Option<(&str, i64)>) -> Result<Vec<AuditEvent>> {
        audit::list(&self.conn, entity)
    }

    /// SQLite's own consistency check: "ok", or what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.pragma_query_value(None, "integrity_check", |row| row.get(0))?)
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }
}

fn not_a_database(shown: &str, e: rusqlite::Error) -> Error {
    let not_db = matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::NotADatabase));
    if not_db {
        Error::Incompatible(format!(
            "{shown} is not a Relman release database (it is not an SQLite file). It was left untouched; point --db or RELMAN_DB at another file."
        ))
    } else {
        Error::Storage(e)
    }
}

/// Where the database lives when nothing says otherwise: `RELMAN_DB`, else the platform data folder
/// (`$XDG_DATA_HOME/relman/relman.db` on Linux).
/// Ids from the database as an SQL list (`3,17,42`) for `IN (…)`: numbers only, so no one's text is
/// ever put in the SQL.
pub(crate) fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

pub fn default_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::data_dir().map(|dir| dir.join("relman").join("relman.db")).ok_or_else(|| {
        Error::Io(format!(
            "No data folder is known for this user; set {DB_ENV} or pass --db to choose the database file."
        ))
    })
}

/// `fold(text)`: the text in lower case, every script (SQLite's own `lower` folds ASCII only), for
/// searches that ignore case as the Rust side does.
fn fold_function(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("fold", 1, flags, |ctx| Ok(ctx.get::<String>(0)?.to_lowercase()))?;
    Ok(())
}

/// `execute` and `query_row` through the connection's statement cache: the SQL is parsed (with the
/// triggers it fires) once per connection instead of on every call — half the time of a write such as
/// a checklist tick with its audit event.
pub(crate) trait Cached {
    fn execute_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn execute_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn query_row_cached<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}
