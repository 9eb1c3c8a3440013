//! What a release shipped, read from git for its dossier: the range as it shipped (to its tag once
//! tagged), the commits counted by type, the breaking changes, the release notes as Markdown, and the
//! commits made after the code freeze. A release whose repository cannot be read here still gets its
//! dossier; the scope then says why it is missing.

use serde::Serialize;

use crate::git::{LateCommit, RangeOptions};
use crate::milestone;
use crate::notes::{self, Entry, Format, NotesMeta, NotesRange, DEFAULT_SECTIONS};
use crate::store::Store;
use crate::{dates, Result};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Scope {
    /// Why the commits could not be read (no repository linked, not cloned on this machine).
    pub unavailable: Option<String>,
    pub range: Option<NotesRange>,
    /// Commits by Conventional Commit type ("other" for the rest), most first.
    pub counts: Vec<KindCount>,
    pub breaking: Vec<Entry>,
    /// The release notes as the release manager edited them, in Markdown.
    pub notes_markdown: String,
    /// The code-freeze day (`YYYY-MM-DD`), and the range's commits committed after it.
    pub code_freeze: Option<String>,
    pub after_freeze: Vec<LateCommit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: usize,
}

/// The scope of a release; git problems become [`Scope::unavailable`], database ones are errors.
pub fn read(store: &Store, release_id: i64) -> Result<Scope> {
    let freeze = milestone::code_freeze(store, release_id)?;
    let manual = notes::manual(store, release_id)?;
    let range = match notes::release_range(store, release_id, RangeOptions::default()) {
        Ok(range) => range,
        Err(e) => return Ok(Scope { unavailable: Some(e.to_string()), ..Default::default() }),
    };
    let walked = range.walk_shipped().and_then(|(repo, _, walked)| {
        let late = match freeze {
            Some(day) => repo.committed_after(&walked.commits, day)?,
            None => Vec::new(),
        };
        Ok((walked, late))
    });
    let (walked, after_freeze) = match walked {
        Ok(found) => found,
        Err(e) => {
            return Ok(Scope {
                unavailable: Some(e.to_string()),
                code_freeze: freeze.map(dates::format),
                ..Default::default()
            })
        }
    };
    let r = &range.release;
    let meta = NotesMeta {
        title: format!("{} {}", r.product_name, r.version),
        version: r.version.clone(),
        date: r.actual_date.clone().or_else(|| r.target_date.clone()),
    };
    let template = notes::template(store, r.product_id, Format::Markdown)?;
    let document = notes::build(&walked, meta, &manual, DEFAULT_SECTIONS);
    let mut counts: Vec<KindCount> = Vec::new();
    for commit in &walked.commits {
        let kind = commit.kind.clone().unwrap_or_else(|| "other".into());
        match counts.iter_mut().find(|c| c.kind == kind) {
            Some(found) => found.count += 1,
            None => counts.push(KindCount { kind, count: 1 }),
        }
    }
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    let breaking = document.sections.iter().flat_map(|s| &s.entries).filter(|e| e.breaking).cloned().collect();
    Ok(Scope {
        unavailable: None,
        notes_markdown: notes::render(&document, Format::Markdown, template.as_deref())?,
        range: Some(document.range),
        counts,
        breaking,
        code_freeze: freeze.map(dates::format),
        after_freeze,
    })
}
