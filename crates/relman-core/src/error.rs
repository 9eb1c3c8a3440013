//! The one error type of relman-core, and the small set of codes consumers branch on.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, in words a release manager can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(String),
    /// Bad input; `field` names the input field at fault so a form can show the message beside it.
    #[error("{message}")]
    InvalidInput { field: Option<&'static str>, message: String },
    #[error("{0}")]
    InvalidTransition(String),
    #[error("{0}")]
    Conflict(String),
    /// A status change refused by the release's gates; the message lists what fails.
    #[error("{0}")]
    GateBlocked(String),
    /// The file exists but cannot be used as a release database; it is left untouched.
    #[error("{0}")]
    Incompatible(String),
    /// A repository or ref problem; `kind` says which, for the UI to point at the right input.
    #[error("{message}")]
    Git { kind: GitProblem, message: String },
    /// A push that did not land on the remote; `kind` says why. The tag stays in the local clone.
    #[error("{message}")]
    Push { kind: PushProblem, message: String },
    #[error("The release database failed: {0}. Check that the file is writable and the disk is not full.")]
    Storage(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Template(String),
    /// The OS keyring cannot be used now (no Secret Service, locked, unlock cancelled). The message says
    /// what to start or unlock; the UI offers to keep the token for this session only instead.
    #[error("{0}")]
    KeyringUnavailable(String),
    /// The audit log's hash chain does not verify; the message names the first event that does not match.
    #[error("{0}")]
    Tampered(String),
    /// The user stopped a long piece of work; nothing was changed.
    #[error("{0}")]
    Cancelled(String),
}

/// What kind of repository problem an [`Error::Git`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitProblem {
    /// The path is missing, is not a git repository, or is a bare one.
    NotARepository,
    /// The repository has no commits yet.
    EmptyRepository,
    /// A ref or SHA does not resolve, or the range's ends do not fit together.
    UnknownRef,
    /// The tag to create already exists in the clone.
    TagExists,
    /// The commit to tag is not in the clone (a typo, or not fetched yet).
    TargetMissing,
    /// The person stopped a long walk.
    Cancelled,
    /// Anything else libgit2 reports (a corrupt object, an I/O error).
    Other,
}

/// Why a push did not land, as far as a release manager can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushProblem {
    /// The server refused the credential, or asked for one that is not stored.
    AuthFailed,
    /// The host could not be reached: offline, unknown host, or nothing listening.
    Offline,
    /// The remote refused the tag: it already has one by that name, or a hook said no.
    Rejected,
    /// The user cancelled before anything was sent.
    Cancelled,
}

/// The codes the UI and the CLI branch on. Messages are for people; codes are for code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    InvalidTransition,
    Conflict,
    GateBlocked,
    IncompatibleDatabase,
    Storage,
    NotARepository,
    EmptyRepository,
    UnknownRef,
    Git,
    /// A notes template failed to parse or render; the message names the line.
    Template,
    /// The OS keyring cannot be reached or is locked; Settings offers "this session only" instead.
    KeyringUnavailable,
    /// The git server refused the credential or none is stored; the UI offers to set one.
    AuthFailed,
    /// The git server could not be reached; the UI offers to push again later.
    Offline,
    /// The remote refused the pushed tag (it already has one by that name).
    PushRejected,
    /// The user cancelled the operation.
    Cancelled,
    /// The audit log was changed behind Relman's back.
    AuditTampered,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::InvalidTransition(_) => ErrorCode::InvalidTransition,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::GateBlocked(_) => ErrorCode::GateBlocked,
            Error::Incompatible(_) => ErrorCode::IncompatibleDatabase,
            Error::Storage(_) | Error::Io(_) => ErrorCode::Storage,
            Error::Git { kind: GitProblem::NotARepository, .. } => ErrorCode::NotARepository,
            Error::Git { kind: GitProblem::EmptyRepository, .. } => ErrorCode::EmptyRepository,
            Error::Git { kind: GitProblem::UnknownRef | GitProblem::TargetMissing, .. } => ErrorCode::UnknownRef,
            Error::Git { kind: GitProblem::TagExists, .. } => ErrorCode::Conflict,
            Error::Git { kind: GitProblem::Other, .. } => ErrorCode::Git,
            Error::Git { kind: GitProblem::Cancelled, .. } => ErrorCode::Cancelled,
            Error::Template(_) => ErrorCode::Template,
            Error::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            Error::Tampered(_) => ErrorCode::AuditTampered,
            Error::Cancelled(_) => ErrorCode::Cancelled,
            Error::Push { kind: PushProblem::AuthFailed, .. } => ErrorCode::AuthFailed,
            Error::Push { kind: PushProblem::Offline, .. } => ErrorCode::Offline,
            Error::Push { kind: PushProblem::Rejected, .. } => ErrorCode::PushRejected,
            Error::Push { kind: PushProblem::Cancelled, .. } => ErrorCode::Cancelled,
        }
    }

    pub(crate) fn git(kind: GitProblem, message: impl Into<String>) -> Self {
        Error::Git { kind, message: message.into() }
    }

    pub(crate) fn push(kind: PushProblem, message: impl Into<String>) -> Self {
        Error::Push { kind, message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput { field: None, message: message.into() }
    }

    pub fn invalid_field(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput { field: Some(field), message: message.into() }
    }

    /// The input field at fault, when the error is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::InvalidInput { field, .. } => *field,
            // The tag dialog's inputs: a taken tag name comes from the version, a missing commit from the target.
            Error::Git { kind: GitProblem::TagExists, .. } => Some("version"),
            Error::Git { kind: GitProblem::TargetMissing, .. } => Some("target"),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
