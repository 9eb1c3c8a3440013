//! Suggestions for a stored release: read what the engine needs from the database, walk the range
//! without it (the app releases the database lock meanwhile), and remember what the user accepted or
//! dismissed, per release, so a suggestion is made once.

use crate::store::Cached;
use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use super::register::{self, Risk, RiskInput};
use super::{settings, suggest, Suggestion, SuggestionKind, SuggestionRules};
use crate::git::{RangeOptions, Repo, TagPattern, WalkControl};
use crate::milestone;
use crate::notes::release_range;
use crate::store::{audit, AuditRecord, Store};
use crate::{dates, release, Error, Result, Stamp};

/// What the Risks view shows for a release: the live suggestions, the dismissed ones (to restore),
/// and the range they came from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReleaseSuggestions {
    pub release_id: i64,
    /// `from..to` as walked, e.g. `v2.4.0..main`.
    pub range: String,
    pub commit_count: u32,
    pub suggestions: Vec<Suggestion>,
    pub dismissed: Vec<Suggestion>,
}

/// Everything the walk needs, read from the database; [`SuggestionJob::run`] needs no database.
pub struct SuggestionJob {
    release_id: i64,
    repository: String,
    pattern: TagPattern,
    options: RangeOptions,
    rules: SuggestionRules,
    code_freeze: Option<NaiveDate>,
    accepted: Vec<SuggestionKind>,
    dismissed: Vec<SuggestionKind>,
    /// From the release's latest dependency scan, read from the database rather than git.
    vulnerable: Option<Suggestion>,
}

pub fn prepare(store: &Store, release_id: i64) -> Result<SuggestionJob> {
    let range = release_range(store, release_id, RangeOptions::default())?;
    let conn = store.conn();
    let code_freeze = milestone::code_freeze(store, release_id)?;
    Ok(SuggestionJob {
        release_id,
        repository: range.repository,
        pattern: range.pattern,
        options: range.options,
        rules: settings::read(conn, range.release.product_id)?.rules,
        code_freeze,
        accepted: kinds(
            conn,
            "SELECT suggestion FROM risk WHERE release_id = ?1 AND suggestion IS NOT NULL",
            release_id,
        )?,
        dismissed: kinds(conn, "SELECT kind FROM risk_dismissal WHERE release_id = ?1", release_id)?,
        vulnerable: crate::security::record::read_latest(conn, release_id)?
            .as_ref()
            .and_then(suggest::vulnerable_dependencies),
    })
}

impl SuggestionJob {
    pub fn run(self) -> Result<ReleaseSuggestions> {
        self.run_with(None, WalkControl::default())
    }

    /// Like [`SuggestionJob::run`], but reuses what `cache` holds for the same range and rules, and
    /// follows `control`: the walk reports its progress, and the walk and the diffs stop when cancelled.
    pub fn run_with(self, cache: Option<&SuggestionCache>, control: WalkControl<'_>) -> Result<ReleaseSuggestions> {
        let repo = Repo::open(std::path::Path::new(&self.repository))?;
        let tags = repo.tag_index(&self.pattern)?;
        let cancel = control.cancel;
        let range = repo.walk_with(&self.options, Some(&tags), control)?;
        // The walk is cheap; the diffs behind the suggestions are not (see docs/BENCHMARKS.md).
        let key = serde_json::json!([
            self.repository,
            range.from_sha,
            range.to_sha,
            self.rules,
            self.code_freeze.map(dates::format),
        ])
        .to_string();
        let all = match cache.and_then(|c| c.get(&key)) {
            Some(found) => found,
            None => {
                let found = suggest::suggest_with(&repo, &range, &self.rules, self.code_freeze, cancel)?;
                if let Some(cache) = cache {
                    cache.put(key, found.clone());
                }
                found
            }
        };
        let (dismissed, live): (Vec<Suggestion>, Vec<Suggestion>) = all
            .into_iter()
            .chain(self.vulnerable)
            .filter(|s| !self.accepted.contains(&s.kind))
            .partition(|s| self.dismissed.contains(&s.kind));
        let from = range.from.clone().unwrap_or_else(|| "the first commit".into());
        Ok(ReleaseSuggestions {
            release_id: self.release_id,
            range: format!("{from}..{}", range.to),
            commit_count: range.commits.len() as u32,
            suggestions: live,
            dismissed,
        })
    }
}

