//! Ranges on a release-branch history (`tests/fixtures/branches.sh`): git's own meaning of
//! `from..to`, backports listed once, tags in one pass, the range cache, progress and cancel. Every
//! commit set is checked against what `git rev-list` says of the same repository.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use relman_core::git::{RangeCache, RangeOptions, Repo, TagPattern, WalkControl, WalkProgress};
use relman_core::version::Versioning;
use relman_core::ErrorCode;

use crate::common::{fixture, fixture_with};

fn semver() -> TagPattern {
    TagPattern::new("v{version}", Versioning::Semver).unwrap()
}

/// Runs git in `repo` without the machine's configuration, and returns its output.
fn git(repo: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn rev_list(repo: &Path, args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["rev-list"];
    all.extend_from_slice(args);
    git(repo, &all).lines().map(str::to_string).collect()
}

fn range(repo: &Repo, from: &str, to: &str, show_shipped: bool) -> relman_core::git::CommitRange {
    let options = RangeOptions { from: Some(from.into()), to: Some(to.into()), show_shipped, ..Default::default() };
    repo.walk(&options, Some(&semver())).unwrap()
}

/// What `git rev-list --cherry-pick --right-only --no-merges from...to` lists: the range less backports.
fn cherry_picked(repo: &Path, from: &str, to: &str) -> BTreeSet<String> {
    rev_list(repo, &["--cherry-pick", "--right-only", "--no-merges", &format!("{from}...{to}")])
}

/// The `branches` fixture, opened.
fn branches() -> (tempfile::TempDir, std::path::PathBuf, Repo) {
    let dir = fixture("branches");
    let path = dir.path().join("repo");
    let repo = Repo::open(&path).unwrap();
    (dir, path, repo)
}

fn shas(range: &relman_core::git::CommitRange) -> BTreeSet<String> {
    range.commits.iter().map(|c| c.sha.clone()).collect()
}

#[test]
fn a_release_branch_range_is_gits_own_and_leaves_backports_out() {
    let (_dir, path, repo) = branches();

    let notes = range(&repo, "v2.0.0", "v3.0.0", false);
    let expected = cherry_picked(&path, "v2.0.0", "v3.0.0");
    assert_eq!(shas(&notes), expected, "v2.0.0 is on release/2.x: the range is what git's --cherry-pick lists");
    assert_eq!(expected.len(), 3, "four commits, one of them already picked onto release/2.x");
    let base = git(&path, &["merge-base", "v2.0.0", "v3.0.0"]);
    assert_eq!(notes.merge_base.as_deref(), Some(base.trim()), "the summary names where the branches meet");
    assert_eq!(notes.shipped.len(), 1, "one change already shipped: {:?}", notes.shipped);
    assert_eq!(notes.shipped[0].release.as_deref(), Some("v2.0.0"), "it shipped in v2.0.0");
    let picked = git(&path, &["log", "-1", "--format=%H", "--grep=time zones in reports", "release/2.x"]);
    assert_eq!(notes.shipped[0].as_sha, picked.trim(), "named by the pick on release/2.x");

    let all = range(&repo, "v2.0.0", "v3.0.0", true);
    assert_eq!(
        shas(&all),
        rev_list(&path, &["--no-merges", "v2.0.0..v3.0.0"]),
        "shown on request, as git log lists them"
    );
    assert_eq!(all.shipped, notes.shipped, "and still marked");
}

#[test]
fn picks_onto_a_maintenance_branch_are_matched_by_patch_not_by_message() {
    let (_dir, path, repo) = branches();

    let notes = range(&repo, "v1.1.2", "main", false);
    let expected = cherry_picked(&path, "v1.1.2", "main");
    assert_eq!(shas(&notes), expected, "the same commits as git's --cherry-pick");
    assert_eq!(expected.len(), 11, "three of fourteen were picked; the adjusted pick is a different patch");
    let summaries: Vec<&str> = notes.commits.iter().map(|c| c.summary.as_str()).collect();
    assert!(summaries.contains(&"fix(db): lock the store while migrating"), "an adjusted pick is not the same change");

    // Each pick is named by the first release on the branch that holds it, as `git tag --contains` says.
    for shipped in &notes.shipped {
        let containing = git(&path, &["tag", "--contains", &shipped.as_sha, "--sort=version:refname", "v1.*"]);
        assert_eq!(shipped.release.as_deref(), containing.lines().next(), "{shipped:?}");
    }
    let releases: BTreeSet<&str> = notes.shipped.iter().filter_map(|s| s.release.as_deref()).collect();
    assert_eq!(releases, BTreeSet::from(["v1.1.1", "v1.1.2"]));
}

#[test]
fn ancestor_ranges_merge_tags_and_backwards_ranges() {
    let (_dir, path, repo) = branches();

    for (from, to) in [("v1.1.0", "v1.1.2"), ("v1.2.0", "main"), ("v1.0.0", "v1.2.0")] {
        let walked = range(&repo, from, to, false);
        assert_eq!(shas(&walked), rev_list(&path, &["--no-merges", &format!("{from}..{to}")]), "{from}..{to}");
        assert_eq!(walked.merge_base, None, "{from} is in {to}'s history");
        assert!(walked.shipped.is_empty(), "nothing to compare against");
    }
    let backwards = range(&repo, "v3.0.0", "v1.2.0", false);
    assert!(backwards.commits.is_empty(), "v1.2.0 has nothing v3.0.0 lacks");
    let v120 = git(&path, &["rev-parse", "v1.2.0^{commit}"]);
    assert_eq!(backwards.merge_base.as_deref(), Some(v120.trim()), "the ends meet at v1.2.0 itself");
}

#[test]
fn ends_that_share_no_history_are_refused_with_what_to_do() {
    let dir = fixture("branches");
    let path = dir.path().join("repo");
    let git2_repo = git2::Repository::open(&path).unwrap();
    let signature = git2::Signature::new("Priya Raman", "priya@example.com", &git2::Time::new(1767225600, 0)).unwrap();
    let tree = git2_repo.find_tree(git2_repo.treebuilder(None).unwrap().write().unwrap()).unwrap();
    git2_repo.commit(Some("refs/heads/site"), &signature, &signature, "docs: the website", &tree, &[]).unwrap();

    let repo = Repo::open(&path).unwrap();
    let options = RangeOptions { from: Some("site".into()), to: Some("main".into()), ..Default::default() };
    let error = repo.walk(&options, None).unwrap_err();
    assert_eq!(error.code(), ErrorCode::UnknownRef);
    assert!(error.to_string().contains("share no history"), "{error}");
    assert!(error.to_string().contains("pick a `from`"), "says what to do: {error}");
}

#[test]
fn the_previous_tag_is_the_highest_in_history_and_not_one_on_another_branch() {
    let (_dir, _path, repo) = branches();
    let tags = repo.tag_index(&semver()).unwrap();
    for (to, expected) in [("main", "v3.0.0"), ("v3.0.0", "v1.2.0"), ("v1.1.2", "v1.1.1"), ("v1.2.0", "v1.1.0")] {
        let oid = repo.resolve(to).unwrap();
        let previous = tags.previous(&repo, oid, true).unwrap().map(|t| t.name.clone());
        assert_eq!(previous.as_deref(), Some(expected), "the previous release of {to}");
    }
    let walked = repo.walk(&RangeOptions::default(), Some(&semver())).unwrap();
    assert_eq!(walked.from.as_deref(), Some("v3.0.0"), "v9.0.0-experiment.1 is higher but not in main's history");
}

#[test]
fn the_work_of_finding_tags_does_not_grow_with_their_number() {
    let few = fixture_with("branches", &[("MANY_TAGS", "10")]);
    let many = fixture_with("branches", &[("MANY_TAGS", "1000")]);
    let work = |dir: &tempfile::TempDir| {
        let repo = Repo::open(&dir.path().join("repo")).unwrap();
        let tags = repo.tag_index(&semver()).unwrap();
        let walked = repo.walk_with(&RangeOptions::default(), Some(&tags), WalkControl::default()).unwrap();
        let next = repo.suggest_next(&tags, &walked).unwrap().unwrap();
        let branch = RangeOptions { from: Some("v2.0.0".into()), to: Some("v3.0.0".into()), ..Default::default() };
        let notes = repo.walk_with(&branch, Some(&tags), WalkControl::default()).unwrap();
        let from_branch = RangeOptions { from: Some("HEAD~2".into()), ..Default::default() };
        let picked = repo.walk_with(&from_branch, Some(&tags), WalkControl::default()).unwrap();
        let next_after_branch = repo.suggest_next(&tags, &picked).unwrap().unwrap();
        (tags.tags().len(), repo.reachability_queries(), next.version, notes.commits.len(), next_after_branch.version)
    };
    let (few_tags, few_queries, few_next, few_notes, few_after) = work(&few);
    let (many_tags, many_queries, many_next, many_notes, many_after) = work(&many);
    assert_eq!((few_tags, many_tags), (18, 1008), "the fixture's 8 release tags plus the extra ones");
    assert_eq!(many_queries, few_queries, "walks and graph queries are the same for 18 and 1,008 tags");
    assert_eq!((many_next, many_notes, many_after), (few_next, few_notes, few_after), "and so are the answers");
}

#[test]
fn the_cache_gives_what_a_fresh_walk_gives_after_new_commits_moved_tags_and_rewrites() {
    let dir = fixture("branches");
    let path = dir.path().join("repo");
    let cache = RangeCache::new();
    let cached = WalkControl { cache: Some(&cache), ..Default::default() };
    let check = |label: &str, options: &RangeOptions| {
        let repo = Repo::open(&path).unwrap();
        let tags = repo.tag_index(&semver()).unwrap();
        let through_cache = repo.walk_with(options, Some(&tags), cached).unwrap();
        let fresh = repo.walk_with(options, Some(&tags), WalkControl::default()).unwrap();
        let order = |r: &relman_core::git::CommitRange| r.commits.iter().map(|c| c.sha.clone()).collect::<Vec<_>>();
        assert_eq!(order(&through_cache), order(&fresh), "{label}: same commits in the same order");
        assert_eq!(through_cache.from, fresh.from, "{label}: same start");
        assert_eq!(through_cache.shipped, fresh.shipped, "{label}: same backports");
        through_cache
    };
    let default = RangeOptions::default();
    let branch = RangeOptions { from: Some("v1.1.2".into()), ..Default::default() };
    check("first walk", &default);
    check("first branch walk", &branch);
    check("unchanged", &default);

    std::fs::write(path.join("new.txt"), "new\n").unwrap();
    git(&path, &["add", "new.txt"]);
    git(
        &path,
        &["-c", "user.name=Ana Lima", "-c", "user.email=ana@example.com", "commit", "-q", "-m", "feat: one more"],
    );
    let grown = check("one new commit", &default);
    assert_eq!(grown.commits[0].summary, "feat: one more");
    check("one new commit, branch range", &branch);

    // A side branch with an older commit merged in: the cached range keeps git's order, and a
    // first-parent range does not take the merged branch in.
    let first_parent = RangeOptions { first_parent: true, from: Some("v3.0.0".into()), ..Default::default() };
    let side_first_parent = RangeOptions { to: Some("side".into()), ..first_parent.clone() };
    git(&path, &["checkout", "-q", "-b", "side", "HEAD~1"]);
    std::fs::write(path.join("side.txt"), "side\n").unwrap();
    git(&path, &["add", "side.txt"]);
    let old = [("GIT_AUTHOR_DATE", "@1767225000 +0000"), ("GIT_COMMITTER_DATE", "@1767225000 +0000")];
    let output = std::process::Command::new("git")
        .current_dir(&path)
        .args([
            "-c",
            "user.name=Ana Lima",
            "-c",
            "user.email=ana@example.com",
            "commit",
            "-q",
            "-m",
            "fix: an old side fix",
        ])
        .envs(old)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(output.status.success());
    check("first-parent, the side branch before the merge", &side_first_parent);
    git(&path, &["checkout", "-q", "main"]);
    git(
        &path,
        &[
            "-c",
            "user.name=Ana Lima",
            "-c",
            "user.email=ana@example.com",
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge side",
            "side",
        ],
    );
    let merged = check("an older commit merged in", &default);
    assert!(merged.commits.iter().any(|c| c.summary == "fix: an old side fix"));
    let chain = check("first-parent, after the merge", &first_parent);
    assert!(chain.commits.iter().all(|c| c.summary != "fix: an old side fix"), "not on the first-parent chain");
    git(&path, &["reset", "-q", "--hard", "HEAD~1"]);

    git(&path, &["tag", "v3.1.0", "HEAD~1"]);
    let moved = check("a new tag", &default);
    assert_eq!((moved.from.as_deref(), moved.commits.len()), (Some("v3.1.0"), 1));

    git(&path, &["reset", "-q", "--hard", "HEAD~3"]);
    git(&path, &["tag", "-d", "v3.1.0"]);
    let rewritten = check("a rewritten branch", &default);
    assert!(rewritten.commits.iter().all(|c| c.summary != "feat: one more"), "the dropped commit is gone");
    check("a rewritten branch, branch range", &branch);
}

#[test]
fn long_walks_report_progress_and_stop_when_cancelled() {
    let dir = synthetic(&["5000"]);
    let path = dir.path().join("repo");

    let repo = Repo::open(&path).unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let report = |p: WalkProgress| seen.lock().unwrap().push(p.walked);
    let control = WalkControl { progress: Some(&report), ..Default::default() };
    let walked = repo.walk_with(&RangeOptions::default(), None, control).unwrap();
    assert_eq!(walked.commits.len(), 5000);
    assert_eq!(*seen.lock().unwrap(), [2000, 4000], "progress every 2,000 commits");

    let cancel = AtomicBool::new(false);
    let stop_after_first = |_: WalkProgress| cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let control = WalkControl { progress: Some(&stop_after_first), cancel: Some(&cancel), ..Default::default() };
    let error = repo.walk_with(&RangeOptions::default(), None, control).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Cancelled, "{error}");
    assert!(error.to_string().contains("regenerate to read them again"), "{error}");
}

