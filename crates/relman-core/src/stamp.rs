//! Who makes a change and when: passed into every write, never read from the environment deep inside.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// The acting user and the moment of a change. Adapters (CLI, app) build it from the clock and settings.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub actor: String,
    pub at: DateTime<Utc>,
}

impl Stamp {
    pub fn new(actor: impl Into<String>, at: DateTime<Utc>) -> Self {
        Self { actor: actor.into(), at }
    }

    /// The timestamp as stored: RFC 3339, UTC, whole seconds.
    pub fn at_text(&self) -> String {
        format_timestamp(self.at)
    }

    pub fn today(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

pub fn format_timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The OS user name, the default actor until the user sets another in settings. Asked of the OS
/// account database, not `$USER`, which services and CI runners often leave unset.
pub fn os_user_name() -> String {
    whoami::username().ok().filter(|name| !name.trim().is_empty()).unwrap_or_else(|| "unknown".to_string())
}
