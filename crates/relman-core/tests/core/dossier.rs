//! The release dossier's JSON on the sample's rolled-back 2.4.0: every part of the record is there,
//! and its audit events verify offline as an audit export does.

use relman_core::{audit, demo, dossier, release};

use crate::common::{db, stamp};

#[test]
fn the_dossier_of_a_shipped_release_holds_its_record_and_events_that_verify() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let kestrel = release::find_by_version(&db.store, "Atlas Web", "2.4.0").unwrap();
    let d = dossier::build(&db.store, &stamp(), kestrel.id).unwrap();
    assert_eq!((d.kind.as_str(), d.release.version.as_str()), (dossier::KIND, "2.4.0"));
    assert!(d.transitions.iter().any(|t| t.note.contains("rolled back")), "its status moves");
    assert_eq!(d.deployments.len(), 1, "its production deployment, with its log");
    assert_eq!(d.incidents.len(), 1);
    assert_eq!(d.retrospective.actions.len(), 2);
    assert!(d.audit.events.len() >= d.transitions.len(), "the events the record rests on");
    let audit_part = serde_json::to_string(&d.audit).unwrap();
    let checked = audit::verify_export(&audit_part).unwrap();
    assert!(checked.broken.is_none() && checked.hashes_checked == d.audit.events.len(), "{checked:?}");
    let file = dossier::export_json(&db.store, &stamp(), kestrel.id).unwrap();
    assert!(file.text.contains("\"kind\": \"relman-release-dossier\""));
}

#[test]
fn verify_holds_for_the_export_and_names_the_fact_or_event_that_was_altered() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let kestrel = release::find_by_version(&db.store, "Atlas Web", "2.4.0").unwrap();
    let text = dossier::export_json(&db.store, &stamp(), kestrel.id).unwrap().text;
    let report = dossier::verify(&text).unwrap();
    assert!(report.holds(), "{report:?}");
    assert!(report.facts_checked >= 8, "6 moves and a deployment's start and end: {}", report.facts_checked);

    // A fact changed: the rollback's note says something else than its event.
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let moves = doc["transitions"].as_array_mut().unwrap();
    let last = moves.iter_mut().find(|t| t["to"] == "rolled_back").unwrap();
    last["note"] = "Rolled back for no reason".into();
    let report = dossier::verify(&doc.to_string()).unwrap();
    assert_eq!(report.mismatches.len(), 1, "{:?}", report.mismatches);
    assert!(report.mismatches[0].contains("moved to \"rolled_back\""), "{:?}", report.mismatches);

    // An event changed: its hash no longer holds.
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["audit"]["events"][0]["actor"] = "Mallory <m@example.com>".into();
    let report = dossier::verify(&doc.to_string()).unwrap();
    assert!(report.audit.broken.is_some() && !report.holds());

    assert_eq!(dossier::verify("{}").unwrap_err().field(), Some("file"));
}

#[test]
fn the_html_dossier_is_self_contained_and_keeps_hostile_text_inert() {
    use relman_core::risk::{self, Category, RiskInput};
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let hotfix = release::find_by_version(&db.store, "Atlas Web", "2.4.1").unwrap();
    let hostile = "<script>fetch('http://evil.example')</script><img src=\"http://evil.example/p.png\">";
    let input = RiskInput {
        release_id: Some(hotfix.id),
        ..RiskInput::new(hotfix.product_id, hostile, Category::Security, 2, 2)
    };
    risk::create(&mut db.store, &stamp(), input).unwrap();
    let html = dossier::html(&dossier::build(&db.store, &stamp(), hotfix.id).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Release dossier: Atlas Web 2.4.1"));
    assert!(!html.to_lowercase().contains("<script") && !html.contains("<img"), "no scripts, no images");
    let tags: Vec<&str> = html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")).collect();
    for tag in &tags {
        assert!(!tag.contains("src="), "nothing is loaded: <{tag}>");
        if let Some(link) = tag.split("href=\"").nth(1) {
            assert!(link.starts_with('#'), "links stay in the document: <{tag}>");
        }
    }
    assert!(html.contains("&lt;script&gt;"), "the hostile title is there, as text");
    for section in ["Summary", "Change requests", "Status moves and gates", "Deployments", "Audit events"] {
        assert!(html.contains(&format!(">{section}</h2>")), "{section}");
    }
}
