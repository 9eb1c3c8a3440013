//! Tagging a stored release and pushing the tag with a credential from a secret store, end to end on
//! the sample data's repository and a real smart-HTTP server.

use relman_core::secrets::{index, CredentialKey, MemoryStore, Secret, SecretStore};
use relman_core::settings::{self, SettingsInput, Theme};
use relman_core::{demo, release, tagging, ErrorCode};

use crate::common::{db, stamp, Db};
use crate::support::http_git::GitHttpServer;

fn sample_with_email() -> (Db, i64) {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let input = SettingsInput {
        user_name: "Priya Raman".into(),
        email: "priya@example.com".into(),
        theme: Theme::System,
        date_format: None,
    };
    settings::update(&mut db.store, &stamp(), input, "priya").unwrap();
    let id = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap().id;
    (db, id)
}

/// A bare repository under `root` that accepts pushes over HTTP, set as the sample clone's origin.
fn origin(db: &Db, root: &std::path::Path, url: &str) -> std::path::PathBuf {
    let bare = root.join("atlas.git");
    git2::Repository::init_bare(&bare).unwrap().config().unwrap().set_bool("http.receivepack", true).unwrap();
    let clone = db.dir.path().join("sample-repositories").join("atlas-web");
    git2::Repository::open(clone).unwrap().remote("origin", url).unwrap();
    bare
}

/// Atlas 2.5.0 of the sample, tagged, with an origin on a smart-HTTP server that wants `priya`'s
/// `s3cret-token`.
struct Tagged {
    db: Db,
    id: i64,
    server: GitHttpServer,
    bare: std::path::PathBuf,
    _remote_root: tempfile::TempDir,
}

fn tagged_with_http_origin() -> Tagged {
    let (mut db, id) = sample_with_email();
    let remote_root = tempfile::tempdir().unwrap();
    let server = GitHttpServer::start(remote_root.path(), "priya", "s3cret-token").unwrap();
    let bare = origin(&db, remote_root.path(), &server.url("atlas.git"));
    let plan = tagging::prepare(&db.store, id, None, "priya").unwrap().plan().unwrap().plan;
    tagging::create(&mut db.store, &stamp(), id, &plan).unwrap();
    Tagged { db, id, server, bare, _remote_root: remote_root }
}

fn remote_has(bare: &std::path::Path, tag: &str) -> bool {
    git2::Repository::open_bare(bare).unwrap().find_reference(&format!("refs/tags/{tag}")).is_ok()
}

#[test]
fn a_release_is_tagged_as_planned_and_the_tag_is_recorded() {
    let mut db = db();
    demo::load(&mut db.store, &stamp()).unwrap();
    let id = release::find_by_version(&db.store, "Atlas Web", "2.5.0").unwrap().id;
    // An empty user.email in the clone hides any the machine's own git configuration has.
    let clone = git2::Repository::open(db.dir.path().join("sample-repositories/atlas-web")).unwrap();
    clone.config().unwrap().set_str("user.email", "").unwrap();
    let no_email =
        tagging::prepare(&db.store, id, None, "priya").unwrap().plan().expect_err("a tag needs a tagger's email");
    assert_eq!(no_email.field(), Some("email"));

    let (mut db, id) = sample_with_email();
    let preview = tagging::prepare(&db.store, id, None, "priya").unwrap().plan().unwrap();
    let plan = &preview.plan;
    assert_eq!(plan.name, "v2.5.0", "named by the product's pattern");
    assert_eq!(plan.tagger.email, "priya@example.com");
    assert!(plan.message.starts_with("Atlas Web 2.5.0"), "the plain-text notes are the message: {}", plan.message);
    let branch_head = git2::Repository::open(db.dir.path().join("sample-repositories/atlas-web"))
        .unwrap()
        .revparse_single("release/2.5.0")
        .unwrap()
        .id()
        .to_string();
    assert_eq!(plan.target_sha, branch_head, "the default target is the end of the release's range");
    assert!(tagging::get(&db.store, id).unwrap().is_none(), "planning writes nothing");

    let tag = tagging::create(&mut db.store, &stamp(), id, plan).unwrap();
    assert_eq!((tag.name.as_str(), tag.target_sha.as_str(), tag.pushed_remote), ("v2.5.0", branch_head.as_str(), None));
    let again = tagging::prepare(&db.store, id, None, "priya").err().expect("a tagged release is not tagged twice");
    assert_eq!(again.code(), ErrorCode::Conflict);
    assert!(again.to_string().contains("already tagged v2.5.0"), "{again}");
}

