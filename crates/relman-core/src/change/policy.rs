//! A product's change policy: the roles its changes need approved (some only for changes tagged with a
//! service, such as Security for "security"), whether commit authors may approve, and its weekly
//! maintenance windows in a named time zone. The windows are pure values with their own rule
//! ([`MaintenanceWindow::holds`]); the policy is read and written on the product's row.

use crate::store::Cached;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::{audit, AuditRecord, Store};
use crate::{Error, Result, Stamp};

/// A role a change needs approved; with `only_for`, only changes affecting one of those services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoleRule {
    pub role: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_for: Vec<String>,
}

impl RoleRule {
    /// Whether a change affecting `services` needs this role.
    pub fn applies(&self, services: &[String]) -> bool {
        self.only_for.is_empty() || self.only_for.iter().any(|s| services.iter().any(|m| m.eq_ignore_ascii_case(s)))
    }
}

/// A role as stored: the plain name (what the first schema wrote) or a rule.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredRole {
    Name(String),
    Rule(RoleRule),
}

/// The roles as stored on the product ('["CAB", {"role": "Security", "only_for": ["security"]}]').
pub fn parse_roles(text: &str) -> Vec<RoleRule> {
    let stored: Vec<StoredRole> = serde_json::from_str(text).unwrap_or_else(|_| vec![StoredRole::Name("CAB".into())]);
    stored
        .into_iter()
        .map(|r| match r {
            StoredRole::Name(role) => RoleRule { role, only_for: Vec::new() },
            StoredRole::Rule(rule) => rule,
        })
        .collect()
}

/// One weekly maintenance window: a day, a start and an end in local time of a named zone. An end at
/// or before the start runs past midnight into the next day ("sat 22:00-02:00").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MaintenanceWindow {
    /// mon, tue, wed, thu, fri, sat or sun.
    pub day: String,
    /// "HH:MM", local time in `zone`.
    pub start: String,
    pub end: String,
    /// An IANA zone such as "Europe/Berlin", or "UTC".
    pub zone: String,
}

const DAYS: [(&str, Weekday, &str); 7] = [
    ("mon", Weekday::Mon, "Mondays"),
    ("tue", Weekday::Tue, "Tuesdays"),
    ("wed", Weekday::Wed, "Wednesdays"),
    ("thu", Weekday::Thu, "Thursdays"),
    ("fri", Weekday::Fri, "Fridays"),
    ("sat", Weekday::Sat, "Saturdays"),
    ("sun", Weekday::Sun, "Sundays"),
];

impl MaintenanceWindow {
    /// Checks every part, saying what to write instead.
    pub fn validate(self) -> Result<Self> {
        let day = self.day.trim().to_lowercase();
        let day = DAYS
            .iter()
            .find(|(short, _, long)| day.starts_with(short) && long.to_lowercase().starts_with(&day))
            .map(|(short, _, _)| short.to_string())
            .ok_or_else(|| {
                Error::invalid_field(
                    "day",
                    format!("\"{}\" is not a day; write mon, tue, wed, thu, fri, sat or sun.", self.day),
                )
            })?;
        let time = |field: &'static str, text: &str| -> Result<String> {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map(|t| t.format("%H:%M").to_string())
                .map_err(|_| Error::invalid_field(field, format!("\"{text}\" is not a time; write it as 22:00.")))
        };
        let (start, end) = (time("start", &self.start)?, time("end", &self.end)?);
        if start == end {
            return Err(Error::invalid_field("end", "The window ends when it starts; give it a length."));
        }
        let zone = self.zone.trim();
        Tz::from_str(zone).map_err(|_| {
            Error::invalid_field(
                "zone",
                format!("\"{zone}\" is not a time zone; write an IANA name such as Europe/Berlin, or UTC."),
            )
        })?;
        Ok(MaintenanceWindow { day, start, end, zone: zone.to_string() })
    }

    /// "Saturdays 22:00–02:00 Europe/Berlin".
    pub fn describe(&self) -> String {
        let day = DAYS.iter().find(|(short, _, _)| *short == self.day).map_or(self.day.as_str(), |(_, _, long)| long);
        format!("{day} {}–{} {}", self.start, self.end, self.zone)
    }

    /// Whether the whole of `start..end` falls in one occurrence of this window.
    pub fn holds(&self, start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> bool {
        let (Ok(zone), Some((weekday, from, to))) = (Tz::from_str(&self.zone), self.parts()) else { return false };
        let length = if to > from { to - from } else { to - from + Duration::days(1) };
        let local_start = start.with_timezone(&zone).date_naive();
        // The occurrence that holds it started on its first local day or the day before (past midnight).
        [local_start - Duration::days(1), local_start].into_iter().filter(|d| d.weekday() == weekday).any(|day| {
            let Some(opens) = zone.from_local_datetime(&day.and_time(from)).earliest() else { return false };
            let closes = opens + length;
            opens <= start && end <= closes
        })
    }

    fn parts(&self) -> Option<(Weekday, NaiveTime, NaiveTime)> {
        let weekday = DAYS.iter().find(|(short, _, _)| *short == self.day)?.1;
        let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
        Some((weekday, time(&self.start)?, time(&self.end)?))
    }
}

