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

mod record {
    use chrono::{TimeZone, Utc};
    use relman_core::change::{self, ChangeInput, ChangeType};
    use relman_core::deployment::{self, Outcome as Rollout, Strategy};
    use relman_core::dossier::population::{self, Standing};
    use relman_core::dossier::{self, Outcome};
    use relman_core::release::{self, ReleaseInput, ReleaseStatus};
    use relman_core::{demo, lifecycle, tagging, Stamp};

    use crate::common::{db, stamp};
    use crate::evidence::fixture_release;

    fn outcome(d: &dossier::Dossier, rule: &str) -> (Outcome, String) {
        let c = d.compliance.iter().find(|c| c.rule.starts_with(rule)).unwrap();
        (c.outcome, c.summary.clone())
    }

    #[test]
    fn the_dossier_reads_the_scope_states_the_checks_and_keeps_risks_then_and_now() {
        let mut db = db();
        demo::load(&mut db.store, &stamp()).unwrap();
        let kestrel = release::find_by_version(&db.store, "Atlas Web", "2.4.0").unwrap();
        let d = dossier::build(&db.store, &stamp(), kestrel.id).unwrap();
        let scope = &d.scope;
        assert!(scope.unavailable.is_none(), "{:?}", scope.unavailable);
        assert_eq!(scope.range.as_ref().unwrap().to, "v2.4.0");
        assert_eq!(scope.counts.iter().map(|c| c.count).sum::<usize>(), 5);
        assert_eq!(scope.breaking.len(), 1, "the checkout move");
        assert!(scope.notes_markdown.starts_with("## [2.4.0]"), "{}", scope.notes_markdown);
        assert_eq!(scope.after_freeze.len(), 2, "{:?}", scope.after_freeze);

        assert_eq!(outcome(&d, "Approval recorded"), (Outcome::Fail, "no change request".into()));
        assert_eq!(outcome(&d, "No commits after").0, Outcome::Fail);
        assert_eq!(outcome(&d, "No step skipped").0, Outcome::Pass);

        // Raised at likelihood 2 a month before, it occurred after the release shipped.
        let cut_over = d.risks.iter().find(|k| k.risk.title.starts_with("Checkout cut-over")).unwrap();
        let then = cut_over.at_release.as_ref().unwrap();
        assert_eq!((then.likelihood, then.score, then.status.as_str()), (2, 8, "open"));
        assert!(then.mitigation_edited_since);
        assert_eq!((cut_over.risk.score, cut_over.risk.status.as_str()), (12, "occurred"));

        // The hotfix shipped on an emergency change the CAB approved that noon.
        let hotfix = release::find_by_version(&db.store, "Atlas Web", "2.4.1").unwrap();
        let d = dossier::build(&db.store, &stamp(), hotfix.id).unwrap();
        assert_eq!(outcome(&d, "Approval recorded"), (Outcome::Pass, "approved before it shipped".into()));
        assert_eq!(outcome(&d, "No approver").0, Outcome::Pass);
        assert_eq!(outcome(&d, "No commits after").0, Outcome::NotApplicable, "it had no code freeze");
    }

    #[test]
    fn an_approval_after_the_production_deployment_fails_the_check() {
        let mut db = db();
        demo::load(&mut db.store, &stamp()).unwrap();
        let cedar = release::find_by_version(&db.store, "Atlas Web", "2.2.0").unwrap();
        let input = ChangeInput {
            product_id: cedar.product_id,
            release_id: Some(cedar.id),
            title: "Paperwork for 2.2.0".into(),
            kind: Some(ChangeType::Normal),
            window_start: Some("2026-12-03T22:00:00+01:00".into()),
            window_end: Some("2026-12-03T23:00:00+01:00".into()),
            ..Default::default()
        };
        let tom = Stamp::new("Tom Becker <tom@example.com>", stamp().at);
        let late = change::create(&mut db.store, &tom, input).unwrap();
        change::submit(&mut db.store, &tom, late.id).unwrap();
        let quinn = Stamp::new("Quinn Okafor <quinn@example.com>", stamp().at);
        change::decide(&mut db.store, &quinn, late.id, "CAB", true, "After the fact").unwrap();
        let d = dossier::build(&db.store, &stamp(), cedar.id).unwrap();
        let check = d.compliance.iter().find(|c| c.rule.starts_with("Approval recorded")).unwrap();
        assert_eq!(check.outcome, Outcome::Fail);
        assert!(
            check.evidence.iter().any(|e| e.contains("CAB approved by Quinn") && e.ends_with("after the deployment.")),
            "{check:?}"
        );
    }

