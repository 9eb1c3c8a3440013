use relman_core::git::{RangeOptions, Repo, TagPattern};
use relman_core::notes::{self, EntryOverride, Format, ManualNotes, NotesMeta, DEFAULT_SECTIONS};
use relman_core::version::Versioning;
use relman_core::ErrorCode;

use crate::common::fixture;

fn document(manual: &ManualNotes) -> notes::NotesDocument {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let pattern = TagPattern::new("v{version}", Versioning::Semver).unwrap();
    let range = repo.walk(&RangeOptions::default(), Some(&pattern)).unwrap();
    let meta = NotesMeta { title: "Atlas 2.0.0".into(), version: "2.0.0".into(), date: Some("2026-01-02".into()) };
    notes::build(&range, meta, manual, DEFAULT_SECTIONS)
}

fn manual() -> ManualNotes {
    ManualNotes {
        highlights: "Search by codename, and <b>UTC</b> everywhere.".into(),
        known_issues: "Exports of very large registers are slow.".into(),
        upgrade_notes: "Move every client to /v2 before upgrading.".into(),
        ..Default::default()
    }
}

#[test]
fn breaking_changes_come_first_and_other_keeps_the_rest() {
    let doc = document(&ManualNotes::default());
    let keys: Vec<&str> = doc.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["breaking", "feat", "fix", "revert", "chore", "other"]);
    assert_eq!(doc.sections[0].entries.len(), 2, "the ! commit and the BREAKING CHANGE footer commit");
    let emails: Vec<&str> = doc.contributors.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(emails, ["ana@example.com", "priya@example.com", "tom@example.com"], "co-authors count, once each");
}

#[test]
fn overrides_hide_reword_and_move_entries() {
    let plain = document(&ManualNotes::default());
    let docs_commit = plain.sections.iter().find(|s| s.key == "other").unwrap().entries[0].sha.clone();
    let revert = plain.sections.iter().find(|s| s.key == "revert").unwrap().entries[0].sha.clone();
    let chore = plain.sections.iter().find(|s| s.key == "chore").unwrap().entries[0].sha.clone();
    let manual = ManualNotes {
        overrides: vec![
            EntryOverride {
                sha: docs_commit.clone(),
                section: Some("docs".into()),
                text: Some("A new onboarding guide".into()),
                ..Default::default()
            },
            EntryOverride { sha: revert, hidden: true, ..Default::default() },
            EntryOverride { sha: chore, hidden: true, ..Default::default() },
        ],
        ..manual()
    };
    let doc = document(&manual);
    let keys: Vec<&str> = doc.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["breaking", "feat", "fix", "docs"], "hidden entries leave, the moved one lands in docs");
    let moved = &doc.sections[3].entries[0];
    assert_eq!(
        (moved.sha.as_str(), moved.description.as_str(), moved.reworded),
        (docs_commit.as_str(), "A new onboarding guide", true)
    );
    assert_eq!(doc.range.commits, 8, "hidden commits still count as walked");
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(notes::render(&document(&manual()), Format::Markdown, None).unwrap());
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!(notes::render(&document(&manual()), Format::Text, None).unwrap());
}

#[test]
fn html_snapshot_escapes_untrusted_text() {
    let html = notes::render(&document(&manual()), Format::Html, None).unwrap();
    assert!(html.contains("&lt;b&gt;UTC&lt;&#x2f;b&gt;"), "markup in notes is escaped, not rendered");
    insta::assert_snapshot!(html);
}

#[test]
fn json_snapshot() {
    let json = notes::render(&document(&manual()), Format::Json, None).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema"], 1);
    insta::assert_snapshot!(json);
}

#[test]
fn a_template_error_names_its_line() {
    let template = "# {{ title }}\n{% for s in sections %}\n{{ s.title }\n";
    let error = notes::render(&document(&ManualNotes::default()), Format::Markdown, Some(template)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Template);
    assert!(error.to_string().contains("at line 3"), "{error}");
}

#[test]
fn a_custom_template_replaces_the_default() {
    let template = "{{ version }}: {% for s in sections %}{{ s.entries | length }} {{ s.key }}{% if not loop.last %}, {% endif %}{% endfor %}";
    let out = notes::render(&document(&ManualNotes::default()), Format::Text, Some(template)).unwrap();
    assert_eq!(out, "2.0.0: 2 breaking, 2 feat, 1 fix, 1 revert, 1 chore, 1 other\n");
}

mod stored {
    use relman_core::git::RangeOptions;
    use relman_core::notes::{self, EntryOverride, NotesParts};
    use relman_core::product::{self, ProductInput, Repository};
    use relman_core::release::{self, ReleaseInput};
    use relman_core::ErrorCode;

    use crate::common::{db, fixture, stamp};

