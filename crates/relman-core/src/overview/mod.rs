//! Read models for one screen or one `show`, assembled from several entities: the release detail,
//! the timeline and a release's checklist with its gates and running deployment. They only read; every
//! change goes through the entity modules or [`crate::lifecycle`].

mod checklist;
mod detail;
pub mod timeline;

pub use checklist::{checklist, ChecklistView};
pub use detail::{detail, ReleaseDetail};
pub use timeline::{timeline, Timeline, TimelineFilter, TimelineGroup, TimelineRow};
