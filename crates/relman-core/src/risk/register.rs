//! The register's verbs: add, edit, delete and list risks, each change audited with what changed, so
//! a risk's history reads from the audit log.

use crate::store::Cached;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{rating, Band, Category, RiskStatus, SuggestionKind};
use crate::store::{audit, AuditRecord, Store};
use crate::{dates, product, release, Error, Result, Stamp};

/// One risk as the register shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Risk {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7); the integer id is local.
    pub uid: String,
    pub product_id: i64,
    pub product_name: String,
    /// None: product-wide, bearing on every release of the product.
    pub release_id: Option<i64>,
    pub release_version: Option<String>,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub likelihood: u8,
    pub impact: u8,
    /// likelihood × impact, computed by the database.
    pub score: u8,
    pub band: Band,
    pub status: RiskStatus,
    pub owner: String,
    pub mitigation: String,
    pub contingency: String,
    /// What would show the risk is happening.
    pub trigger: String,
    /// `YYYY-MM-DD`
    pub review_date: Option<String>,
    /// The suggestion rule it was accepted from.
    pub suggestion: Option<SuggestionKind>,
    /// The incident it became, once it occurred.
    pub incident_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

impl Risk {
    /// A live risk at or above `threshold` with no mitigation: what a gate with the risk rule refuses.
    pub fn blocks_gate(&self, threshold: u8) -> bool {
        self.status.is_live() && self.score >= threshold && self.mitigation.trim().is_empty()
    }

    /// A live risk whose review date has passed.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_live() && self.review_date.as_deref().is_some_and(|d| d < dates::format(today).as_str())
    }
}

/// What the user gives to add or edit a risk. Likelihood and impact arrive as numbers and are
/// checked here, so a form or a CSV cell gets a message naming the field.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct RiskInput {
    pub product_id: i64,
    #[serde(default)]
    pub release_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub category: Category,
    pub likelihood: i64,
    pub impact: i64,
    pub status: RiskStatus,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub mitigation: String,
    #[serde(default)]
    pub contingency: String,
    #[serde(default)]
    pub trigger: String,
    #[serde(default)]
    pub review_date: Option<String>,
}

impl RiskInput {
    /// A new open risk with only the essentials; the rest can be filled in later.
    pub fn new(product_id: i64, title: &str, category: Category, likelihood: i64, impact: i64) -> Self {
        RiskInput {
            product_id,
            release_id: None,
            title: title.into(),
            description: String::new(),
            category,
            likelihood,
            impact,
            status: RiskStatus::Open,
            owner: String::new(),
            mitigation: String::new(),
            contingency: String::new(),
            trigger: String::new(),
            review_date: None,
        }
    }

    /// The input that would save `risk` unchanged: the start of an edit.
    pub fn from_risk(risk: &Risk) -> Self {
        RiskInput {
            product_id: risk.product_id,
            release_id: risk.release_id,
            title: risk.title.clone(),
            description: risk.description.clone(),
            category: risk.category,
            likelihood: risk.likelihood.into(),
            impact: risk.impact.into(),
            status: risk.status,
            owner: risk.owner.clone(),
            mitigation: risk.mitigation.clone(),
            contingency: risk.contingency.clone(),
            trigger: risk.trigger.clone(),
            review_date: risk.review_date.clone(),
        }
    }
}

/// Which releases' risks to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReleaseScope {
    #[default]
    Any,
    /// Only the product-wide risks.
    ProductWide,
    /// The risks that bear on one release: its own and its product's product-wide ones.
    Release { id: i64 },
}

/// Which risks to list; the defaults list every risk.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct RiskFilter {
    pub product_id: Option<i64>,
    pub release: ReleaseScope,
    /// Any of these statuses; empty means all.
    pub statuses: Vec<RiskStatus>,
    pub categories: Vec<Category>,
    /// The owner, ignoring case.
    pub owner: Option<String>,
    pub band: Option<Band>,
    /// Words that must all appear in the title, description, owner, mitigation, contingency or trigger.
    pub text: Option<String>,
    /// One heat-map cell.
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
}

/// One change in a risk's history, from the audit log.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RiskChange {
    pub at: String,
    pub actor: String,
    /// `create`, `update`, `import` or `accept`.
    pub action: String,
    /// What changed, in words: "likelihood 3 → 4", "status open → mitigating".
    pub changes: Vec<String>,
}

