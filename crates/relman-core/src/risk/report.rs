//! The register as Markdown, for status reports: a summary by band, then the live risks by score,
//! then the rest. Risk text is made inert: it cannot become HTML, a Markdown link or emphasis, or break
//! the table (a bare URL may still be linked by renderers that autolink).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{exchange, list, settings, Band, ReleaseScope, Risk, RiskFilter};
use crate::export::ExportFile;
use crate::store::Store;
use crate::{dates, product, release, Error, Result};

/// How the register is exported: CSV (the columns `relman risk import` reads back) or a Markdown report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Md,
}

/// The risks `filter` selects (it names the product) as a file titled after the product and the
/// release ("Atlas Web 2.5.0 risks"); `today` decides which reviews are overdue.
pub fn export(store: &Store, filter: &RiskFilter, format: ExportFormat, today: NaiveDate) -> Result<ExportFile> {
    let product_id = filter
        .product_id
        .ok_or_else(|| Error::invalid_field("product_id", "Pick a product to export its register."))?;
    let product = product::get(store, product_id)?.name;
    let title = match filter.release {
        ReleaseScope::Release { id } => format!("{product} {}", release::get(store, id)?.version),
        ReleaseScope::ProductWide => format!("{product} (product-wide)"),
        ReleaseScope::Any => product,
    };
    let risks = list(store, filter)?;
    let name = format!("{title} risks");
    Ok(match format {
        ExportFormat::Csv => ExportFile::new(&name, "csv", "CSV", exchange::to_csv(&risks)?),
        ExportFormat::Md => {
            let threshold = settings::get(store, product_id)?.threshold;
            ExportFile::new(&name, "md", "Markdown", to_markdown(&title, &risks, threshold, today))
        }
    })
}

/// `title` heads the report ("Atlas Web 2.5.0"); `today` decides which reviews are overdue.
pub fn to_markdown(title: &str, risks: &[Risk], threshold: u8, today: NaiveDate) -> String {
    let live: Vec<&Risk> = risks.iter().filter(|r| r.status.is_live()).collect();
    let settled: Vec<&Risk> = risks.iter().filter(|r| !r.status.is_live()).collect();
    let mut out = format!("# Risk register: {}\n\nAs of {}.", inert(title), dates::format(today));
    let count = |band: Band| live.iter().filter(|r| r.band == band).count();
    out.push_str(&format!(
        " {} live risk{}: {} high, {} medium, {} low.",
        live.len(),
        if live.len() == 1 { "" } else { "s" },
        count(Band::High),
        count(Band::Medium),
        count(Band::Low)
    ));
    let unmitigated = live.iter().filter(|r| r.blocks_gate(threshold)).count();
    if unmitigated > 0 {
        out.push_str(&format!(" **{unmitigated} scoring {threshold} or more without a mitigation.**"));
    }
    let overdue = live.iter().filter(|r| r.review_overdue(today)).count();
    if overdue > 0 {
        out.push_str(&format!(" {overdue} overdue for review."));
    }
    out.push('\n');
    if risks.is_empty() {
        out.push_str("\nNo risks recorded.\n");
        return out;
    }
    for (heading, list) in [("Live risks", &live), ("Accepted, closed and occurred", &settled)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {heading}\n\n| Score | Risk | Release | Status | Owner | Mitigation | Review |\n|---:|---|---|---|---|---|---|\n"
        ));
        for r in list.iter() {
            let review = match &r.review_date {
                Some(d) if r.review_overdue(today) => format!("{d} (overdue)"),
                Some(d) => d.clone(),
                None => String::new(),
            };
            out.push_str(&format!(
                "| {} {} | {} | {} | {} | {} | {} | {} |\n",
                r.score,
                r.band.as_str(),
                cell(&r.title),
                cell(r.release_version.as_deref().unwrap_or("product-wide")),
                r.status.as_str(),
                cell(&r.owner),
                if r.mitigation.trim().is_empty() { "none".to_string() } else { cell(&r.mitigation) },
                review
            ));
        }
    }
    out
}

/// Text for a table cell: inert, on one line, with pipes escaped.
fn cell(text: &str) -> String {
    inert(text).replace('|', "\\|").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes what would make text active in Markdown, emphasis included.
fn inert(text: &str) -> String {
    crate::notes::escape_markdown(text, true)
}
