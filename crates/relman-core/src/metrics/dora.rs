//! The five DORA delivery metrics as pure functions of gathered facts: production deployments, the
//! commits each first shipped, and the incidents attributed to them. Every number carries the ids it
//! counted, and a period with too little data says so instead of giving one.
//!
//! Definitions (docs/metrics.md):
//! - Deployment frequency: production deployments that succeeded, per week; classified as Four Keys
//!   does (daily when the median week has 3 or more deploy days, weekly when it has 1, monthly when the
//!   median month has 1, else yearly).
//! - Lead time for changes: per commit, the finish of the first production deployment that shipped it
//!   minus the commit's author time; median (and p90), commits at zero or below left out and counted.
//! - Change failure rate: production deployments that failed, were rolled back or have an incident
//!   attributed, over all production deployments: deployments are counted, never incidents.
//! - Failed deployment recovery time: from the failure (the failed deployment's end, or the incident's
//!   detection) to its resolution (the incident resolved, else the next successful deployment of the
//!   product); median.
//! - Deployment rework rate: deployments of hotfix releases over all production deployments.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

/// The report the bands come from, and its clusters.
pub const REPORT: &str = "DORA Accelerate State of DevOps 2024";

/// Rates need this many deployments before they mean something.
pub const MIN_DEPLOYMENTS_FOR_A_RATE: usize = 5;

/// A performance band of the report (named DeliveryBand in TypeScript, beside the risk bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DeliveryBand")]
pub enum Band {
    Elite,
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyClass {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A production deployment, finished.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployFact {
    pub id: i64,
    pub product_id: i64,
    pub finished: DateTime<Utc>,
    /// It succeeded (else it failed or was rolled back).
    pub succeeded: bool,
    /// A deployment of a hotfix release.
    pub rework: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFact {
    pub id: i64,
    pub deployment_id: Option<i64>,
    pub detected: DateTime<Utc>,
    pub resolved: Option<DateTime<Utc>>,
}

/// A commit and the first production deployment that shipped it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitFact {
    pub sha: String,
    pub authored: DateTime<Utc>,
    pub deployment_id: i64,
}

/// Everything the metrics read. `deployments` may hold ones outside the period (recovery looks for
/// the next successful one); the period picks those counted.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub deployments: Vec<DeployFact>,
    pub incidents: Vec<IncidentFact>,
    pub commits: Vec<CommitFact>,
}

/// One metric: its value (None when the period has too little data, and `note` says why), unit,
/// band, and what was counted.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Metric {
    pub value: Option<f64>,
    pub unit: String,
    pub band: Option<Band>,
    /// The value in words ("3.5 per week, weekly"), or why there is none.
    pub text: String,
    /// What was left out, and why.
    pub note: String,
    pub deployments: Vec<i64>,
    pub commits: Vec<String>,
    pub incidents: Vec<i64>,
}

