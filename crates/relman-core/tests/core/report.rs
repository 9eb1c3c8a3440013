//! The stakeholder status report on the sample: its Markdown as a snapshot, and text from the plan
//! kept inert in both formats.

use relman_core::report::status::Format;
use relman_core::risk::{self, Category, RiskInput};
use relman_core::{demo, release, report};

use crate::common::{db, stamp};

#[test]
fn the_status_report_of_the_sample_reads_as_plain_language() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let found = report::status(&db.store, None, stamp().today(), stamp().at).unwrap();
    assert_eq!(found.in_flight.len(), 3, "3.0.0, Beacon 2026.12 and 2.5.0");
    insta::assert_snapshot!(found.render(Format::Md).unwrap());
}

#[test]
fn text_from_the_plan_stays_text_in_markdown_and_html() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let hostile = "<script>alert(1)</script> [win](http://evil.example) <img src=x>";
    let input = RiskInput {
        release_id: Some(lupine.id),
        ..RiskInput::new(lupine.product_id, hostile, Category::Security, 5, 5)
    };
    risk::create(&mut db.store, &stamp(), input).unwrap();
    let found = report::status(&db.store, Some(lupine.product_id), stamp().today(), stamp().at).unwrap();
    let html = found.render(Format::Html).unwrap();
    assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "escaped, still readable");
    let tags: Vec<&str> = html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")).collect();
    assert!(
        tags.iter().all(|t| !t.contains("src=") && !t.contains("href=")),
        "no tag loads or links anything: {tags:?}"
    );
    let md = found.render(Format::Md).unwrap();
    assert!(md.contains("&lt;script&gt;") && md.contains("\\[win\\]"), "{md}");
    assert!(md.starts_with("# Release status, Atlas Web: 2026-11-26"), "{md}");
}
