//! The long listings a page at a time: every page walked in turn gives the whole list, in its order,
//! each row once; the SQL filters and counts agree with the register's own rules.

use std::collections::{HashMap, HashSet};

use relman_core::overview::timeline::{self, TimelineFilter};
use relman_core::release::{self, ReleaseFilter, ReleaseStatus};
use relman_core::risk::{self, Category, ReleaseScope, RiskFilter, RiskInput, RiskOrder, RiskSortKey, RiskStatus};
use relman_core::store::page::{Page, PageRequest};
use relman_core::{demo, ErrorCode};

use crate::common::{add_product, add_release, db, stamp, Db};

/// Every page of a listing, walked with `limit` rows a page.
fn walk<T>(limit: u32, mut read: impl FnMut(&PageRequest) -> Page<T>) -> Vec<T> {
    let mut request = PageRequest::first(limit);
    let mut rows = Vec::new();
    loop {
        let page = read(&request);
        assert!(page.items.len() <= limit as usize);
        rows.extend(page.items);
        match page.next {
            Some(next) => request.after = Some(next),
            None => return rows,
        }
    }
}

/// The sample, plus a product with 40 releases (some undated, some on the same day) and 120 risks of
/// every kind, so that each listing spans pages.
fn sample() -> (Db, i64) {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let product = add_product(&mut db, "Zephyr");
    let mut releases = Vec::new();
    for n in 0..40 {
        let mut input = release::ReleaseInput {
            product_id: product,
            version: format!("3.{n}.0"),
            target_date: (n % 5 != 0).then(|| format!("2027-0{}-1{}", 1 + n % 9, n % 3)),
            ..Default::default()
        };
        input.owner = ["Ana", "tom", ""][n % 3].into();
        releases.push(release::create(&mut db.store, &stamp(), input).unwrap().id);
    }
    let statuses = RiskStatus::ALL;
    let categories = [Category::Technical, Category::Security, Category::External, Category::Schedule];
    for n in 0..120usize {
        let input = RiskInput {
            release_id: (n % 4 != 0).then(|| releases[n % releases.len()]),
            status: statuses[n % statuses.len()],
            owner: ["Ana", "ana", "Émile", ""][n % 4].into(),
            mitigation: if n % 3 == 0 { String::new() } else { "Rehearsed.".into() },
            review_date: (n % 2 == 0).then(|| format!("2026-1{}-0{}", n % 3, 1 + n % 9)),
            description: if n % 7 == 0 { "ÉCHEC du basculement".into() } else { String::new() },
            ..RiskInput::new(
                product,
                &format!("{} risk {n}", ["Database", "cache", "Émail", "zeta"][n % 4]),
                categories[n % categories.len()],
                (1 + n % 5) as i64,
                (1 + (n / 5) % 5) as i64,
            )
        };
        risk::create(&mut db.store, &stamp(), input).unwrap();
    }
    (db, product)
}

#[test]
fn release_pages_walk_the_whole_list_in_its_order() {
    let (db, _) = sample();
    for filter in [
        ReleaseFilter::default(),
        ReleaseFilter { product_id: Some(1), status: None },
        ReleaseFilter { product_id: None, status: Some(ReleaseStatus::Planned) },
    ] {
        let all: Vec<i64> = release::list(&db.store, &filter).unwrap().iter().map(|r| r.id).collect();
        let paged: Vec<i64> =
            walk(7, |request| release::page(&db.store, &filter, request).unwrap()).iter().map(|r| r.id).collect();
        assert_eq!(paged, all, "{filter:?}");
        let first = release::page(&db.store, &filter, &PageRequest::first(7)).unwrap();
        assert_eq!(first.total, all.len() as u64);
    }
    // Undated releases come first, then the newest target first.
    let all = release::list(&db.store, &ReleaseFilter::default()).unwrap();
    let dated: Vec<&str> = all.iter().filter_map(|r| r.target_date.as_deref().or(r.actual_date.as_deref())).collect();
    assert!(all[0].target_date.is_none());
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "newest first: {dated:?}");
}