impl Metric {
    fn none(unit: &str, why: impl Into<String>) -> Self {
        let why = why.into();
        Metric {
            value: None,
            unit: unit.into(),
            band: None,
            text: why.clone(),
            note: String::new(),
            deployments: vec![],
            commits: vec![],
            incidents: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Metrics {
    /// The days counted, both included (UTC).
    pub from: String,
    pub to: String,
    pub report: String,
    pub deployment_frequency: Metric,
    /// Four Keys' class of the frequency, when there is one.
    pub frequency_class: Option<FrequencyClass>,
    pub lead_time: Metric,
    /// The 90th percentile of the lead times, in hours.
    pub lead_time_p90: Option<f64>,
    pub change_failure_rate: Metric,
    pub recovery_time: Metric,
    pub rework_rate: Metric,
}

/// The median of sorted values (the mean of the middle two for an even count).
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The p-th percentile of sorted values, nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

fn round(value: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (value * f).round() / f
}

/// The metrics of `facts` over the days `from..=to`.
pub fn compute(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Metrics {
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let end = (to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let inside = |t: DateTime<Utc>| start <= t && t < end;
    let counted: Vec<&DeployFact> = facts.deployments.iter().filter(|d| inside(d.finished)).collect();
    let (frequency, class) = deployment_frequency(&counted, from, to);
    let (lead_time, p90) = lead_time(facts, &counted);
    Metrics {
        from: from.to_string(),
        to: to.to_string(),
        report: REPORT.into(),
        deployment_frequency: frequency,
        frequency_class: class,
        lead_time,
        lead_time_p90: p90,
        change_failure_rate: change_failure_rate(facts, &counted),
        recovery_time: recovery_time(facts, &counted),
        rework_rate: rework_rate(&counted),
    }
}

fn deployment_frequency(counted: &[&DeployFact], from: NaiveDate, to: NaiveDate) -> (Metric, Option<FrequencyClass>) {
    let days = (to - from).num_days() + 1;
    if days < 7 {
        return (Metric::none("deployments per week", "Choose a period of at least a week."), None);
    }
    let succeeded: Vec<&&DeployFact> = counted.iter().filter(|d| d.succeeded).collect();
    if counted.is_empty() {
        return (Metric::none("deployments per week", "No production deployments in the period."), None);
    }
    let per_week = succeeded.len() as f64 / (days as f64 / 7.0);
    let deploy_days: std::collections::BTreeSet<NaiveDate> =
        succeeded.iter().map(|d| d.finished.date_naive()).collect();
    // Deploy days in each 7-day bucket from `from` (the last one may be shorter), and in each month.
    let weeks = (days + 6) / 7;
    let mut per_bucket = vec![0.0; weeks as usize];
    for day in &deploy_days {
        per_bucket[((*day - from).num_days() / 7) as usize] += 1.0;
    }
    per_bucket.sort_by(f64::total_cmp);
    let class = if median(&per_bucket).unwrap_or(0.0) >= 3.0 {
        FrequencyClass::Daily
    } else if median(&per_bucket).unwrap_or(0.0) >= 1.0 {
        FrequencyClass::Weekly
    } else {
        let months: Vec<(i32, u32)> = {
            let mut all = Vec::new();
            let mut d = from.with_day(1).unwrap_or(from);
            while d <= to {
                all.push((d.year(), d.month()));
                d = if d.month() == 12 {
                    NaiveDate::from_ymd_opt(d.year() + 1, 1, 1).unwrap_or(to + Duration::days(1))
                } else {
                    NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1).unwrap_or(to + Duration::days(1))
                };
            }
            all
        };
        let mut per_month: Vec<f64> = months
            .iter()
            .map(|(y, m)| deploy_days.iter().filter(|d| d.year() == *y && d.month() == *m).count() as f64)
            .collect();
        per_month.sort_by(f64::total_cmp);
        if median(&per_month).unwrap_or(0.0) >= 1.0 {
            FrequencyClass::Monthly
        } else {
            FrequencyClass::Yearly
        }
    };
    // 2024 clusters: elite on demand (several a day), high daily to weekly, medium weekly to monthly,
    // low monthly or less often.
    let band = match class {
        FrequencyClass::Daily if per_week >= 14.0 => Band::Elite,
        FrequencyClass::Daily | FrequencyClass::Weekly => Band::High,
        FrequencyClass::Monthly => Band::Medium,
        FrequencyClass::Yearly => Band::Low,
    };
    let class_word = match class {
        FrequencyClass::Daily => "daily",
        FrequencyClass::Weekly => "weekly",
        FrequencyClass::Monthly => "monthly",
        FrequencyClass::Yearly => "yearly",
    };
    let metric = Metric {
        value: Some(round(per_week, 2)),
        unit: "deployments per week".into(),
        band: Some(band),
        text: format!("{:.1} successful deployments a week ({class_word})", per_week),
        note: match counted.len() - succeeded.len() {
            0 => String::new(),
            1 => "1 deployment that did not succeed is not counted.".to_string(),
            n => format!("{n} deployments that did not succeed are not counted."),
        },
        deployments: succeeded.iter().map(|d| d.id).collect(),
        commits: vec![],
        incidents: vec![],
    };
    (metric, Some(class))
}

fn lead_time(facts: &Facts, counted: &[&DeployFact]) -> (Metric, Option<f64>) {
    let mut hours = Vec::new();
    let mut commits = Vec::new();
    let mut deployments = Vec::new();
    let mut ignored = 0;
    for c in &facts.commits {
        let Some(d) = counted.iter().find(|d| d.id == c.deployment_id && d.succeeded) else { continue };
        let lead = (d.finished - c.authored).num_seconds() as f64 / 3600.0;
        if lead <= 0.0 {
            ignored += 1;
            continue;
        }
        hours.push(lead);
        commits.push(c.sha.clone());
        if !deployments.contains(&d.id) {
            deployments.push(d.id);
        }
    }
    if hours.is_empty() {
        return (Metric::none("hours", "No commits reached production in the period."), None);
    }
    hours.sort_by(f64::total_cmp);
    let (Some(med), p90) = (median(&hours), percentile(&hours, 90.0)) else { unreachable!("not empty") };
    let band = if med < 24.0 {
        Band::Elite
    } else if med < 24.0 * 7.0 {
        Band::High
    } else if med < 24.0 * 30.0 {
        Band::Medium
    } else {
        Band::Low
    };
    let metric = Metric {
        value: Some(round(med, 1)),
        unit: "hours".into(),
        band: Some(band),
        text: format!("median {} from commit to production, over {}", duration_text(med), count(hours.len(), "commit")),
        note: match ignored {
            0 => String::new(),
            1 => "1 commit authored after its deployment finished is left out.".to_string(),
            n => format!("{n} commits authored after their deployment finished are left out."),
        },
        deployments,
        commits,
        incidents: vec![],
    };
    (metric, p90.map(|v| round(v, 1)))
}

/// The deployments of `counted` that failed: their outcome, or an incident attributed to them.
fn failed<'a>(facts: &'a Facts, counted: &[&'a DeployFact]) -> Vec<(&'a DeployFact, Vec<&'a IncidentFact>)> {
    counted
        .iter()
        .filter_map(|d| {
            let incidents: Vec<&IncidentFact> =
                facts.incidents.iter().filter(|i| i.deployment_id == Some(d.id)).collect();
            (!d.succeeded || !incidents.is_empty()).then_some((*d, incidents))
        })
        .collect()
}

fn change_failure_rate(facts: &Facts, counted: &[&DeployFact]) -> Metric {
    if counted.len() < MIN_DEPLOYMENTS_FOR_A_RATE {
        return Metric::none(
            "percent",
            format!(
                "{} production deployments in the period: a rate needs at least {MIN_DEPLOYMENTS_FOR_A_RATE}.",
                counted.len()
            ),
        );
    }
    let failures = failed(facts, counted);
    let rate = 100.0 * failures.len() as f64 / counted.len() as f64;
    // 2024 clusters: elite 5%, medium 10%, high 20%, low 40%; a rate takes the nearest cluster's band.
    let clusters = [(5.0, Band::Elite), (10.0, Band::Medium), (20.0, Band::High), (40.0, Band::Low)];
    let band = clusters.iter().min_by(|a, b| (a.0 - rate).abs().total_cmp(&(b.0 - rate).abs())).map(|c| c.1);
    Metric {
        value: Some(round(rate, 1)),
        unit: "percent".into(),
        band,
        text: format!("{} of {} production deployments failed ({rate:.1}%)", failures.len(), counted.len()),
        note: String::new(),
        deployments: failures.iter().map(|(d, _)| d.id).collect(),
        commits: vec![],
        incidents: failures.iter().flat_map(|(_, i)| i.iter().map(|i| i.id)).collect(),
    }
}

fn recovery_time(facts: &Facts, counted: &[&DeployFact]) -> Metric {
    let failures = failed(facts, counted);
    if failures.is_empty() {
        return Metric::none("hours", "No failed deployments in the period: nothing to recover from.");
    }
    let mut hours = Vec::new();
    let mut unresolved = 0;
    let mut incidents = Vec::new();
    for (d, attributed) in &failures {
        let from = attributed.iter().map(|i| i.detected).chain((!d.succeeded).then_some(d.finished)).min();
        let resolved: Option<DateTime<Utc>> = match attributed.as_slice() {
            [] => None,
            some => some.iter().map(|i| i.resolved).collect::<Option<Vec<_>>>().and_then(|r| r.into_iter().max()),
        };
        let to = resolved.or_else(|| {
            // No incident to resolve: restored by the product's next successful deployment.
            attributed.is_empty().then(|| {
                facts
                    .deployments
                    .iter()
                    .filter(|n| n.product_id == d.product_id && n.succeeded && n.finished > d.finished)
                    .map(|n| n.finished)
                    .min()
            })?
        });
        incidents.extend(attributed.iter().map(|i| i.id));
        match (from, to) {
            (Some(from), Some(to)) if to >= from => hours.push((to - from).num_seconds() as f64 / 3600.0),
            _ => unresolved += 1,
        }
    }
    let note = match unresolved {
        0 => String::new(),
        1 => "1 failure is not resolved yet and is not counted.".to_string(),
        n => format!("{n} failures are not resolved yet and are not counted."),
    };
    if hours.is_empty() {
        return Metric { note, ..Metric::none("hours", "No failure in the period has been resolved yet.") };
    }
    hours.sort_by(f64::total_cmp);
    let med = median(&hours).unwrap_or(0.0);
    // 2024 clusters: elite under an hour, high and medium under a day, low a week to a month (a day
    // to a week, between them, is read as medium).
    let band = if med < 1.0 {
        Band::Elite
    } else if med < 24.0 {
        Band::High
    } else if med < 24.0 * 7.0 {
        Band::Medium
    } else {
        Band::Low
    };
    Metric {
        value: Some(round(med, 2)),
        unit: "hours".into(),
        band: Some(band),
        text: format!("median {} to restore, over {}", duration_text(med), count(hours.len(), "failure")),
        note,
        deployments: failures.iter().map(|(d, _)| d.id).collect(),
        commits: vec![],
        incidents,
    }
}

fn rework_rate(counted: &[&DeployFact]) -> Metric {
    if counted.len() < MIN_DEPLOYMENTS_FOR_A_RATE {
        return Metric::none(
            "percent",
            format!(
                "{} production deployments in the period: a rate needs at least {MIN_DEPLOYMENTS_FOR_A_RATE}.",
                counted.len()
            ),
        );
    }
    let rework: Vec<i64> = counted.iter().filter(|d| d.rework).map(|d| d.id).collect();
    let rate = 100.0 * rework.len() as f64 / counted.len() as f64;
    Metric {
        value: Some(round(rate, 1)),
        unit: "percent".into(),
        // The 2024 report introduces the rework rate without clusters for it.
        band: None,
        text: format!("{} of {} production deployments were hotfixes ({rate:.1}%)", rework.len(), counted.len()),
        note: String::new(),
        deployments: rework,
        commits: vec![],
        incidents: vec![],
    }
}

/// "1 commit", "4 commits".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "45 min", "5.5 h", "3.2 days".
pub fn duration_text(hours: f64) -> String {
    if hours < 1.0 {
        format!("{:.0} min", hours * 60.0)
    } else if hours < 48.0 {
        format!("{:.1} h", hours)
    } else {
        format!("{:.1} days", hours / 24.0)
    }
}
