//! Process templates: the phases, ordered items and gates a team's releases follow, as a document
//! that can be exported and imported as JSON or TOML. Applying one copies its items onto a release.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Phase;
use crate::release::ReleaseStatus;
use crate::store::{audit, AuditRecord, Store};
use crate::{Error, Result, Stamp};

/// The name of the template Relman ships; it is always there and cannot be overwritten.
pub const BUILT_IN: &str = "Web service release";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub items: Vec<TemplateItem>,
    #[serde(default)]
    pub gates: Vec<Gate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    pub phase: Phase,
    pub title: String,
    #[serde(default)]
    pub details: String,
    /// Who does it, by role (Release manager, QA, Ops…); becomes the item's owner.
    #[serde(default)]
    pub owner_role: String,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub expected_minutes: Option<u32>,
    /// An automatic check that marks the item done when it passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<super::evidence::EvidenceCheck>,
}

/// What must hold before a release moves into `into`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub name: String,
    pub into: ReleaseStatus,
    /// Every required item of these phases is done (or skipped with a reason).
    #[serde(default)]
    pub phases_done: Vec<Phase>,
    /// An approving sign-off from each of these roles.
    #[serde(default)]
    pub signoff_roles: Vec<String>,
    /// No live risk (open or mitigating) scoring at or above the product's threshold lacks a
    /// mitigation.
    #[serde(default)]
    pub risks_mitigated: bool,
    /// A change request for the release is authorized (or scheduled, or being implemented) and the
    /// move falls inside its planned window.
    #[serde(default)]
    pub change_approved: bool,
    /// A known-vulnerable dependency the release ships at this severity or above (and not accepted
    /// with a reason) blocks the move; none means dependencies are not checked.
    #[serde(default)]
    pub vulnerable_at: Option<crate::security::Severity>,
    /// A secret the release's diff adds (and nobody marked as a false positive with a reason) blocks
    /// the move; a release never scanned for secrets is blocked too.
    #[serde(default)]
    pub secrets_clear: bool,
    /// The release's tag is in the clone, at the commit its range ends at, and signed by a key the
    /// repository's allowed-signers file lists (git's `gpg.ssh.allowedSignersFile`), or, signed with
    /// gpg, by a key the gpg keyring holds as valid.
    #[serde(default)]
    pub tag_signed: bool,
}

fn yes() -> bool {
    true
}

/// Writes a template's gates onto a release, as the rules it carries from now on (the template may
/// change later; the release keeps what it was planned with).
pub(crate) fn copy_gates(conn: &Connection, release_id: i64, gates: &[Gate]) -> Result<()> {
    for gate in gates {
        conn.execute_cached(
            "INSERT INTO release_gate (release_id, name, into_status, phases_done, signoff_roles, risks_mitigated, change_approved, vulnerable_at, secrets_clear, tag_signed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                release_id,
                gate.name,
                gate.into.as_str(),
                serde_json::to_string(&gate.phases_done).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(&gate.signoff_roles).unwrap_or_else(|_| "[]".into()),
                gate.risks_mitigated,
                gate.change_approved,
                gate.vulnerable_at.filter(|s| *s != crate::security::Severity::Unknown).map(|s| s.as_str()),
                gate.secrets_clear,
                gate.tag_signed
            ],
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Json,
    Toml,
}

/// A process template as the Settings list shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TemplateSummary {
    pub name: String,
    pub description: String,
    pub items: usize,
    pub gates: usize,
    pub built_in: bool,
}

/// Every template, summarised, the built-in one included.
pub fn summaries(store: &Store) -> Result<Vec<TemplateSummary>> {
    Ok(list(store)?
        .into_iter()
        .map(|t| TemplateSummary {
            built_in: t.name == BUILT_IN,
            items: t.items.len(),
            gates: t.gates.len(),
            description: t.description,
            name: t.name,
        })
        .collect())
}

/// A template as a file to edit and import again ("release-train.toml").
pub fn export(store: &Store, name: &str, format: FileFormat) -> Result<crate::export::ExportFile> {
    let chosen = get(store, name)?;
    let text = render(&chosen, format)?;
    Ok(match format {
        FileFormat::Json => crate::export::ExportFile::new(&chosen.name, "json", "JSON", text),
        FileFormat::Toml => crate::export::ExportFile::new(&chosen.name, "toml", "TOML", text),
    })
}

