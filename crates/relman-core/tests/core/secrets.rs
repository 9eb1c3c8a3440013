//! The OS keyring for real: gnome-keyring on a private D-Bus session bus that each test starts for
//! itself, with a throwaway HOME, so no developer's keyring is ever read or written.
//!
//! A test cannot move itself onto another session bus, so each one runs twice: the outer run (the
//! one the test runner starts) re-runs this test binary, filtered to the same test, once per phase
//! under `dbus-run-session` (or with no bus at all); the inner run sees [`PHASE`] in its environment,
//! makes the keyring calls, and leaves a file at [`DONE`] when every assertion held. The outer run
//! fails when the inner one failed, hung, or never ran the test.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use keyring_core::CredentialStore;
use relman_core::secrets::{CredentialKey, KeyringStore, Secret, SecretStore, KEYRING_SERVICE};
use relman_core::{Error, ErrorCode};

/// Set in the inner run: which phase to run.
const PHASE: &str = "RELMAN_TEST_KEYRING_PHASE";
/// Set in the inner run: the file to create once the phase passed.
const DONE: &str = "RELMAN_TEST_KEYRING_DONE";
/// An inner run takes well under a second; this only stops a stuck unlock prompt from hanging CI.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where the inner run of a phase gets its keyring from.
#[derive(Clone, Copy, Debug)]
enum Session {
    /// No session bus: the address points at a socket that does not exist.
    NoBus,
    /// A private bus on which nothing provides the Secret Service (and nothing can be started).
    BusWithoutKeyring,
    /// A private bus with gnome-keyring started and its login keyring unlocked (created if new).
    UnlockedKeyring,
    /// A private bus with gnome-keyring started but not unlocked, and no display for a prompt.
    LockedKeyring,
}

/// Runs `body` inside each phase's session, in order, all sharing one throwaway HOME; `test` is this
/// test's path in the binary (`secrets::<fn name>`).
fn in_private_sessions(test: &str, phases: &[(&str, Session)], body: impl Fn(&str)) {
    if let Ok(phase) = std::env::var(PHASE) {
        body(&phase);
        let done = std::env::var_os(DONE).expect("the outer run sets the file to create when done");
        std::fs::write(done, phase).expect("the outer run's temporary folder is writable");
        return;
    }
    let home = tempfile::tempdir().expect("a temporary HOME for the private keyring");
    for (phase, session) in phases {
        run_phase(test, phase, *session, home.path());
    }
}

fn run_phase(test: &str, phase: &str, session: Session, home: &Path) {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).expect("a runtime folder for the private session");
    let done = home.join(format!("{phase}.done"));
    let log = home.join(format!("{phase}.log"));
    let log_file = std::fs::File::create(&log).expect("a log file for the inner run");

    let test_args = [test, "--exact", "--nocapture", "--test-threads=1"];
    let mut command = match session {
        Session::NoBus => {
            let mut command = Command::new(&exe);
            command
                .args(test_args)
                .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", home.join("no-bus").display()));
            command
        }
        Session::BusWithoutKeyring => {
            require_tools();
            // A bus config with no service directories: nothing on it can be activated.
            let config = home.join("bare-bus.conf");
            let config_text = BARE_BUS_CONFIG.replace("{socket_dir}", &home.display().to_string());
            std::fs::write(&config, config_text).expect("the bus config is writable");
            let mut command = Command::new("dbus-run-session");
            command.arg(format!("--config-file={}", config.display())).arg("--").arg(&exe).args(test_args);
            command
        }
        Session::UnlockedKeyring | Session::LockedKeyring => {
            require_tools();
            // `--unlock` reads the login keyring's password on stdin and creates the keyring when new.
            let start = match session {
                Session::UnlockedKeyring => {
                    "printf %s relman-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
                }
                _ => "gnome-keyring-daemon --start --components=secrets >/dev/null",
            };
            let mut command = Command::new("dbus-run-session");
            command.args(["--", "sh", "-c", &format!("{start} && exec \"$0\" \"$@\"")]).arg(&exe).args(test_args);
            command
        }
    };
    command
        .env(PHASE, phase)
        .env(DONE, &done)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        // No display, so a locked keyring's unlock prompt fails at once instead of waiting for a click.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("the log file handle can be shared"))
        .stderr(log_file);
    std::os::unix::process::CommandExt::process_group(&mut command, 0);

    let mut child = command.spawn().expect("the inner test run starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the inner run can be waited for") {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The bus and keyring daemons of the private session go with it, finished or not.
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).stderr(Stdio::null()).status();
    let _ = child.wait();

    let output = tail_of(&log);
    match status {
        None => panic!("phase {phase} ({session:?}) hung for {TIMEOUT:?}; its output:\n{output}"),
        Some(status) if !status.success() => panic!("phase {phase} ({session:?}) failed ({status}):\n{output}"),
        Some(_) => assert!(
            done.exists(),
            "phase {phase} ({session:?}) exited cleanly but never reached its end: is {test:?} this test's path?\n{output}"
        ),
    }
}

