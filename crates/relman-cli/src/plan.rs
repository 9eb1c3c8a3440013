//! The plan from the terminal, over the same core functions as the app: editing and deleting a
//! release, its go/no-go, its milestones, and freeze windows.

use std::io::Write;

use relman_core::checklist::signoff::{self, GoNoGo};
use relman_core::freeze::{self, FreezeWindow, FreezeWindowInput};
use relman_core::milestone::{self, Milestone, MilestoneInput, MilestoneKind, MilestonePatch};
use relman_core::release::{self, ReleasePatch};
use relman_core::store::Store;
use relman_core::{product, Error, Result, Stamp};

use crate::output;

#[derive(Debug, clap::Args)]
pub struct ReleaseEdit {
    pub version: String,
    #[arg(long)]
    pub product: String,
    /// A new version number
    #[arg(long = "version", value_name = "VERSION")]
    pub new_version: Option<String>,
    #[arg(long)]
    pub codename: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    /// Target date, YYYY-MM-DD; "none" clears it
    #[arg(long)]
    pub target: Option<String>,
    /// Where its notes start (a tag, branch or SHA)
    #[arg(long)]
    pub from: Option<String>,
    /// Where its notes end
    #[arg(long)]
    pub to: Option<String>,
    /// Its release branch
    #[arg(long)]
    pub branch: Option<String>,
}

/// "none" (any case) or "" clears an optional date.
fn date_or_clear(text: Option<String>) -> Option<String> {
    text.map(|d| if d.trim().eq_ignore_ascii_case("none") { String::new() } else { d })
}

pub fn edit_release(store: &mut Store, stamp: &Stamp, args: ReleaseEdit, out: &mut dyn Write) -> Result<()> {
    let found = release::find_by_version(store, &args.product, &args.version)?;
    let patch = ReleasePatch {
        version: args.new_version,
        codename: args.codename,
        description: args.description,
        owner: args.owner,
        target_date: date_or_clear(args.target),
        from_ref: args.from,
        to_ref: args.to,
        release_branch: args.branch,
    };
    let after = release::patch(store, stamp, found.id, patch)?;
    let target = after.target_date.as_deref().unwrap_or("no target");
    output::line(out, &format!("Saved {} {} ({target}).", after.product_name, after.version))
}

pub fn delete_release(
    store: &mut Store,
    stamp: &Stamp,
    version: &str,
    product: &str,
    yes: bool,
    with_deploy_records: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let found = release::find_by_version(store, product, version)?;
    if !yes {
        return Err(Error::invalid(format!(
            "Deleting {} {} also deletes its milestones, checklist, risks and notes (the audit log keeps the record). Add --yes to delete it.",
            found.product_name, found.version
        )));
    }
    release::delete(store, stamp, found.id, with_deploy_records)?;
    output::line(out, &format!("Deleted {} {}.", found.product_name, found.version))
}

#[derive(Debug, clap::Args)]
pub struct GoNoGoArgs {
    pub version: String,
    #[arg(long)]
    pub product: String,
    #[arg(long, conflicts_with = "no_go", required_unless_present = "no_go")]
    pub go: bool,
    #[arg(long = "no-go")]
    pub no_go: bool,
    /// Who decided [default: the person acting, see --as]
    #[arg(long)]
    pub by: Option<String>,
    /// Who was in the meeting
    #[arg(long, default_value = "")]
    pub attendees: String,
    /// Why; a no-go needs it
    #[arg(long, default_value = "")]
    pub notes: String,
}

pub fn go_no_go(store: &mut Store, stamp: &Stamp, args: GoNoGoArgs, out: &mut dyn Write) -> Result<()> {
    let found = release::find_by_version(store, &args.product, &args.version)?;
    let decided_by = args.by.unwrap_or_else(|| crate::name_of(&stamp.actor));
    let input = GoNoGo {
        id: 0,
        uid: String::new(),
        go: args.go,
        decided_by,
        attendees: args.attendees,
        notes: args.notes,
        at: String::new(),
    };
    let decided = signoff::decide(store, stamp, found.id, input)?;
    let verdict = if decided.go { "go" } else { "no-go" };
    output::line(
        out,
        &format!("{} {}: {verdict}, decided by {}.", found.product_name, found.version, decided.decided_by),
    )
}

