//! The register read in SQL: the matching risks a page at a time in the order the table asks for, and
//! what the view shows beside them (the heat map, the live, gate-blocking and overdue counts, the
//! owners to filter by) counted in SQL, so a product with thousands of risks answers as fast as one
//! with ten.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::register::{from_row, ReleaseScope, Risk, RiskFilter, COLUMNS, FROM};
use crate::store::page::{Page, PageRequest};
use crate::store::Store;
use crate::Result;

/// A column of the register table to sort by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RiskSortKey {
    #[default]
    Score,
    Title,
    Category,
    Likelihood,
    Impact,
    Status,
    Owner,
    Review,
}

/// The table's order: a column, and which way. Ties go by id the same way, so pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct RiskOrder {
    pub key: RiskSortKey,
    pub descending: bool,
}

impl Default for RiskOrder {
    fn default() -> Self {
        Self { key: RiskSortKey::Score, descending: true }
    }
}

impl RiskSortKey {
    /// The value sorted on, as text that sorts as the column should: numbers padded, the status in the
    /// order of its lifecycle, empty owners and review dates last.
    fn expression(self) -> &'static str {
        match self {
            RiskSortKey::Score => "printf('%02d', k.score)",
            RiskSortKey::Title => "lower(k.title)",
            RiskSortKey::Category => "k.category",
            RiskSortKey::Likelihood => "printf('%d', k.likelihood)",
            RiskSortKey::Impact => "printf('%d', k.impact)",
            RiskSortKey::Status => {
                "CASE k.status WHEN 'open' THEN '0' WHEN 'mitigating' THEN '1' WHEN 'accepted' THEN '2'
                 WHEN 'closed' THEN '3' ELSE '4' END"
            }
            RiskSortKey::Owner => "COALESCE(NULLIF(lower(k.owner), ''), char(1114111))",
            RiskSortKey::Review => "COALESCE(k.review_date, '~')",
        }
    }
}

/// What the Risks view shows beside the table, for the filter without its heat-map cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RiskSummary {
    /// Matching risks in all.
    pub total: u64,
    /// Open or mitigating.
    pub live: u64,
    /// Live, at or above the product's threshold, and with no mitigation: what a gate refuses.
    pub blocking: u64,
    /// Live and past their review date.
    pub overdue: u64,
    /// Matching risks per cell: `heat[likelihood - 1][impact - 1]`.
    pub heat: Vec<Vec<u64>>,
    /// Every owner of a risk in the filter's product and release scope, to filter by.
    pub owners: Vec<String>,
}

/// One page of the matching risks in `order`.
pub fn page(store: &Store, filter: &RiskFilter, order: RiskOrder, request: &PageRequest) -> Result<Page<Risk>> {
    let limit = request.limit()?;
    let (mut condition, mut values) = matching(filter, true);
    let key = order.key.expression();
    let (before, direction) = if order.descending { ("<", "DESC") } else { (">", "ASC") };
    if let Some((after, id)) = request.cursor()? {
        condition.push_str(&format!(" AND ({key}, k.id) {before} (?, ?)"));
        values.extend([Value::Text(after), Value::Integer(id)]);
    }
    values.push(Value::Integer(i64::from(limit) + 1));
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, {key} FROM {FROM} WHERE {condition} ORDER BY {key} {direction}, k.id {direction} LIMIT ?"
    ))?;
    let rows = stmt
        .query_map(params_from_iter(values), |row| Ok((from_row(row)?, row.get::<_, String>(22)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (condition, values) = matching(filter, true);
    let total = count(conn, &condition, values)?;
    let page = Page::from_rows(rows, limit, total, |(risk, key)| (key.clone(), risk.id));
    Ok(Page { items: page.items.into_iter().map(|(risk, _)| risk).collect(), next: page.next, total: page.total })
}

/// Every matching risk, highest score first (then the earliest review, then the oldest).
pub(crate) fn read(conn: &Connection, filter: &RiskFilter) -> Result<Vec<Risk>> {
    let (condition, values) = matching(filter, true);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {condition} ORDER BY k.score DESC, k.review_date IS NULL, k.review_date, k.id"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The counts beside the table: `threshold` is the product's gate threshold, `today` for overdue reviews.
pub fn summary(store: &Store, filter: &RiskFilter, threshold: u8, today: &str) -> Result<RiskSummary> {
    let conn = store.conn();
    let (condition, matched) = matching(filter, false);
    // ?1 and ?2 come first; the condition's own (anonymous) parameters number on from them.
    let mut values = vec![Value::Integer(i64::from(threshold)), Value::Text(today.to_string())];
    values.extend(matched);
    let mut heat = vec![vec![0u64; 5]; 5];
    let (mut total, mut live, mut blocking, mut overdue) = (0, 0, 0, 0);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT k.likelihood, k.impact, count(*),
                count(*) FILTER (WHERE k.status IN ('open', 'mitigating')),
                count(*) FILTER (WHERE k.status IN ('open', 'mitigating') AND k.score >= ?1 AND trim(k.mitigation) = ''),
                count(*) FILTER (WHERE k.status IN ('open', 'mitigating') AND k.review_date < ?2)
         FROM risk k WHERE {condition} GROUP BY k.likelihood, k.impact"
    ))?;
    let mut rows = stmt.query(params_from_iter(values))?;
    while let Some(row) = rows.next()? {
        let (likelihood, impact): (i64, i64) = (row.get(0)?, row.get(1)?);
        let [cells, l, b, o] = [row.get::<_, u64>(2)?, row.get(3)?, row.get(4)?, row.get(5)?];
        if let Some(cell) = heat.get_mut(likelihood as usize - 1).and_then(|r| r.get_mut(impact as usize - 1)) {
            *cell = cells;
        }
        total += cells;
        live += l;
        blocking += b;
        overdue += o;
    }
    let scope = RiskFilter { product_id: filter.product_id, release: filter.release.clone(), ..Default::default() };
    let (condition, values) = matching(&scope, false);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT k.owner FROM risk k WHERE {condition} AND k.owner <> '' ORDER BY lower(k.owner), k.owner"
    ))?;
    let owners = stmt.query_map(params_from_iter(values), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(RiskSummary { total, live, blocking, overdue, heat, owners })
}

