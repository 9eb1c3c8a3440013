//! `relman demo --scale large`: 20 products, 500 releases and 3,000 milestones over three years, for
//! measuring the timeline with a database far bigger than any team's.

use chrono::{Duration, NaiveDate};

use super::DemoSummary;
use crate::milestone::{self, MilestoneInput, MilestoneKind};
use crate::product::{self, ProductInput};
use crate::release::{self, ReleaseInput, ReleaseStatus};
use crate::store::Store;
use crate::{dates, lifecycle, Result, Stamp};

const PRODUCTS: usize = 20;
const RELEASES_PER_PRODUCT: usize = 25;
const KINDS: [(MilestoneKind, i64); 6] = [
    (MilestoneKind::FeatureFreeze, -21),
    (MilestoneKind::CodeFreeze, -14),
    (MilestoneKind::Rc, -10),
    (MilestoneKind::GoNoGo, -2),
    (MilestoneKind::DeployWindow, 0),
    (MilestoneKind::Ga, 1),
];

pub(super) fn seed(store: &mut Store, stamp: &Stamp) -> Result<DemoSummary> {
    let today = stamp.today();
    let mut summary = DemoSummary { products: 0, releases: 0, milestones: 0, risks: 0 };
    for p in 0..PRODUCTS {
        let input = ProductInput { name: format!("Service {:02}", p + 1), ..Default::default() };
        let product_id = product::create(store, stamp, input)?.id;
        summary.products += 1;
        for r in 0..RELEASES_PER_PRODUCT {
            // Every six weeks, staggered by product, from about two years back to one year ahead.
            let target = today + Duration::days((r as i64 - 17) * 42 + p as i64 * 2);
            let input = ReleaseInput {
                product_id,
                version: format!("{}.{}.0", 1 + r / 10, r % 10),
                owner: ["Priya", "Tom", "Ana", "Kenji"][(p + r) % 4].into(),
                target_date: Some(dates::format(target)),
                ..Default::default()
            };
            let created = release::create(store, stamp, input)?;
            summary.releases += 1;
            for (kind, offset) in KINDS {
                let day = target + Duration::days(offset);
                let input = MilestoneInput {
                    kind,
                    name: String::new(),
                    planned_start: dates::format(day),
                    planned_end: (kind == MilestoneKind::DeployWindow).then(|| dates::format(day + Duration::days(1))),
                    actual_start: None,
                    actual_end: None,
                };
                milestone::create(store, stamp, created.id, input)?;
                summary.milestones += 1;
            }
            advance(store, stamp, created.id, target, today)?;
        }
    }
    Ok(summary)
}

/// Past releases are released; the next ones are under way.
fn advance(store: &mut Store, stamp: &Stamp, id: i64, target: NaiveDate, today: NaiveDate) -> Result<()> {
    use ReleaseStatus::*;
    let path: &[ReleaseStatus] = match (target - today).num_days() {
        ..0 => &[InProgress, Frozen, Testing, Ready, Deploying, Released],
        0..=30 => &[InProgress, Frozen, Testing],
        31..=90 => &[InProgress],
        _ => &[],
    };
    for status in path {
        lifecycle::transition(store, stamp, id, *status, "")?;
    }
    Ok(())
}
