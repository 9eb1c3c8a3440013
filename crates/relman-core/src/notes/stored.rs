//! Notes of a stored release: its range from the release and its product's repository, and the
//! release manager's edits (highlights, known issues, upgrade notes, per-commit overrides) kept in the
//! database so that regenerating never loses them.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    build, entry, render, Entry, EntryOverride, Format, ManualNotes, NotesDocument, NotesMeta, DEFAULT_SECTIONS,
};
use crate::git::{NextVersion, RangeOptions, Repo, TagPattern, WalkControl};
use crate::release::{self, Release};
use crate::store::{audit, AuditRecord, Store};
use crate::{product, Error, Result, Stamp};

/// The hand-written parts of a release's notes.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NotesParts {
    pub highlights: String,
    pub known_issues: String,
    pub upgrade_notes: String,
}

/// Everything the Notes view shows: the document, the range it came from, and the suggested version.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReleaseNotes {
    pub document: NotesDocument,
    pub suggestion: Option<NextVersion>,
    pub repository: String,
    pub manual: ManualNotes,
    /// The entries hidden from the notes, so the view can name them and offer to show them again.
    pub hidden: Vec<Entry>,
    /// Release tags (newest first) and local branches, offered when the range is edited.
    pub refs: Vec<String>,
}

const MAX_TEXT: usize = 20_000;

pub fn manual(store: &Store, release_id: i64) -> Result<ManualNotes> {
    read_manual(store.conn(), release_id)
}

fn read_manual(conn: &Connection, release_id: i64) -> Result<ManualNotes> {
    let parts: Option<(Option<String>, String, String, String)> = conn
        .query_row_cached(
            "SELECT uid, highlights, known_issues, upgrade_notes FROM release_notes WHERE release_id = ?1",
            [release_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (uid, highlights, known_issues, upgrade_notes) = parts.unwrap_or_default();
    let mut stmt =
        conn.prepare("SELECT sha, hidden, text, section, uid FROM notes_override WHERE release_id = ?1 ORDER BY sha")?;
    let overrides = stmt
        .query_map([release_id], |r| {
            Ok(EntryOverride {
                sha: r.get(0)?,
                hidden: r.get::<_, i64>(1)? == 1,
                text: r.get(2)?,
                section: r.get(3)?,
                uid: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ManualNotes { uid, highlights, known_issues, upgrade_notes, overrides })
}

pub fn save_parts(store: &mut Store, stamp: &Stamp, release_id: i64, parts: NotesParts) -> Result<ManualNotes> {
    for (field, text) in [
        ("highlights", &parts.highlights),
        ("known_issues", &parts.known_issues),
        ("upgrade_notes", &parts.upgrade_notes),
    ] {
        if text.len() > MAX_TEXT {
            return Err(Error::invalid_field(
                field,
                format!("Keep this under {MAX_TEXT} characters; link to a longer document instead."),
            ));
        }
    }
    store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT INTO release_notes (release_id, highlights, known_issues, upgrade_notes, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(release_id) DO UPDATE SET highlights = excluded.highlights, known_issues = excluded.known_issues,
                 upgrade_notes = excluded.upgrade_notes, updated_at = excluded.updated_at",
            params![release_id, parts.highlights.trim(), parts.known_issues.trim(), parts.upgrade_notes.trim(), stamp.at_text()],
        )?;
        let details = serde_json::json!({
            "highlights": parts.highlights.trim(),
            "known_issues": parts.known_issues.trim(),
            "upgrade_notes": parts.upgrade_notes.trim(),
        });
        audit::record(tx, stamp, AuditRecord::new("release_notes", release_id, "update", details))?;
        read_manual(tx, release_id)
    })
}

/// Sets one commit's override; an override that changes nothing removes the stored one.
pub fn set_override(store: &mut Store, stamp: &Stamp, release_id: i64, change: EntryOverride) -> Result<ManualNotes> {
    let sha = change.sha.trim().to_ascii_lowercase();
    if sha.len() != 40 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid_field(
            "sha",
            format!("\"{}\" is not a full commit SHA (40 hex digits).", change.sha),
        ));
    }
    let text = change.text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 500) {
        return Err(Error::invalid_field("text", "Keep a reworded entry under 500 characters."));
    }
    let section = change.section.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(key) = &section {
        if !DEFAULT_SECTIONS.iter().any(|s| s.key == key) {
            let keys: Vec<&str> = DEFAULT_SECTIONS.iter().map(|s| s.key).collect();
            return Err(Error::invalid_field(
                "section",
                format!("Unknown section \"{key}\"; use one of: {}.", keys.join(", ")),
            ));
        }
    }
    store.write(|tx| {
        release::find(tx, release_id)?;
        if !change.hidden && text.is_none() && section.is_none() {
            tx.execute_cached("DELETE FROM notes_override WHERE release_id = ?1 AND sha = ?2", params![release_id, sha])?;
        } else {
            tx.execute_cached(
                "INSERT INTO notes_override (release_id, sha, hidden, text, section) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(release_id, sha) DO UPDATE SET hidden = excluded.hidden, text = excluded.text, section = excluded.section",
                params![release_id, sha, change.hidden as i64, text, section],
            )?;
        }
        let details = serde_json::json!({ "sha": sha, "hidden": change.hidden, "text": text, "section": section });
        audit::record(tx, stamp, AuditRecord::new("release_notes", release_id, "override", details))?;
        read_manual(tx, release_id)
    })
}