#[test]
fn a_page_after_a_release_added_meanwhile_neither_skips_nor_repeats() {
    let (mut db, _) = sample();
    let filter = ReleaseFilter::default();
    let first = release::page(&db.store, &filter, &PageRequest::first(10)).unwrap();
    // Someone adds an undated release, which sorts before everything already shown.
    add_release(&mut db, 1, "9.9.9");
    let request = PageRequest { limit: Some(1000), after: first.next.clone() };
    let rest = release::page(&db.store, &filter, &request).unwrap();
    let shown: HashSet<i64> = first.items.iter().chain(&rest.items).map(|r| r.id).collect();
    assert_eq!(shown.len(), first.items.len() + rest.items.len(), "no release twice");
    assert_eq!(rest.total, first.total + 1);
    assert_eq!(shown.len() as u64, first.total, "every release that was there when the first page came");
}

#[test]
fn bad_pages_are_refused_with_what_to_do() {
    let (db, _) = sample();
    let filter = ReleaseFilter::default();
    let bad = PageRequest { limit: Some(5000), after: None };
    let err = release::page(&db.store, &filter, &bad).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("1 to 1000"), "{err}");
    let bad = PageRequest { limit: None, after: Some("yesterday".into()) };
    let err = risk::page(&db.store, &RiskFilter::default(), RiskOrder::default(), &bad).unwrap_err();
    assert!(err.to_string().contains("without it"), "{err}");
}

/// Each sort key's value as the table orders it, for checking the pages' order.
fn sort_value(r: &risk::Risk, key: RiskSortKey) -> String {
    let status = RiskStatus::ALL.iter().position(|s| *s == r.status).unwrap();
    match key {
        RiskSortKey::Score => format!("{:02}", r.score),
        RiskSortKey::Title => r.title.to_lowercase(),
        RiskSortKey::Category => r.category.as_str().into(),
        RiskSortKey::Likelihood => r.likelihood.to_string(),
        RiskSortKey::Impact => r.impact.to_string(),
        RiskSortKey::Status => status.to_string(),
        RiskSortKey::Owner => {
            if r.owner.is_empty() {
                "\u{10FFFF}".into()
            } else {
                r.owner.to_lowercase()
            }
        }
        RiskSortKey::Review => r.review_date.clone().unwrap_or_else(|| "~".into()),
    }
}

#[test]
fn risk_pages_sort_by_every_column_either_way() {
    let (db, zephyr) = sample();
    let filter = RiskFilter { product_id: Some(zephyr), ..Default::default() };
    let all: HashSet<i64> = risk::list(&db.store, &filter).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(all.len(), 120);
    use RiskSortKey::*;
    for key in [Score, Title, Category, Likelihood, Impact, Status, Owner, Review] {
        for descending in [true, false] {
            let order = RiskOrder { key, descending };
            let rows = walk(9, |request| risk::page(&db.store, &filter, order, request).unwrap());
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), all, "{order:?}: each risk once");
            assert_eq!(ids.len(), all.len(), "{order:?}: none twice");
            let values: Vec<String> = rows.iter().map(|r| sort_value(r, key)).collect();
            let sorted = values.windows(2).all(|w| if descending { w[0] >= w[1] } else { w[0] <= w[1] });
            assert!(sorted, "{order:?}: {values:?}");
        }
    }
}

