use relman_core::product::{self, ProductInput, Repository};
use relman_core::version::Versioning;
use relman_core::ErrorCode;

use crate::common::{add_product, add_release, db, stamp};

fn with_repo(path: &str) -> ProductInput {
    ProductInput {
        name: "Atlas".into(),
        repository: Some(Repository { path: path.into(), default_branch: String::new(), tag_pattern: String::new() }),
        ..Default::default()
    }
}

#[test]
fn a_repository_path_must_be_a_git_repository() {
    let mut db = db();
    let plain = tempfile::tempdir().unwrap();
    let error = product::create(&mut db.store, &stamp(), with_repo(plain.path().to_str().unwrap())).unwrap_err();
    assert_eq!(error.field(), Some("repository_path"), "the form shows it beside the path");
    assert!(error.to_string().contains("not a git repository"), "{error}");
    assert_eq!(db.audit_count(), 0, "nothing was written");

    let missing = product::create(&mut db.store, &stamp(), with_repo("/no/such/folder")).unwrap_err();
    assert!(missing.to_string().contains("does not exist"), "{missing}");
}

#[test]
fn a_git_repository_is_accepted_with_sensible_defaults() {
    let mut db = db();
    let repo = tempfile::tempdir().unwrap();
    git2::Repository::init(repo.path()).unwrap();
    let created = product::create(&mut db.store, &stamp(), with_repo(repo.path().to_str().unwrap())).unwrap();
    let saved = created.repository.expect("the repository is linked");
    assert_eq!((saved.default_branch.as_str(), saved.tag_pattern.as_str()), ("main", "v{version}"));
}

#[test]
fn a_tag_pattern_needs_the_version_placeholder() {
    let mut db = db();
    let repo = tempfile::tempdir().unwrap();
    git2::Repository::init(repo.path()).unwrap();
    let mut input = with_repo(repo.path().to_str().unwrap());
    if let Some(r) = input.repository.as_mut() {
        r.tag_pattern = "release-latest".into();
    }
    let error = product::create(&mut db.store, &stamp(), input).unwrap_err();
    assert_eq!(error.field(), Some("tag_pattern"));
}

#[test]
fn names_are_unique_ignoring_case() {
    let mut db = db();
    add_product(&mut db, "Atlas");
    let input = ProductInput { name: "ATLAS".into(), ..Default::default() };
    let error = product::create(&mut db.store, &stamp(), input).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict);
}

#[test]
fn a_product_with_releases_cannot_be_deleted_or_change_scheme() {
    let mut db = db();
    let id = add_product(&mut db, "Atlas");
    add_release(&mut db, id, "1.0.0");
    let error = product::delete(&mut db.store, &stamp(), id).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict, "deleting would lose release history");
    let input = ProductInput { name: "Atlas".into(), versioning: Versioning::Calver, ..Default::default() };
    let error = product::update(&mut db.store, &stamp(), id, input).unwrap_err();
    assert_eq!(error.field(), Some("versioning"));
    assert_eq!(product::list(&db.store).unwrap().len(), 1);
}

#[test]
fn repository_paths_are_stored_absolute_and_bare_ones_refused() {
    let mut db = db();
    let parent = tempfile::tempdir().unwrap();
    let repo = parent.path().join("atlas");
    git2::Repository::init(&repo).unwrap();
    let roundabout = format!("{}/../atlas/", repo.display());
    let created = product::create(&mut db.store, &stamp(), with_repo(&roundabout)).unwrap();
    let stored = created.repository.unwrap().path;
    assert_eq!(stored, std::fs::canonicalize(&repo).unwrap().display().to_string(), "the path is stored canonical");

    let bare = parent.path().join("bare.git");
    git2::Repository::init_bare(&bare).unwrap();
    let input = ProductInput { name: "Bare".into(), ..with_repo(bare.to_str().unwrap()) };
    let error = product::create(&mut db.store, &stamp(), input).unwrap_err();
    assert_eq!(error.field(), Some("repository_path"));
    assert!(error.to_string().contains("bare repository"), "{error}");
}

#[test]
fn the_date_format_is_kept_and_an_older_client_leaves_it_as_it_was() {
    use relman_core::settings::{self, DateFormat, SettingsInput, Theme};
    let mut db = crate::common::db();
    assert_eq!(settings::get(&db.store, "priya").unwrap().date_format, DateFormat::Iso, "ISO until chosen");
    let input = |date_format| SettingsInput {
        user_name: String::new(),
        email: String::new(),
        theme: Theme::System,
        date_format,
    };
    settings::update(&mut db.store, &crate::common::stamp(), input(Some(DateFormat::Locale)), "priya").unwrap();
    assert_eq!(settings::get(&db.store, "priya").unwrap().date_format, DateFormat::Locale);
    settings::update(&mut db.store, &crate::common::stamp(), input(None), "priya").unwrap();
    assert_eq!(
        settings::get(&db.store, "priya").unwrap().date_format,
        DateFormat::Locale,
        "a save without it keeps it"
    );
}
