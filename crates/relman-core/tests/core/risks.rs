use chrono::NaiveDate;
use relman_core::checklist::items::{self, ItemState};
use relman_core::checklist::signoff::{self, Decision, SignoffInput};
use relman_core::checklist::{template, Phase};
use relman_core::lifecycle::{self, gates};
use relman_core::release::ReleaseStatus;
use relman_core::risk::exchange::{self, ImportAction};
use relman_core::risk::{
    self, settings, Band, Category, ReleaseScope, RiskFilter, RiskInput, RiskSettings, RiskStatus,
};
use relman_core::ErrorCode;

use crate::common::{add_product, add_release, db, stamp, Db};

fn add(db: &mut Db, input: RiskInput) -> risk::Risk {
    risk::create(&mut db.store, &stamp(), input).unwrap()
}

/// Atlas with releases 1.0.0 and 2.0.0 and four risks across them; Beacon with one.
fn register(db: &mut Db) -> (i64, i64, i64) {
    let atlas = add_product(db, "Atlas");
    let one = add_release(db, atlas, "1.0.0").id;
    let two = add_release(db, atlas, "2.0.0").id;
    let beacon = add_product(db, "Beacon");
    add(
        db,
        RiskInput {
            release_id: Some(one),
            owner: "Ana".into(),
            ..RiskInput::new(atlas, "Payment provider outage", Category::External, 4, 5)
        },
    );
    add(
        db,
        RiskInput {
            release_id: Some(two),
            owner: "tom".into(),
            ..RiskInput::new(atlas, "Schema migration locks orders", Category::Technical, 3, 4)
        },
    );
    add(
        db,
        RiskInput {
            status: RiskStatus::Closed,
            mitigation: "Pinned the vendor SDK".into(),
            ..RiskInput::new(atlas, "SDK licence change", Category::Compliance, 2, 2)
        },
    );
    add(
        db,
        RiskInput { owner: "Tom".into(), ..RiskInput::new(atlas, "Key engineer on leave", Category::People, 3, 5) },
    );
    add(db, RiskInput::new(beacon, "App store review delay", Category::Schedule, 4, 3));
    (atlas, one, two)
}

fn titles(risks: &[risk::Risk]) -> Vec<&str> {
    risks.iter().map(|r| r.title.as_str()).collect()
}

#[test]
fn the_score_is_derived_and_follows_every_edit() {
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let r = add(&mut db, RiskInput::new(atlas, "Outage", Category::Operational, 2, 3));
    assert_eq!((r.score, r.band), (6, Band::Medium), "2 × 3 is a medium risk");
    let mut edit = RiskInput::from_risk(&r);
    edit.likelihood = 5;
    let edited = risk::update(&mut db.store, &stamp(), r.id, edit).unwrap();
    assert_eq!((edited.score, edited.band), (15, Band::High), "the score moves with its likelihood");
    let bad = RiskInput { impact: 6, ..RiskInput::from_risk(&edited) };
    let err = risk::update(&mut db.store, &stamp(), r.id, bad).unwrap_err();
    assert_eq!(err.field(), Some("impact"));
    assert_eq!(risk::get(&db.store, r.id).unwrap().score, 15, "a refused edit changes nothing");
}

#[test]
fn filters_combine_and_a_release_sees_its_product_wide_risks() {
    let mut db = db();
    let (atlas, one, _) = register(&mut db);
    let list = |f: RiskFilter| risk::list(&db.store, &f).unwrap();
    let all = list(RiskFilter { product_id: Some(atlas), ..Default::default() });
    assert_eq!(
        titles(&all),
        ["Payment provider outage", "Key engineer on leave", "Schema migration locks orders", "SDK licence change"],
        "highest score first, only Atlas"
    );
    let for_one =
        list(RiskFilter { product_id: Some(atlas), release: ReleaseScope::Release { id: one }, ..Default::default() });
    assert_eq!(
        titles(&for_one),
        ["Payment provider outage", "Key engineer on leave", "SDK licence change"],
        "its own and the product-wide ones"
    );
    let wide = list(RiskFilter { release: ReleaseScope::ProductWide, product_id: Some(atlas), ..Default::default() });
    assert_eq!(titles(&wide), ["Key engineer on leave", "SDK licence change"]);
    let tom = list(RiskFilter { owner: Some("TOM".into()), ..Default::default() });
    assert_eq!(tom.len(), 2, "the owner matches ignoring case");
    let high_open = list(RiskFilter { band: Some(Band::High), statuses: vec![RiskStatus::Open], ..Default::default() });
    assert_eq!(titles(&high_open), ["Payment provider outage", "Key engineer on leave"]);
    let cell = list(RiskFilter { likelihood: Some(3), impact: Some(4), ..Default::default() });
    assert_eq!(titles(&cell), ["Schema migration locks orders"], "one heat-map cell");
    let words = list(RiskFilter { text: Some("vendor sdk".into()), ..Default::default() });
    assert_eq!(titles(&words), ["SDK licence change"], "every word, in any field, any case");
    let people = list(RiskFilter { categories: vec![Category::People, Category::Schedule], ..Default::default() });
    assert_eq!(people.len(), 2, "categories match any of those given, across products");
}