#[test]
fn a_push_uses_the_hosts_credential_and_a_failure_is_recorded_not_lost() {
    let Tagged { mut db, id, server, bare, _remote_root } = tagged_with_http_origin();

    let keyring = MemoryStore::new();
    let key = CredentialKey::new(&server.host(), "priya").unwrap();
    let vault = relman_core::secrets::Vault { keyring: &keyring, session: None };
    vault.put(&key.host, &key.username, "wrong-token", false).unwrap().record(&mut db.store, &stamp()).unwrap();
    let job = tagging::prepare_push(&db.store, id, None).unwrap();
    let failed = job.run(&[&keyring as &dyn SecretStore], &[], &mut |_| true).unwrap_err();
    assert_eq!(failed.code(), ErrorCode::AuthFailed);
    let recorded = tagging::record_push(&mut db.store, &stamp(), id, &job.remote_name(), Err(&failed)).unwrap();
    assert!(
        recorded.push_error.is_some() && recorded.pushed_remote.is_none(),
        "the release shows the tag is not pushed"
    );
    assert!(!remote_has(&bare, "v2.5.0"), "nothing reached the remote");

    vault.put(&key.host, &key.username, "s3cret-token", false).unwrap().record(&mut db.store, &stamp()).unwrap();
    let job = tagging::prepare_push(&db.store, id, None).unwrap();
    let remote = job.run(&[&keyring as &dyn SecretStore], &[], &mut |_| true).unwrap();
    assert_eq!(remote, "origin", "the clone's origin is the default remote");
    let pushed = tagging::record_push(&mut db.store, &stamp(), id, &remote, Ok(())).unwrap();
    assert_eq!((pushed.pushed_remote.as_deref(), pushed.push_error), (Some("origin"), None), "a retry is one action");
    assert!(remote_has(&bare, "v2.5.0"));
    let listed = index::list(&db.store).unwrap();
    assert_eq!(listed.len(), 1, "replacing a credential keeps one entry");
    let log = db.store.audit_log(None).unwrap();
    assert!(
        log.iter().all(|e| !e.details.contains("s3cret-token") && !e.details.contains("wrong-token")),
        "no secret in the audit log"
    );
}

#[test]
fn a_credential_is_tested_against_a_remote_on_its_host() {
    let (db, _) = sample_with_email();
    let remote_root = tempfile::tempdir().unwrap();
    let server = GitHttpServer::start(remote_root.path(), "priya", "s3cret-token").unwrap();
    origin(&db, remote_root.path(), &server.url("atlas.git"));
    let keyring = MemoryStore::new();
    let key = CredentialKey::new(&server.host(), "priya").unwrap();
    keyring.set(&key, &Secret::new("s3cret-token")).unwrap();
    let job = tagging::prepare_check(&db.store, &key).unwrap();
    let said = job.run(&[&keyring as &dyn SecretStore]).unwrap();
    assert!(said.contains("accepted the credential for pushing to origin (Atlas Web)"), "{said}");
    keyring.set(&key, &Secret::new("nope")).unwrap();
    let refused = job.run(&[&keyring as &dyn SecretStore]).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::AuthFailed);
    let elsewhere = CredentialKey::new("gitlab.example.com", "").unwrap();
    assert_eq!(
        tagging::prepare_check(&db.store, &elsewhere)
            .unwrap()
            .run(&[&keyring as &dyn SecretStore])
            .err()
            .map(|e| e.code()),
        Some(ErrorCode::NotFound)
    );
}

/// A keyring that cannot be reached, as on a machine without a Secret Service.
struct Unreachable;

impl SecretStore for Unreachable {
    fn set(&self, _: &CredentialKey, _: &Secret) -> relman_core::Result<()> {
        Err(relman_core::Error::KeyringUnavailable("No keyring is reachable.".into()))
    }
    fn get(&self, _: &CredentialKey) -> relman_core::Result<Option<Secret>> {
        Err(relman_core::Error::KeyringUnavailable("No keyring is reachable.".into()))
    }
    fn delete(&self, _: &CredentialKey) -> relman_core::Result<bool> {
        Err(relman_core::Error::KeyringUnavailable("No keyring is reachable.".into()))
    }
    fn check(&self) -> relman_core::Result<()> {
        Err(relman_core::Error::KeyringUnavailable("No keyring is reachable.".into()))
    }
}

#[test]
fn a_session_only_credential_pushes_while_the_keyring_is_unreachable() {
    let Tagged { db, id, server, bare, _remote_root } = tagged_with_http_origin();
    let session = MemoryStore::new();
    let key = CredentialKey::new(&server.host(), "priya").unwrap();
    session.set(&key, &Secret::new("s3cret-token")).unwrap();
    let job = tagging::prepare_push(&db.store, id, None).unwrap();
    job.run(&[&Unreachable as &dyn SecretStore, &session], std::slice::from_ref(&key), &mut |_| true).unwrap();
    assert!(remote_has(&bare, "v2.5.0"), "the session's token is used when the keyring is down");

    let nothing = MemoryStore::new();
    let job = tagging::prepare_push(&db.store, id, None).unwrap();
    let error = job.run(&[&Unreachable as &dyn SecretStore, &nothing], std::slice::from_ref(&key), &mut |_| true);
    assert_eq!(
        error.err().map(|e| e.code()),
        Some(ErrorCode::KeyringUnavailable),
        "with no token anywhere, the unreachable keyring is the reason given"
    );
}
