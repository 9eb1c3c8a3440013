//! The risk register: risks per release or product-wide, scored likelihood × impact, with their
//! history in the audit log; and risks suggested from the release's git range.

mod model;
pub mod suggest;

pub use model::{rating, Band, Category, RiskStatus};
pub use suggest::{EvidenceCommit, Suggestion, SuggestionKind, SuggestionRules};
