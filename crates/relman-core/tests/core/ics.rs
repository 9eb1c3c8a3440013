use relman_core::freeze::{self, FreezeWindowInput};
use relman_core::{demo, ics, product};

use crate::common::{db, stamp};

/// Parses with `ical`, an iCalendar parser independent of the crate that wrote the file.
fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut reader = ical::IcalParser::new(text.as_bytes());
    let calendar = reader.next().expect("one calendar").expect("a valid iCalendar file");
    assert!(reader.next().is_none(), "exactly one calendar");
    calendar
}

fn property<'a>(event: &'a ical::parser::ical::component::IcalEvent, name: &str) -> &'a str {
    event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref()).unwrap_or("")
}

#[test]
fn milestones_and_freezes_round_trip_through_a_real_parser() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let text = ics::calendar(&mut db.store, &stamp(), None).unwrap();
    assert!(text.contains("\r\n"), "RFC 5545 lines end in CRLF");
    let calendar = parse(&text);
    let freezes = freeze::list(&db.store).unwrap().len();
    let planned = relman_core::change::planned(&db.store, None).unwrap();
    assert_eq!(planned.len(), 2, "the sample's standard and normal changes");
    assert_eq!(calendar.events.len(), 30 + freezes + 2, "every milestone, freeze window and planned change");
    let change =
        calendar.events.iter().find(|e| property(e, "SUMMARY").contains("Rotate the CDN certificates")).unwrap();
    assert_eq!(property(change, "SUMMARY"), format!("Atlas Web change {}: Rotate the CDN certificates", planned[0].id));
    assert!(
        property(change, "DTSTART").ends_with("T210000Z"),
        "22:00 at +01:00, in UTC: {}",
        property(change, "DTSTART")
    );
    assert_eq!(property(change, "UID"), format!("change-{}@relman", planned[0].uid));

    let holiday = calendar
        .events
        .iter()
        .find(|e| property(e, "SUMMARY") == "Freeze: Holiday freeze")
        .expect("the freeze is there");
    assert_eq!(property(holiday, "DTSTART"), "20261216", "all-day, starting on the window's first day");
    assert_eq!(property(holiday, "DTEND"), "20261224", "DTEND is exclusive: the day after the last day");

    let code_freeze =
        calendar.events.iter().find(|e| property(e, "SUMMARY") == "Atlas Web 2.5.0: Code freeze").unwrap();
    assert!(property(code_freeze, "DESCRIPTION").contains("moved +2 days"), "{}", property(code_freeze, "DESCRIPTION"));
}

#[test]
fn a_second_export_keeps_every_uid() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let uids = |text: &str| -> Vec<String> {
        let mut uids: Vec<String> = parse(text).events.iter().map(|e| property(e, "UID").to_string()).collect();
        uids.sort();
        uids
    };
    let first = uids(&ics::calendar(&mut db.store, &stamp(), None).unwrap());
    let input = FreezeWindowInput {
        name: "Audit week".into(),
        start_date: "2027-03-01".into(),
        end_date: "2027-03-05".into(),
        reason: String::new(),
        product_ids: vec![],
    };
    freeze::create(&mut db.store, &stamp(), input).unwrap();
    let second = uids(&ics::calendar(&mut db.store, &stamp(), None).unwrap());
    assert!(first.iter().all(|uid| second.contains(uid)), "events already imported are updated, not duplicated");
    assert_eq!(second.len(), first.len() + 1);
    let unique: std::collections::HashSet<&String> = second.iter().collect();
    assert_eq!(unique.len(), second.len(), "UIDs are unique");

    let beacon = product::find_by_name(&db.store, "Beacon Mobile").unwrap();
    let only_beacon = parse(&ics::calendar(&mut db.store, &stamp(), Some(beacon.id)).unwrap());
    assert!(only_beacon.events.iter().all(|e| {
        let s = property(e, "SUMMARY");
        s.starts_with("Beacon Mobile") || s.starts_with("Freeze:")
    }));
    assert!(
        !only_beacon.events.iter().any(|e| property(e, "SUMMARY") == "Freeze: Payments migration"),
        "Atlas's own freeze is left out"
    );
}
