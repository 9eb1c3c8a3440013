//! The git side of sharing: a bare repository beside the database that holds the plan's commits,
//! the plan as a tree of JSON files, and the fetch and push of `refs/relman/plans/<name>`.
//!
//! Only Relman's own ref is fetched and pushed (never a branch or tag of the code), the push is never
//! forced (a remote that moved on refuses it, and the sync fetches and merges again), and credentials
//! are asked for only when the server asks, as for tag pushes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{ErrorCode as GitCode, FetchOptions, ObjectType, Oid, PushOptions, Repository, Signature};
use serde_json::Value;

use crate::git::{
    asker_callbacks, host_of, is_unreachable, proxy, Asker, Credential, CredentialKinds, Person, Refusal,
};
use crate::{Error, GitProblem, PushProblem, Result, Stamp};

/// Asks for a credential when the server wants one (url, username the URL names, kinds accepted).
pub type Credentials<'a> = &'a mut dyn FnMut(&str, Option<&str>, CredentialKinds) -> Credential;

/// The ref the plan lives under, on the remote and here.
pub fn plan_ref(name: &str) -> String {
    format!("refs/relman/plans/{name}")
}

fn fetched_ref(name: &str) -> String {
    format!("refs/relman/remote/{name}")
}

pub struct PlanRepo {
    git: Repository,
}

impl PlanRepo {
    /// The bare repository beside the database `db` (`relman.db` → `relman.db.plan.git`), made when missing.
    pub fn beside(db: &Path) -> Result<Self> {
        let path = Self::path_beside(db);
        let git = match Repository::open_bare(&path) {
            Ok(git) => git,
            Err(e) if e.code() == GitCode::NotFound => Repository::init_bare(&path).map_err(|e| {
                Error::Io(format!("Cannot make the sharing repository {}: {}.", path.display(), e.message()))
            })?,
            Err(e) => {
                return Err(Error::git(
                    GitProblem::Other,
                    format!("The sharing repository {} cannot be opened: {}.", path.display(), e.message()),
                ))
            }
        };
        Ok(PlanRepo { git })
    }

    /// Any bare repository holding a plan (a remote on this machine, to look into).
    pub fn open(path: &Path) -> Result<Self> {
        let git = Repository::open_bare(path).map_err(|e| {
            Error::git(
                GitProblem::NotARepository,
                format!("{} is not a bare git repository: {}.", path.display(), e.message()),
            )
        })?;
        Ok(PlanRepo { git })
    }

    pub fn path_beside(db: &Path) -> PathBuf {
        let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(".plan.git");
        db.with_file_name(name)
    }

    /// The tree of `commit`, for telling whether a new commit would change anything.
    pub fn tree_of(&self, commit: Oid) -> Result<Oid> {
        Ok(self.git.find_commit(commit).map_err(other)?.tree_id())
    }

    /// Every file of `tree` with its blob id, without reading a blob: what a sync compares.
    pub fn entries(&self, tree: Oid) -> Result<BTreeMap<String, Oid>> {
        let tree = self.git.find_tree(tree).map_err(other)?;
        let mut entries = BTreeMap::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Blob) {
                entries.insert(format!("{dir}{}", entry.name().unwrap_or_default()), entry.id());
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(other)?;
        Ok(entries)
    }

    /// The files that differ between two trees (an unchanged folder is skipped whole, by its id), each
    /// with its blob in `to`, or None where `to` has none.
    pub fn changed(&self, from: Option<Oid>, to: Oid) -> Result<BTreeMap<String, Option<Oid>>> {
        let from = from.map(|t| self.git.find_tree(t)).transpose().map_err(other)?;
        let to = self.git.find_tree(to).map_err(other)?;
        let diff = self.git.diff_tree_to_tree(from.as_ref(), Some(&to), None).map_err(other)?;
        let mut changed = BTreeMap::new();
        for delta in diff.deltas() {
            let (old, new) = (delta.old_file(), delta.new_file());
            let path = new.path().or(old.path()).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
            let blob = (delta.status() != git2::Delta::Deleted).then(|| new.id());
            changed.insert(path, blob);
        }
        Ok(changed)
    }