    #[test]
    fn edits_survive_regeneration_after_new_commits() {
        let repo_dir = fixture("conventional");
        let repo_path = repo_dir.path().join("repo");
        let mut db = db();
        let repository = Repository {
            path: repo_path.display().to_string(),
            default_branch: "main".into(),
            tag_pattern: "v{version}".into(),
        };
        let input = ProductInput { name: "Atlas".into(), repository: Some(repository), ..Default::default() };
        let product = product::create(&mut db.store, &stamp(), input).unwrap();
        let input = ReleaseInput { product_id: product.id, version: "2.0.0".into(), ..Default::default() };
        let release = release::create(&mut db.store, &stamp(), input).unwrap();

        let first = notes::for_release(&db.store, release.id, RangeOptions::default()).unwrap();
        assert_eq!(first.document.range.from.as_deref(), Some("v1.0.0"));
        assert_eq!(first.suggestion.as_ref().map(|s| s.version.as_str()), Some("2.0.0"));
        let hidden_sha = first.document.sections.last().unwrap().entries[0].sha.clone();

        let parts = NotesParts {
            highlights: "Search is here.".into(),
            known_issues: "Slow exports.".into(),
            upgrade_notes: String::new(),
        };
        notes::save_parts(&mut db.store, &stamp(), release.id, parts).unwrap();
        let hide = EntryOverride { sha: hidden_sha.clone(), hidden: true, ..Default::default() };
        notes::set_override(&mut db.store, &stamp(), release.id, hide).unwrap();

        let status = std::process::Command::new("git")
            .current_dir(&repo_path)
            .args([
                "-c",
                "user.name=Kenji",
                "-c",
                "user.email=kenji@example.com",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "feat: late addition",
            ])
            .status()
            .unwrap();
        assert!(status.success());
        let again = notes::for_release(&db.store, release.id, RangeOptions::default()).unwrap();
        assert_eq!(again.document.highlights, "Search is here.", "the highlights are kept");
        assert_eq!(again.document.known_issues, "Slow exports.");
        let all: Vec<&str> =
            again.document.sections.iter().flat_map(|s| &s.entries).map(|e| e.description.as_str()).collect();
        assert!(all.contains(&"late addition"), "the new commit is added: {all:?}");
        assert!(
            !again.document.sections.iter().flat_map(|s| &s.entries).any(|e| e.sha == hidden_sha),
            "the hidden entry stays hidden"
        );

        let unhide = EntryOverride { sha: hidden_sha, ..Default::default() };
        let manual = notes::set_override(&mut db.store, &stamp(), release.id, unhide).unwrap();
        assert!(manual.overrides.is_empty(), "an override that changes nothing is removed");
    }

    #[test]
    fn bad_overrides_and_missing_repositories_are_refused() {
        let mut db = db();
        let product = crate::common::add_product(&mut db, "Atlas");
        let release = crate::common::add_release(&mut db, product, "1.0.0");
        let error = notes::for_release(&db.store, release.id, RangeOptions::default()).unwrap_err();
        assert_eq!(error.field(), Some("repository"), "{error}");
        let bad_sha = EntryOverride { sha: "abc".into(), hidden: true, ..Default::default() };
        assert_eq!(notes::set_override(&mut db.store, &stamp(), release.id, bad_sha).unwrap_err().field(), Some("sha"));
        let bad_section = EntryOverride { sha: "a".repeat(40), section: Some("misc".into()), ..Default::default() };
        let error = notes::set_override(&mut db.store, &stamp(), release.id, bad_section).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidInput);
        assert!(error.to_string().contains("Unknown section \"misc\""), "{error}");
        assert_eq!(db.audit_count(), 2, "nothing was written");
    }
}

mod product_templates {
    use relman_core::git::RangeOptions;
    use relman_core::notes::{self, Format};
    use relman_core::{demo, product, release, ErrorCode};

    use crate::common::{db, stamp};

    #[test]
    fn a_product_template_replaces_the_built_in_one_until_cleared() {
        let mut db = db();
        demo::load(&mut db.store, &stamp()).unwrap();
        let atlas = product::find_by_name(&db.store, "Atlas Web").unwrap();
        let id = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap().id;

        let broken = "# {{ title }}\n{% for s in sections %}\n{{ s.title }\n";
        let error = notes::set_template(&mut db.store, &stamp(), atlas.id, Format::Markdown, broken).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Template);
        assert!(error.to_string().contains("line 3"), "{error}");
        assert_eq!(
            notes::template(&db.store, atlas.id, Format::Markdown).unwrap(),
            None,
            "a broken template is not saved"
        );

        let custom = "{{ title }}: {{ range.commits }} commits";
        notes::set_template(&mut db.store, &stamp(), atlas.id, Format::Markdown, custom).unwrap();
        let text = notes::render_release(&db.store, id, Format::Markdown, RangeOptions::default()).unwrap();
        assert_eq!(text, "Atlas Web 2.5.0: 10 commits\n");
        let html = notes::render_release(&db.store, id, Format::Html, RangeOptions::default()).unwrap();
        assert!(html.starts_with("<!doctype html>"), "other formats keep the built-in template");

        notes::clear_template(&mut db.store, &stamp(), atlas.id, Format::Markdown).unwrap();
        let text = notes::render_release(&db.store, id, Format::Markdown, RangeOptions::default()).unwrap();
        assert!(text.starts_with("## [2.5.0]"), "{text}");
        let json = notes::set_template(&mut db.store, &stamp(), atlas.id, Format::Json, custom).unwrap_err();
        assert_eq!(json.field(), Some("format"));
    }
}
