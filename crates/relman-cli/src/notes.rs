//! `relman notes` and `relman version next`: release notes and the next version from a git range,
//! straight from a repository (no database) or for a stored release.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use relman_core::git::{CommitRange, RangeOptions, Repo, TagIndex, TagPattern};
use relman_core::notes::{self, Format, ManualNotes, NotesMeta, DEFAULT_SECTIONS};
use relman_core::release;
use relman_core::store::Store;
use relman_core::version::Versioning;
use relman_core::{Error, Result};

use crate::{io_error, output, progress};

#[derive(Debug, Args)]
pub struct RangeArgs {
    /// A local git repository; works without any database
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Start after this ref [default: the previous release tag]
    #[arg(long, value_name = "REF")]
    pub from: Option<String>,
    /// End at this ref [default: HEAD, or the release's branch]
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,
    /// How release tags are named (with --repo)
    #[arg(long, default_value = "v{version}")]
    pub tag_pattern: String,
    /// Only commits touching this path (repeatable), for monorepos
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<String>,
    #[arg(long)]
    pub include_merges: bool,
    #[arg(long)]
    pub first_parent: bool,
    /// List the changes that already shipped on `from`'s branch (backports), marked, instead of leaving them out
    #[arg(long)]
    pub show_shipped: bool,
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    #[command(flatten)]
    pub range: RangeArgs,
    /// A stored release's version (with --product): uses its range and the edits saved for it
    #[arg(long, requires = "product", conflicts_with = "repo")]
    pub release: Option<String>,
    #[arg(long, requires = "release")]
    pub product: Option<String>,
    /// md, html, txt or json
    #[arg(long, default_value = "md")]
    pub format: String,
    /// A minijinja template to use instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// The version the notes are for [default: the suggested next version]
    #[arg(long)]
    pub version: Option<String>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What a range is read from: the repository, its release tags and the walk options.
struct Source {
    repo: Repo,
    tags: TagIndex,
    options: RangeOptions,
}

impl Source {
    fn walk(&self) -> Result<CommitRange> {
        progress::walk(|control| self.repo.walk_with(&self.options, Some(&self.tags), control))
    }
}

/// `version`, when known and final, makes the default range skip pre-release tags.
fn range_options(args: &RangeArgs, version: Option<&str>) -> RangeOptions {
    RangeOptions {
        from: args.from.clone(),
        to: args.to.clone(),
        include_merges: args.include_merges,
        first_parent: args.first_parent,
        paths: args.paths.clone(),
        final_release: version.is_some_and(|v| !v.contains('-')),
        show_shipped: args.show_shipped,
    }
}

fn source(args: &RangeArgs, version: Option<&str>) -> Result<Source> {
    let path = args.repo.clone().ok_or_else(|| Error::InvalidInput {
        field: None,
        message: "Say where the commits come from: --repo PATH, or --release VERSION --product NAME.".into(),
    })?;
    let pattern = TagPattern::new(&args.tag_pattern, Versioning::Semver)?;
    let repo = Repo::open(&path)?;
    Ok(Source { tags: repo.tag_index(&pattern)?, repo, options: range_options(args, version) })
}

pub fn notes(args: NotesArgs, store: Option<&Store>, today: &str, out: &mut dyn Write) -> Result<()> {
    let format = Format::parse(&args.format)?;
    let template = args
        .template
        .as_ref()
        .map(|path| {
            std::fs::read_to_string(path)
                .map_err(|e| Error::Io(format!("Cannot read the template {}: {e}.", path.display())))
        })
        .transpose()?;
    let (doc, walked, product_template) = match (store, &args.release, &args.product) {
        (Some(store), Some(version), Some(product)) => {
            let found = release::find_by_version(store, product, version)?;
            let job = notes::prepare(store, found.id, range_options(&args.range, None), Some(format))?;
            let own = job.template().map(str::to_string);
            (progress::walk(|control| job.run_with(control))?.document, None, own)
        }
        _ => {
            let source = source(&args.range, args.version.as_deref())?;
            let range = source.walk()?;
            let version = match args.version.clone() {
                Some(v) => v,
                None => source
                    .repo
                    .suggest_next(&source.tags, &range)?
                    .map_or_else(|| "Unreleased".to_string(), |n| n.version),
            };
            let meta = NotesMeta { title: version.clone(), version, date: Some(today.to_string()) };
            (notes::build(&range, meta, &ManualNotes::default(), DEFAULT_SECTIONS), Some((source, range)), None)
        }
    };
    // --template wins over the product's own template, which wins over the built-in one.
    let template = template.or(product_template);
    let summary = format!("{} ({} commits)", doc.title, doc.range.commits);
    // A text format is rendered before the file is created, so that a template error leaves no file.
    let written = match &args.output {
        Some(path) => {
            let text = match format {
                Format::Json => None,
                _ => Some(notes::render(&doc, format, template.as_deref())?),
            };
            let cannot = |e: std::io::Error| Error::Io(format!("Cannot write {}: {e}.", path.display()));
            let mut file = std::fs::File::create(path).map_err(cannot)?;
            match text {
                Some(text) => file.write_all(text.as_bytes()).map_err(cannot),
                None => notes::render_to(&doc, format, None, &mut file),
            }
        }
        None => notes::render_to(&doc, format, template.as_deref(), out),
    };
    exit_without_freeing((walked, doc));
    written?;
    match args.output {
        Some(path) => output::line(out, &format!("Wrote {summary} to {}.", path.display())),
        None => Ok(()),
    }
}

pub fn version_next(args: RangeArgs, json: bool, out: &mut dyn Write) -> Result<()> {
    let source = source(&args, None)?;
    let range = source.walk()?;
    let since = range.from.clone().unwrap_or_else(|| "the first commit".to_string());
    let Some(next) = source.repo.suggest_next(&source.tags, &range)? else {
        return Err(Error::InvalidInput {
            field: None,
            message: format!("No commits between {since} and {}; there is nothing to release.", range.to),
        });
    };
    let count = range.commits.len();
    exit_without_freeing((source, range));
    if json {
        return output::json(out, &next);
    }
    output::line(out, &next.version)?;
    output::line(out, &format!("  {count} commits since {since}: {}.", next.reason))
}

/// The process ends right after a command: freeing a large walk (libgit2's object cache, thousands of
/// parsed commits) would take a fifth of the run for nothing, so the OS reclaims it instead.
fn exit_without_freeing<T>(value: T) {
    std::mem::forget(value);
}

#[derive(Debug, clap::Subcommand)]
pub enum TemplateCommand {
    /// Use FILE as the product's notes template for a format (checked before it is saved)
    Set {
        #[arg(long)]
        product: String,
        /// md, html or txt
        #[arg(long)]
        format: String,
        file: PathBuf,
    },
    /// Go back to the built-in template
    Clear {
        #[arg(long)]
        product: String,
        #[arg(long)]
        format: String,
    },
    /// Print the template in use (the product's, else the built-in one): a starting point for your own
    Show {
        #[arg(long)]
        product: String,
        #[arg(long)]
        format: String,
    },
}

pub fn template(
    command: TemplateCommand,
    store: &mut Store,
    stamp: &relman_core::Stamp,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        TemplateCommand::Set { product, format, file } => {
            let product = relman_core::product::find_by_name(store, &product)?;
            let format = Format::parse(&format)?;
            let source = std::fs::read_to_string(&file)
                .map_err(|e| Error::Io(format!("Cannot read the template {}: {e}.", file.display())))?;
            notes::set_template(store, stamp, product.id, format, &source)?;
            output::line(
                out,
                &format!("{} now uses {} for {} notes.", product.name, file.display(), format.extension()),
            )
        }
        TemplateCommand::Clear { product, format } => {
            let product = relman_core::product::find_by_name(store, &product)?;
            let format = Format::parse(&format)?;
            notes::clear_template(store, stamp, product.id, format)?;
            output::line(out, &format!("{} uses the built-in {} template again.", product.name, format.extension()))
        }
        TemplateCommand::Show { product, format } => {
            let product = relman_core::product::find_by_name(store, &product)?;
            let format = Format::parse(&format)?;
            let source =
                notes::template(store, product.id, format)?.unwrap_or_else(|| format.default_template().to_string());
            out.write_all(source.as_bytes()).map_err(io_error)
        }
    }
}
