//! What the CLI prints: aligned tables for people, `--json` for scripts.

use std::io::Write;

use relman_core::overview::ReleaseDetail;
use relman_core::product::Product;
use relman_core::release::Release;
use relman_core::risk::{ReleaseSuggestions, Risk};
use relman_core::Result;
use serde::Serialize;

use crate::io_error;

pub fn line(out: &mut dyn Write, text: &str) -> Result<()> {
    writeln!(out, "{text}").map_err(io_error)
}

/// Writes `text` to `path`, saying "Wrote {what} to {path}.", or to standard output when no path is given.
pub fn to_file_or_out(out: &mut dyn Write, path: Option<&std::path::Path>, text: &str, what: &str) -> Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|e| relman_core::Error::Io(format!("Cannot write {}: {e}.", path.display())))?;
            line(out, &format!("Wrote {what} to {}.", path.display()))
        }
        None => out.write_all(text.as_bytes()).map_err(io_error),
    }
}

/// After one page of a listing: how many there are and how to ask for the next page. With `--json`
/// stdout holds only the page's rows, so this goes to stderr.
pub fn more(
    out: &mut dyn Write,
    shown: usize,
    total: u64,
    next: Option<&str>,
    what: &str,
    as_json: bool,
) -> Result<()> {
    let Some(next) = next else { return Ok(()) };
    let text = format!("Showing {shown} of {total} {what}. The next page: add --after {}", shell_quoted(next));
    if as_json {
        eprintln!("{text}");
        return Ok(());
    }
    line(out, &text)
}

/// `text` as one shell word, in single quotes.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

pub fn json<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| io_error(e.into()))?;
    writeln!(out).map_err(io_error)
}

fn table(out: &mut dyn Write, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let render = |cells: Vec<String>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_string()
    };
    line(out, &render(header.iter().map(|h| h.to_string()).collect()))?;
    for row in rows {
        line(out, &render(row))?;
    }
    Ok(())
}

pub fn audit_events(out: &mut dyn Write, events: &[relman_core::audit::AuditEvent]) -> Result<()> {
    let rows = events.iter().map(crate::audit::describe).collect();
    table(out, &["SEQ", "AT", "WHO", "WHAT", "ACTION", "DETAILS"], rows)
}

pub fn milestones(out: &mut dyn Write, list: &[relman_core::milestone::Milestone]) -> Result<()> {
    let rows = list
        .iter()
        .map(|m| {
            vec![
                m.id.to_string(),
                m.kind.as_str().to_string(),
                m.name.clone(),
                m.planned_start.clone(),
                m.planned_end.clone().unwrap_or_else(|| "-".into()),
                m.actual_start.clone().unwrap_or_else(|| "-".into()),
                match m.slip_days {
                    0 => "-".to_string(),
                    d => format!("{d:+}d"),
                },
            ]
        })
        .collect();
    table(out, &["ID", "KIND", "NAME", "START", "END", "ACTUAL", "SLIP"], rows)
}

pub fn freeze_windows(
    out: &mut dyn Write,
    list: &[relman_core::freeze::FreezeWindow],
    products: &[Product],
) -> Result<()> {
    let names = |ids: &[i64]| match ids.is_empty() {
        true => "every product".to_string(),
        false => ids
            .iter()
            .map(|id| products.iter().find(|p| p.id == *id).map_or(id.to_string(), |p| p.name.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let rows = list
        .iter()
        .map(|w| {
            vec![
                w.id.to_string(),
                w.name.clone(),
                w.start_date.clone(),
                w.end_date.clone(),
                names(&w.product_ids),
                w.reason.clone(),
            ]
        })
        .collect();
    table(out, &["ID", "NAME", "START", "END", "APPLIES TO", "REASON"], rows)
}

pub fn products(out: &mut dyn Write, products: &[Product], as_json: bool) -> Result<()> {
    if as_json {
        return json(out, &products);
    }
    if products.is_empty() {
        return line(out, "No products yet. Add one with `relman product add NAME`, or try `relman demo`.");
    }
    let rows = products
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.versioning.as_str().to_string(),
                p.release_count.to_string(),
                p.repository.as_ref().map_or("-".to_string(), |r| r.path.clone()),
            ]
        })
        .collect();
    table(out, &["PRODUCT", "VERSIONING", "RELEASES", "REPOSITORY"], rows)
}

