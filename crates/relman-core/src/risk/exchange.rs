//! The register as CSV (RFC 4180, through the `csv` crate), for spreadsheets and for teams moving off
//! one. Export writes UTF-8 with a byte-order mark, so spreadsheet apps read accents and dashes
//! right. Import maps columns by header name, checks every row first, and writes nothing unless the
//! whole file is valid: a plan (pure) and then its execution, so the app can preview it.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::register::{self, Risk, RiskInput};
use super::{rating, Category, RiskFilter, RiskStatus};
use crate::store::Store;
use crate::{dates, product, Error, Result, Stamp};

/// The columns of an export, in order; import reads them back by name.
const HEADERS: [&str; 18] = [
    "ID",
    "Product",
    "Release",
    "Title",
    "Description",
    "Category",
    "Likelihood",
    "Impact",
    "Score",
    "Band",
    "Status",
    "Owner",
    "Mitigation",
    "Contingency",
    "Trigger",
    "Review date",
    "Created",
    "Updated",
];

/// Writes the risks as CSV, with a byte-order mark and CRLF line ends as RFC 4180 has them.
pub fn to_csv(risks: &[Risk]) -> Result<String> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Io(format!("Writing the CSV failed: {e}"));
    out.write_record(HEADERS).map_err(failed)?;
    for r in risks {
        out.write_record([
            r.id.to_string(),
            r.product_name.clone(),
            r.release_version.clone().unwrap_or_default(),
            r.title.clone(),
            r.description.clone(),
            r.category.as_str().to_string(),
            r.likelihood.to_string(),
            r.impact.to_string(),
            r.score.to_string(),
            r.band.as_str().to_string(),
            r.status.as_str().to_string(),
            r.owner.clone(),
            r.mitigation.clone(),
            r.contingency.clone(),
            r.trigger.clone(),
            r.review_date.clone().unwrap_or_default(),
            r.created_at.clone(),
            r.updated_at.clone(),
        ])
        .map_err(failed)?;
    }
    let bytes = out.into_inner().map_err(|e| Error::Io(format!("Writing the CSV failed: {e}")))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// The risk fields an import can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Id,
    Release,
    Title,
    Description,
    Category,
    Likelihood,
    Impact,
    Status,
    Owner,
    Mitigation,
    Contingency,
    Trigger,
    ReviewDate,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Release => "release",
            Field::Title => "title",
            Field::Description => "description",
            Field::Category => "category",
            Field::Likelihood => "likelihood",
            Field::Impact => "impact",
            Field::Status => "status",
            Field::Owner => "owner",
            Field::Mitigation => "mitigation",
            Field::Contingency => "contingency",
            Field::Trigger => "trigger",
            Field::ReviewDate => "review date",
        }
    }
}

/// How a header reads, as the names spreadsheets commonly use for it: case, spaces and punctuation
/// do not matter ("Review date", "review_date" and "REVIEW-DATE" are one column).
fn field_of(header: &str) -> Option<Field> {
    let key: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    Some(match key.as_str() {
        "id" | "riskid" => Field::Id,
        "release" | "version" | "releaseversion" => Field::Release,
        "title" | "risk" | "name" | "summary" | "risktitle" => Field::Title,
        "description" | "details" => Field::Description,
        "category" | "type" | "riskcategory" => Field::Category,
        "likelihood" | "probability" => Field::Likelihood,
        "impact" | "severity" | "consequence" => Field::Impact,
        "status" | "state" => Field::Status,
        "owner" | "riskowner" | "assignee" => Field::Owner,
        "mitigation" | "mitigationplan" | "response" => Field::Mitigation,
        "contingency" | "contingencyplan" | "fallback" => Field::Contingency,
        "trigger" | "triggers" | "warningsigns" => Field::Trigger,
        "reviewdate" | "review" | "nextreview" | "reviewby" => Field::ReviewDate,
        _ => return None,
    })
}

/// Columns an export writes that import leaves alone: they follow from the rest.
fn derived(header: &str) -> bool {
    let key: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    matches!(key.as_str(), "product" | "score" | "band" | "created" | "updated" | "createdat" | "updatedat")
}

/// How one header of the file is read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ColumnMapping {
    pub header: String,
    /// The risk field it fills, or None when it is ignored.
    pub field: Option<String>,
    /// Why an unmapped column is ignored.
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Create,
    /// The row's ID names a risk of this product, which it replaces.
    Update,
}

