//! Calendar dates as the user types and the database stores them: `YYYY-MM-DD`, no time, no zone.

use chrono::NaiveDate;

use crate::{Error, Result};

pub fn parse(field: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid_field(
            field,
            format!("\"{}\" is not a date; use YYYY-MM-DD, for example 2026-12-01.", text.trim()),
        )
    })
}

pub fn format(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// An optional date after a patch: the one `given` (an empty one clears it), else the one it had.
pub(crate) fn patched(given: Option<String>, now: Option<String>) -> Option<String> {
    match given {
        Some(date) => Some(date).filter(|d| !d.trim().is_empty()),
        None => now,
    }
}

/// Whole days from `from` to `to`, both stored `YYYY-MM-DD` dates; 0 when either does not parse.
/// Calendar dates carry no time zone, so DST and zones cannot shift the count.
pub fn days_between(from: &str, to: &str) -> i64 {
    // Most milestones never moved: no need to read the dates (the timeline asks thousands at a time).
    if from == to {
        return 0;
    }
    match (NaiveDate::parse_from_str(from, "%Y-%m-%d"), NaiveDate::parse_from_str(to, "%Y-%m-%d")) {
        (Ok(a), Ok(b)) => (b - a).num_days(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between("2026-03-27", "2026-03-30"), 3, "across the EU spring DST change");
        assert_eq!(days_between("2026-11-01", "2026-10-30"), -2);
        assert_eq!(days_between("2024-02-28", "2024-03-01"), 2, "leap day");
        assert_eq!(days_between("garbage", "2024-03-01"), 0);
    }
}