/// The register's rules for a filter, said plainly: what the SQL must select.
fn expected(filter: &RiskFilter, risk: &risk::Risk, product_of: &HashMap<i64, i64>) -> bool {
    let release_ok = match filter.release {
        ReleaseScope::Any => true,
        ReleaseScope::ProductWide => risk.release_id.is_none(),
        // Its own risks, and the product-wide ones of its product.
        ReleaseScope::Release { id } => {
            risk.release_id == Some(id) || (risk.release_id.is_none() && product_of.get(&id) == Some(&risk.product_id))
        }
    };
    let text_ok = filter.text.as_deref().is_none_or(|text| {
        let haystack =
            [&risk.title, &risk.description, &risk.owner, &risk.mitigation, &risk.contingency, &risk.trigger]
                .map(|s| s.to_lowercase())
                .join("\n");
        text.to_lowercase().split_whitespace().all(|word| haystack.contains(word))
    });
    let owner_ok = filter.owner.as_deref().map(str::trim).is_none_or(|o| risk.owner.eq_ignore_ascii_case(o));
    release_ok
        && text_ok
        && owner_ok
        && filter.product_id.is_none_or(|p| p == risk.product_id)
        && (filter.statuses.is_empty() || filter.statuses.contains(&risk.status))
        && (filter.categories.is_empty() || filter.categories.contains(&risk.category))
        && filter.band.is_none_or(|b| b == risk.band)
        && filter.likelihood.is_none_or(|l| l == risk.likelihood)
        && filter.impact.is_none_or(|i| i == risk.impact)
}

#[test]
fn the_sql_filters_agree_with_the_registers_rules() {
    let (db, zephyr) = sample();
    let everything = risk::list(&db.store, &RiskFilter::default()).unwrap();
    let product_of: HashMap<i64, i64> =
        release::list(&db.store, &ReleaseFilter::default()).unwrap().iter().map(|r| (r.id, r.product_id)).collect();
    let zephyr_release = everything.iter().find(|r| r.product_id == zephyr && r.release_id.is_some()).unwrap();
    let filters = [
        RiskFilter::default(),
        RiskFilter { product_id: Some(zephyr), ..Default::default() },
        RiskFilter { product_id: Some(zephyr), release: ReleaseScope::ProductWide, ..Default::default() },
        RiskFilter { release: ReleaseScope::Release { id: zephyr_release.release_id.unwrap() }, ..Default::default() },
        RiskFilter { statuses: vec![RiskStatus::Open, RiskStatus::Mitigating], ..Default::default() },
        RiskFilter { categories: vec![Category::Security], ..Default::default() },
        RiskFilter { owner: Some(" ANA ".into()), ..Default::default() },
        RiskFilter { owner: Some("émile".into()), ..Default::default() },
        RiskFilter { band: Some(risk::Band::High), ..Default::default() },
        RiskFilter { band: Some(risk::Band::Low), ..Default::default() },
        RiskFilter { text: Some("échec".into()), ..Default::default() },
        RiskFilter { text: Some("RISK émail".into()), ..Default::default() },
        RiskFilter { likelihood: Some(3), impact: Some(2), ..Default::default() },
    ];
    for filter in filters {
        let by_sql: Vec<i64> = risk::list(&db.store, &filter).unwrap().iter().map(|r| r.id).collect();
        let by_rules: HashSet<i64> =
            everything.iter().filter(|r| expected(&filter, r, &product_of)).map(|r| r.id).collect();
        assert_eq!(by_sql.iter().copied().collect::<HashSet<_>>(), by_rules, "{filter:?}");
        assert_eq!(by_sql.len(), by_rules.len(), "{filter:?}");
        let page = risk::page(&db.store, &filter, RiskOrder::default(), &PageRequest::first(5)).unwrap();
        assert_eq!(page.total, by_rules.len() as u64, "{filter:?}");
    }
}

