//! Risk suggestions on the `risky` fixture: each tagged segment of its history makes exactly one rule
//! fire (see `tests/fixtures/risky.sh`).

use chrono::NaiveDate;
use relman_core::git::{CommitRange, RangeOptions, Repo};
use relman_core::risk::suggest::suggest;
use relman_core::risk::{Category, Suggestion, SuggestionKind, SuggestionRules};
use relman_core::ErrorCode;

use crate::common::fixture;

/// The fixture's code freeze: every segment but `late` was committed before it.
fn freeze() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 1, 15)
}

struct Fixture {
    _dir: tempfile::TempDir,
    repo: Repo,
}

impl Fixture {
    fn new() -> Self {
        let dir = fixture("risky");
        let repo = Repo::open(&dir.path().join("repo")).unwrap();
        Fixture { _dir: dir, repo }
    }

    fn range(&self, from: Option<&str>, to: &str) -> CommitRange {
        let options = RangeOptions { from: from.map(str::to_string), to: Some(to.into()), ..Default::default() };
        self.repo.walk(&options, None).unwrap()
    }

    fn suggest(
        &self,
        from: &str,
        to: &str,
        rules: &SuggestionRules,
        code_freeze: Option<NaiveDate>,
    ) -> Vec<Suggestion> {
        suggest(&self.repo, &self.range(Some(from), to), rules, code_freeze).unwrap()
    }

    /// The one suggestion of `kind` for a segment with the default rules and the freeze.
    fn only(&self, from: &str, to: &str, kind: SuggestionKind) -> Suggestion {
        let mut found = self.suggest(from, to, &SuggestionRules::default(), freeze());
        assert_eq!(found.len(), 1, "{from}..{to} makes exactly one rule fire: {:?}", kinds(&found));
        let suggestion = found.remove(0);
        assert_eq!(suggestion.kind, kind, "{from}..{to} is the {kind:?} segment");
        suggestion
    }
}

fn kinds(suggestions: &[Suggestion]) -> Vec<SuggestionKind> {
    suggestions.iter().map(|s| s.kind).collect()
}

fn summaries(suggestion: &Suggestion) -> Vec<&str> {
    suggestion.commits.iter().map(|c| c.summary.as_str()).collect()
}

#[test]
fn each_segment_makes_only_its_own_rule_fire() {
    let f = Fixture::new();
    let segments: [(&str, &str, &[SuggestionKind]); 9] = [
        ("base", "quiet", &[]),
        ("quiet", "migrations", &[SuggestionKind::Migrations]),
        ("migrations", "dependencies", &[SuggestionKind::Dependencies]),
        ("dependencies", "infrastructure", &[SuggestionKind::Infrastructure]),
        ("infrastructure", "large", &[SuggestionKind::LargeChange]),
        ("large", "reverts", &[SuggestionKind::Reverts]),
        ("reverts", "breaking", &[SuggestionKind::BreakingChanges]),
        ("breaking", "late", &[SuggestionKind::AfterCodeFreeze]),
        ("late", "late", &[]),
    ];
    for (from, to, expected) in segments {
        let found = f.suggest(from, to, &SuggestionRules::default(), freeze());
        assert_eq!(kinds(&found), expected, "{from}..{to} should make only its own rule fire");
    }
}

#[test]
fn a_whole_history_gets_its_suggestions_once_each_in_the_documented_order() {
    let f = Fixture::new();
    let everything = f.range(None, "late");
    let found = suggest(&f.repo, &everything, &SuggestionRules::default(), freeze()).unwrap();
    assert_eq!(
        kinds(&found),
        SuggestionKind::ALL[..7],
        "a first release ships every change of the history, so every rule on commits fires, once each and in \
         ALL's order (the vulnerable dependencies come from a scan, not from the commits)"
    );
    let migrations = &found[0];
    assert_eq!(
        migrations.paths,
        ["db/migrations/0001_releases.sql", "db/migrations/0002_index.sql"],
        "from the first commit, the range's diff starts at the empty tree"
    );
}

