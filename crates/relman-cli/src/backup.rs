//! `relman backup` and `relman restore`: a snapshot of the database while it is in use, the list of
//! snapshots beside it, checking one, and putting one back (after checking it, keeping the database as
//! it was).

use std::io::Write;
use std::path::{Path, PathBuf};

use relman_core::store::backup::{self, Reason};
use relman_core::store::Store;
use relman_core::{Error, Result};

use crate::output;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCommand>,
    /// Write the backup to this file [default: the backups folder beside the database]
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum BackupCommand {
    /// The snapshots beside the database, newest first (daily ones rotate; yours are kept)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check a backup without changing anything: integrity, schema, audit chain
    Check { file: PathBuf },
}

pub fn backup(args: BackupArgs, store: &Store, db: &Path, out: &mut dyn Write) -> Result<()> {
    let now = chrono::Utc::now();
    match args.command {
        Some(BackupCommand::List { json }) => {
            let list = backup::list(db)?;
            if json {
                return output::json(out, &list);
            }
            if list.is_empty() {
                return output::line(
                    out,
                    &format!("No snapshots in {} yet; `relman backup` takes one.", backup::folder_for(db).display()),
                );
            }
            for s in list {
                output::line(out, &format!("{}  {:<15} {:>9} KiB  {}", s.taken_at, s.kind, s.bytes / 1024, s.path))?;
            }
            Ok(())
        }
        Some(BackupCommand::Check { file }) => said(out, &backup::check(&file)?, "holds"),
        None => {
            let path = store.back_up(Reason::Manual, args.to.as_deref(), now)?;
            let checked = backup::check(&path)?;
            output::line(out, &format!("Backed up to {}.", path.display()))?;
            said(out, &checked, "holds")
        }
    }
}

fn said(out: &mut dyn Write, c: &backup::BackupCheck, verb: &str) -> Result<()> {
    output::line(
        out,
        &format!(
            "{} {verb} {} release{} and {} audit events (schema {}, chain intact{}).",
            c.path,
            c.releases,
            if c.releases == 1 { "" } else { "s" },
            c.audit_events,
            c.schema,
            c.audit_head.as_deref().map(|h| format!(", head {}…", &h[..12.min(h.len())])).unwrap_or_default()
        ),
    )
}

/// `relman restore FILE --yes`: checks the file, keeps the database as it was, puts the file in place.
pub fn restore(file: &Path, yes: bool, db: &Path, out: &mut dyn Write) -> Result<()> {
    let checked = backup::check(file)?;
    if !yes {
        said(out, &checked, "holds")?;
        return Err(Error::invalid(format!(
            "Restoring replaces {} with this backup (the database as it is now is kept as a snapshot first). Close Relman, then add --yes.",
            db.display()
        )));
    }
    let (checked, kept) = backup::restore(db, file, chrono::Utc::now())?;
    // Opening it brings an older backup's schema up to date.
    Store::open(db)?;
    if let Some(kept) = kept {
        output::line(out, &format!("Kept the database as it was in {}.", kept.display()))?;
    }
    said(out, &checked, "is restored: it holds")
}
