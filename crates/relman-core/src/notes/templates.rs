//! A product's own notes templates: stored per format, checked before they are saved (a template that
//! does not parse or render is refused with its line), and used instead of the built-in ones.

use crate::store::Cached;
use rusqlite::{params, OptionalExtension};

use super::{render, stored, Format, ManualNotes, NotesDocument};
use crate::git::RangeOptions;
use crate::store::{audit, AuditRecord, Store};
use crate::{product, Error, Result, Stamp};

fn text_format(format: Format) -> Result<&'static str> {
    match format {
        Format::Json => Err(Error::invalid_field(
            "format",
            "JSON output has a fixed schema and no template; choose md, html or txt.",
        )),
        other => Ok(other.extension()),
    }
}

/// Saves `source` as the product's template for `format`, after rendering a sample with it.
pub fn set_template(store: &mut Store, stamp: &Stamp, product_id: i64, format: Format, source: &str) -> Result<()> {
    let key = text_format(format)?;
    render(&sample(), format, Some(source))?;
    store.write(|tx| {
        product::find(tx, product_id)?;
        tx.execute_cached(
            "INSERT INTO notes_template (product_id, format, source, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(product_id, format) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at",
            params![product_id, key, source, stamp.at_text()],
        )?;
        let details = serde_json::json!({ "format": key, "bytes": source.len() });
        audit::record(tx, stamp, AuditRecord::new("notes_template", product_id, "set", details))
    })
}

/// Goes back to the built-in template for `format`.
pub fn clear_template(store: &mut Store, stamp: &Stamp, product_id: i64, format: Format) -> Result<()> {
    let key = text_format(format)?;
    store.write(|tx| {
        product::find(tx, product_id)?;
        tx.execute_cached(
            "DELETE FROM notes_template WHERE product_id = ?1 AND format = ?2",
            params![product_id, key],
        )?;
        audit::record(
            tx,
            stamp,
            AuditRecord::new("notes_template", product_id, "clear", serde_json::json!({ "format": key })),
        )
    })
}

/// The product's own template for `format`, if it has one.
pub fn template(store: &Store, product_id: i64, format: Format) -> Result<Option<String>> {
    let Ok(key) = text_format(format) else { return Ok(None) };
    Ok(store
        .conn()
        .query_row_cached(
            "SELECT source FROM notes_template WHERE product_id = ?1 AND format = ?2",
            params![product_id, key],
            |r| r.get(0),
        )
        .optional()?)
}

/// A stored release's notes rendered in `format`, with its product's template when it has one.
pub fn render_release(store: &Store, release_id: i64, format: Format, options: RangeOptions) -> Result<String> {
    stored::prepare(store, release_id, options, Some(format))?.render(format, None)
}

/// A small document to try a template on before saving it.
fn sample() -> NotesDocument {
    let range = crate::git::CommitRange {
        from: Some("v1.0.0".into()),
        from_sha: None,
        to: "HEAD".into(),
        to_sha: "0".repeat(40),
        merge_base: None,
        commits: vec![crate::git::commit::parse_message("feat(api): a sample change\n\nCloses #1")],
        shipped: Vec::new(),
    };
    let meta =
        super::NotesMeta { title: "Sample 1.1.0".into(), version: "1.1.0".into(), date: Some("2026-01-01".into()) };
    let manual = ManualNotes { highlights: "A highlight.".into(), ..Default::default() };
    super::build(&range, meta, &manual, super::DEFAULT_SECTIONS)
}