/// Reads a `.toml` or `.json` template file and saves it under its own name.
pub fn import_file(store: &mut Store, stamp: &crate::Stamp, path: &std::path::Path) -> Result<Template> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io(format!("Cannot read {}: {e}. Pick another file.", path.display())))?;
    let parsed = parse(&text, FileFormat::of_path(path)?)?;
    save(store, stamp, parsed)
}

impl FileFormat {
    /// From a file name's extension.
    pub fn of_path(path: &std::path::Path) -> Result<Self> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Ok(FileFormat::Json),
            Some("toml") => Ok(FileFormat::Toml),
            _ => Err(Error::invalid_field(
                "file",
                format!("{} is neither .json nor .toml; name the file after its format.", path.display()),
            )),
        }
    }
}

/// Reads a template file; errors name the line and the field at fault.
pub fn parse(text: &str, format: FileFormat) -> Result<Template> {
    let template: Template = match format {
        FileFormat::Json => serde_json::from_str(text).map_err(|e| {
            Error::invalid_field("file", format!("The template is not valid: {e}. Fix that line and import again."))
        })?,
        FileFormat::Toml => toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let at = line.map_or_else(String::new, |l| format!(" at line {l}"));
            Error::invalid_field(
                "file",
                format!("The template is not valid{at}: {}. Fix that line and import again.", e.message()),
            )
        })?,
    };
    validate(template)
}

pub fn render(template: &Template, format: FileFormat) -> Result<String> {
    match format {
        FileFormat::Json => {
            serde_json::to_string_pretty(template).map(|s| s + "\n").map_err(|e| Error::Io(e.to_string()))
        }
        FileFormat::Toml => toml::to_string_pretty(template).map_err(|e| Error::Io(e.to_string())),
    }
}

fn validate(mut t: Template) -> Result<Template> {
    t.name = t.name.trim().to_string();
    if t.name.is_empty() {
        return Err(Error::invalid_field("name", "The template needs a name."));
    }
    if t.items.is_empty() {
        return Err(Error::invalid_field("items", "The template has no items; add at least one."));
    }
    for (i, item) in t.items.iter_mut().enumerate() {
        item.title = item.title.trim().to_string();
        if item.title.is_empty() {
            return Err(Error::invalid_field("items", format!("Item {} has no title.", i + 1)));
        }
        if let Some(Err(e)) = item.check.as_ref().map(|c| c.validate()) {
            return Err(Error::invalid_field("items", format!("Item {} (\"{}\"): {e}", i + 1, item.title)));
        }
    }
    for gate in &t.gates {
        if !matches!(gate.into, ReleaseStatus::Ready | ReleaseStatus::Deploying) {
            return Err(Error::invalid_field(
                "gates",
                format!("Gate \"{}\" guards {}; gates guard only ready and deploying.", gate.name, gate.into.label()),
            ));
        }
    }
    Ok(t)
}

/// The templates: the built-in one first, then the team's own by name.
pub fn list(store: &Store) -> Result<Vec<Template>> {
    let mut stmt = store.conn().prepare("SELECT definition FROM process_template ORDER BY name COLLATE NOCASE")?;
    let stored: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut templates = vec![built_in()];
    for text in stored {
        templates
            .push(serde_json::from_str(&text).map_err(|e| Error::Io(format!("A stored template is damaged: {e}.")))?);
    }
    Ok(templates)
}

