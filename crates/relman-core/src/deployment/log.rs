//! The deploy log: the deployment, then every step of the deploy (and rollback) phase with who, when,
//! how long and notes. Usable as the change or incident record.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{actions, get, word, Action, Deployment};
use crate::checklist::items::{self, ChecklistItem};
use crate::checklist::Phase;
use crate::export::ExportFile;
use crate::store::Store;
use crate::{release, Error, Result};

/// The deploy log: the deployment, then every step of the deploy (and rollback) phase with who,
/// when, how long and notes. Usable as the change or incident record.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeployLog {
    pub release: String,
    pub deployment: Deployment,
    pub steps: Vec<ChecklistItem>,
    pub actions: Vec<Action>,
}

pub fn log(store: &Store, deployment_id: i64) -> Result<DeployLog> {
    let deployment = get(store, deployment_id)?;
    let r = release::get(store, deployment.release_id)?;
    let steps = items::list(store, deployment.release_id)?
        .into_iter()
        .filter(|i| matches!(i.phase, Phase::Deploy | Phase::Rollback))
        .collect();
    Ok(DeployLog {
        release: format!("{} {}", r.product_name, r.version),
        actions: actions(store, deployment_id)?,
        deployment,
        steps,
    })
}

/// The log as Markdown.
/// How a deploy log is exported: a Markdown record for people, or JSON for tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Md,
    Json,
}

/// A deployment's log as a file ("deploy-log-3.md").
pub fn export_log(store: &Store, deployment_id: i64, format: LogFormat) -> Result<ExportFile> {
    let log = log(store, deployment_id)?;
    let name = format!("deploy log {deployment_id}");
    Ok(match format {
        LogFormat::Md => ExportFile::new(&name, "md", "Markdown", log_markdown(&log)),
        LogFormat::Json => {
            let text = serde_json::to_string_pretty(&log)
                .map_err(|e| Error::Io(format!("The deploy log could not be written as JSON: {e}.")))?;
            ExportFile::new(&name, "json", "JSON", text + "\n")
        }
    })
}

pub fn log_markdown(log: &DeployLog) -> String {
    let d = &log.deployment;
    let mut out = format!(
        "# Deploy log: {} to {}\n\nStrategy: {}. Started {} by {}. {}\n\n## Steps\n\n",
        log.release,
        d.environment,
        word(d.strategy).replace('_', "-"),
        d.started_at,
        d.actor,
        match (&d.finished_at, d.outcome) {
            (Some(at), Some(outcome)) => format!("Finished {at}: {}.", word(outcome).replace('_', " ")),
            _ => "Still running.".to_string(),
        }
    );
    out.push_str("| Step | State | By | Started | Finished | Minutes | Note |\n|---|---|---|---|---|---:|---|\n");
    for s in &log.steps {
        let minutes = match (&s.started_at, &s.finished_at) {
            (Some(a), Some(b)) => minutes_between(a, b).map_or(String::new(), |m| m.to_string()),
            _ => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&s.title),
            s.state.as_str().replace('_', " "),
            cell(&s.actor),
            s.started_at.as_deref().unwrap_or(""),
            s.finished_at.as_deref().unwrap_or(""),
            minutes,
            cell(&s.note)
        ));
    }
    out.push_str("\n## Every action\n\n");
    for a in &log.actions {
        let undone = if a.undone { " (undone)" } else { "" };
        let note = if a.note.is_empty() { String::new() } else { format!(": {}", a.note) };
        out.push_str(&format!(
            "- {} {} — {} → {}{note}, by {}{undone}\n",
            a.at,
            a.item_title,
            a.from.as_str(),
            a.to.as_str(),
            a.actor
        ));
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn minutes_between(a: &str, b: &str) -> Option<i64> {
    let a = chrono::DateTime::parse_from_rfc3339(a).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(b).ok()?;
    Some((b - a).num_minutes())
}
