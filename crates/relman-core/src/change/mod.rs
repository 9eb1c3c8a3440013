//! Change requests: what a CAB approves before a production change. A change belongs to a product
//! and usually one release, moves through the states of [`machine`] for its type, and collects
//! approvals by role, never from its requester ([`duties`]). Every write is one transaction with its
//! audit event; changes and approvals are shared like the rest of the plan (`share/kinds.rs`).
//! What each product asks (roles, whether authors may approve, maintenance windows) is its
//! [`policy`].

pub mod conflicts;
pub mod duties;
pub mod machine;
pub mod policy;

use crate::store::page::{Page, PageRequest};
use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use conflicts::{ChangeConflict, ConflictKind};
pub use machine::{ChangeState, ChangeType};
pub use policy::{ChangePolicy, MaintenanceWindow, RoleRule};

use crate::store::{audit, AuditRecord, Store};
use crate::{release, Error, Result, Stamp};

/// A change request as the Changes view and `relman change show` show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeRequest {
    pub id: i64,
    /// The id that stays the same in every copy of the plan (a UUID v7).
    pub uid: String,
    pub product_id: i64,
    pub release_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub justification: String,
    #[serde(rename = "type")]
    pub kind: ChangeType,
    pub state: ChangeState,
    /// RFC 3339, with the offset it was planned in.
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    /// Affected services or components, as the team names them.
    pub services: Vec<String>,
    pub implementation_plan: String,
    pub backout_plan: String,
    pub test_plan: String,
    pub risk: String,
    pub impact: String,
    /// Linked commits, ranges or issue keys.
    pub links: Vec<String>,
    /// The authors of the commits it ships, as its last draft read them from git.
    pub authors: Vec<String>,
    /// Whether its product lets those authors approve it.
    pub authors_may_approve: bool,
    /// What the window runs into: freeze windows, other changes, deploy windows.
    pub conflicts: Vec<ChangeConflict>,
    pub requester: String,
    /// Why it was last sent back to draft.
    pub rejection: String,
    pub approvals: Vec<Approval>,
    /// The roles it needs approved, and those still missing.
    pub roles: Vec<String>,
    pub missing: Vec<String>,
    /// The states it may move to now.
    pub next_states: Vec<ChangeState>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Approval {
    pub uid: String,
    pub role: String,
    pub person: String,
    pub approved: bool,
    pub comment: String,
    pub retrospective: bool,
    pub at: String,
}

/// What `relman change create` and the new-change form give.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ChangeInput {
    pub product_id: i64,
    #[serde(default)]
    pub release_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub justification: String,
    #[serde(rename = "type")]
    pub kind: Option<ChangeType>,
    #[serde(default)]
    pub window_start: Option<String>,
    #[serde(default)]
    pub window_end: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
}

/// Records a new change in draft, requested by the person acting.
pub fn create(store: &mut Store, stamp: &Stamp, input: ChangeInput) -> Result<ChangeRequest> {
    let title = input.title.trim().to_string();
    if title.is_empty() {
        return Err(Error::invalid_field(
            "title",
            "Say what changes, such as \"Deploy Atlas Web 2.5.0 to production\".",
        ));
    }
    let kind = input.kind.ok_or_else(|| Error::invalid_field("type", "Choose standard, normal or emergency."))?;
    let (start, end) = window(input.window_start.as_deref(), input.window_end.as_deref())?;
    let services = services_json(&input.services);
    let id = store.write(|tx| {
        crate::product::find(tx, input.product_id)?;
        if let Some(release_id) = input.release_id {
            let found = release::find(tx, release_id)?;
            if found.product_id != input.product_id {
                return Err(Error::invalid_field("release_id", format!("{} is a release of another product.", found.version)));
            }
        }
        tx.execute_cached(
            "INSERT INTO change_request (product_id, release_id, title, description, justification, type, window_start,
                 window_end, requester, created_at, updated_at, services)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
            params![
                input.product_id,
                input.release_id,
                title,
                input.description.trim(),
                input.justification.trim(),
                kind.as_str(),
                start,
                end,
                stamp.actor,
                stamp.at_text(),
                services
            ],
        )?;
        let id = tx.last_insert_rowid();
        let details = serde_json::json!({ "title": title, "type": kind, "release_id": input.release_id, "product_id": input.product_id });
        audit::record(tx, stamp, AuditRecord::new("change_request", id, "create", details))?;
        Ok(id)
    })?;
    get(store, id)
}

