//! Signed release tags on the sample data's repository, with keys made by `ssh-keygen` and checked by
//! OpenSSH and git themselves as well as by Relman: a key file, a passphrase-protected key, and
//! ssh-agent (when the machine has it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use relman_core::secrets::Secret;
use relman_core::security::signing::{self, SignatureState, SignerTrust, TagSigner};
use relman_core::settings::{self, SettingsInput, Theme};
use relman_core::{demo, release, tagging, ErrorCode};

use crate::common::{db, stamp, Db};

struct Sample {
    db: Db,
    id: i64,
    clone: PathBuf,
    keys: tempfile::TempDir,
}

/// Atlas 2.5.0 of the sample, with a tagger's email, and a folder for keys.
fn sample() -> Sample {
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
    let clone = db.dir.path().join("sample-repositories/atlas-web");
    Sample { db, id, clone, keys: tempfile::tempdir().unwrap() }
}

/// A new Ed25519 key `name` (and `name.pub`) made by ssh-keygen, protected by `passphrase` if not empty.
fn keygen(dir: &Path, name: &str, passphrase: &str) -> PathBuf {
    let key = dir.join(name);
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-C", &format!("{name}@laptop"), "-N", passphrase, "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen runs");
    assert!(made.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&made.stderr));
    key
}

/// `SHA256:…` as `ssh-keygen -l` prints it for the key.
fn openssh_fingerprint(key: &Path) -> String {
    let listed = Command::new("ssh-keygen").arg("-lf").arg(key.with_extension("pub")).output().unwrap();
    String::from_utf8_lossy(&listed.stdout).split_whitespace().nth(1).unwrap().to_string()
}

/// An allowed-signers file naming `principal` for the key.
fn allowed_signers(dir: &Path, principal: &str, key: &Path) -> PathBuf {
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let file = dir.join(format!("allowed_signers_{principal}"));
    std::fs::write(&file, format!("{principal} {public}")).unwrap();
    file
}

fn git(clone: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .arg("-C")
        .arg(clone)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
}

/// Tags 2.5.0 signed by `signer`, as planned from the release.
fn tag_signed(sample: &mut Sample, signer: &TagSigner) -> relman_core::tagging::ReleaseTag {
    let plan = tagging::prepare(&sample.db.store, sample.id, None, "priya").unwrap().plan().unwrap().plan;
    tagging::create_signed(&mut sample.db.store, &stamp(), sample.id, &plan, signer).unwrap()
}

/// The tag object's text split at its signature: (what was signed, the armored signature).
fn payload_and_signature(clone: &Path, tag: &str) -> (String, String) {
    let raw = String::from_utf8(git(clone, &["cat-file", "tag", tag]).stdout).unwrap();
    let at = raw.find("-----BEGIN SSH SIGNATURE-----").expect("the tag carries an SSH signature");
    (raw[..at].to_string(), raw[at..].to_string())
}

/// `ssh-keygen -Y verify`'s verdict on the tag's signature for `principal`.
fn openssh_verifies(clone: &Path, tag: &str, allowed: &Path, principal: &str) -> bool {
    let (payload, signature) = payload_and_signature(clone, tag);
    let dir = tempfile::tempdir().unwrap();
    let sig = dir.path().join("tag.sig");
    std::fs::write(&sig, signature).unwrap();
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "git", "-I", principal, "-f"])
        .arg(allowed)
        .arg("-s")
        .arg(&sig)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), payload.as_bytes()).unwrap();
    child.wait().unwrap().success()
}

fn git_verifies(clone: &Path, tag: &str, allowed: &Path) -> bool {
    let allowed = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    git(clone, &["-c", "gpg.format=ssh", "-c", &allowed, "tag", "-v", tag]).status.success()
}

