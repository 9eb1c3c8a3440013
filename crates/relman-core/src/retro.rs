//! A release's retrospective (post-implementation review): what Relman prefills from the release —
//! planned against actual dates, deploy-mode timings against expectations, the steps skipped, failed
//! or blocked with their reasons, gates overridden, risks that occurred, incidents and their time to
//! restore — beside what the team writes (what went well, what did not) and its action items. An
//! action item can become a risk on the product's next release, or a step of a process template, in
//! one action, with a link back.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::checklist::items::{self, ItemState};
use crate::checklist::template::{self, TemplateItem};
use crate::checklist::Phase;
use crate::incident;
use crate::release::{self, ReleaseStatus};
use crate::risk::{self, Category, ReleaseScope, RiskFilter, RiskInput, RiskStatus};
use crate::store::{audit, AuditRecord, Store};
use crate::{dates, milestone, Error, Result, Stamp};

#[derive(Debug, Clone, Serialize, TS)]
pub struct Retrospective {
    pub release_id: i64,
    /// "Atlas Web 2.4.0"
    pub release_name: String,
    pub facts: RetroFacts,
    pub went_well: String,
    pub went_badly: String,
    /// Who last wrote it, and when (None until someone does).
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
    pub actions: Vec<RetroAction>,
    /// What users, support and the team said about the release.
    pub feedback: Vec<Feedback>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Neutral,
    Negative,
}

impl Sentiment {
    fn as_str(self) -> &'static str {
        match self {
            Sentiment::Positive => "positive",
            Sentiment::Neutral => "neutral",
            Sentiment::Negative => "negative",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "positive" => Sentiment::Positive,
            "negative" => Sentiment::Negative,
            _ => Sentiment::Neutral,
        }
    }
}

/// One piece of feedback on a release, for its retrospective.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Feedback {
    pub id: i64,
    pub uid: String,
    /// Who said it: a customer, support, a team.
    pub source: String,
    /// Where: support ticket, app store review, Slack…
    pub channel: String,
    pub text: String,
    pub sentiment: Sentiment,
    pub at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct FeedbackInput {
    pub source: String,
    #[serde(default)]
    pub channel: String,
    pub text: String,
    pub sentiment: Sentiment,
}

/// Records feedback on a release.
pub fn add_feedback(store: &mut Store, stamp: &Stamp, release_id: i64, input: FeedbackInput) -> Result<Feedback> {
    let (source, text) = (input.source.trim(), input.text.trim());
    if source.is_empty() {
        return Err(Error::invalid_field("source", "Say who gave it: a customer, support, a team."));
    }
    if text.is_empty() {
        return Err(Error::invalid_field("text", "Write what they said."));
    }
    let id = store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT INTO feedback (release_id, source, channel, text, sentiment, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![release_id, source, input.channel.trim(), text, input.sentiment.as_str(), stamp.at_text(), stamp.actor],
        )?;
        let id = tx.last_insert_rowid();
        let details = serde_json::json!({ "feedback": id, "source": source, "sentiment": input.sentiment });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "feedback", details))?;
        Ok(id)
    })?;
    feedback(store.conn(), release_id)?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or_else(|| Error::NotFound("The feedback was not saved.".into()))
}

