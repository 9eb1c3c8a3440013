//! The `relman` binary end to end on temporary databases.

use std::process::{Command, Output};

use clap::CommandFactory;
use serde_json::Value;

fn relman(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relman"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RELMAN_DB")
        .output()
        .expect("the relman binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "relman failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    assert!(!output.status.success(), "relman should have failed: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn demo_then_release_list_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let loaded = stdout(&relman(&db, &["demo"]));
    assert!(loaded.contains("2 products, 13 releases"), "demo says what it loaded: {loaded}");
    let listed: Value = serde_json::from_str(&stdout(&relman(&db, &["release", "list", "--json"]))).unwrap();
    let releases = listed.as_array().expect("a JSON array");
    assert_eq!(releases.len(), 13);
    assert!(
        releases.iter().all(|r| r["version"].is_string() && r["status"].is_string()),
        "each release has version and status"
    );
    let atlas: Value =
        serde_json::from_str(&stdout(&relman(&db, &["release", "list", "--product", "atlas web", "--json"]))).unwrap();
    assert_eq!(atlas.as_array().map(Vec::len), Some(11), "product names match ignoring case");
}

#[test]
fn a_release_is_created_moved_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.2.0", "--target", "2026-12-01"]));
    let moved = stdout(&relman(&db, &["release", "transition", "1.2.0", "--product", "Atlas", "--to", "in-progress"]));
    assert_eq!(moved.trim(), "Atlas 1.2.0: planned → in progress.");
    let shown: Value =
        serde_json::from_str(&stdout(&relman(&db, &["release", "show", "1.2.0", "--product", "Atlas", "--json"])))
            .unwrap();
    assert_eq!(shown["release"]["status"], "in_progress");
    assert_eq!(shown["history"].as_array().map(Vec::len), Some(1));
    let table = stdout(&relman(&db, &["release", "list"]));
    assert!(table.lines().next().unwrap().starts_with("PRODUCT"), "a header row: {table}");
    assert!(table.contains("in progress"), "{table}");
}

#[test]
fn bad_input_exits_non_zero_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    let cases: [(&[&str], &str); 4] = [
        (&["release", "create", "--product", "Atlas", "--version", "1.2"], "not a semantic version"),
        (&["release", "create", "--product", "Nope", "--version", "1.2.0"], "No product is named \"Nope\""),
        (&["release", "list", "--status", "shipped"], "Unknown status \"shipped\""),
        (&["release", "transition", "9.9.9", "--product", "Atlas", "--to", "frozen"], "has no release 9.9.9"),
    ];
    for (args, expected) in cases {
        let message = stderr(&relman(&db, args));
        assert!(message.starts_with("relman: ") && message.contains(expected), "{args:?} → {message}");
        assert_eq!(message.trim_end().lines().count(), 1, "one line for {args:?}: {message}");
    }
}

#[test]
fn an_illegal_transition_names_the_legal_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.0.0"]));
    let message = stderr(&relman(&db, &["release", "transition", "1.0.0", "--product", "Atlas", "--to", "released"]));
    assert!(message.contains("from planned it can move to: in progress, cancelled"), "{message}");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    std::fs::write(&path, b"PK\x03\x04 spreadsheet bytes that are not SQLite at all, padded out.......").unwrap();
    let before = std::fs::read(&path).unwrap();
    let message = stderr(&relman(&path, &["product", "list"]));
    assert!(message.contains("not a Relman release database"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is untouched");
}

#[test]
fn the_database_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let output =
        Command::new(env!("CARGO_BIN_EXE_relman")).args(["product", "list"]).env("RELMAN_DB", &db).output().unwrap();
    assert!(stdout(&output).contains("No products yet"));
    assert!(db.exists(), "RELMAN_DB chose the file");
}

#[test]
fn the_argument_definitions_are_consistent() {
    relman_cli::Args::command().debug_assert();
}

fn fixture_repo(dir: &std::path::Path) -> std::path::PathBuf {
    let repo = dir.join("repo");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../relman-core/tests/fixtures/conventional.sh");
    let status = Command::new("bash").arg(script).arg(&repo).env("GIT_CONFIG_GLOBAL", "/dev/null").status().unwrap();
    assert!(status.success(), "the fixture script runs");
    repo
}

#[test]
fn notes_from_a_repository_need_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let repo = fixture_repo(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_relman"))
        .args(["notes", "--repo"])
        .arg(&repo)
        .args(["--version", "2.0.0", "--format", "json"])
        .env("RELMAN_DB", dir.path().join("never-created.db"))
        .output()
        .unwrap();
    let notes: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(notes["version"], "2.0.0");
    assert_eq!(notes["range"]["from"], "v1.0.0");
    assert_eq!(notes["sections"][0]["key"], "breaking", "breaking changes first");
    assert!(!dir.path().join("never-created.db").exists(), "no database was touched");
}

#[test]
fn version_next_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let repo = fixture_repo(dir.path());
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_relman"))
            .args(["version", "next", "--repo"])
            .arg(&repo)
            .args(extra)
            .output()
            .unwrap()
    };
    let text = stdout(&run(&[]));
    assert_eq!(text.lines().next(), Some("2.0.0"));
    assert!(text.contains("8 commits since v1.0.0: 2 breaking changes"), "{text}");
    let older = stdout(&run(&["--from", "v0.1.0", "--to", "v0.2.0"]));
    assert_eq!(older.lines().next(), Some("0.2.0"), "a feature before 1.0.0 bumps the minor");
    let message = stderr(&run(&["--from", "HEAD"]));
    assert!(message.contains("nothing to release"), "{message}");
    let message = stderr(&run(&["--from", "nope"]));
    assert!(message.contains("\"nope\" does not name a commit"), "{message}");
}

#[test]
fn notes_for_a_stored_release_use_its_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["demo"]));
    let md = stdout(&relman(&db, &["notes", "--release", "2.5.0", "--product", "Atlas Web"]));
    assert!(md.starts_with("## [2.5.0]"), "{md}");
    assert!(md.contains("**workspaces:** team workspaces"), "{md}");
    let out = dir.path().join("notes.html");
    let said = stdout(&relman(
        &db,
        &["notes", "--release", "2.4.0", "--product", "Atlas Web", "--format", "html", "-o", out.to_str().unwrap()],
    ));
    assert!(said.contains("Wrote Atlas Web 2.4.0 (5 commits)"), "{said}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("<h2>Breaking changes</h2>"));
    let beacon: Value =
        serde_json::from_str(&stdout(&relman(&db, &["release", "list", "--product", "Beacon Mobile", "--json"])))
            .unwrap();
    let version = beacon[0]["version"].as_str().unwrap().to_string();
    let message = stderr(&relman(&db, &["notes", "--release", &version, "--product", "Beacon Mobile"]));
    assert!(message.contains("has no git repository linked"), "{message}");
}

#[test]
fn a_product_notes_template_is_checked_then_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["demo"]));
    let broken = dir.path().join("broken.jinja");
    std::fs::write(&broken, "{% for s in sections %}\n{{ s.title }\n").unwrap();
    let message = stderr(&relman(
        &db,
        &["notes-template", "set", "--product", "Atlas Web", "--format", "md", broken.to_str().unwrap()],
    ));
    assert!(message.contains("at line 2"), "{message}");
    let good = dir.path().join("short.jinja");
    std::fs::write(&good, "{{ title }} ({{ range.commits }} commits)").unwrap();
    stdout(&relman(
        &db,
        &["notes-template", "set", "--product", "Atlas Web", "--format", "md", good.to_str().unwrap()],
    ));
    let md = stdout(&relman(&db, &["notes", "--release", "2.5.0", "--product", "Atlas Web"]));
    assert_eq!(md, "Atlas Web 2.5.0 (10 commits)\n");
    let shown = stdout(&relman(&db, &["notes-template", "show", "--product", "Atlas Web", "--format", "html"]));
    assert!(shown.starts_with("<!doctype html>"), "show prints the built-in template when there is no own one");
}