/// Checks a planned window: both ends RFC 3339 with an offset, the end after the start.
fn window(start: Option<&str>, end: Option<&str>) -> Result<(Option<String>, Option<String>)> {
    let parse = |field: &'static str, text: Option<&str>| -> Result<Option<String>> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => chrono::DateTime::parse_from_rfc3339(t).map(|_| Some(t.to_string())).map_err(|_| {
                Error::invalid_field(
                    field,
                    format!("\"{t}\" is not a time with its offset; write it as 2026-12-10T22:00:00+01:00."),
                )
            }),
        }
    };
    let (start, end) = (parse("window_start", start)?, parse("window_end", end)?);
    if let (Some(s), Some(e)) = (&start, &end) {
        let (s, e) = (chrono::DateTime::parse_from_rfc3339(s).ok(), chrono::DateTime::parse_from_rfc3339(e).ok());
        if e <= s {
            return Err(Error::invalid_field(
                "window_end",
                "The window ends before it starts; give an end after the start.",
            ));
        }
    }
    Ok((start, end))
}

pub fn get(store: &Store, id: i64) -> Result<ChangeRequest> {
    read(store.conn(), id)
}

/// The changes of a product (or of one release), newest first.
pub fn list(store: &Store, product_id: Option<i64>, release_id: Option<i64>) -> Result<Vec<ChangeRequest>> {
    let mut stmt = store.conn().prepare(
        "SELECT id FROM change_request WHERE (?1 IS NULL OR product_id = ?1) AND (?2 IS NULL OR release_id = ?2)
         ORDER BY COALESCE(window_start, created_at) DESC, id DESC",
    )?;
    let ids: Vec<i64> =
        stmt.query_map(params![product_id, release_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| read(store.conn(), id)).collect()
}

/// One page of [`list`], in its order.
pub fn page(
    store: &Store,
    product_id: Option<i64>,
    release_id: Option<i64>,
    request: &PageRequest,
) -> Result<Page<ChangeRequest>> {
    let limit = request.limit()?;
    let (key, after) = request.position()?;
    let matches = "(?1 IS NULL OR product_id = ?1) AND (?2 IS NULL OR release_id = ?2)";
    let mut stmt = store.conn().prepare_cached(&format!(
        "SELECT id, COALESCE(window_start, created_at) FROM change_request
          WHERE {matches} AND (?3 IS NULL OR (COALESCE(window_start, created_at), id) < (?3, ?4))
         ORDER BY COALESCE(window_start, created_at) DESC, id DESC LIMIT ?5"
    ))?;
    let keys: Vec<(i64, String)> = stmt
        .query_map(params![product_id, release_id, key, after, limit + 1], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let total: u64 = store.conn().query_row_cached(
        &format!("SELECT count(*) FROM change_request WHERE {matches}"),
        params![product_id, release_id],
        |r| r.get(0),
    )?;
    let page = Page::from_rows(keys, limit, total, |(id, key)| (key.clone(), *id));
    let items = page.items.iter().map(|(id, _)| read(store.conn(), *id)).collect::<Result<_>>()?;
    Ok(Page { items, next: page.next, total })
}

/// The changes not yet closed or cancelled that have a window, soonest first (the change calendar).
pub fn planned(store: &Store, product_id: Option<i64>) -> Result<Vec<ChangeRequest>> {
    let mut stmt = store.conn().prepare(
        "SELECT id FROM change_request WHERE (?1 IS NULL OR product_id = ?1) AND state NOT IN ('closed', 'cancelled')
             AND window_start IS NOT NULL AND window_end IS NOT NULL
         ORDER BY window_start, id",
    )?;
    let ids: Vec<i64> = stmt.query_map(params![product_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| read(store.conn(), id)).collect()
}

/// Submits a draft: a normal change for assessment, an emergency one for authorization, a standard
/// (pre-approved) one straight to the schedule.
pub fn submit(store: &mut Store, stamp: &Stamp, id: i64) -> Result<ChangeRequest> {
    let change = get(store, id)?;
    let next = change.kind.next(ChangeState::Draft).iter().copied().find(|s| *s != ChangeState::Cancelled);
    match (change.state, next) {
        (ChangeState::Draft, Some(to)) => move_to(store, stamp, id, MoveInput { to: Some(to), ..Default::default() }),
        _ => Err(Error::InvalidTransition(format!(
            "\"{}\" is in {}, not draft: only a draft is submitted.",
            change.title,
            change.state.as_str()
        ))),
    }
}

/// A change's record is edited until it is scheduled; from then on it is what was approved.
fn editable(change: &ChangeRequest) -> Result<()> {
    if matches!(change.state, ChangeState::Draft | ChangeState::Assess | ChangeState::Authorize) {
        return Ok(());
    }
    Err(Error::InvalidTransition(format!(
        "\"{}\" is {}: its record is what was approved and stays as it is. Cancel it and open a new change to plan another.",
        change.title,
        change.state.as_str()
    )))
}

/// Edits the record: title, description, justification, window and services (a draft's type too).
/// The product and release stay.
pub fn update(store: &mut Store, stamp: &Stamp, id: i64, input: ChangeInput) -> Result<ChangeRequest> {
    let title = input.title.trim().to_string();
    if title.is_empty() {
        return Err(Error::invalid_field("title", "A change needs a title; say what changes."));
    }
    let (start, end) = window(input.window_start.as_deref(), input.window_end.as_deref())?;
    let services = services_json(&input.services);
    store.write(|tx| {
        let change = record(tx, id)?;
        editable(&change)?;
        let kind = input.kind.unwrap_or(change.kind);
        if kind != change.kind && change.state != ChangeState::Draft {
            return Err(Error::invalid_field(
                "type",
                "The type is chosen in draft; it decides who assesses the change. Open a new change of the other type.",
            ));
        }
        tx.execute_cached(
            "UPDATE change_request SET title = ?2, description = ?3, justification = ?4, type = ?5, window_start = ?6,
                 window_end = ?7, services = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                id,
                title,
                input.description.trim(),
                input.justification.trim(),
                kind.as_str(),
                start,
                end,
                services,
                stamp.at_text()
            ],
        )?;
        let details = serde_json::json!({ "title": title, "type": kind, "window_start": start, "window_end": end, "services": input.services });
        audit::record(tx, stamp, AuditRecord::new("change_request", id, "edit", details))
    })?;
    get(store, id)
}

/// Services as stored: trimmed, without blanks or repeats.
fn services_json(services: &[String]) -> String {
    let mut kept: Vec<String> = Vec::new();
    for s in services.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !kept.iter().any(|k| k.eq_ignore_ascii_case(s)) {
            kept.push(s.to_string());
        }
    }
    serde_json::Value::from(kept).to_string()
}

/// The plans of a change that Relman drafts from its release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    ImplementationPlan,
    BackoutPlan,
    TestPlan,
    Risk,
    Impact,
}

