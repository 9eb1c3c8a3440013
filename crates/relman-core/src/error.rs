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
    /// Anything else libgit2 reports (a corrupt object, an I/O error).
    Other,
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
            Error::Git { kind: GitProblem::UnknownRef, .. } => ErrorCode::UnknownRef,
            Error::Git { kind: GitProblem::Other, .. } => ErrorCode::Git,
            Error::Template(_) => ErrorCode::Template,
            Error::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
        }
    }

    pub(crate) fn git(kind: GitProblem, message: impl Into<String>) -> Self {
        Error::Git { kind, message: message.into() }
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
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
