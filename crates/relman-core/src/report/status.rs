//! The stakeholder status report: gathered from the plan ([`status`]), then written with the
//! templates in `templates/` (minijinja; HTML escapes every value, Markdown makes text inert).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::change::{self, ChangeState};
use crate::incident::{self, IncidentStatus};
use crate::lifecycle::gates;
use crate::release::{self, ReleaseFilter, ReleaseStatus};
use crate::risk::{self, ReleaseScope, RiskFilter};
use crate::store::Store;
use crate::{dates, freeze, milestone, product, Result};

/// Days back that "shipped lately" covers.
pub const SHIPPED_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, TS)]
pub struct StatusReport {
    /// YYYY-MM-DD
    pub date: String,
    /// "Atlas Web", or "All products".
    pub scope: String,
    pub in_flight: Vec<InFlight>,
    pub freezes: Vec<String>,
    pub shipped: Vec<String>,
    pub shipped_days: i64,
}

/// One release on its way, in sentences.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InFlight {
    /// "Atlas Web 2.5.0 (Lupine)"
    pub name: String,
    pub status: String,
    pub owner: String,
    /// "Target 2026-12-10, in 9 days; 3 days later than first planned."
    pub target: String,
    /// "Next: Go/no-go on 2026-12-08."
    pub next: Option<String>,
    /// What would stop its next move now, gate by gate.
    pub blocked: Vec<String>,
    pub risks: Vec<String>,
    pub changes: Vec<String>,
    pub incidents: Vec<String>,
}

/// Where every release in flight stands on `today`, for one product or all.
pub fn status(store: &Store, product_id: Option<i64>, today: NaiveDate, now: DateTime<Utc>) -> Result<StatusReport> {
    let scope = match product_id {
        Some(id) => product::get(store, id)?.name,
        None => "All products".to_string(),
    };
    let today_text = dates::format(today);
    let releases = release::list(store, &ReleaseFilter { product_id, status: None })?;
    let mut in_flight = Vec::new();
    let mut shipped = Vec::new();
    let since = dates::format(today - Duration::days(SHIPPED_DAYS));
    for r in &releases {
        let name = if r.codename.is_empty() {
            format!("{} {}", r.product_name, r.version)
        } else {
            format!("{} {} ({})", r.product_name, r.version, r.codename)
        };
        match r.status {
            ReleaseStatus::Released | ReleaseStatus::RolledBack => {
                let day = r.actual_date.clone().or_else(|| r.target_date.clone()).unwrap_or_default();
                if day >= since && day <= today_text {
                    let how = if r.status == ReleaseStatus::RolledBack { "rolled back" } else { "shipped" };
                    shipped.push(format!("{name}: {how} on {day}."));
                }
            }
            ReleaseStatus::Cancelled => {}
            _ => in_flight.push(flight(store, r, name, today, now)?),
        }
    }
    let freezes = freeze::list(store)?
        .into_iter()
        .filter(|w| w.end_date >= today_text && product_id.is_none_or(|p| w.applies_to(p)))
        .map(|w| {
            let reason = if w.reason.trim().is_empty() { String::new() } else { format!(": {}", w.reason.trim()) };
            let now = if w.start_date <= today_text { " (now)" } else { "" };
            format!("{}, {} to {}{now}{reason}", w.name, w.start_date, w.end_date)
        })
        .collect();
    Ok(StatusReport { date: today_text, scope, in_flight, freezes, shipped, shipped_days: SHIPPED_DAYS })
}