/// Everything a release's notes need from the database, gathered under the database lock, so that
/// the slow part (walking the repository) can run after the lock is released: plan, then execute.
pub struct NotesJob {
    release: release::Release,
    repository: String,
    pattern: TagPattern,
    options: RangeOptions,
    manual: ManualNotes,
    template: Option<String>,
}

/// Gathers a release's notes job. `options.from`/`to` override the release's own range when set;
/// `format` picks the product's own template for [`NotesJob::render`].
pub fn prepare(store: &Store, release_id: i64, options: RangeOptions, format: Option<Format>) -> Result<NotesJob> {
    let range = release_range(store, release_id, options)?;
    let template = match format {
        Some(format) => super::template(store, range.release.product_id, format)?,
        None => None,
    };
    Ok(NotesJob {
        pattern: range.pattern,
        repository: range.repository,
        manual: manual(store, release_id)?,
        release: range.release,
        options: range.options,
        template,
    })
}

/// Where a release's commits are, read from the database so the walk can run without it.
pub(crate) struct ReleaseRange {
    pub release: Release,
    pub repository: String,
    pub pattern: TagPattern,
    pub options: RangeOptions,
}

/// The release's repository and range: `options.from`/`to` when set, else the release's own refs
/// (its branch when it has no `to`), else the previous release tag and HEAD.
pub(crate) fn release_range(store: &Store, release_id: i64, mut options: RangeOptions) -> Result<ReleaseRange> {
    let found = release::get(store, release_id)?;
    let product = product::get(store, found.product_id)?;
    let linked = product.repository.ok_or_else(|| {
        Error::invalid_field(
            "repository",
            format!(
                "{} has no git repository linked; set its local path in Products to read its commits.",
                product.name
            ),
        )
    })?;
    let given = |value: Option<String>, stored: &str| {
        value.filter(|v| !v.trim().is_empty()).or_else(|| Some(stored.to_string()).filter(|s| !s.is_empty()))
    };
    options.from = given(options.from.take(), &found.from_ref);
    options.to = given(options.to.take(), &found.to_ref)
        .or_else(|| Some(found.release_branch.clone()).filter(|b| !b.is_empty()));
    options.final_release = !found.version.contains('-');
    Ok(ReleaseRange {
        pattern: TagPattern::new(&linked.tag_pattern, product.versioning)?,
        repository: linked.path,
        release: found,
        options,
    })
}

impl ReleaseRange {
    /// Walks the range as the release shipped it: to its `to` ref or branch, else its release tag when
    /// the repository has it (a shipped release's HEAD has moved on), else HEAD. The repository and
    /// its release tags come back too, for a further walk.
    pub(crate) fn walk_shipped(&self) -> Result<(Repo, crate::git::TagIndex, crate::git::CommitRange)> {
        let repo = Repo::open(std::path::Path::new(&self.repository))?;
        let options = self.shipped_options(&repo);
        let tags = repo.tag_index(&self.pattern)?;
        let walked = repo.walk_with(&options, Some(&tags), WalkControl::default())?;
        Ok((repo, tags, walked))
    }

    /// The commit [`ReleaseRange::walk_shipped`] would end at now, without the walk, in its
    /// repository already open.
    pub(crate) fn shipped_end_in(&self, repo: &Repo) -> Result<String> {
        Ok(shipped_tip(repo, &self.shipped_options(repo))?.to_string())
    }

