use chrono::{TimeZone, Utc};
use relman_core::product::{self, ProductInput};
use relman_core::release::{self, Release, ReleaseInput};
use relman_core::store::Store;
use relman_core::Stamp;

pub fn stamp() -> Stamp {
    Stamp::new("priya", Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap())
}

pub struct Db {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

impl Db {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("relman.db")
    }

    pub fn reopen(self) -> Db {
        let path = self.path();
        drop(self.store);
        Db { store: Store::open(&path).expect("reopening the database"), dir: self.dir }
    }

    pub fn audit_count(&self) -> usize {
        self.store.audit_log(None).unwrap().len()
    }
}

pub fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("relman.db")).expect("a new database opens");
    Db { dir, store }
}

pub fn add_product(db: &mut Db, name: &str) -> i64 {
    let input = ProductInput { name: name.into(), ..Default::default() };
    product::create(&mut db.store, &stamp(), input).unwrap().id
}

pub fn add_release(db: &mut Db, product_id: i64, version: &str) -> Release {
    let input = ReleaseInput { product_id, version: version.into(), ..Default::default() };
    release::create(&mut db.store, &stamp(), input).unwrap()
}

/// Builds the fixture repository made by `tests/fixtures/<name>.sh` in a temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    fixture_with(name, &[])
}

/// [`fixture`] with environment variables for the script (`MANY_TAGS=1000`).
pub fn fixture_with(name: &str, envs: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.sh"));
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg(dir.path().join("repo"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .envs(envs.iter().copied())
        .output()
        .expect("bash runs the fixture script");
    assert!(output.status.success(), "{name}.sh failed: {}", String::from_utf8_lossy(&output.stderr));
    dir
}

/// Atlas 1.1.0 planned from the fixture repository `name` (built by [`fixture`]); the folder lives
/// as long as the returned directory.
pub fn release_on_fixture(db: &mut Db, name: &str) -> (i64, tempfile::TempDir) {
    let repo = fixture(name);
    let repository = product::Repository {
        path: repo.path().join("repo").display().to_string(),
        default_branch: "main".into(),
        tag_pattern: "v{version}".into(),
    };
    let input = ProductInput { name: "Atlas".into(), repository: Some(repository), ..Default::default() };
    let product = product::create(&mut db.store, &stamp(), input).unwrap();
    (add_release(db, product.id, "1.1.0").id, repo)
}

/// Gives the release one gate into deploying with only the security criteria asked, and moves it
/// to ready, one move from that gate.
pub fn ready_behind_security_gate(
    db: &mut Db,
    release: i64,
    vulnerable_at: Option<relman_core::security::Severity>,
    secrets_clear: bool,
) {
    use relman_core::checklist::{items, template};
    use relman_core::release::ReleaseStatus;
    let gate = template::Gate {
        name: "Clear to deploy".into(),
        into: ReleaseStatus::Deploying,
        phases_done: vec![],
        signoff_roles: vec![],
        risks_mitigated: false,
        change_approved: false,
        vulnerable_at,
        secrets_clear,
        tag_signed: false,
    };
    let template =
        template::Template { name: "Secure".into(), description: String::new(), items: vec![], gates: vec![gate] };
    items::apply(&mut db.store, &stamp(), release, &template).unwrap();
    for status in [ReleaseStatus::InProgress, ReleaseStatus::Frozen, ReleaseStatus::Testing, ReleaseStatus::Ready] {
        relman_core::lifecycle::transition(&mut db.store, &stamp(), release, status, "").unwrap();
    }
}
