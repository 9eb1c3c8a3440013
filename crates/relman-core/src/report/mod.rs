//! Reports for people who do not use Relman. [`status`]: where every release in flight stands — its
//! status in words, target against its first plan, next milestone, what would stop its next move, its
//! top risks, open change requests and incidents — with the freeze windows ahead and what shipped
//! lately; as Markdown for a chat message or HTML for an e-mail. Plain language, no internal ids.

pub mod status;

pub use status::{status, StatusReport};