pub fn releases(out: &mut dyn Write, releases: &[Release], as_json: bool) -> Result<()> {
    if as_json {
        return json(out, &releases);
    }
    if releases.is_empty() {
        return line(out, "No releases match. Create one with `relman release create --product P --version V`.");
    }
    let rows = releases
        .iter()
        .map(|r| {
            vec![
                r.product_name.clone(),
                r.version.clone(),
                r.codename.clone(),
                r.status.label().to_string(),
                r.target_date.clone().unwrap_or_else(|| "-".into()),
                r.owner.clone(),
            ]
        })
        .collect();
    table(out, &["PRODUCT", "VERSION", "CODENAME", "STATUS", "TARGET", "OWNER"], rows)
}

pub fn release_detail(out: &mut dyn Write, detail: &ReleaseDetail, as_json: bool) -> Result<()> {
    if as_json {
        return json(out, detail);
    }
    let r = &detail.release;
    let title = if r.codename.is_empty() { String::new() } else { format!(" \"{}\"", r.codename) };
    line(out, &format!("{} {}{} — {}", r.product_name, r.version, title, r.status.label()))?;
    let field = |name: &str, value: &str| format!("  {name:<9}{}", if value.is_empty() { "-" } else { value });
    line(out, &field("owner", &r.owner))?;
    line(out, &field("target", r.target_date.as_deref().unwrap_or("")))?;
    line(out, &field("released", r.actual_date.as_deref().unwrap_or("")))?;
    let next: Vec<&str> = r.next_statuses.iter().map(|s| s.as_str()).collect();
    line(out, &field("next", &next.join(", ")))?;
    if !detail.milestones.is_empty() {
        line(out, "Milestones")?;
        for m in &detail.milestones {
            line(out, &format!("  {}  {}", m.planned_start, m.name))?;
        }
    }
    if !detail.history.is_empty() {
        line(out, "History")?;
        for t in &detail.history {
            line(out, &format!("  {}  {} → {}  by {}", t.at, t.from.label(), t.to.label(), t.actor))?;
        }
    }
    Ok(())
}

pub fn risks(out: &mut dyn Write, risks: &[Risk], today: chrono::NaiveDate, as_json: bool) -> Result<()> {
    if as_json {
        return json(out, &risks);
    }
    if risks.is_empty() {
        return line(
            out,
            "No risks match. Add one with `relman risk add --product P --title T --likelihood N --impact N`.",
        );
    }
    let rows = risks
        .iter()
        .map(|r| {
            let review = match &r.review_date {
                Some(d) if r.review_overdue(today) => format!("{d} overdue"),
                Some(d) => d.clone(),
                None => "-".into(),
            };
            vec![
                r.id.to_string(),
                format!("{} {}", r.score, r.band.as_str()),
                r.title.clone(),
                r.release_version.clone().unwrap_or_else(|| "product-wide".into()),
                r.status.as_str().to_string(),
                if r.owner.is_empty() { "-".into() } else { r.owner.clone() },
                if r.mitigation.is_empty() { "none".into() } else { "yes".into() },
                review,
            ]
        })
        .collect();
    table(out, &["ID", "SCORE", "RISK", "RELEASE", "STATUS", "OWNER", "MITIGATION", "REVIEW"], rows)
}

pub fn suggestions(out: &mut dyn Write, found: &ReleaseSuggestions, as_json: bool) -> Result<()> {
    if as_json {
        return json(out, found);
    }
    line(out, &format!("{} ({} commits)", found.range, found.commit_count))?;
    if found.suggestions.is_empty() {
        return line(out, "No risks suggested by this range.");
    }
    for s in &found.suggestions {
        line(out, &format!("- {} [{}, {}×{}]", s.title, s.category.as_str(), s.likelihood, s.impact))?;
        let commits: Vec<String> = s.commits.iter().map(|c| format!("{} {}", c.short_sha, c.summary)).collect();
        for c in commits {
            line(out, &format!("    {c}"))?;
        }
        if !s.paths.is_empty() {
            line(out, &format!("    paths: {}", s.paths.join(", ")))?;
        }
    }
    if !found.dismissed.is_empty() {
        line(out, &format!("{} dismissed suggestion(s) not shown.", found.dismissed.len()))?;
    }
    Ok(())
}
