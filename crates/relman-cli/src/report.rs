//! `relman report status`: where every release in flight stands, for people who do not use Relman.

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
    match path {
        Some(path) => {
            std::fs::write(&path, &text)
                .map_err(|e| relman_core::Error::Io(format!("Cannot write {}: {e}.", path.display())))?;
            output::line(out, &format!("Wrote the status report to {}.", path.display()))
        }
        None => out.write_all(text.as_bytes()).map_err(crate::io_error),
    }
}
