//! `relman risk`: the register from a terminal, so it can be scripted and diffed. Listings are
//! tables or `--json`; exports are CSV or Markdown; imports check every row before writing any.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use relman_core::risk::exchange::{self, ImportAction};
use relman_core::risk::{self, suggested, Band, Category, ReleaseScope, RiskFilter, RiskInput, RiskPatch, RiskStatus};
use relman_core::risk::{RiskOrder, RiskSortKey};
use relman_core::store::Store;
use relman_core::{product, release, Error, Result, Stamp};

use crate::output;

#[derive(Debug, Subcommand)]
pub enum RiskCommand {
    /// List a product's risks, highest score first
    List {
        #[command(flatten)]
        scope: Scope,
        /// open, mitigating, accepted, closed or occurred (repeat or separate with commas)
        #[arg(long, value_delimiter = ',')]
        status: Vec<String>,
        /// technical, schedule, security, compliance, operational, people or external
        #[arg(long, value_delimiter = ',')]
        category: Vec<String>,
        #[arg(long)]
        owner: Option<String>,
        /// low (1–4), medium (5–12) or high (15–25)
        #[arg(long)]
        band: Option<String>,
        /// Words that must all appear in the risk's text
        #[arg(long)]
        search: Option<String>,
        /// score (the default), title, category, likelihood, impact, status, owner or review
        #[arg(long, default_value = "score")]
        sort: String,
        /// The other way round (scores go highest first, the other columns A to Z or soonest first)
        #[arg(long)]
        reverse: bool,
        #[command(flatten)]
        paging: crate::Paging,
        #[arg(long)]
        json: bool,
    },
    /// Add a risk to a release, or product-wide without --release
    Add {
        #[command(flatten)]
        scope: Scope,
        #[arg(long)]
        title: String,
        /// 1 (rare) to 5 (almost certain)
        #[arg(long)]
        likelihood: i64,
        /// 1 (negligible) to 5 (severe)
        #[arg(long)]
        impact: i64,
        #[arg(long, default_value = "technical")]
        category: String,
        #[arg(long, default_value = "open")]
        status: String,
        #[command(flatten)]
        text: TextArgs,
    },
    /// Change some fields of a risk; the rest stay as they are
    Update {
        /// The risk's id, as `relman risk list` shows it
        id: i64,
        #[command(flatten)]
        scope: Scope,
        /// Make it product-wide (it leaves its release)
        #[arg(long, conflicts_with = "release")]
        product_wide: bool,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        likelihood: Option<i64>,
        #[arg(long)]
        impact: Option<i64>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        text: OptionalText,
    },
    /// A risk's history: every change, who made it and when
    History { id: i64 },
    /// Export the register as CSV (UTF-8 with a byte-order mark, for spreadsheets) or Markdown
    Export {
        #[command(flatten)]
        scope: Scope,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import risks from a CSV file: columns are matched by header name; nothing is written unless
    /// every row is valid. A row whose ID names a risk of the product updates it.
    Import {
        #[arg(long)]
        product: String,
        file: PathBuf,
        /// Check the file and show what would be imported, writing nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Risks suggested by the release's git range (migrations, dependencies, reverts…)
    Suggest {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct Scope {
    #[arg(long)]
    product: String,
    /// One release's risks (with the product-wide ones when listing)
    #[arg(long)]
    release: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct TextArgs {
    #[arg(long, default_value = "")]
    description: String,
    #[arg(long, default_value = "")]
    owner: String,
    #[arg(long, default_value = "")]
    mitigation: String,
    #[arg(long, default_value = "")]
    contingency: String,
    /// What would show the risk is happening
    #[arg(long, default_value = "")]
    trigger: String,
    /// YYYY-MM-DD
    #[arg(long)]
    review_date: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct OptionalText {
    #[arg(long)]
    description: Option<String>,
    #[arg(long)]
    owner: Option<String>,
    #[arg(long)]
    mitigation: Option<String>,
    #[arg(long)]
    contingency: Option<String>,
    #[arg(long)]
    trigger: Option<String>,
    /// YYYY-MM-DD, or "none" to clear it
    #[arg(long)]
    review_date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Md,
}

/// The product's id and, when given, the release's.
fn resolve(store: &Store, scope: &Scope) -> Result<(i64, Option<i64>)> {
    let found = product::find_by_name(store, &scope.product)?;
    let release = match &scope.release {
        Some(version) => Some(release::find_by_version(store, &found.name, version)?.id),
        None => None,
    };
    Ok((found.id, release))
}

fn filter_of(product_id: i64, release_id: Option<i64>) -> RiskFilter {
    RiskFilter {
        product_id: Some(product_id),
        release: release_id.map_or(ReleaseScope::Any, |id| ReleaseScope::Release { id }),
        ..Default::default()
    }
}

pub fn run(command: RiskCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        RiskCommand::List { scope, status, category, owner, band, search, sort, reverse, paging, json } => {
            let (product_id, release_id) = resolve(store, &scope)?;
            let filter = RiskFilter {
                statuses: status.iter().map(|s| RiskStatus::parse("status", s)).collect::<Result<_>>()?,
                categories: category.iter().map(|c| Category::parse("category", c)).collect::<Result<_>>()?,
                owner,
                band: band.map(|b| Band::parse("band", &b)).transpose()?,
                text: search,
                ..filter_of(product_id, release_id)
            };
            let key: RiskSortKey = serde_json::from_value(serde_json::Value::String(sort.trim().to_lowercase()))
                .map_err(|_| {
                    Error::invalid_field(
                        "sort",
                        format!(
                            "\"{sort}\" is not a column to sort by; use score, title, category, likelihood, impact, status, owner or review."
                        ),
                    )
                })?;
            let order = RiskOrder { key, descending: (key == RiskSortKey::Score) != reverse };
            let page = risk::page(store, &filter, order, &paging.request())?;
            output::risks(out, &page.items, stamp.today(), json)?;
            output::more(out, page.items.len(), page.total, page.next.as_deref(), "risks", json)
        }
        RiskCommand::Add { scope, title, likelihood, impact, category, status, text } => {
            let (product_id, release_id) = resolve(store, &scope)?;
            let input = RiskInput {
                release_id,
                status: RiskStatus::parse("status", &status)?,
                description: text.description,
                owner: text.owner,
                mitigation: text.mitigation,
                contingency: text.contingency,
                trigger: text.trigger,
                review_date: text.review_date,
                ..RiskInput::new(product_id, &title, Category::parse("category", &category)?, likelihood, impact)
            };
            let added = risk::create(store, stamp, input)?;
            output::line(
                out,
                &format!(
                    "Added risk {} \"{}\": score {} ({}).",
                    added.id,
                    added.title,
                    added.score,
                    added.band.as_str()
                ),
            )
        }
        RiskCommand::Update { id, scope, product_wide, title, likelihood, impact, category, status, text } => {
            let (product_id, release_id) = resolve(store, &scope)?;
            let before = risk::get(store, id)?;
            if before.product_id != product_id {
                return Err(Error::NotFound(format!(
                    "Risk {id} belongs to {}, not {}; check the id with `relman risk list`.",
                    before.product_name, scope.product
                )));
            }
            // Only the fields given are sent; the core merges them inside its transaction.
            let patch = RiskPatch {
                likelihood,
                impact,
                status: status.map(|s| RiskStatus::parse("status", &s)).transpose()?,
                category: category.map(|c| Category::parse("category", &c)).transpose()?,
                title,
                description: text.description,
                owner: text.owner,
                mitigation: text.mitigation,
                contingency: text.contingency,
                trigger: text.trigger,
                review_date: text.review_date.map(|d| if d.eq_ignore_ascii_case("none") { String::new() } else { d }),
                scope: match (product_wide, release_id) {
                    (true, _) => Some(ReleaseScope::ProductWide),
                    (false, Some(id)) => Some(ReleaseScope::Release { id }),
                    (false, None) => None,
                },
            };
            let after = risk::patch(store, stamp, id, patch)?;
            output::line(
                out,
                &format!(
                    "Updated risk {id} \"{}\": score {} ({}), {}.",
                    after.title,
                    after.score,
                    after.band.as_str(),
                    after.status.as_str()
                ),
            )
        }
        RiskCommand::History { id } => {
            let risk = risk::get(store, id)?;
            output::line(out, &format!("Risk {id}: {}", risk.title))?;
            for change in risk::history(store, id)? {
                output::line(
                    out,
                    &format!("{}  {}  {}: {}", change.at, change.actor, change.action, change.changes.join(", ")),
                )?;
            }
            Ok(())
        }
        RiskCommand::Export { scope, format, output: path } => {
            let (product_id, release_id) = resolve(store, &scope)?;
            let format = match format {
                ExportFormat::Csv => risk::ExportFormat::Csv,
                ExportFormat::Md => risk::ExportFormat::Md,
            };
            let file = risk::export(store, &filter_of(product_id, release_id), format, stamp.today())?;
            output::to_file_or_out(out, path.as_deref(), &file.text, "the register")
        }
        RiskCommand::Import { product, file, dry_run } => {
            let product_id = product::find_by_name(store, &product)?.id;
            let exchange::FilePlan { text, plan, .. } = exchange::plan_file(store, product_id, &file)?;
            for column in plan.columns.iter().filter(|c| c.field.is_none()) {
                output::line(out, &format!("Column \"{}\": {}.", column.header, column.note))?;
            }
            if dry_run || !plan.errors.is_empty() {
                for row in &plan.rows {
                    let action = match row.action {
                        ImportAction::Create => "add".to_string(),
                        ImportAction::Update => format!("update risk {}", row.id.unwrap_or_default()),
                    };
                    output::line(out, &format!("Row {}: {action} \"{}\", score {}.", row.row, row.title, row.score))?;
                }
            }
            if !plan.errors.is_empty() {
                for error in &plan.errors {
                    output::line(out, &format!("Problem at {}.", exchange::describe(error)))?;
                }
                return Err(Error::invalid(format!(
                    "{} problem{} in {}; nothing was imported. Fix the file and run the import again.",
                    plan.errors.len(),
                    if plan.errors.len() == 1 { "" } else { "s" },
                    file.display()
                )));
            }
            if dry_run {
                return output::line(
                    out,
                    &format!("Dry run: {} rows are valid; nothing was written.", plan.rows.len()),
                );
            }
            let summary = exchange::import(store, stamp, product_id, &text)?;
            output::line(
                out,
                &format!("Imported {}: {} added, {} updated.", file.display(), summary.created, summary.updated),
            )
        }
        RiskCommand::Suggest { product, release: version, json } => {
            let found = release::find_by_version(store, &product, &version)?;
            let found = suggested::for_release(store, found.id)?;
            output::suggestions(out, &found, json)
        }
    }
}