impl Plan {
    pub const ALL: [Plan; 5] = [Plan::ImplementationPlan, Plan::BackoutPlan, Plan::TestPlan, Plan::Risk, Plan::Impact];

    pub fn column(self) -> &'static str {
        match self {
            Plan::ImplementationPlan => "implementation_plan",
            Plan::BackoutPlan => "backout_plan",
            Plan::TestPlan => "test_plan",
            Plan::Risk => "risk",
            Plan::Impact => "impact",
        }
    }
}

/// Writes what a person typed into one plan.
pub fn write_plan(store: &mut Store, stamp: &Stamp, id: i64, plan: Plan, text: &str) -> Result<ChangeRequest> {
    let text = text.trim();
    if text.len() > 20_000 {
        return Err(Error::invalid_field(
            "text",
            "Keep a plan under 20,000 characters; link to a longer document instead.",
        ));
    }
    store.write(|tx| {
        editable(&record(tx, id)?)?;
        let column = plan.column();
        tx.execute(
            &format!("UPDATE change_request SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
            params![id, text, stamp.at_text()],
        )?;
        audit::record(tx, stamp, AuditRecord::new("change_request", id, "edit", serde_json::json!({ column: text })))
    })?;
    get(store, id)
}

/// Puts a new draft of the plans in place: each plan nobody edited since the last draft (or that is
/// empty) takes the new text; an edited one is kept, and named in the result's second list.
pub fn redraft(
    store: &mut Store,
    stamp: &Stamp,
    id: i64,
    drafts: &[(Plan, String)],
    links: &[String],
    authors: Option<&[String]>,
) -> Result<(ChangeRequest, Vec<Plan>)> {
    let kept = store.write(|tx| {
        let change = record(tx, id)?;
        editable(&change)?;
        let stored: String = tx.query_row_cached("SELECT drafted FROM change_request WHERE id = ?1", [id], |r| r.get(0))?;
        let mut drafted: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&stored).unwrap_or_default();
        let mut kept = Vec::new();
        for (plan, text) in drafts {
            let column = plan.column();
            let current: String =
                tx.query_row(&format!("SELECT {column} FROM change_request WHERE id = ?1"), [id], |r| r.get(0))?;
            let last = drafted.get(column).and_then(serde_json::Value::as_str).unwrap_or_default();
            if !current.trim().is_empty() && current != last {
                kept.push(*plan);
                continue;
            }
            tx.execute(&format!("UPDATE change_request SET {column} = ?2 WHERE id = ?1"), params![id, text])?;
            drafted.insert(column.to_string(), serde_json::Value::String(text.clone()));
        }
        let mut all_links = change.links.clone();
        for link in links {
            if !all_links.contains(link) {
                all_links.push(link.clone());
            }
        }
        tx.execute_cached(
            "UPDATE change_request SET drafted = ?2, links = ?3, updated_at = ?4, authors = COALESCE(?5, authors) WHERE id = ?1",
            params![
                id,
                serde_json::Value::Object(drafted).to_string(),
                serde_json::Value::from(all_links).to_string(),
                stamp.at_text(),
                authors.map(|a| serde_json::Value::from(a.to_vec()).to_string()),
            ],
        )?;
        let details = serde_json::json!({ "kept": kept, "links": links });
        audit::record(tx, stamp, AuditRecord::new("change_request", id, "draft", details))?;
        Ok(kept)
    })?;
    Ok((get(store, id)?, kept))
}

