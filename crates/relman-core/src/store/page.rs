//! One page of a long listing, read by keyset: the cursor names the last row shown (its sort key and
//! id), and the next page is the rows after it in the same order — as fast on page 100 as on page 1,
//! and unaffected by rows added meanwhile before it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// How many rows a page holds when the caller does not say.
pub const DEFAULT_LIMIT: u32 = 100;
/// The most a page may hold: a longer list is asked for page by page.
pub const MAX_LIMIT: u32 = 1000;

/// Which page: at most `limit` rows, after the row `after` names (a cursor from the previous page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct PageRequest {
    pub limit: Option<u32>,
    pub after: Option<String>,
}

impl PageRequest {
    pub fn first(limit: u32) -> Self {
        Self { limit: Some(limit), after: None }
    }

    /// The limit to apply: the caller's, checked, or [`DEFAULT_LIMIT`].
    pub fn limit(&self) -> Result<u32> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n @ 1..=MAX_LIMIT) => Ok(n),
            Some(n) => Err(Error::invalid_field(
                "limit",
                format!("A page holds 1 to {MAX_LIMIT} rows, not {n}; ask for the rest with the next page's cursor."),
            )),
        }
    }

    /// The cursor as two SQL parameters, the sort key and the id: both NULL on the first page.
    pub fn position(&self) -> Result<(Option<String>, Option<i64>)> {
        Ok(self.cursor()?.map_or((None, None), |(key, id)| (Some(key), Some(id))))
    }

    /// The cursor taken apart: the sort key and the id of the last row shown, or None on the first page.
    pub fn cursor(&self) -> Result<Option<(String, i64)>> {
        let Some(text) = self.after.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let parsed = text.rsplit_once('~').and_then(|(key, id)| Some((key.to_string(), id.parse::<i64>().ok()?)));
        parsed.map(Some).ok_or_else(|| {
            Error::invalid_field(
                "after",
                format!("\"{text}\" is not a cursor Relman gave; list again without it to start from the first page."),
            )
        })
    }
}

/// One page of rows, with the cursor of the next page when there is one, and how many rows match in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `after` for the rows that follow; None on the last page.
    pub next: Option<String>,
    /// Every row that matches the filter, on this page and the others.
    pub total: u64,
}

impl<T> Page<T> {
    /// A page from up to `limit + 1` rows read in order (the extra one only says another page follows),
    /// each row's cursor made by `key`.
    pub fn from_rows(mut rows: Vec<T>, limit: u32, total: u64, key: impl Fn(&T) -> (String, i64)) -> Self {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more { rows.last().map(|row| cursor(key(row))) } else { None };
        Page { items: rows, next, total }
    }
}

/// The cursor text for a row: its sort key and id. Keys never hold the separator at their end, as
/// the id is split off at the last one.
pub fn cursor((key, id): (String, i64)) -> String {
    format!("{key}~{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_key_and_id_it_was_made_of() {
        let made = cursor(("2026-05-01".into(), 42));
        let request = PageRequest { limit: None, after: Some(made) };
        assert_eq!(request.cursor().unwrap(), Some(("2026-05-01".into(), 42)));
        // A key may hold the separator itself: the id is after the last one.
        let request = PageRequest { limit: None, after: Some(cursor(("~".into(), 7))) };
        assert_eq!(request.cursor().unwrap(), Some(("~".into(), 7)));
    }

    #[test]
    fn bad_limits_and_cursors_say_what_to_do() {
        let err = PageRequest { limit: Some(0), after: None }.limit().unwrap_err();
        assert!(err.to_string().contains("1 to 1000"), "{err}");
        let err = PageRequest { limit: None, after: Some("page two".into()) }.cursor().unwrap_err();
        assert!(err.to_string().contains("without it"), "{err}");
        assert_eq!(PageRequest::default().limit().unwrap(), DEFAULT_LIMIT);
    }

    #[test]
    fn a_page_says_whether_more_follow() {
        let page = Page::from_rows(vec![1, 2, 3], 2, 3, |n| ("k".into(), *n as i64));
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next.as_deref(), Some("k~2"));
        let last = Page::from_rows(vec![3], 2, 3, |n| ("k".into(), *n as i64));
        assert_eq!(last.next, None);
    }
}