#[test]
fn a_tag_signed_with_a_key_file_verifies_in_openssh_git_and_relman() {
    let mut sample = sample();
    let key = keygen(sample.keys.path(), "priya", "");
    let signer = TagSigner::from_key_file(&key, None, None).unwrap();
    assert_eq!(signer.fingerprint(), openssh_fingerprint(&key), "the fingerprint is the one ssh-keygen shows");
    let tag = tag_signed(&mut sample, &signer);
    assert_eq!(tag.name, "v2.5.0");

    let allowed = allowed_signers(sample.keys.path(), "priya@example.com", &key);
    assert!(
        openssh_verifies(&sample.clone, "v2.5.0", &allowed, "priya@example.com"),
        "ssh-keygen -Y verify accepts it"
    );
    assert!(git_verifies(&sample.clone, "v2.5.0", &allowed), "git tag -v with gpg.format=ssh accepts it");
    let object = git(&sample.clone, &["rev-parse", "v2.5.0"]);
    assert_eq!(String::from_utf8_lossy(&object.stdout).trim(), tag.tag_sha, "the recorded object is the tag's");
    // What was signed is the object libgit2 itself writes for the same tag, unsigned.
    let (payload, _) = payload_and_signature(&sample.clone, "v2.5.0");
    let raw = git2::Repository::open(&sample.clone).unwrap();
    let (tagger, message) = {
        let signed = raw.find_tag(git2::Oid::from_str(&tag.tag_sha).unwrap()).unwrap();
        let who = signed.tagger().unwrap();
        let who = git2::Signature::new(who.name().unwrap(), who.email().unwrap(), &who.when()).unwrap();
        (who, payload.split_once("\n\n").unwrap().1.to_string())
    };
    let target = raw.revparse_single(&tag.target_sha).unwrap();
    let plain = raw.tag("v2.5.0-plain", &target, &tagger, &message, false).unwrap();
    let odb = raw.odb().unwrap();
    let plain = odb.read(plain).unwrap();
    assert_eq!(
        String::from_utf8_lossy(plain.data()).replace("tag v2.5.0-plain\n", "tag v2.5.0\n"),
        payload,
        "the signed text is a tag object exactly as libgit2 writes one"
    );
    let fsck = git(&sample.clone, &["fsck", "--strict", "--no-dangling"]);
    assert!(fsck.status.success(), "git finds the tag object well formed: {}", String::from_utf8_lossy(&fsck.stderr));

    // Relman's own check, through the release view, with the file git's configuration names.
    let config = format!("{}", allowed.display());
    assert!(git(&sample.clone, &["config", "gpg.ssh.allowedSignersFile", &config]).status.success());
    let view = signing::prepare(&sample.db.store, sample.id).unwrap().run().unwrap();
    let signed = view.signature.expect("the release's tag is in the clone");
    assert_eq!(signed.state, SignatureState::Signed { trust: SignerTrust::Allowed });
    assert_eq!(signed.principal.as_deref(), Some("priya@example.com"));
    assert_eq!(signed.fingerprint, Some(openssh_fingerprint(&key)));
    assert_eq!(signed.key_type.as_deref(), Some("ssh-ed25519"));
    assert_eq!(signed.summary, format!("signed by priya@example.com ({})", openssh_fingerprint(&key)));
    assert_eq!(view.allowed_signers.as_deref(), Some(config.as_str()));
    let previous = view.previous.expect("2.5.0's range starts from the previous release's tag");
    assert_eq!(Some(previous.tag.as_str()), view.previous_tag.as_deref());
    assert_eq!(
        previous.state,
        SignatureState::Unsigned,
        "the sample's older tags are not signed: {}",
        previous.summary
    );

    let events = sample.db.store.audit_log(None).unwrap();
    let event = events.iter().find(|e| e.action == "tag").expect("the tag is audited");
    assert!(event.details.contains(&openssh_fingerprint(&key)), "the audit names the key: {}", event.details);
}

