//! The write side of git: planning and creating a release tag, and pushing it to a bare repository over
//! file:// and to a real smart-HTTP server (git http-backend behind basic authentication).

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use relman_core::git::{Credential, CredentialKinds, Person, PushProgress, Repo, TagPattern, TagPlan};
use relman_core::secrets::Secret;
use relman_core::version::Versioning;
use relman_core::{Error, ErrorCode};

use crate::common::fixture;
use crate::support::http_git::GitHttpServer;

fn priya() -> Person {
    Person { name: "Priya Raman".into(), email: "priya@example.com".into() }
}

fn when() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap()
}

fn semver() -> TagPattern {
    TagPattern::new("v{version}", Versioning::Semver).unwrap()
}

fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> (ErrorCode, Option<&'static str>, String) {
    let err = result.expect_err("this should be refused");
    (err.code(), err.field(), err.to_string())
}

#[test]
fn a_planned_tag_is_created_exactly_as_planned() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let head = repo.resolve("HEAD").unwrap().to_string();

    let plan = repo.plan_tag(&semver(), "2.0.0", "main", "Release 2.0.0  \n\n", &priya()).unwrap();
    assert_eq!(plan.name, "v2.0.0", "the name comes from the product's pattern");
    assert_eq!(plan.target_sha, head, "main is HEAD in the fixture");
    assert_eq!(plan.target_short, head[..7]);
    assert_eq!(plan.target_summary, "chore(deps): update serde", "the confirmation shows what is tagged");
    assert_eq!(plan.message, "Release 2.0.0\n", "cleaned up as git tag -a does");
    assert_eq!(plan.tagger, priya());
    assert_eq!(repo.tag_target("v2.0.0").unwrap(), None, "planning writes nothing");

    let sha = repo.create_tag(&plan, when()).unwrap();
    assert_eq!(repo.tag_target("v2.0.0").unwrap(), Some(head.clone()), "the tag points at the planned commit");
    let git = git2::Repository::open(repo.path()).unwrap();
    let tag = git.find_tag(git2::Oid::from_str(&sha).unwrap()).expect("an annotated tag object");
    assert_eq!(tag.name().ok(), Some("v2.0.0"));
    assert_eq!(tag.message().ok().flatten(), Some("Release 2.0.0\n"));
    assert_eq!(tag.target_id().to_string(), head);
    let tagger = tag.tagger().unwrap();
    assert_eq!((tagger.name().ok(), tagger.email().ok()), (Some("Priya Raman"), Some("priya@example.com")));
    assert_eq!(tagger.when().seconds(), when().timestamp(), "the time is the one passed in, not the clock");
    let tags = repo.release_tags(&semver()).unwrap();
    assert!(tags.iter().any(|t| t.name == "v2.0.0" && t.annotated), "the new tag is read back as a release tag");

    let calver = TagPattern::new("release-{version}", Versioning::Calver).unwrap();
    let plan = repo.plan_tag(&calver, "2026.11.1", "v1.0.0", "Release", &priya()).unwrap();
    assert_eq!(plan.name, "release-2026.11.1");
    assert_eq!(plan.target_summary, "fix(ui): contrast of badges", "a tag as target means its commit");
}