#[test]
fn migrations_name_the_migration_files_and_only_the_commits_that_touched_them() {
    let f = Fixture::new();
    let s = f.only("quiet", "migrations", SuggestionKind::Migrations);
    assert_eq!(s.paths, ["db/migrations/0001_releases.sql", "db/migrations/0002_index.sql"]);
    assert_eq!(s.path_count, 2);
    assert_eq!(
        summaries(&s),
        ["feat(db): index releases by product", "feat(db): add the releases table"],
        "newest first, and `feat: store releases` (no migration) is not evidence"
    );
    assert_eq!(s.commit_count, 2);
    assert_eq!((s.category, s.likelihood, s.impact), (Category::Technical, 3, 4));
    assert!(s.description.contains("2 database migration files (quiet..migrations)"), "{}", s.description);
    assert!(s.description.contains("- db/migrations/0002_index.sql"), "the risk explains itself once accepted");
    assert!(!s.mitigation.is_empty() && !s.title.is_empty(), "prefilled, ready to accept as is");
}

#[test]
fn dependencies_and_infrastructure_name_their_files() {
    let f = Fixture::new();
    let deps = f.only("migrations", "dependencies", SuggestionKind::Dependencies);
    assert_eq!(
        deps.paths,
        ["Cargo.lock", "tools/requirements-dev.txt"],
        "a file-name pattern (requirements*.txt) matches in any folder"
    );
    assert_eq!(summaries(&deps), ["build: pin the python tools", "chore(deps): update serde"]);

    let infra = f.only("dependencies", "infrastructure", SuggestionKind::Infrastructure);
    assert_eq!(
        infra.paths,
        [".github/workflows/ci.yml", "deploy/Dockerfile"],
        "a folder pattern and a file name in a subfolder"
    );
    assert_eq!(summaries(&infra), ["build: a slimmer image", "ci: cache the target folder"]);
    assert_eq!(infra.category, Category::Operational, "deploys and CI are operations' concern");
}

#[test]
fn large_commits_count_files_and_lines_added_and_removed() {
    let f = Fixture::new();
    let s = f.only("infrastructure", "large", SuggestionKind::LargeChange);
    assert_eq!(
        summaries(&s),
        ["refactor: rewrite the lookup table", "feat: generate the API client"],
        "50 files (the threshold, inclusive) and 1,200 removed + 800 added lines; the small fix is not large"
    );
    assert!(s.description.contains("(1 file, 2000 lines)"), "the line count is what made it large: {}", s.description);
    assert!(s.description.contains("(50 files)"), "{}", s.description);
    assert!(s.paths.is_empty() && s.path_count == 0, "a large commit is evidence by itself");

    let quiet = f.suggest("base", "quiet", &SuggestionRules::default(), None);
    assert!(quiet.is_empty(), "49 files and 1,200 lines stay under the default thresholds");

    let stricter = SuggestionRules { large_commit_files: 49, large_commit_lines: 1200, ..Default::default() };
    let found = f.suggest("base", "quiet", &stricter, None);
    assert_eq!(kinds(&found), [SuggestionKind::LargeChange], "the thresholds come from the product's rules");
    assert_eq!(summaries(&found[0]), ["feat: seed the lookup table", "feat(ui): one page per view"]);

    let off = SuggestionRules { large_commit_files: 0, large_commit_lines: 0, ..Default::default() };
    assert!(f.suggest("infrastructure", "large", &off, None).is_empty(), "0 turns both checks off");
    let lines_only = SuggestionRules { large_commit_files: 0, ..Default::default() };
    let found = f.suggest("infrastructure", "large", &lines_only, None);
    assert_eq!(summaries(&found[0]), ["refactor: rewrite the lookup table"], "with the file check off");
}