fn feedback(conn: &Connection, release_id: i64) -> Result<Vec<Feedback>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid, source, channel, text, sentiment, at FROM feedback WHERE release_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([release_id], |r| {
        Ok(Feedback {
            id: r.get(0)?,
            uid: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            source: r.get(2)?,
            channel: r.get(3)?,
            text: r.get(4)?,
            sentiment: Sentiment::parse(&r.get::<_, String>(5)?),
            at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What Relman knows about how the release went.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct RetroFacts {
    /// Where the release ended up (released, rolled back…).
    pub status: Option<ReleaseStatus>,
    /// The release's first target, its last, and the day it shipped (YYYY-MM-DD).
    pub first_target: Option<String>,
    pub target: Option<String>,
    pub shipped: Option<String>,
    /// Days it shipped after its first target (negative: before).
    pub shipped_late_days: Option<i64>,
    /// Milestones that moved from their first plan.
    pub slipped: Vec<Slip>,
    /// Steps with an expected and an actual duration, most over-run first.
    pub timings: Vec<StepTiming>,
    /// Steps skipped, failed or blocked, with their reasons.
    pub troubled: Vec<TroubledStep>,
    /// Moves made over failing gates, with the reason given.
    pub overrides: Vec<Override>,
    pub risks_occurred: Vec<String>,
    pub incidents: Vec<RetroIncident>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Slip {
    pub name: String,
    pub first: String,
    pub last: String,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct StepTiming {
    pub title: String,
    pub expected_minutes: i64,
    pub actual_minutes: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TroubledStep {
    pub title: String,
    pub state: ItemState,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Override {
    pub to: ReleaseStatus,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RetroIncident {
    pub id: i64,
    pub title: String,
    pub severity: incident::Severity,
    pub minutes_to_restore: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Prevent,
    Mitigate,
    Process,
}

impl ActionKind {
    fn as_str(self) -> &'static str {
        match self {
            ActionKind::Prevent => "prevent",
            ActionKind::Mitigate => "mitigate",
            ActionKind::Process => "process",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "prevent" => ActionKind::Prevent,
            "mitigate" => ActionKind::Mitigate,
            _ => ActionKind::Process,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RetroAction {
    pub id: i64,
    pub uid: String,
    pub text: String,
    pub owner: String,
    pub due_date: Option<String>,
    pub kind: ActionKind,
    pub done: bool,
    /// The risk it became, on the product's next release.
    pub risk_id: Option<i64>,
    /// The template step it became: "Template: phase: title".
    pub template_step: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ActionInput {
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_date: Option<String>,
    pub kind: ActionKind,
}

/// The retrospective of a release, prefilled.
pub fn get(store: &Store, release_id: i64) -> Result<Retrospective> {
    let r = release::get(store, release_id)?;
    let facts = facts(store, &r)?;
    let written: Option<(String, String, String, String)> = store
        .conn()
        .query_row_cached(
            "SELECT went_well, went_badly, updated_by, updated_at FROM retrospective WHERE release_id = ?1",
            [release_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let (went_well, went_badly, updated_by, updated_at) = match written {
        Some((w, b, by, at)) => (w, b, Some(by), Some(at)),
        None => (String::new(), String::new(), None, None),
    };
    Ok(Retrospective {
        release_id,
        release_name: format!("{} {}", r.product_name, r.version),
        facts,
        went_well,
        went_badly,
        updated_by,
        updated_at,
        actions: actions(store.conn(), release_id)?,
        feedback: feedback(store.conn(), release_id)?,
    })
}

fn facts(store: &Store, r: &release::Release) -> Result<RetroFacts> {
    let mut f = RetroFacts {
        status: Some(r.status),
        first_target: r.baseline_target.clone(),
        target: r.target_date.clone(),
        shipped: r.actual_date.clone(),
        ..Default::default()
    };
    if let (Some(first), Some(shipped)) = (&f.first_target, &f.shipped) {
        f.shipped_late_days = Some(dates::days_between(first, shipped));
    }
    for m in milestone::list(store, r.id)? {
        if m.slip_days != 0 {
            f.slipped.push(Slip { name: m.name, first: m.baseline_start, last: m.planned_start, days: m.slip_days });
        }
    }
    let minutes = |from: &str, to: &str| {
        let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
        Some((parse(to)? - parse(from)?).num_minutes())
    };
    for item in items::list(store, r.id)? {
        if let (Some(expected), Some(start), Some(end)) = (item.expected_minutes, &item.started_at, &item.finished_at) {
            if let Some(actual) = minutes(start, end).filter(|m| *m >= 0) {
                f.timings.push(StepTiming {
                    title: item.title.clone(),
                    expected_minutes: expected,
                    actual_minutes: actual,
                });
            }
        }
        if matches!(item.state, ItemState::Skipped | ItemState::Failed | ItemState::Blocked) {
            f.troubled.push(TroubledStep { title: item.title, state: item.state, reason: item.note });
        }
    }
    f.timings.sort_by_key(|t| std::cmp::Reverse(t.actual_minutes - t.expected_minutes));
    for t in release::history(store, r.id)? {
        if let Some(reason) = t.note.strip_prefix("Gates overridden: ") {
            f.overrides.push(Override { to: t.to, reason: reason.to_string(), by: t.actor, at: t.at });
        }
    }
    let filter = RiskFilter {
        product_id: Some(r.product_id),
        release: ReleaseScope::Release { id: r.id },
        ..Default::default()
    };
    f.risks_occurred =
        risk::list(store, &filter)?.into_iter().filter(|k| k.status == RiskStatus::Occurred).map(|k| k.title).collect();
    f.incidents = incident::list(store, None, Some(r.id))?
        .into_iter()
        .map(|i| RetroIncident {
            id: i.id,
            title: i.title,
            severity: i.severity,
            minutes_to_restore: i.minutes_to_restore,
        })
        .collect();
    Ok(f)
}

/// Writes what the team says went well and what did not.
pub fn write(
    store: &mut Store,
    stamp: &Stamp,
    release_id: i64,
    went_well: &str,
    went_badly: &str,
) -> Result<Retrospective> {
    store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT INTO retrospective (release_id, went_well, went_badly, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(release_id) DO UPDATE SET went_well = excluded.went_well, went_badly = excluded.went_badly,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            params![release_id, went_well.trim(), went_badly.trim(), stamp.at_text(), stamp.actor],
        )?;
        let details = serde_json::json!({ "went_well": went_well.trim(), "went_badly": went_badly.trim() });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "retro", details))
    })?;
    get(store, release_id)
}

pub fn add_action(store: &mut Store, stamp: &Stamp, release_id: i64, input: ActionInput) -> Result<RetroAction> {
    let text = input.text.trim();
    if text.is_empty() {
        return Err(Error::invalid_field(
            "text",
            "Say what will be done, such as \"Rehearse the rollback on staging\".",
        ));
    }
    let due = input
        .due_date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| dates::parse("due_date", d))
        .transpose()?;
    let id = store.write(|tx| {
        release::find(tx, release_id)?;
        tx.execute_cached(
            "INSERT INTO retro_action (release_id, text, owner, due_date, kind, created_at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![release_id, text, input.owner.trim(), due.map(dates::format), input.kind.as_str(), stamp.at_text(), stamp.actor],
        )?;
        let id = tx.last_insert_rowid();
        let details = serde_json::json!({ "action": id, "text": text, "kind": input.kind });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "retro_action", details))?;
        Ok(id)
    })?;
    action(store.conn(), id)
}

/// Marks an action item done, or not done again.
pub fn set_done(store: &mut Store, stamp: &Stamp, id: i64, done: bool) -> Result<RetroAction> {
    store.write(|tx| {
        let (release_id, _) = release_of(tx, id)?;
        tx.execute_cached("UPDATE retro_action SET done = ?2 WHERE id = ?1", params![id, done])?;
        let details = serde_json::json!({ "action": id, "done": done });
        audit::record(tx, stamp, AuditRecord::new("release", release_id, "retro_action", details))
    })?;
    action(store.conn(), id)
}

/// Where an action item goes: a risk of the product's next release, or a step of a saved template.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Promotion {
    Risk,
    Step { template: String, phase: Phase },
}

/// Turns an action item into a risk on the product's next release (the earliest one not yet shipped,
/// else product-wide), or a step of a saved process template, and links it back. One transaction.
pub fn promote(store: &mut Store, stamp: &Stamp, id: i64, to: Promotion) -> Result<RetroAction> {
    let found = action(store.conn(), id)?;
    if found.risk_id.is_some() || !found.template_step.is_empty() {
        return Err(Error::Conflict(format!("\"{}\" already became {}.", found.text, became(&found))));
    }
    let (release_id, _) = release_of(store.conn(), id)?;
    let from = release::get(store, release_id)?;
    match to {
        Promotion::Risk => {
            let next =
                release::list(store, &release::ReleaseFilter { product_id: Some(from.product_id), status: None })?
                    .into_iter()
                    .filter(|r| {
                        r.id != from.id
                            && !matches!(
                                r.status,
                                ReleaseStatus::Released | ReleaseStatus::RolledBack | ReleaseStatus::Cancelled
                            )
                    })
                    .min_by_key(|r| (r.target_date.is_none(), r.target_date.clone()));
            let category = match found.kind {
                ActionKind::Process => Category::Operational,
                _ => Category::Technical,
            };
            let input = RiskInput {
                release_id: next.as_ref().map(|r| r.id),
                owner: found.owner.clone(),
                description: format!("From the retrospective of {} {}.", from.product_name, from.version),
                mitigation: if found.kind == ActionKind::Prevent { String::new() } else { found.text.clone() },
                review_date: found.due_date.clone(),
                ..RiskInput::new(from.product_id, &found.text, category, 3, 3)
            };
            store.batch(|store| {
                let created = risk::create(store, stamp, input)?;
                store.write(|tx| {
                    tx.execute_cached("UPDATE retro_action SET risk_id = ?2 WHERE id = ?1", params![id, created.id])?;
                    let details = serde_json::json!({ "action": id, "risk": created.id });
                    audit::record(tx, stamp, AuditRecord::new("release", release_id, "retro_action", details))
                })
            })?;
        }
        Promotion::Step { template: name, phase } => {
            let mut t = template::get(store, &name)?;
            if t.name.eq_ignore_ascii_case(template::BUILT_IN) {
                return Err(Error::invalid_field(
                    "template",
                    "The built-in template does not change; duplicate it in Settings → Templates and add the step there.",
                ));
            }
            t.items.push(TemplateItem {
                phase,
                title: found.text.clone(),
                details: format!("From the retrospective of {} {}.", from.product_name, from.version),
                owner_role: found.owner.clone(),
                required: true,
                expected_minutes: None,
                check: None,
            });
            let step = format!("{}: {}: {}", t.name, phase.label(), found.text);
            store.batch(|store| {
                template::save(store, stamp, t)?;
                store.write(|tx| {
                    tx.execute_cached("UPDATE retro_action SET template_step = ?2 WHERE id = ?1", params![id, step])?;
                    let details = serde_json::json!({ "action": id, "template_step": step });
                    audit::record(tx, stamp, AuditRecord::new("release", release_id, "retro_action", details))
                })
            })?;
        }
    }
    action(store.conn(), id)
}

fn became(a: &RetroAction) -> String {
    match a.risk_id {
        Some(risk) => format!("risk {risk}"),
        None => format!("the step \"{}\"", a.template_step),
    }
}

fn release_of(conn: &Connection, id: i64) -> Result<(i64, String)> {
    conn.query_row_cached("SELECT release_id, text FROM retro_action WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("Action item {id} does not exist.")))
}

const ACTION: &str = "SELECT id, uid, text, owner, due_date, kind, done, risk_id, template_step FROM retro_action";

fn action(conn: &Connection, id: i64) -> Result<RetroAction> {
    conn.query_row(&format!("{ACTION} WHERE id = ?1"), [id], action_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Action item {id} does not exist.")))
}

fn actions(conn: &Connection, release_id: i64) -> Result<Vec<RetroAction>> {
    let mut stmt = conn.prepare(&format!("{ACTION} WHERE release_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([release_id], action_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn action_row(r: &Row<'_>) -> rusqlite::Result<RetroAction> {
    Ok(RetroAction {
        id: r.get(0)?,
        uid: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        text: r.get(2)?,
        owner: r.get(3)?,
        due_date: r.get(4)?,
        kind: ActionKind::parse(&r.get::<_, String>(5)?),
        done: r.get(6)?,
        risk_id: r.get(7)?,
        template_step: r.get(8)?,
    })
}

/// The retrospective as Markdown, for the release's dossier or a wiki page.
pub fn markdown(retro: &Retrospective) -> String {
    let f = &retro.facts;
    let mut out = format!("# Retrospective: {}\n\n## How it went\n\n", retro.release_name);
    match (&f.first_target, &f.shipped, f.shipped_late_days) {
        (Some(first), Some(shipped), Some(late)) => out.push_str(&format!(
            "- Shipped {shipped}; first planned for {first} ({}).\n",
            match late {
                0 => "on the day".to_string(),
                n if n > 0 => format!("{n} days late"),
                n => format!("{} days early", -n),
            }
        )),
        (_, None, _) => {
            let planned = f.target.as_deref().unwrap_or("no date");
            let how = match f.status {
                Some(ReleaseStatus::RolledBack) => "Rolled back",
                Some(ReleaseStatus::Cancelled) => "Cancelled",
                _ => "Not shipped yet",
            };
            out.push_str(&format!("- {how}; it was planned for {planned}.\n"));
        }
        _ => {}
    }
    for s in &f.slipped {
        out.push_str(&format!("- {} moved {:+} days ({} → {}).\n", s.name, s.days, s.first, s.last));
    }
    for t in f.timings.iter().filter(|t| t.actual_minutes > t.expected_minutes).take(3) {
        out.push_str(&format!(
            "- \"{}\" took {} min against {} expected.\n",
            t.title, t.actual_minutes, t.expected_minutes
        ));
    }
    for t in &f.troubled {
        let state = serde_json::to_value(t.state).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let reason = if t.reason.is_empty() { String::new() } else { format!(": {}", t.reason) };
        out.push_str(&format!("- \"{}\" was {state}{reason}.\n", t.title));
    }
    for o in &f.overrides {
        out.push_str(&format!("- Gates overridden into {} by {}: {}.\n", o.to.label().to_lowercase(), o.by, o.reason));
    }
    for r in &f.risks_occurred {
        out.push_str(&format!("- The risk \"{r}\" occurred.\n"));
    }
    for i in &f.incidents {
        let restore = i
            .minutes_to_restore
            .map(|m| format!(", restored in {}", minutes_text(m)))
            .unwrap_or_else(|| ", not resolved".into());
        out.push_str(&format!("- Incident {} ({}): {}{restore}.\n", i.id, i.severity.as_str(), i.title));
    }
    for (title, text) in [("What went well", &retro.went_well), ("What did not", &retro.went_badly)] {
        out.push_str(&format!(
            "\n## {title}\n\n{}\n",
            if text.trim().is_empty() { "Not written yet." } else { text.trim() }
        ));
    }
    if !retro.feedback.is_empty() {
        out.push_str("\n## Feedback\n\n");
        for f in &retro.feedback {
            let channel = if f.channel.is_empty() { String::new() } else { format!(", {}", f.channel) };
            out.push_str(&format!("- {} ({}{channel}): {}\n", f.source, f.sentiment.as_str(), f.text));
        }
    }
    out.push_str("\n## Action items\n\n");
    if retro.actions.is_empty() {
        out.push_str("None yet.\n");
    }
    for a in &retro.actions {
        let owner = if a.owner.is_empty() { String::new() } else { format!(" — {}", a.owner) };
        let due = a.due_date.as_deref().map(|d| format!(", due {d}")).unwrap_or_default();
        let link = if a.risk_id.is_some() || !a.template_step.is_empty() {
            format!(" (became {})", became(a))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "- [{}] {} ({}){owner}{due}{link}\n",
            if a.done { "x" } else { " " },
            a.text,
            a.kind.as_str()
        ));
    }
    out
}

/// "45 min", "1 h 30 min", "4 days 20 min".
pub fn minutes_text(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(if days == 1 { "1 day".to_string() } else { format!("{days} days") });
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if mins > 0 || parts.is_empty() {
        parts.push(format!("{mins} min"));
    }
    parts.join(" ")
}

/// The retrospective as a file ("atlas-web-2-4-0-retrospective.md").
pub fn export(store: &Store, release_id: i64) -> Result<crate::export::ExportFile> {
    let retro = get(store, release_id)?;
    Ok(crate::export::ExportFile::new(
        &format!("{} retrospective", retro.release_name),
        "md",
        "Markdown",
        markdown(&retro),
    ))
}
