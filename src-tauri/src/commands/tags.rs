//! Credentials (Settings) and release tags (the release detail): the keyring's state in plain words,
//! credentials kept in the keyring or for this session only, and tag, preview, create, push with
//! progress and cancel. Values cross IPC only on their way in; nothing sends a secret back.

use relman_core::git::{PushProgress, RemoteInfo, TagPlan};
use relman_core::secrets::Secret;
use relman_core::secrets::{CredentialInfo, CredentialKey, SecretStore};
use relman_core::security::signing;
use relman_core::tagging::{self, ReleaseTag, TagPreview};
use relman_core::Error;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::tasks::{self, blocking, TaskKey};
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

/// Whether the OS keyring can be used now, and if not, why, in words.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeyringStatus {
    pub available: bool,
    pub message: Option<String>,
}

#[tauri::command]
pub async fn keyring_status<R: Runtime>(app: AppHandle<R>) -> Reply<KeyringStatus> {
    // Reaching the Secret Service goes over D-Bus; keep it off the UI thread.
    blocking(app, |state| {
        Ok(match state.secrets.keyring.check() {
            Ok(()) => KeyringStatus { available: true, message: None },
            Err(e) => KeyringStatus { available: false, message: Some(e.to_string()) },
        })
    })
    .await
}

/// The keyring's credentials as recorded, then this session's.
#[tauri::command]
pub fn list_credentials(state: State<'_, AppState>) -> Reply<Vec<CredentialInfo>> {
    state.read(|store| state.vault().list(store))
}

/// Adds or replaces a credential: in the keyring, or with `session_only` in memory until Relman quits.
/// Returns the key as stored (a pasted URL becomes its host), so the UI never echoes what was typed.
#[tauri::command]
pub async fn save_credential<R: Runtime>(
    app: AppHandle<R>,
    host: String,
    username: String,
    secret: String,
    session_only: bool,
) -> Reply<CredentialKey> {
    blocking(app, move |state| {
        // The store first, without the database lock: a keyring may wait on an unlock prompt.
        let stored = state.vault().put(&host, &username, &secret, session_only)?;
        state.write(|store, stamp| stored.record(store, stamp))
    })
    .await
}

#[tauri::command]
pub async fn delete_credential<R: Runtime>(
    app: AppHandle<R>,
    host: String,
    username: String,
    session_only: bool,
) -> Reply<()> {
    blocking(app, move |state| {
        let removed = state.vault().take_out(&host, &username, session_only)?;
        state.write(|store, stamp| removed.record(store, stamp))
    })
    .await
}

/// Connects to a remote on the credential's host for pushing, sending nothing.
#[tauri::command]
pub async fn test_credential<R: Runtime>(app: AppHandle<R>, host: String, username: String) -> Reply<String> {
    blocking(app, move |state| {
        let key = CredentialKey::new(&host, &username)?;
        let job = state.read(|store| tagging::prepare_check(store, &key))?;
        let stores: [&dyn SecretStore; 2] = [state.secrets.keyring.as_ref(), &state.secrets.session];
        Ok(job.run(&stores)?)
    })
    .await
}

/// The release's tag, if it has one, and the remotes it could go to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TagState {
    pub tag: Option<ReleaseTag>,
    pub remotes: Vec<RemoteInfo>,
}

#[tauri::command]
pub async fn get_release_tag<R: Runtime>(app: AppHandle<R>, release_id: i64) -> Reply<TagState> {
    blocking(app, move |state| {
        let (tag, clone) =
            state.read(|store| Ok((tagging::get(store, release_id)?, tagging::clone_of(store, release_id)?)))?;
        // The clone's remotes are read after the database lock is released; without a clone there are none.
        let remotes = clone.map(|path| tagging::remotes_of(&path)).transpose()?.unwrap_or_default();
        Ok(TagState { tag, remotes })
    })
    .await
}

/// Previews the release's tag; `create_tag` then makes exactly this one.
#[tauri::command]
pub async fn plan_tag<R: Runtime>(app: AppHandle<R>, release_id: i64, target: Option<String>) -> Reply<TagPreview> {
    blocking(app, move |state| {
        let os_user = state.os_user().to_string();
        let job = state.read(|store| tagging::prepare(store, release_id, target, &os_user))?;
        let preview = job.plan()?;
        state.set_pending_tag(Some((release_id, preview.plan.clone())))?;
        Ok(preview)
    })
    .await
}

/// Creates the previewed tag; `target_sha` is the commit the preview showed, so a newer preview made
/// meanwhile is not created by mistake. With `sign`, the tag is signed with the signing key set in
/// Settings (else git's, else ssh-agent's only key); `passphrase` opens a protected key file and is
/// never kept. A protected key without it fails with the field `passphrase`.
#[tauri::command]
pub async fn create_tag<R: Runtime>(
    app: AppHandle<R>,
    release_id: i64,
    target_sha: String,
    sign: bool,
    passphrase: Option<String>,
) -> Reply<ReleaseTag> {
    blocking(app, move |state| {
        let plan = pending_plan(state, release_id, &target_sha)?;
        let signer = if sign { Some(signer(state, release_id, passphrase)?) } else { None };
        let tag = state.write(|store, stamp| tagging::create_with(store, stamp, release_id, &plan, signer.as_ref()))?;
        state.set_pending_tag(None)?;
        Ok(tag)
    })
    .await
}

/// The previewed plan, if it is still the one the user saw (of `target_sha`).
fn pending_plan(state: &AppState, release_id: i64, target_sha: &str) -> Result<TagPlan, IpcError> {
    Ok(state
        .pending_tag(release_id)?
        .filter(|plan| plan.target_sha == target_sha)
        .ok_or_else(|| Error::Conflict("The preview changed; look at the tag again, then create it.".into()))?)
}

/// The release manager's signing key, opened outside the database lock: decrypting a key file
/// takes a moment. The passphrase is used once and dropped.
fn signer(state: &AppState, release_id: i64, passphrase: Option<String>) -> Result<signing::TagSigner, IpcError> {
    let job = state.read(|store| signing::prepare_signer(store, release_id, None))?;
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Secret::new);
    Ok(job.load(passphrase.as_ref(), signing::agent_socket_from_env().as_deref())?)
}

/// Progress of a running push, as the `push-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PushEvent {
    pub release_id: i64,
    pub current: usize,
    pub total: usize,
    pub bytes: usize,
}

impl PushEvent {
    fn of(release_id: i64, p: &PushProgress) -> Self {
        PushEvent { release_id, current: p.current, total: p.total, bytes: p.bytes }
    }
}

/// Pushes the release's tag; the outcome is recorded on the release either way. A failure comes back
/// as the error (auth_failed, offline, push_rejected, cancelled) after it is recorded. It runs as the
/// task `push` of the release: `push-progress` events, and `cancel_task` stops it before it sends.
#[tauri::command]
pub async fn push_tag<R: Runtime>(app: AppHandle<R>, release_id: i64, remote: Option<String>) -> Reply<ReleaseTag> {
    tasks::run(app, Some(TaskKey::Push { release_id }), move |state, task| {
        let mut progress = |p: PushProgress| task.progress("push-progress", PushEvent::of(release_id, &p));
        let job = state.read(|store| tagging::prepare_push(store, release_id, remote.as_deref()))?;
        let stores: [&dyn SecretStore; 2] = [state.secrets.keyring.as_ref(), &state.secrets.session];
        let attempt = job.attempt(&stores, &state.secrets.session.keys(), &mut progress);
        state.write(|store, stamp| attempt.record(store, stamp))
    })
    .await
}