fn flight(store: &Store, r: &release::Release, name: String, today: NaiveDate, now: DateTime<Utc>) -> Result<InFlight> {
    let target = match &r.target_date {
        None => "No target date yet.".to_string(),
        Some(t) => {
            let days = dates::days_between(&dates::format(today), t);
            let when = match days {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                d if d > 0 => format!("in {d} days"),
                -1 => "1 day late".to_string(),
                d => format!("{} days late", -d),
            };
            let slip = match r.slip_days {
                0 => String::new(),
                d if d > 0 => format!("; {d} days later than first planned"),
                d => format!("; {} days earlier than first planned", -d),
            };
            format!("Target {t}, {when}{slip}.")
        }
    };
    let today_text = dates::format(today);
    let next = milestone::list(store, r.id)?
        .into_iter()
        .filter(|m| m.actual_start.is_none() && m.planned_start >= today_text)
        .min_by(|a, b| a.planned_start.cmp(&b.planned_start))
        .map(|m| format!("Next: {} on {}.", m.name, m.planned_start));
    let mut blocked = Vec::new();
    for into in
        r.next_statuses.iter().copied().filter(|s| !matches!(s, ReleaseStatus::Cancelled | ReleaseStatus::RolledBack))
    {
        for gate in gates::evaluate_for(store, r.id, into, now)? {
            if !gate.failures.is_empty() {
                blocked.push(format!("Before {}: {}.", into.label().to_lowercase(), gate.failures.join("; ")));
            }
        }
    }
    let filter = RiskFilter {
        product_id: Some(r.product_id),
        release: ReleaseScope::Release { id: r.id },
        ..Default::default()
    };
    let mut live: Vec<risk::Risk> = risk::list(store, &filter)?.into_iter().filter(|k| k.status.is_live()).collect();
    live.sort_by_key(|k| std::cmp::Reverse(k.score));
    let risks = live
        .iter()
        .take(3)
        .map(|k| {
            let mitigation = if k.mitigation.trim().is_empty() {
                "no mitigation yet".to_string()
            } else {
                format!("mitigation: {}", k.mitigation.trim())
            };
            format!("{} (score {} of 25, {mitigation})", k.title, k.score)
        })
        .collect();
    let changes = change::list(store, Some(r.product_id), Some(r.id))?
        .into_iter()
        .filter(|c| !matches!(c.state, ChangeState::Closed | ChangeState::Cancelled))
        .map(|c| {
            let state = match (c.state, c.missing.as_slice()) {
                (ChangeState::Draft, _) => "being written".to_string(),
                (ChangeState::Assess | ChangeState::Authorize, []) => "approved".to_string(),
                (ChangeState::Assess | ChangeState::Authorize, missing) => {
                    format!("awaiting approval from {}", missing.join(" and "))
                }
                (ChangeState::Scheduled, _) => "approved and scheduled".to_string(),
                (ChangeState::Implement, _) => "being carried out".to_string(),
                _ => "in review".to_string(),
            };
            let window = match (&c.window_start, &c.window_end) {
                (Some(s), Some(e)) => format!(", window {} to {}", s.replace('T', " "), e.replace('T', " ")),
                _ => String::new(),
            };
            format!("{}: {state}{window}.", c.title)
        })
        .collect();
    let incidents = incident::list(store, None, Some(r.id))?
        .into_iter()
        .filter(|i| i.status != IncidentStatus::Resolved)
        .map(|i| format!("{} ({}, {}).", i.title, i.severity.as_str().to_uppercase(), i.status.as_str()))
        .collect();
    Ok(InFlight {
        name,
        status: r.status.label().to_string(),
        owner: if r.owner.is_empty() { "no owner yet".into() } else { r.owner.clone() },
        target,
        next,
        blocked,
        risks,
        changes,
        incidents,
    })
}

/// How the report is written: Markdown for a chat message, HTML for an e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "ReportFormat")]
pub enum Format {
    Md,
    Html,
}

impl StatusReport {
    pub fn render(&self, format: Format) -> Result<String> {
        let (name, source) = match format {
            Format::Md => ("status.md", include_str!("templates/status.md.jinja")),
            Format::Html => ("status.html", include_str!("templates/status.html.jinja")),
        };
        crate::notes::render_builtin(name, source, self)
    }
}