#[test]
fn every_change_is_in_the_risks_history_in_words() {
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, atlas, "1.0.0").id;
    let r = add(&mut db, RiskInput::new(atlas, "Outage", Category::Operational, 2, 3));
    let edit = RiskInput {
        likelihood: 4,
        status: RiskStatus::Mitigating,
        mitigation: "Failover drill".into(),
        release_id: Some(release),
        ..RiskInput::from_risk(&r)
    };
    risk::update(&mut db.store, &stamp(), r.id, edit.clone()).unwrap();
    let audits = db.audit_count();
    risk::update(&mut db.store, &stamp(), r.id, edit).unwrap();
    assert_eq!(db.audit_count(), audits, "saving without a change records nothing");
    let history = risk::history(&db.store, r.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].action, "create");
    assert_eq!(
        history[1].changes,
        ["release product-wide → 1.0.0", "likelihood 2 → 4", "status open → mitigating", "mitigation edited"],
        "who reads the history sees what changed"
    );
    assert_eq!(history[1].actor, "priya");
}

#[test]
fn a_risk_cannot_point_at_another_products_release_or_move_product() {
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let beacon = add_product(&mut db, "Beacon");
    let theirs = add_release(&mut db, beacon, "1.0.0").id;
    let err = risk::create(
        &mut db.store,
        &stamp(),
        RiskInput { release_id: Some(theirs), ..RiskInput::new(atlas, "X", Category::Technical, 1, 1) },
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("release_id"));
    assert!(err.to_string().contains("Beacon 1.0.0 is not a release of Atlas"), "{err}");
    let r = add(&mut db, RiskInput::new(atlas, "X", Category::Technical, 1, 1));
    let moved =
        risk::update(&mut db.store, &stamp(), r.id, RiskInput { product_id: beacon, ..RiskInput::from_risk(&r) })
            .unwrap_err();
    assert_eq!(moved.code(), ErrorCode::InvalidInput);
    let blank =
        risk::create(&mut db.store, &stamp(), RiskInput::new(atlas, "  ", Category::Technical, 1, 1)).unwrap_err();
    assert_eq!(blank.field(), Some("title"));
}

#[test]
fn overdue_reviews_are_live_risks_past_their_date() {
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let due = add(
        &mut db,
        RiskInput { review_date: Some("2026-11-20".into()), ..RiskInput::new(atlas, "A", Category::Technical, 1, 1) },
    );
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    assert!(due.review_overdue(today));
    assert!(!due.review_overdue(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()), "due today is not overdue");
    let closed = risk::update(
        &mut db.store,
        &stamp(),
        due.id,
        RiskInput { status: RiskStatus::Closed, ..RiskInput::from_risk(&due) },
    )
    .unwrap();
    assert!(!closed.review_overdue(today), "a closed risk needs no review");
}

mod gate {
    use super::*;

    /// A release in testing with the built-in template's pre-release items done and sign-offs in:
    /// only the risk rule can block its move to ready.
    fn ready_but_for_risks(db: &mut Db) -> (i64, i64) {
        let atlas = add_product(db, "Atlas");
        let id = add_release(db, atlas, "1.0.0").id;
        items::apply(&mut db.store, &stamp(), id, &template::built_in()).unwrap();
        for to in [ReleaseStatus::InProgress, ReleaseStatus::Frozen, ReleaseStatus::Testing] {
            lifecycle::transition(&mut db.store, &stamp(), id, to, "").unwrap();
        }
        for item in
            items::list(&db.store, id).unwrap().into_iter().filter(|i| i.phase == Phase::PreRelease && i.required)
        {
            items::set_state(&mut db.store, &stamp(), item.id, ItemState::Done, "").unwrap();
        }
        for role in ["QA", "Product"] {
            let input = SignoffInput {
                role: role.into(),
                person: "Ana".into(),
                decision: Decision::Approve,
                comment: String::new(),
            };
            signoff::sign(&mut db.store, &stamp(), id, input).unwrap();
        }
        (atlas, id)
    }