#[test]
fn the_notes_count_what_already_shipped_or_mark_it_when_shown() {
    use relman_core::notes::{self, Format, ManualNotes, NotesMeta, DEFAULT_SECTIONS};
    let dir = fixture("branches");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let render = |show_shipped: bool, format: Format| {
        let walked = range(&repo, "v1.1.2", "main", show_shipped);
        let meta = NotesMeta { title: "3.1.0".into(), version: "3.1.0".into(), date: None };
        let doc = notes::build(&walked, meta, &ManualNotes::default(), DEFAULT_SECTIONS);
        (doc.range.commits, notes::render(&doc, format, None).unwrap())
    };
    let (commits, md) = render(false, Format::Markdown);
    assert_eq!(commits, 11, "the count is of new changes");
    assert!(
        md.contains("_Not listed: 2 changes already shipped in v1.1.1, 1 change already shipped in v1.1.2._"),
        "{md}"
    );
    assert!(!md.contains("contrast of badges"), "a picked fix is not listed: {md}");
    let (_, text) = render(false, Format::Text);
    assert!(
        text.contains("Not listed: 2 changes already shipped in v1.1.1, 1 change already shipped in v1.1.2."),
        "{text}"
    );

    let (commits, md) = render(true, Format::Markdown);
    assert_eq!(commits, 11, "shown or not, they are not counted as new");
    assert!(md.contains("contrast of badges (e130699) *already in v1.1.1*"), "{md}");
    assert!(!md.contains("Not listed"), "{md}");
    let (_, html) = render(true, Format::Html);
    assert!(html.contains("<em class=\"sha\">already in v1.1.1</em>"), "{html}");
}

