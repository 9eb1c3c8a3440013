//! After the release: incidents (record, list, move, hotfix) and the delivery metrics. Each command
//! calls one core function; the metrics read git on the blocking pool after the database lock is let go.

use relman_core::incident::{self, Incident, IncidentInput, IncidentStatus};
use relman_core::metrics::{self, Metrics};
use relman_core::release::Release;
use tauri::{AppHandle, Runtime, State};

use crate::tasks::blocking;
use crate::{AppState, IpcError};

type Reply<T> = Result<T, IpcError>;

#[tauri::command]
pub fn list_incidents(
    state: State<'_, AppState>,
    product_id: Option<i64>,
    release_id: Option<i64>,
) -> Reply<Vec<Incident>> {
    state.read(|store| incident::list(store, product_id, release_id))
}

#[tauri::command]
pub fn create_incident(state: State<'_, AppState>, input: IncidentInput) -> Reply<Incident> {
    state.write(|store, stamp| incident::create(store, stamp, input))
}

/// Marks an incident mitigated or resolved at `at` (now when None), or open again.
#[tauri::command]
pub fn set_incident_status(
    state: State<'_, AppState>,
    id: i64,
    status: IncidentStatus,
    at: Option<String>,
) -> Reply<Incident> {
    state.write(|store, stamp| incident::set_status(store, stamp, id, status, at.as_deref()))
}

/// Opens the hotfix release of an incident's release, marked as rework.
#[tauri::command]
pub fn create_hotfix(state: State<'_, AppState>, id: i64) -> Reply<(Incident, Release)> {
    state.write(|store, stamp| incident::hotfix(store, stamp, id))
}

/// The five delivery metrics over `from..=to` (YYYY-MM-DD; the last 90 days when None).
#[tauri::command]
pub async fn get_metrics<R: Runtime>(
    app: AppHandle<R>,
    product_id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
) -> Reply<Metrics> {
    blocking(app, move |state| {
        let today = state.today();
        let job =
            state.read(|store| metrics::prepare_period(store, product_id, from.as_deref(), to.as_deref(), today))?;
        job.run().map_err(IpcError::from)
    })
    .await
}
