//! User settings kept in the release database: who "I" am in the audit log, the theme, and how dates
//! are shown.

use crate::store::Cached;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::{audit, AuditRecord, Store};
use crate::{Error, Result, Stamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the operating system's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse_stored(text: &str) -> Self {
        [Theme::Light, Theme::Dark].into_iter().find(|t| t.as_str() == text).unwrap_or_default()
    }
}

/// How the app shows and reads numeric dates. Stored dates are always `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 2026-12-22 everywhere.
    #[default]
    Iso,
    /// The order and separators of the user's locale: 12/22/2026, 22.12.2026.
    Locale,
}

impl DateFormat {
    fn as_str(self) -> &'static str {
        match self {
            DateFormat::Iso => "iso",
            DateFormat::Locale => "locale",
        }
    }

    fn parse_stored(text: &str) -> Self {
        if text == "locale" {
            DateFormat::Locale
        } else {
            DateFormat::Iso
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Settings {
    /// The name recorded on every change: the one set here, else the OS user name.
    pub user_name: String,
    /// The OS user name, shown as the default.
    pub os_user_name: String,
    /// The email on tags Relman creates, with `user_name` as the tagger's name.
    pub email: String,
    pub theme: Theme,
    pub date_format: DateFormat,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SettingsInput {
    /// Empty means "use the OS user name".
    pub user_name: String,
    /// Empty until set; tagging asks for it.
    #[serde(default)]
    pub email: String,
    pub theme: Theme,
    #[serde(default)]
    #[ts(optional)]
    pub date_format: Option<DateFormat>,
}

const USER_NAME: &str = "user_name";
const THEME: &str = "theme";
const EMAIL: &str = "email";
const DATE_FORMAT: &str = "date_format";

/// The settings, with `os_user` as the default user name.
pub fn get(store: &Store, os_user: &str) -> Result<Settings> {
    let value = |key: &str| value(store.conn(), key);
    Ok(Settings {
        user_name: value(USER_NAME)?.unwrap_or_else(|| os_user.to_string()),
        os_user_name: os_user.to_string(),
        email: value(EMAIL)?.unwrap_or_default(),
        theme: value(THEME)?.map(|t| Theme::parse_stored(&t)).unwrap_or_default(),
        date_format: value(DATE_FORMAT)?.map(|t| DateFormat::parse_stored(&t)).unwrap_or_default(),
    })
}

pub fn update(store: &mut Store, stamp: &Stamp, input: SettingsInput, os_user: &str) -> Result<Settings> {
    let user_name = input.user_name.trim().to_string();
    if user_name.chars().count() > 80 || user_name.chars().any(char::is_control) {
        return Err(Error::invalid_field("user_name", "Use a plain name under 80 characters."));
    }
    let email = input.email.trim().to_string();
    let plausible = email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && !host.is_empty());
    if !email.is_empty()
        && (!plausible || email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>".contains(c)))
    {
        return Err(Error::invalid_field(
            "email",
            "Enter an email address such as priya@example.com, as git records it.",
        ));
    }
    store.write(|tx| {
        put(tx, EMAIL, Some(&email))?;
        put(tx, USER_NAME, Some(user_name.as_str()).filter(|n| !n.is_empty()))?;
        put(tx, THEME, Some(input.theme.as_str()))?;
        if let Some(format) = input.date_format {
            put(tx, DATE_FORMAT, Some(format.as_str()))?;
        }
        let details = serde_json::json!({
            "user_name": user_name, "email": email, "theme": input.theme, "date_format": input.date_format
        });
        audit::record(tx, stamp, AuditRecord::new("settings", 0, "update", details))
    })?;
    get(store, os_user)
}

const ADVISORY_FOLDER: &str = "advisory_folder";

/// The local folder of the OSV advisory database the security checks read, if one is set. A path on
/// this machine: it stays in this database (settings never travel with a shared plan).
pub fn advisory_folder(store: &Store) -> Result<Option<String>> {
    value(store.conn(), ADVISORY_FOLDER)
}

/// Sets the advisory folder (an absolute path to an existing folder), or clears it with None.
pub fn set_advisory_folder(store: &mut Store, stamp: &Stamp, folder: Option<&std::path::Path>) -> Result<()> {
    let folder = match folder {
        None => None,
        Some(path) => {
            let path = std::path::absolute(path).map_err(|e| Error::invalid_field("advisories", e.to_string()))?;
            if !path.is_dir() {
                return Err(Error::invalid_field(
                    "advisories",
                    format!("{} is not a folder; clone an advisory database there first.", path.display()),
                ));
            }
            Some(path.display().to_string())
        }
    };
    store.write(|tx| {
        put(tx, ADVISORY_FOLDER, folder.as_deref())?;
        let details = serde_json::json!({ "advisory_folder": folder });
        audit::record(tx, stamp, AuditRecord::new("settings", 0, "update", details))
    })
}

const SIGNING_KEY: &str = "signing_key";

/// The key release tags are signed with, if one is set: a private SSH key file, a public key file
/// whose private half is in ssh-agent, or `gpg:KEY` for a gpg secret key. A path on this machine,
/// like the advisory folder; never a passphrase (that is asked for, or left to ssh-agent or gpg's
/// agent). Unset, git's `user.signingkey` applies.
pub fn signing_key(store: &Store) -> Result<Option<String>> {
    value(store.conn(), SIGNING_KEY)
}

/// How a signing key names a gpg key rather than an SSH key file: `gpg:priya@example.com`.
pub const GPG_KEY_PREFIX: &str = "gpg:";

/// Sets the signing key, or clears it with None: an existing file (stored as an absolute path), or
/// `gpg:KEY` as it is given. The adapters go through
/// [`signing::use_signing_key`](crate::security::signing::use_signing_key), which first asks gpg
/// for the key and stores its fingerprint.
pub fn set_signing_key(store: &mut Store, stamp: &Stamp, key: Option<&str>) -> Result<()> {
    let key = match key.map(str::trim) {
        None => None,
        Some(gpg) if gpg.starts_with(GPG_KEY_PREFIX) => Some(gpg.to_string()),
        Some(path) => {
            let path = std::path::absolute(path).map_err(|e| Error::invalid_field("signing_key", e.to_string()))?;
            if !path.is_file() {
                return Err(Error::invalid_field(
                    "signing_key",
                    format!(
                        "{} is not a file; choose your SSH key (made by ssh-keygen), or its .pub file, or write \
                         gpg:KEY for a gpg key.",
                        path.display()
                    ),
                ));
            }
            Some(path.display().to_string())
        }
    };
    store.write(|tx| {
        put(tx, SIGNING_KEY, key.as_deref())?;
        let details = serde_json::json!({ "signing_key": key });
        audit::record(tx, stamp, AuditRecord::new("settings", 0, "update", details))
    })
}

fn value(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row_cached("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Sets a setting, or removes it with None (its default applies again).
fn put(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => conn.execute_cached(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?,
        None => conn.execute_cached("DELETE FROM setting WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// The variable that names who acts, for one command or one app session: `"Name <email>"`.
pub const USER_ENV: &str = "RELMAN_USER";

/// Who a change is recorded as: `chosen` (from `--as` or [`USER_ENV`]) when given, else the name and
/// email set in Settings, else git's `user.name` and `user.email`, else the OS user name. Written as
/// `Name <email>` when there is an email, as git writes people.
pub fn acting_person(store: &Store, os_user: &str, chosen: Option<&str>) -> Result<String> {
    if let Some(chosen) = chosen.map(str::trim).filter(|c| !c.is_empty()) {
        return parse_person(chosen);
    }
    let settings = get(store, os_user)?;
    let named = settings.user_name != os_user || !settings.email.is_empty();
    let (name, email) = match (named, git_identity()) {
        (false, Some((name, email))) => (name, email),
        _ => (settings.user_name, settings.email),
    };
    Ok(if email.is_empty() { name } else { format!("{name} <{email}>") })
}

/// `Name <email>`, checked: what `--as` and `RELMAN_USER` take.
pub fn parse_person(text: &str) -> Result<String> {
    let wrong = || {
        Error::invalid_field(
            "as",
            format!(
                "\"{text}\" does not name a person as Relman records them; write \"Name <email>\", for example \"Priya Raman <priya@example.com>\" (with --as or {USER_ENV})."
            ),
        )
    };
    let (name, rest) = text.trim().split_once('<').ok_or_else(wrong)?;
    let email = rest.strip_suffix('>').ok_or_else(wrong)?.trim();
    let name = name.trim();
    let plausible = email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && !host.is_empty());
    if name.is_empty()
        || !plausible
        || name.chars().count() > 80
        || format!("{name}{email}").chars().any(|c| c.is_control() || "<>".contains(c))
        || email.contains(char::is_whitespace)
    {
        return Err(wrong());
    }
    Ok(format!("{name} <{email}>"))
}

/// git's own `user.name` and `user.email` (global and system configuration), when both are set.
fn git_identity() -> Option<(String, String)> {
    let config = git2::Config::open_default().ok()?;
    let name = config.get_string("user.name").ok().filter(|n| !n.trim().is_empty())?;
    let email = config.get_string("user.email").ok().filter(|e| !e.trim().is_empty())?;
    Some((name.trim().to_string(), email.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_a_name_and_an_email() {
        assert_eq!(parse_person("  Tom Becker <tom@example.com> ").unwrap(), "Tom Becker <tom@example.com>");
        for wrong in ["Tom", "tom@example.com", "<tom@example.com>", "Tom <tom>", "Tom <tom@example.com", "Tom <a b@c>"]
        {
            let error = parse_person(wrong).unwrap_err().to_string();
            assert!(error.contains("Name <email>"), "{wrong}: {error}");
        }
    }
}