pub fn get(store: &Store, name: &str) -> Result<Template> {
    if name.trim().eq_ignore_ascii_case(BUILT_IN) {
        return Ok(built_in());
    }
    let text: Option<String> = store
        .conn()
        .query_row_cached(
            "SELECT definition FROM process_template WHERE name = ?1 COLLATE NOCASE",
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?;
    let text = text.ok_or_else(|| {
        Error::NotFound(format!("No template is named \"{}\"; list them with `relman template list`.", name.trim()))
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Io(format!("The stored template {name} is damaged: {e}.")))
}

/// Creates or replaces a template by name. Releases it was applied to keep their own copies.
pub fn save(store: &mut Store, stamp: &Stamp, template: Template) -> Result<Template> {
    let template = validate(template)?;
    if template.name.eq_ignore_ascii_case(BUILT_IN) {
        return Err(Error::Conflict(format!("\"{BUILT_IN}\" is built in; save your version under another name.")));
    }
    let text = serde_json::to_string(&template).map_err(|e| Error::Io(e.to_string()))?;
    store.write(|tx| {
        tx.execute_cached(
            "INSERT INTO process_template (name, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
            params![template.name, text, stamp.at_text()],
        )?;
        let id: i64 = tx.query_row_cached(
            "SELECT id FROM process_template WHERE name = ?1 COLLATE NOCASE",
            [&template.name],
            |r| r.get(0),
        )?;
        let details =
            serde_json::json!({ "name": template.name, "items": template.items.len(), "gates": template.gates.len() });
        audit::record(tx, stamp, AuditRecord::new("process_template", id, "save", details))
    })?;
    Ok(template)
}

/// Saves `template`, removing the one it was renamed from in the same transaction.
pub fn save_renaming(store: &mut Store, stamp: &Stamp, template: Template, previous: Option<&str>) -> Result<Template> {
    let renamed = previous
        .map(str::trim)
        .filter(|p| !p.eq_ignore_ascii_case(template.name.trim()) && !p.eq_ignore_ascii_case(BUILT_IN));
    match renamed {
        Some(old) => store.batch(|store| {
            if list(store)?.iter().any(|t| t.name.eq_ignore_ascii_case(template.name.trim())) {
                return Err(Error::Conflict(format!(
                    "A template named \"{}\" already exists; choose another name.",
                    template.name.trim()
                )));
            }
            let saved = save(store, stamp, template)?;
            delete(store, stamp, old)?;
            Ok(saved)
        }),
        None => save(store, stamp, template),
    }
}

/// Saves a copy of a template under a new name.
pub fn duplicate(store: &mut Store, stamp: &Stamp, name: &str, new_name: &str) -> Result<Template> {
    let mut copy = get(store, name)?;
    if list(store)?.iter().any(|t| t.name.eq_ignore_ascii_case(new_name.trim())) {
        return Err(Error::Conflict(format!(
            "A template named \"{}\" already exists; choose another name.",
            new_name.trim()
        )));
    }
    copy.name = new_name.trim().to_string();
    save(store, stamp, copy)
}

pub fn delete(store: &mut Store, stamp: &Stamp, name: &str) -> Result<()> {
    store.write(|tx| {
        let id: Option<i64> = tx
            .query_row_cached("SELECT id FROM process_template WHERE name = ?1 COLLATE NOCASE", [name.trim()], |r| {
                r.get(0)
            })
            .optional()?;
        let id = id.ok_or_else(|| Error::NotFound(format!("No template of yours is named \"{}\".", name.trim())))?;
        tx.execute_cached("DELETE FROM process_template WHERE id = ?1", [id])?;
        audit::record(
            tx,
            stamp,
            AuditRecord::new("process_template", id, "delete", serde_json::json!({ "name": name.trim() })),
        )
    })
}

/// The template Relman ships: a typical web service release, as a release manager would run it.
pub fn built_in() -> Template {
    use super::evidence::EvidenceCheck;
    use Phase::*;
    let item =
        |phase: Phase, title: &str, owner_role: &str, required: bool, minutes: u32, details: &str| TemplateItem {
            phase,
            title: title.to_string(),
            details: details.to_string(),
            owner_role: owner_role.to_string(),
            required,
            expected_minutes: Some(minutes),
            check: None,
        };
    Template {
        name: BUILT_IN.to_string(),
        description: "Freeze, verify, ship behind a canary, watch, and announce; with the way back written down."
            .into(),
        items: vec![
            item(
                PreRelease,
                "Announce the code freeze",
                "Release manager",
                true,
                10,
                "Post the freeze date, the release branch and who to ask for exceptions.",
            ),
            item(PreRelease, "Cut the release branch", "Release manager", true, 10, ""),
            item(
                PreRelease,
                "Review the changelog and release notes",
                "Release manager",
                true,
                30,
                "Breaking changes first; upgrade notes for anything a customer must do.",
            ),
            item(
                PreRelease,
                "Dry-run the database migrations on a production copy",
                "Ops",
                true,
                45,
                "Note the run time; anything over five minutes needs a maintenance window.",
            ),
            item(PreRelease, "Verify backups and a test restore", "Ops", true, 30, ""),
            item(PreRelease, "Deploy to staging and run the regression suite", "QA", true, 60, ""),
            item(PreRelease, "Staging sign-off", "QA", true, 15, ""),
            item(
                PreRelease,
                "Security review of the changes",
                "Security",
                false,
                45,
                "Dependencies, authentication, anything that touches payments.",
            ),
            item(PreRelease, "Prepare feature flags (new features off by default)", "Engineering", true, 15, ""),
            TemplateItem {
                check: Some(EvidenceCheck::NoCommitsAfterFreeze),
                ..item(
                    PreRelease,
                    "Confirm nothing landed after the code freeze",
                    "Release manager",
                    true,
                    5,
                    "Relman checks the release branch; a late fix needs the release manager's OK, noted here.",
                )
            },
            item(
                PreRelease,
                "Go / no-go meeting",
                "Release manager",
                true,
                30,
                "Record the decision, who decided and who attended.",
            ),
            item(Deploy, "Announce the deploy start in the incident channel", "Release manager", true, 2, ""),
            item(Deploy, "Run the database migrations", "Ops", true, 10, ""),
            item(Deploy, "Deploy the canary (5% of traffic)", "Ops", true, 10, ""),
            item(Deploy, "Smoke tests against the canary", "QA", true, 10, "Log in, search, checkout, export."),
            item(
                Deploy,
                "Watch canary error rate and latency for 15 minutes",
                "Ops",
                true,
                15,
                "Roll back if errors exceed 1% or p95 latency doubles.",
            ),
            item(Deploy, "Roll out to 100%", "Ops", true, 15, ""),
            item(Deploy, "Turn on the release's feature flags", "Engineering", false, 5, ""),
            item(Deploy, "Smoke tests in production", "QA", true, 10, ""),
            item(PostRelease, "Monitor dashboards for an hour", "Ops", true, 60, ""),
            TemplateItem {
                check: Some(EvidenceCheck::TagExists { pushed: true }),
                ..item(PostRelease, "Tag the release and publish the notes", "Release manager", true, 10, "")
            },
            item(PostRelease, "Announce the release to customers and support", "Product", true, 15, ""),
            item(PostRelease, "Close the change request", "Release manager", true, 5, ""),
            item(PostRelease, "Schedule the retrospective", "Release manager", false, 5, ""),
            item(Rollback, "Announce the rollback in the incident channel", "Release manager", true, 2, ""),
            item(Rollback, "Route all traffic to the previous version", "Ops", true, 10, ""),
            item(
                Rollback,
                "Roll back or fix forward the migrations",
                "Ops",
                true,
                20,
                "Only if the migration is reversible; otherwise fix forward.",
            ),
            item(Rollback, "Verify the previous version with smoke tests", "QA", true, 10, ""),
            item(Rollback, "Open an incident record", "Release manager", true, 10, ""),
        ],
        gates: vec![
            Gate {
                name: "Ready to ship".into(),
                into: ReleaseStatus::Ready,
                phases_done: vec![PreRelease],
                signoff_roles: vec!["QA".into(), "Product".into()],
                risks_mitigated: true,
                change_approved: false,
                vulnerable_at: None,
                // Off by default, as the dependency check is: the team decides which gates scan.
                secrets_clear: false,
                tag_signed: false,
            },
            Gate {
                name: "Clear to deploy".into(),
                into: ReleaseStatus::Deploying,
                phases_done: vec![PreRelease],
                // Security signs off on what ships: its dependency scan, and anything accepted in it.
                signoff_roles: vec!["Ops".into(), "Security".into()],
                risks_mitigated: false,
                // Off by default: turn it on where production deploys need an approved change.
                change_approved: false,
                vulnerable_at: Some(crate::security::Severity::High),
                secrets_clear: true,
                // What deploys is what the release manager signed, and the team can check who did.
                tag_signed: true,
            },
        ],
    }
}