#[test]
fn each_refusal_names_the_input_at_fault() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let tagged = repo.resolve("v1.0.0").unwrap().to_string();

    let (code, field, message) = refusal(repo.plan_tag(&semver(), "1.0.0", "HEAD", "Release", &priya()));
    assert_eq!((code, field), (ErrorCode::Conflict, Some("version")), "{message}");
    assert!(
        message.contains(&format!("v1.0.0 already exists at {}", &tagged[..7]))
            && message.contains("fix(ui): contrast of badges"),
        "says where the existing tag points: {message}"
    );

    let missing = "0123456789abcdef0123456789abcdef01234567";
    let (code, field, message) = refusal(repo.plan_tag(&semver(), "3.0.0", missing, "Release", &priya()));
    assert_eq!((code, field), (ErrorCode::UnknownRef, Some("target")), "{message}");
    assert!(message.contains("fetch"), "a commit not in the clone may just not be fetched yet: {message}");
    let (code, field, _) = refusal(repo.plan_tag(&semver(), "3.0.0", "no-such-branch", "Release", &priya()));
    assert_eq!((code, field), (ErrorCode::UnknownRef, Some("target")));

    let calver = TagPattern::new("{version}", Versioning::Calver).unwrap();
    let (code, field, message) = refusal(repo.plan_tag(&calver, "3.0.0", "HEAD", "Release", &priya()));
    assert_eq!((code, field), (ErrorCode::InvalidInput, Some("version")), "{message}");
    assert!(message.contains("calendar version"), "says which scheme the product uses: {message}");

    let (code, field, _) = refusal(repo.plan_tag(&semver(), "3.0.0", "HEAD", " \n\t", &priya()));
    assert_eq!((code, field), (ErrorCode::InvalidInput, Some("message")));

    for tagger in [
        Person { name: "".into(), email: "priya@example.com".into() },
        Person { name: "Priya".into(), email: " ".into() },
    ] {
        let (code, field, message) = refusal(repo.plan_tag(&semver(), "3.0.0", "HEAD", "Release", &tagger));
        assert_eq!((code, field), (ErrorCode::InvalidInput, Some("tagger")), "{tagger:?}: {message}");
    }
}

#[test]
fn creating_checks_again_what_may_have_changed_since_the_plan() {
    let dir = fixture("conventional");
    let repo = Repo::open(&dir.path().join("repo")).unwrap();
    let plan = repo.plan_tag(&semver(), "3.0.0", "HEAD~1", "Release 3.0.0", &priya()).unwrap();

    let git = git2::Repository::open(repo.path()).unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    git.tag_lightweight("v3.0.0", head.as_object(), false).unwrap();
    let (code, _, message) = refusal(repo.create_tag(&plan, when()));
    assert_eq!(code, ErrorCode::Conflict, "someone tagged while the confirmation was open: {message}");
    assert_eq!(repo.tag_target("v3.0.0").unwrap(), Some(head.id().to_string()), "their tag is left alone");

    let gone = TagPlan { name: "v3.0.1".into(), target_sha: "0123456789abcdef0123456789abcdef01234567".into(), ..plan };
    let (code, field, _) = refusal(repo.create_tag(&gone, when()));
    assert_eq!((code, field), (ErrorCode::UnknownRef, Some("target")));
    assert_eq!(repo.tag_target("v3.0.1").unwrap(), None);
}

/// A clone with two commits (pinned dates) and an annotated tag v1.0.0 on the first, made through the
/// API under test. Returns the clone and the tag object's SHA.
fn clone_with_tag(dir: &Path) -> (Repo, String) {
    let path = dir.join("clone");
    let git = git2::Repository::init(&path).unwrap();
    let mut parent = None;
    for (i, summary) in ["feat: first feature", "fix: second"].into_iter().enumerate() {
        let time = git2::Time::new(1_767_225_600 + 3600 * i as i64, 0);
        let signature = git2::Signature::new("Priya Raman", "priya@example.com", &time).unwrap();
        std::fs::write(path.join("file.txt"), summary).unwrap();
        let mut index = git.index().unwrap();
        index.add_path(Path::new("file.txt")).unwrap();
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let parents: Vec<git2::Commit> = parent.iter().map(|oid| git.find_commit(*oid).unwrap()).collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(git.commit(Some("HEAD"), &signature, &signature, summary, &tree, &parents).unwrap());
    }
    let repo = Repo::open(&path).unwrap();
    let plan = repo.plan_tag(&semver(), "1.0.0", "HEAD~1", "Release 1.0.0", &priya()).unwrap();
    let sha = repo.create_tag(&plan, when()).unwrap();
    (repo, sha)
}

/// An empty bare repository that accepts pushes over HTTP too.
fn bare_remote(root: &Path, name: &str) -> PathBuf {
    let path = root.join(name);
    let bare = git2::Repository::init_bare(&path).unwrap();
    bare.config().unwrap().set_bool("http.receivepack", true).unwrap();
    path
}

/// What the remote's `refs/tags/<name>` holds, if anything.
fn remote_tag(bare: &Path, name: &str) -> Option<String> {
    let bare = git2::Repository::open_bare(bare).unwrap();
    let reference = bare.find_reference(&format!("refs/tags/{name}")).ok()?;
    reference.target().map(|oid| oid.to_string())
}

