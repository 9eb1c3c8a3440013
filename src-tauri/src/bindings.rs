//! The TypeScript types of everything that crosses IPC, generated from the Rust types with ts-rs.
//! `ui/src/lib/generated/ipc.ts` holds the output; a test fails when it drifts from these types
//! (`RELMAN_UPDATE_BINDINGS=1 cargo test --test ipc bindings` rewrites it).

use relman_core::checklist::{items, signoff, template, Phase};
use relman_core::lifecycle::gates;
use relman_core::overview::{self, timeline};
use relman_core::risk::{self, exchange};
use relman_core::{
    audit, demo, deployment, export, freeze, git, milestone, notes, product, release, settings, share, version,
    ErrorCode,
};
use ts_rs::{Config, TS};

use crate::commands::notes::{NotesProgress, RangeInput};
use crate::commands::risks::{ImportPreview, SuggestionsProgress};
use crate::commands::tags::{KeyringStatus, PushEvent, TagState};
use crate::commands::AppInfo;
use crate::tasks::TaskKey;
use crate::IpcError;

macro_rules! declarations {
    ($cfg:expr, $($ty:ty),* $(,)?) => {
        vec![$(format!("export {}", <$ty as TS>::decl($cfg))),*]
    };
}

/// The whole generated file.
pub fn typescript_bindings() -> String {
    // Ids and counts fit in a JavaScript number.
    let cfg = Config::new().with_large_int("number");
    let decls = declarations!(
        &cfg,
        ErrorCode,
        IpcError,
        AppInfo,
        version::Versioning,
        product::Product,
        product::Repository,
        product::ProductInput,
        release::ReleaseStatus,
        release::Release,
        release::ReleaseInput,
        release::ReleaseFilter,
        overview::ReleaseDetail,
        release::Transition,
        milestone::MilestoneKind,
        milestone::Milestone,
        milestone::MilestoneInput,
        settings::Theme,
        settings::Settings,
        settings::SettingsInput,
        demo::DemoSummary,
        audit::AuditEvent,
        audit::AuditFilter,
        audit::AuditPage,
        audit::ChainReport,
        audit::ChainBreak,
        audit::BreakKind,
        audit::ExportReport,
        audit::Progress,
        export::ExportFile,
        risk::ExportFormat,
        deployment::LogFormat,
        template::FileFormat,
        git::Person,
        git::Bump,
        git::NextVersion,
        notes::Format,
        notes::NotesDocument,
        notes::NotesRange,
        notes::ShippedGroup,
        notes::Section,
        notes::Entry,
        notes::ManualNotes,
        notes::EntryOverride,
        notes::NotesParts,
        notes::ReleaseNotes,
        RangeInput,
        NotesProgress,
        SuggestionsProgress,
        TaskKey,
        share::ShareStatus,
        share::ShareInput,
        share::SyncReport,
        share::Change,
        share::SyncConflict,
        share::Candidate,
        share::audit::OriginReport,
        relman_core::change::ChangeType,
        relman_core::change::ChangeState,
        relman_core::change::ChangeRequest,
        relman_core::change::Approval,
        relman_core::change::ChangeInput,
        relman_core::change::MoveInput,
        relman_core::change::ChangePolicy,
        relman_core::change::RoleRule,
        relman_core::change::MaintenanceWindow,
        relman_core::overview::timeline::CalendarChange,
        relman_core::overview::timeline::TimelineIncident,
        relman_core::drafting::Drafted,
        relman_core::incident::Incident,
        relman_core::incident::IncidentInput,
        relman_core::incident::IncidentStatus,
        relman_core::incident::Severity,
        relman_core::metrics::Metrics,
        relman_core::metrics::Metric,
        relman_core::metrics::Band,
        relman_core::metrics::FrequencyClass,
        relman_core::retro::Retrospective,
        relman_core::retro::RetroFacts,
        relman_core::retro::RetroAction,
        relman_core::retro::ActionInput,
        relman_core::retro::Promotion,
        relman_core::retro::Feedback,
        relman_core::retro::FeedbackInput,
        relman_core::retro::Slip,
        relman_core::retro::StepTiming,
        relman_core::retro::TroubledStep,
        relman_core::retro::Override,
        relman_core::retro::RetroIncident,
        relman_core::retro::ActionKind,
        relman_core::retro::Sentiment,
        relman_core::change::CloseCode,
        relman_core::change::Plan,
        relman_core::change::ExportFormat,
        relman_core::change::ChangeConflict,
        relman_core::change::ConflictKind,
        risk::Category,
        risk::RiskStatus,
        risk::Band,
        risk::Risk,
        risk::RiskInput,
        risk::RiskPatch,
        risk::ReleaseScope,
        risk::RiskFilter,
        risk::RiskChange,
        risk::RiskSettings,
        risk::SuggestionRules,
        risk::SuggestionKind,
        risk::EvidenceCommit,
        risk::Suggestion,
        risk::ReleaseSuggestions,
        exchange::ColumnMapping,
        exchange::ImportAction,
        exchange::ImportRow,
        exchange::RowError,
        exchange::ImportPlan,
        exchange::ImportSummary,
        ImportPreview,
        relman_core::secrets::CredentialKey,
        relman_core::secrets::CredentialInfo,
        KeyringStatus,
        git::TagPlan,
        git::RemoteInfo,
        git::PushProgress,
        relman_core::tagging::ReleaseTag,
        relman_core::tagging::TagPreview,
        PushEvent,
        TagState,
        freeze::FreezeWindow,
        freeze::FreezeWindowInput,
        freeze::Conflict,
        timeline::TimelineFilter,
        timeline::Timeline,
        timeline::TimelineGroup,
        timeline::TimelineRow,
        Phase,
        items::ItemState,
        items::ChecklistItem,
        signoff::Decision,
        signoff::Signoff,
        signoff::SignoffInput,
        gates::GateResult,
        signoff::GoNoGo,
        items::ItemInput,
        deployment::Strategy,
        deployment::Outcome,
        deployment::Deployment,
        deployment::Action,
        overview::ChecklistView,
        template::TemplateSummary,
        template::Template,
        template::TemplateItem,
        template::Gate,
    );
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand:\n\
         // run `RELMAN_UPDATE_BINDINGS=1 cargo test --test ipc bindings` after changing a type.\n\n",
    );
    out.push_str(&decls.join("\n\n"));
    out.push('\n');
    out
}