/// One valid row, as it will be saved.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportRow {
    /// The spreadsheet row: the header is row 1.
    pub row: u32,
    pub action: ImportAction,
    /// The risk an update replaces.
    pub id: Option<i64>,
    pub title: String,
    pub release: Option<String>,
    pub category: Category,
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub status: RiskStatus,
    pub owner: String,
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RowError {
    /// The spreadsheet row (the header is row 1); 1 for a problem with the columns.
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// What an import would do; it is applied only when `errors` is empty.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportPlan {
    pub product_id: i64,
    pub columns: Vec<ColumnMapping>,
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
    #[serde(skip)]
    inputs: Vec<(Option<i64>, RiskInput)>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportSummary {
    pub created: u32,
    pub updated: u32,
}

/// Reads and checks a CSV file for `product_id`, writing nothing.
pub fn plan(store: &Store, product_id: i64, text: &str) -> Result<ImportPlan> {
    plan_with(store.conn(), product_id, text)
}

/// Imports a CSV file in one transaction: every row, or, when any row is wrong, none.
pub fn import(store: &mut Store, stamp: &Stamp, product_id: i64, text: &str) -> Result<ImportSummary> {
    store.write(|tx| {
        let plan = plan_with(tx, product_id, text)?;
        if !plan.errors.is_empty() {
            let shown: Vec<String> = plan.errors.iter().take(5).map(describe).collect();
            let more = match plan.errors.len() {
                n if n > 5 => format!(" ({} more problems not shown)", n - 5),
                _ => String::new(),
            };
            return Err(Error::invalid(format!(
                "Nothing was imported: {}{more}. Fix the file and import it again.",
                shown.join("; ")
            )));
        }
        let mut summary = ImportSummary { created: 0, updated: 0 };
        for (id, input) in plan.inputs {
            match id {
                Some(id) => {
                    register::replace(tx, stamp, id, input, "import")?;
                    summary.updated += 1;
                }
                None => {
                    register::insert(tx, stamp, input, None, "import")?;
                    summary.created += 1;
                }
            }
        }
        Ok(summary)
    })
}

/// "row 4, Likelihood: …" for messages.
pub fn describe(error: &RowError) -> String {
    match error.column.as_str() {
        "" => format!("row {}: {}", error.row, error.message),
        column => format!("row {}, column {column}: {}", error.row, error.message),
    }
}

fn plan_with(conn: &Connection, product_id: i64, text: &str) -> Result<ImportPlan> {
    let product = product::find(conn, product_id)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Spreadsheets in locales with a decimal comma save CSV with semicolons.
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            Error::invalid(format!("The file is not readable CSV ({e}); save it from the spreadsheet as CSV UTF-8."))
        })?
        .clone();
    let mut plan =
        ImportPlan { product_id, columns: Vec::new(), rows: Vec::new(), errors: Vec::new(), inputs: Vec::new() };
    let mut index: HashMap<Field, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim();
        let field = field_of(header);
        let note = match field {
            Some(f) if index.contains_key(&f) => {
                plan.errors.push(RowError {
                    row: 1,
                    column: header.to_string(),
                    message: format!("a second column for {}; keep one and delete the other", f.name()),
                });
                String::new()
            }
            Some(f) => {
                index.insert(f, i);
                String::new()
            }
            None if derived(header) => "computed by Relman; ignored".into(),
            None if header.is_empty() => "no header; ignored".into(),
            None => "not a risk field; ignored".into(),
        };
        plan.columns.push(ColumnMapping {
            header: header.to_string(),
            field: field.map(|f| f.name().to_string()),
            note,
        });
    }
    for required in [Field::Title, Field::Likelihood, Field::Impact] {
        if !index.contains_key(&required) {
            plan.errors.push(RowError {
                row: 1,
                column: String::new(),
                message: format!("no {} column; add one with that header", required.name()),
            });
        }
    }
    if !plan.errors.is_empty() {
        return Ok(plan);
    }
    let releases = release_ids(conn, product_id)?;
    let existing: Vec<Risk> = register::read(conn, &RiskFilter { product_id: Some(product_id), ..Default::default() })?;
    let mut seen_ids: HashMap<i64, u32> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let row = n as u32 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                plan.errors.push(RowError { row, column: String::new(), message: format!("not readable CSV ({e})") });
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |f: Field| index.get(&f).and_then(|&i| record.get(i)).map(str::trim).unwrap_or("");
        let header =
            |f: Field| index.get(&f).map(|&i| headers.get(i).unwrap_or("").trim().to_string()).unwrap_or_default();
        let mut problem = |f: Field, message: String| plan.errors.push(RowError { row, column: header(f), message });
        let number = |f: Field| -> std::result::Result<i64, String> {
            let text = cell(f);
            // "3" or "3.0", as spreadsheets write whole numbers.
            let whole = text.strip_suffix(".0").unwrap_or(text);
            whole.parse::<i64>().map_err(|_| match text {
                "" => format!("empty; give the {} from 1 to 5", f.name()),
                _ => format!("\"{text}\" is not a number; give the {} from 1 to 5", f.name()),
            })
        };
        let title = cell(Field::Title).to_string();
        if title.is_empty() {
            problem(Field::Title, "empty; every risk needs a title".into());
        }
        let mut ratings = [0u8; 2];
        for (slot, f) in [Field::Likelihood, Field::Impact].into_iter().enumerate() {
            match number(f).and_then(|v| rating(f.name(), v).map_err(|e| e.to_string())) {
                Ok(v) => ratings[slot] = v,
                Err(message) => problem(f, message),
            }
        }
        let category = match cell(Field::Category) {
            "" => Category::Technical,
            text => Category::parse("category", text).unwrap_or_else(|e| {
                problem(Field::Category, e.to_string());
                Category::Technical
            }),
        };
        let status = match cell(Field::Status) {
            "" => RiskStatus::Open,
            text => RiskStatus::parse("status", text).unwrap_or_else(|e| {
                problem(Field::Status, e.to_string());
                RiskStatus::Open
            }),
        };
        let review_date = match cell(Field::ReviewDate) {
            "" => None,
            text => match dates::parse("review_date", text) {
                Ok(d) => Some(dates::format(d)),
                Err(_) => {
                    problem(
                        Field::ReviewDate,
                        format!("\"{text}\" is not a date; write it as YYYY-MM-DD, for example 2026-12-01"),
                    );
                    None
                }
            },
        };
        let release = match cell(Field::Release) {
            "" => None,
            version => match releases.get(version) {
                Some(&id) => Some((id, version.to_string())),
                None => {
                    problem(
                        Field::Release,
                        format!("{} has no release {version}; create it first, or leave the cell empty for a product-wide risk", product.name),
                    );
                    None
                }
            },
        };
        let id = match cell(Field::Id) {
            "" => None,
            text => match text.parse::<i64>().ok().filter(|id| existing.iter().any(|r| r.id == *id)) {
                Some(id) => {
                    if let Some(first) = seen_ids.insert(id, row) {
                        problem(Field::Id, format!("risk {id} is also on row {first}; keep one row per risk"));
                    }
                    Some(id)
                }
                // An ID from another database or product: the row is a new risk here.
                None => None,
            },
        };
        let input = RiskInput {
            product_id,
            release_id: release.as_ref().map(|(id, _)| *id),
            title: title.clone(),
            description: cell(Field::Description).to_string(),
            category,
            likelihood: ratings[0].into(),
            impact: ratings[1].into(),
            status,
            owner: cell(Field::Owner).to_string(),
            mitigation: cell(Field::Mitigation).to_string(),
            contingency: cell(Field::Contingency).to_string(),
            trigger: cell(Field::Trigger).to_string(),
            review_date,
        };
        plan.rows.push(ImportRow {
            row,
            action: if id.is_some() { ImportAction::Update } else { ImportAction::Create },
            id,
            title,
            release: release.map(|(_, v)| v),
            category,
            likelihood: ratings[0],
            impact: ratings[1],
            score: ratings[0] * ratings[1],
            status,
            owner: input.owner.clone(),
        });
        plan.inputs.push((id, input));
    }
    if plan.rows.is_empty() && plan.errors.is_empty() {
        plan.errors.push(RowError {
            row: 2,
            column: String::new(),
            message: "the file has a header but no risks".into(),
        });
    }
    Ok(plan)
}

fn release_ids(conn: &Connection, product_id: i64) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT version, id FROM release WHERE product_id = ?1")?;
    let rows = stmt.query_map([product_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