#[test]
fn the_summary_counts_what_the_table_would_show() {
    let (db, zephyr) = sample();
    let today = "2026-11-26";
    let filter = RiskFilter { product_id: Some(zephyr), likelihood: Some(1), impact: Some(1), ..Default::default() };
    let summary = risk::summary(&db.store, &filter, 15, today).unwrap();
    // The cell is left out: the heat map shows every cell of the filter.
    let all = risk::list(&db.store, &RiskFilter { product_id: Some(zephyr), ..Default::default() }).unwrap();
    assert_eq!(summary.total, all.len() as u64);
    for (l, row) in summary.heat.iter().enumerate() {
        for (i, count) in row.iter().enumerate() {
            let expected = all.iter().filter(|r| r.likelihood as usize == l + 1 && r.impact as usize == i + 1).count();
            assert_eq!(*count, expected as u64, "cell {}×{}", l + 1, i + 1);
        }
    }
    let today_day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    assert_eq!(summary.live, all.iter().filter(|r| r.status.is_live()).count() as u64);
    assert_eq!(summary.blocking, all.iter().filter(|r| r.blocks_gate(15)).count() as u64);
    assert_eq!(summary.overdue, all.iter().filter(|r| r.review_overdue(today_day)).count() as u64);
    assert_eq!(summary.owners, vec!["Ana".to_string(), "ana".into(), "Émile".into()]);

    // Risks with no review date count none overdue (not a missing number).
    let mut db = db;
    let quiet = add_product(&mut db, "Quiet");
    risk::create(&mut db.store, &stamp(), RiskInput::new(quiet, "Vendor slips", Category::External, 2, 1)).unwrap();
    let summary = risk::summary(&db.store, &RiskFilter { product_id: Some(quiet), ..Default::default() }, 15, today);
    let summary = summary.unwrap();
    assert_eq!((summary.total, summary.live, summary.blocking, summary.overdue), (1, 1, 0, 0));
}

/// A timeline row as its bar and its milestones' days.
type Bar = (String, String, Vec<(String, String)>);

#[test]
fn the_timeline_shows_what_touches_the_days_asked_for() {
    let (db, _) = sample();
    let today = stamp().today();
    let all = timeline::timeline(&db.store, &TimelineFilter::default(), today).unwrap();
    let window =
        TimelineFilter { from: Some("2026-11-01".into()), to: Some("2026-12-31".into()), ..Default::default() };
    let part = timeline::timeline(&db.store, &window, today).unwrap();
    let rows = |t: &timeline::Timeline| -> Vec<Bar> {
        t.groups
            .iter()
            .flat_map(|g| &g.rows)
            .map(|r| {
                let milestones = r
                    .milestones
                    .iter()
                    .map(|m| (m.planned_start.clone(), m.planned_end.clone().unwrap_or_default()))
                    .collect();
                (r.bar_start.clone(), r.bar_end.clone(), milestones)
            })
            .collect()
    };
    let touches = |(start, end, milestones): &Bar| {
        (start.as_str() <= "2026-12-31" && end.as_str() >= "2026-11-01")
            || milestones.iter().any(|(s, e)| s.as_str() <= "2026-12-31" && e.max(s).as_str() >= "2026-11-01")
    };
    let expected: Vec<_> = rows(&all).into_iter().filter(touches).collect();
    assert!(!expected.is_empty() && expected.len() < rows(&all).len(), "the days hold some of the plan");
    assert_eq!(rows(&part), expected);
    assert_eq!(part.earliest, all.start, "how far back the plan goes, shown or not");
    let open_ended = TimelineFilter { from: Some("2026-11-01".into()), ..Default::default() };
    assert!(rows(&timeline::timeline(&db.store, &open_ended, today).unwrap()).len() >= expected.len());

    let backwards =
        TimelineFilter { from: Some("2026-12-31".into()), to: Some("2026-11-01".into()), ..Default::default() };
    let err = timeline::timeline(&db.store, &backwards, today).unwrap_err();
    assert!(err.to_string().contains("swap them"), "{err}");
    let no_start = TimelineFilter { to: Some("2026-11-01".into()), ..Default::default() };
    assert_eq!(timeline::timeline(&db.store, &no_start, today).unwrap_err().code(), ErrorCode::InvalidInput);
}