    /// The commit [`ReleaseRange::walk_shipped`] would start after now (its `from`, else the previous
    /// release tag), without the walk; None when it would read all of the history.
    pub(crate) fn shipped_start_in(&self, repo: &Repo) -> Result<Option<String>> {
        let options = self.shipped_options(repo);
        let to = shipped_tip(repo, &options)?;
        let tags = repo.tag_index(&self.pattern)?;
        let (_, from) = repo.range_start(&options, to, Some(&tags), WalkControl::default())?;
        Ok(from.map(|o| o.to_string()))
    }

    fn shipped_options(&self, repo: &Repo) -> RangeOptions {
        let mut options = self.options.clone();
        options.to = self.shipped_to(repo);
        options
    }

    /// The ref the release ships: its `to` ref or branch, else its release tag when the repository
    /// has it; None when it has neither (a walk then ends at HEAD).
    pub(crate) fn shipped_to(&self, repo: &Repo) -> Option<String> {
        let tag = self.pattern.tag_name(&self.release.version);
        self.options.to.clone().or_else(|| repo.resolve(&tag).is_ok().then_some(tag))
    }
}

/// The commit a walk with `options` ends at: its `to`, else HEAD.
fn shipped_tip(repo: &Repo, options: &RangeOptions) -> Result<git2::Oid> {
    repo.resolve(options.to.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or("HEAD"))
}

impl NotesJob {
    /// The product's own template for the format asked for in [`prepare`], if it has one.
    pub fn template(&self) -> Option<&str> {
        self.template.as_deref()
    }

    /// Walks the range and builds the notes; needs no database.
    pub fn run(self) -> Result<ReleaseNotes> {
        self.run_with(WalkControl::default())
    }

    /// [`NotesJob::run`] with progress, cancel and the app's cache.
    pub fn run_with(self, control: WalkControl<'_>) -> Result<ReleaseNotes> {
        let repo = Repo::open(std::path::Path::new(&self.repository))?;
        let tags = repo.tag_index(&self.pattern)?;
        let range = repo.walk_with(&self.options, Some(&tags), control)?;
        let suggestion = repo.suggest_next(&tags, &range)?;
        let r = &self.release;
        let meta = NotesMeta {
            title: format!("{} {}", r.product_name, r.version),
            version: r.version.clone(),
            date: r.actual_date.clone().or_else(|| r.target_date.clone()),
        };
        let document = build(&range, meta, &self.manual, DEFAULT_SECTIONS);
        let hidden = range
            .commits
            .iter()
            .filter(|c| self.manual.overrides.iter().any(|o| o.hidden && o.sha == c.sha))
            .map(|c| entry(c, None))
            .collect();
        let refs = tags.tags().iter().rev().map(|t| t.name.clone()).chain(repo.branches()?).collect();
        Ok(ReleaseNotes { document, suggestion, repository: self.repository, manual: self.manual, hidden, refs })
    }

    /// The notes as text, with the product's own template for `format` when it has one (or `template`).
    pub fn render(self, format: Format, template: Option<&str>) -> Result<String> {
        self.render_with(format, template, WalkControl::default())
    }

    /// The notes as a file named after the release ("atlas-web-2.5.0-notes.md"), with progress,
    /// cancel and the app's cache.
    pub fn export(self, format: Format, control: WalkControl<'_>) -> Result<crate::export::ExportFile> {
        let title = format!("{} {} notes", self.release.product_name, self.release.version);
        let extension = format.extension();
        let kind = match format {
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Text => "Text",
            Format::Json => "JSON",
        };
        let text = self.render_with(format, None, control)?;
        Ok(crate::export::ExportFile::new(&title, extension, kind, text))
    }

    /// [`NotesJob::render`] with progress, cancel and the app's cache.
    pub fn render_with(self, format: Format, template: Option<&str>, control: WalkControl<'_>) -> Result<String> {
        let own = template.map(str::to_string).or_else(|| self.template.clone());
        let notes = self.run_with(control)?;
        render(&notes.document, format, own.as_deref())
    }
}

/// The notes of a stored release, in one call (the CLI and tests; the app uses [`prepare`]).
pub fn for_release(store: &Store, release_id: i64, options: RangeOptions) -> Result<ReleaseNotes> {
    prepare(store, release_id, options, None)?.run()
}
