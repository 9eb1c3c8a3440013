use relman_core::git::{next_version, RangeOptions, Repo, TagPattern};
use relman_core::version::Versioning;
use relman_core::ErrorCode;

use crate::common::fixture;

fn semver_tags() -> TagPattern {
    TagPattern::new("v{version}", Versioning::Semver).unwrap()
}

#[test]
fn tags_match_the_pattern_and_sort_by_version() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let tags = repo.release_tags(&semver_tags()).unwrap();
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["v0.1.0", "v0.2.0", "v1.0.0-rc.1", "v1.0.0", "v2.0.0-beta.1"],
        "app-v9.9.9 is another pattern's"
    );
    let annotated: Vec<bool> = tags.iter().map(|t| t.annotated).collect();
    assert_eq!(annotated, [true, false, true, true, true], "v0.2.0 is lightweight");
    let prefixed = repo.release_tags(&TagPattern::new("app-v{version}", Versioning::Semver).unwrap()).unwrap();
    assert_eq!(prefixed.len(), 1);
}

#[test]
fn the_default_range_starts_at_the_previous_release_tag() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let range = repo.walk(&RangeOptions::default(), Some(&semver_tags())).unwrap();
    assert_eq!(range.from.as_deref(), Some("v1.0.0"), "HEAD is tagged v2.0.0-beta.1, so its notes start at v1.0.0");
    let summaries: Vec<&str> = range.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(summaries.len(), 8, "eight commits, the merge left out by default: {summaries:#?}");
    assert_eq!(summaries[0], "chore(deps): update serde", "newest first");
    assert!(summaries.contains(&"Update the onboarding guide"), "non-conventional commits are kept");
    assert!(
        summaries.iter().any(|s| s.contains("caf\u{fffd} names")),
        "a Latin-1 message is read lossily: {summaries:#?}"
    );

    let with_merges = RangeOptions { include_merges: true, ..Default::default() };
    assert_eq!(repo.walk(&with_merges, Some(&semver_tags())).unwrap().commits.len(), 9);
    let first_parent = RangeOptions { first_parent: true, include_merges: true, ..Default::default() };
    let walked = repo.walk(&first_parent, Some(&semver_tags())).unwrap();
    assert!(!walked.commits.iter().any(|c| c.summary.starts_with("feat(search)")), "first-parent skips the branch");
}

#[test]
fn explicit_ranges_and_path_filters() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let options = RangeOptions { from: Some("v0.1.0".into()), to: Some("v0.2.0".into()), ..Default::default() };
    let range = repo.walk(&options, None).unwrap();
    let kinds: Vec<Option<&str>> = range.commits.iter().map(|c| c.kind.as_deref()).collect();
    assert_eq!(kinds, [Some("docs"), Some("fix"), Some("feat")]);
    let docs_only = RangeOptions { from: Some("v1.0.0".into()), paths: vec!["docs".into()], ..Default::default() };
    let range = repo.walk(&docs_only, None).unwrap();
    assert_eq!(range.commits.len(), 1, "only the commit under docs/");
    let empty = RangeOptions { from: Some("HEAD".into()), ..Default::default() };
    assert!(repo.walk(&empty, None).unwrap().commits.is_empty(), "an empty range is not an error");
}

#[test]
fn next_version_from_the_fixture() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let options = RangeOptions { from: Some("v1.0.0".into()), ..Default::default() };
    let range = repo.walk(&options, None).unwrap();
    let next = next_version(Some(&semver::Version::new(1, 0, 0)), &range.commits).unwrap();
    assert_eq!(next.version, "2.0.0");
    assert!(next.reason.starts_with("2 breaking changes"), "{}", next.reason);
}

#[test]
fn bad_repositories_and_refs_get_their_own_codes() {
    let missing = Repo::open(std::path::Path::new("/no/such/repo")).err().unwrap();
    assert_eq!(missing.code(), ErrorCode::NotARepository);
    let plain = tempfile::tempdir().unwrap();
    assert_eq!(Repo::open(plain.path()).err().unwrap().code(), ErrorCode::NotARepository);
    let bare = tempfile::tempdir().unwrap();
    git2::Repository::init_bare(bare.path()).unwrap();
    let error = Repo::open(bare.path()).err().unwrap();
    assert!(error.to_string().contains("bare repository"), "{error}");
    let empty = tempfile::tempdir().unwrap();
    git2::Repository::init(empty.path()).unwrap();
    assert_eq!(Repo::open(empty.path()).err().unwrap().code(), ErrorCode::EmptyRepository);

    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let unknown = RangeOptions { from: Some("v7.7.7".into()), ..Default::default() };
    let error = repo.walk(&unknown, None).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnknownRef);
    assert!(error.to_string().contains("\"v7.7.7\" does not name a commit"), "{error}");
    let backwards = RangeOptions { from: Some("HEAD".into()), to: Some("v0.1.0".into()), ..Default::default() };
    let walked = repo.walk(&backwards, None).unwrap();
    assert!(walked.commits.is_empty(), "git's HEAD..v0.1.0: v0.1.0 has nothing HEAD lacks");
    assert!(walked.merge_base.is_some(), "the summary can say where the ends meet");
}

#[test]
fn shallow_clones_and_detached_heads_work() {
    let dir = fixture("conventional");
    let source = dir.path().join("repo");
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", source.display());
    let status =
        std::process::Command::new("git").args(["clone", "-q", "--depth", "3", &url]).arg(&shallow).status().unwrap();
    assert!(status.success());
    let repo = Repo::open(&shallow).unwrap();
    let range = repo.walk(&RangeOptions::default(), Some(&semver_tags())).unwrap();
    assert_eq!(range.commits.len(), 3, "a shallow clone walks what it has");

    let status =
        std::process::Command::new("git").current_dir(&source).args(["checkout", "-q", "v1.0.0"]).status().unwrap();
    assert!(status.success());
    let repo = Repo::open(&source).unwrap();
    let range = repo.walk(&RangeOptions::default(), Some(&semver_tags())).unwrap();
    assert_eq!(range.from.as_deref(), Some("v1.0.0-rc.1"), "a detached HEAD at v1.0.0 starts at the rc");
    assert_eq!(range.commits.len(), 1);
}
