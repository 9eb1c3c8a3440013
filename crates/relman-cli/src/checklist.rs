//! `relman checklist` and `relman template`: drive a release's checklist from a terminal (over SSH on
//! deploy night) and move process templates in and out as JSON or TOML files.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use relman_core::checklist::evidence::EvidenceCheck;
use relman_core::checklist::items::{self, ChecklistItem, ItemState};
use relman_core::checklist::template::{self, FileFormat};
use relman_core::checklist::Phase;
use relman_core::store::Store;
use relman_core::{release, Error, Result, Stamp};

use crate::{io_error, output};

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// Copy a template's items onto a release that has no checklist yet
    Apply {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        /// A template by name, or a .json / .toml file [default: the built-in web service template]
        #[arg(long)]
        template: Option<String>,
    },
    /// The checklist by phase, with each item's id, state and progress
    Show {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark an item done
    Tick {
        /// The item's id, as `show` lists it
        id: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Skip an item; the reason is required and kept
    Skip {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Set any state: todo, in_progress, done, skipped, blocked, failed
    Set {
        id: i64,
        state: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Give an item an automatic check that marks it done when git or Relman's records prove it:
    /// tag-exists, tag-pushed, no-commits-after-freeze, branch-contains (with --target), clean-at-to,
    /// signoffs-and-change, or none to remove it
    Check {
        id: i64,
        kind: String,
        /// For branch-contains: a commit (SHA or ref) or an issue key (PROJ-123)
        #[arg(long)]
        target: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// The process templates: the built-in one and your own
    List,
    /// Write a template as JSON or TOML (by the file's extension, or --format for standard output)
    Export {
        #[arg(default_value = template::BUILT_IN)]
        name: String,
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, default_value = "toml")]
        format: String,
    },
    /// Read a template from a .json or .toml file and save it under its name
    Import { file: PathBuf },
    /// Save a copy of a template under a new name, to adapt it
    Duplicate { name: String, new_name: String },
    /// Delete one of your templates (releases keep the checklists they copied)
    Delete { name: String },
}

fn file_format(text: &str) -> Result<FileFormat> {
    match text {
        "json" => Ok(FileFormat::Json),
        "toml" => Ok(FileFormat::Toml),
        other => Err(Error::invalid_field("format", format!("Unknown template format \"{other}\"; use json or toml."))),
    }
}

pub fn checklist(command: ChecklistCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        ChecklistCommand::Apply { release: version, product, template: chosen } => {
            let found = release::find_by_version(store, &product, &version)?;
            let chosen = match chosen {
                None => template::built_in(),
                Some(name) if name.ends_with(".json") || name.ends_with(".toml") => {
                    let path = PathBuf::from(&name);
                    let text =
                        std::fs::read_to_string(&path).map_err(|e| Error::Io(format!("Cannot read {name}: {e}.")))?;
                    template::parse(&text, FileFormat::of_path(&path)?)?
                }
                Some(name) => template::get(store, &name)?,
            };
            let count = items::apply(store, stamp, found.id, &chosen)?;
            output::line(
                out,
                &format!("Applied \"{}\" to {} {}: {count} items.", chosen.name, found.product_name, found.version),
            )
        }
        ChecklistCommand::Show { release: version, product, json } => {
            let found = release::find_by_version(store, &product, &version)?;
            relman_core::evidence::refresh(store, stamp, found.id)?;
            let list = items::list(store, found.id)?;
            if json {
                return output::json(out, &list);
            }
            if list.is_empty() {
                return output::line(
                    out,
                    &format!(
                        "{} {} has no checklist; apply a template with `relman checklist apply`.",
                        found.product_name, found.version
                    ),
                );
            }
            show(&list, out)
        }
        ChecklistCommand::Tick { id, note } => report(items::set_state(store, stamp, id, ItemState::Done, &note)?, out),
        ChecklistCommand::Skip { id, reason } => {
            report(items::set_state(store, stamp, id, ItemState::Skipped, &reason)?, out)
        }
        ChecklistCommand::Set { id, state, note } => {
            let state: ItemState = serde_json::from_value(serde_json::Value::String(state.trim().replace('-', "_")))
                .map_err(|_| {
                    Error::invalid_field(
                        "state",
                        format!("Unknown state \"{state}\"; use todo, in_progress, done, skipped, blocked or failed."),
                    )
                })?;
            report(items::set_state(store, stamp, id, state, &note)?, out)
        }
        ChecklistCommand::Check { id, kind, target } => {
            let item = items::get(store, id)?;
            let check = parse_check(&kind, target)?;
            let input = items::ItemInput {
                phase: item.phase,
                title: item.title,
                details: item.details,
                owner: item.owner,
                required: item.required,
                expected_minutes: item.expected_minutes.and_then(|m| u32::try_from(m).ok()),
                check,
            };
            let edited = items::edit(store, stamp, id, input)?;
            relman_core::evidence::refresh(store, stamp, edited.release_id)?;
            let edited = items::get(store, id)?;
            let said = match (&edited.check, &edited.evidence) {
                (None, _) => "no automatic check".to_string(),
                (Some(c), None) => c.describe(),
                (Some(c), Some(e)) => format!("{}: {}", c.describe(), e.summary),
            };
            output::line(out, &format!("#{} {}: {said}", edited.id, edited.title))?;
            report(edited, out)
        }
    }
}

fn parse_check(kind: &str, target: Option<String>) -> Result<Option<EvidenceCheck>> {
    let check = match kind.trim().replace('_', "-").as_str() {
        "none" => None,
        "tag-exists" => Some(EvidenceCheck::TagExists { pushed: false }),
        "tag-pushed" => Some(EvidenceCheck::TagExists { pushed: true }),
        "no-commits-after-freeze" => Some(EvidenceCheck::NoCommitsAfterFreeze),
        "branch-contains" => Some(EvidenceCheck::BranchContains { target: target.unwrap_or_default() }),
        "clean-at-to" => Some(EvidenceCheck::CleanAtTo),
        "signoffs-and-change" => Some(EvidenceCheck::SignoffsAndChange),
        other => {
            return Err(Error::invalid_field(
                "kind",
                format!("Unknown check \"{other}\"; use tag-exists, tag-pushed, no-commits-after-freeze, branch-contains --target X, clean-at-to, signoffs-and-change or none."),
            ))
        }
    };
    Ok(check)
}

fn report(item: ChecklistItem, out: &mut dyn Write) -> Result<()> {
    let note = if item.note.is_empty() { String::new() } else { format!(" ({})", item.note) };
    output::line(out, &format!("#{} {}: {}{note}.", item.id, item.title, item.state.as_str().replace('_', " ")))
}

fn show(list: &[ChecklistItem], out: &mut dyn Write) -> Result<()> {
    for phase in Phase::ALL {
        let in_phase: Vec<&ChecklistItem> = list.iter().filter(|i| i.phase == phase).collect();
        if in_phase.is_empty() {
            continue;
        }
        let closed = in_phase.iter().filter(|i| i.state.is_closed()).count();
        output::line(out, &format!("{} ({closed}/{})", phase.label(), in_phase.len()))?;
        for item in in_phase {
            let mark = match item.state {
                ItemState::Done => "[x]",
                ItemState::Skipped => "[-]",
                ItemState::InProgress => "[>]",
                ItemState::Blocked => "[!]",
                ItemState::Failed => "[F]",
                ItemState::Todo => "[ ]",
            };
            let optional = if item.required { "" } else { " (optional)" };
            let note = if item.note.is_empty() { String::new() } else { format!(" — {}", item.note) };
            output::line(out, &format!("  {mark} #{:<4} {}{optional}{note}", item.id, item.title))?;
            if let Some(check) = &item.check {
                let seen = match &item.evidence {
                    Some(e) if e.passed => format!("proven: {}", e.summary),
                    Some(e) => format!("not proven: {}", e.summary),
                    None => "not checked yet".into(),
                };
                output::line(out, &format!("         check: {} — {seen}", check.describe()))?;
                for fact in item.evidence.iter().flat_map(|e| &e.seen).take(10) {
                    output::line(out, &format!("           {fact}"))?;
                }
            }
        }
    }
    Ok(())
}

pub fn template(command: TemplateCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        TemplateCommand::List => {
            for t in template::list(store)? {
                let built_in = if t.name == template::BUILT_IN { " (built in)" } else { "" };
                output::line(out, &format!("{}{built_in}: {} items, {} gates", t.name, t.items.len(), t.gates.len()))?;
            }
            Ok(())
        }
        TemplateCommand::Export { name, output: path, format } => {
            let chosen = template::get(store, &name)?;
            match path {
                Some(path) => {
                    let text = template::render(&chosen, FileFormat::of_path(&path)?)?;
                    std::fs::write(&path, text)
                        .map_err(|e| Error::Io(format!("Cannot write {}: {e}.", path.display())))?;
                    output::line(out, &format!("Wrote \"{}\" to {}.", chosen.name, path.display()))
                }
                None => out.write_all(template::render(&chosen, file_format(&format)?)?.as_bytes()).map_err(io_error),
            }
        }
        TemplateCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::Io(format!("Cannot read {}: {e}.", file.display())))?;
            let saved = template::save(store, stamp, template::parse(&text, FileFormat::of_path(&file)?)?)?;
            output::line(out, &format!("Saved the template \"{}\" ({} items).", saved.name, saved.items.len()))
        }
        TemplateCommand::Duplicate { name, new_name } => {
            let copy = template::duplicate(store, stamp, &name, &new_name)?;
            output::line(out, &format!("Saved \"{}\" as a copy of \"{name}\".", copy.name))
        }
        TemplateCommand::Delete { name } => {
            template::delete(store, stamp, &name)?;
            output::line(out, &format!("Deleted the template \"{name}\"."))
        }
    }
}