#[test]
fn a_checklist_driven_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.0.0"]));
    let applied = stdout(&relman(&db, &["checklist", "apply", "--release", "1.0.0", "--product", "Atlas"]));
    assert!(applied.contains("Applied \"Web service release\""), "{applied}");
    stdout(&relman(&db, &["checklist", "tick", "1"]));
    let message = stderr(&relman(&db, &["checklist", "skip", "2", "--reason", " "]));
    assert!(message.contains("Say why this step is skipped"), "{message}");
    stdout(&relman(&db, &["checklist", "skip", "2", "--reason", "Branch cut by CI"]));
    let shown = stdout(&relman(&db, &["checklist", "show", "--release", "1.0.0", "--product", "Atlas"]));
    assert!(shown.starts_with("Pre-release (2/11)"), "{shown}");
    assert!(shown.contains("[-] #2") && shown.contains("Branch cut by CI"), "{shown}");
    let items: Value = serde_json::from_str(&stdout(&relman(
        &db,
        &["checklist", "show", "--release", "1.0.0", "--product", "Atlas", "--json"],
    )))
    .unwrap();
    assert_eq!(items[0]["state"], "done");

    let file = dir.path().join("process.toml");
    stdout(&relman(&db, &["template", "export", "-o", file.to_str().unwrap()]));
    let text = std::fs::read_to_string(&file).unwrap().replace("Web service release", "Atlas process");
    std::fs::write(&file, text).unwrap();
    stdout(&relman(&db, &["template", "import", file.to_str().unwrap()]));
    let listed = stdout(&relman(&db, &["template", "list"]));
    assert!(listed.contains("Atlas process: 29 items, 2 gates"), "{listed}");
    std::fs::write(&file, "name = \"Broken\"\n\n[[items]]\nphase = \"launch\"\ntitle = \"x\"\n").unwrap();
    let message = stderr(&relman(&db, &["template", "import", file.to_str().unwrap()]));
    assert!(message.contains("line 4") && message.contains("launch"), "{message}");
}

#[test]
fn gates_block_from_the_terminal_until_signed_or_overridden() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["demo"]));
    let move_ready = |extra: &[&str]| {
        let mut args = vec!["release", "transition", "2.5.0", "--product", "Atlas Web", "--to", "ready"];
        args.extend_from_slice(extra);
        relman(&db, &args)
    };
    let message = stderr(&move_ready(&[]));
    assert!(message.contains("cannot move to ready yet") && message.contains("no sign-off from QA"), "{message}");
    let said = stdout(&relman(
        &db,
        &["release", "signoff", "2.5.0", "--product", "Atlas Web", "--role", "QA", "--person", "Ana", "--approve"],
    ));
    assert!(said.contains("Ana approved as QA"), "{said}");
    let moved = stdout(&move_ready(&["--override", "Hotfix window agreed with the CTO"]));
    assert!(moved.contains("testing → ready"), "{moved}");
}

/// Ticks steps one process at a time and kills the run with SIGKILL at pseudo-random moments, again and
/// again: every step a command acknowledged must be in the database, and the database must be sound.
#[test]
fn killed_mid_deploy_loses_no_acknowledged_tick() {
    use std::io::{BufRead, BufReader};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.0.0"]));
    stdout(&relman(&db, &["checklist", "apply", "--release", "1.0.0", "--product", "Atlas"]));
    stdout(&relman(&db, &["deploy", "start", "--release", "1.0.0", "--product", "Atlas"]));
    let items: Value = serde_json::from_str(&stdout(&relman(
        &db,
        &["checklist", "show", "--release", "1.0.0", "--product", "Atlas", "--json"],
    )))
    .unwrap();
    let ids: Vec<i64> = items.as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();

    let mut acknowledged: Vec<i64> = Vec::new();
    let mut next = 0;
    let mut round = 0u64;
    // How long a tick takes depends on the machine and on what else runs: the kill window starts at
    // 65 ms and widens by half each round that acknowledged nothing, so a slow machine still sees ticks.
    let mut window_ms = 65u64;
    while next < ids.len() {
        round += 1;
        let acknowledged_before = acknowledged.len();
        let script: String = ids[next..]
            .iter()
            .map(|id| format!("\"$RELMAN\" deploy step {id} done >/dev/null && echo ACK {id}\n"))
            .collect();
        let mut child = Command::new("bash")
            .arg("-c")
            .arg(script)
            .env("RELMAN", env!("CARGO_BIN_EXE_relman"))
            .env("RELMAN_DB", &db)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        // Kill after a pseudo-random delay: somewhere inside one of the next few ticks.
        let delay = Duration::from_millis(5 + (round * 7919 + u64::from(pid)) % window_ms);
        let started = Instant::now();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            // The relman it is running (mid-write, with luck), then bash itself.
            let _ = Command::new("pkill").args(["-KILL", "-P", &pid.to_string()]).status();
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        });
        let reader = BufReader::new(child.stdout.take().unwrap());
        for line in reader.lines().map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("ACK ").and_then(|n| n.parse::<i64>().ok()) {
                acknowledged.push(id);
            }
        }
        let _ = child.wait();
        killer.join().unwrap();
        assert!(started.elapsed() < Duration::from_secs(60), "the run ends");
        // Carry on after the last acknowledged step (an unacknowledged one may or may not have landed).
        next = acknowledged.last().and_then(|last| ids.iter().position(|i| i == last)).map_or(next, |p| p + 1);
        if acknowledged.len() == acknowledged_before {
            window_ms = (window_ms * 3 / 2).min(5_000);
        }
        if round > 200 {
            break;
        }
    }
    let store = relman_core::store::Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok", "SQLite finds the database sound");
    let stored: Value = serde_json::from_str(&stdout(&relman(
        &db,
        &["checklist", "show", "--release", "1.0.0", "--product", "Atlas", "--json"],
    )))
    .unwrap();
    for id in &acknowledged {
        let item = stored.as_array().unwrap().iter().find(|i| i["id"].as_i64() == Some(*id)).unwrap();
        assert_eq!(item["state"], "done", "step {id} was acknowledged, so it must be stored as done");
    }
    assert!(
        !acknowledged.is_empty() && round > 1,
        "the run was killed and resumed ({round} rounds, {} ticks)",
        acknowledged.len()
    );
}

#[test]
fn the_risk_register_can_be_scripted_and_round_trips_through_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.2.0"]));
    let added = stdout(&relman(
        &db,
        &[
            "risk",
            "add",
            "--product",
            "Atlas",
            "--release",
            "1.2.0",
            "--title",
            "Payment outage",
            "--likelihood",
            "4",
            "--impact",
            "5",
            "--category",
            "external",
        ],
    ));
    assert_eq!(added.trim(), "Added risk 1 \"Payment outage\": score 20 (high).");
    stdout(&relman(
        &db,
        &["risk", "add", "--product", "Atlas", "--title", "Key person away", "--likelihood", "1", "--impact", "3"],
    ));
    let updated = stdout(&relman(
        &db,
        &["risk", "update", "1", "--product", "Atlas", "--likelihood", "2", "--status", "mitigating"],
    ));
    assert_eq!(updated.trim(), "Updated risk 1 \"Payment outage\": score 10 (medium), mitigating.");
    let history = stdout(&relman(&db, &["risk", "history", "1"]));
    assert!(history.contains("likelihood 4 → 2, status open → mitigating"), "{history}");

    let listed: Value =
        serde_json::from_str(&stdout(&relman(&db, &["risk", "list", "--product", "Atlas", "--json"]))).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    let high = stdout(&relman(&db, &["risk", "list", "--product", "Atlas", "--band", "medium"]));
    assert!(high.contains("Payment outage") && !high.contains("Key person"), "{high}");

    let csv = dir.path().join("risks.csv");
    stdout(&relman(&db, &["risk", "export", "--product", "Atlas", "--output", csv.to_str().unwrap()]));
    let other = dir.path().join("other.db");
    stdout(&relman(&other, &["product", "add", "Atlas"]));
    stdout(&relman(&other, &["release", "create", "--product", "Atlas", "--version", "1.2.0"]));
    let dry = stdout(&relman(&other, &["risk", "import", "--product", "Atlas", csv.to_str().unwrap(), "--dry-run"]));
    assert!(dry.contains("Dry run: 2 rows are valid"), "{dry}");
    let imported = stdout(&relman(&other, &["risk", "import", "--product", "Atlas", csv.to_str().unwrap()]));
    assert!(imported.contains("2 added, 0 updated"), "{imported}");
    let strip = |v: Value| -> Vec<(Value, Value, Value, Value)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["title"].clone(), r["score"].clone(), r["status"].clone(), r["release_version"].clone()))
            .collect()
    };
    let there: Value =
        serde_json::from_str(&stdout(&relman(&other, &["risk", "list", "--product", "Atlas", "--json"]))).unwrap();
    assert_eq!(strip(there), strip(listed), "the other database has the same register");

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Title,Likelihood,Impact\nFine,1,1\nBroken,seven,1\n").unwrap();
    let refused = relman(&db, &["risk", "import", "--product", "Atlas", bad.to_str().unwrap()]);
    let err = stderr(&refused);
    assert!(err.contains("1 problem in") && err.contains("nothing was imported"), "{err}");
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("Problem at row 3, column Likelihood"),
        "the row and column are named"
    );
    let md = stdout(&relman(&db, &["risk", "export", "--product", "Atlas", "--format", "md"]));
    assert!(md.starts_with("# Risk register: Atlas"), "{md}");
}