    /// The blob at `path` in `tree`, without walking the rest of it.
    pub fn blob_at(&self, tree: Oid, path: &str) -> Result<Option<Oid>> {
        let tree = self.git.find_tree(tree).map_err(other)?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) => Ok(Some(entry.id())),
            Err(e) if e.code() == GitCode::NotFound => Ok(None),
            Err(e) => Err(other(e)),
        }
    }

    /// One file of the plan, by its blob.
    pub fn read(&self, blob: Oid, path: &str) -> Result<Value> {
        let blob = self.git.find_blob(blob).map_err(other)?;
        serde_json::from_slice(blob.content()).map_err(|e| damaged(path, e))
    }

    /// `tree` (or an empty one) with `changes` made to it (a file's new contents, or None to remove
    /// it); only the folders on the changed paths are written again.
    pub fn update(&self, tree: Option<Oid>, changes: &BTreeMap<String, Option<Value>>) -> Result<Oid> {
        let baseline = match tree {
            Some(tree) => self.git.find_tree(tree).map_err(other)?,
            None => {
                let empty = self.git.treebuilder(None).and_then(|b| b.write()).map_err(other)?;
                self.git.find_tree(empty).map_err(other)?
            }
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, value) in changes {
            match value {
                Some(value) => {
                    let blob = self.git.blob(&file_bytes(value)?).map_err(other)?;
                    update.upsert(path.as_str(), blob, git2::FileMode::Blob);
                }
                None => {
                    update.remove(path.as_str());
                }
            }
        }
        update.create_updated(&self.git, &baseline).map_err(other)
    }

    /// Commits `tree` on `parents`, by the person syncing.
    pub fn commit(&self, tree: Oid, parents: &[Oid], stamp: &Stamp, message: &str) -> Result<Oid> {
        let tree = self.git.find_tree(tree).map_err(other)?;
        let parents: Vec<git2::Commit<'_>> =
            parents.iter().map(|p| self.git.find_commit(*p)).collect::<std::result::Result<_, _>>().map_err(other)?;
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let who = signature(stamp)?;
        self.git.commit(None, &who, &who, message, &tree, &parents).map_err(other)
    }

    /// Fetches the plan's ref from `url`; None when the remote has no plan yet.
    pub fn fetch(&self, url: &str, name: &str, credentials: Credentials<'_>) -> Result<Option<Oid>> {
        let asker = RefCell::new(Asker::new(credentials));
        let mut remote = self.git.remote_anonymous(url).map_err(|e| bad_url(url, e))?;
        let mut options = FetchOptions::new();
        options.remote_callbacks(asker_callbacks(&asker)).proxy_options(proxy());
        options.download_tags(git2::AutotagOption::None);
        let refspec = format!("+{}:{}", plan_ref(name), fetched_ref(name));
        // A remote without the ref is not an error: the plan is new there.
        let _ = self.git.find_reference(&fetched_ref(name)).map(|mut r| r.delete());
        remote
            .fetch(&[&refspec], Some(&mut options), None)
            .map_err(|e| failure(e, &asker, url, "fetch the plan from"))?;
        match self.git.find_reference(&fetched_ref(name)) {
            Ok(reference) => Ok(reference.target()),
            Err(e) if e.code() == GitCode::NotFound => Ok(None),
            Err(e) => Err(other(e)),
        }
    }

    /// Pushes `commit` as the plan's ref on `url`, never forced. False when the remote moved on since
    /// the fetch (someone else synced): fetch, merge and push again.
    pub fn push(&self, url: &str, name: &str, commit: Oid, credentials: Credentials<'_>) -> Result<bool> {
        let local = plan_ref(name);
        self.git.reference(&local, commit, true, "relman sync").map_err(other)?;
        let asker = RefCell::new(Asker::new(credentials));
        let refused: RefCell<Option<String>> = RefCell::new(None);
        let mut remote = self.git.remote_anonymous(url).map_err(|e| bad_url(url, e))?;
        let mut callbacks = asker_callbacks(&asker);
        callbacks.push_update_reference(|_, status| {
            if let Some(why) = status {
                *refused.borrow_mut() = Some(why.to_string());
            }
            Ok(())
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks).proxy_options(proxy());
        let pushed = remote.push(&[format!("{local}:{local}")], Some(&mut options));
        match pushed {
            Ok(()) => Ok(refused.borrow().is_none()),
            Err(e) if e.code() == GitCode::NotFastForward => Ok(false),
            Err(e) => Err(failure(e, &asker, url, "push the plan to")),
        }
    }

    /// Every object in the repository, for checking what a remote holds (tests, `relman share check`).
    pub fn objects(&self) -> Result<Vec<Vec<u8>>> {
        let odb = self.git.odb().map_err(other)?;
        let mut ids = Vec::new();
        odb.foreach(|id| {
            ids.push(*id);
            true
        })
        .map_err(other)?;
        ids.iter().map(|id| Ok(odb.read(*id).map_err(other)?.data().to_vec())).collect()
    }
}

