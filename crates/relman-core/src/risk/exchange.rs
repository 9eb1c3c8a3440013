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
            guard(&r.title),
            guard(&r.description),
            r.category.as_str().to_string(),
            r.likelihood.to_string(),
            r.impact.to_string(),
            r.score.to_string(),
            r.band.as_str().to_string(),
            r.status.as_str().to_string(),
            guard(&r.owner),
            guard(&r.mitigation),
            guard(&r.contingency),
            guard(&r.trigger),
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
    Some(match key_of(header).as_str() {
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

fn key_of(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Columns an export writes that import leaves alone: they follow from the rest.
fn derived(header: &str) -> bool {
    matches!(key_of(header).as_str(), "score" | "band" | "created" | "updated" | "createdat" | "updatedat")
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
    /// What an update changes, in words ("status open → mitigating"); empty for an unchanged row.
    pub changes: Vec<String>,
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
    /// The first problems (at most 200); nothing is imported while there is any.
    pub errors: Vec<RowError>,
    /// How many problems there are in all.
    pub error_count: u32,
    /// Things worth knowing that do not stop the import, such as an ID that starts a new risk.
    pub notes: Vec<RowError>,
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
    // A bulk import is snapshotted first: a wrong file is undone by restoring the snapshot.
    if store.path().is_some() && plan(store, product_id, text)?.errors.is_empty() {
        store.back_up(crate::store::backup::Reason::BeforeImport, None, stamp.at)?;
    }
    store.write(|tx| {
        let plan = plan_with(tx, product_id, text)?;
        if !plan.errors.is_empty() {
            let shown: Vec<String> = plan.errors.iter().take(5).map(describe).collect();
            let more = match plan.error_count as usize {
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

/// Reads a CSV file for [`plan`] and [`import`]: spreadsheets save "CSV UTF-8"; anything else is
/// refused with what to do.
/// A CSV file read and planned, nothing written: what both doors show before an import.
pub struct FilePlan {
    /// The file's own name, for the preview.
    pub file_name: String,
    /// The text planned: the import applies exactly this, not the file as it is later.
    pub text: String,
    pub plan: ImportPlan,
}

/// Reads the CSV file at `path` and plans its import into the product.
pub fn plan_file(store: &Store, product_id: i64, path: &std::path::Path) -> Result<FilePlan> {
    let text = read_file(path)?;
    let plan = plan(store, product_id, &text)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(FilePlan { file_name, text, plan })
}

pub fn read_file(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Io(format!("Cannot read {}: {e}. Pick another file.", path.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        Error::invalid(format!("{} is not UTF-8 text; save it from the spreadsheet as \"CSV UTF-8\".", path.display()))
    })
}

/// "row 4, Likelihood: …" for messages.
pub fn describe(error: &RowError) -> String {
    match error.column.as_str() {
        "" => format!("row {}: {}", error.row, error.message),
        column => format!("row {}, column {column}: {}", error.row, error.message),
    }
}

/// The most a file may hold: far more than any register, few enough to preview.
const MAX_BYTES: usize = 5 * 1024 * 1024;
const MAX_ROWS: usize = 10_000;
/// Problems listed in a plan; `error_count` has the total.
const MAX_ERRORS: usize = 200;

fn plan_with(conn: &Connection, product_id: i64, text: &str) -> Result<ImportPlan> {
    let product = product::find(conn, product_id)?;
    if text.len() > MAX_BYTES {
        return Err(Error::invalid(format!(
            "The file is {} MB; a register import takes up to 5 MB. Split it, or remove columns Relman does not read.",
            text.len() / (1024 * 1024)
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter_of(text.lines().next().unwrap_or(""));
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            Error::invalid(format!("The file is not readable CSV ({e}); save it from the spreadsheet as CSV UTF-8."))
        })?
        .clone();
    let mut plan = Plan::new(product_id);
    let mut index: HashMap<Field, usize> = HashMap::new();
    let mut product_column = None;
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim();
        let field = field_of(header);
        let note = match field {
            Some(f) if index.contains_key(&f) => {
                plan.problem(1, header, format!("a second column for {}; keep one and delete the other", f.name()));
                String::new()
            }
            Some(f) => {
                index.insert(f, i);
                String::new()
            }
            None if key_of(header) == "product" => {
                product_column = Some(i);
                format!("checked: each row must be for {}", product.name)
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
            plan.problem(1, "", format!("no {} column; add one with that header", required.name()));
        }
    }
    if !plan.errors.is_empty() {
        return Ok(plan.finish());
    }
    let releases = release_ids(conn, product_id)?;
    let existing: HashMap<i64, Risk> =
        super::query::read(conn, &RiskFilter { product_id: Some(product_id), ..Default::default() })?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    let mut seen_ids: HashMap<i64, u32> = HashMap::new();
    // Line breaks inside quoted cells so far: the spreadsheet row is the line minus these.
    let mut inner_breaks = 0u64;
    let (mut scanned_to, mut breaks_before) = (0usize, 0u64);
    for (n, record) in reader.records().enumerate() {
        if n >= MAX_ROWS {
            plan.problem(0, "", format!("more than {MAX_ROWS} rows; split the file"));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                plan.problem(n as u32 + 2, "", format!("not readable CSV ({e})"));
                continue;
            }
        };
        // The line in the file, blank lines included (the reader's own count skips them), so the row
        // matches what a spreadsheet or an editor shows. Records only move forward, so the line
        // breaks are counted once, from where the last record started.
        let line = match record.position() {
            Some(p) => {
                let bytes = text.as_bytes();
                let mut start = usize::try_from(p.byte()).unwrap_or(0).min(bytes.len());
                // The position is where reading began, before the blank lines the reader skipped.
                while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                    start += 1;
                }
                let from = scanned_to.min(start);
                breaks_before += bytes[from..start].iter().filter(|b| **b == b'\n').count() as u64;
                scanned_to = start;
                breaks_before + 1
            }
            None => n as u64 + 2,
        };
        let row = line.saturating_sub(inner_breaks) as u32;
        inner_breaks += record.iter().map(|c| c.matches('\n').count() as u64).sum::<u64>();
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() && record.iter().skip(headers.len()).any(|c| !c.trim().is_empty()) {
            plan.problem(
                row,
                "",
                format!(
                    "{} cells but {} columns; a cell with a comma in it must be in double quotes",
                    record.len(),
                    headers.len()
                ),
            );
            continue;
        }
        let cell = |f: Field| index.get(&f).and_then(|&i| record.get(i)).map(|c| unguard(c.trim())).unwrap_or("");
        let given = |f: Field| index.contains_key(&f);
        let header = |f: Field| index.get(&f).and_then(|&i| headers.get(i)).unwrap_or("").trim().to_string();
        let before = plan.error_count;
        if let Some(name) = product_column.and_then(|i| record.get(i)).map(str::trim).filter(|n| !n.is_empty()) {
            if !name.eq_ignore_ascii_case(&product.name) {
                let column = headers.get(product_column.unwrap_or(0)).unwrap_or("").trim().to_string();
                plan.problem(row, &column, format!("this row is for {name}; import it into {name}, or clear the cell"));
            }
        }
        // An update starts from the stored risk: a column the file lacks leaves its field alone.
        let id = match cell(Field::Id) {
            "" => None,
            text => match text.parse::<i64>() {
                Err(_) => {
                    plan.problem(
                        row,
                        &header(Field::Id),
                        format!("\"{text}\" is not a Relman risk ID; clear the cell to add the row as a new risk"),
                    );
                    None
                }
                Ok(id) if !existing.contains_key(&id) => {
                    plan.notes.push((
                        row,
                        format!("ID {id} is not a risk of {}; the row is added as a new one", product.name),
                    ));
                    None
                }
                Ok(id) => {
                    if let Some(first) = seen_ids.insert(id, row) {
                        plan.problem(
                            row,
                            &header(Field::Id),
                            format!("risk {id} is also on row {first}; keep one row per risk"),
                        );
                    }
                    Some(id)
                }
            },
        };
        let mut input = match id.and_then(|id| existing.get(&id)) {
            Some(risk) => RiskInput::from_risk(risk),
            None => RiskInput::new(product_id, "", Category::Technical, 0, 0),
        };
        let read_rating = |f: Field, slot: &mut i64, plan: &mut Plan| {
            if !given(f) && id.is_some() {
                return;
            }
            let text = cell(f);
            let whole = text.strip_suffix(".0").unwrap_or(text);
            match whole.parse::<i64>() {
                Ok(v) => match rating(f.name(), v) {
                    Ok(v) => *slot = v.into(),
                    Err(e) => plan.problem(row, &header(f), e.to_string()),
                },
                Err(_) if text.is_empty() => {
                    plan.problem(row, &header(f), format!("empty; give the {} from 1 to 5", f.name()))
                }
                Err(_) => plan.problem(row, &header(f), format!("\"{text}\" is not a whole number from 1 to 5")),
            }
        };
        read_rating(Field::Likelihood, &mut input.likelihood, &mut plan);
        read_rating(Field::Impact, &mut input.impact, &mut plan);
        if given(Field::Title) {
            input.title = cell(Field::Title).to_string();
        }
        if given(Field::Category) {
            match cell(Field::Category) {
                "" => {}
                text => match Category::parse("category", text) {
                    Ok(c) => input.category = c,
                    Err(e) => plan.problem(row, &header(Field::Category), e.to_string()),
                },
            }
        }
        if given(Field::Status) {
            match cell(Field::Status) {
                "" => {}
                text => match RiskStatus::parse("status", text) {
                    Ok(st) => input.status = st,
                    Err(e) => plan.problem(row, &header(Field::Status), e.to_string()),
                },
            }
        }
        if given(Field::ReviewDate) {
            input.review_date = match cell(Field::ReviewDate) {
                "" => None,
                text => match dates::parse("review_date", text) {
                    Ok(d) => Some(dates::format(d)),
                    Err(_) => {
                        plan.problem(
                            row,
                            &header(Field::ReviewDate),
                            format!("\"{text}\" is not a date; write it as YYYY-MM-DD, for example 2026-12-01"),
                        );
                        None
                    }
                },
            };
        }
        if given(Field::Release) {
            input.release_id = match cell(Field::Release) {
                "" => None,
                version => match releases.get(version) {
                    Some(&release) => Some(release),
                    None => {
                        plan.problem(row, &header(Field::Release), format!("{} has no release {version}; create it first, or leave the cell empty for a product-wide risk", product.name));
                        None
                    }
                },
            };
        }
        for (f, slot) in [
            (Field::Description, &mut input.description),
            (Field::Owner, &mut input.owner),
            (Field::Mitigation, &mut input.mitigation),
            (Field::Contingency, &mut input.contingency),
            (Field::Trigger, &mut input.trigger),
        ] {
            if given(f) {
                *slot = cell(f).to_string();
            }
        }
        if plan.error_count > before {
            continue;
        }
        // The same checks saving makes, so the preview refuses what the import would.
        let input = match register::clean(input) {
            Ok(clean) => clean,
            Err(e) => {
                let column = e.field().and_then(field_named).map(header).unwrap_or_default();
                plan.problem(row, &column, e.to_string());
                continue;
            }
        };
        let version = input.release_id.and_then(|r| releases.iter().find(|(_, id)| **id == r).map(|(v, _)| v.clone()));
        let changes = match id.and_then(|id| existing.get(&id)) {
            Some(risk) => register::changes(risk, &input, version.as_deref()),
            None => Vec::new(),
        };
        let likelihood = input.likelihood as u8;
        let impact = input.impact as u8;
        plan.rows.push(ImportRow {
            row,
            action: if id.is_some() { ImportAction::Update } else { ImportAction::Create },
            id,
            title: input.title.clone(),
            release: version,
            category: input.category,
            likelihood,
            impact,
            score: likelihood * impact,
            status: input.status,
            owner: input.owner.clone(),
            changes,
        });
        plan.inputs.push((id, input));
    }
    if plan.rows.is_empty() && plan.errors.is_empty() {
        plan.problem(2, "", "the file has a header but no risks".into());
    }
    Ok(plan.finish())
}

/// The delimiter of the header line: semicolons (spreadsheets in decimal-comma locales) when they
/// outnumber commas outside quotes.
fn delimiter_of(first_line: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in first_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula; export guards such a cell
/// with a leading `'`, which import removes again.
fn guard(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// The field named in a validation error, back to its import column.
fn field_named(name: &str) -> Option<Field> {
    Some(match name {
        "title" => Field::Title,
        "description" => Field::Description,
        "owner" => Field::Owner,
        "mitigation" => Field::Mitigation,
        "contingency" => Field::Contingency,
        "trigger" => Field::Trigger,
        "review_date" => Field::ReviewDate,
        "likelihood" => Field::Likelihood,
        "impact" => Field::Impact,
        _ => return None,
    })
}

/// A plan being built: problems beyond the first [`MAX_ERRORS`] are counted, not kept.
struct Plan {
    columns: Vec<ColumnMapping>,
    rows: Vec<ImportRow>,
    errors: Vec<RowError>,
    error_count: u32,
    notes: Vec<(u32, String)>,
    inputs: Vec<(Option<i64>, RiskInput)>,
    product_id: i64,
}

impl Plan {
    fn new(product_id: i64) -> Self {
        Plan {
            columns: Vec::new(),
            rows: Vec::new(),
            errors: Vec::new(),
            error_count: 0,
            notes: Vec::new(),
            inputs: Vec::new(),
            product_id,
        }
    }

    fn problem(&mut self, row: u32, column: &str, message: String) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(RowError { row, column: column.to_string(), message });
        }
    }

    fn finish(self) -> ImportPlan {
        let notes =
            self.notes.into_iter().map(|(row, message)| RowError { row, column: String::new(), message }).collect();
        ImportPlan {
            product_id: self.product_id,
            columns: self.columns,
            rows: self.rows,
            errors: self.errors,
            error_count: self.error_count,
            notes,
            inputs: self.inputs,
        }
    }
}

fn release_ids(conn: &Connection, product_id: i64) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT version, id FROM release WHERE product_id = ?1")?;
    let rows = stmt.query_map([product_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
