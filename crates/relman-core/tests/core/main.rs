//! relman-core against real parts: SQLite files in temporary folders, git repositories built by the
//! fixture scripts in `tests/fixtures/` with pinned dates.

mod checklist;
mod common;
mod demo;
mod git;
mod ics;
mod notes;
mod open;
mod products;
mod push;
mod releases;
mod risk_suggest;
mod risks;
mod support;
mod timeline;
