//! `relman tag` and `relman secret`: tag a release and push the tag; keep the push credential in the
//! OS keyring. A secret is read from standard input or a prompt that does not echo, never from an
//! argument (arguments end up in shell history and process lists).

use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use relman_core::secrets::{CredentialKey, KeyringStore, Secret, SecretStore, Vault};
use relman_core::store::Store;
use relman_core::{release, tagging, Error, Result, Stamp};

use crate::{io_error, output};

#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Create the release's annotated tag (shows the plan and asks first, unless --yes)
    Create {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        /// The commit to tag [default: the end of the release's range]
        #[arg(long)]
        target: Option<String>,
        /// Create it without asking
        #[arg(long)]
        yes: bool,
    },
    /// Push the release's tag to a remote [default: origin, or the only remote]
    Push {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        remote: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Store a token or password for a git host in the OS keyring (read from stdin or a prompt)
    Set {
        #[arg(long)]
        host: String,
        #[arg(long, default_value = "")]
        username: String,
    },
    /// Delete a host's credential from the keyring
    Delete {
        #[arg(long)]
        host: String,
        #[arg(long, default_value = "")]
        username: String,
    },
    /// List the hosts that have a credential (never the values)
    List,
}

pub fn tag(command: TagCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        TagCommand::Create { release: version, product, target, yes } => {
            let found = release::find_by_version(store, &product, &version)?;
            let os_user = relman_core::os_user_name();
            let preview = tagging::prepare(store, found.id, target, &os_user)?.plan()?;
            let plan = &preview.plan;
            output::line(
                out,
                &format!(
                    "Tag {} on {} \"{}\"\nTagger: {} <{}>\nMessage:\n{}",
                    plan.name,
                    plan.target_short,
                    plan.target_summary,
                    plan.tagger.name,
                    plan.tagger.email,
                    indent(&plan.message)
                ),
            )?;
            if !yes && !confirm(out, &format!("Create tag {}?", plan.name))? {
                return Err(Error::invalid("Nothing was created. Run again with --yes to create it without asking."));
            }
            let tag = tagging::create(store, stamp, found.id, plan)?;
            output::line(
                out,
                &format!("Created tag {} at {}. Push it with `relman tag push`.", tag.name, plan.target_short),
            )
        }
        TagCommand::Push { release: version, product, remote } => {
            let found = release::find_by_version(store, &product, &version)?;
            let job = tagging::prepare_push(store, found.id, remote.as_deref())?;
            let keyring = KeyringStore::new();
            let recorded = job.attempt(&[&keyring as &dyn SecretStore], &[], &mut |_| true).record(store, stamp)?;
            // As recorded: a remote given as a URL is shown without any password in it.
            let remote = recorded.pushed_remote.unwrap_or_default();
            output::line(out, &format!("Pushed tag {} to {remote}.", job.tag))
        }
    }
}

pub fn secret(command: SecretCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    let keyring = KeyringStore::new();
    // The command line has no session: credentials go to the keyring.
    let vault = Vault { keyring: &keyring, session: None };
    match command {
        SecretCommand::Set { host, username } => {
            let key = CredentialKey::new(&host, &username)?;
            let secret = read_secret(&format!("Token or password for {key}: "))?;
            let key = vault.put(&host, &username, secret.expose(), false)?.record(store, stamp)?;
            output::line(out, &format!("Stored the credential for {key} in the keyring."))
        }
        SecretCommand::Delete { host, username } => {
            let key = CredentialKey::new(&host, &username)?;
            vault.take_out(&host, &username, false)?.record(store, stamp)?;
            output::line(out, &format!("Deleted the credential for {key}."))
        }
        SecretCommand::List => {
            let listed = vault.list(store)?;
            if listed.is_empty() {
                return output::line(out, "No credentials stored. Add one with `relman secret set --host HOST`.");
            }
            for c in listed {
                let who = CredentialKey { host: c.host, username: c.username };
                output::line(out, &format!("{who}  (updated {})", c.updated_at))?;
            }
            Ok(())
        }
    }
}

/// The secret from a prompt without echo on a terminal, else the first line of standard input.
fn read_secret(prompt: &str) -> Result<Secret> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        rpassword::prompt_password(prompt).map_err(|e| Error::Io(format!("Cannot read the secret: {e}.")))?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| Error::Io(format!("Cannot read the secret from stdin: {e}.")))?;
        line
    };
    let secret = Secret::new(text.trim());
    if secret.is_empty() {
        return Err(Error::invalid_field("secret", "No secret was given; type it at the prompt or pipe it on stdin."));
    }
    Ok(secret)
}

/// Asks on the terminal; without one, the answer is no (scripts pass --yes).
fn confirm(out: &mut dyn Write, question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    write!(out, "{question} [y/N] ").map_err(io_error)?;
    out.flush().map_err(io_error)?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::Io(format!("Cannot read the answer: {e}.")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}
