//! The delivery metrics: their definitions on hand-built facts whose expected values are worked out
//! here by hand, and lead time and the whole path (deployments, incidents, hotfix, git) on a real
//! database and repository.

use chrono::{DateTime, NaiveDate, Utc};
use relman_core::deployment::{self, Outcome, Strategy};
use relman_core::incident::{self, IncidentInput, IncidentStatus, Severity};
use relman_core::metrics::dora::{self, CommitFact, DeployFact, Facts, IncidentFact};
use relman_core::metrics::{self, Band, FrequencyClass};
use relman_core::product::{self, ProductInput, Repository};
use relman_core::release::{self, ReleaseInput};
use relman_core::Stamp;

use crate::common::db;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn deploy(id: i64, finished: &str, succeeded: bool) -> DeployFact {
    DeployFact { id, product_id: 1, finished: at(finished), succeeded, rework: false }
}

#[test]
fn deployment_frequency_classes_at_their_boundaries() {
    // Four weeks from Monday 2026-11-02. Three deploy days in each week: the median week has 3: daily.
    let mut daily = Vec::new();
    for (week, days) in [(0, [2, 3, 4]), (1, [9, 10, 11]), (2, [16, 17, 18]), (3, [23, 24, 25])] {
        for (n, d) in days.iter().enumerate() {
            daily.push(deploy(week * 10 + n as i64, &format!("2026-11-{d:02}T12:00:00Z"), true));
        }
    }
    let four_weeks = |deployments: Vec<DeployFact>| {
        dora::compute(&Facts { deployments, ..Default::default() }, day("2026-11-02"), day("2026-11-29"))
    };
    let m = four_weeks(daily.clone());
    assert_eq!(m.frequency_class, Some(FrequencyClass::Daily));
    assert_eq!(m.deployment_frequency.value, Some(3.0), "12 in 4 weeks");
    assert_eq!(m.deployment_frequency.band, Some(Band::High));

    // Two deploy days in two weeks, three in the others: the sorted weeks are 2, 2, 3, 3, median 2.5: weekly.
    let weekly: Vec<DeployFact> = daily.iter().filter(|d| d.id != 2 && d.id != 12).cloned().collect();
    assert_eq!(four_weeks(weekly).frequency_class, Some(FrequencyClass::Weekly));

    // Twelve deploys on one day are one deploy day: the median week has 0; the month has 1: monthly.
    let one_day: Vec<DeployFact> = (0..12).map(|n| deploy(n, "2026-11-10T12:00:00Z", true)).collect();
    let m = four_weeks(one_day);
    assert_eq!(m.frequency_class, Some(FrequencyClass::Monthly));
    assert_eq!(m.deployment_frequency.band, Some(Band::Medium));

    // Over three months (Sep to Nov) with deploys only in November, the median month has 0: yearly.
    let rare = vec![deploy(1, "2026-11-10T12:00:00Z", true)];
    let m = dora::compute(&Facts { deployments: rare, ..Default::default() }, day("2026-09-01"), day("2026-11-30"));
    assert_eq!(m.frequency_class, Some(FrequencyClass::Yearly));
    assert_eq!(m.deployment_frequency.band, Some(Band::Low));

    // A failed deployment is not a deployment that happened; nothing at all says so; a short period too.
    let failed = four_weeks(vec![deploy(1, "2026-11-10T12:00:00Z", false)]);
    assert_eq!(failed.deployment_frequency.value, Some(0.0));
    assert!(
        failed.deployment_frequency.note.contains("1 deployment that did not succeed"),
        "{:?}",
        failed.deployment_frequency
    );
    let empty = four_weeks(vec![]);
    assert_eq!(empty.deployment_frequency.value, None);
    assert_eq!(empty.deployment_frequency.text, "No production deployments in the period.");
    let short = dora::compute(&Facts::default(), day("2026-11-02"), day("2026-11-05"));
    assert_eq!(short.deployment_frequency.text, "Choose a period of at least a week.");
}

