//! Checking a dossier with no database: its audit events against their hashes and links (as an audit
//! export is checked), then each fact the dossier states against the events it rests on — every
//! status move, sign-off, change approval and deployment must have the event that recorded it, with
//! the same time, person and values. A mismatch names the fact. The SBOM it holds is not an audited
//! record but git's: its SHA-256 is recomputed from the document, and what the dossier states of it
//! (serial number, commit, component count, version) is read back from the document itself, so a
//! copy of the SBOM kept apart can be matched to the dossier by its digest.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::audit::{self, ExportReport};
use crate::{Error, Result};

#[derive(Debug, Clone, Serialize, TS)]
pub struct DossierReport {
    pub audit: ExportReport,
    /// Facts matched to their event.
    pub facts_checked: usize,
    /// Each fact with no event that says so, in words.
    pub mismatches: Vec<String>,
}

impl DossierReport {
    pub fn holds(&self) -> bool {
        self.audit.broken.is_none() && self.mismatches.is_empty()
    }
}

/// An event of the dossier, as the checks read it.
struct Event {
    entity: String,
    entity_id: Option<i64>,
    action: String,
    at: String,
    actor: String,
    details: Value,
}

pub fn verify(text: &str) -> Result<DossierReport> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid_field("file", format!("This is not JSON ({e}); export a dossier with `relman dossier`."))
    })?;
    if doc["kind"] != super::KIND {
        return Err(Error::invalid_field(
            "file",
            "This is not a Relman release dossier; export one with `relman dossier`.",
        ));
    }
    let report = audit::verify_export(&doc["audit"].to_string())?;
    let events: Vec<Event> = doc["audit"]["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| Event {
            entity: e["entity"].as_str().unwrap_or_default().to_string(),
            entity_id: e["entity_id"].as_i64(),
            action: e["action"].as_str().unwrap_or_default().to_string(),
            at: e["at"].as_str().unwrap_or_default().to_string(),
            actor: e["actor"].as_str().unwrap_or_default().to_string(),
            details: serde_json::from_str(e["details"].as_str().unwrap_or("{}")).unwrap_or(Value::Null),
        })
        .collect();
    let release_id = doc["release"]["id"].as_i64();
    let name = format!(
        "{} {}",
        doc["release"]["product_name"].as_str().unwrap_or(""),
        doc["release"]["version"].as_str().unwrap_or("")
    );
    let mut checked = 0;
    let mut mismatches = Vec::new();
    let mut check = |found: bool, fact: String| {
        checked += 1;
        if !found {
            mismatches.push(fact);
        }
    };
    let of_release =
        |e: &&Event, action: &str| e.entity == "release" && e.entity_id == release_id && e.action == action;
    for t in doc["transitions"].as_array().into_iter().flatten() {
        let found = events.iter().filter(|e| of_release(e, "transition")).any(|e| {
            e.at == t["at"] && e.actor == t["actor"] && e.details["to"] == t["to"] && e.details["note"] == t["note"]
        });
        check(
            found,
            format!("{name} moved to {} at {} by {}: no audit event records that move.", t["to"], t["at"], t["actor"]),
        );
    }
    for m in doc["gates"].as_array().into_iter().flatten() {
        let found = events.iter().filter(|e| of_release(e, "transition")).any(|e| {
            e.at == m["at"]
                && e.actor == m["actor"]
                && e.details["to"] == m["to"]
                && e.details["gates"].as_array().map_or(0, Vec::len) == m["gates"].as_array().map_or(0, Vec::len)
                && m["gates"].as_array().into_iter().flatten().all(|g| {
                    e.details["gates"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|was| was["name"] == g["name"] && was["criteria"] == g["criteria"])
                })
                && e.details["gate_override"]["reason"].as_str() == m["override_reason"].as_str()
        });
        check(
            found,
            format!(
                "The gates of the move to {} at {}: no audit event records them as the dossier states.",
                m["to"], m["at"]
            ),
        );
    }
    for s in doc["signoffs"].as_array().into_iter().flatten() {
        let found = events.iter().filter(|e| of_release(e, "signoff")).any(|e| {
            e.at == s["at"]
                && e.details["role"] == s["role"]
                && e.details["person"] == s["person"]
                && e.details["decision"] == s["decision"]
                && e.details["comment"] == s["comment"]
        });
        check(
            found,
            format!("The {} sign-off by {} at {}: no audit event records it.", s["role"], s["person"], s["at"]),
        );
    }
    for c in doc["changes"].as_array().into_iter().flatten() {
        for a in c["approvals"].as_array().into_iter().flatten() {
            let action = if a["approved"] == true { "approve" } else { "reject" };
            let found = events.iter().any(|e| {
                e.entity == "change_request"
                    && e.entity_id == c["id"].as_i64()
                    && e.action == action
                    && e.at == a["at"]
                    && e.actor == a["person"]
                    && e.details["role"] == a["role"]
                    && e.details["comment"] == a["comment"]
            });
            check(
                found,
                format!(
                    "The {} decision on \"{}\" by {} at {}: no audit event records it.",
                    a["role"],
                    c["title"].as_str().unwrap_or(""),
                    a["person"],
                    a["at"]
                ),
            );
        }
    }
    for d in doc["deployments"].as_array().into_iter().flatten() {
        let d = &d["deployment"];
        let started = events
            .iter()
            .filter(|e| of_release(e, "deploy_start"))
            .any(|e| e.at == d["started_at"] && e.details["deployment"] == d["id"]);
        check(
            started,
            format!(
                "The deployment to {} started at {}: no audit event records its start.",
                d["environment"], d["started_at"]
            ),
        );
        if !d["finished_at"].is_null() {
            let finished = events.iter().filter(|e| of_release(e, "deploy_finish")).any(|e| {
                e.at == d["finished_at"] && e.details["deployment"] == d["id"] && e.details["outcome"] == d["outcome"]
            });
            check(
                finished,
                format!(
                    "The deployment to {} ended {} at {}: no audit event records that.",
                    d["environment"], d["outcome"], d["finished_at"]
                ),
            );
        }
    }
    sbom(&doc, &name, &mut check);
    Ok(DossierReport { audit: report, facts_checked: checked, mismatches })
}

