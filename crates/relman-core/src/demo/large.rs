//! `relman demo --scale large`: 20 products, 500 releases and 3,000 milestones over three years, for
//! measuring the timeline with a database far bigger than any team's; `--scale decade`: what a release
//! office of 20 products keeps over ten years — 5,000 releases, 30,000 milestones, 500,000 checklist
//! items, 50,000 risks and about a million audit events — deterministically, for benchmarks.

use chrono::{Duration, NaiveDate};

use super::DemoSummary;
use crate::checklist::items::{self, ItemState};
use crate::checklist::template::{Template, TemplateItem};
use crate::checklist::Phase;
use crate::milestone::{self, MilestoneInput, MilestoneKind};
use crate::product::{self, ProductInput};
use crate::release::{self, ReleaseInput, ReleaseStatus};
use crate::risk::{self, Category, RiskInput, RiskStatus};
use crate::store::Store;
use crate::{dates, lifecycle, Result, Stamp};

/// How much of what: the two shapes differ only in size.
pub(super) struct Shape {
    products: usize,
    releases_per_product: usize,
    /// Days between a product's releases; the last ones are a year ahead.
    every_days: i64,
    releases_ahead: i64,
    /// Steps copied onto each release (none at the large scale), ticked on the shipped ones.
    items_per_release: usize,
    risks_per_release: usize,
}

pub(super) const LARGE: Shape = Shape {
    products: 20,
    releases_per_product: 25,
    every_days: 42,
    releases_ahead: 8,
    items_per_release: 0,
    risks_per_release: 0,
};

pub(super) const DECADE: Shape = Shape {
    products: 20,
    releases_per_product: 250,
    every_days: 14,
    releases_ahead: 13,
    items_per_release: 100,
    risks_per_release: 10,
};
const KINDS: [(MilestoneKind, i64); 6] = [
    (MilestoneKind::FeatureFreeze, -21),
    (MilestoneKind::CodeFreeze, -14),
    (MilestoneKind::Rc, -10),
    (MilestoneKind::GoNoGo, -2),
    (MilestoneKind::DeployWindow, 0),
    (MilestoneKind::Ga, 1),
];

pub(super) fn seed(store: &mut Store, stamp: &Stamp, shape: &Shape) -> Result<DemoSummary> {
    let today = stamp.today();
    let mut summary = DemoSummary { products: 0, releases: 0, milestones: 0, risks: 0 };
    let process = process(shape.items_per_release);
    for p in 0..shape.products {
        let input = ProductInput { name: format!("Service {:02}", p + 1), ..Default::default() };
        // Added two months before its first release, ten years back.
        let back = shape.releases_per_product as i64 - shape.releases_ahead;
        let first = today - Duration::days(back * shape.every_days + 60);
        let product_id = product::create(store, &at(stamp, first.min(today)), input)?.id;
        summary.products += 1;
        for r in 0..shape.releases_per_product {
            // Staggered by product, from years back to a little ahead.
            let back = shape.releases_per_product as i64 - shape.releases_ahead;
            let target = today + Duration::days((r as i64 - back) * shape.every_days + p as i64 * 2);
            // A past release was planned two months ahead and moved on its day; a coming one is planned now.
            let shipped = target < today;
            let planned = if shipped { at(stamp, target - Duration::days(60)) } else { stamp.clone() };
            let moved = if shipped { at(stamp, target) } else { stamp.clone() };
            let stamp = &planned;
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
            if let Some(process) = &process {
                items::apply(store, stamp, created.id, process)?;
            }
            for k in 0..shape.risks_per_release {
                summary.risks += risk_on(store, stamp, product_id, created.id, p * 31 + r * 7 + k, shipped)?;
            }
            advance(store, &moved, created.id, target, today)?;
            if process.is_some() && shipped {
                // A shipped release's checklist was worked through on its day: each step started, then done.
                for item in items::list(store, created.id)? {
                    items::set_state(store, &moved, item.id, ItemState::InProgress, "")?;
                    items::set_state(store, &moved, item.id, ItemState::Done, "")?;
                }
            }
        }
    }
    Ok(summary)
}

/// `stamp`'s person at noon (UTC) on `day`.
fn at(stamp: &Stamp, day: NaiveDate) -> Stamp {
    Stamp::new(stamp.actor.clone(), super::at_noon(day))
}

/// A process of `count` steps over the four phases (none for 0).
fn process(count: usize) -> Option<Template> {
    (count > 0).then(|| Template {
        name: "Decade process".into(),
        description: String::new(),
        items: (0..count)
            .map(|i| TemplateItem {
                phase: [Phase::PreRelease, Phase::PreRelease, Phase::Deploy, Phase::PostRelease, Phase::Rollback]
                    [i % 5],
                title: format!("Step {:03}", i + 1),
                details: String::new(),
                owner_role: ["Release manager", "QA", "Ops", "Engineering"][i % 4].into(),
                required: !i.is_multiple_of(7),
                expected_minutes: Some(5 + (i % 6) as u32 * 5),
                check: None,
            })
            .collect(),
        gates: Vec::new(),
    })
}

/// One risk of a release, its ratings and status spread deterministically by `seed`.
fn risk_on(
    store: &mut Store,
    stamp: &Stamp,
    product_id: i64,
    release_id: i64,
    seed: usize,
    shipped: bool,
) -> Result<u32> {
    let categories =
        [Category::Technical, Category::Schedule, Category::Operational, Category::Security, Category::External];
    let status = if shipped {
        [RiskStatus::Closed, RiskStatus::Accepted, RiskStatus::Occurred][seed % 3]
    } else {
        [RiskStatus::Open, RiskStatus::Mitigating][seed % 2]
    };
    let input = RiskInput {
        release_id: Some(release_id),
        status,
        owner: ["Priya", "Tom", "Ana", "Kenji"][seed % 4].into(),
        mitigation: if seed.is_multiple_of(3) { String::new() } else { "Rehearsed on staging.".into() },
        ..RiskInput::new(
            product_id,
            &format!("Risk {seed:05}"),
            categories[seed % categories.len()],
            (1 + seed % 5) as i64,
            (1 + (seed / 5) % 5) as i64,
        )
    };
    risk::create(store, stamp, input)?;
    Ok(1)
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

#[cfg(test)]
mod shapes {
    use super::*;

    #[test]
    fn the_decade_has_the_shape_of_ten_years_of_a_release_office() {
        let releases = DECADE.products * DECADE.releases_per_product;
        assert_eq!(releases, 5_000);
        assert_eq!(releases * KINDS.len(), 30_000, "milestones");
        assert_eq!(releases * DECADE.items_per_release, 500_000, "checklist items");
        assert_eq!(releases * DECADE.risks_per_release, 50_000, "risks");
        let years = (DECADE.releases_per_product as i64 * DECADE.every_days) as f64 / 365.25;
        assert!((9.0..=10.0).contains(&years), "{years} years of releases");
        assert_eq!(LARGE.products * LARGE.releases_per_product, 500, "the large scale is as it was");
    }
}