/// Suggestions already computed, keyed by repository, range ends, rules and code-freeze day. The app
/// keeps one, so choosing a release again, accepting or dismissing does not diff the range again; a
/// new commit, a moved freeze or new rules make a new key.
#[derive(Default)]
pub struct SuggestionCache(Mutex<HashMap<String, Vec<Suggestion>>>);

impl SuggestionCache {
    /// Enough for every release a person looks at in a session.
    const ENTRIES: usize = 64;

    fn get(&self, key: &str) -> Option<Vec<Suggestion>> {
        self.0.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, found: Vec<Suggestion>) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= Self::ENTRIES {
                map.clear();
            }
            map.insert(key, found);
        }
    }
}

/// Prepares and runs in one call (the CLI and tests).
pub fn for_release(store: &Store, release_id: i64) -> Result<ReleaseSuggestions> {
    prepare(store, release_id)?.run()
}

/// Adds the suggested risk (as the user edited it) to the release's register.
pub fn accept(
    store: &mut Store,
    stamp: &Stamp,
    release_id: i64,
    kind: SuggestionKind,
    input: RiskInput,
) -> Result<Risk> {
    let id = store.write(|tx| {
        let found = release::find(tx, release_id)?;
        let taken: bool = tx.query_row_cached(
            "SELECT EXISTS (SELECT 1 FROM risk WHERE release_id = ?1 AND suggestion = ?2)",
            params![release_id, kind.as_str()],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::Conflict(format!(
                "{} {} already has the risk suggested for {}; edit that one in the register.",
                found.product_name,
                found.version,
                words(kind)
            )));
        }
        tx.execute_cached(
            "DELETE FROM risk_dismissal WHERE release_id = ?1 AND kind = ?2",
            params![release_id, kind.as_str()],
        )?;
        let input = RiskInput { product_id: found.product_id, release_id: Some(release_id), ..input };
        register::insert(tx, stamp, input, Some(kind), "accept")
    })?;
    register::get(store, id)
}

/// Stops suggesting `kind` for the release.
pub fn dismiss(store: &mut Store, stamp: &Stamp, release_id: i64, kind: SuggestionKind) -> Result<()> {
    store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT OR REPLACE INTO risk_dismissal (release_id, kind, actor, at) VALUES (?1, ?2, ?3, ?4)",
            params![release_id, kind.as_str(), stamp.actor, stamp.at_text()],
        )?;
        let details = serde_json::json!({ "kind": kind.as_str() });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "dismiss_suggestion", details))
    })
}

/// Suggests a dismissed `kind` again (the undo of [`dismiss`]).
pub fn restore(store: &mut Store, stamp: &Stamp, release_id: i64, kind: SuggestionKind) -> Result<()> {
    store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "DELETE FROM risk_dismissal WHERE release_id = ?1 AND kind = ?2",
            params![release_id, kind.as_str()],
        )?;
        let details = serde_json::json!({ "kind": kind.as_str() });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "restore_suggestion", details))
    })
}

fn kinds(conn: &Connection, sql: &str, release_id: i64) -> Result<Vec<SuggestionKind>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([release_id], |r| r.get::<_, String>(0))?;
    let mut found = Vec::new();
    for row in rows {
        found.extend(SuggestionKind::parse(&row?));
    }
    Ok(found)
}

fn words(kind: SuggestionKind) -> String {
    kind.as_str().replace('_', " ")
}