#[test]
fn merges_and_binary_files_do_not_make_a_commit_large() {
    let f = Fixture::new();
    let options = RangeOptions {
        from: Some("base".into()),
        to: Some("quiet".into()),
        include_merges: true,
        ..Default::default()
    };
    let range = f.repo.walk(&options, None).unwrap();
    assert!(range.commits.iter().any(|c| c.is_merge), "the walk lists the merge of feature/icons");
    let found = suggest(&f.repo, &range, &SuggestionRules::default(), None).unwrap();
    assert!(
        found.is_empty(),
        "the merge brings 60 files against its first parent, but its two 30-file commits are what is judged: {:?}",
        kinds(&found)
    );

    let any_line = SuggestionRules { large_commit_files: 0, large_commit_lines: 1, ..Default::default() };
    let found = suggest(&f.repo, &range, &any_line, None).unwrap();
    assert_eq!(range.commits.len(), 9);
    assert_eq!(
        found[0].commit_count, 7,
        "at one line every commit is large but the logo (a binary file counts as a file, not as lines) and the \
         merge (never judged by size)"
    );
}

#[test]
fn a_merge_is_evidence_when_the_range_lists_merges() {
    let f = Fixture::new();
    let icons = SuggestionRules { infrastructure_paths: vec!["icons/".into()], ..Default::default() };
    let evidence = |include_merges: bool, first_parent: bool| {
        let options = RangeOptions {
            from: Some("base".into()),
            to: Some("quiet".into()),
            include_merges,
            first_parent,
            ..Default::default()
        };
        let range = f.repo.walk(&options, None).unwrap();
        let found = suggest(&f.repo, &range, &icons, None).unwrap();
        found
            .iter()
            .filter(|s| s.kind == SuggestionKind::Infrastructure)
            .flat_map(summaries)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(evidence(false, false), ["feat(ui): more icons", "feat(ui): first icons"], "the branch's commits");
    assert_eq!(
        evidence(true, false),
        ["Merge branch 'feature/icons'", "feat(ui): more icons", "feat(ui): first icons"],
        "the merge brought the icons onto main, so it is named too"
    );
    assert_eq!(
        evidence(true, true),
        ["Merge branch 'feature/icons'"],
        "a first-parent range sees the branch only through its merge"
    );
}

#[test]
fn reverts_are_found_by_git_message_and_by_type() {
    let f = Fixture::new();
    let s = f.only("large", "reverts", SuggestionKind::Reverts);
    assert_eq!(
        summaries(&s),
        ["revert: undo the dark theme default", "Revert \"feat: export to CSV\""],
        "both kinds of revert, and not the reverted commit itself"
    );
    assert_eq!(s.commit_count, 2);
}

#[test]
fn breaking_changes_quote_their_footer() {
    let f = Fixture::new();
    let s = f.only("reverts", "breaking", SuggestionKind::BreakingChanges);
    assert_eq!(summaries(&s), ["fix: time zones in exports", "feat(api)!: drop the v1 endpoints"]);
    assert!(
        s.description.contains("fix: time zones in exports (breaking: exported dates are now UTC)"),
        "the footer says what breaks: {}",
        s.description
    );
}

#[test]
fn after_code_freeze_reads_the_committer_day_in_its_own_time_zone() {
    let f = Fixture::new();
    let rules = SuggestionRules::default();
    assert!(f.suggest("breaking", "late", &rules, None).is_empty(), "without a freeze day the rule stays silent");

    let s = f.only("breaking", "late", SuggestionKind::AfterCodeFreeze);
    assert_eq!(
        summaries(&s),
        ["feat: a late feature", "fix: guard against empty names"],
        "committed on the 16th at 00:30 +01:00 is after the freeze even though it was authored on the 2nd \
         and is still the 15th in UTC; 23:30 -05:00 on the 15th is the freeze day itself, though UTC says the 16th"
    );
    assert!(s.description.contains("code freeze on 2026-01-15"), "{}", s.description);
    assert!(s.description.contains("(on 2026-01-16)"), "each late commit says its day: {}", s.description);
    assert_eq!(s.category, Category::Schedule);

    let later = f.suggest("breaking", "late", &rules, NaiveDate::from_ymd_opt(2026, 1, 16));
    assert_eq!(summaries(&later[0]), ["feat: a late feature"]);
    let last_day = f.suggest("breaking", "late", &rules, NaiveDate::from_ymd_opt(2026, 1, 17));
    assert!(last_day.is_empty(), "a commit on the freeze day itself is not after it");
}

#[test]
fn patterns_follow_the_documented_semantics_on_a_real_range() {
    let f = Fixture::new();
    let with = |infrastructure: &[&str]| SuggestionRules {
        migration_paths: Vec::new(),
        dependency_paths: Vec::new(),
        infrastructure_paths: infrastructure.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let paths = |infrastructure: &[&str]| -> Vec<String> {
        let found = f.suggest("dependencies", "infrastructure", &with(infrastructure), None);
        found.into_iter().flat_map(|s| s.paths).collect()
    };
    assert_eq!(paths(&["deploy/"]), ["deploy/Dockerfile"], "a folder");
    assert_eq!(paths(&["workflows/"]), [".github/workflows/ci.yml"], "a folder found deeper in the path");
    assert_eq!(paths(&["/workflows/"]), Vec::<String>::new(), "a leading slash anchors the folder at the root");
    assert_eq!(paths(&["*.yml"]), [".github/workflows/ci.yml"], "a file name in any folder");
    assert_eq!(paths(&["Dockerfile"]), ["deploy/Dockerfile"], "a plain name in any folder");
    assert_eq!(paths(&["deploy/Dockerfile"]), ["deploy/Dockerfile"], "a full path");
    assert_eq!(paths(&["Dockerfile/x"]), Vec::<String>::new(), "a full path is anchored at the root");
    assert_eq!(paths(&[]), Vec::<String>::new(), "an empty list turns the rule off");
}

#[test]
fn evidence_lists_are_capped_and_the_counts_keep_the_totals() {
    let f = Fixture::new();
    let rules = SuggestionRules { migration_paths: vec!["*.txt".into()], ..Default::default() };
    let found = f.suggest("base", "large", &rules, None);
    let s = found.iter().find(|s| s.kind == SuggestionKind::Migrations).unwrap();
    assert_eq!(s.paths.len(), 8, "a handful of paths shown");
    assert!(s.paths.windows(2).all(|w| w[0] < w[1]), "sorted: {:?}", s.paths);
    assert!(s.path_count > 100, "the count is the total: 49 pages, 50 API files and more ({})", s.path_count);
    assert_eq!(s.commits.len(), 5, "a handful of commits shown");
    assert_eq!(s.commit_count, 11, "every commit of base..large that touched a .txt file");
    assert!(s.description.ends_with("- and 6 more"), "the description says how many it left out: {}", s.description);
}

#[test]
fn an_invalid_pattern_is_refused_before_reading_the_repository() {
    let f = Fixture::new();
    let range = f.range(Some("quiet"), "migrations");
    let rules =
        SuggestionRules { dependency_paths: vec!["Cargo.lock".into(), "{yarn,npm.lock".into()], ..Default::default() };
    let err = suggest(&f.repo, &range, &rules, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.field(), Some("rules"), "the settings form shows it beside the rules");
    let message = err.to_string();
    assert!(
        message.contains("dependency paths pattern \"{yarn,npm.lock\""),
        "it names the list and the pattern as typed: {message}"
    );
}

#[test]
fn an_empty_range_suggests_nothing() {
    let f = Fixture::new();
    let found = f.suggest("late", "late", &SuggestionRules::default(), NaiveDate::from_ymd_opt(2000, 1, 1));
    assert!(found.is_empty(), "no commits, nothing to warn about, even with a freeze long past");
}

#[test]
fn a_shallow_clone_does_not_count_its_cut_off_commit_as_new() {
    let f = Fixture::new();
    let source = f.repo.path().to_path_buf();
    let shallow = source.with_file_name("shallow");
    let url = format!("file://{}", source.display());
    let status = std::process::Command::new("git")
        .args(["-c", "advice.detachedHead=false", "clone", "-q", "--depth", "2", "--branch", "late", &url])
        .arg(&shallow)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success());
    let repo = Repo::open(&shallow).unwrap();
    let range = repo.walk(&RangeOptions::default(), None).unwrap();
    assert_eq!(range.commits.len(), 2, "a shallow clone walks what it has");
    let found = suggest(&repo, &range, &SuggestionRules::default(), None).unwrap();
    assert!(
        found.is_empty(),
        "the clone's oldest commit has its parent cut off, not every file of the project added, so no \
         migration, lock file or large commit appears: {:?}",
        kinds(&found)
    );
}
