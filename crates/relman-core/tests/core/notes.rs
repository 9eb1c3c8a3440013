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
        overrides: Vec::new(),
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
                hidden: false,
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
