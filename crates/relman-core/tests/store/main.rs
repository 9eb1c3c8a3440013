//! The release database against real SQLite files in temporary folders.

mod common;
mod demo;
mod open;
mod products;
mod releases;