// The same smart-HTTP git server the core tests use; these tests need only part of it.
#[allow(dead_code)]
#[path = "../../../relman-core/tests/core/support/http_git.rs"]
mod http_git;

/// The whole tag cycle from the command line with the real OS keyring (gnome-keyring on a private
/// D-Bus session per command, all sharing one throwaway HOME) and a real smart-HTTP server that wants
/// the token: set the token, tag, push, export; then the token's bytes are nowhere Relman wrote.
#[test]
fn a_token_goes_to_the_keyring_and_nowhere_else() {
    const TOKEN: &str = "rlmn-tok-7f3a9c0e51d2b8";
    let path = std::env::var_os("PATH").unwrap_or_default();
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "git"] {
        assert!(
            std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()),
            "{tool} is needed: install the apt packages `dbus gnome-keyring git` (`make test` does)"
        );
    }
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("relman.db");
    let mut said = String::new();
    // Each command gets its own private session bus; the login keyring lives in the throwaway HOME.
    let run = |args: &[&str], stdin: &str, said: &mut String| -> Output {
        let script = "printf %s relman-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"";
        let mut child = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script, env!("CARGO_BIN_EXE_relman"), "--db"])
            .arg(&db)
            .args(args)
            .env_remove("RELMAN_DB")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_RUNTIME_DIR", home.path())
            .env_remove("DISPLAY")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("dbus-run-session starts");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        // A keyring stuck on an unlock prompt must fail the test, not hang it.
        let pid = child.id();
        let (done, waited) = std::sync::mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            if waited.recv_timeout(std::time::Duration::from_secs(30)).is_err() {
                let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            }
        });
        let output = child.wait_with_output().unwrap();
        let _ = done.send(());
        let _ = watchdog.join();
        said.push_str(&String::from_utf8_lossy(&output.stdout));
        said.push_str(&String::from_utf8_lossy(&output.stderr));
        output
    };
    stdout(&run(&["demo"], "", &mut said));
    let remote_root = tempfile::tempdir().unwrap();
    let server = http_git::GitHttpServer::start(remote_root.path(), "priya", TOKEN).unwrap();
    let bare = remote_root.path().join("atlas.git");
    git2_init_bare(&bare);
    let clone = home.path().join("sample-repositories").join("atlas-web");
    git(&clone, &["remote", "add", "origin", &server.url("atlas.git")]);
    git(&clone, &["config", "user.email", "priya@example.com"]);

    let host = server.host();
    stdout(&run(&["secret", "set", "--host", &host, "--username", "priya"], "a-wrong-token\n", &mut said));
    let created =
        stdout(&run(&["tag", "create", "--release", "2.5.0", "--product", "Atlas Web", "--yes"], "", &mut said));
    assert!(created.contains("Created tag v2.5.0"), "{created}");
    let refused = run(&["tag", "push", "--release", "2.5.0", "--product", "Atlas Web"], "", &mut said);
    let refusal = stderr(&refused);
    assert!(refusal.contains("refused the credential"), "a wrong token is an authentication error: {refusal}");
    assert!(!remote_has_tag(&bare), "nothing reached the remote");

    stdout(&run(&["secret", "set", "--host", &host, "--username", "priya"], &format!("{TOKEN}\n"), &mut said));
    let pushed = stdout(&run(&["tag", "push", "--release", "2.5.0", "--product", "Atlas Web"], "", &mut said));
    assert_eq!(pushed.trim(), "Pushed tag v2.5.0 to origin.");
    assert!(remote_has_tag(&bare), "the tag is on the server");
    let listed = stdout(&run(&["secret", "list"], "", &mut said));
    assert!(listed.contains(&format!("priya@{host}")), "{listed}");

    let exports = home.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    for (args, file) in [
        (vec!["risk", "export", "--product", "Atlas Web", "--format", "csv"], "risks.csv"),
        (vec!["risk", "export", "--product", "Atlas Web", "--format", "md"], "risks.md"),
        (vec!["export", "ics"], "releases.ics"),
        (vec!["notes", "--release", "2.5.0", "--product", "Atlas Web"], "notes.md"),
    ] {
        let target = exports.join(file);
        let mut args = args.clone();
        let target_text = target.to_str().unwrap().to_string();
        if file != "notes.md" {
            args.extend(["--output", &target_text]);
            stdout(&run(&args, "", &mut said));
        } else {
            std::fs::write(&target, stdout(&run(&args, "", &mut said))).unwrap();
        }
    }
    let mut checked = vec![db.clone(), db.with_extension("db-wal"), db.with_extension("db-shm")];
    checked.extend(std::fs::read_dir(&exports).unwrap().map(|e| e.unwrap().path()));
    for file in checked.iter().filter(|f| f.exists()) {
        let bytes = std::fs::read(file).unwrap();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "the token is in {}", file.display());
        assert!(!bytes.windows(13).any(|w| w == b"a-wrong-token"), "the wrong token is in {}", file.display());
    }
    assert!(checked.len() >= 5, "the database and four exports were checked");
    assert!(!said.contains(TOKEN) && !said.contains("a-wrong-token"), "no output shows a token:\n{said}");
    let keyrings = home.path().join("data").join("keyrings");
    assert!(keyrings.exists(), "the token went to the private keyring in the throwaway HOME");
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let status = Command::new("git").arg("-C").arg(dir).args(args).status().expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn git2_init_bare(path: &std::path::Path) {
    let status = Command::new("git").args(["init", "-q", "--bare"]).arg(path).status().expect("git runs");
    assert!(status.success());
    git(path, &["config", "http.receivepack", "true"]);
}

fn remote_has_tag(bare: &std::path::Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(bare)
        .args(["rev-parse", "-q", "--verify", "refs/tags/v2.5.0"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn only_commands_that_read_repositories_skip_the_certificates() {
    use clap::Parser;
    let offline = |args: &[&str]| {
        let parsed = relman_cli::Args::try_parse_from(std::iter::once("relman").chain(args.iter().copied())).unwrap();
        parsed.command.reads_git_offline()
    };
    assert!(offline(&["notes", "--repo", ".", "--from", "v1.0.0"]));
    assert!(offline(&["version", "next", "--repo", "."]));
    assert!(offline(&["risk", "suggest", "--product", "Atlas", "--release", "1.0.0"]));
    assert!(offline(&["security", "scan", "--product", "Atlas", "--release", "1.0.0"]));
    assert!(offline(&["sbom", "--product", "Atlas", "--release", "1.0.0"]));
    assert!(!offline(&["advisories", "update"]), "git pull runs in its own process, with its certificates");
    assert!(!offline(&["tag", "push", "--product", "Atlas", "--release", "1.0.0"]), "a push verifies the host");
    assert!(!offline(&["release", "list"]));
}

fn relman_as(db: &std::path::Path, person: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relman"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RELMAN_DB")
        .env("RELMAN_USER", person)
        .output()
        .expect("the relman binary runs")
}

#[test]
fn the_audit_log_names_who_acted_and_its_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman_as(&db, "Priya Raman <priya@example.com>", &["product", "add", "Atlas"]));
    stdout(&relman_as(
        &db,
        "Priya Raman <priya@example.com>",
        &["release", "create", "--product", "Atlas", "--version", "1.0.0"],
    ));
    let signed = stdout(&relman(
        &db,
        &[
            "--as",
            "Quinn QA <qa@example.com>",
            "release",
            "signoff",
            "1.0.0",
            "--product",
            "Atlas",
            "--role",
            "QA",
            "--approve",
        ],
    ));
    assert!(
        signed.contains("Quinn QA approved as QA"),
        "the acting person signs unless --person says otherwise: {signed}"
    );

    let log: Value = serde_json::from_str(&stdout(&relman(&db, &["audit", "log", "--json"]))).unwrap();
    let actors: Vec<&str> = log["events"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert_eq!(
        actors,
        ["Quinn QA <qa@example.com>", "Priya Raman <priya@example.com>", "Priya Raman <priya@example.com>"]
    );
    let table = stdout(&relman(&db, &["audit", "log", "--limit", "2"]));
    assert!(table.contains("More: add --after 2."), "the next page is named: {table}");
    let mine = stdout(&relman(&db, &["audit", "log", "--actor", "quinn", "--product", "Atlas", "--release", "1.0.0"]));
    assert!(mine.contains("signoff") && !mine.contains("create"), "{mine}");

    let verified = stdout(&relman(&db, &["audit", "verify"]));
    assert!(verified.contains("intact: 3 events"), "{verified}");
    let bad = stderr(&relman(&db, &["--as", "just a name", "release", "list"]));
    assert!(bad.contains("Name <email>"), "{bad}");
    let bad = stderr(&relman(&db, &["audit", "log", "--since", "yesterday"]));
    assert!(bad.contains("YYYY-MM-DD"), "{bad}");
}

#[test]
fn a_tampered_log_fails_verification_and_names_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["demo"]));
    let export = dir.path().join("audit.json");
    stdout(&relman(&db, &["audit", "export", "-o", export.to_str().unwrap()]));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET details = '{}' WHERE seq = 5;")
            .unwrap();
    }
    let failed = relman(&db, &["audit", "verify"]);
    assert_eq!(failed.status.code(), Some(1), "a failed check is a failed command");
    let message = String::from_utf8_lossy(&failed.stderr);
    assert!(message.contains("event #5") && message.contains("changed after it was written"), "{message}");
    // The export taken before the edit still checks, with no database at all.
    let offline = Command::new(env!("CARGO_BIN_EXE_relman"))
        .args(["--db", "/nonexistent/relman.db", "audit", "verify", "--file", export.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&offline.stdout).contains("one intact chain"), "{offline:?}");
}