    #[test]
    fn an_unmitigated_risk_at_the_threshold_blocks_ready_until_mitigated() {
        let mut db = db();
        let (atlas, id) = ready_but_for_risks(&mut db);
        add(&mut db, RiskInput::new(atlas, "Below the threshold", Category::Technical, 3, 4));
        add(
            &mut db,
            RiskInput {
                status: RiskStatus::Accepted,
                ..RiskInput::new(atlas, "Accepted on purpose", Category::Technical, 5, 5)
            },
        );
        let wide = add(&mut db, RiskInput::new(atlas, "Payment provider outage", Category::External, 3, 5));
        let error = lifecycle::transition(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "").unwrap_err();
        assert_eq!(error.code(), ErrorCode::GateBlocked, "a product-wide risk bears on the release");
        let text = error.to_string();
        assert!(
            text.contains(
                "1 open or mitigating risk scoring 15 or more has no mitigation: Payment provider outage (score 15)"
            ),
            "{text}"
        );
        assert!(
            !text.contains("Below") && !text.contains("Accepted on purpose"),
            "only live risks at the threshold count: {text}"
        );
        let results = gates::evaluate_for(&db.store, id, ReleaseStatus::Ready, crate::common::stamp().at).unwrap();
        assert_eq!(results[0].failures.len(), 1, "the risk rule is the only failure");

        risk::update(
            &mut db.store,
            &stamp(),
            wide.id,
            RiskInput { mitigation: "Second provider on standby".into(), ..RiskInput::from_risk(&wide) },
        )
        .unwrap();
        let ready = lifecycle::transition(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "").unwrap();
        assert_eq!(ready.status, ReleaseStatus::Ready);
    }

    #[test]
    fn the_threshold_is_per_product() {
        let mut db = db();
        let (atlas, id) = ready_but_for_risks(&mut db);
        add(&mut db, RiskInput::new(atlas, "Medium but worrying", Category::Technical, 3, 4));
        let at_default = gates::evaluate_for(&db.store, id, ReleaseStatus::Ready, crate::common::stamp().at).unwrap();
        assert!(at_default[0].failures.is_empty(), "12 is below the default threshold of 15");
        let mut lowered = settings::get(&db.store, atlas).unwrap();
        assert_eq!(lowered.threshold, 15, "the default threshold");
        lowered.threshold = 12;
        settings::set(&mut db.store, &stamp(), atlas, lowered).unwrap();
        let error = lifecycle::transition(&mut db.store, &stamp(), id, ReleaseStatus::Ready, "").unwrap_err();
        assert!(error.to_string().contains("scoring 12 or more"), "{error}");
        let current = settings::get(&db.store, atlas).unwrap();
        let bad = settings::set(&mut db.store, &stamp(), atlas, RiskSettings { threshold: 26, ..current }).unwrap_err();
        assert_eq!(bad.field(), Some("threshold"));
    }
}

mod csv {
    use super::*;

