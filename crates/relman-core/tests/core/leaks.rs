//! Secrets in a release's diff: the "leaky" fixture's range adds an AWS key and a random-looking test
//! seed, removes a token added before it, and adds a binary file holding a key. Only what the range
//! adds in text is reported, never whole; a false positive is marked with a reason, audited, and the
//! gate reads both.

use relman_core::lifecycle;
use relman_core::release::ReleaseStatus;
use relman_core::security::leaks::{self, record};
use relman_core::ErrorCode;

use crate::common::{db, stamp, Db};

/// Every secret the fixture holds, whole: none may appear in a report, stored or printed.
const SECRETS: [&str; 4] = [
    "AKIAQ7BX3ZLM2KVR4TWY",
    "q7Xk2LpZ9vRt4WmN8bYc3HsJ6dFg",
    "ghp_R7vK2mQ9xL4tB8nW3cZ6yH1jF5pD0sGaE2uV",
    "AKIAZ2Y3X4W5V6U7T2S3",
];

/// Atlas 1.1.0 planned from the "leaky" fixture repository; the folder lives as long as the setup.
fn setup() -> (Db, i64, tempfile::TempDir) {
    let mut db = db();
    let (release, repo) = crate::common::release_on_fixture(&mut db, "leaky");
    (db, release, repo)
}

#[test]
fn a_release_reports_the_secrets_its_range_adds_by_commit_path_and_line_never_whole() {
    let (db, release, _repo) = setup();
    let report = leaks::prepare(&db.store, release).unwrap().run().unwrap();
    assert_eq!(report.from.as_deref(), Some("v1.0.0"), "from the previous release tag");
    assert_eq!(report.commits_scanned, 4, "the four commits after v1.0.0");
    assert_eq!(report.files_skipped, 1, "the binary assets/key.dat");
    let found: Vec<(&str, &str, u32, &str)> =
        report.findings.iter().map(|f| (f.rule_id.as_str(), f.path.as_str(), f.line, f.redacted.as_str())).collect();
    assert_eq!(
        found,
        [
            ("aws-access-token", "deploy/aws.env", 2, "AK…WY"),
            ("high-entropy-string", "tests/fixtures/tokens.rs", 1, "q7X…dFg"),
        ],
        "the key and the seed; not AWS's example key, the token added before the range and removed in it, nor the binary file"
    );
    // Not left out for being missed: in text, each of the others is found.
    let rules = leaks::rules::RuleSet::vendored().unwrap();
    for secret in [SECRETS[2], SECRETS[3]] {
        let line = format!("TOKEN={secret}\n");
        assert_eq!(rules.scan("config/old.env", line.as_bytes()).len(), 1, "{secret} is found in a text file");
    }
    let aws = &report.findings[0];
    assert_eq!(aws.key, format!("aws-access-token:{}:deploy/aws.env:2:19", &aws.commit[..12]), "line and column");
    assert!(aws.entropy > 3.0, "gitleaks asks more than 3 bits for an AWS key: {}", aws.entropy);
    let text = serde_json::to_string(&report).unwrap();
    for secret in SECRETS {
        assert!(!text.contains(secret), "the report never holds a secret whole: {secret}");
    }
}

