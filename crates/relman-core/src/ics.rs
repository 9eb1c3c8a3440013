//! Milestones, freeze windows and change windows as an iCalendar file (RFC 5545) that calendar applications import.
//! Every event's UID is stable (its kind, its id and this database's calendar id), so importing a later
//! export updates the events instead of duplicating them.

use crate::store::Cached;
use std::hash::{Hash, Hasher};

use chrono::Duration;
use icalendar::{Calendar, Component, Event, EventLike};
use rusqlite::OptionalExtension;

use crate::milestone::MilestoneKind;
use crate::overview::timeline::{timeline, TimelineFilter};
use crate::store::Store;
use crate::{dates, freeze, Result, Stamp};

/// The calendar of one product, or of all when `product_id` is None.
/// The calendar as a file to save ("relman-releases.ics").
pub fn export(store: &mut Store, stamp: &Stamp, product_id: Option<i64>) -> Result<crate::export::ExportFile> {
    let text = calendar(store, stamp, product_id)?;
    Ok(crate::export::ExportFile::new("relman releases", "ics", "iCalendar", text))
}

pub fn calendar(store: &mut Store, stamp: &Stamp, product_id: Option<i64>) -> Result<String> {
    let calendar_id = calendar_id(store, stamp)?;
    let filter = TimelineFilter { product_id, ..Default::default() };
    let view = timeline(store, &filter, stamp.today())?;
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Relman//Release calendar//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name("Relman releases");
    for row in view.groups.iter().flat_map(|g| &g.rows) {
        let r = &row.release;
        for m in &row.milestones {
            let start = dates::parse("planned_start", &m.planned_start)?;
            let end = m.planned_end.as_deref().map(|e| dates::parse("planned_end", e)).transpose()?.unwrap_or(start);
            let mut description =
                format!("{} {} ({}), owner {}", r.product_name, r.version, r.status.label(), or_dash(&r.owner));
            if m.slip_days != 0 {
                description.push_str(&format!("; moved {:+} days from {}", m.slip_days, m.baseline_start));
            }
            let title = if m.kind == MilestoneKind::Custom || m.name != m.kind.default_name() {
                m.name.clone()
            } else {
                m.kind.default_name().to_string()
            };
            cal.push(
                Event::new()
                    .uid(&format!("milestone-{}.{calendar_id}@relman", m.id))
                    .timestamp(stamp.at)
                    .summary(&format!("{} {}: {title}", r.product_name, r.version))
                    .description(&description)
                    .starts(start)
                    .ends(end + Duration::days(1))
                    .done(),
            );
        }
    }
    for w in freeze::list(store)?.into_iter().filter(|w| product_id.is_none_or(|p| w.applies_to(p))) {
        let start = dates::parse("start_date", &w.start_date)?;
        let end = dates::parse("end_date", &w.end_date)?;
        cal.push(
            Event::new()
                .uid(&format!("freeze-{}.{calendar_id}@relman", w.id))
                .timestamp(stamp.at)
                .summary(&format!("Freeze: {}", w.name))
                .description(&or_dash(&w.reason))
                .starts(start)
                .ends(end + Duration::days(1))
                .done(),
        );
    }
    let products: std::collections::HashMap<i64, String> =
        crate::product::list(store)?.into_iter().map(|p| (p.id, p.name)).collect();
    for c in &view.changes {
        let product = products.get(&c.product_id).map_or("", String::as_str);
        let instant = |t: &str| chrono::DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&chrono::Utc));
        let (Ok(start), Ok(end)) = (instant(&c.window_start), instant(&c.window_end)) else { continue };
        let mut description = format!("{} change, {}", c.kind.as_str(), c.state.as_str());
        for conflict in &c.conflicts {
            description.push_str(&format!("; {conflict}"));
        }
        cal.push(
            Event::new()
                // The change's own UID, as `relman change export --format ics` writes it: one event, however exported.
                .uid(&format!("change-{}@relman", c.uid))
                .timestamp(stamp.at)
                .summary(&format!("{product} change {}: {}", c.id, c.title))
                .description(&description)
                .starts(start)
                .ends(end)
                .done(),
        );
    }
    Ok(cal.done().to_string())
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "-".to_string()
    } else {
        text.to_string()
    }
}

/// A random-enough id made once per database, so two databases' events never share a UID.
fn calendar_id(store: &mut Store, stamp: &Stamp) -> Result<String> {
    let conn = store.conn();
    let existing: Option<String> =
        conn.query_row_cached("SELECT value FROM setting WHERE key = 'calendar_id'", [], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let mut hasher = std::hash::DefaultHasher::new();
    (stamp.at.timestamp_nanos_opt(), std::process::id(), store.path()).hash(&mut hasher);
    let id = format!("{:016x}", hasher.finish());
    store.write(|tx| {
        tx.execute_cached("INSERT OR IGNORE INTO setting (key, value) VALUES ('calendar_id', ?1)", [&id])?;
        Ok(())
    })?;
    Ok(id)
}
