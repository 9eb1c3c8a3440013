//! Who makes a change and when: passed into every write, never read from the environment deep inside.

use chrono::{DateTime, Local, NaiveDate, SecondsFormat, Utc};

/// The acting user and the moment of a change. Adapters (CLI, app) build it from the clock and settings.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub actor: String,
    /// When, in UTC: what timestamps record.
    pub at: DateTime<Utc>,
    /// The user's calendar day at that moment: what dates (released on, today's line) use.
    pub day: NaiveDate,
}

impl Stamp {
    /// A stamp whose day is the UTC date of `at` (tests, and places with no local calendar).
    pub fn new(actor: impl Into<String>, at: DateTime<Utc>) -> Self {
        Self { actor: actor.into(), at, day: at.date_naive() }
    }

    /// Now, for `actor`, on the local calendar's day: what the CLI and the app use.
    pub fn now(actor: impl Into<String>) -> Self {
        let local = Local::now();
        Self { actor: actor.into(), at: local.with_timezone(&Utc), day: local.date_naive() }
    }

    /// The timestamp as stored: RFC 3339, UTC, whole seconds.
    pub fn at_text(&self) -> String {
        format_timestamp(self.at)
    }

    pub fn today(&self) -> NaiveDate {
        self.day
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