/// How a change record is exported: Markdown to paste into a change system, JSON to import into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "ChangeExportFormat")]
pub enum ExportFormat {
    Md,
    Json,
    /// The window as a calendar event.
    Ics,
}

/// The change record as a file ("change-12-deploy-atlas-web-2-5-0.md").
pub fn export(store: &Store, id: i64, format: ExportFormat) -> Result<crate::export::ExportFile> {
    use crate::export::ExportFile;
    let change = get(store, id)?;
    let name = format!("change {} {}", change.id, change.title);
    Ok(match format {
        ExportFormat::Md => ExportFile::new(&name, "md", "Markdown", record_markdown(&change)),
        ExportFormat::Json => {
            let text = serde_json::to_string_pretty(&change)
                .map_err(|e| Error::Io(format!("The change could not be written as JSON: {e}.")))?;
            ExportFile::new(&name, "json", "JSON", text + "\n")
        }
        ExportFormat::Ics => ExportFile::new(&name, "ics", "iCalendar", window_event(&change)?),
    })
}

/// The change's window as an iCalendar event; its UID is the change's own, so a later export updates it.
fn window_event(c: &ChangeRequest) -> Result<String> {
    use icalendar::{Calendar, Component, Event, EventLike};
    let instant = |field: &'static str, t: &Option<String>| {
        t.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).ok_or_else(|| {
            Error::invalid_field(
                field,
                format!("\"{}\" has no planned window to put in a calendar; plan one first.", c.title),
            )
        })
    };
    let (start, end) = (instant("window_start", &c.window_start)?, instant("window_end", &c.window_end)?);
    let utc = chrono::Utc;
    let mut description = format!("{} change, {}. Requested by {}.", c.kind.as_str(), c.state.as_str(), c.requester);
    for conflict in &c.conflicts {
        description.push_str(&format!("\n{}", conflict.message));
    }
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0")).append_property(("PRODID", "-//Relman//Change window//EN")).push(
        Event::new()
            .uid(&format!("change-{}@relman", c.uid))
            .timestamp(
                chrono::DateTime::parse_from_rfc3339(&c.updated_at)
                    .map_or(chrono::DateTime::UNIX_EPOCH, |t| t.with_timezone(&utc)),
            )
            .summary(&format!("Change {}: {}", c.id, c.title))
            .description(&description)
            .starts(start.with_timezone(&utc))
            .ends(end.with_timezone(&utc))
            .done(),
    );
    Ok(cal.done().to_string())
}