#[test]
fn the_gate_blocks_until_the_release_is_scanned_and_every_finding_is_marked() {
    let (mut db, release, _repo) = setup();
    crate::common::ready_behind_security_gate(&mut db, release, None, true);
    let deploy = |db: &mut Db| lifecycle::transition(&mut db.store, &stamp(), release, ReleaseStatus::Deploying, "");

    let unscanned = deploy(&mut db).unwrap_err();
    assert_eq!(unscanned.code(), ErrorCode::GateBlocked);
    assert!(unscanned.to_string().contains("never scanned for secrets"), "{unscanned}");

    let before = db.audit_count();
    let report = leaks::prepare(&db.store, release).unwrap().run().unwrap();
    record::save(&mut db.store, &stamp(), &report).unwrap();
    assert_eq!(db.audit_count(), before + 1, "the scan is audited");
    let blocked = deploy(&mut db).unwrap_err().to_string();
    assert!(blocked.contains("2 secrets in the diff, not marked as a false positive"), "{blocked}");
    assert!(blocked.contains("aws-access-token in deploy/aws.env:2 (AK…WY)"), "{blocked}");
    for secret in SECRETS {
        assert!(!blocked.contains(secret), "the gate's message never holds a secret whole: {blocked}");
    }

    // Marking needs a reason and a finding the scan made; the mark is audited.
    let seed = report.findings[1].key.clone();
    let before = db.audit_count();
    let err = record::dismiss(&mut db.store, &stamp(), release, &seed, " ").unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let err = record::dismiss(&mut db.store, &stamp(), release, "aws-access-token:nope", "fine").unwrap_err();
    assert_eq!(err.field(), Some("finding"));
    assert!(err.to_string().contains(&report.findings[0].key), "the error lists the findings: {err}");
    let reason = "A fixed seed for the token tests, not a credential";
    let marked = record::dismiss(&mut db.store, &stamp(), release, &seed, reason).unwrap();
    assert_eq!((marked.dismissed_by.as_str(), marked.reason.as_str()), ("priya", reason));
    assert_eq!(db.audit_count(), before + 1, "one mark; the refused ones wrote nothing");
    let log = db.store.audit_log(None).unwrap();
    let marks: Vec<_> = log.iter().filter(|e| e.action == "leak_dismiss").collect();
    assert_eq!(marks.len(), 1);
    assert!(marks[0].details.contains(reason) && marks[0].actor == "priya", "who and why are audited: {:?}", marks[0]);

    let still = deploy(&mut db).unwrap_err().to_string();
    assert!(still.contains("1 secret in the diff") && still.contains("aws-access-token"), "{still}");
    let key = report.findings[0].key.clone();
    record::dismiss(&mut db.store, &stamp(), release, &key, "Revoked in IAM on 2026-01-02; a dead key").unwrap();
    deploy(&mut db).unwrap();

    // A rescan keeps the marks: the keys name the same commit, path and line.
    let again = leaks::prepare(&db.store, release).unwrap().run().unwrap();
    record::save(&mut db.store, &stamp(), &again).unwrap();
    let stored = record::latest(&db.store, release).unwrap().unwrap();
    assert_eq!(stored.unresolved().count(), 0, "both marks still hold after a rescan");
    assert_eq!(stored.dismissed.len(), 2);
}

#[test]
fn a_scan_stops_counting_when_the_range_starts_earlier_and_brings_commits_it_never_read() {
    use relman_core::lifecycle::gates;
    use relman_core::release::{self, ReleaseInput};
    let (mut db, release, repo) = setup();
    crate::common::ready_behind_security_gate(&mut db, release, None, true);
    let failures = |db: &Db| {
        gates::evaluate_for(&db.store, release, ReleaseStatus::Deploying, chrono::Utc::now()).unwrap()[0]
            .failures
            .clone()
    };
    let report = leaks::prepare(&db.store, release).unwrap().run().unwrap();
    record::save(&mut db.store, &stamp(), &report).unwrap();
    for f in &report.findings {
        record::dismiss(&mut db.store, &stamp(), release, &f.key, "Test data of the fixture").unwrap();
    }
    assert!(failures(&db).is_empty(), "every finding of the range after v1.0.0 is marked");

    // The release now starts a commit earlier, where the settings file got its GitHub token: the
    // same end, but a commit the scan never read.
    let r = release::get(&db.store, release).unwrap();
    let git = git2::Repository::open(repo.path().join("repo")).unwrap();
    let earlier = git.revparse_single("v1.0.0~1").unwrap().peel_to_commit().unwrap().id().to_string();
    let input = ReleaseInput {
        product_id: r.product_id,
        version: r.version.clone(),
        from_ref: earlier,
        to_ref: r.to_ref.clone(),
        release_branch: r.release_branch.clone(),
        ..Default::default()
    };
    release::update(&mut db.store, &stamp(), release, input).unwrap();
    let moved = failures(&db);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0].starts_with("the last secrets scan read the commits after ") && moved[0].ends_with(": scan again"),
        "{moved:?}"
    );

    // Scanned again, the token is found (redacted), and the gate wants it looked at.
    let again = leaks::prepare(&db.store, release).unwrap().run().unwrap();
    assert_eq!(again.commits_scanned, 5);
    record::save(&mut db.store, &stamp(), &again).unwrap();
    let blocked = failures(&db);
    assert!(blocked[0].starts_with("1 secret in the diff") && blocked[0].contains("config/old.env:2"), "{blocked:?}");
    assert!(!blocked[0].contains(SECRETS[2]), "never whole: {blocked:?}");
}
