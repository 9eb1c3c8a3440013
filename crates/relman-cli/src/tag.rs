//! `relman tag` and `relman secret`: tag a release (signed with an SSH key if asked), check the
//! signatures of its tag and the previous release's, push the tag; keep the push credential in the
//! OS keyring. A secret (a token, a key's passphrase) is read from standard input, a prompt that does
//! not echo, or for the passphrase [`PASSPHRASE_ENV`], never from an argument (arguments end up in
//! shell history and process lists).

use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use relman_core::secrets::{CredentialKey, KeyringStore, Secret, SecretStore, Vault};
use relman_core::security::signing::{self, ReleaseSignatures, TagSigner};
use relman_core::store::Store;
use relman_core::{release, settings, tagging, Error, Result, Stamp};

use crate::{io_error, output};

/// The variable a signing key's passphrase can come from, for scripts; on a terminal Relman asks.
pub const PASSPHRASE_ENV: &str = "RELMAN_KEY_PASSPHRASE";

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
        /// Sign it with your SSH key (git's ssh format) or gpg key: the key set with `relman tag
        /// signing-key`, else git's user.signingkey (an SSH key with gpg.format=ssh, else a gpg key),
        /// else ssh-agent's only key. A protected SSH key's passphrase comes from
        /// RELMAN_KEY_PASSPHRASE or a prompt, or the agent holds the key; gpg's agent asks for its own
        #[arg(long)]
        sign: bool,
        /// The key to sign with: a private key file, a .pub file whose key is in ssh-agent, or
        /// gpg:KEY (a fingerprint or email) for a gpg key
        #[arg(long, requires = "sign", value_name = "FILE|gpg:KEY")]
        key: Option<String>,
    },
    /// Check the signatures of the release's tag, of the previous release's tag and of the release
    /// tags in the range: SSH ones against the allowed signers file git's gpg.ssh.allowedSignersFile
    /// names, gpg ones with gpg and its keyring
    Verify {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        json: bool,
    },
    /// The key release tags are signed with on this machine (an SSH key file, or gpg:KEY): show
    /// it, set it, or --clear it
    SigningKey {
        #[arg(value_name = "FILE|gpg:KEY")]
        file: Option<String>,
        #[arg(long, conflicts_with = "file")]
        clear: bool,
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
        TagCommand::Create { release: version, product, target, yes, sign, key } => {
            let found = release::find_by_version(store, &product, &version)?;
            let os_user = relman_core::os_user_name();
            let preview = tagging::prepare(store, found.id, target, &os_user)?.plan()?;
            let plan = &preview.plan;
            // The key is read before asking, so a missing key or passphrase fails before the question.
            let signer = if sign { Some(signer(store, found.id, key.as_deref())?) } else { None };
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
            if let Some(signer) = &signer {
                output::line(out, &format!("Signing key: {}", describe_key(signer)))?;
            }
            if !yes && !confirm(out, &format!("Create tag {}?", plan.name))? {
                return Err(Error::invalid("Nothing was created. Run again with --yes to create it without asking."));
            }
            let (tag, signed) = match &signer {
                Some(signer) => (tagging::create_signed(store, stamp, found.id, plan, signer)?, "signed tag"),
                None => (tagging::create(store, stamp, found.id, plan)?, "tag"),
            };
            output::line(
                out,
                &format!("Created {signed} {} at {}. Push it with `relman tag push`.", tag.name, plan.target_short),
            )
        }
        TagCommand::Verify { release: version, product, json } => {
            let found = release::find_by_version(store, &product, &version)?;
            let checked = signing::prepare(store, found.id)?.run()?;
            if json {
                return output::json(out, &checked);
            }
            print_signatures(out, &checked)
        }
        TagCommand::SigningKey { file, clear } => {
            if clear || file.is_some() {
                signing::use_signing_key(store, stamp, file.as_deref())?;
            }
            match settings::signing_key(store)? {
                Some(key) => output::line(out, &format!("Release tags are signed with {key}.")),
                None => output::line(
                    out,
                    "No signing key is set: git's user.signingkey (an SSH key with gpg.format=ssh, else a gpg \
                     key) or ssh-agent's only key signs. Set one with `relman tag signing-key FILE` (or gpg:KEY).",
                ),
            }
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

/// The signer for the release's tag: the key's passphrase from [`PASSPHRASE_ENV`], else asked for on a
/// terminal when the key turns out to be protected and ssh-agent does not hold it.
fn signer(store: &Store, release_id: i64, key: Option<&str>) -> Result<TagSigner> {
    let agent = signing::agent_socket_from_env();
    let passphrase = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()).map(Secret::new);
    let job = || signing::prepare_signer(store, release_id, key);
    match job()?.load(passphrase.as_ref(), agent.as_deref()) {
        Err(e) if e.field() == Some("passphrase") && passphrase.is_none() && std::io::stdin().is_terminal() => {
            let typed = rpassword::prompt_password("Passphrase for the signing key: ")
                .map_err(|e| Error::Io(format!("Cannot read the passphrase: {e}.")))?;
            job()?.load(Some(&Secret::new(typed)), agent.as_deref())
        }
        loaded => loaded,
    }
}

/// "SHA256:… (priya@laptop) from ssh-agent", for the confirmation.
fn describe_key(signer: &TagSigner) -> String {
    let comment = Some(signer.comment()).filter(|c| !c.is_empty()).map(|c| format!(" ({c})")).unwrap_or_default();
    format!("{}{comment}", signer.fingerprint())
}

fn print_signatures(out: &mut dyn Write, checked: &ReleaseSignatures) -> Result<()> {
    match &checked.signature {
        Some(signature) => output::line(out, &format!("{}: {}", checked.tag, signature.summary))?,
        None => {
            output::line(out, &format!("{}: not in the clone yet (create it with `relman tag create`)", checked.tag))?
        }
    }
    match (&checked.previous_tag, &checked.previous) {
        (Some(tag), Some(signature)) => output::line(out, &format!("{tag} (previous release): {}", signature.summary))?,
        _ => output::line(out, "No previous release tag: the range does not start from one.")?,
    }
    for signature in &checked.in_range {
        output::line(out, &format!("{} (in the range): {}", signature.tag, signature.summary))?;
    }
    match &checked.allowed_signers {
        Some(file) => output::line(out, &format!("Keys checked against {file}.")),
        None => output::line(
            out,
            "No allowed signers file: set git's gpg.ssh.allowedSignersFile to say whose keys these are.",
        ),
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