fn no_credentials(_: &str, _: Option<&str>, _: CredentialKinds) -> Credential {
    panic!("a local remote should never ask for a credential")
}

#[test]
fn a_tag_pushed_over_file_arrives_and_is_never_moved() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, sha) = clone_with_tag(dir.path());
    let bare = bare_remote(dir.path(), "origin.git");
    let url = format!("file://{}", bare.display());
    git2::Repository::open(repo.path()).unwrap().remote("origin", &url).unwrap();
    let remotes = repo.remotes().unwrap();
    assert_eq!((remotes[0].name.as_str(), remotes[0].url.as_str()), ("origin", url.as_str()));

    let mut reports = Vec::new();
    repo.push_tag("origin", "v1.0.0", &mut no_credentials, &mut |p| {
        reports.push(p);
        true
    })
    .unwrap();
    assert_eq!(remote_tag(&bare, "v1.0.0"), Some(sha.clone()), "the remote has the same tag object");
    assert_eq!(
        reports.first(),
        Some(&PushProgress { current: 0, total: 0, bytes: 0 }),
        "a first report before sending"
    );
    repo.push_tag("origin", "v1.0.0", &mut no_credentials, &mut |_| true)
        .expect("pushing a tag the remote already has is a success, so a retry after a failure is safe");

    // Someone moves the tag locally to the second commit; the remote must keep the released one.
    let git = git2::Repository::open(repo.path()).unwrap();
    git.tag_delete("v1.0.0").unwrap();
    let first = repo.resolve("HEAD~1").unwrap().to_string();
    let plan = repo.plan_tag(&semver(), "1.0.0", "HEAD", "Release 1.0.0 again", &priya()).unwrap();
    repo.create_tag(&plan, when()).unwrap();
    let err = repo.push_tag("origin", "v1.0.0", &mut no_credentials, &mut |_| true).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PushRejected, "{err}");
    assert!(
        err.to_string().contains(&format!("at {} (\"feat: first feature\")", &first[..7])),
        "says where the remote's tag points: {err}"
    );
    assert_eq!(remote_tag(&bare, "v1.0.0"), Some(sha), "the remote's tag is unchanged");

    let err = repo.push_tag("upstream", "v1.0.0", &mut no_credentials, &mut |_| true).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("remote")), "{err}");
    assert!(err.to_string().contains("origin"), "lists the remotes there are: {err}");
}

/// A clone with tag v1.0.0, an empty bare `app.git` and a server for it that lets in `ci` with `token`.
fn http_setup(token: &str) -> (tempfile::TempDir, Repo, PathBuf, GitHttpServer) {
    let dir = tempfile::tempdir().unwrap();
    let (repo, _) = clone_with_tag(dir.path());
    let root = dir.path().join("served");
    let bare = bare_remote(&root, "app.git");
    let server = GitHttpServer::start(&root, "ci", token).unwrap();
    (dir, repo, bare, server)
}

fn token(value: &str) -> impl FnMut(&str, Option<&str>, CredentialKinds) -> Credential + '_ {
    move |_, _, kinds| {
        assert!(kinds.user_pass, "an HTTP server asks for a username and password");
        Credential::UserPass { username: "ci".into(), secret: Secret::new(value) }
    }
}

#[test]
fn http_push_with_the_right_token_lands() {
    let (_dir, repo, bare, server) = http_setup("s3cret-token");
    let asked = Cell::new(0);
    let mut answer = token("s3cret-token");
    let mut credentials = |url: &str, user: Option<&str>, kinds: CredentialKinds| {
        asked.set(asked.get() + 1);
        answer(url, user, kinds)
    };
    let result = repo.push_tag(&server.url("app.git"), "v1.0.0", &mut credentials, &mut |_| true);
    assert!(result.is_ok(), "{result:?}\nserver log:\n{}", server.log());
    let local = git2::Repository::open(repo.path()).unwrap().refname_to_id("refs/tags/v1.0.0").unwrap();
    assert_eq!(remote_tag(&bare, "v1.0.0"), Some(local.to_string()), "the tag arrived: {}", server.log());
    assert_eq!(asked.get(), 1, "asked once, when the server first said 401");
}