pub fn create(store: &mut Store, stamp: &Stamp, input: RiskInput) -> Result<Risk> {
    let id = store.write(|tx| insert(tx, stamp, input, None, "create"))?;
    get(store, id)
}

/// Inserts a validated risk with its audit event; shared by add, import and accepting a suggestion.
pub(crate) fn insert(
    tx: &Connection,
    stamp: &Stamp,
    input: RiskInput,
    suggestion: Option<SuggestionKind>,
    action: &str,
) -> Result<i64> {
    let (clean, version) = validate(tx, input)?;
    tx.execute_cached(
        "INSERT INTO risk (product_id, release_id, title, description, category, likelihood, impact, status, owner,
            mitigation, contingency, trigger, review_date, suggestion, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        params![
            clean.product_id,
            clean.release_id,
            clean.title,
            clean.description,
            clean.category.as_str(),
            clean.likelihood,
            clean.impact,
            clean.status.as_str(),
            clean.owner,
            clean.mitigation,
            clean.contingency,
            clean.trigger,
            clean.review_date,
            suggestion.map(SuggestionKind::as_str),
            stamp.at_text()
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut details = fields(&clean, version.as_deref());
    if let Some(kind) = suggestion {
        details["suggestion"] = kind.as_str().into();
    }
    audit::record(tx, stamp, AuditRecord::new("risk", id, action, details))?;
    Ok(id)
}

/// Saves every field of the input; the audit event lists only the fields that changed.
pub fn update(store: &mut Store, stamp: &Stamp, id: i64, input: RiskInput) -> Result<Risk> {
    store.write(|tx| replace(tx, stamp, id, input, "update"))?;
    get(store, id)
}

pub(crate) fn replace(tx: &Connection, stamp: &Stamp, id: i64, input: RiskInput, action: &str) -> Result<()> {
    let before = find(tx, id)?;
    if input.product_id != before.product_id {
        return Err(Error::invalid_field(
            "product_id",
            format!(
                "Risk {id} belongs to {}; a risk cannot move to another product. Add it there instead.",
                before.product_name
            ),
        ));
    }
    let (clean, version) = validate(tx, input)?;
    let was = fields(&RiskInput::from_risk(&before), before.release_version.as_deref());
    let changes = diff(&was, &fields(&clean, version.as_deref()));
    if changes.is_empty() {
        return Ok(());
    }
    tx.execute_cached(
        "UPDATE risk SET release_id = ?2, title = ?3, description = ?4, category = ?5, likelihood = ?6, impact = ?7,
            status = ?8, owner = ?9, mitigation = ?10, contingency = ?11, trigger = ?12, review_date = ?13, updated_at = ?14
         WHERE id = ?1",
        params![
            id,
            clean.release_id,
            clean.title,
            clean.description,
            clean.category.as_str(),
            clean.likelihood,
            clean.impact,
            clean.status.as_str(),
            clean.owner,
            clean.mitigation,
            clean.contingency,
            clean.trigger,
            clean.review_date,
            stamp.at_text()
        ],
    )?;
    audit::record(tx, stamp, AuditRecord::new("risk", id, action, serde_json::json!({ "changes": changes })))
}

/// Only the fields given change (the table's inline edits, `relman risk update`): read and written in
/// one transaction, so a change made meanwhile elsewhere (the CLI, another window) to another field is
/// kept.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct RiskPatch {
    pub likelihood: Option<i64>,
    pub impact: Option<i64>,
    pub status: Option<RiskStatus>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<Category>,
    pub owner: Option<String>,
    pub mitigation: Option<String>,
    pub contingency: Option<String>,
    pub trigger: Option<String>,
    /// A review date (YYYY-MM-DD); an empty one clears it.
    pub review_date: Option<String>,
    /// Moves the risk: `product_wide`, or `release` (one of its product's).
    pub scope: Option<ReleaseScope>,
}

pub fn patch(store: &mut Store, stamp: &Stamp, id: i64, patch: RiskPatch) -> Result<Risk> {
    store.write(|tx| {
        let mut input = RiskInput::from_risk(&find(tx, id)?);
        input.likelihood = patch.likelihood.unwrap_or(input.likelihood);
        input.impact = patch.impact.unwrap_or(input.impact);
        input.status = patch.status.unwrap_or(input.status);
        input.category = patch.category.unwrap_or(input.category);
        for (slot, value) in [
            (&mut input.title, patch.title),
            (&mut input.description, patch.description),
            (&mut input.owner, patch.owner),
            (&mut input.mitigation, patch.mitigation),
            (&mut input.contingency, patch.contingency),
            (&mut input.trigger, patch.trigger),
        ] {
            if let Some(value) = value {
                *slot = value;
            }
        }
        input.review_date = crate::dates::patched(patch.review_date, input.review_date);
        match patch.scope {
            None => {}
            Some(ReleaseScope::ProductWide) => input.release_id = None,
            Some(ReleaseScope::Release { id }) => input.release_id = Some(id),
            Some(ReleaseScope::Any) => {
                return Err(Error::invalid_field("scope", "Say where the risk moves: product-wide or one release."))
            }
        }
        replace(tx, stamp, id, input, "update")
    })?;
    get(store, id)
}

pub fn delete(store: &mut Store, stamp: &Stamp, id: i64) -> Result<()> {
    store.write(|tx| {
        let before = find(tx, id)?;
        tx.execute_cached("DELETE FROM risk WHERE id = ?1", [id])?;
        audit::record(
            tx,
            stamp,
            AuditRecord::new(
                "risk",
                id,
                "delete",
                fields(&RiskInput::from_risk(&before), before.release_version.as_deref()),
            ),
        )
    })
}

pub fn get(store: &Store, id: i64) -> Result<Risk> {
    find(store.conn(), id)
}

/// The matching risks, highest score first.
pub fn list(store: &Store, filter: &RiskFilter) -> Result<Vec<Risk>> {
    super::query::read(store.conn(), filter)
}

/// A risk's changes, oldest first.
/// A deleted risk's history stays readable: it comes from the audit log alone.
pub fn history(store: &Store, id: i64) -> Result<Vec<RiskChange>> {
    let events = store.audit_log(Some(("risk", id)))?;
    if events.is_empty() {
        find(store.conn(), id)?;
    }
    Ok(events
        .into_iter()
        .map(|e| {
            let details: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
            let changes = match details.get("changes").and_then(|c| c.as_array()) {
                Some(list) => list.iter().filter_map(|c| c.as_str().map(str::to_string)).collect(),
                None => describe_fields(&details),
            };
            RiskChange { at: e.at, actor: e.actor, action: e.action, changes }
        })
        .collect())
}

pub(super) const COLUMNS: &str =
    "k.id, k.product_id, p.name, k.release_id, r.version, k.title, k.description, k.category,
        k.likelihood, k.impact, k.score, k.status, k.owner, k.mitigation, k.contingency, k.trigger, k.review_date,
        k.suggestion, k.created_at, k.updated_at, k.uid, k.incident_id";
pub(super) const FROM: &str = "risk k JOIN product p ON p.id = k.product_id LEFT JOIN release r ON r.id = k.release_id";

pub(crate) fn find(conn: &Connection, id: i64) -> Result<Risk> {
    conn.query_row_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE k.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Risk {id} does not exist; it may have been deleted.")))
}

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Risk> {
    let category: String = row.get(7)?;
    let status: String = row.get(11)?;
    let score: u8 = row.get(10)?;
    let suggestion: Option<String> = row.get(17)?;
    Ok(Risk {
        id: row.get(0)?,
        product_id: row.get(1)?,
        product_name: row.get(2)?,
        release_id: row.get(3)?,
        release_version: row.get(4)?,
        title: row.get(5)?,
        description: row.get(6)?,
        // The schema's CHECKs keep these known.
        category: Category::parse("category", &category).unwrap_or(Category::Technical),
        likelihood: row.get(8)?,
        impact: row.get(9)?,
        score,
        band: Band::of(score),
        status: RiskStatus::parse("status", &status).unwrap_or(RiskStatus::Open),
        owner: row.get(12)?,
        mitigation: row.get(13)?,
        contingency: row.get(14)?,
        trigger: row.get(15)?,
        review_date: row.get(16)?,
        suggestion: suggestion.as_deref().and_then(SuggestionKind::parse),
        created_at: row.get(18)?,
        updated_at: row.get(19)?,
        uid: row.get::<_, Option<String>>(20)?.unwrap_or_default(),
        incident_id: row.get(21)?,
    })
}

/// Trims and checks the input, and returns it with its release's version; the release must be one of
/// the product's.
fn validate(conn: &Connection, input: RiskInput) -> Result<(RiskInput, Option<String>)> {
    let product = product::find(conn, input.product_id)
        .map_err(|_| Error::invalid_field("product_id", "Pick the product the risk belongs to."))?;
    let mut version = None;
    if let Some(release_id) = input.release_id {
        let found = release::find(conn, release_id).map_err(|_| {
            Error::invalid_field(
                "release_id",
                format!("Release {release_id} does not exist; pick one of {}'s releases.", product.name),
            )
        })?;
        if found.product_id != product.id {
            return Err(Error::invalid_field(
                "release_id",
                format!(
                    "{} {} is not a release of {}; pick one of its own releases or none.",
                    found.product_name, found.version, product.name
                ),
            ));
        }
        version = Some(found.version);
    }
    Ok((clean(input)?, version))
}

/// The checks that need no database: trimmed text within its limits, ratings 1–5, a real date. The
/// CSV import runs them on every row, so its preview refuses what saving would.
pub(crate) fn clean(input: RiskInput) -> Result<RiskInput> {
    let title = input.title.trim().to_string();
    if title.is_empty() {
        return Err(Error::invalid_field(
            "title",
            "Name the risk in a few words, such as \"Payment provider outage\".",
        ));
    }
    if title.chars().count() > 200 {
        return Err(Error::invalid_field(
            "title",
            "Keep the title under 200 characters; put the rest in the description.",
        ));
    }
    let review_date = match input.review_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(dates::format(dates::parse("review_date", d)?)),
        None => None,
    };
    for (field, text) in [
        ("description", &input.description),
        ("mitigation", &input.mitigation),
        ("contingency", &input.contingency),
        ("trigger", &input.trigger),
        ("owner", &input.owner),
    ] {
        if text.chars().count() > LONGEST_TEXT {
            return Err(Error::invalid_field(
                field,
                format!("Keep the {field} under {LONGEST_TEXT} characters; link to a longer document instead."),
            ));
        }
    }
    Ok(RiskInput {
        product_id: input.product_id,
        release_id: input.release_id,
        title,
        description: input.description.trim().to_string(),
        category: input.category,
        likelihood: rating("likelihood", input.likelihood)?.into(),
        impact: rating("impact", input.impact)?.into(),
        status: input.status,
        owner: input.owner.trim().to_string(),
        mitigation: input.mitigation.trim().to_string(),
        contingency: input.contingency.trim().to_string(),
        trigger: input.trigger.trim().to_string(),
        review_date,
    })
}

