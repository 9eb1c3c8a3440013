//! Progress of long git walks on standard error, only when it is a terminal: a script that pipes
//! `relman notes` gets the notes and nothing else.

use std::io::{IsTerminal, Write};

use relman_core::git::{WalkControl, WalkProgress};

/// Runs `work` with a walk control that prints "Reading commits… N" on stderr, and clears the line
/// afterwards.
pub fn walk<T>(work: impl FnOnce(WalkControl<'_>) -> T) -> T {
    let mut stderr = std::io::stderr();
    if !stderr.is_terminal() {
        return work(WalkControl::default());
    }
    let printed = std::cell::Cell::new(false);
    let report = |p: WalkProgress| {
        let _ = write!(std::io::stderr(), "\rReading commits… {}", p.walked);
        printed.set(true);
    };
    let result = work(WalkControl { progress: Some(&report), ..Default::default() });
    if printed.get() {
        let _ = write!(stderr, "\r\x1b[2K");
    }
    result
}