#[test]
fn trust_comes_from_the_allowed_signers_file_and_a_changed_tag_is_bad() {
    let mut sample = sample();
    let key = keygen(sample.keys.path(), "priya", "");
    let stranger = keygen(sample.keys.path(), "stranger", "");
    tag_signed(&mut sample, &TagSigner::from_key_file(&stranger, None, None).unwrap());
    let repo = relman_core::git::Repo::open(&sample.clone).unwrap();

    let unlisted = signing::verify_tag(&repo, "v2.5.0", None).unwrap();
    assert_eq!(unlisted.state, SignatureState::Signed { trust: SignerTrust::NoAllowedSigners });
    let team = signing::AllowedSigners::read(&allowed_signers(sample.keys.path(), "priya@example.com", &key)).unwrap();
    let not_ours = signing::verify_tag(&repo, "v2.5.0", Some(&team)).unwrap();
    assert_eq!(not_ours.state, SignatureState::Signed { trust: SignerTrust::NotAllowed });
    assert_eq!(not_ours.principal, None);
    assert_eq!(
        not_ours.summary,
        format!("signed by a key not in the allowed signers ({})", openssh_fingerprint(&stranger)),
        "a good signature by an unknown key is shown as such, with its fingerprint"
    );

    // The message changed and the object rewritten behind the signature's back.
    let (payload, signature) = payload_and_signature(&sample.clone, "v2.5.0");
    let forged = format!("{}{signature}", payload.replacen("Atlas Web 2.5.0", "Atlas Web 2.5.0 (hotfixed)", 1));
    let written =
        git2::Repository::open(&sample.clone).unwrap().odb().unwrap().write(git2::ObjectType::Tag, forged.as_bytes());
    git2::Repository::open(&sample.clone)
        .unwrap()
        .reference("refs/tags/v2.5.0", written.unwrap(), true, "tamper")
        .unwrap();
    let tampered = signing::verify_tag(&repo, "v2.5.0", Some(&team)).unwrap();
    assert!(matches!(tampered.state, SignatureState::Bad { .. }), "a changed tag is bad: {:?}", tampered.state);
    assert!(tampered.summary.starts_with("bad signature"), "{}", tampered.summary);
    assert!(!git_verifies(&sample.clone, "v2.5.0", &allowed_signers(sample.keys.path(), "s", &stranger)), "git agrees");

    assert!(git(
        &sample.clone,
        &["-c", "user.name=Tom", "-c", "user.email=tom@example.com", "tag", "-a", "annotated", "-m", "Not signed"]
    )
    .status
    .success());
    assert!(git(&sample.clone, &["tag", "light"]).status.success());
    for unsigned in ["annotated", "light"] {
        let checked = signing::verify_tag(&repo, unsigned, Some(&team)).unwrap();
        assert_eq!(checked.state, SignatureState::Unsigned, "{unsigned}: {}", checked.summary);
        assert_eq!(checked.fingerprint, None);
    }
    let missing = signing::verify_tag(&repo, "v9.9.9", None).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[test]
fn a_protected_key_needs_its_passphrase_or_the_agent() {
    let mut sample = sample();
    let key = keygen(sample.keys.path(), "priya", "correct horse");
    let refused = TagSigner::from_key_file(&key, None, None).unwrap_err();
    assert_eq!((refused.code(), refused.field()), (ErrorCode::InvalidInput, Some("passphrase")));
    let said = refused.to_string();
    assert!(said.contains("ssh-add") && said.contains("RELMAN_KEY_PASSPHRASE"), "says what to do: {said}");
    let wrong = TagSigner::from_key_file(&key, Some(&Secret::new("battery staple")), None).unwrap_err();
    assert!(wrong.to_string().contains("passphrase") && wrong.to_string().contains("wrong"), "{wrong}");
    assert!(!format!("{wrong} {refused}").contains("correct horse"));

    let signer = TagSigner::from_key_file(&key, Some(&Secret::new("correct horse")), None).unwrap();
    assert!(!format!("{signer:?}").contains("PRIVATE"), "a signer never prints its key: {signer:?}");
    tag_signed(&mut sample, &signer);
    let allowed = allowed_signers(sample.keys.path(), "priya@example.com", &key);
    assert!(openssh_verifies(&sample.clone, "v2.5.0", &allowed, "priya@example.com"));
    assert!(git_verifies(&sample.clone, "v2.5.0", &allowed));
}

#[test]
fn the_key_is_the_settings_one_else_gits_user_signingkey() {
    let mut sample = sample();
    let ours = keygen(sample.keys.path(), "priya", "");
    let gits = keygen(sample.keys.path(), "git", "");
    let none = signing::prepare_signer(&sample.db.store, sample.id, None).unwrap().load(None, None).unwrap_err();
    assert!(none.to_string().contains("No signing key is set"), "{none}");

    let key_path = gits.display().to_string();
    git(&sample.clone, &["config", "user.signingkey", &key_path]);
    let openpgp = signing::prepare_signer(&sample.db.store, sample.id, None).unwrap().load(None, None);
    assert!(openpgp.is_err(), "user.signingkey names a gpg key unless gpg.format is ssh");
    git(&sample.clone, &["config", "gpg.format", "ssh"]);
    let from_git = signing::prepare_signer(&sample.db.store, sample.id, None).unwrap().load(None, None).unwrap();
    assert_eq!(from_git.fingerprint(), openssh_fingerprint(&gits));

    settings::set_signing_key(&mut sample.db.store, &stamp(), ours.to_str()).unwrap();
    assert_eq!(settings::signing_key(&sample.db.store).unwrap(), Some(ours.display().to_string()));
    let from_settings = signing::prepare_signer(&sample.db.store, sample.id, None).unwrap().load(None, None).unwrap();
    assert_eq!(from_settings.fingerprint(), openssh_fingerprint(&ours), "Settings come before git's default");
    let given =
        signing::prepare_signer(&sample.db.store, sample.id, Some(&key_path)).unwrap().load(None, None).unwrap();
    assert_eq!(given.fingerprint(), openssh_fingerprint(&gits), "a key given for this tag comes first");

    let not_a_file =
        settings::set_signing_key(&mut sample.db.store, &stamp(), sample.keys.path().to_str()).unwrap_err();
    assert_eq!(not_a_file.field(), Some("signing_key"));
    settings::set_signing_key(&mut sample.db.store, &stamp(), None).unwrap();
    assert_eq!(settings::signing_key(&sample.db.store).unwrap(), None);
}

/// An ssh-agent on a socket in a temporary folder, stopped when dropped.
struct Agent {
    child: std::process::Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Agent {
    /// None when the machine has no ssh-agent.
    fn start() -> Option<Agent> {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("agent.sock");
        let child = Command::new("ssh-agent").arg("-D").arg("-a").arg(&socket).stdout(Stdio::null()).spawn().ok()?;
        let agent = Agent { child, socket, _dir: dir };
        for _ in 0..200 {
            if agent.socket.exists() {
                return Some(agent);
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("ssh-agent did not open its socket");
    }

    fn add(&self, key: &Path) {
        let added =
            Command::new("ssh-add").arg(key).env("SSH_AUTH_SOCK", &self.socket).stdin(Stdio::null()).output().unwrap();
        assert!(added.status.success(), "ssh-add: {}", String::from_utf8_lossy(&added.stderr));
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_key_in_ssh_agent_signs_without_leaving_it() {
    let Some(agent) = Agent::start() else {
        eprintln!("skipped: no ssh-agent on this machine");
        return;
    };
    let mut sample = sample();
    let key = keygen(sample.keys.path(), "priya", "");
    let other = keygen(sample.keys.path(), "other", "");
    let protected = keygen(sample.keys.path(), "protected", "correct horse");
    let empty = TagSigner::load(None, None, Some(&agent.socket)).unwrap_err();
    assert!(empty.to_string().contains("holds no key"), "{empty}");

    agent.add(&key);
    let signer = TagSigner::load(None, None, Some(&agent.socket)).unwrap();
    assert_eq!(signer.fingerprint(), openssh_fingerprint(&key), "the agent's only key");
    tag_signed(&mut sample, &signer);
    let allowed = allowed_signers(sample.keys.path(), "priya@example.com", &key);
    assert!(openssh_verifies(&sample.clone, "v2.5.0", &allowed, "priya@example.com"));
    assert!(git_verifies(&sample.clone, "v2.5.0", &allowed));

    agent.add(&other);
    let two = TagSigner::load(None, None, Some(&agent.socket)).unwrap_err();
    assert!(two.to_string().contains("holds 2 keys"), "with two keys, one must be chosen: {two}");
    let public = other.with_extension("pub").display().to_string();
    let chosen = TagSigner::load(Some(&public), None, Some(&agent.socket)).unwrap();
    assert_eq!(chosen.fingerprint(), openssh_fingerprint(&other), "a .pub file picks the agent's key");

    // ssh-add asks for the passphrase on a terminal; SSH_ASKPASS answers it here.
    let askpass = sample.keys.path().join("askpass.sh");
    std::fs::write(&askpass, "#!/bin/sh\necho 'correct horse'\n").unwrap();
    Command::new("chmod").arg("755").arg(&askpass).status().unwrap();
    let added = Command::new("ssh-add")
        .arg(&protected)
        .env("SSH_AUTH_SOCK", &agent.socket)
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(added.status.success(), "ssh-add: {}", String::from_utf8_lossy(&added.stderr));
    let unlocked = TagSigner::from_key_file(&protected, None, Some(&agent.socket)).unwrap();
    assert_eq!(
        unlocked.fingerprint(),
        openssh_fingerprint(&protected),
        "a protected key the agent holds needs no passphrase"
    );
    let armored = unlocked.sign_payload(b"payload").unwrap();
    assert!(armored.starts_with("-----BEGIN SSH SIGNATURE-----"));
}

/// The built-in deploy gate's tag criterion on the sample's 2.5.0, as a release manager meets it.
fn tag_criterion(sample: &Sample) -> relman_core::lifecycle::gates::Criterion {
    use relman_core::lifecycle::gates;
    use relman_core::release::ReleaseStatus;
    let judged =
        gates::evaluate_for(&sample.db.store, sample.id, ReleaseStatus::Deploying, chrono::Utc::now()).unwrap();
    let clear = judged.iter().find(|g| g.name == "Clear to deploy").expect("the built-in deploy gate");
    clear.criteria.iter().find(|c| c.what == "Release tag signed by an allowed signer").cloned().expect("it asks")
}

#[test]
fn the_deploy_gate_wants_the_tag_signed_by_a_key_the_allowed_signers_list() {
    let mut sample = sample();
    let failure = tag_criterion(&sample).failure;
    assert!(failure.starts_with("its tag v2.5.0 is not in the clone: create it signed"), "{failure}");

    let key = keygen(sample.keys.path(), "priya", "");
    tag_signed(&mut sample, &TagSigner::from_key_file(&key, None, None).unwrap());
    let failure = tag_criterion(&sample).failure;
    assert_eq!(
        failure,
        format!(
            "nothing says whose key signed v2.5.0 ({}): point git's gpg.ssh.allowedSignersFile at the team's allowed-signers file in the clone",
            openssh_fingerprint(&key)
        )
    );

    let stranger = keygen(sample.keys.path(), "stranger", "");
    let others = allowed_signers(sample.keys.path(), "sam@example.com", &stranger);
    assert!(git(&sample.clone, &["config", "gpg.ssh.allowedSignersFile", &others.display().to_string()])
        .status
        .success());
    let failure = tag_criterion(&sample).failure;
    assert!(
        failure.starts_with("its tag v2.5.0 is signed by a key the repository's allowed signers do not list"),
        "{failure}"
    );

    let team = allowed_signers(sample.keys.path(), "priya@example.com", &key);
    assert!(git(&sample.clone, &["config", "gpg.ssh.allowedSignersFile", &team.display().to_string()])
        .status
        .success());
    let passed = tag_criterion(&sample);
    assert!(passed.passed, "{}", passed.failure);

    // A file the configuration names and that is gone: the gate says so rather than passing.
    std::fs::remove_file(&team).unwrap();
    let failure = tag_criterion(&sample).failure;
    assert!(failure.starts_with("cannot check the release's tag ("), "{failure}");
}

#[test]
fn the_release_tags_on_the_range_are_checked_too() {
    let mut sample = sample();
    let key = keygen(sample.keys.path(), "priya", "");
    let signer = TagSigner::from_key_file(&key, None, None).unwrap();
    let planned = tagging::prepare(&sample.db.store, sample.id, None, "priya").unwrap().plan().unwrap().plan;
    tag_signed(&mut sample, &signer);
    // Two release candidates inside 2.5.0's range: one unsigned as git makes it, one signed by Relman's key.
    let tom = ["-c", "user.name=Tom", "-c", "user.email=tom@example.com"];
    assert!(git(&sample.clone, &[&tom[..], &["tag", "-a", "v2.5.0-rc.1", "-m", "RC 1", "v2.5.0~2"]].concat())
        .status
        .success());
    let repo = relman_core::git::Repo::open(&sample.clone).unwrap();
    let target = repo.resolve("v2.5.0~1").unwrap().to_string();
    let plan = relman_core::git::TagPlan { name: "v2.5.0-rc.2".into(), target_sha: target, ..planned };
    signing::create_signed_tag(&repo, &plan, chrono::Utc::now(), &signer).unwrap();

    let view = signing::prepare(&sample.db.store, sample.id).unwrap().run().unwrap();
    let checked: Vec<(&str, &SignatureState)> = view.in_range.iter().map(|t| (t.tag.as_str(), &t.state)).collect();
    assert_eq!(
        checked,
        [
            ("v2.5.0-rc.1", &SignatureState::Unsigned),
            ("v2.5.0-rc.2", &SignatureState::Signed { trust: SignerTrust::NoAllowedSigners })
        ],
        "oldest first, neither the release's own tag nor the previous release's"
    );
}

/// A throwaway gpg home with one key (no passphrase) made by gpg itself, and a `gpg` wrapper that
/// uses it, for git's `gpg.program`. The agent it starts is stopped when it is dropped.
struct GpgHome {
    dir: tempfile::TempDir,
    wrapper: PathBuf,
    fingerprint: String,
}

impl GpgHome {
    fn new(user_id: &str) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
        let wrapper = dir.path().join("gpg");
        std::fs::write(&wrapper, format!("#!/bin/sh\nexec gpg --homedir '{}' \"$@\"\n", home.display())).unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut made = GpgHome { dir, wrapper, fingerprint: String::new() };
        made.gpg(&["--batch", "--passphrase", "", "--quick-gen-key", user_id, "ed25519", "sign", "never"], b"");
        let listed = made.gpg(&["--batch", "--with-colons", "--list-secret-keys"], b"");
        let fpr = listed.lines().find_map(|l| l.strip_prefix("fpr:")).expect("a fingerprint");
        made.fingerprint = fpr.trim_matches(':').to_string();
        made
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Runs this home's gpg and returns its stdout; it must succeed.
    fn gpg(&self, args: &[&str], input: &[u8]) -> String {
        let mut child = Command::new(&self.wrapper)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gpg runs");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input).unwrap();
        let done = child.wait_with_output().unwrap();
        assert!(done.status.success(), "gpg {args:?}: {}", String::from_utf8_lossy(&done.stderr));
        String::from_utf8_lossy(&done.stdout).into_owned()
    }
}

impl Drop for GpgHome {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf").arg("--homedir").arg(self.home()).args(["--kill", "gpg-agent"]).status();
    }
}

#[test]
fn a_gpg_key_signs_and_the_keyring_says_whose_it_is() {
    let mut sample = sample();
    let priya = GpgHome::new("Priya Raman <priya@example.com>");
    let wrapper = priya.wrapper.display().to_string();
    // As git would: user.signingkey with no gpg.format names a gpg key, and gpg.program is the gpg.
    for (name, value) in [("gpg.program", wrapper.as_str()), ("user.signingkey", "priya@example.com")] {
        assert!(git(&sample.clone, &["config", name, value]).status.success());
    }
    let signer = signing::prepare_signer(&sample.db.store, sample.id, None).unwrap().load(None, None).unwrap();
    assert_eq!(signer.fingerprint(), priya.fingerprint, "the key gpg holds for that email");
    assert_eq!(signer.comment(), "Priya Raman <priya@example.com>");
    let planned = tagging::prepare(&sample.db.store, sample.id, None, "priya").unwrap().plan().unwrap().plan;
    let tag = tag_signed(&mut sample, &signer);
    assert_eq!(tag.name, "v2.5.0");
    let raw = String::from_utf8(git(&sample.clone, &["cat-file", "tag", "v2.5.0"]).stdout).unwrap();
    assert!(raw.contains("\n-----BEGIN PGP SIGNATURE-----\n"), "{raw}");
    assert!(git(&sample.clone, &["tag", "-v", "v2.5.0"]).status.success(), "git's own tag -v agrees");

    let view = signing::prepare(&sample.db.store, sample.id).unwrap().run().unwrap();
    let own = view.signature.expect("the tag is there");
    assert_eq!(own.state, SignatureState::Signed { trust: SignerTrust::Allowed }, "{}", own.summary);
    assert_eq!(own.summary, format!("signed by Priya Raman <priya@example.com> (gpg {})", priya.fingerprint));
    assert_eq!(own.key_type.as_deref(), Some("openpgp"));
    let passed = tag_criterion(&sample);
    assert!(passed.passed, "a key of the keyring's own passes the gate: {}", passed.failure);

    // A release candidate in the range signed by Sam, whose key Priya's keyring does not have yet.
    let sam = GpgHome::new("Sam Ops <sam@example.com>");
    let sams = TagSigner::from_gpg(signing::Gpg::named(&sam.wrapper), "sam@example.com").unwrap();
    let repo = relman_core::git::Repo::open(&sample.clone).unwrap();
    let target = repo.resolve("v2.5.0~1").unwrap().to_string();
    let plan = relman_core::git::TagPlan { name: "v2.5.0-rc.1".into(), target_sha: target, ..planned };
    signing::create_signed_tag(&repo, &plan, chrono::Utc::now(), &sams).unwrap();
    let rc = || signing::prepare(&sample.db.store, sample.id).unwrap().run().unwrap().in_range.remove(0);
    let unknown = rc();
    assert_eq!(unknown.state, SignatureState::Unchecked { format: "openpgp".into() });
    assert!(
        unknown.summary.contains("is not in your gpg keyring; import the signer's public key"),
        "{}",
        unknown.summary
    );

    let public = sam.gpg(&["--armor", "--export", "sam@example.com"], b"");
    priya.gpg(&["--batch", "--import"], public.as_bytes());
    let imported = rc();
    assert_eq!(imported.state, SignatureState::Signed { trust: SignerTrust::NotAllowed });
    assert!(
        imported.summary.contains("a gpg key your keyring does not hold as valid")
            && imported.summary.contains(&format!("gpg --lsign-key {}", sam.fingerprint)),
        "{}",
        imported.summary
    );
    priya.gpg(&["--batch", "--yes", "--quick-lsign-key", &sam.fingerprint], b"");
    let certified = rc();
    assert_eq!(certified.state, SignatureState::Signed { trust: SignerTrust::Allowed }, "{}", certified.summary);
    assert!(certified.summary.starts_with("signed by Sam Ops <sam@example.com>"), "{}", certified.summary);

    // The same signature over a changed message: gpg's BADSIG.
    let changed = raw.replacen("Atlas Web", "Atlas Evil", 1);
    assert_ne!(changed, raw, "the message names the product");
    let mut writer = Command::new("git")
        .args(["-C", &sample.clone.display().to_string(), "hash-object", "-t", "tag", "-w", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut writer.stdin.take().unwrap(), changed.as_bytes()).unwrap();
    let oid = String::from_utf8(writer.wait_with_output().unwrap().stdout).unwrap();
    assert!(git(&sample.clone, &["update-ref", "refs/tags/v2.5.0-forged", oid.trim()]).status.success());
    let forged = signing::verify_tag(&repo, "v2.5.0-forged", None).unwrap();
    assert!(matches!(forged.state, SignatureState::Bad { .. }), "{forged:?}");

    // gpg.program names a gpg that is not there: not checked, and the gate says how to mend it.
    assert!(git(&sample.clone, &["config", "gpg.program", "/nonexistent/gpg"]).status.success());
    let failure = tag_criterion(&sample).failure;
    assert!(
        failure.starts_with("its tag v2.5.0 is signed with openpgp, not checked: /nonexistent/gpg cannot be run")
            && failure.contains("install GnuPG"),
        "{failure}"
    );
}

#[test]
fn settings_take_a_gpg_key_by_its_fingerprint() {
    let mut sample = sample();
    let priya = GpgHome::new("Priya Raman <priya@example.com>");
    // Settings are per machine, so they ask the user's own gpg; this test's process is its own.
    std::env::set_var("GNUPGHOME", priya.home());
    signing::use_signing_key(&mut sample.db.store, &stamp(), Some("gpg:priya@example.com")).unwrap();
    let stored = settings::signing_key(&sample.db.store).unwrap();
    assert_eq!(stored, Some(format!("gpg:{}", priya.fingerprint)), "stored as the one key it names");
    let nobody = signing::use_signing_key(&mut sample.db.store, &stamp(), Some("gpg:nobody@example.com")).unwrap_err();
    assert_eq!(nobody.field(), Some("signing_key"));
    assert!(nobody.to_string().contains("gpg has no secret key \"nobody@example.com\""), "{nobody}");
    assert_eq!(settings::signing_key(&sample.db.store).unwrap(), stored, "a refused key changes nothing");
    let empty = signing::use_signing_key(&mut sample.db.store, &stamp(), Some("gpg:")).unwrap_err();
    assert!(empty.to_string().contains("names no key"), "{empty}");
}
