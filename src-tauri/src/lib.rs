//! Relman's desktop shell: opens the release database, exposes relman-core to the UI as IPC commands,
//! and nothing else. No SQL and no git here: each command converts its input, calls one core function
//! with a [`Stamp`](relman_core::Stamp) made from the clock and the user's name, and maps the error to
//! [`IpcError`] (`{ code, message, field }`).
//!
//! Long work runs as tokio tasks on the blocking pool, cancellable by key, with progress events
//! ([`tasks`]).
//!
//! [`builder`] takes any `tauri::Builder` so tests can pass `tauri::test::mock_builder()`.

mod bindings;
mod commands;
mod error;
mod state;
pub mod tasks;

pub use bindings::typescript_bindings;
pub use error::IpcError;
pub use state::AppState;

use tauri::{Builder, Runtime};

/// Registers the state and every command on `builder`.
pub fn builder<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::since_start,
            commands::load_sample_data,
            commands::list_products,
            commands::create_product,
            commands::update_product,
            commands::delete_product,
            commands::list_releases,
            commands::page_releases,
            commands::get_release,
            commands::create_release,
            commands::update_release,
            commands::transition_release,
            commands::pick_folder,
            commands::backup::back_up_now,
            commands::backup::list_backups,
            commands::backup::restore_backup,
            commands::backup::open_database,
            commands::delete_release,
            commands::create_milestone,
            commands::update_milestone,
            commands::delete_milestone,
            commands::get_settings,
            commands::update_settings,
            commands::notes::get_release_notes,
            commands::notes::render_release_notes,
            commands::notes::export_release_notes,
            commands::notes::save_notes_parts,
            commands::notes::set_notes_override,
            commands::risks::list_risks,
            commands::risks::page_risks,
            commands::risks::risk_summary,
            commands::risks::create_risk,
            commands::risks::update_risk,
            commands::risks::patch_risk,
            commands::risks::delete_risk,
            commands::risks::risk_history,
            commands::risks::get_risk_settings,
            commands::risks::save_risk_settings,
            commands::risks::export_risks,
            commands::risks::pick_risk_import,
            commands::risks::confirm_risk_import,
            commands::risks::cancel_risk_import,
            commands::risks::get_risk_suggestions,
            commands::risks::accept_risk_suggestion,
            commands::risks::dismiss_risk_suggestion,
            commands::risks::restore_risk_suggestion,
            commands::tags::keyring_status,
            commands::tags::list_credentials,
            commands::tags::save_credential,
            commands::tags::delete_credential,
            commands::tags::test_credential,
            commands::tags::get_release_tag,
            commands::tags::plan_tag,
            commands::tags::create_tag,
            commands::tags::push_tag,
            commands::timeline::get_timeline,
            commands::timeline::list_freeze_windows,
            commands::timeline::create_freeze_window,
            commands::timeline::update_freeze_window,
            commands::timeline::delete_freeze_window,
            commands::timeline::export_calendar,
            commands::checklist::get_checklist,
            commands::checklist::check_evidence,
            commands::after::export_dossier,
            commands::checklist::apply_template,
            commands::checklist::set_item_state,
            commands::checklist::sign_off,
            commands::checklist::add_checklist_item,
            commands::checklist::edit_checklist_item,
            commands::checklist::delete_checklist_item,
            commands::checklist::reorder_checklist_item,
            commands::checklist::record_go_no_go,
            commands::checklist::list_templates,
            commands::checklist::duplicate_template,
            commands::checklist::delete_template,
            commands::checklist::export_template,
            commands::checklist::import_template,
            commands::checklist::get_template,
            commands::checklist::save_template,
            commands::checklist::start_deployment,
            commands::checklist::deploy_act,
            commands::checklist::deploy_undo,
            commands::checklist::finish_deployment,
            commands::checklist::current_deployment,
            commands::checklist::export_deploy_log,
            commands::audit::list_audit,
            commands::audit::audit_status,
            commands::audit::verify_audit,
            commands::audit::audit_copies,
            commands::audit::export_audit,
            commands::cancel_task,
            commands::changes::list_changes,
            commands::changes::get_change,
            commands::changes::create_change,
            commands::changes::draft_change,
            commands::changes::update_change,
            commands::changes::get_change_policy,
            commands::changes::set_change_policy,
            commands::after::list_incidents,
            commands::after::create_incident,
            commands::after::set_incident_status,
            commands::after::create_hotfix,
            commands::after::get_incident_suspects,
            commands::after::set_incident_suspects,
            commands::after::get_metrics,
            commands::after::get_metrics_series,
            commands::after::get_status_report,
            commands::after::get_retro,
            commands::after::write_retro,
            commands::after::add_retro_action,
            commands::after::set_retro_action_done,
            commands::after::promote_retro_action,
            commands::after::add_feedback,
            commands::after::export_retro,
            commands::changes::write_change_plan,
            commands::changes::submit_change,
            commands::changes::decide_change,
            commands::changes::move_change,
            commands::changes::export_change,
            commands::security::get_security,
            commands::security::scan_secrets,
            commands::security::dismiss_secret_finding,
            commands::security::get_tag_signatures,
            commands::security::export_sbom,
            commands::security::get_signing_key,
            commands::security::set_signing_key,
            commands::security::scan_dependencies,
            commands::security::accept_security_finding,
            commands::security::get_advisory_folder,
            commands::security::set_advisory_folder,
            commands::security::update_advisories,
            commands::share::share_status,
            commands::share::init_share,
            commands::share::sync_plan,
            commands::share::list_conflicts,
            commands::share::resolve_conflict,
        ])
        .setup(|app| {
            // The audit chain is checked on every open, in the background once the first view is up;
            // the UI shows a warning when it does not hold (and asks for the result in case it finished
            // before the UI listened).
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(commands::backup::AFTER_START).await;
                let _ = commands::audit::verify_audit(handle, None).await;
            });
            commands::backup::schedule(app.handle().clone());
            Ok(())
        })
}

/// When the app started: what start-up is measured from (`since_start`).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
/// Milliseconds from the start to the event loop's first turn, when the window (built, visible, just
/// before `setup`) first appears, still blank.
pub static WINDOW_SHOWN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

/// Starts the app on the database named by `RELMAN_DB`, or the default one.
pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let state = AppState::open_default();
    match builder(tauri::Builder::default(), state).build(tauri::generate_context!()) {
        Ok(app) => app.run(|_, event| {
            if matches!(event, tauri::RunEvent::Ready) {
                WINDOW_SHOWN.get_or_init(commands::millis_since_start);
            }
        }),
        Err(error) => {
            eprintln!("Relman could not start: {error}");
            std::process::exit(1);
        }
    }
}