    #[test]
    fn the_gates_of_each_move_are_kept_as_they_stood_and_verify_names_an_altered_one() {
        let mut db = db();
        demo::load(&mut db.store, &stamp()).unwrap();
        let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
        let why = "Agreed at the go/no-go: QA signs off in the morning.";
        lifecycle::transition_with(&mut db.store, &stamp(), lupine.id, ReleaseStatus::Ready, "", Some(why)).unwrap();
        let d = dossier::build(&db.store, &stamp(), lupine.id).unwrap();
        let moved = d.gates.iter().find(|m| m.to == "ready").unwrap();
        assert_eq!(moved.override_reason.as_deref(), Some(why));
        let gate = &moved.gates[0];
        assert_eq!(gate.name, "Ready to ship");
        let qa = gate.criteria.iter().find(|c| c.what == "Signed off by QA").unwrap();
        assert!(!qa.passed && qa.failure == "no sign-off from QA", "{qa:?}");
        assert!(gate.criteria.iter().any(|c| c.what == "Required pre-release items done" && !c.passed));
        assert!(d.required_roles.contains(&"Ops".to_string()));

        let text = serde_json::to_string(&d).unwrap();
        assert!(dossier::verify(&text).unwrap().holds());
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let criteria = doc["gates"][0]["gates"][0]["criteria"].as_array_mut().unwrap();
        for c in criteria.iter_mut() {
            c["passed"] = true.into();
        }
        let report = dossier::verify(&doc.to_string()).unwrap();
        assert_eq!(report.mismatches.len(), 1, "{:?}", report.mismatches);
        assert!(report.mismatches[0].starts_with("The gates of the move to \"ready\""), "{:?}", report.mismatches);

        let html = dossier::html(&d).unwrap();
        assert!(html.contains("gates overridden, with the reason \"Agreed at the go"), "the override and why");
        assert!(html.contains(">Compliance checks</h2>") && html.contains(">Scope</h2>"));
    }

    /// Moves a fixture release through to released, with one production deployment at `deployed`.
    fn ship(db: &mut relman_core::store::Store, product: i64, version: &str, deployed: chrono::DateTime<Utc>) -> i64 {
        let input = ReleaseInput { product_id: product, version: version.into(), ..Default::default() };
        let id = release::create(db, &stamp(), input).unwrap().id;
        use ReleaseStatus::*;
        for to in [InProgress, Frozen, Testing, Ready, Deploying] {
            lifecycle::transition(db, &stamp(), id, to, "").unwrap();
        }
        let d =
            deployment::start(db, &Stamp::new("Ops <ops@example.com>", deployed), id, "production", Strategy::Canary)
                .unwrap();
        deployment::finish(db, &Stamp::new("Ops <ops@example.com>", deployed), d.id, Rollout::Succeeded).unwrap();
        lifecycle::transition(db, &stamp(), id, Released, "").unwrap();
        id
    }

    #[test]
    fn the_population_sets_every_release_tag_against_the_releases() {
        let mut f = fixture_release();
        let later = Utc.with_ymd_and_hms(2026, 11, 27, 20, 0, 0).unwrap();
        let approved = ship(&mut f.db.store, f.product, "1.0.0", later);
        let input = ChangeInput {
            product_id: f.product,
            release_id: Some(approved),
            title: "Ship 1.0.0".into(),
            kind: Some(ChangeType::Standard),
            window_start: Some("2026-11-27T20:00:00+01:00".into()),
            window_end: Some("2026-11-27T23:00:00+01:00".into()),
            ..Default::default()
        };
        let change = change::create(&mut f.db.store, &stamp(), input).unwrap();
        change::submit(&mut f.db.store, &stamp(), change.id).unwrap();
        ship(&mut f.db.store, f.product, "1.1.0", later);

        let found = population::check(&f.db.store, f.product).unwrap();
        let standing: Vec<(&str, Standing)> = found.tags.iter().map(|t| (t.tag.as_str(), t.standing)).collect();
        assert_eq!(
            standing,
            [("v1.0.0", Standing::Complete), ("v1.1.0", Standing::Incomplete), ("v1.2.0", Standing::Unplanned)]
        );
        assert_eq!(
            found.tags[1].reasons,
            ["Approval recorded before the first production deployment: no change request."]
        );
        assert!(found.untagged.is_empty(), "1.3.0 has not shipped");
        let text = population::markdown(&found);
        assert!(
            text.contains("3 release tags matching `v{version}`")
                && text.contains("1 complete, 1 incomplete, 1 never planned")
        );
        assert!(text.contains("| `v1.2.0` | never planned | Tagged in git, never planned in Relman. |"), "{text}");
        // The auditor's papers name the clone by its folder, not where it lies on this laptop.
        assert_eq!(found.repository, "repo");
        assert!(text.contains("in repo:") && !text.contains(f.repo.path().to_str().unwrap()), "{text}");
    }