#[test]
fn the_failure_rate_counts_deployments_not_incidents() {
    // Ten deployments in November: 3 failed or rolled back, 1 succeeded but has two incidents, 1 has
    // an incident and failed too. Failed deployments: 3 + 1 = 4 (the one with both counts once): 40%.
    let mut deployments: Vec<DeployFact> =
        (1..=10).map(|n| deploy(n, &format!("2026-11-{:02}T12:00:00Z", n + 1), true)).collect();
    for id in [2, 5, 7] {
        deployments[id as usize - 1].succeeded = false;
    }
    let incident = |id, deployment_id, detected: &str, resolved: Option<&str>| IncidentFact {
        id,
        deployment_id: Some(deployment_id),
        detected: at(detected),
        resolved: resolved.map(at),
    };
    let incidents = vec![
        incident(100, 9, "2026-11-10T13:00:00Z", Some("2026-11-10T15:00:00Z")),
        incident(101, 9, "2026-11-10T14:00:00Z", Some("2026-11-10T14:30:00Z")),
        incident(102, 5, "2026-11-06T12:30:00Z", Some("2026-11-06T13:00:00Z")),
    ];
    let facts = Facts { deployments, incidents, commits: vec![] };
    let m = dora::compute(&facts, day("2026-11-01"), day("2026-11-30"));
    let cfr = &m.change_failure_rate;
    assert_eq!(cfr.value, Some(40.0));
    assert_eq!(cfr.deployments, [2, 5, 7, 9]);
    assert_eq!(cfr.incidents, [102, 100, 101]);
    assert_eq!(cfr.band, Some(Band::Low), "40% is the low cluster's");

    // Recovery, by hand: deployment 2 failed at 11-03 12:00, restored by the next success (3, 11-04
    // 12:00): 24 h. Deployment 5 failed at 11-06 12:00; its incident resolved at 13:00: 1 h. Deployment
    // 7 failed at 11-08 12:00, restored by 8 at 11-09 12:00: 24 h. Deployment 9: from the first
    // detection (13:00) to the last resolution (15:00): 2 h. Sorted 1, 2, 24, 24: median 13 h.
    let recovery = &m.recovery_time;
    assert_eq!(recovery.value, Some(13.0));
    assert_eq!(recovery.band, Some(Band::High));

    // Five deployments are needed for a rate.
    let few = Facts { deployments: facts.deployments[..4].to_vec(), ..Default::default() };
    let m = dora::compute(&few, day("2026-11-01"), day("2026-11-30"));
    assert_eq!(m.change_failure_rate.value, None);
    assert!(m.change_failure_rate.text.contains("a rate needs at least 5"), "{}", m.change_failure_rate.text);
}

#[test]
fn an_unresolved_failure_is_said_and_not_counted_and_rework_is_hotfix_deployments() {
    let mut deployments: Vec<DeployFact> =
        (1..=8).map(|n| deploy(n, &format!("2026-11-{:02}T12:00:00Z", n + 1), true)).collect();
    deployments[7].succeeded = false; // the last one: nothing after it restores it
    deployments[3].rework = true;
    deployments[5].rework = true;
    let m = dora::compute(&Facts { deployments, ..Default::default() }, day("2026-11-01"), day("2026-11-30"));
    assert_eq!(m.recovery_time.value, None);
    assert!(m.recovery_time.note.contains("1 failure is not resolved yet"), "{:?}", m.recovery_time);
    assert_eq!(m.rework_rate.value, Some(25.0), "2 of 8");
    assert_eq!(m.rework_rate.deployments, [4, 6]);
    assert_eq!(m.rework_rate.band, None, "the report gives the rework rate no clusters");
}

#[test]
fn lead_time_is_the_median_from_author_time_to_the_deployment_and_ignores_commits_after_it() {
    let deployments = vec![deploy(1, "2026-11-10T12:00:00Z", true), deploy(2, "2026-11-20T12:00:00Z", true)];
    let commit = |sha: &str, authored: &str, deployment_id| CommitFact {
        sha: sha.into(),
        authored: at(authored),
        deployment_id,
    };
    let commits = vec![
        commit("a", "2026-11-10T10:00:00Z", 1), // 2 h
        commit("b", "2026-11-09T12:00:00Z", 1), // 24 h
        commit("c", "2026-11-20T06:00:00Z", 2), // 6 h
        commit("d", "2026-11-15T12:00:00Z", 2), // 120 h
        commit("e", "2026-11-20T13:00:00Z", 2), // after the deployment: left out
    ];
    let m = dora::compute(&Facts { deployments, commits, ..Default::default() }, day("2026-11-01"), day("2026-11-30"));
    // 2, 6, 24, 120: median (6 + 24) / 2 = 15 h; p90 by nearest rank: ceil(0.9 × 4) = 4th: 120 h.
    assert_eq!(m.lead_time.value, Some(15.0));
    assert_eq!(m.lead_time_p90, Some(120.0));
    assert_eq!(m.lead_time.band, Some(Band::Elite));
    assert_eq!(m.lead_time.commits, ["a", "b", "c", "d"]);
    assert!(m.lead_time.note.contains("1 commit authored after"), "{}", m.lead_time.note);
}

