//! relman-core against real parts: SQLite files in temporary folders, git repositories built by the
//! fixture scripts in `tests/fixtures/` with pinned dates, and (on Linux) gnome-keyring on a private
//! D-Bus session for the secrets.

mod audit;
mod changes;
mod checklist;
pub mod common;
mod demo;
mod dossier;
pub mod evidence;
mod git;
mod ics;
mod incidents;
mod notes;
mod layers;
mod leaks;
mod metrics;
mod open;
mod paging;
mod products;
mod push;
mod ranges;
mod releases;
mod report;
mod retro;
mod risk_suggest;
mod risks;
mod sbom;
#[cfg(target_os = "linux")]
mod secrets;
mod security;
mod share;
#[cfg(unix)]
mod signing;
mod support;
mod tagging;
mod timeline;