    #[test]
    fn an_approver_who_tagged_the_release_is_not_independent() {
        let mut f = fixture_release();
        let input = ChangeInput {
            product_id: f.product,
            release_id: Some(f.release),
            title: "Ship 1.3.0".into(),
            kind: Some(ChangeType::Normal),
            window_start: Some("2026-12-03T22:00:00+01:00".into()),
            window_end: Some("2026-12-03T23:00:00+01:00".into()),
            ..Default::default()
        };
        let tom = Stamp::new("Tom Becker <tom@example.com>", stamp().at);
        let change = change::create(&mut f.db.store, &tom, input).unwrap();
        change::submit(&mut f.db.store, &tom, change.id).unwrap();
        change::decide(&mut f.db.store, &stamp(), change.id, "CAB", true, "").unwrap();
        let preview = tagging::prepare(&f.db.store, f.release, None, "priya").unwrap().plan().unwrap();
        tagging::create(&mut f.db.store, &stamp(), f.release, &preview.plan).unwrap();
        let d = dossier::build(&f.db.store, &stamp(), f.release).unwrap();
        let check = d.compliance.iter().find(|c| c.rule.starts_with("No approver")).unwrap();
        assert_eq!(check.outcome, Outcome::Fail);
        assert_eq!(check.evidence, ["priya approved \"Ship 1.3.0\" as CAB and created the release tag."]);
    }

    #[test]
    fn hostile_commit_text_stays_inert_in_the_html() {
        let f = fixture_release();
        let git = git2::Repository::open(f.path()).unwrap();
        let sig =
            git2::Signature::new("Mallory & \"Co\" onerror=alert(1)", "m@example.com", &git2::Time::new(1767600000, 0))
                .unwrap();
        let tip = git.revparse_single("release/1.3").unwrap().peel_to_commit().unwrap();
        let message = "fix: <script>fetch('http://evil.example')</script>\n\nBREAKING CHANGE: <a href=\"http://evil.example\">x</a>";
        git.commit(Some("refs/heads/release/1.3"), &sig, &sig, message, &tip.tree().unwrap(), &[&tip]).unwrap();
        let html = dossier::html(&dossier::build(&f.db.store, &stamp(), f.release).unwrap()).unwrap();
        assert!(html.contains("&lt;script&gt;fetch("), "the commit is there, as text");
        assert!(!html.to_lowercase().contains("<script") && !html.contains("<img") && !html.contains("<a href=\"http"));
    }

    /// The dossier's HTML of the sample's hotfix, with the hashes (which cover ids made fresh each
    /// run) masked.
    #[test]
    fn html_snapshot_of_the_sample_hotfix() {
        let mut db = db();
        demo::load(&mut db.store, &stamp()).unwrap();
        let hotfix = release::find_by_version(&db.store, "Atlas Web", "2.4.1").unwrap();
        let html = dossier::html(&dossier::build(&db.store, &stamp(), hotfix.id).unwrap()).unwrap();
        insta::assert_snapshot!(mask_hashes(&html));
    }

    fn mask_hashes(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut run = String::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_hexdigit() && c.is_ascii_lowercase() || c.is_ascii_digit() {
                run.push(c);
                continue;
            }
            out.push_str(if run.len() == 64 { "[hash]" } else { &run });
            run.clear();
            out.push(c);
        }
        out.pop();
        out
    }
}

#[test]
fn the_dossier_names_no_folder_of_the_laptop_it_was_exported_on() {
    use relman_core::security::{osv::AdvisoryDb, record, scan};
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let lupine = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap();
    let folder = relman_core::settings::advisory_folder(&db.store).unwrap().expect("the sample's advisories");
    let advisories = AdvisoryDb::load(std::path::Path::new(&folder)).unwrap();
    let report = scan::prepare(&db.store, lupine.id).unwrap().run(&advisories).unwrap();
    record::save(&mut db.store, &stamp(), &report).unwrap();
    let clone = db.dir.path().join("sample-repositories/atlas-web");
    let allowed = db.dir.path().join("allowed_signers");
    std::fs::write(&allowed, "").unwrap();
    let configured = std::process::Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["config", "gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(configured.success());

    let text = dossier::export_json(&db.store, &stamp(), lupine.id).unwrap().text;
    let home = db.dir.path().display().to_string();
    let leaks: Vec<&str> = text.lines().filter(|l| l.contains(&home)).collect();
    assert!(leaks.is_empty(), "the dossier leaves the laptop: {leaks:?}");
    let d: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(d["security"]["dependencies"]["report"]["repository"], "atlas-web", "the clone by its folder's name");
    assert_eq!(d["signatures"]["allowed_signers"], "allowed_signers");
}