/// The change record in Markdown, in the order a change system's form asks for it.
pub fn record_markdown(c: &ChangeRequest) -> String {
    let mut out = format!("# Change {}: {}\n\n", c.id, c.title);
    let window = match (&c.window_start, &c.window_end) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        _ => "not planned yet".to_string(),
    };
    out.push_str(&format!(
        "- Type: {}\n- State: {}\n- Window: {window}\n- Requested by: {}\n",
        c.kind.as_str(),
        c.state.as_str(),
        c.requester
    ));
    if !c.services.is_empty() {
        out.push_str(&format!("- Affected services: {}\n", c.services.join(", ")));
    }
    if !c.links.is_empty() {
        out.push_str(&format!("- Links: {}\n", c.links.join(", ")));
    }
    for (title, text) in [
        ("Description", &c.description),
        ("Justification", &c.justification),
        ("Implementation plan", &c.implementation_plan),
        ("Backout plan", &c.backout_plan),
        ("Test plan", &c.test_plan),
        ("Risk", &c.risk),
        ("Impact", &c.impact),
    ] {
        if !text.trim().is_empty() {
            out.push_str(&format!("\n## {title}\n\n{}\n", text.trim()));
        }
    }
    if !c.conflicts.is_empty() {
        out.push_str("\n## Conflicts\n\n");
        for conflict in &c.conflicts {
            out.push_str(&format!("- {}\n", conflict.message));
        }
    }
    out.push_str("\n## Approvals\n\n");
    if c.approvals.is_empty() {
        out.push_str("None yet.\n");
    }
    for a in &c.approvals {
        let decision = if a.approved { "approved" } else { "rejected" };
        let after = if a.retrospective { " (retrospective)" } else { "" };
        let comment = if a.comment.is_empty() { String::new() } else { format!(": {}", a.comment) };
        out.push_str(&format!("- {}: {decision} by {} at {}{after}{comment}\n", a.role, a.person, a.at));
    }
    if !c.missing.is_empty() && !matches!(c.state, ChangeState::Closed | ChangeState::Cancelled) {
        out.push_str(&format!("- Still needed: {}\n", c.missing.join(", ")));
    }
    out
}

/// What a move needs beyond its target: the close code and notes, or the reason to cancel.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct MoveInput {
    pub to: Option<ChangeState>,
    #[serde(default)]
    pub close_code: Option<CloseCode>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CloseCode {
    Successful,
    SuccessfulWithIssues,
    Unsuccessful,
}

impl CloseCode {
    fn as_str(self) -> &'static str {
        match self {
            CloseCode::Successful => "successful",
            CloseCode::SuccessfulWithIssues => "successful_with_issues",
            CloseCode::Unsuccessful => "unsuccessful",
        }
    }
}

