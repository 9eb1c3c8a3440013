//! relman-core: the domain of Relman and its release database. No UI, no command line: the desktop
//! shell (`src-tauri/`) and the `relman` CLI are thin adapters over the functions here.
//!
//! How the pieces fit:
//! - [`store::Store`] opens the SQLite file, checks it and applies the numbered migrations in
//!   `store/migrations/`. Every user write runs in one transaction that also appends an
//!   [`store::AuditEvent`].
//! - Each domain noun has a module of verbs that take the store, a [`Stamp`] (who acts, and when:
//!   passed in, never read from the clock deep inside) and plain input structs: [`product`],
//!   [`release`] (with the status machine in `release/status.rs`), [`milestone`], [`settings`],
//!   [`checklist`], [`risk`] (the register, CSV, and suggestions from a git range), [`notes`].
//! - [`git`] reads repositories (ranges, tags, commits) and writes the one thing Relman writes: release
//!   tags, pushed by [`tagging`] with credentials from [`secrets`] (the OS keyring; never the database).
//! - [`demo`] builds the sample data that the CLI and the app's empty state offer.
//! - Types that cross to the UI derive `ts_rs::TS`; the app crate writes them to
//!   `ui/src/lib/generated/ipc.ts` and a test fails when that file drifts.
//!
//! To add an entity: a migration file (append, never edit), a module with its types and verbs, an
//! audit record in every write, and tests in `tests/store/`.

pub mod audit;
pub mod checklist;
pub mod dates;
pub mod demo;
mod error;
pub mod export;
pub mod freeze;
pub mod git;
pub mod ics;
pub mod milestone;
pub mod notes;
pub mod product;
pub mod release;
pub mod risk;
pub mod secrets;
pub mod settings;
mod stamp;
pub mod store;
pub mod tagging;
pub mod timeline;
pub mod version;

pub use error::{Error, ErrorCode, GitProblem, PushProblem, Result};
pub use stamp::{format_timestamp, os_user_name, Stamp};