/// The dossier's SBOM against its own document: the digest, then what the summary and the scope say.
fn sbom(doc: &Value, name: &str, check: &mut impl FnMut(bool, String)) {
    let sbom = &doc["sbom"];
    let Some(document) = sbom["document"].as_str() else {
        if !sbom["sha256"].is_null() || !sbom["summary"].is_null() {
            check(false, format!("The dossier of {name} states an SBOM but holds no SBOM document."));
        }
        return;
    };
    let digest = crate::security::sbom::sha256_hex(document);
    check(
        sbom["sha256"].as_str() == Some(digest.as_str()),
        format!("The SBOM's SHA-256 is stated as {} but its document hashes to {digest}.", sbom["sha256"]),
    );
    let bom: Value = serde_json::from_str(document).unwrap_or(Value::Null);
    let summary = &sbom["summary"];
    let commit = bom["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "relman:commit")
        .map(|p| p["value"].clone())
        .unwrap_or(Value::Null);
    let components = bom["components"].as_array().map_or(0, Vec::len) as u64;
    check(
        bom["serialNumber"] == summary["serial_number"]
            && commit == summary["to_sha"]
            && summary["components"].as_u64() == Some(components)
            && bom["metadata"]["component"]["version"] == doc["release"]["version"],
        format!(
            "The SBOM document of {name} ({} components, commit {commit}) is not the one the dossier states ({} components, commit {}).",
            components, summary["components"], summary["to_sha"]
        ),
    );
    if let Some(shipped) = doc["scope"]["range"]["to_sha"].as_str() {
        check(
            summary["to_sha"] == shipped,
            format!("The SBOM lists commit {} but the scope ends at {shipped}.", summary["to_sha"]),
        );
    }
}