fn count(conn: &Connection, condition: &str, values: Vec<Value>) -> Result<u64> {
    let mut stmt = conn.prepare_cached(&format!("SELECT count(*) FROM risk k WHERE {condition}"))?;
    Ok(stmt.query_row(params_from_iter(values), |r| r.get(0))?)
}

/// The SQL a filter makes over `risk k`, with its values in order; the heat-map cell only with `cell`.
fn matching(filter: &RiskFilter, cell: bool) -> (String, Vec<Value>) {
    let mut parts = vec!["1".to_string()];
    let mut values = Vec::new();
    if let Some(product) = filter.product_id {
        parts.push("k.product_id = ?".into());
        values.push(Value::Integer(product));
    }
    match filter.release {
        ReleaseScope::Any => {}
        ReleaseScope::ProductWide => parts.push("k.release_id IS NULL".into()),
        ReleaseScope::Release { id } => {
            // Its own risks and its product's product-wide ones: both within its product.
            parts.push(
                "k.product_id = (SELECT product_id FROM release WHERE id = ?) AND (k.release_id = ? OR k.release_id IS NULL)"
                    .into(),
            );
            values.extend([Value::Integer(id), Value::Integer(id)]);
        }
    }
    let any_of = |parts: &mut Vec<String>, values: &mut Vec<Value>, column: &str, names: Vec<&str>| {
        if !names.is_empty() {
            parts.push(format!("{column} IN ({})", vec!["?"; names.len()].join(", ")));
            values.extend(names.into_iter().map(|n| Value::Text(n.to_string())));
        }
    };
    any_of(&mut parts, &mut values, "k.status", filter.statuses.iter().map(|s| s.as_str()).collect());
    any_of(&mut parts, &mut values, "k.category", filter.categories.iter().map(|c| c.as_str()).collect());
    if let Some(owner) = filter.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        parts.push("k.owner = ? COLLATE NOCASE".into());
        values.push(Value::Text(owner.to_string()));
    }
    if let Some(band) = filter.band {
        let scores = band.scores();
        parts.push("k.score BETWEEN ? AND ?".into());
        values.extend([Value::Integer(i64::from(*scores.start())), Value::Integer(i64::from(*scores.end()))]);
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        for word in text.to_lowercase().split_whitespace() {
            parts.push(
                "instr(fold(k.title || char(10) || k.description || char(10) || k.owner || char(10) || k.mitigation
                 || char(10) || k.contingency || char(10) || k.trigger), ?) > 0"
                    .into(),
            );
            values.push(Value::Text(word.to_string()));
        }
    }
    if cell {
        for (column, value) in [("k.likelihood", filter.likelihood), ("k.impact", filter.impact)] {
            if let Some(value) = value {
                parts.push(format!("{column} = ?"));
                values.push(Value::Integer(i64::from(value)));
            }
        }
    }
    (parts.join(" AND "), values)
}