/// A repository with two releases: v1.0.0 (two commits) and v1.1.0 (two more), at pinned author times.
fn repository(path: &std::path::Path) {
    let repo = git2::Repository::init(path).unwrap();
    let tree = repo.find_tree(repo.treebuilder(None).unwrap().write().unwrap()).unwrap();
    let mut parent: Option<git2::Commit> = None;
    for (message, time, tag) in [
        ("feat: first", "2026-10-01T09:00:00Z", None),
        ("fix: second", "2026-10-03T09:00:00Z", Some("v1.0.0")),
        ("feat: third", "2026-10-20T09:00:00Z", None),
        ("fix: fourth", "2026-10-21T21:00:00Z", Some("v1.1.0")),
    ] {
        let when = git2::Time::new(at(time).timestamp(), 0);
        let who = git2::Signature::new("Priya Raman", "priya@example.com", &when).unwrap();
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let oid = repo.commit(Some("refs/heads/main"), &who, &who, message, &tree, &parents).unwrap();
        let commit = repo.find_commit(oid).unwrap();
        if let Some(tag) = tag {
            repo.tag_lightweight(tag, commit.as_object(), false).unwrap();
        }
        parent = Some(commit);
    }
    repo.set_head("refs/heads/main").unwrap();
}

#[test]
fn the_whole_path_lead_time_from_git_failures_from_incidents_and_a_hotfix_as_rework() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("atlas");
    repository(&path);
    let mut db = db();
    let who = |time: &str| Stamp::new("Priya Raman <priya@example.com>", at(time));
    let input = ProductInput {
        name: "Atlas".into(),
        repository: Some(Repository {
            path: path.display().to_string(),
            default_branch: "main".into(),
            tag_pattern: "v{version}".into(),
        }),
        ..Default::default()
    };
    let atlas = product::create(&mut db.store, &who("2026-09-01T00:00:00Z"), input).unwrap().id;
    let release = |db: &mut crate::common::Db, version: &str| {
        let input = ReleaseInput { product_id: atlas, version: version.into(), ..Default::default() };
        release::create(&mut db.store, &who("2026-09-01T00:00:00Z"), input).unwrap().id
    };
    let (first, second) = (release(&mut db, "1.0.0"), release(&mut db, "1.1.0"));
    let deploy = |db: &mut crate::common::Db, release_id, env: &str, start: &str, end: &str, outcome| {
        let d = deployment::start(&mut db.store, &who(start), release_id, env, Strategy::Rolling).unwrap();
        deployment::finish(&mut db.store, &who(end), d.id, outcome).unwrap().id
    };
    deploy(&mut db, first, "staging", "2026-10-03T10:00:00Z", "2026-10-03T11:00:00Z", Outcome::Succeeded);
    let one = deploy(&mut db, first, "production", "2026-10-04T08:00:00Z", "2026-10-04T09:00:00Z", Outcome::Succeeded);
    let two = deploy(&mut db, second, "Production", "2026-10-22T08:00:00Z", "2026-10-22T09:00:00Z", Outcome::Succeeded);
    // A staging run of 1.1.0 after its production deployment: an incident still comes from production.
    deploy(&mut db, second, "staging", "2026-10-22T09:30:00Z", "2026-10-22T09:40:00Z", Outcome::Succeeded);

    // Lead times by hand: v1.0.0's commits reached production at 10-04 09:00: 72 h and 24 h; v1.1.0's
    // at 10-22 09:00: 48 h and 12 h. The staging deployment is not production. Sorted 12, 24, 48, 72:
    // median 36 h.
    let october = |db: &crate::common::Db| {
        metrics::for_period(&db.store, Some(atlas), day("2026-10-01"), day("2026-10-31")).unwrap()
    };
    let m = october(&db);
    assert_eq!(m.lead_time.value, Some(36.0), "{:?}", m.lead_time);
    assert_eq!(m.lead_time.commits.len(), 4);
    assert_eq!(m.lead_time.deployments, [one, two]);

    // An incident on 1.1.0, detected after its deployment: attributed to it, resolved 90 minutes later.
    let input = IncidentInput {
        product_id: atlas,
        release_id: Some(second),
        title: "Checkout returns 500".into(),
        severity: Some(Severity::Sev2),
        detected_at: Some("2026-10-22T10:00:00Z".into()),
        ..Default::default()
    };
    let found = incident::create(&mut db.store, &who("2026-10-22T10:05:00Z"), input).unwrap();
    assert_eq!(found.deployment_id, Some(two), "attributed to the deployment that shipped it");
    let early = incident::set_status(
        &mut db.store,
        &who("2026-10-22T11:30:00Z"),
        found.id,
        IncidentStatus::Resolved,
        Some("2026-10-21T00:00:00Z"),
    );
    assert_eq!(early.unwrap_err().field(), Some("at"), "not resolved before it was detected");
    let resolved =
        incident::set_status(&mut db.store, &who("2026-10-22T11:30:00Z"), found.id, IncidentStatus::Resolved, None)
            .unwrap();
    assert_eq!(resolved.minutes_to_restore, Some(90));

    let (after, hotfix) = incident::hotfix(&mut db.store, &who("2026-10-22T12:00:00Z"), found.id).unwrap();
    assert_eq!((hotfix.version.as_str(), hotfix.rework, hotfix.from_ref.as_str()), ("1.1.1", true, "v1.1.0"));
    assert_eq!(after.hotfix_release_id, Some(hotfix.id));
    assert!(
        incident::hotfix(&mut db.store, &who("2026-10-22T12:00:00Z"), found.id).is_err(),
        "one hotfix per incident"
    );
    for (n, time) in ["2026-10-23", "2026-10-24", "2026-10-25"].iter().enumerate() {
        let target = if n == 0 { hotfix.id } else { second };
        deploy(
            &mut db,
            target,
            "production",
            &format!("{time}T08:00:00Z"),
            &format!("{time}T09:00:00Z"),
            Outcome::Succeeded,
        );
    }
    // Five production deployments: one has an incident (20%), one is a hotfix (20%); recovery 1.5 h.
    let m = october(&db);
    assert_eq!(m.change_failure_rate.value, Some(20.0));
    assert_eq!(m.change_failure_rate.incidents, [found.id]);
    assert_eq!(m.rework_rate.value, Some(20.0));
    assert_eq!(m.recovery_time.value, Some(1.5));

    let listed = incident::list(&db.store, Some(atlas), None).unwrap();
    assert_eq!(listed.len(), 1);
}