#[test]
fn http_push_with_a_wrong_token_fails_once_and_leaves_the_remote_alone() {
    let (_dir, repo, bare, server) = http_setup("s3cret-token");
    let asked = Cell::new(0);
    let mut answer = token("wrong-token");
    let mut credentials = |url: &str, user: Option<&str>, kinds: CredentialKinds| {
        asked.set(asked.get() + 1);
        answer(url, user, kinds)
    };
    let err = repo.push_tag(&server.url("app.git"), "v1.0.0", &mut credentials, &mut |_| true).unwrap_err();
    assert_eq!(err.code(), ErrorCode::AuthFailed, "{err}\nserver log:\n{}", server.log());
    let message = err.to_string();
    assert!(message.contains(&server.host()), "names the host: {message}");
    assert!(message.contains("relman secret set --host"), "says where to fix the credential: {message}");
    assert!(!message.contains("wrong-token"), "never shows the secret: {message}");
    assert_eq!(asked.get(), 2, "asked, refused, asked again with the same answer, gave up");
    assert!(server.unauthorized() <= 3, "no retry loop against the server: {}", server.log());
    assert_eq!(remote_tag(&bare, "v1.0.0"), None, "nothing was pushed");

    let err = repo.push_tag(&server.url("app.git"), "v1.0.0", &mut |_, _, _| Credential::None, &mut |_| true);
    let (code, _, message) = refusal(err);
    assert_eq!(code, ErrorCode::AuthFailed);
    assert!(message.contains("none is stored"), "a missing credential is told apart from a wrong one: {message}");
}

#[test]
fn http_push_to_a_closed_port_says_offline() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, _) = clone_with_tag(dir.path());
    // A port that was free a moment ago, with nothing listening on it now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/app.git");
    let (code, _, message) = refusal(repo.push_tag(&url, "v1.0.0", &mut no_credentials, &mut |_| true));
    assert_eq!(code, ErrorCode::Offline, "{message}");
    assert!(message.contains(&format!("127.0.0.1:{port}")) && message.contains("stays local"), "{message}");
}

#[test]
fn http_push_cancelled_from_progress_sends_nothing() {
    let (_dir, repo, bare, server) = http_setup("s3cret-token");
    let mut credentials = token("s3cret-token");
    let (code, _, message) = refusal(repo.push_tag(&server.url("app.git"), "v1.0.0", &mut credentials, &mut |_| false));
    assert_eq!(code, ErrorCode::Cancelled, "{message}");
    assert_eq!(remote_tag(&bare, "v1.0.0"), None, "nothing was pushed: {}", server.log());
}

#[test]
fn http_push_declined_by_a_server_hook_says_rejected() {
    let (_dir, repo, bare, server) = http_setup("s3cret-token");
    let hook = bare.join("hooks/pre-receive");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::write(&hook, "#!/bin/sh\necho 'release tags are frozen' >&2\nexit 1\n").unwrap();
    let mut permissions = std::fs::metadata(&hook).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&hook, permissions).unwrap();

    let mut credentials = token("s3cret-token");
    let (code, _, message) = refusal(repo.push_tag(&server.url("app.git"), "v1.0.0", &mut credentials, &mut |_| true));
    assert_eq!(code, ErrorCode::PushRejected, "{message}\nserver log:\n{}", server.log());
    assert!(
        message.contains("hook declined") && message.contains("release tags are frozen"),
        "passes on the server's reason and what its hook printed: {message}"
    );
    assert_eq!(remote_tag(&bare, "v1.0.0"), None, "the server kept nothing");
}

#[test]
fn http_push_to_a_missing_repository_says_to_check_the_url() {
    let (_dir, repo, _bare, server) = http_setup("s3cret-token");
    let mut credentials = token("s3cret-token");
    let (code, _, message) = refusal(repo.push_tag(&server.url("typo.git"), "v1.0.0", &mut credentials, &mut |_| true));
    assert_eq!(code, ErrorCode::Git, "{message}\nserver log:\n{}", server.log());
    assert!(message.contains("Check the remote's URL"), "{message}");
}