    #[test]
    fn export_then_import_gives_the_same_risks() {
        let mut source = db();
        let (atlas, _, _) = register(&mut source);
        let risks = risk::list(&source.store, &RiskFilter { product_id: Some(atlas), ..Default::default() }).unwrap();
        let first = risks[0].id;
        let mut edit = RiskInput::from_risk(&risk::get(&source.store, first).unwrap());
        edit.description = "Line one, with a comma\nand \"quotes\" — and a dash".into();
        edit.review_date = Some("2026-12-01".into());
        edit.trigger = "Error rate > 2 %".into();
        risk::update(&mut source.store, &stamp(), first, edit).unwrap();
        let risks = risk::list(&source.store, &RiskFilter { product_id: Some(atlas), ..Default::default() }).unwrap();
        let text = exchange::to_csv(&risks).unwrap();
        assert!(text.starts_with("\u{feff}ID,Product,Release,Title"), "a BOM, then the headers");

        let mut target = db();
        let atlas_there = add_product(&mut target, "Atlas");
        add_release(&mut target, atlas_there, "1.0.0");
        add_release(&mut target, atlas_there, "2.0.0");
        let plan = exchange::plan(&target.store, atlas_there, &text).unwrap();
        assert!(plan.errors.is_empty(), "{:?}", plan.errors);
        assert!(
            plan.rows.iter().all(|r| r.action == ImportAction::Create),
            "IDs from another database are new risks here"
        );
        let summary = exchange::import(&mut target.store, &stamp(), atlas_there, &text).unwrap();
        assert_eq!(summary.created, 4);
        let imported =
            risk::list(&target.store, &RiskFilter { product_id: Some(atlas_there), ..Default::default() }).unwrap();
        let fields = |r: &risk::Risk| {
            (
                r.title.clone(),
                r.description.clone(),
                r.category,
                r.likelihood,
                r.impact,
                r.status,
                r.owner.clone(),
                r.mitigation.clone(),
                r.trigger.clone(),
                r.review_date.clone(),
                r.release_version.clone(),
            )
        };
        assert_eq!(
            imported.iter().map(fields).collect::<Vec<_>>(),
            risks.iter().map(fields).collect::<Vec<_>>(),
            "every field survives the round trip"
        );

        let again = exchange::plan(&source.store, atlas, &text).unwrap();
        assert!(
            again.rows.iter().all(|r| r.action == ImportAction::Update),
            "the same database's IDs update their risks"
        );
        let audits = source.audit_count();
        exchange::import(&mut source.store, &stamp(), atlas, &text).unwrap();
        assert_eq!(source.audit_count(), audits, "re-importing an unchanged export changes nothing");
    }