#[test]
fn a_kept_head_checks_that_the_log_only_grew_since() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    let report: Value = serde_json::from_str(&stdout(&relman(&db, &["audit", "verify", "--json"]))).unwrap();
    let head = report["head"].as_str().unwrap().to_string();
    let same = stdout(&relman(&db, &["audit", "verify", "--since-head", &head]));
    assert!(same.contains("has not grown since"), "{same}");
    stdout(&relman(&db, &["product", "add", "Beacon"]));
    let grown = stdout(&relman(&db, &["audit", "verify", "--since-head", &head]));
    assert!(grown.contains("intact: 2 events") && grown.contains(&format!("grew from {head}")), "{grown}");

    let unknown = relman(&db, &["audit", "verify", "--since-head", &"0".repeat(64)]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("No event in this log has the hash"), "{unknown:?}");
    let typo = stderr(&relman(&db, &["audit", "verify", "--since-head", "abc"]));
    assert!(typo.contains("64 hex digits"), "{typo}");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor = 'mallory' WHERE seq = 2;",
        )
        .unwrap();
    }
    let tampered = relman(&db, &["audit", "verify", "--since-head", &head]);
    assert_eq!(tampered.status.code(), Some(1), "an event after the head edited fails the check");
    assert!(String::from_utf8_lossy(&tampered.stderr).contains("event #2"), "{tampered:?}");
}

#[test]
fn two_processes_writing_at_once_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    let writers: Vec<_> = ["QA <qa@example.com>", "Ops <ops@example.com>"]
        .into_iter()
        .enumerate()
        .map(|(n, person)| {
            let db = db.clone();
            std::thread::spawn(move || {
                for k in 0..8 {
                    let version = format!("{n}.{k}.0");
                    stdout(&relman_as(
                        &db,
                        person,
                        &["release", "create", "--product", "Atlas", "--version", &version],
                    ));
                }
            })
        })
        .collect();
    writers.into_iter().for_each(|w| w.join().unwrap());
    let verified = stdout(&relman(&db, &["audit", "verify"]));
    assert!(verified.contains("intact: 17 events"), "{verified}");
}

#[test]
fn the_plan_is_edited_from_the_terminal_only_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["product", "add", "Atlas"]));
    stdout(&relman(
        &db,
        &["release", "create", "--product", "Atlas", "--version", "1.0.0", "--owner", "Tom", "--target", "2027-01-10"],
    ));
    stdout(&relman(&db, &["release", "edit", "1.0.0", "--product", "Atlas", "--codename", "Lynx"]));
    let shown: Value =
        serde_json::from_str(&stdout(&relman(&db, &["release", "show", "1.0.0", "--product", "Atlas", "--json"])))
            .unwrap();
    assert_eq!(
        (
            shown["release"]["codename"].as_str(),
            shown["release"]["owner"].as_str(),
            shown["release"]["target_date"].as_str()
        ),
        (Some("Lynx"), Some("Tom"), Some("2027-01-10")),
        "only the codename changed"
    );
    stdout(&relman(&db, &["release", "edit", "1.0.0", "--product", "Atlas", "--target", "none"]));

    let added = stdout(&relman(
        &db,
        &[
            "milestone",
            "add",
            "--product",
            "Atlas",
            "--release",
            "1.0.0",
            "--kind",
            "code-freeze",
            "--start",
            "2027-01-03",
        ],
    ));
    assert!(added.contains("\"Code freeze\": 2027-01-03"), "{added}");
    stdout(&relman(&db, &["milestone", "move", "1", "--by=-2"]));
    stdout(&relman(&db, &["milestone", "edit", "1", "--end", "2027-01-04"]));
    let list: Value = serde_json::from_str(&stdout(&relman(
        &db,
        &["milestone", "list", "--product", "Atlas", "--release", "1.0.0", "--json"],
    )))
    .unwrap();
    assert_eq!(
        (list[0]["planned_start"].as_str(), list[0]["planned_end"].as_str()),
        (Some("2027-01-01"), Some("2027-01-04"))
    );
    let bad = stderr(&relman(
        &db,
        &["milestone", "add", "--product", "Atlas", "--release", "1.0.0", "--kind", "beta", "--start", "2027-01-03"],
    ));
    assert!(bad.contains("use one of feature_freeze"), "{bad}");

    stdout(&relman(
        &db,
        &["freeze", "add", "--name", "Holidays", "--start", "2026-12-21", "--end", "2026-12-28", "--product", "Atlas"],
    ));
    stdout(&relman(&db, &["freeze", "edit", "1", "--reason", "Support is thin"]));
    let windows: Value = serde_json::from_str(&stdout(&relman(&db, &["freeze", "list", "--json"]))).unwrap();
    assert_eq!(
        (windows[0]["reason"].as_str(), windows[0]["product_ids"].as_array().map(Vec::len)),
        (Some("Support is thin"), Some(1))
    );

    let no_go = stderr(&relman(&db, &["release", "go-no-go", "1.0.0", "--product", "Atlas", "--no-go"]));
    assert!(no_go.contains("why"), "{no_go}");
    let go = stdout(&relman(
        &db,
        &["--as", "Ana Lima <ana@example.com>", "release", "go-no-go", "1.0.0", "--product", "Atlas", "--go"],
    ));
    assert!(go.contains("go, decided by Ana Lima"), "{go}");
    let refused = stderr(&relman(&db, &["release", "delete", "1.0.0", "--product", "Atlas"]));
    assert!(refused.contains("--yes"), "{refused}");
    stdout(&relman(&db, &["release", "delete", "1.0.0", "--product", "Atlas", "--yes"]));
    assert!(stdout(&relman(&db, &["audit", "verify"])).contains("intact"));
}