const LONGEST_TEXT: usize = 10_000;

/// The fields as the audit log keeps them; `release` is the version, for people reading the history.
fn fields(clean: &RiskInput, version: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "release_id": clean.release_id,
        "release": version.unwrap_or("product-wide"),
        "title": clean.title,
        "description": clean.description,
        "category": clean.category.as_str(),
        "likelihood": clean.likelihood,
        "impact": clean.impact,
        "status": clean.status.as_str(),
        "owner": clean.owner,
        "mitigation": clean.mitigation,
        "contingency": clean.contingency,
        "trigger": clean.trigger,
        "review_date": clean.review_date,
    })
}

/// What saving `after` over `risk` would change, in words; for the import preview.
pub(crate) fn changes(risk: &Risk, after: &RiskInput, version: Option<&str>) -> Vec<String> {
    diff(&fields(&RiskInput::from_risk(risk), risk.release_version.as_deref()), &fields(after, version))
}

/// "likelihood 3 → 4" for each field that differs; long texts are named, not quoted.
fn diff(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    const ORDER: [&str; 12] = [
        "release",
        "title",
        "description",
        "category",
        "likelihood",
        "impact",
        "status",
        "owner",
        "mitigation",
        "contingency",
        "trigger",
        "review_date",
    ];
    ORDER
        .into_iter()
        .filter_map(|key| after.get(key).map(|value| (key, value)))
        .filter(|(key, value)| before.get(*key) != Some(*value))
        .map(|(key, value)| match key {
            "description" | "mitigation" | "contingency" | "trigger" => format!("{} edited", words(key)),
            _ => format!("{} {} → {}", words(key), shown(before.get(key)), shown(Some(value))),
        })
        .collect()
}

fn describe_fields(details: &serde_json::Value) -> Vec<String> {
    ["title", "likelihood", "impact", "status"]
        .iter()
        .filter_map(|k| details.get(*k).map(|v| format!("{} {}", words(k), shown(Some(v)))))
        .collect()
}

fn words(key: &str) -> String {
    key.replace('_', " ")
}

fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "none".into(),
        Some(serde_json::Value::String(s)) if s.is_empty() => "none".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