    #[test]
    fn a_spreadsheets_own_headers_map_by_name() {
        let mut db = db();
        let atlas = add_product(&mut db, "Atlas");
        let text = "Risk;Probability;Severity;Risk owner;Next review;Colour\nVendor outage;4;3.0;Ana;2026-12-10;red\n";
        let plan = exchange::plan(&db.store, atlas, text).unwrap();
        assert!(plan.errors.is_empty(), "{:?}", plan.errors);
        let mapped: Vec<Option<&str>> = plan.columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            mapped,
            [Some("title"), Some("likelihood"), Some("impact"), Some("owner"), Some("review date"), None]
        );
        assert_eq!(plan.columns[5].note, "not a risk field; ignored");
        assert_eq!(
            (plan.rows[0].score, plan.rows[0].category, plan.rows[0].status),
            (12, Category::Technical, RiskStatus::Open),
            "defaults fill what the sheet lacks"
        );
    }

    #[test]
    fn bad_rows_are_named_by_row_and_column_and_nothing_is_written() {
        let mut db = db();
        let atlas = add_product(&mut db, "Atlas");
        add(&mut db, RiskInput::new(atlas, "Already here", Category::Technical, 1, 1));
        let audits = db.audit_count();
        let text = "Title,Likelihood,Impact,Status,Review date,Release\n\
                    Fine,2,2,open,,\n\
                    ,3,3,open,,\n\
                    Too likely,6,2,open,,\n\
                    Odd status,2,2,pending,,\n\
                    Odd date,2,2,open,12/01/2026,\n\
                    Unknown release,2,2,open,,9.9.9\n";
        let plan = exchange::plan(&db.store, atlas, text).unwrap();
        let found: Vec<(u32, &str)> = plan.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(
            found,
            [(3, "Title"), (4, "Likelihood"), (5, "Status"), (6, "Review date"), (7, "Release")],
            "the header is row 1"
        );
        assert!(plan.errors[1].message.contains("between 1 and 5"), "{}", plan.errors[1].message);
        assert!(plan.errors[4].message.contains("Atlas has no release 9.9.9"), "{}", plan.errors[4].message);
        let err = exchange::import(&mut db.store, &stamp(), atlas, text).unwrap_err();
        assert!(err.to_string().starts_with("Nothing was imported: row 3, column Title"), "{err}");
        assert_eq!(db.audit_count(), audits, "the valid row was not written either");
        assert_eq!(risk::list(&db.store, &RiskFilter::default()).unwrap().len(), 1);

        let missing = exchange::plan(&db.store, atlas, "Title,Owner\nX,Ana\n").unwrap();
        assert_eq!(missing.errors.len(), 2, "no likelihood and no impact column: {:?}", missing.errors);
        assert!(missing.errors[0].message.contains("no likelihood column"));
        let empty = exchange::plan(&db.store, atlas, "Title,Likelihood,Impact\n").unwrap();
        assert_eq!(empty.errors[0].message, "the file has a header but no risks");
    }

    #[test]
    fn an_update_changes_only_the_columns_the_file_has() {
        let mut db = db();
        let atlas = add_product(&mut db, "Atlas");
        let release = add_release(&mut db, atlas, "1.0.0").id;
        let r = add(
            &mut db,
            RiskInput {
                release_id: Some(release),
                status: RiskStatus::Mitigating,
                owner: "Ana".into(),
                mitigation: "Failover drill".into(),
                review_date: Some("2026-12-01".into()),
                ..RiskInput::new(atlas, "DB outage", Category::Technical, 3, 5)
            },
        );
        let text = format!("ID,Title,Likelihood,Impact\n{},DB outage,2,5\n", r.id);
        let plan = exchange::plan(&db.store, atlas, &text).unwrap();
        assert_eq!(plan.rows[0].changes, ["likelihood 3 → 2"], "the preview says what changes");
        exchange::import(&mut db.store, &stamp(), atlas, &text).unwrap();
        let after = risk::get(&db.store, r.id).unwrap();
        assert_eq!(after.likelihood, 2);
        assert_eq!(
            (
                after.release_id,
                after.status,
                after.owner.as_str(),
                after.mitigation.as_str(),
                after.review_date.as_deref()
            ),
            (Some(release), RiskStatus::Mitigating, "Ana", "Failover drill", Some("2026-12-01")),
            "fields without a column are kept"
        );
    }

    #[test]
    fn shifted_cells_unknown_ids_and_other_products_are_caught() {
        let mut db = db();
        let atlas = add_product(&mut db, "Atlas");
        let text = "ID,Product,Title,Likelihood,Impact,Mitigation\n\
                    ,Atlas,DB down,3,5,Use the replica, then fail over\n\
                    R-12,Atlas,Typo id,1,1,\n\
                    9999,Atlas,Old id,1,1,\n\
                    ,Beacon,Wrong product,1,1,\n";
        let plan = exchange::plan(&db.store, atlas, text).unwrap();
        let found: Vec<(u32, &str)> = plan.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(found, [(2, ""), (3, "ID"), (5, "Product")], "{:?}", plan.errors);
        assert!(plan.errors[0].message.contains("must be in double quotes"), "{}", plan.errors[0].message);
        assert!(plan.errors[2].message.contains("this row is for Beacon"), "{}", plan.errors[2].message);
        assert_eq!(plan.notes.len(), 1, "an unknown numeric ID starts a new risk, and says so");
        assert!(plan.notes[0].message.contains("ID 9999 is not a risk of Atlas"));
    }

    #[test]
    fn the_preview_refuses_what_saving_would_and_counts_rows_like_a_spreadsheet() {
        let mut db = db();
        let atlas = add_product(&mut db, "Atlas");
        let long = "x".repeat(201);
        let text = format!("Title,Likelihood,Impact,Description\nFine,1,1,\"two\nlines\"\n\n{long},1,1,\n");
        let plan = exchange::plan(&db.store, atlas, &text).unwrap();
        assert_eq!(plan.errors.len(), 1, "{:?}", plan.errors);
        assert_eq!(
            (plan.errors[0].row, plan.errors[0].column.as_str()),
            (4, "Title"),
            "a quoted line break is one row; a blank line is a row"
        );
        assert!(plan.errors[0].message.contains("under 200 characters"));
    }

    #[test]
    fn formulas_are_guarded_on_export_and_restored_on_import() {
        let mut db = db();
        let atlas = add_product(&mut db, "Atlas");
        add(
            &mut db,
            RiskInput {
                owner: "@ops".into(),
                ..RiskInput::new(atlas, "=HYPERLINK(\"http://x\")", Category::Technical, 1, 1)
            },
        );
        let risks = risk::list(&db.store, &RiskFilter::default()).unwrap();
        let text = exchange::to_csv(&risks).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "a spreadsheet shows the text, not a link: {text}");
        let mut other = crate::common::db();
        let there = add_product(&mut other, "Atlas");
        exchange::import(&mut other.store, &stamp(), there, &text).unwrap();
        let back = &risk::list(&other.store, &RiskFilter::default()).unwrap()[0];
        assert_eq!((back.title.as_str(), back.owner.as_str()), ("=HYPERLINK(\"http://x\")", "@ops"));
        let semicolons = "Title;Likelihood;Impact;\"Notes, misc\"\nX;1;2;y\n";
        assert!(
            exchange::plan(&other.store, there, semicolons).unwrap().errors.is_empty(),
            "a comma inside quotes is not the delimiter"
        );
    }

    #[test]
    fn markdown_reports_sort_live_risks_first_and_keep_text_inert() {
        let mut db = db();
        let (atlas, _, _) = register(&mut db);
        add(
            &mut db,
            RiskInput {
                review_date: Some("2026-11-01".into()),
                ..RiskInput::new(atlas, "A [link](http://x) | pipe", Category::Technical, 1, 2)
            },
        );
        let risks = risk::list(&db.store, &RiskFilter { product_id: Some(atlas), ..Default::default() }).unwrap();
        let md = risk::to_markdown("Atlas", &risks, 15, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        insta::assert_snapshot!(md);
    }
}