#[test]
fn two_databases_share_a_plan_through_a_remote_and_resolve_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let remote = dir.path().join("office.git");
    git2_init_bare(&remote);
    let url = format!("file://{}", remote.display());
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let (ana, ben) = ("Ana Lima <ana@example.com>", "Ben Okafor <ben@example.com>");
    // Targets the sample never has (it plans 3.0.0 70 days out): a fixed day would be its own target
    // on one day of the year, and Ana's edit would change nothing.
    let day = |days| (chrono::Local::now().date_naive() + chrono::Days::new(days)).to_string();
    let (anas_day, bens_day) = (day(100), day(114));
    stdout(&relman_as(&a, ana, &["demo"]));
    let shared = stdout(&relman_as(&a, ana, &["share", "init", "--remote", &url, "--product", "Atlas Web"]));
    assert!(shared.contains("shares Atlas Web through"), "{shared}");
    stdout(&relman_as(&a, ana, &["sync"]));
    stdout(&relman_as(&b, ben, &["share", "init", "--remote", &url]));
    let first: Value = serde_json::from_str(&stdout(&relman_as(&b, ben, &["sync", "--json"]))).unwrap();
    assert_eq!(first["sent"], 0, "an empty database has nothing of its own to send: {first}");
    let products = stdout(&relman(&b, &["product", "list"]));
    assert!(
        products.contains("Atlas Web") && !products.contains("Beacon Mobile"),
        "only the shared product: {products}"
    );

    stdout(&relman_as(&a, ana, &["release", "edit", "3.0.0", "--product", "Atlas Web", "--target", &anas_day]));
    stdout(&relman_as(&b, ben, &["release", "edit", "3.0.0", "--product", "Atlas Web", "--target", &bens_day]));
    stdout(&relman_as(&a, ana, &["sync"]));
    let found = stdout(&relman_as(&b, ben, &["sync"]));
    assert!(found.contains("1 conflict to resolve"), "{found}");
    let listed = stdout(&relman(&b, &["sync", "conflicts"]));
    assert!(
        listed.contains("target_date of releases 3.0.0") && listed.contains(&format!("\"{anas_day}\" — Ana Lima")),
        "{listed}"
    );
    let conflicts: Value = serde_json::from_str(&stdout(&relman(&b, &["sync", "conflicts", "--json"]))).unwrap();
    let id = conflicts[0]["id"].as_str().unwrap().to_string();
    let anas = conflicts[0]["candidates"].as_array().unwrap().iter().position(|c| c["by"] == ana).unwrap() + 1;
    let wrong = stderr(&relman_as(&b, ben, &["sync", "resolve", &id, "--pick", "3"]));
    assert!(wrong.contains("Pick 1 to 2"), "{wrong}");
    let resolved = stdout(&relman_as(&b, ben, &["sync", "resolve", &id, "--pick", &anas.to_string()]));
    assert!(resolved.contains(&format!("is now \"{anas_day}\" (Ana Lima <ana@example.com>'s value)")), "{resolved}");
    stdout(&relman_as(&b, ben, &["sync"]));
    stdout(&relman_as(&a, ana, &["sync"]));
    for db in [&a, &b] {
        let shown: Value = serde_json::from_str(&stdout(&relman(
            db,
            &["release", "show", "3.0.0", "--product", "Atlas Web", "--json"],
        )))
        .unwrap();
        assert_eq!(shown["release"]["target_date"], anas_day.as_str());
        assert!(stdout(&relman(db, &["sync", "conflicts"])).contains("No conflicts"));
    }
    // Deploy night: B ticks a step while A watches; A's watch brings it in.
    let lupine: Value = serde_json::from_str(&stdout(&relman(
        &b,
        &["checklist", "show", "--release", "2.5.0", "--product", "Atlas Web", "--json"],
    )))
    .unwrap();
    let todo = lupine.as_array().unwrap().iter().find(|i| i["state"] == "todo").unwrap()["id"].as_i64().unwrap();
    stdout(&relman_as(&b, ben, &["checklist", "tick", &todo.to_string()]));
    let ahead = stdout(&relman(&b, &["share", "status"]));
    assert!(ahead.contains("1 change to send"), "the copy knows it is ahead: {ahead}");
    let watched = stdout(&relman_as(&b, ben, &["sync", "--watch", "--every", "1", "--count", "2"]));
    assert!(watched.contains("1 sent"), "the first turn sends the tick, the second is quiet: {watched}");
    let seen = stdout(&relman_as(&a, ana, &["sync", "--watch", "--every", "1", "--count", "1"]));
    assert!(seen.contains("changed checklist") && seen.contains("by Ben Okafor"), "{seen}");
    let verified = stdout(&relman(&a, &["audit", "verify"]));
    assert!(
        verified.contains("The audit log is intact") && verified.contains("The copy "),
        "Ben's chain too: {verified}"
    );
    let status = stdout(&relman(&a, &["share", "status"]));
    assert!(status.contains("Sharing Atlas Web through") && status.contains("last synced"), "{status}");
    let not_shared = stderr(&relman(&dir.path().join("c.db"), &["sync"]));
    assert!(not_shared.contains("relman share init --remote URL"), "{not_shared}");
}

#[test]
fn a_change_is_requested_refused_to_its_requester_approved_by_the_cab_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let (ana, quinn) = ("Ana Lima <ana@example.com>", "Quinn Okafor <quinn@example.com>");
    stdout(&relman_as(&db, ana, &["demo"]));
    let id = stdout(&relman_as(
        &db,
        ana,
        &[
            "change",
            "create",
            "--product",
            "Atlas Web",
            "--release",
            "2.5.0",
            "--type",
            "normal",
            "--title",
            "Deploy Atlas Web 2.5.0",
            "--window-start",
            "2026-12-10T22:00:00+01:00",
            "--window-end",
            "2026-12-10T23:30:00+01:00",
        ],
    ));
    let id = id.trim().to_string();
    assert!(id.parse::<i64>().is_ok(), "create prints the id: {id}");
    // The sample's 2.5.0 deploys on the 10th (Atlas Web's own release, so not a conflict) and Beacon
    // Mobile's 2026.12 does not; a freeze on the 10th is one.
    stdout(&relman_as(
        &db,
        ana,
        &["freeze", "add", "--name", "Sale week", "--start", "2026-12-09", "--end", "2026-12-11"],
    ));
    let conflicted = stdout(&relman(&db, &["change", "show", &id]));
    assert!(conflicted.contains("conflict: The window falls in the freeze window \"Sale week\""), "{conflicted}");
    let early = stderr(&relman_as(&db, ana, &["change", "schedule", &id]));
    assert!(early.contains("can move to assess or cancelled"), "names the legal moves: {early}");
    let drafted = stdout(&relman_as(&db, ana, &["change", "draft", &id]));
    assert!(
        drafted.contains("Implementation plan:\n  Ships Atlas Web 2.5.0: ")
            && drafted.contains("\n\n  1. ")
            && drafted.contains("Links: v2.4.1..release/2.5.0 ("),
        "{drafted}"
    );
    let policy = stdout(&relman_as(
        &db,
        ana,
        &["change", "policy", "--product", "Atlas Web", "--maintenance", "thu 21:00-23:59 Europe/Berlin"],
    ));
    assert!(policy.contains("maintenance windows: Thursdays 21:00–23:59 Europe/Berlin."), "{policy}");
    let zone = stderr(&relman_as(
        &db,
        ana,
        &["change", "policy", "--product", "Atlas Web", "--maintenance", "thu 21:00-23:00 Berlin"],
    ));
    assert!(zone.contains("IANA name such as Europe/Berlin"), "{zone}");
    let edited = stdout(&relman_as(
        &db,
        ana,
        &[
            "change",
            "edit",
            &id,
            "--window-start",
            "2026-12-10T21:30:00+01:00",
            "--window-end",
            "2026-12-11T00:30:00+01:00",
        ],
    ));
    assert!(edited.contains("is draft"), "{edited}");
    let outside = stdout(&relman(&db, &["change", "show", &id]));
    assert!(
        outside.contains("is outside Atlas Web's maintenance window (Thursdays 21:00–23:59 Europe/Berlin)"),
        "{outside}"
    );
    stdout(&relman_as(
        &db,
        ana,
        &[
            "change",
            "edit",
            &id,
            "--window-start",
            "2026-12-10T22:00:00+01:00",
            "--window-end",
            "2026-12-10T23:30:00+01:00",
        ],
    ));
    let ics = stdout(&relman(&db, &["change", "export", &id, "--format", "ics"]));
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("DTSTART:20261210T210000Z"), "{ics}");
    let submitted = stdout(&relman_as(&db, ana, &["change", "submit", &id]));
    assert!(submitted.contains("is assess; it needs an approval from CAB"), "{submitted}");
    let own = stderr(&relman_as(&db, ana, &["change", "approve", &id, "--role", "CAB"]));
    assert!(own.contains("requested this change, so cannot approve it"), "{own}");
    let approved =
        stdout(&relman_as(&db, quinn, &["change", "approve", &id, "--role", "CAB", "--comment", "Low risk"]));
    assert!(approved.contains("is authorize."), "assessed by the CAB, it is authorized: {approved}");
    for verb in ["schedule", "implement", "review"] {
        stdout(&relman_as(&db, ana, &["change", verb, &id]));
    }
    let shown: Value = serde_json::from_str(&stdout(&relman(&db, &["change", "show", &id, "--json"]))).unwrap();
    assert_eq!((shown["state"].as_str(), shown["type"].as_str()), (Some("review"), Some("normal")));
    assert_eq!(shown["approvals"][0]["person"], quinn);
    let record = stdout(&relman(&db, &["change", "export", &id, "--format", "md"]));
    assert!(record.starts_with(&format!("# Change {id}: Deploy Atlas Web 2.5.0")), "{record}");
    assert!(
        record.contains("## Implementation plan") && record.contains(&format!("- CAB: approved by {quinn}")),
        "{record}"
    );
    let json: Value =
        serde_json::from_str(&stdout(&relman(&db, &["change", "export", &id, "--format", "json"]))).unwrap();
    assert_eq!(json["title"], "Deploy Atlas Web 2.5.0");
    let closed = stdout(&relman_as(&db, ana, &["change", "close", &id, "--code", "successful", "--notes", "Clean"]));
    assert!(closed.contains("is closed."), "{closed}");
    let listed = stdout(&relman(&db, &["change", "list", "--product", "Atlas Web"]));
    assert!(listed.contains("closed") && listed.contains("Deploy Atlas Web 2.5.0"), "{listed}");
    let bad = stderr(&relman_as(
        &db,
        ana,
        &[
            "change",
            "create",
            "--product",
            "Atlas Web",
            "--type",
            "normal",
            "--title",
            "X",
            "--window-start",
            "tonight",
            "--window-end",
            "tomorrow",
        ],
    ));
    assert!(bad.contains("2026-12-10T22:00:00+01:00"), "says how to write a window: {bad}");
}