/// Moves a change along its type's machine. Scheduling needs an approval from every role the product
/// asks for (the latest decision of each counts); a window to be scheduled in; closing needs a close
/// code, and an emergency change a retrospective approval; cancelling needs a reason.
pub fn move_to(store: &mut Store, stamp: &Stamp, id: i64, input: MoveInput) -> Result<ChangeRequest> {
    let to = input.to.ok_or_else(|| Error::invalid_field("to", "Say which state to move the change to."))?;
    store.write(|tx| {
        let change = record(tx, id)?;
        machine::check(&change.title, change.kind, change.state, to)?;
        if to == ChangeState::Scheduled && change.kind != ChangeType::Standard && !change.missing.is_empty() {
            return Err(Error::GateBlocked(format!(
                "\"{}\" needs an approval from {} before it is scheduled.",
                change.title,
                change.missing.join(" and ")
            )));
        }
        if to == ChangeState::Scheduled && (change.window_start.is_none() || change.window_end.is_none()) {
            return Err(Error::invalid_field("window_start", "Give the change a planned window before scheduling it."));
        }
        let notes = input.notes.trim();
        let code = match to {
            ChangeState::Closed => {
                let code = input.close_code.ok_or_else(|| {
                    Error::invalid_field(
                        "close_code",
                        "Close with a code: successful, successful_with_issues or unsuccessful.",
                    )
                })?;
                if change.kind == ChangeType::Emergency
                    && !change.approvals.iter().any(|a| a.retrospective && a.approved)
                {
                    return Err(Error::GateBlocked(format!(
                        "\"{}\" was an emergency change: it needs a retrospective approval before it is closed.",
                        change.title
                    )));
                }
                Some(code.as_str())
            }
            ChangeState::Cancelled if notes.is_empty() => {
                return Err(Error::invalid_field("notes", "Say why the change is cancelled."));
            }
            _ => None,
        };
        tx.execute_cached(
            "UPDATE change_request SET state = ?2, updated_at = ?3,
                 close_code = COALESCE(?4, close_code),
                 close_notes = CASE WHEN ?2 = 'closed' THEN ?5 ELSE close_notes END,
                 cancel_reason = CASE WHEN ?2 = 'cancelled' THEN ?5 ELSE cancel_reason END
             WHERE id = ?1",
            params![id, to.as_str(), stamp.at_text(), code, notes],
        )?;
        let details = serde_json::json!({ "from": change.state, "to": to, "close_code": code, "notes": notes });
        audit::record(tx, stamp, AuditRecord::new("change_request", id, "transition", details))
    })?;
    get(store, id)
}

/// An approval or a rejection for one role, by the person acting, who may not be the requester (nor,
/// where the product asks, an author of the commits its last draft read). A rejection sends the
/// change back to draft with its comment. Approvals count in assess and authorize, and after the
/// fact (retrospective) for an emergency change in implement or review.
pub fn decide(
    store: &mut Store,
    stamp: &Stamp,
    id: i64,
    role: &str,
    approve: bool,
    comment: &str,
) -> Result<ChangeRequest> {
    let role = role.trim();
    if role.is_empty() {
        return Err(Error::invalid_field("role", "Name the role deciding, such as CAB or Security."));
    }
    if !approve && comment.trim().is_empty() {
        return Err(Error::invalid_field("comment", "Say why it is rejected, so the requester knows what to change."));
    }
    store.write(|tx| {
        let change = record(tx, id)?;
        duties::may_approve(&stamp.actor, role, &change.requester, &change.authors, !change.authors_may_approve)?;
        let retrospective = change.kind == ChangeType::Emergency && matches!(change.state, ChangeState::Implement | ChangeState::Review);
        if !matches!(change.state, ChangeState::Assess | ChangeState::Authorize) && !retrospective {
            return Err(Error::InvalidTransition(format!(
                "\"{}\" is in {}: approvals are given in assess or authorize (and, for an emergency change, after it).",
                change.title,
                change.state.as_str()
            )));
        }
        tx.execute_cached(
            "INSERT INTO change_approval (change_id, role, person, decision, comment, retrospective, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, role, stamp.actor, if approve { "approve" } else { "reject" }, comment.trim(), retrospective, stamp.at_text()],
        )?;
        if !approve && !retrospective {
            tx.execute_cached(
                "UPDATE change_request SET state = 'draft', rejection = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, comment.trim(), stamp.at_text()],
            )?;
        }
        // Assessed by every role it needs: a normal change is authorized, ready to schedule.
        if approve && change.state == ChangeState::Assess && record(tx, id)?.missing.is_empty() {
            tx.execute_cached(
                "UPDATE change_request SET state = 'authorize', updated_at = ?2 WHERE id = ?1",
                params![id, stamp.at_text()],
            )?;
        }
        let details = serde_json::json!({ "role": role, "approve": approve, "comment": comment.trim(), "retrospective": retrospective });
        audit::record(tx, stamp, AuditRecord::new("change_request", id, if approve { "approve" } else { "reject" }, details))
    })?;
    get(store, id)
}