#[test]
fn the_sample_measures_its_shipped_releases_and_a_rolled_back_release_ships_with_its_hotfix() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = relman_core::store::Store::open(&dir.path().join("relman.db")).unwrap();
    let stamp = Stamp::new("Priya Raman <priya@example.com>", at("2026-12-01T10:00:00Z"));
    relman_core::demo::load(&mut store, &stamp).unwrap();
    let (from, to) = metrics::last_days(stamp.today(), 90);
    let m = metrics::for_period(&store, None, from, to).unwrap();
    // 2.3.0's 3 commits with its own deployment; 2.4.0's 5, rolled back, with 2.4.1's, and 2.4.1's 2.
    assert_eq!(m.lead_time.commits.len(), 10, "{:?}", m.lead_time);
    assert!(m.lead_time.note.contains("Beacon Mobile"), "no repository: said, not hidden: {}", m.lead_time.note);
    // Five production deployments (Beacon's two builds): 2.4.0's rollback is one failure in five, and
    // the hotfix 2.4.1 one rework in five.
    assert_eq!((m.change_failure_rate.value, m.rework_rate.value), (Some(20.0), Some(20.0)));
    // Detected at 19:35 on day -21, resolved when 2.4.1 was out at 19:55 on day -17: 96 h 20 min.
    assert_eq!(m.recovery_time.value, Some(96.33));
    let incidents = incident::list(&store, None, None).unwrap();
    assert!(incidents[0].hotfix_release_id.is_some() && incidents[0].needed_rollback);

    // Week by week over the same 90 days: 13 points, the last ending today, each looking back four
    // weeks. The first deployment (2.3.0, 63 days ago) is first counted by the fourth point, which
    // ends 62 days ago; the last (17 days ago) is still in the last point's four weeks.
    let series = metrics::prepare_series(&store, None, None, None, stamp.today()).unwrap().run_series().unwrap();
    assert_eq!(series.points.len(), 13);
    assert_eq!(series.points.last().unwrap().week_end, stamp.today().to_string());
    let deploying: Vec<bool> = series.points.iter().map(|p| p.deployment_frequency.is_some_and(|v| v > 0.0)).collect();
    assert_eq!(deploying[..4], [false, false, false, true], "{deploying:?}");
    assert!(deploying[12], "{deploying:?}");
}
