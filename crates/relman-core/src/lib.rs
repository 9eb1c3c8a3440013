//! relman-core: the domain of Relman and its release database. No UI, no command line: the desktop
//! shell (`src-tauri/`) and the `relman` CLI are thin adapters over the functions here.
//!
//! How the pieces fit, in three layers (the module list below is in that order, and a test keeps
//! every dependency pointing up it):
//! - **Foundations.** [`store::Store`] opens the SQLite file, checks it and applies the numbered
//!   migrations in `store/migrations/`; every user write runs in one transaction that also appends an
//!   [`store::AuditEvent`] to a hash chain. [`git`] reads repositories (ranges, tags, commits) and
//!   writes the one thing Relman writes: release tags, with credentials from [`secrets`] (the OS
//!   keyring; never the database). A [`Stamp`] says who acts, and when: passed in, never read from the
//!   clock deep inside.
//! - **Entities.** Each domain noun has a module of verbs over its own rows, taking the store, a stamp
//!   and plain input structs: [`product`], [`release`] (with its status machine in
//!   `release/status.rs`), [`milestone`], [`freeze`], [`checklist`] (templates, items, sign-offs and
//!   go/no-go decisions), [`deployment`], [`notes`], [`risk`] (the register, CSV, and suggestions from a
//!   git range), [`change`] (change requests a CAB approves), [`incident`] (what went wrong after a
//!   release, and its hotfix), [`settings`]. An entity looks up the entities listed before it, never one after.
//! - **Use cases over several entities.** [`lifecycle`] moves a release through its statuses once its
//!   [`lifecycle::gates`] allow it (the rules are a pure function of gathered facts); [`overview`]
//!   assembles what one screen shows (the release detail, the timeline, a checklist with its gates);
//!   [`ics`] exports calendars, [`metrics`] computes the delivery metrics (DORA) from deployments,
//!   incidents and git, [`retro`] prefills a release's retrospective and turns its action items into
//!   risks or template steps, [`report`] writes the stakeholder status report, [`tagging`] tags and pushes, [`audit`] reads, checks and exports the
//!   log, [`demo`] builds the sample data that the CLI and the app's empty state offer.
//! - Types that cross to the UI derive `ts_rs::TS`; the app crate writes them to
//!   `ui/src/lib/generated/ipc.ts` and a test fails when that file drifts.
//!
//! To add an entity: a migration file (append, never edit), a module with its types and verbs placed
//! in the entity layer below what it looks up, an audit record in every write, and tests in
//! `tests/core/`. A change that needs several entities at once is a use case above them.

// The modules in layers, lowest first: each uses only modules above it in this list (a test in
// `tests/core/layers.rs` reads this list and the sources, and fails on a use that points down it).

// Foundations: errors, who acts and when, dates, files, versions; the database, git and the keyring.
mod error;
mod stamp;
pub mod dates;
pub mod export;
pub mod version;
pub mod store;
pub mod secrets;
pub mod git;

// Entities: each knows its own rows and rules, and at most looks up the entities listed before it.
pub mod settings;
pub mod product;
pub mod release;
pub mod milestone;
pub mod freeze;
pub mod notes;
pub mod security;
pub mod checklist;
pub mod deployment;
pub mod risk;
pub mod change;
pub mod incident;

// Use cases over several entities: moving a release through its statuses with its gates, the views
// assembled for one screen, calendars, tagging, checklist evidence from git, sharing the plan through git, the audit log's
// reading and checking (its own chain and the other copies'), sample data.
pub mod lifecycle;
pub mod tagging;
pub mod evidence;
pub mod overview;
pub mod ics;
pub mod drafting;
pub mod metrics;
pub mod retro;
pub mod report;
pub mod share;
pub mod audit;
pub mod dossier;
pub mod demo;

pub use error::{Error, ErrorCode, GitProblem, PushProblem, Result};
pub use stamp::{format_timestamp, os_user_name, Stamp};