const COLUMNS: &str =
    "c.id, c.uid, c.product_id, c.release_id, c.title, c.description, c.justification, c.type, c.state,
    c.window_start, c.window_end, c.requester, c.rejection, c.created_at, c.updated_at, p.change_roles, c.services,
    c.implementation_plan, c.backout_plan, c.test_plan, c.risk, c.impact, c.links, c.authors, p.authors_may_approve";

/// A change as shown: its record and what its window runs into.
pub(crate) fn read(conn: &Connection, id: i64) -> Result<ChangeRequest> {
    let mut change = record(conn, id)?;
    // A change that is over runs into nothing any more.
    if !matches!(change.state, ChangeState::Closed | ChangeState::Cancelled) {
        change.conflicts = conflicts::judge(&conflicts::gather(conn, id)?);
    }
    Ok(change)
}

/// A change's record, approvals and what it still needs, without its conflicts (gathering them reads
/// every freeze, change and deploy window): what writes and the deploy gate check.
pub(crate) fn record(conn: &Connection, id: i64) -> Result<ChangeRequest> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM change_request c JOIN product p ON p.id = c.product_id WHERE c.id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("Change {id} does not exist; list them with `relman change list`.")))?;
    let (mut change, roles) = found;
    change.approvals = approvals(conn, id)?;
    change.roles = roles.into_iter().filter(|r| r.applies(&change.services)).map(|r| r.role).collect();
    change.missing = change
        .roles
        .iter()
        .filter(|role| {
            let latest =
                change.approvals.iter().filter(|a| !a.retrospective).rev().find(|a| a.role.eq_ignore_ascii_case(role));
            !latest.is_some_and(|a| a.approved)
        })
        .cloned()
        .collect();
    change.next_states = change.kind.next(change.state).to_vec();
    Ok(change)
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<(ChangeRequest, Vec<RoleRule>)> {
    let kind: String = r.get(7)?;
    let state: String = r.get(8)?;
    let roles: String = r.get(15)?;
    let services: String = r.get(16)?;
    Ok((
        ChangeRequest {
            id: r.get(0)?,
            uid: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            product_id: r.get(2)?,
            release_id: r.get(3)?,
            title: r.get(4)?,
            description: r.get(5)?,
            justification: r.get(6)?,
            // The schema's CHECKs keep both to known words.
            kind: ChangeType::parse(&kind).unwrap_or(ChangeType::Normal),
            state: ChangeState::parse(&state).unwrap_or(ChangeState::Draft),
            window_start: r.get(9)?,
            window_end: r.get(10)?,
            services: serde_json::from_str(&services).unwrap_or_default(),
            implementation_plan: r.get(17)?,
            backout_plan: r.get(18)?,
            test_plan: r.get(19)?,
            risk: r.get(20)?,
            impact: r.get(21)?,
            links: serde_json::from_str(&r.get::<_, String>(22)?).unwrap_or_default(),
            authors: serde_json::from_str(&r.get::<_, String>(23)?).unwrap_or_default(),
            authors_may_approve: r.get(24)?,
            conflicts: Vec::new(),
            requester: r.get(11)?,
            rejection: r.get(12)?,
            approvals: Vec::new(),
            roles: Vec::new(),
            missing: Vec::new(),
            next_states: Vec::new(),
            created_at: r.get(13)?,
            updated_at: r.get(14)?,
        },
        policy::parse_roles(&roles),
    ))
}

fn approvals(conn: &Connection, id: i64) -> Result<Vec<Approval>> {
    let mut stmt = conn.prepare(
        "SELECT uid, role, person, decision, comment, retrospective, at FROM change_approval WHERE change_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Approval {
            uid: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            role: r.get(1)?,
            person: r.get(2)?,
            approved: r.get::<_, String>(3)? == "approve",
            comment: r.get(4)?,
            retrospective: r.get(5)?,
            at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