#[test]
fn an_incident_is_recorded_resolved_and_patched_and_the_metrics_count_deployments() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let tom = "Tom Becker <tom@example.com>";
    stdout(&relman_as(&db, tom, &["demo"]));
    let bad = stderr(&relman_as(
        &db,
        tom,
        &["incident", "add", "--product", "Atlas Web", "--severity", "critical", "--title", "Down"],
    ));
    assert!(bad.contains("use sev1 (the worst) to sev4"), "{bad}");
    let id = stdout(&relman_as(
        &db,
        tom,
        &[
            "incident",
            "add",
            "--product",
            "Atlas Web",
            "--release",
            "2.4.1",
            "--severity",
            "sev2",
            "--title",
            "Refunds charged twice",
            "--detected",
            "2026-11-15T09:00:00+01:00",
            "--link",
            "https://status.example.com/incidents/41",
        ],
    ));
    let id = id.trim().to_string();
    let shown = stdout(&relman(&db, &["incident", "show", &id]));
    assert!(shown.contains("link: https://status.example.com/incidents/41"), "{shown}");
    let early = stderr(&relman_as(&db, tom, &["incident", "resolve", &id, "--at", "2026-11-14T09:00:00+01:00"]));
    assert!(early.contains("cannot be resolved before that"), "{early}");
    let resolved = stdout(&relman_as(&db, tom, &["incident", "resolve", &id, "--at", "2026-11-15T10:30:00+01:00"]));
    assert!(resolved.contains("90 minutes after detection"), "{resolved}");
    let hotfix = stdout(&relman_as(&db, tom, &["incident", "hotfix", &id]));
    assert_eq!(hotfix.trim(), "Planned hotfix Atlas Web 2.4.2, from v2.4.1, marked as rework.");
    let listed: Value = serde_json::from_str(&stdout(&relman(&db, &["incident", "list", "--json"]))).unwrap();
    assert_eq!(listed[0]["minutes_to_restore"], 90);

    let metrics: Value = serde_json::from_str(&stdout(&relman(
        &db,
        &["metrics", "--from", "2026-06-01", "--to", "2026-11-30", "--json"],
    )))
    .unwrap();
    for key in ["deployment_frequency", "lead_time", "change_failure_rate", "recovery_time", "rework_rate"] {
        let metric = &metrics[key];
        assert!(
            metric.get("value").is_some() && metric["unit"].is_string() && metric.get("band").is_some(),
            "{key}: {metric}"
        );
        assert!(
            metric["deployments"].is_array() && metric["commits"].is_array() && metric["incidents"].is_array(),
            "{key}"
        );
    }
    let backwards = stderr(&relman(&db, &["metrics", "--from", "2026-11-30", "--to", "2026-06-01"]));
    assert!(backwards.contains("before it starts"), "{backwards}");
}

#[test]
fn a_retrospective_is_shown_written_and_its_action_becomes_a_risk_on_the_next_release() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let tom = "Tom Becker <tom@example.com>";
    stdout(&relman_as(&db, tom, &["demo"]));
    let which = ["--product", "Atlas Web", "--release", "2.4.0"];
    let shown = stdout(&relman(&db, &[&["retro", "show"][..], &which].concat()));
    assert!(shown.contains("- Rolled back; it was planned for"), "{shown}");
    assert!(shown.contains("restored in 4 days 20 min"), "{shown}");
    stdout(&relman_as(&db, tom, &[&["retro", "write"][..], &which, &["--went-well", "Calm rollback"]].concat()));
    let add =
        [&["retro", "action", "add"][..], &which, &["--text", "Page the payments team", "--kind", "process"]].concat();
    let id = stdout(&relman_as(&db, tom, &add)).trim().to_string();
    let bad = stderr(&relman_as(&db, tom, &["retro", "action", "promote", &id, "--to", "step"]));
    assert!(bad.contains("--template"), "a step needs its template: {bad}");
    let promoted = stdout(&relman_as(&db, tom, &["retro", "action", "promote", &id, "--to", "risk"]));
    assert!(promoted.contains("is now risk"), "{promoted}");
    let risks = stdout(&relman(&db, &["risk", "list", "--product", "Atlas Web", "--json"]));
    let risks: Value = serde_json::from_str(&risks).unwrap();
    let made = risks.as_array().unwrap().iter().find(|r| r["title"] == "Page the payments team").unwrap();
    assert_eq!(made["release_version"], "2.5.0", "the product's next release: {made}");
    let file = dir.path().join("retro.md");
    stdout(&relman(&db, &[&["retro", "export"][..], &which, &["-o", file.to_str().unwrap()]].concat()));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Calm rollback") && text.contains("Page the payments team (process)"), "{text}");
}

#[test]
fn a_dossier_is_exported_and_verified_with_no_database_and_an_edit_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman_as(&db, "Tom Becker <tom@example.com>", &["demo"]));
    let file = dir.path().join("dossier.json");
    let path = file.to_str().unwrap();
    stdout(&relman(&db, &["dossier", "--product", "Atlas Web", "--release", "2.4.1", "-o", path]));
    let nowhere = dir.path().join("no-such.db");
    let checked = stdout(&relman(&nowhere, &["dossier", "verify", path]));
    assert!(checked.contains("facts checked against their events"), "{checked}");
    assert!(!nowhere.exists(), "verify opened no database");
    let text = std::fs::read_to_string(&file).unwrap().replacen("\"Go: revenue at stake\"", "\"Go\"", 1);
    std::fs::write(&file, text).unwrap();
    let caught = relman(&nowhere, &["dossier", "verify", path]);
    assert!(!caught.status.success(), "an edited dossier does not verify");
    let missing = stderr(&relman(&db, &["dossier"]));
    assert!(missing.contains("Name the release"), "{missing}");

    // 2.5.0's dossier holds its SBOM; a package version changed in it is caught by its digest.
    stdout(&relman(&db, &["dossier", "--product", "Atlas Web", "--release", "2.5.0", "-o", path]));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(doc["sbom"]["document"].as_str().unwrap().contains("pkg:cargo/tokio@1.48.0"));
    stdout(&relman(&nowhere, &["dossier", "verify", path]));
    doc["sbom"]["document"] = doc["sbom"]["document"].as_str().unwrap().replace("1.48.0", "1.49.0").into();
    std::fs::write(&file, doc.to_string()).unwrap();
    let caught = relman(&nowhere, &["dossier", "verify", path]);
    let said = String::from_utf8_lossy(&caught.stdout);
    assert!(!caught.status.success() && said.contains("Does not hold: The SBOM's SHA-256 is stated as"), "{said}");
}