/// "sat 22:00-02:00 Europe/Berlin", as `relman product policy --maintenance` takes it.
impl FromStr for MaintenanceWindow {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let (day, times, zone) = match parts.as_slice() {
            [day, times] => (*day, *times, "UTC"),
            [day, times, zone] => (*day, *times, *zone),
            _ => {
                return Err(Error::invalid_field(
                    "maintenance",
                    format!("\"{text}\" is not a maintenance window; write it as \"sat 22:00-02:00 Europe/Berlin\"."),
                ))
            }
        };
        let (start, end) = times.split_once(['-', '–']).ok_or_else(|| {
            Error::invalid_field("maintenance", format!("\"{times}\" needs a start and an end, such as 22:00-02:00."))
        })?;
        MaintenanceWindow { day: day.into(), start: start.into(), end: end.into(), zone: zone.into() }.validate()
    }
}

/// What a product asks of its changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangePolicy {
    pub roles: Vec<RoleRule>,
    /// Whether the authors of a change's commits may approve it.
    pub authors_may_approve: bool,
    /// Empty: any time suits; else a change window must fall inside one.
    pub maintenance: Vec<MaintenanceWindow>,
}

pub fn get(store: &Store, product_id: i64) -> Result<ChangePolicy> {
    read(store.conn(), product_id)
}

pub(crate) fn read(conn: &Connection, product_id: i64) -> Result<ChangePolicy> {
    crate::product::find(conn, product_id)?;
    let (roles, authors_may_approve, maintenance): (String, bool, String) = conn.query_row_cached(
        "SELECT change_roles, authors_may_approve, maintenance FROM product WHERE id = ?1",
        [product_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(ChangePolicy {
        roles: parse_roles(&roles),
        authors_may_approve,
        maintenance: serde_json::from_str(&maintenance).unwrap_or_default(),
    })
}

/// Replaces a product's change policy, after checking every role and window.
pub fn set(store: &mut Store, stamp: &Stamp, product_id: i64, policy: ChangePolicy) -> Result<ChangePolicy> {
    let mut roles: Vec<RoleRule> = Vec::new();
    for rule in policy.roles {
        let role = rule.role.trim().to_string();
        if role.is_empty() {
            return Err(Error::invalid_field("roles", "A role needs a name, such as CAB or Security."));
        }
        if roles.iter().any(|r| r.role.eq_ignore_ascii_case(&role)) {
            return Err(Error::invalid_field("roles", format!("{role} is listed twice; list each role once.")));
        }
        let only_for = rule.only_for.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        roles.push(RoleRule { role, only_for });
    }
    if roles.is_empty() {
        return Err(Error::invalid_field("roles", "A change needs at least one approving role, such as CAB."));
    }
    let maintenance = policy.maintenance.into_iter().map(MaintenanceWindow::validate).collect::<Result<Vec<_>>>()?;
    let policy = ChangePolicy { roles, authors_may_approve: policy.authors_may_approve, maintenance };
    store.write(|tx| {
        crate::product::find(tx, product_id)?;
        tx.execute_cached(
            "UPDATE product SET change_roles = ?2, authors_may_approve = ?3, maintenance = ?4 WHERE id = ?1",
            params![product_id, json(&policy.roles), policy.authors_may_approve, json(&policy.maintenance)],
        )?;
        let details = serde_json::to_value(&policy).unwrap_or_default();
        audit::record(tx, stamp, AuditRecord::new("product", product_id, "change_policy", details))
    })?;
    get(store, product_id)
}

/// A stored list as JSON text.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn a_window_holds_a_change_only_inside_one_occurrence() {
        let saturday_night: MaintenanceWindow = "sat 22:00-02:00 Europe/Berlin".parse().unwrap();
        let cases = [
            ("inside, winter time", "2026-12-12T22:30:00+01:00", "2026-12-12T23:30:00+01:00", true),
            ("past midnight, still inside", "2026-12-12T23:30:00+01:00", "2026-12-13T01:59:00+01:00", true),
            ("given in UTC, inside", "2026-12-12T21:00:00Z", "2026-12-12T22:00:00Z", true),
            ("summer time: 22:00 in Berlin is 20:00 UTC", "2026-07-11T20:00:00Z", "2026-07-11T21:00:00Z", true),
            ("starts a minute early", "2026-12-12T21:59:00+01:00", "2026-12-12T23:00:00+01:00", false),
            ("ends a minute late", "2026-12-12T23:00:00+01:00", "2026-12-13T02:01:00+01:00", false),
            ("the right time on a Friday", "2026-12-11T22:30:00+01:00", "2026-12-11T23:30:00+01:00", false),
        ];
        for (what, start, end, held) in cases {
            assert_eq!(saturday_night.holds(at(start), at(end)), held, "{what}");
        }
    }

    #[test]
    fn bad_windows_are_refused_saying_what_to_write() {
        for (text, field) in [
            ("saturday 22:00-02:00", None),
            ("someday 22:00-02:00", Some("day")),
            ("sat 25:00-02:00", Some("start")),
            ("sat 22:00-22:00", Some("end")),
            ("sat 22:00-02:00 Mars/Olympus", Some("zone")),
            ("sat", Some("maintenance")),
        ] {
            let parsed = text.parse::<MaintenanceWindow>();
            match field {
                None => assert_eq!(parsed.unwrap().describe(), "Saturdays 22:00–02:00 UTC"),
                Some(field) => match parsed.unwrap_err() {
                    Error::InvalidInput { field: got, .. } => assert_eq!(got, Some(field), "{text}"),
                    other => panic!("{text}: {other}"),
                },
            }
        }
    }

    #[test]
    fn roles_read_plain_names_and_rules() {
        let roles = parse_roles(r#"["CAB", {"role": "Security", "only_for": ["security"]}]"#);
        let security = ["Security".to_string()];
        assert!(roles[0].applies(&[]));
        assert!(!roles[1].applies(&["payments".into()]));
        assert!(roles[1].applies(&security));
    }
}
