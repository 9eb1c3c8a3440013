//! `relman deploy`: run a release's deploy from a terminal. Each step is on disk before the command
//! says so.

use std::io::Write;

use clap::Subcommand;
use relman_core::checklist::items::{self, ItemState};
use relman_core::deployment::{self as deploy, Outcome, Strategy};
use relman_core::store::Store;
use relman_core::{release, Error, Result, Stamp};

use crate::{io_error, output};

#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// Start deploying a release to an environment
    Start {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        #[arg(long, default_value = "production")]
        env: String,
        /// rolling, blue_green, canary, recreate or manual
        #[arg(long, default_value = "rolling")]
        strategy: String,
    },
    /// Move a step of the running deployment: start, done, skip, block, fail (skip, block and fail need --note)
    Step {
        /// The item's id, as `relman checklist show` lists it
        id: i64,
        action: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Undo the last step action of the running deployment
    Undo {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
    },
    /// End the running deployment: succeeded, failed or rolled_back
    Finish {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        outcome: String,
    },
    /// The deploy log of the latest deployment, as Markdown or JSON
    Log {
        #[arg(long)]
        release: String,
        #[arg(long)]
        product: String,
        #[arg(long)]
        json: bool,
    },
}

fn word<T: for<'de> serde::Deserialize<'de>>(field: &'static str, text: &str, choices: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.trim().replace('-', "_")))
        .map_err(|_| Error::invalid_field(field, format!("Unknown {field} \"{text}\"; use {choices}.")))
}

fn running(store: &Store, release_id: i64, what: &str) -> Result<deploy::Deployment> {
    deploy::running(store, release_id)?
        .ok_or_else(|| Error::Conflict(format!("{what} is not being deployed; start with `relman deploy start`.")))
}

pub fn run(command: DeployCommand, store: &mut Store, stamp: &Stamp, out: &mut dyn Write) -> Result<()> {
    match command {
        DeployCommand::Start { release: version, product, env, strategy } => {
            let found = release::find_by_version(store, &product, &version)?;
            let strategy: Strategy = word("strategy", &strategy, "rolling, blue_green, canary, recreate or manual")?;
            let d = deploy::start(store, stamp, found.id, &env, strategy)?;
            output::line(
                out,
                &format!(
                    "Deploying {} {} to {} (deployment {}).",
                    found.product_name, found.version, d.environment, d.id
                ),
            )
        }
        DeployCommand::Step { id, action, note } => {
            let state = match action.as_str() {
                "start" => ItemState::InProgress,
                "done" => ItemState::Done,
                "skip" => ItemState::Skipped,
                "block" => ItemState::Blocked,
                "fail" => ItemState::Failed,
                other => {
                    return Err(Error::invalid_field(
                        "action",
                        format!("Unknown step action \"{other}\"; use start, done, skip, block or fail."),
                    ))
                }
            };
            let release_id = items::get(store, id)?.release_id;
            let d = running(store, release_id, "This release")?;
            let item = deploy::act(store, stamp, d.id, id, state, &note)?;
            output::line(out, &format!("#{} {}: {}.", item.id, item.title, item.state.as_str().replace('_', " ")))
        }
        DeployCommand::Undo { release: version, product } => {
            let found = release::find_by_version(store, &product, &version)?;
            let d = running(store, found.id, &format!("{} {}", found.product_name, found.version))?;
            let item = deploy::undo(store, stamp, d.id)?;
            output::line(
                out,
                &format!("Undone: #{} {} is {} again.", item.id, item.title, item.state.as_str().replace('_', " ")),
            )
        }
        DeployCommand::Finish { release: version, product, outcome } => {
            let found = release::find_by_version(store, &product, &version)?;
            let d = running(store, found.id, &format!("{} {}", found.product_name, found.version))?;
            let outcome: Outcome = word("outcome", &outcome, "succeeded, failed or rolled_back")?;
            deploy::finish(store, stamp, d.id, outcome)?;
            output::line(out, &format!("Deployment {} of {} {} ended.", d.id, found.product_name, found.version))
        }
        DeployCommand::Log { release: version, product, json } => {
            let found = release::find_by_version(store, &product, &version)?;
            let latest = deploy::latest(store, found.id)?.ok_or_else(|| {
                Error::NotFound(format!("{} {} has not been deployed yet.", found.product_name, found.version))
            })?;
            let log = deploy::log(store, latest.id)?;
            if json {
                return output::json(out, &log);
            }
            out.write_all(deploy::log_markdown(&log).as_bytes()).map_err(io_error)
        }
    }
}
