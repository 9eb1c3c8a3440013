//! Each product's register settings: the score at which an unmitigated live risk blocks a gate, and
//! the path patterns the suggestions look for.

use crate::store::Cached;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Band, SuggestionRules};
use crate::store::{audit, AuditRecord, Store};
use crate::{product, Error, Result, Stamp};

pub const DEFAULT_THRESHOLD: u8 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RiskSettings {
    /// A gate with the risk rule fails while a live risk scoring this or more has no mitigation.
    pub threshold: u8,
    pub rules: SuggestionRules,
}

pub fn get(store: &Store, product_id: i64) -> Result<RiskSettings> {
    read(store.conn(), product_id)
}

pub(crate) fn read(conn: &Connection, product_id: i64) -> Result<RiskSettings> {
    product::find(conn, product_id)?;
    let (threshold, rules): (u8, String) =
        conn.query_row_cached("SELECT risk_threshold, risk_rules FROM product WHERE id = ?1", [product_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    // Written only by `set`, from a checked value; anything else falls back to the defaults.
    let rules = serde_json::from_str(&rules).unwrap_or_default();
    Ok(RiskSettings { threshold, rules })
}

pub fn set(store: &mut Store, stamp: &Stamp, product_id: i64, settings: RiskSettings) -> Result<RiskSettings> {
    let clean = validate(settings)?;
    store.write(|tx| {
        product::find(tx, product_id)?;
        let rules =
            serde_json::to_string(&clean.rules).map_err(|e| Error::Io(format!("Saving the rules failed: {e}")))?;
        tx.execute_cached(
            "UPDATE product SET risk_threshold = ?2, risk_rules = ?3 WHERE id = ?1",
            params![product_id, clean.threshold, rules],
        )?;
        let details = serde_json::json!({ "threshold": clean.threshold, "rules": clean.rules });
        audit::record(tx, stamp, AuditRecord::new("product", product_id, "risk_settings", details))
    })?;
    get(store, product_id)
}

fn validate(settings: RiskSettings) -> Result<RiskSettings> {
    if !(1..=25).contains(&settings.threshold) {
        return Err(Error::invalid_field(
            "threshold",
            format!(
                "The threshold is a score from 1 to 25 (likelihood × impact); {} is the usual start of the {} band.",
                DEFAULT_THRESHOLD,
                Band::High.as_str()
            ),
        ));
    }
    let clean = |list: Vec<String>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in list.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    };
    let rules = SuggestionRules {
        migration_paths: clean(settings.rules.migration_paths),
        dependency_paths: clean(settings.rules.dependency_paths),
        infrastructure_paths: clean(settings.rules.infrastructure_paths),
        ..settings.rules
    };
    super::suggest::check_rules(&rules)?;
    Ok(RiskSettings { threshold: settings.threshold, rules })
}
