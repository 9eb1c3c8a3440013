//! Servers and helpers that several test modules, and later other crates' tests, can share.

pub mod http_git;