#[test]
fn a_backup_is_taken_while_in_use_checked_and_restored_and_a_deployed_release_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    assert!(relman(&db, &["demo"]).status.success());

    // A deployed release is not deleted with its deploy log unless that is said.
    let refused = relman(&db, &["release", "delete", "2.3.0", "--product", "Atlas Web", "--yes"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("has 1 deployment on record") && stderr(&refused).contains("--with-deploy-records")
    );

    let taken = stdout(&relman(&db, &["backup"]));
    assert!(taken.starts_with("Backed up to ") && taken.contains("holds 13 releases and "), "{taken}");
    let listed = stdout(&relman(&db, &["backup", "list"]));
    assert!(listed.contains(" backup ") && listed.contains("backups"), "{listed}");
    let file = taken.lines().next().unwrap().trim_start_matches("Backed up to ").trim_end_matches('.').to_string();

    // A mistaken delete, then the backup brings the release back.
    let gone = relman(&db, &["release", "delete", "2.3.0", "--product", "Atlas Web", "--yes", "--with-deploy-records"]);
    assert!(gone.status.success(), "{}", stderr(&gone));
    let asked = relman(&db, &["restore", &file]);
    assert!(!asked.status.success() && stderr(&asked).contains("add --yes"), "{}", stderr(&asked));
    let restored = stdout(&relman(&db, &["restore", &file, "--yes"]));
    assert!(restored.contains("Kept the database as it was in ") && restored.contains("is restored"), "{restored}");
    assert!(relman(&db, &["release", "show", "2.3.0", "--product", "Atlas Web"]).status.success());
    let chain = relman(&db, &["audit", "verify"]);
    assert!(chain.status.success(), "{}", stderr(&chain));

    // Something that is not a backup is refused, and nothing changes.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let refused = relman(&db, &["restore", junk.to_str().unwrap(), "--yes"]);
    assert!(!refused.status.success() && stderr(&refused).contains("junk.db"), "{}", stderr(&refused));
    assert!(relman(&db, &["release", "show", "2.3.0", "--product", "Atlas Web"]).status.success());
}

