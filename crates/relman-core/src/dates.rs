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