/// A session bus that lets everyone talk and own names, and knows no services to start. Its socket
/// goes in the test's throwaway HOME (`{socket_dir}`).
const BARE_BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// The keyring tests need real parts; without them they fail and say what to install, rather than
/// pass having tested nothing.
fn require_tools() {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let missing: Vec<&str> = ["dbus-run-session", "gnome-keyring-daemon"]
        .into_iter()
        .filter(|tool| !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
        .collect();
    assert!(
        missing.is_empty(),
        "the keyring tests need {} on PATH: install the apt packages `dbus gnome-keyring` (`make deps` does)",
        missing.join(" and ")
    );
}

fn tail_of(log: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(log) {
        let _ = file.read_to_string(&mut text);
    }
    let start = text.len().saturating_sub(6000);
    let start = (start..text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
    text[start..].to_string()
}

fn key(host: &str, username: &str) -> CredentialKey {
    CredentialKey::new(host, username).expect("a valid key")
}

fn read(store: &KeyringStore, key: &CredentialKey) -> Option<String> {
    match store.get(key) {
        Ok(secret) => secret.map(|secret| secret.expose().to_string()),
        Err(error) => panic!("reading {key} from the unlocked keyring: {error}"),
    }
}

fn store(store: &KeyringStore, key: &CredentialKey, value: &str) {
    if let Err(error) = store.set(key, &Secret::new(value)) {
        panic!("storing the token for {key} in the unlocked keyring: {error}");
    }
}

/// An error that the UI answers with "keep it for this session only", and that does not leak `secret`.
fn assert_unavailable(error: Error, starts_with: &str, secret: &str) -> String {
    let message = error.to_string();
    assert_eq!(error.code(), ErrorCode::KeyringUnavailable, "the UI offers the session-only store: {message}");
    assert!(message.starts_with(starts_with), "says what is wrong ({starts_with:?}): {message}");
    assert!(message.contains("this session only"), "says what to do instead: {message}");
    assert!(!message.contains(secret), "the token must never be in a message: {message}");
    message
}

#[test]
fn the_keyring_stores_reads_replaces_and_deletes_tokens() {
    in_private_sessions(
        "secrets::the_keyring_stores_reads_replaces_and_deletes_tokens",
        &[("round-trip", Session::UnlockedKeyring)],
        |_| {
            let keyring = KeyringStore::new();
            if let Err(error) = keyring.check() {
                panic!("Settings would show the unlocked keyring as unavailable: {error}");
            }
            let alice = key("github.com", "alice");
            assert_eq!(read(&keyring, &alice), None, "a new keyring has no token");

            store(&keyring, &alice, "ghp_first");
            assert_eq!(read(&keyring, &alice).as_deref(), Some("ghp_first"), "the token reads back");
            store(&keyring, &alice, "ghp_second");
            assert_eq!(
                read(&KeyringStore::new(), &alice).as_deref(),
                Some("ghp_second"),
                "a new connection reads the replaced token: it is in the keyring, not in Relman's memory"
            );

            // Other tools (Passwords and Keys, secret-tool) find one entry under the service and user
            // that the docs promise; a second one would make keyring-core report it as ambiguous.
            let raw: std::sync::Arc<CredentialStore> =
                zbus_secret_service_keyring_store::Store::new().expect("the private Secret Service answers");
            let entry = raw.build(KEYRING_SERVICE, "alice@github.com", None).expect("an entry specifier");
            assert_eq!(entry.get_password().ok().as_deref(), Some("ghp_second"), "one entry, replaced in place");

            let bob = key("git.example.com:8443", "bob");
            let anonymous = key("gitlab.com", "");
            store(&keyring, &bob, "glpat_bob");
            store(&keyring, &anonymous, "glpat_anonymous");
            let pasted = key("https://GitHub.com/org/repo.git", "alice");
            assert_eq!(read(&keyring, &pasted).as_deref(), Some("ghp_second"), "a pasted URL finds its host's token");
            assert_eq!(read(&keyring, &anonymous).as_deref(), Some("glpat_anonymous"), "an empty username works");

            assert_eq!(keyring.delete(&alice).ok(), Some(true), "delete reports that it removed the token");
            assert_eq!(read(&keyring, &alice), None, "and it is gone from the keyring");
            assert_eq!(keyring.delete(&alice).ok(), Some(false), "deleting again removes nothing and says so");
            assert_eq!(read(&keyring, &bob).as_deref(), Some("glpat_bob"), "other hosts' tokens stay");
        },
    );
}

#[test]
fn without_a_session_bus_the_keyring_is_unavailable_and_says_what_to_do() {
    in_private_sessions(
        "secrets::without_a_session_bus_the_keyring_is_unavailable_and_says_what_to_do",
        &[("no-bus", Session::NoBus)],
        |_| {
            let keyring = KeyringStore::new();
            let secret = "ghp_NoBusToken123";
            let no_keyring = "No keyring is reachable";
            let message = assert_unavailable(keyring.check().unwrap_err(), no_keyring, secret);
            assert!(message.contains("gnome-keyring or KWallet"), "names what to start: {message}");

            let alice = key("github.com", "alice");
            let message =
                assert_unavailable(keyring.set(&alice, &Secret::new(secret)).unwrap_err(), no_keyring, secret);
            assert!(message.contains("cannot store the token for alice@github.com"), "says what failed: {message}");
            assert_unavailable(keyring.get(&alice).unwrap_err(), no_keyring, secret);
            assert_unavailable(keyring.delete(&alice).unwrap_err(), no_keyring, secret);
        },
    );
}

#[test]
fn a_bus_without_a_secret_service_is_reported_as_no_keyring() {
    in_private_sessions(
        "secrets::a_bus_without_a_secret_service_is_reported_as_no_keyring",
        &[("bare-bus", Session::BusWithoutKeyring)],
        |_| {
            let keyring = KeyringStore::new();
            let secret = "ghp_BareBusToken456";
            assert_unavailable(keyring.check().unwrap_err(), "No keyring is reachable", secret);
            let error = keyring.set(&key("github.com", "alice"), &Secret::new(secret)).unwrap_err();
            assert_unavailable(error, "No keyring is reachable", secret);
        },
    );
}

#[test]
fn a_missing_or_locked_keyring_says_what_to_do_without_the_token() {
    let alice = || key("github.com", "alice");
    in_private_sessions(
        "secrets::a_missing_or_locked_keyring_says_what_to_do_without_the_token",
        &[
            ("no-login-keyring", Session::LockedKeyring),
            ("create-and-store", Session::UnlockedKeyring),
            ("locked", Session::LockedKeyring),
        ],
        |phase| match phase {
            // A new HOME has no login keyring until one is unlocked with a password.
            "no-login-keyring" => {
                let error = KeyringStore::new().set(&alice(), &Secret::new("ghp_NoCollection")).unwrap_err();
                let message = assert_unavailable(error, "The keyring has no default collection", "ghp_NoCollection");
                assert!(message.contains("make it the default"), "says how to get one: {message}");
            }
            "create-and-store" => store(&KeyringStore::new(), &alice(), "ghp_StoredBefore"),
            "locked" => {
                let keyring = KeyringStore::new();
                // Reachable is what `check` promises; locked is found out, and explained, on use.
                assert!(keyring.check().is_ok(), "the Secret Service answers, so Settings shows it reachable");
                let error = keyring.get(&alice()).unwrap_err();
                let message = assert_unavailable(error, "The keyring stayed locked", "ghp_StoredBefore");
                assert!(message.contains("read the token for alice@github.com"), "says what failed: {message}");
                let error = keyring.set(&alice(), &Secret::new("ghp_NewWhileLocked")).unwrap_err();
                assert_unavailable(error, "The keyring stayed locked", "ghp_NewWhileLocked");
            }
            other => panic!("no phase {other}"),
        },
    );
}

#[test]
fn a_plan_syncs_over_http_with_the_keyring_token_and_the_remote_never_holds_it() {
    use relman_core::secrets::Vault;
    use relman_core::share::{self, PlanRepo, ShareInput};

    in_private_sessions(
        "secrets::a_plan_syncs_over_http_with_the_keyring_token_and_the_remote_never_holds_it",
        &[("sync", Session::UnlockedKeyring)],
        |_| {
            const TOKEN: &str = "s3cret-sync-token-4711";
            let served = tempfile::tempdir().unwrap();
            let bare = served.path().join("office.git");
            let made = Command::new("git").args(["init", "-q", "--bare"]).arg(&bare).status().unwrap();
            assert!(made.success());
            let enabled =
                Command::new("git").arg("--git-dir").arg(&bare).args(["config", "http.receivepack", "true"]).status();
            assert!(enabled.unwrap().success());
            let server = crate::support::http_git::GitHttpServer::start(served.path(), "ci", TOKEN).unwrap();
            let url = server.url("office.git");

            let mut a = crate::common::db();
            let stamp = crate::common::stamp();
            relman_core::demo::load(&mut a.store, &stamp).unwrap();
            let keyring = KeyringStore::new();
            let host = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
            let vault = Vault { keyring: &keyring, session: None };
            vault.put(&host, "ci", TOKEN, false).unwrap().record(&mut a.store, &stamp).unwrap();
            share::init(&mut a.store, &stamp, ShareInput { remote: url.clone(), ..Default::default() }).unwrap();
            let stores: [&dyn SecretStore; 1] = [&keyring];
            let report = share::sync(&mut a.store, &stamp, &stores).unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
            assert!(report.sent > 50, "the plan went up through the server's basic auth: {}", report.sent);

            // Another database with the same token gets it; one without a stored token is told what to do.
            let mut b = crate::common::db();
            vault.put(&host, "ci", TOKEN, false).unwrap().record(&mut b.store, &stamp).unwrap();
            share::init(&mut b.store, &stamp, ShareInput { remote: url.clone(), ..Default::default() }).unwrap();
            assert!(share::sync(&mut b.store, &stamp, &stores).unwrap().received.len() > 50);
            let mut c = crate::common::db();
            share::init(&mut c.store, &stamp, ShareInput { remote: url.clone(), ..Default::default() }).unwrap();
            let refused = share::sync(&mut c.store, &stamp, &[]).unwrap_err();
            assert_eq!(refused.code(), ErrorCode::AuthFailed, "{refused}");
            assert!(refused.to_string().contains("relman secret set --host"), "says how to fix it: {refused}");

            let objects = PlanRepo::open(&bare).unwrap().objects().unwrap();
            let leaked = objects.iter().filter(|o| String::from_utf8_lossy(o).contains(TOKEN)).count();
            assert_eq!(leaked, 0, "no object on the remote holds the token ({} objects read)", objects.len());
            let beside = PlanRepo::open(&PlanRepo::path_beside(&a.path())).unwrap().objects().unwrap();
            assert!(
                beside.iter().all(|o| !String::from_utf8_lossy(o).contains(TOKEN)),
                "nor the repository beside the database"
            );
        },
    );
}