#[derive(Debug, clap::Subcommand)]
pub enum MilestoneCommand {
    /// Add a milestone to a release
    Add {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: String,
        /// feature_freeze, code_freeze, rc, go_no_go, deploy_window, ga, review, custom
        #[arg(long)]
        kind: String,
        /// [default: the kind's own name, e.g. "Code freeze"]
        #[arg(long, default_value = "")]
        name: String,
        /// YYYY-MM-DD
        #[arg(long)]
        start: String,
        /// YYYY-MM-DD, for a window
        #[arg(long)]
        end: Option<String>,
    },
    /// A release's milestones in date order
    List {
        #[arg(long)]
        product: String,
        #[arg(long)]
        release: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a milestone (ids from `milestone list`); only the fields given change
    Edit {
        id: i64,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        start: Option<String>,
        /// "none" clears it
        #[arg(long)]
        end: Option<String>,
        /// When it actually started; "none" clears it
        #[arg(long)]
        actual_start: Option<String>,
        #[arg(long)]
        actual_end: Option<String>,
    },
    /// Move a milestone's plan by days, its end with its start
    Move {
        id: i64,
        /// Days later (negative: earlier), e.g. --by 7 or --by=-2
        #[arg(long, allow_hyphen_values = true)]
        by: i64,
    },
    /// Delete a milestone
    Delete { id: i64 },
}

fn kind(text: &str) -> Result<MilestoneKind> {
    let wanted = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    MilestoneKind::ALL.into_iter().find(|k| k.as_str() == wanted).ok_or_else(|| {
        let known: Vec<&str> = MilestoneKind::ALL.iter().map(|k| k.as_str()).collect();
        Error::invalid_field("kind", format!("Unknown milestone kind \"{text}\"; use one of {}.", known.join(", ")))
    })
}

fn said(out: &mut dyn Write, verb: &str, m: &Milestone) -> Result<()> {
    let end = m.planned_end.as_deref().map(|e| format!(" to {e}")).unwrap_or_default();
    output::line(out, &format!("{verb} milestone {} \"{}\": {}{end}.", m.id, m.name, m.planned_start))
}

pub fn milestones(store: &mut Store, stamp: &Stamp, command: MilestoneCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        MilestoneCommand::Add { product, release: version, kind: k, name, start, end } => {
            let found = release::find_by_version(store, &product, &version)?;
            let input = MilestoneInput {
                kind: kind(&k)?,
                name,
                planned_start: start,
                planned_end: end,
                actual_start: None,
                actual_end: None,
            };
            said(out, "Added", &milestone::create(store, stamp, found.id, input)?)
        }
        MilestoneCommand::List { product, release: version, json } => {
            let found = release::find_by_version(store, &product, &version)?;
            let list = milestone::list(store, found.id)?;
            if json {
                return output::json(out, &list);
            }
            if list.is_empty() {
                let add = format!("relman milestone add --product \"{product}\" --release {version} --kind code_freeze --start YYYY-MM-DD");
                return output::line(
                    out,
                    &format!("{} {} has no milestones yet. Add one with `{add}`.", found.product_name, found.version),
                );
            }
            output::milestones(out, &list)
        }
        MilestoneCommand::Edit { id, kind: k, name, start, end, actual_start, actual_end } => {
            let patch = MilestonePatch {
                kind: k.as_deref().map(kind).transpose()?,
                name,
                planned_start: start,
                planned_end: date_or_clear(end),
                actual_start: date_or_clear(actual_start),
                actual_end: date_or_clear(actual_end),
            };
            said(out, "Saved", &milestone::patch(store, stamp, id, patch)?)
        }
        MilestoneCommand::Move { id, by } => said(out, "Moved", &milestone::shift(store, stamp, id, by)?),
        MilestoneCommand::Delete { id } => {
            milestone::delete(store, stamp, id)?;
            output::line(out, &format!("Deleted milestone {id}."))
        }
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum FreezeCommand {
    /// Add a freeze window (no deploys or GA inside it)
    Add {
        #[arg(long)]
        name: String,
        /// YYYY-MM-DD, included
        #[arg(long)]
        start: String,
        /// YYYY-MM-DD, included
        #[arg(long)]
        end: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// The products it applies to (repeat it); none means every product
        #[arg(long = "product")]
        products: Vec<String>,
    },
    /// Every freeze window
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change a freeze window; only the fields given change
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        /// Replaces the products it applies to (repeat it)
        #[arg(long = "product")]
        products: Vec<String>,
        /// Make it apply to every product
        #[arg(long, conflicts_with = "products")]
        all_products: bool,
    },
    /// Delete a freeze window
    Delete { id: i64 },
}

fn product_ids(store: &Store, names: &[String]) -> Result<Vec<i64>> {
    names.iter().map(|name| product::find_by_name(store, name).map(|p| p.id)).collect()
}

fn said_window(out: &mut dyn Write, verb: &str, w: &FreezeWindow) -> Result<()> {
    output::line(out, &format!("{verb} freeze window {} \"{}\": {} to {}.", w.id, w.name, w.start_date, w.end_date))
}

pub fn freezes(store: &mut Store, stamp: &Stamp, command: FreezeCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        FreezeCommand::Add { name, start, end, reason, products } => {
            let product_ids = product_ids(store, &products)?;
            let input = FreezeWindowInput { name, start_date: start, end_date: end, reason, product_ids };
            said_window(out, "Added", &freeze::create(store, stamp, input)?)
        }
        FreezeCommand::List { json } => {
            let list = freeze::list(store)?;
            if json {
                return output::json(out, &list);
            }
            if list.is_empty() {
                return output::line(out, "No freeze windows. Add one with `relman freeze add --name NAME --start YYYY-MM-DD --end YYYY-MM-DD`.");
            }
            let products = product::list(store)?;
            output::freeze_windows(out, &list, &products)
        }
        FreezeCommand::Edit { id, name, start, end, reason, products, all_products } => {
            let product_ids = match (all_products, products.is_empty()) {
                (true, _) => Some(Vec::new()),
                (false, false) => Some(product_ids(store, &products)?),
                (false, true) => None,
            };
            let after = freeze::patch(
                store,
                stamp,
                id,
                freeze::FreezeWindowPatch { name, start_date: start, end_date: end, reason, product_ids },
            )?;
            said_window(out, "Saved", &after)
        }
        FreezeCommand::Delete { id } => {
            freeze::delete(store, stamp, id)?;
            output::line(out, &format!("Deleted freeze window {id}."))
        }
    }
}
