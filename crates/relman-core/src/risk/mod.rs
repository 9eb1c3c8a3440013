//! The risk register: risks per release or product-wide, scored likelihood × impact, with their
//! history in the audit log; and risks suggested from the release's git range.

pub mod exchange;
mod model;
mod query;
mod register;
mod report;
pub mod settings;
pub mod suggest;
pub mod suggested;

pub use model::{rating, Band, Category, RiskStatus};
pub use query::{page, summary, RiskOrder, RiskSortKey, RiskSummary};
pub use register::{
    create, delete, get, history, list, patch, update, ReleaseScope, Risk, RiskChange, RiskFilter, RiskInput, RiskPatch,
};
pub use report::{export, to_markdown, ExportFormat};
pub use settings::{RiskSettings, DEFAULT_THRESHOLD};
pub use suggest::{EvidenceCommit, Suggestion, SuggestionKind, SuggestionRules};
pub use suggested::{ReleaseSuggestions, SuggestionCache};

/// The live risks bearing on a release (its own and its product's product-wide ones) that score at
/// or above the product's threshold and have no mitigation: what the gate rule refuses. Returns the
/// threshold too, for the gate's message.
pub(crate) fn unmitigated(conn: &rusqlite::Connection, release_id: i64) -> crate::Result<(u8, Vec<Risk>)> {
    let found = crate::release::find(conn, release_id)?;
    let threshold = settings::read(conn, found.product_id)?.threshold;
    let filter = RiskFilter {
        product_id: Some(found.product_id),
        release: ReleaseScope::Release { id: release_id },
        ..Default::default()
    };
    let risks = query::read(conn, &filter)?.into_iter().filter(|r| r.blocks_gate(threshold)).collect();
    Ok((threshold, risks))
}