/// `bench/make-repo.py ARGS…`, imported into a new repository: synthetic histories (with
/// `--release-branches`, the shape of a project with release branches and backports) at a size a test
/// can afford.
fn synthetic(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo");
    git2::Repository::init(&path).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/make-repo.py");
    let stream = std::process::Command::new("python3").arg(&script).args(args).output().expect("python3 runs");
    assert!(stream.status.success(), "{}", String::from_utf8_lossy(&stream.stderr));
    let mut import = std::process::Command::new("git")
        .current_dir(&path)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(import.stdin.as_mut().unwrap(), &stream.stdout).unwrap();
    assert!(import.wait().unwrap().success());
    git(&path, &["checkout", "-q", "main"]);
    dir
}

#[test]
fn a_synthetic_release_branch_history_agrees_with_git() {
    let dir = synthetic(&["8000", "--release-branches"]);
    let path = dir.path().join("repo");
    let repo = Repo::open(&path).unwrap();
    let tags = repo.tag_index(&semver()).unwrap();
    assert!(tags.tags().len() > 500, "hundreds of tags: {}", tags.tags().len());
    for (from, to) in [("v2.0.0", "v3.0.0"), ("v2.0.2", "main"), ("v3.1.0", "v3.4.0")] {
        let options = RangeOptions { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
        let walked = repo.walk_with(&options, Some(&tags), WalkControl::default()).unwrap();
        let expected = cherry_picked(&path, from, to);
        assert_eq!(shas(&walked), expected, "{from}..{to} as git's --cherry-pick lists it");
        let all = rev_list(&path, &["--no-merges", &format!("{from}..{to}")]);
        assert_eq!(walked.shipped.len(), all.len() - expected.len(), "{from}..{to}: every left-out commit is counted");
    }
}

#[test]
fn the_previous_tag_is_the_same_with_gits_commit_graph_and_without() {
    let dir = fixture_with("branches", &[("MANY_TAGS", "100")]);
    let path = dir.path().join("repo");
    git(&path, &["commit-graph", "write", "--reachable"]);
    // A commit the graph does not hold, on top of main.
    std::fs::write(path.join("late.txt"), "late\n").unwrap();
    git(&path, &["add", "late.txt"]);
    git(&path, &["-c", "user.name=Ana Lima", "-c", "user.email=ana@example.com", "commit", "-q", "-m", "fix: late"]);
    let answers = || {
        let repo = Repo::open(&path).unwrap();
        let tags = repo.tag_index(&semver()).unwrap();
        let mut found = Vec::new();
        for to in ["main", "main~1", "v3.0.0", "v2.0.0", "v1.1.2", "v1.2.0", "experiment", "v1.0.0"] {
            let oid = repo.resolve(to).unwrap();
            for final_only in [true, false] {
                found.push(tags.previous(&repo, oid, final_only).unwrap().map(|t| t.name.clone()));
            }
        }
        found
    };
    let with_graph = answers();
    std::fs::remove_file(path.join(".git/objects/info/commit-graph")).unwrap();
    let without = answers();
    assert_eq!(with_graph, without, "the graph is only a faster way to the same answer");
    assert_eq!(with_graph[0].as_deref(), Some("v3.0.0"), "main, past its latest commit");
}

#[test]
fn the_cached_previous_tag_follows_new_commits_new_tags_and_rewrites() {
    let (_dir, path, repo) = branches();
    let cache = RangeCache::new();
    let cached = WalkControl { cache: Some(&cache), ..Default::default() };
    let previous = |repo: &Repo, to: &str| {
        let tags = repo.tag_index(&semver()).unwrap();
        let oid = repo.resolve(to).unwrap();
        let through_cache = tags.previous_with(repo, oid, true, cached).unwrap().map(|t| t.name.clone());
        let fresh = tags.previous(repo, oid, true).unwrap().map(|t| t.name.clone());
        assert_eq!(through_cache, fresh, "{to}: the cache answers what a fresh walk answers");
        through_cache
    };
    assert_eq!(previous(&repo, "v3.0.0").as_deref(), Some("v1.2.0"));
    // main is one commit past v3.0.0: the tag on the old end itself becomes the answer.
    assert_eq!(previous(&repo, "main").as_deref(), Some("v3.0.0"));
    assert_eq!(previous(&repo, "main").as_deref(), Some("v3.0.0"), "asked again");
    // Back to an older end (not a descendant of the last one), and to another branch.
    assert_eq!(previous(&repo, "v1.2.0").as_deref(), Some("v1.1.0"));
    assert_eq!(previous(&repo, "release/1.x").as_deref(), Some("v1.1.1"));
    git(&path, &["tag", "v3.0.1", "main"]);
    let repo = Repo::open(&path).unwrap();
    assert_eq!(previous(&repo, "main").as_deref(), Some("v3.0.0"), "a tag on main itself is not its previous");
    std::fs::write(path.join("more.txt"), "more\n").unwrap();
    git(&path, &["add", "more.txt"]);
    git(&path, &["-c", "user.name=Ana Lima", "-c", "user.email=ana@example.com", "commit", "-q", "-m", "fix: more"]);
    assert_eq!(previous(&repo, "main").as_deref(), Some("v3.0.1"), "the new commit's parent is tagged");
}

#[test]
fn ends_with_two_merge_bases_leave_out_the_backport_as_git_does() {
    let dir = fixture("crisscross");
    let path = dir.path().join("repo");
    let repo = Repo::open(&path).unwrap();
    let bases: BTreeSet<String> =
        git(&path, &["merge-base", "--all", "v1.1.0", "v2.0.0"]).lines().map(str::to_string).collect();
    assert_eq!(bases.len(), 2, "the fixture is a criss-cross");
    let walked = range(&repo, "v1.1.0", "v2.0.0", false);
    assert_eq!(shas(&walked), cherry_picked(&path, "v1.1.0", "v2.0.0"), "the same commits as git's --cherry-pick");
    assert_eq!(walked.shipped.len(), 1, "the quoting fix, picked onto main, is found past both merge bases");
    assert_eq!(walked.shipped[0].release.as_deref(), Some("v1.1.0"));
    assert!(bases.contains(walked.merge_base.as_deref().unwrap()), "the summary names one of the merge bases");
    let shown = range(&repo, "v1.1.0", "v2.0.0", true);
    assert_eq!(
        shas(&shown),
        rev_list(&path, &["--no-merges", "v1.1.0..v2.0.0"]),
        "shown, the pick is listed, as v1.1.0..v2.0.0 has it"
    );
}