/// A file as it is stored: pretty JSON with sorted keys and a final newline.
pub fn file_bytes(value: &Value) -> Result<Vec<u8>> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::Io(format!("A shared file cannot be written: {e}.")))?;
    Ok((text + "\n").into_bytes())
}

/// The blob id `value` would have, without writing it.
pub fn blob_id(value: &Value) -> Result<Oid> {
    Oid::hash_object(ObjectType::Blob, &file_bytes(value)?).map_err(other)
}

fn signature(stamp: &Stamp) -> Result<Signature<'static>> {
    // "Name <email>", as every actor is recorded; anything else is a name without an email.
    let person = Person::parse(&stamp.actor)
        .unwrap_or_else(|| Person { name: stamp.actor.trim().to_string(), email: String::new() });
    // git wants both; a person recorded without an email (an older setting) is still the author.
    let name = if person.name.is_empty() { "Relman" } else { &person.name };
    let email = if person.email.is_empty() { "unknown" } else { &person.email };
    let at = git2::Time::new(stamp.at.timestamp(), 0);
    Signature::new(name, email, &at).map_err(other)
}

fn other(e: git2::Error) -> Error {
    Error::git(GitProblem::Other, format!("The sharing repository failed: {}.", e.message()))
}

fn damaged(path: &str, e: serde_json::Error) -> Error {
    Error::Io(format!(
        "The shared plan's file {path} is not valid JSON ({e}); fix it in the remote (it is plain text), or ask whoever wrote it to sync again."
    ))
}

fn bad_url(url: &str, e: git2::Error) -> Error {
    Error::invalid_field("remote", format!("\"{url}\" is not a usable git URL ({}).", e.message()))
}

/// A failed fetch or push, as the problem a person can act on.
fn failure(e: git2::Error, asker: &RefCell<Asker<'_>>, url: &str, action: &str) -> Error {
    let host = host_of(url);
    let asker = asker.borrow();
    let detail = asker.scrub(e.message());
    let keep = "Everything stays saved here; sync again when it is fixed.";
    match &asker.refusal {
        Some(Refusal::Missing) => {
            return Error::push(
                PushProblem::AuthFailed,
                format!("{host} asks for a credential to {action} it, and none is stored: set one with `relman secret set --host {host}` or in Settings. {keep}"),
            )
        }
        Some(Refusal::Refused { .. }) | Some(Refusal::WrongKind { .. }) => {
            return Error::push(
                PushProblem::AuthFailed,
                format!("{host} refused the stored credential to {action} it. {keep}"),
            )
        }
        None => {}
    }
    if e.code() == GitCode::Auth {
        return Error::push(
            PushProblem::AuthFailed,
            format!("{host} refused to let this credential {action} it ({detail}). {keep}"),
        );
    }
    if is_unreachable(&e)
        || detail.contains("failed to resolve address")
        || (url.starts_with("file://") && e.class() == git2::ErrorClass::Os)
    {
        return Error::push(PushProblem::Offline, format!("Could not reach {host} to {action} it ({detail}). {keep}"));
    }
    Error::git(GitProblem::Other, format!("Could not {action} {host}: {detail}. {keep}"))
}