#[test]
fn rules_with_a_broken_pattern_are_refused_when_saved() {
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let mut rules = settings::get(&db.store, atlas).unwrap();
    rules.rules.migration_paths.push("db/[unclosed".into());
    let err = settings::set(&mut db.store, &stamp(), atlas, rules).unwrap_err();
    assert_eq!(err.field(), Some("rules"));
    assert!(err.to_string().contains("db/[unclosed"), "the message names the pattern: {err}");
    assert_eq!(
        settings::get(&db.store, atlas).unwrap().rules,
        relman_core::risk::SuggestionRules::default(),
        "nothing was saved"
    );
}

#[test]
fn an_inline_patch_keeps_what_changed_meanwhile() {
    use relman_core::risk::RiskPatch;
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let shown = add(&mut db, RiskInput::new(atlas, "Outage", Category::Operational, 2, 3));
    // Someone else adds a mitigation after the table loaded the risk.
    risk::update(
        &mut db.store,
        &stamp(),
        shown.id,
        RiskInput { mitigation: "Failover".into(), ..RiskInput::from_risk(&shown) },
    )
    .unwrap();
    let patched =
        risk::patch(&mut db.store, &stamp(), shown.id, RiskPatch { likelihood: Some(4), ..Default::default() })
            .unwrap();
    assert_eq!((patched.likelihood, patched.mitigation.as_str()), (4, "Failover"), "the patch changes one field only");
    risk::delete(&mut db.store, &stamp(), shown.id).unwrap();
    let history = risk::history(&db.store, shown.id).unwrap();
    assert_eq!(history.last().map(|h| h.action.as_str()), Some("delete"), "a deleted risk's history stays readable");
}

#[test]
fn a_patch_of_text_fields_and_scope_changes_only_those() {
    use relman_core::risk::RiskPatch;
    let mut db = db();
    let atlas = add_product(&mut db, "Atlas");
    let release = add_release(&mut db, atlas, "1.0.0").id;
    let risk = add(
        &mut db,
        RiskInput {
            review_date: Some("2026-12-01".into()),
            ..RiskInput::new(atlas, "Outage", Category::Operational, 2, 3)
        },
    );
    let patch = RiskPatch {
        mitigation: Some("Failover drill".into()),
        review_date: Some(String::new()),
        scope: Some(ReleaseScope::Release { id: release }),
        ..Default::default()
    };
    let patched = risk::patch(&mut db.store, &stamp(), risk.id, patch).unwrap();
    assert_eq!(patched.mitigation, "Failover drill");
    assert_eq!(patched.review_date, None, "an empty review date clears it");
    assert_eq!(patched.release_id, Some(release));
    assert_eq!((patched.title.as_str(), patched.likelihood, patched.impact), ("Outage", 2, 3), "the rest as it was");
    let back = RiskPatch { scope: Some(ReleaseScope::ProductWide), ..Default::default() };
    assert_eq!(risk::patch(&mut db.store, &stamp(), risk.id, back).unwrap().release_id, None);
    let error = risk::patch(
        &mut db.store,
        &stamp(),
        risk.id,
        RiskPatch { scope: Some(ReleaseScope::Any), ..Default::default() },
    )
    .unwrap_err();
    assert_eq!(error.field(), Some("scope"));
}
