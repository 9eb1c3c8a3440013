//! `relman report status`: where every release in flight stands, for people who do not use Relman;
//! `relman dossier`: one release's whole record, with the audit events it rests on.

use std::io::Write;

use relman_core::report::status::Format as ReportFormat;
use relman_core::store::Store;
use relman_core::{product, report, Result, Stamp};

use crate::output;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Html,
}

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Every release in flight, freeze windows ahead, what shipped lately: Markdown for a chat
    /// message, HTML for an e-mail
    Status {
        #[arg(long)]
        product: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

pub fn run(command: ReportCommand, store: &Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    let ReportCommand::Status { product, format, output: path } = command;
    let product_id = product.map(|p| product::find_by_name(store, &p)).transpose()?.map(|p| p.id);
    let found = report::status(store, product_id, stamp.today(), stamp.at)?;
    let text = found.render(if format == Format::Html { ReportFormat::Html } else { ReportFormat::Md })?;
    output::to_file_or_out(out, path.as_deref(), &text, "the status report")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DossierFormat {
    /// The record and its audit events with their chain hashes (what `dossier verify` checks)
    Json,
    /// One self-contained file to read and print: no scripts, nothing loaded
    Html,
}

/// One release's whole record for a CAB or an auditor, with the audit events it rests on; `verify`
/// checks one with no database
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DossierArgs {
    #[command(subcommand)]
    pub command: Option<DossierCommand>,
    #[arg(long)]
    product: Option<String>,
    #[arg(long)]
    release: Option<String>,
    #[arg(long, value_enum, default_value_t = DossierFormat::Json)]
    format: DossierFormat,
    /// Write to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum DossierCommand {
    /// Check a dossier offline: its events' hashes and links, and every fact against its event
    Verify {
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The population: every release tag in the product's repository, set against its releases —
    /// complete dossiers, incomplete ones and why, and tags never planned in Relman
    Audit {
        #[arg(long)]
        product: String,
        #[arg(long)]
        json: bool,
    },
}

/// `relman dossier audit --product P`: Markdown (or JSON) of the population check.
fn population(store: &Store, product: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let found = product::find_by_name(store, product)?;
    let population = relman_core::dossier::population::check(store, found.id)?;
    if json {
        return output::json(out, &population);
    }
    output::to_file_or_out(out, None, &relman_core::dossier::population::markdown(&population), "the population")
}

/// `relman dossier verify FILE`: needs no database.
pub fn verify(file: &std::path::Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| relman_core::Error::Io(format!("Cannot read {}: {e}.", file.display())))?;
    let report = relman_core::dossier::verify(&text)?;
    if json {
        output::json(out, &report)?;
    } else {
        let a = &report.audit;
        output::line(
            out,
            &format!("{} events: {} hashes and {} links checked.", a.events, a.hashes_checked, a.links_checked),
        )?;
        if let Some(broken) = &a.broken {
            output::line(out, &format!("The events do not verify: {}", broken.message))?;
        }
        output::line(
            out,
            &format!("{} facts checked against their events and the SBOM's document.", report.facts_checked),
        )?;
        for m in &report.mismatches {
            output::line(out, &format!("Does not hold: {m}"))?;
        }
    }
    if report.holds() {
        return Ok(());
    }
    Err(relman_core::Error::Conflict("The dossier does not verify; see above for what does not hold.".into()))
}

pub fn dossier(args: DossierArgs, store: &Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    if let Some(DossierCommand::Audit { product, json }) = &args.command {
        return population(store, product, *json, out);
    }
    let (Some(product), Some(version)) = (args.product.as_deref(), args.release.as_deref()) else {
        return Err(relman_core::Error::invalid_field(
            "release",
            "Name the release: relman dossier --product \"Atlas Web\" --release 2.4.0 (or `relman dossier verify FILE`).",
        ));
    };
    let id = relman_core::release::find_by_version(store, product, version)?.id;
    let file = match args.format {
        DossierFormat::Json => relman_core::dossier::export_json(store, stamp, id)?,
        DossierFormat::Html => relman_core::dossier::export_html(store, stamp, id)?,
    };
    output::to_file_or_out(out, args.output.as_deref(), &file.text, &format!("the dossier of {product} {version}"))
}