#[test]
fn a_release_is_scanned_for_known_vulnerable_dependencies_offline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let repo = dir.path().join("repo");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../relman-core/tests/fixtures/vulnerable.sh");
    let status = Command::new("bash").arg(script).arg(&repo).env("GIT_CONFIG_GLOBAL", "/dev/null").status().unwrap();
    assert!(status.success(), "the fixture script runs");
    let advisories = dir.path().join("advisories");
    std::fs::create_dir_all(advisories.join("npm")).unwrap();
    let minimist = serde_json::json!({
        "id": "GHSA-xvch-5gv4-984h", "summary": "Prototype pollution in minimist",
        "database_specific": { "severity": "CRITICAL" },
        "affected": [{ "package": { "ecosystem": "npm", "name": "minimist" },
                       "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "1.2.6" }] }] }],
    });
    std::fs::write(advisories.join("npm/GHSA-xvch-5gv4-984h.json"), minimist.to_string()).unwrap();

    stdout(&relman(&db, &["product", "add", "Atlas", "--repo", repo.to_str().unwrap()]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.1.0"]));
    let scan = ["security", "scan", "--product", "Atlas", "--release", "1.1.0"];
    let unset = stderr(&relman(&db, &scan));
    assert!(unset.contains("relman advisories use"), "no folder yet says how to set one: {unset}");
    let used = stdout(&relman(&db, &["advisories", "use", advisories.to_str().unwrap()]));
    assert!(used.contains("(1 advisories)"), "{used}");

    let text = stdout(&relman(&db, &scan));
    assert!(text.contains("Atlas 1.1.0: v1.0.0..HEAD"), "{text}");
    assert!(text.contains("critical     minimist 1.2.5 (web/package-lock.json): GHSA-xvch-5gv4-984h — introduced by this release; fixed in 1.2.6"), "{text}");
    let report: Value = serde_json::from_str(&stdout(&relman(&db, &[&scan[..], &["--json"]].concat()))).unwrap();
    assert_eq!(report["dependencies"]["findings"][0]["change"], "introduced");
    assert_eq!(report["secrets"]["findings"], serde_json::json!([]), "the fixture commits no secret");
    assert_eq!(
        report["dependencies"]["lock_files"],
        serde_json::json!(["Cargo.lock", "tests/fixtures/broken/Cargo.lock", "web/package-lock.json"])
    );
    assert!(text.contains("Not checked: At "), "the broken lock file is named: {text}");
    assert!(
        text.contains(
            "relman security accept --product … --release … unreadable:tests/fixtures/broken/Cargo.lock --reason"
        ),
        "and how to accept it: {text}"
    );
    let blocked = stderr(&relman(&db, &[&scan[..], &["--fail-on", "high"]].concat()));
    assert!(blocked.contains("ships 1 known-vulnerable dependency version(s) at high or above"), "{blocked}");
    let elsewhere = dir.path().join("nothing-here");
    let missing = stderr(&relman(&db, &[&scan[..], &["--advisories", elsewhere.to_str().unwrap()]].concat()));
    assert!(missing.contains("is not a folder"), "{missing}");
    let status = stdout(&relman(&db, &["advisories", "status"]));
    assert!(status.contains("1 advisories"), "{status}");

    // Accepted with a reason, it no longer fails the check; without one, the acceptance is refused.
    let key = "GHSA-xvch-5gv4-984h:npm:minimist@1.2.5";
    assert!(text.contains(&format!("relman security accept --product … --release … {key}")), "{text}");
    let accept = ["security", "accept", "--product", "Atlas", "--release", "1.1.0", key, "--reason"];
    let refused = stderr(&relman(&db, &[&accept[..], &[" "]].concat()));
    assert!(refused.contains("Say why"), "{refused}");
    let said = stdout(&relman(&db, &[&accept[..], &["Only our build scripts parse flags with it"]].concat()));
    assert!(said.starts_with("Accepted GHSA-xvch-5gv4-984h:npm:minimist@1.2.5 for Atlas 1.1.0"), "{said}");
    stdout(&relman(&db, &[&scan[..], &["--fail-on", "high"]].concat()));
}

#[test]
fn a_release_tag_is_signed_with_an_ssh_key_and_both_tags_verified() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["demo"]));
    let clone = dir.path().join("sample-repositories/atlas-web");
    git(&clone, &["config", "user.email", "priya@example.com"]);
    let key = dir.path().join("release-key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-C", "priya@laptop", "-N", "tag passphrase", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs");
    assert!(made.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = dir.path().join("allowed_signers");
    std::fs::write(&allowed, format!("priya@example.com {public}")).unwrap();
    git(&clone, &["config", "gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()]);

    // No agent and no passphrase: the key cannot be used, and nothing is tagged.
    let run = |args: &[&str], passphrase: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_relman"));
        command.arg("--db").arg(&db).args(args).env_remove("RELMAN_DB").env_remove("SSH_AUTH_SOCK");
        match passphrase {
            Some(p) => command.env("RELMAN_KEY_PASSPHRASE", p),
            None => command.env_remove("RELMAN_KEY_PASSPHRASE"),
        };
        command.output().unwrap()
    };
    let create = ["tag", "create", "--product", "Atlas Web", "--release", "2.5.0", "--yes", "--sign", "--key"];
    let create = [&create[..], &[key.to_str().unwrap()]].concat();
    let refused = stderr(&run(&create, None));
    assert!(refused.contains("ssh-add") && refused.contains("RELMAN_KEY_PASSPHRASE"), "{refused}");
    let verify = ["tag", "verify", "--product", "Atlas Web", "--release", "2.5.0"];
    let before = stdout(&run(&verify, None));
    assert!(before.contains("v2.5.0: not in the clone yet"), "{before}");

    let created = stdout(&run(&create, Some("tag passphrase")));
    assert!(created.contains("Created signed tag v2.5.0"), "{created}");
    let fingerprint = String::from_utf8(
        Command::new("ssh-keygen").arg("-lf").arg(key.with_extension("pub")).output().unwrap().stdout,
    )
    .unwrap()
    .split_whitespace()
    .nth(1)
    .unwrap()
    .to_string();
    assert!(created.contains(&format!("Signing key: {fingerprint} (priya@laptop)")), "{created}");
    let checked = Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["-c", "gpg.format=ssh", "tag", "-v", "v2.5.0"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(checked.status.success(), "git tag -v: {}", String::from_utf8_lossy(&checked.stderr));

    let text = stdout(&run(&verify, None));
    assert!(text.contains(&format!("v2.5.0: signed by priya@example.com ({fingerprint})")), "{text}");
    assert!(text.contains("(previous release): unsigned"), "{text}");
    let json: Value = serde_json::from_str(&stdout(&run(&[&verify[..], &["--json"]].concat(), None))).unwrap();
    assert_eq!(json["signature"]["state"], serde_json::json!({ "kind": "signed", "trust": "allowed" }));
    assert_eq!(json["signature"]["fingerprint"], fingerprint.as_str());
    assert_eq!(json["previous"]["state"]["kind"], "unsigned");
}

#[test]
fn a_release_tag_is_signed_with_a_gpg_key_set_once_for_the_machine() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    stdout(&relman(&db, &["demo"]));
    let home = dir.path().join("gnupg");
    std::fs::create_dir(&home).unwrap();
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    let gpg = |args: &[&str]| Command::new("gpg").arg("--homedir").arg(&home).args(args).output().expect("gpg runs");
    let made = gpg(&["--batch", "--passphrase", "", "--quick-gen-key", "Priya Raman <priya@example.com>", "ed25519"]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let listed = String::from_utf8(gpg(&["--with-colons", "--list-secret-keys"]).stdout).unwrap();
    let fingerprint = listed.lines().find_map(|l| l.strip_prefix("fpr:")).unwrap().trim_matches(':').to_string();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_relman"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("RELMAN_DB")
            .env_remove("SSH_AUTH_SOCK")
            .env("GNUPGHOME", &home)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap()
    };

    let refused = stderr(&run(&["tag", "signing-key", "gpg:sam@example.com"]));
    assert!(refused.contains("gpg has no secret key \"sam@example.com\""), "{refused}");
    let set = stdout(&run(&["tag", "signing-key", "gpg:priya@example.com"]));
    assert_eq!(set.trim(), format!("Release tags are signed with gpg:{fingerprint}."));
    let created = stdout(&run(&["tag", "create", "--product", "Atlas Web", "--release", "2.5.0", "--yes", "--sign"]));
    assert!(created.contains("Created signed tag v2.5.0"), "{created}");
    assert!(created.contains(&format!("Signing key: {fingerprint} (Priya Raman <priya@example.com>)")), "{created}");
    let text = stdout(&run(&["tag", "verify", "--product", "Atlas Web", "--release", "2.5.0"]));
    assert!(text.contains(&format!("v2.5.0: signed by Priya Raman <priya@example.com> (gpg {fingerprint})")), "{text}");
    let _ = Command::new("gpgconf").arg("--homedir").arg(&home).args(["--kill", "gpg-agent"]).status();
}

#[test]
fn a_release_sbom_is_written_to_a_file_or_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let repo = dir.path().join("repo");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../relman-core/tests/fixtures/vulnerable.sh");
    let status = Command::new("bash").arg(script).arg(&repo).env("GIT_CONFIG_GLOBAL", "/dev/null").status().unwrap();
    assert!(status.success(), "the fixture script runs");
    let sbom = ["sbom", "--product", "Atlas", "--release", "1.1.0"];

    stdout(&relman(&db, &["product", "add", "Bare"]));
    stdout(&relman(&db, &["release", "create", "--product", "Bare", "--version", "1.0.0"]));
    let unlinked = stderr(&relman(&db, &["sbom", "--product", "Bare", "--release", "1.0.0"]));
    assert!(unlinked.contains("Bare has no git repository linked"), "{unlinked}");
    stdout(&relman(&db, &["product", "add", "Atlas", "--repo", repo.to_str().unwrap()]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.1.0"]));
    let no_to = stderr(&relman(&db, &sbom));
    assert!(no_to.contains("relman release edit 1.1.0 --product \"Atlas\" --to REF"), "{no_to}");
    stdout(&relman(&db, &["release", "edit", "1.1.0", "--product", "Atlas", "--to", "main"]));

    let file = dir.path().join("atlas.cdx.json");
    let wrote = stdout(&relman(&db, &[&sbom[..], &["-o", file.to_str().unwrap()]].concat()));
    assert_eq!(wrote.trim(), format!("Wrote the SBOM of Atlas 1.1.0 to {}.", file.display()));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!((&written["bomFormat"], &written["specVersion"]), (&"CycloneDX".into(), &"1.5".into()));
    let purls: Vec<&str> =
        written["components"].as_array().unwrap().iter().map(|c| c["purl"].as_str().unwrap()).collect();
    assert_eq!(purls.len(), 6, "{purls:?}");
    assert!(purls.contains(&"pkg:npm/%40scope/util@2.0.0"), "{purls:?}");
    assert_eq!(written["metadata"]["component"]["name"], "Atlas");

    // `-o -` and no -o print the same document; only the timestamp may have moved on a second.
    let without_time = |mut v: Value| {
        v["metadata"]["timestamp"] = Value::Null;
        v
    };
    for printed in [stdout(&relman(&db, &[&sbom[..], &["-o", "-"]].concat())), stdout(&relman(&db, &sbom))] {
        let printed: Value = serde_json::from_str(&printed).expect("only the SBOM on stdout");
        assert_eq!(without_time(printed), without_time(written.clone()));
    }
    let unknown = stderr(&relman(&db, &["sbom", "--product", "Atlas", "--release", "9.9.9"]));
    assert!(unknown.contains("9.9.9"), "{unknown}");
}

#[test]
fn a_release_is_scanned_for_secrets_its_diff_adds_and_a_false_positive_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relman.db");
    let repo = dir.path().join("repo");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../relman-core/tests/fixtures/leaky.sh");
    let status = Command::new("bash").arg(script).arg(&repo).env("GIT_CONFIG_GLOBAL", "/dev/null").status().unwrap();
    assert!(status.success(), "the fixture script runs");
    stdout(&relman(&db, &["product", "add", "Atlas", "--repo", repo.to_str().unwrap()]));
    stdout(&relman(&db, &["release", "create", "--product", "Atlas", "--version", "1.1.0"]));
    // No advisory database is set: the secrets scan needs none.
    let scan = ["security", "scan", "--product", "Atlas", "--release", "1.1.0", "--secrets-only"];
    let secrets = ["AKIAQ7BX3ZLM2KVR4TWY", "q7Xk2LpZ9vRt4WmN8bYc3HsJ6dFg", "ghp_R7vK2mQ9xL4tB8nW3cZ6yH1jF5pD0sGaE2uV"];

    let text = stdout(&relman(&db, &scan));
    assert!(text.contains("Secrets: 4 commits read"), "{text}");
    assert!(text.contains("deploy/aws.env:2 at ") && text.contains(": AK…WY — aws-access-token"), "{text}");
    let report: Value = serde_json::from_str(&stdout(&relman(&db, &[&scan[..], &["--json"]].concat()))).unwrap();
    assert_eq!(report["dependencies"], Value::Null, "no dependency check with --secrets-only");
    let found = report["secrets"]["findings"].as_array().expect("the secrets report's findings");
    assert_eq!(
        found.iter().map(|f| (f["rule_id"].as_str().unwrap(), f["redacted"].as_str().unwrap())).collect::<Vec<_>>(),
        [("aws-access-token", "AK…WY"), ("high-entropy-string", "q7X…dFg")]
    );
    let json_text = report.to_string();
    for secret in secrets {
        assert!(!text.contains(secret) && !json_text.contains(secret), "{secret} is never printed whole");
    }

    // An unresolved secret fails the check only when asked; marking both (with reasons) clears it.
    stdout(&relman(&db, &scan));
    let blocked = stderr(&relman(&db, &[&scan[..], &["--fail-on-secrets"]].concat()));
    assert!(blocked.contains("adds 2 secret(s) nobody marked as a false positive"), "{blocked}");
    let dismiss = ["security", "dismiss", "--product", "Atlas", "--release", "1.1.0"];
    let seed = found[1]["key"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "relman security dismiss --product … --release … {}",
            found[0]["key"].as_str().unwrap()
        )),
        "{text}"
    );
    let refused = stderr(&relman(&db, &[&dismiss[..], &[seed, "--reason", " "]].concat()));
    assert!(refused.contains("Say why it is not a secret"), "{refused}");
    let unknown = stderr(&relman(&db, &[&dismiss[..], &["nope", "--reason", "fine"]].concat()));
    assert!(unknown.contains(seed), "the refusal lists the findings: {unknown}");
    let said = stdout(&relman(&db, &[&dismiss[..], &[seed, "--reason", "A fixed seed for the token tests"]].concat()));
    assert!(said.starts_with(&format!("Marked {seed} as a false positive for Atlas 1.1.0")), "{said}");
    let aws = found[0]["key"].as_str().unwrap();
    stdout(&relman(&db, &[&dismiss[..], &[aws, "--reason", "Revoked; a dead key"]].concat()));
    let clear = stdout(&relman(&db, &[&scan[..], &["--fail-on-secrets"]].concat()));
    assert!(clear.contains("(marked as a false positive)"), "{clear}");
}
