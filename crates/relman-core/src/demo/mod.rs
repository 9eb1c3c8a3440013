//! The sample data behind `relman demo` and the app's "Load sample data": two products and seven
//! releases spread around today, with milestones and the status history that got them where they are,
//! and a sample git repository for Atlas Web (beside the database file) so its release notes work.

mod large;
mod repository;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::freeze::{self, FreezeWindowInput};
use crate::milestone::{self, MilestoneInput, MilestoneKind};
use crate::product::{self, ProductInput, Repository};
use crate::release::{self, ReleaseInput, ReleaseStatus};
use crate::store::Store;
use crate::version::Versioning;
use crate::{dates, lifecycle, Error, Result, Stamp};

/// What loading the sample added.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoSummary {
    pub products: u32,
    pub releases: u32,
    pub milestones: u32,
    pub risks: u32,
}

struct SampleRelease {
    product: usize,
    version: String,
    codename: &'static str,
    owner: &'static str,
    description: &'static str,
    /// Days from today.
    target: i64,
    status: ReleaseStatus,
    /// Milestones: kind and day offset from today.
    milestones: Vec<(MilestoneKind, i64)>,
    /// The start of its git range, when not the previous release tag in its history (2.5.0 starts at
    /// v2.4.1, which was tagged on the 2.4 maintenance branch).
    from_ref: &'static str,
    /// The end of its git range: the tag of a shipped release.
    to_ref: &'static str,
    branch: &'static str,
}

/// How much sample data to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Two products and thirteen releases a person can read: a year of Atlas Web and what is planned.
    Small,
    /// 20 products, 500 releases, 3,000 milestones: for measuring speed.
    Large,
    /// Ten years of a release office: 20 products, 5,000 releases, 30,000 milestones, 500,000
    /// checklist items, 50,000 risks, about a million audit events.
    Decade,
}

/// Loads the small sample into an empty database (see [`load_scaled`]).
pub fn load(store: &mut Store, stamp: &Stamp) -> Result<DemoSummary> {
    load_scaled(store, stamp, Scale::Small)
}

/// Loads a sample into an empty database, in one transaction, dated around `stamp`'s day.
pub fn load_scaled(store: &mut Store, stamp: &Stamp, scale: Scale) -> Result<DemoSummary> {
    if !product::list(store)?.is_empty() {
        return Err(Error::Conflict(
            "This database already has products; sample data loads only into an empty database. Point --db or RELMAN_DB at a new file to try it.".into(),
        ));
    }
    match scale {
        Scale::Large => return store.batch(|store| large::seed(store, stamp, &large::LARGE)),
        Scale::Decade => {
            // Ten years in one transaction: with SQLite's default 2 MB of page cache it would spill
            // its pages to the log again and again; 256 MB holds what the transaction touches.
            store.conn().pragma_update(None, "cache_size", -262_144)?;
            let seeded = store.batch(|store| large::seed(store, stamp, &large::DECADE));
            store.conn().pragma_update(None, "cache_size", -2_000)?;
            return seeded;
        }
        Scale::Small => {}
    }
    let sample_repo = match sample_dir(store) {
        Some(dir) => {
            let path = dir.join("atlas-web");
            repository::create(&path, stamp.today())?;
            Some(path.display().to_string())
        }
        None => None,
    };
    let summary = store.batch(|store| seed(store, stamp, sample_repo))?;
    share_sample(store, stamp)?;
    sample_advisories(store, stamp)?;
    Ok(summary)
}

/// The sample's advisory database: two OSV records beside the sample repository, one for a made-up
/// crate the 2.5.0 range brings in (SAMPLE-, not a real advisory) and RustSec's real notice that
/// `atty` is unmaintained, set as the folder the security checks read, so that `relman security
/// scan --product "Atlas Web" --release 2.5.0` has something to find.
pub const ADVISORIES: [(&str, &str); 2] = [
    (
        "SAMPLE-2026-0001.json",
        r#"{"schema_version": "1.6.0", "id": "SAMPLE-2026-0001", "modified": "2026-01-01T00:00:00Z",
  "summary": "orders-pdf: attachment names can escape the output folder (sample advisory)",
  "details": "A made-up advisory that comes with Relman's sample data.",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N"}],
  "affected": [{"package": {"ecosystem": "crates.io", "name": "orders-pdf"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.2.0"}, {"fixed": "0.3.2"}]}]}],
  "references": [{"type": "ADVISORY", "url": "https://example.com/advisories/SAMPLE-2026-0001"}]}"#,
    ),
    (
        "RUSTSEC-2024-0375.json",
        r#"{"schema_version": "1.6.0", "id": "RUSTSEC-2024-0375", "modified": "2024-09-06T00:00:00Z",
  "summary": "`atty` is unmaintained",
  "affected": [{"package": {"ecosystem": "crates.io", "name": "atty"},
                "database_specific": {"informational": "unmaintained"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}]}],
  "references": [{"type": "ADVISORY", "url": "https://rustsec.org/advisories/RUSTSEC-2024-0375.html"}]}"#,
    ),
];

fn sample_advisories(store: &mut Store, stamp: &Stamp) -> Result<()> {
    let Some(dir) = sample_dir(store) else { return Ok(()) };
    let folder = dir.join("advisories");
    let written = std::fs::create_dir_all(&folder)
        .and_then(|()| ADVISORIES.iter().try_for_each(|(name, text)| std::fs::write(folder.join(name), text)));
    written.map_err(|e| Error::Io(format!("Cannot write the sample advisories to {}: {e}.", folder.display())))?;
    crate::settings::set_advisory_folder(store, stamp, Some(&folder))
}

/// The sample's repositories: a folder beside the database, as an absolute path (a database named
/// relative to the working folder must not store a relative repository path); an in-memory
/// database gets none.
fn sample_dir(store: &Store) -> Option<std::path::PathBuf> {
    let parent = store.path()?.parent()?;
    let parent = if parent.as_os_str().is_empty() { std::path::Path::new(".") } else { parent };
    Some(std::path::absolute(parent).ok()?.join("sample-repositories"))
}

/// Shares the sample plan through a "release office" remote beside the sample repository, and syncs
/// once, so that Sync works out of the box; another database shared through the same remote (with
/// `relman share init --remote`, or Settings) gets the plan, as a teammate's laptop would.
///
/// A remote that already holds a plan (another sample loaded beside this one, or before it was
/// deleted) is left as it is: this sample gets the next free name, `release-office-2.git` and so on,
/// rather than a sync that would refuse two products of one name.
fn share_sample(store: &mut Store, stamp: &Stamp) -> Result<()> {
    let Some(dir) = sample_dir(store) else { return Ok(()) };
    let holds_a_plan = |path: &std::path::Path| {
        git2::Repository::open_bare(path)
            .ok()
            .is_some_and(|r| r.references().is_ok_and(|mut refs| refs.next().is_some()))
    };
    let remote = (1..)
        .map(|n| dir.join(if n == 1 { "release-office.git".to_string() } else { format!("release-office-{n}.git") }))
        .find(|path| !holds_a_plan(path) && (!path.exists() || git2::Repository::open_bare(path).is_ok()))
        .expect("some name is free");
    git2::Repository::init_bare(&remote).map_err(|e| {
        Error::Io(format!("Cannot make the sample's shared remote {}: {}.", remote.display(), e.message()))
    })?;
    let input = crate::share::ShareInput { remote: format!("file://{}", remote.display()), ..Default::default() };
    crate::share::init(store, stamp, input)?;
    crate::share::sync(store, stamp, &[])?;
    Ok(())
}

fn seed(store: &mut Store, stamp: &Stamp, sample_repo: Option<String>) -> Result<DemoSummary> {
    let today = stamp.today();
    let atlas_repo =
        sample_repo.map(|path| Repository { path, default_branch: "main".into(), tag_pattern: "v{version}".into() });
    let products = [
        ProductInput {
            name: "Atlas Web".into(),
            description: "The customer web app and its public API.".into(),
            versioning: Versioning::Semver,
            repository: atlas_repo,
        },
        ProductInput {
            name: "Beacon Mobile".into(),
            description: "The iOS and Android app, released monthly.".into(),
            versioning: Versioning::Calver,
            repository: None,
        },
    ];
    let mut product_ids = Vec::new();
    for input in products {
        product_ids.push(product::create(store, stamp, input)?.id);
    }
    let mut summary = DemoSummary { products: product_ids.len() as u32, releases: 0, milestones: 0, risks: 0 };
    for sample in samples(today) {
        let input = ReleaseInput {
            product_id: product_ids[sample.product],
            version: sample.version.clone(),
            codename: sample.codename.into(),
            description: sample.description.into(),
            owner: sample.owner.into(),
            target_date: Some(dates::format(today + Duration::days(sample.target))),
            from_ref: sample.from_ref.into(),
            to_ref: sample.to_ref.into(),
            release_branch: sample.branch.into(),
        };
        let created_at = at_noon(today + Duration::days(sample.target.min(0) - 60));
        let release = release::create(store, &Stamp::new(&stamp.actor, created_at), input)?;
        summary.releases += 1;
        for (kind, offset) in &sample.milestones {
            let input = MilestoneInput {
                kind: *kind,
                name: String::new(),
                planned_start: dates::format(today + Duration::days(*offset)),
                planned_end: None,
                actual_start: (*offset < 0).then(|| dates::format(today + Duration::days(*offset))),
                actual_end: None,
            };
            milestone::create(store, stamp, release.id, input)?;
            summary.milestones += 1;
        }
        walk_to(store, &release, &sample, today)?;
    }
    replan(store, stamp, today)?;
    checklist(store, stamp, today)?;
    summary.risks = risks(store, stamp, today, &product_ids)?;
    let windows = [
        FreezeWindowInput {
            name: "Holiday freeze".into(),
            start_date: dates::format(today + Duration::days(20)),
            end_date: dates::format(today + Duration::days(27)),
            reason: "Support is thin over the holidays; only emergency changes ship.".into(),
            product_ids: Vec::new(),
        },
        FreezeWindowInput {
            name: "Payments migration".into(),
            start_date: dates::format(today - Duration::days(31)),
            end_date: dates::format(today - Duration::days(26)),
            reason: "The payments provider cut over; no checkout changes.".into(),
            product_ids: vec![product_ids[0]],
        },
    ];
    for window in windows {
        freeze::create(store, stamp, window)?;
    }
    changes(store, today, &product_ids)?;
    after_release(store, today)?;
    Ok(summary)
}

/// Life after the shipped releases, over a year: their production deployments (2.2.0's first failed,
/// 2.4.0 rolled back), three incidents each repaired by a hotfix (rework), the latest the one that
/// rolled 2.4.0 back; its retrospective, with two action items and feedback.
fn after_release(store: &mut Store, today: NaiveDate) -> Result<()> {
    use crate::deployment::{self, Outcome, Strategy};
    use crate::incident::{self, IncidentInput, IncidentStatus, Severity};
    let at = |days: i64, hour: u32, minute: u32| {
        (today + Duration::days(days)).and_hms_opt(hour, minute, 0).unwrap_or_default().and_utc()
    };
    let beacon = calver(today - Duration::days(35));
    let shipped = [
        ("Atlas Web", "2.0.0", -364, Outcome::Succeeded, "Priya Raman"),
        ("Atlas Web", "2.0.1", -358, Outcome::Succeeded, "Priya Raman"),
        ("Atlas Web", "2.1.0", -301, Outcome::Succeeded, "Tom Becker"),
        // 2.2.0's first rollout failed on a migration lock; the next evening's went through.
        ("Atlas Web", "2.2.0", -238, Outcome::Failed, "Tom Becker"),
        ("Atlas Web", "2.2.0", -237, Outcome::Succeeded, "Tom Becker"),
        ("Atlas Web", "2.2.1", -233, Outcome::Succeeded, "Tom Becker"),
        ("Atlas Web", "2.2.2", -151, Outcome::Succeeded, "Ana Lima"),
        ("Atlas Web", "2.3.0", -63, Outcome::Succeeded, "Priya Raman"),
        ("Atlas Web", "2.4.0", -21, Outcome::RolledBack, "Priya Raman"),
        ("Atlas Web", "2.4.1", -17, Outcome::Succeeded, "Tom Becker"),
        // The iOS build went out on the 35th day back, the Android build the day after.
        ("Beacon Mobile", beacon.as_str(), -35, Outcome::Succeeded, "Ana Lima"),
        ("Beacon Mobile", beacon.as_str(), -34, Outcome::Succeeded, "Ana Lima"),
    ];
    for (product, version, day, outcome, who) in shipped {
        let found = release::find_by_version(store, product, version)?;
        let started = Stamp::new(person(who), at(day, 19, 0));
        let d = deployment::start(store, &started, found.id, "production", Strategy::Canary)?;
        deployment::finish(store, &Stamp::new(person(who), at(day, 19, 50)), d.id, outcome)?;
    }
    // Two incidents of the past year, each repaired by its hotfix.
    let earlier = [
        ("2.0.0", "2.0.1", "Order totals off by a cent in EUR", Severity::Sev3, (-362, 10), (-358, 20)),
        ("2.2.0", "2.2.1", "Email receipts sent twice", Severity::Sev2, (-236, 8), (-233, 20)),
    ];
    for (broken, fix, title, severity, (found_day, found_hour), (fixed_day, fixed_hour)) in earlier {
        let broken = release::find_by_version(store, "Atlas Web", broken)?;
        let input = IncidentInput {
            product_id: broken.product_id,
            release_id: Some(broken.id),
            title: title.into(),
            severity: Some(severity),
            detected_at: Some(at(found_day, found_hour, 0).to_rfc3339()),
            ..Default::default()
        };
        let stamp = Stamp::new(person("Tom Becker"), at(found_day, found_hour, 10));
        let happened = incident::create(store, &stamp, input)?;
        let fix = release::find_by_version(store, "Atlas Web", fix)?;
        let done = Stamp::new(person("Tom Becker"), at(fixed_day, fixed_hour, 0));
        incident::attach_hotfix(store, &done, happened.id, fix.id)?;
        incident::set_status(store, &done, happened.id, IncidentStatus::Resolved, None)?;
    }

    let kestrel = release::find_by_version(store, "Atlas Web", "2.4.0")?;
    let input = IncidentInput {
        product_id: kestrel.product_id,
        release_id: Some(kestrel.id),
        title: "Customers paying in yen charged a hundred times the price".into(),
        severity: Some(Severity::Sev1),
        detected_at: Some(at(-21, 19, 35).to_rfc3339()),
        needed_rollback: true,
        notes: "Zero-decimal currencies were multiplied by 100 at checkout. Rolled back within the hour; refunds sent."
            .into(),
        ..Default::default()
    };
    let priya = person("Priya Raman");
    let found = incident::create(store, &Stamp::new(&priya, at(-21, 19, 40)), input)?;
    incident::set_status(store, &Stamp::new(&priya, at(-21, 19, 50)), found.id, IncidentStatus::Mitigated, None)?;
    let hotfix = release::find_by_version(store, "Atlas Web", "2.4.1")?;
    let tom = Stamp::new(person("Tom Becker"), at(-17, 19, 55));
    incident::attach_hotfix(store, &tom, found.id, hotfix.id)?;
    incident::set_status(store, &tom, found.id, IncidentStatus::Resolved, None)?;

    // The team's retrospective of 2.4.0, with two action items.
    use crate::retro::{self, ActionInput, ActionKind};
    let retro_at = Stamp::new(&priya, at(-15, 10, 0));
    retro::write(
        store,
        &retro_at,
        kestrel.id,
        "The rollback took 15 minutes and was rehearsed; support had the refund script ready the next morning.",
        "Nobody tested a zero-decimal currency: the payments sandbox only had EUR and USD accounts.",
    )?;
    let actions = [
        ("Add JPY and KRW accounts to the payments sandbox", "Tom Becker", ActionKind::Prevent, 7),
        ("Smoke-test a zero-decimal currency before every checkout release", "Ana Lima", ActionKind::Process, 14),
    ];
    for (text, owner, kind, due) in actions {
        let input = ActionInput {
            text: text.into(),
            owner: owner.into(),
            due_date: Some(dates::format(today + Duration::days(due))),
            kind,
        };
        retro::add_action(store, &retro_at, kestrel.id, input)?;
    }
    let said = [
        (
            "Support",
            "Zendesk",
            "41 tickets about yen charges in the first hour; the status page helped.",
            retro::Sentiment::Negative,
        ),
        (
            "A customer in Osaka",
            "Email",
            "Refunded within a day, thank you for the quick fix.",
            retro::Sentiment::Positive,
        ),
    ];
    for (source, channel, text, sentiment) in said {
        let input =
            retro::FeedbackInput { source: source.into(), channel: channel.into(), text: text.into(), sentiment };
        retro::add_feedback(store, &retro_at, kestrel.id, input)?;
    }
    Ok(())
}

/// Three change requests: a standard one scheduled, a normal one awaiting the CAB whose window falls
/// in the holiday freeze, and an emergency hotfix closed after its retrospective approval.
fn changes(store: &mut Store, today: NaiveDate, product_ids: &[i64]) -> Result<()> {
    use crate::change::{self, ChangeInput, ChangeState, ChangeType, CloseCode, MoveInput};
    let (tom, ana, quinn) = (person("Tom Becker"), person("Ana Lima"), person("Quinn Okafor"));
    let when = |days: i64| Stamp::new("", at_noon(today + Duration::days(days)));
    let by = |who: &str, days: i64| Stamp { actor: who.to_string(), ..when(days) };
    let window = |days: i64, from: &str, to: &str| {
        let day = dates::format(today + Duration::days(days));
        (Some(format!("{day}T{from}:00+01:00")), Some(format!("{day}T{to}:00+01:00")))
    };
    let to = |state| MoveInput { to: Some(state), ..Default::default() };

    // Atlas Web changes in its Tuesday and Thursday night windows, Security approves security
    // changes, and commit authors do not approve their own code.
    let policy = change::ChangePolicy {
        roles: vec![
            change::RoleRule { role: "CAB".into(), only_for: vec![] },
            change::RoleRule { role: "Security".into(), only_for: vec!["security".into()] },
        ],
        authors_may_approve: false,
        maintenance: vec!["tue 22:00-02:00 Europe/Berlin".parse()?, "thu 22:00-02:00 Europe/Berlin".parse()?],
    };
    change::policy::set(store, &by(&tom, -30), product_ids[0], policy)?;

    // The next Tuesday or Thursday at least three days ahead (22:00 to 23:00 at +01:00).
    let ahead = (3..10)
        .find(|d| matches!((today + Duration::days(*d)).weekday(), chrono::Weekday::Tue | chrono::Weekday::Thu))
        .unwrap_or(3);
    let (start, end) = window(ahead, "22:00", "23:00");
    let input = ChangeInput {
        product_id: product_ids[0],
        title: "Rotate the CDN certificates".into(),
        description: "The yearly rotation, from the runbook the CAB approved as a standard change.".into(),
        kind: Some(ChangeType::Standard),
        window_start: start,
        window_end: end,
        services: vec!["cdn".into()],
        ..Default::default()
    };
    let standard = change::create(store, &by(&tom, -2), input)?;
    change::submit(store, &by(&tom, -2), standard.id)?;

    let beacon = release::find_by_version(store, "Beacon Mobile", "2026.12")?;
    let (start, end) = window(24, "09:00", "11:00");
    let input = ChangeInput {
        product_id: product_ids[1],
        release_id: Some(beacon.id),
        title: "Release Beacon Mobile 2026.12 to the stores".into(),
        justification: "The monthly release; the app stores need a week to review it.".into(),
        kind: Some(ChangeType::Normal),
        window_start: start,
        window_end: end,
        services: vec!["mobile-api".into()],
        ..Default::default()
    };
    let normal = change::create(store, &by(&ana, -1), input)?;
    crate::drafting::draft(store, &by(&ana, -1), normal.id)?;
    change::submit(store, &by(&ana, -1), normal.id)?;

    // 2.3.0 shipped the way an auditor likes: requested, approved by the CAB two days before its
    // production deployment, implemented in its window and closed.
    let priya = person("Priya Raman");
    let model = release::find_by_version(store, "Atlas Web", "2.3.0")?;
    let (start, end) = window(-63, "19:30", "21:30");
    let input = ChangeInput {
        product_id: product_ids[0],
        release_id: Some(model.id),
        title: "Release Atlas Web 2.3.0".into(),
        justification: "Saved searches and the new billing page, promised to customers for this month.".into(),
        kind: Some(ChangeType::Normal),
        window_start: start,
        window_end: end,
        services: vec!["search".into(), "billing".into()],
        ..Default::default()
    };
    let shipped = change::create(store, &by(&priya, -66), input)?;
    change::submit(store, &by(&priya, -66), shipped.id)?;
    change::decide(store, &by(&quinn, -65), shipped.id, "CAB", true, "Backout plan rehearsed on staging")?;
    change::move_to(store, &by(&priya, -65), shipped.id, to(ChangeState::Scheduled))?;
    for state in [ChangeState::Implement, ChangeState::Review] {
        change::move_to(store, &by(&priya, -63), shipped.id, to(state))?;
    }
    let close =
        MoveInput { to: Some(ChangeState::Closed), close_code: Some(CloseCode::Successful), ..Default::default() };
    change::move_to(store, &by(&priya, -62), shipped.id, close)?;

    let hotfix = release::find_by_version(store, "Atlas Web", "2.4.1")?;
    let (start, end) = window(-17, "14:00", "15:00");
    let input = ChangeInput {
        product_id: product_ids[0],
        release_id: Some(hotfix.id),
        title: "Hotfix zero-decimal currencies at checkout".into(),
        justification: "Customers paying in yen were charged a hundred times the price.".into(),
        kind: Some(ChangeType::Emergency),
        window_start: start,
        window_end: end,
        services: vec!["checkout".into()],
        ..Default::default()
    };
    let emergency = change::create(store, &by(&tom, -17), input)?;
    change::move_to(store, &by(&tom, -17), emergency.id, to(ChangeState::Authorize))?;
    change::decide(store, &by(&quinn, -17), emergency.id, "CAB", true, "Go: revenue at stake")?;
    for state in [ChangeState::Scheduled, ChangeState::Implement, ChangeState::Review] {
        change::move_to(store, &by(&tom, -17), emergency.id, to(state))?;
    }
    change::decide(store, &by(&quinn, -15), emergency.id, "CAB", true, "Reviewed at the CAB meeting")?;
    let close = MoveInput {
        to: Some(ChangeState::Closed),
        close_code: Some(CloseCode::SuccessfulWithIssues),
        notes: "Refunds sent to 41 customers.".into(),
    };
    change::move_to(store, &by(&tom, -15), emergency.id, close)?;
    Ok(())
}

/// Atlas 2.5.0, in testing, runs the built-in process with its change gate on: most of its pre-release
/// steps are behind it.
fn checklist(store: &mut Store, stamp: &Stamp, today: NaiveDate) -> Result<()> {
    use crate::checklist::items::{self, ItemState};
    use crate::checklist::{template, Phase};
    let lupine = release::find_by_version(store, "Atlas Web", "2.5.0")?;
    // Atlas Web deploys to production only with an approved change: the built-in gate, turned on.
    let mut process = template::built_in();
    for gate in process.gates.iter_mut().filter(|g| g.into == ReleaseStatus::Deploying) {
        gate.change_approved = true;
    }
    items::apply(store, stamp, lupine.id, &process)?;
    let list = items::list(store, lupine.id)?;
    let pre: Vec<_> = list.iter().filter(|i| i.phase == Phase::PreRelease).collect();
    let steps: [(ItemState, &str); 7] = [
        (ItemState::Done, ""),
        (ItemState::Done, ""),
        (ItemState::Done, "Two breaking changes called out first."),
        (ItemState::Done, "Migrations ran in 3 min 40 s on the production copy."),
        (ItemState::Skipped, "Covered by the nightly restore drill on Monday."),
        (ItemState::Done, ""),
        (ItemState::InProgress, ""),
    ];
    for (day, (item, (state, note))) in pre.iter().zip(steps).enumerate() {
        let at = at_noon(today - Duration::days(7 - day as i64));
        items::set_state(store, &Stamp::new(person("Tom Becker"), at), item.id, state, note)?;
    }
    Ok(())
}

/// A register with something to see: a gate-blocking risk on Atlas 2.5.0, an overdue review, settled
/// risks on shipped releases and product-wide ones, on both products.
fn risks(store: &mut Store, stamp: &Stamp, today: NaiveDate, product_ids: &[i64]) -> Result<u32> {
    use crate::risk::{self, Category::*, RiskInput, RiskStatus::*};
    let (atlas, beacon) = (product_ids[0], product_ids[1]);
    let release =
        |store: &Store, product: &str, version: &str| release::find_by_version(store, product, version).map(|r| r.id);
    let lupine = release(store, "Atlas Web", "2.5.0")?;
    let kestrel = release(store, "Atlas Web", "2.4.0")?;
    let beacon_next = release::list(store, &release::ReleaseFilter { product_id: Some(beacon), status: None })?
        .into_iter()
        .find(|r| r.status == ReleaseStatus::Planned)
        .map(|r| r.id);
    let day = |offset: i64| Some(dates::format(today + Duration::days(offset)));
    let samples = [
        RiskInput {
            release_id: Some(lupine),
            owner: "Ana Lima".into(),
            description:
                "Black Friday traffic doubles checkout calls; the provider throttles at 200 requests a second.".into(),
            trigger: "HTTP 429 from the provider above 1% of calls".into(),
            review_date: day(3),
            ..RiskInput::new(atlas, "Payments provider rate limits during the holiday peak", External, 4, 5)
        },
        RiskInput {
            release_id: Some(lupine),
            status: Mitigating,
            owner: "Tom Becker".into(),
            description: "The workspaces migration adds a column to orders, the largest table.".into(),
            mitigation: "Run it online in batches; rehearsed on the production copy (3 min 40 s).".into(),
            contingency: "Stop the batch job; the column is nullable, so the old code keeps working.".into(),
            trigger: "Lock waits above 5 s in the migration log".into(),
            review_date: day(2),
            ..RiskInput::new(atlas, "Workspace migration locks the orders table", Technical, 3, 5)
        },
        RiskInput {
            release_id: Some(lupine),
            owner: "Kenji Sato".into(),
            mitigation: "Send from the verified domain; seed-list test before the release.".into(),
            review_date: day(-2),
            ..RiskInput::new(atlas, "Workspace invite emails land in spam", Operational, 3, 3)
        },
        RiskInput {
            release_id: Some(lupine),
            owner: "Priya Raman".into(),
            review_date: day(5),
            ..RiskInput::new(atlas, "Audit CSV export exposes customer emails", Security, 2, 4)
        },
        RiskInput {
            status: Accepted,
            owner: "Priya Raman".into(),
            contingency: "Pair Kenji on every billing change until someone else can review it.".into(),
            ..RiskInput::new(atlas, "Only one engineer knows the billing code", People, 2, 4)
        },
        RiskInput {
            status: Closed,
            mitigation: "Renewed through 2028.".into(),
            ..RiskInput::new(atlas, "TLS certificate of the public API expires", Security, 1, 5)
        },
        RiskInput {
            release_id: beacon_next,
            owner: "Ana Lima".into(),
            mitigation: "Submit a week early; expedited review requested.".into(),
            review_date: day(10),
            ..RiskInput::new(beacon, "App Store review takes longer than a week", Schedule, 3, 3)
        },
        RiskInput {
            status: Mitigating,
            owner: "Kenji Sato".into(),
            mitigation: "Rotation scripted; calendar reminder 30 days before.".into(),
            ..RiskInput::new(beacon, "Push notification certificate expires", Security, 2, 5)
        },
    ];
    let count = samples.len() as u32 + 1;
    for input in samples {
        risk::create(store, stamp, input)?;
    }
    // Raised while 2.4.0 was planned, judged unlikely then, and it happened: its dossier shows the
    // risk as it stood at release time and as it stands now.
    let tom = person("Tom Becker");
    let input = RiskInput {
        release_id: Some(kestrel),
        owner: "Tom Becker".into(),
        mitigation: "Test the cut-over with the currencies the sandbox has.".into(),
        ..RiskInput::new(atlas, "Checkout cut-over breaks zero-decimal currencies", Technical, 2, 4)
    };
    let raised = risk::create(store, &Stamp::new(&tom, at_noon(today - Duration::days(30))), input)?;
    let occurred = risk::RiskPatch {
        likelihood: Some(3),
        status: Some(Occurred),
        mitigation: Some("Rounding fix shipped in 2.4.1.".into()),
        ..Default::default()
    };
    risk::patch(store, &Stamp::new(&tom, at_noon(today - Duration::days(20))), raised.id, occurred)?;
    Ok(count)
}

/// Plans change: Atlas 2.5.0's code freeze and target each moved, so the timeline shows slippage.
fn replan(store: &mut Store, stamp: &Stamp, today: NaiveDate) -> Result<()> {
    let lupine = release::find_by_version(store, "Atlas Web", "2.5.0")?;
    let input = ReleaseInput {
        product_id: lupine.product_id,
        version: lupine.version.clone(),
        codename: lupine.codename.clone(),
        description: lupine.description.clone(),
        owner: lupine.owner.clone(),
        target_date: Some(dates::format(today + Duration::days(9))),
        from_ref: lupine.from_ref.clone(),
        to_ref: lupine.to_ref.clone(),
        release_branch: lupine.release_branch.clone(),
    };
    release::update(store, stamp, lupine.id, input)?;
    if let Some(freeze) = milestone::list(store, lupine.id)?.into_iter().find(|m| m.kind == MilestoneKind::CodeFreeze) {
        let moved = dates::format(today - Duration::days(5));
        let input = MilestoneInput {
            kind: freeze.kind,
            name: freeze.name,
            planned_start: moved.clone(),
            planned_end: None,
            actual_start: Some(moved),
            actual_end: None,
        };
        milestone::update(store, stamp, freeze.id, input)?;
    }
    Ok(())
}

/// Moves a sample release along the planned path to its status, one recorded step a few days apart.
fn walk_to(store: &mut Store, release: &release::Release, sample: &SampleRelease, today: NaiveDate) -> Result<()> {
    use ReleaseStatus::*;
    let path: &[ReleaseStatus] = match sample.status {
        Planned => &[],
        InProgress => &[InProgress],
        Testing => &[InProgress, Frozen, Testing],
        Released => &[InProgress, Frozen, Testing, Ready, Deploying, Released],
        RolledBack => &[InProgress, Frozen, Testing, Ready, Deploying, RolledBack],
        other => return Err(Error::invalid(format!("sample releases do not use {}", other.label()))),
    };
    let end = sample.target.min(0);
    for (step, status) in path.iter().enumerate() {
        let back = (path.len() - 1 - step) as i64 * 4;
        let at = at_noon(today + Duration::days(end - back));
        let note = if *status == RolledBack { "Checkout errors above 2% after the switch; rolled back." } else { "" };
        lifecycle::transition(store, &Stamp::new(person(sample.owner), at), release.id, *status, note)?;
    }
    Ok(())
}

/// A sample person as Relman records people: "Tom Becker <tom@example.com>".
fn person(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or(name).to_lowercase();
    format!("{name} <{first}@example.com>")
}

pub(super) fn at_noon(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap_or_default())
}

fn calver(day: NaiveDate) -> String {
    format!("{}.{:02}", day.year(), day.month())
}

fn samples(today: NaiveDate) -> Vec<SampleRelease> {
    use MilestoneKind::*;
    let (atlas, beacon) = (0, 1);
    vec![
        // A year of Atlas Web before the releases in the plan: shipped, with no milestones kept.
        SampleRelease {
            product: atlas,
            version: "2.0.0".into(),
            codename: "Aster",
            owner: "Priya Raman",
            description: "The public orders API and the new dashboard.",
            target: -364,
            status: ReleaseStatus::Released,
            milestones: vec![],
            from_ref: "",
            to_ref: "v2.0.0",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.0.1".into(),
            codename: "Aster",
            owner: "Priya Raman",
            description: "EUR totals fixed to the cent.",
            target: -358,
            status: ReleaseStatus::Released,
            milestones: vec![],
            from_ref: "",
            to_ref: "v2.0.1",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.1.0".into(),
            codename: "Birch",
            owner: "Tom Becker",
            description: "Search by customer and CSV export.",
            target: -301,
            status: ReleaseStatus::Released,
            milestones: vec![],
            from_ref: "",
            to_ref: "v2.1.0",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.2.0".into(),
            codename: "Cedar",
            owner: "Tom Becker",
            description: "Email receipts and dark mode.",
            target: -238,
            status: ReleaseStatus::Released,
            milestones: vec![],
            from_ref: "",
            to_ref: "v2.2.0",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.2.1".into(),
            codename: "Cedar",
            owner: "Tom Becker",
            description: "Receipts sent once.",
            target: -233,
            status: ReleaseStatus::Released,
            milestones: vec![],
            from_ref: "",
            to_ref: "v2.2.1",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.2.2".into(),
            codename: "Cedar",
            owner: "Ana Lima",
            description: "Safari date picker fix.",
            target: -151,
            status: ReleaseStatus::Released,
            milestones: vec![],
            from_ref: "",
            to_ref: "v2.2.2",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.3.0".into(),
            codename: "Juniper",
            owner: "Priya Raman",
            description: "Saved searches and the new billing page.",
            target: -63,
            status: ReleaseStatus::Released,
            milestones: vec![(FeatureFreeze, -84), (CodeFreeze, -77), (Rc, -72), (GoNoGo, -64), (Ga, -63)],
            from_ref: "",
            to_ref: "v2.3.0",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.4.0".into(),
            codename: "Kestrel",
            owner: "Priya Raman",
            description: "Checkout rewrite on the new payments provider.",
            target: -21,
            status: ReleaseStatus::RolledBack,
            milestones: vec![(FeatureFreeze, -42), (CodeFreeze, -35), (Rc, -28), (GoNoGo, -22), (DeployWindow, -21)],
            from_ref: "",
            to_ref: "v2.4.0",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.4.1".into(),
            codename: "Kestrel",
            owner: "Priya Raman",
            description: "Checkout rewrite, with the currency rounding fix.",
            target: -17,
            status: ReleaseStatus::Released,
            milestones: vec![(GoNoGo, -18), (DeployWindow, -17), (Ga, -17)],
            from_ref: "",
            to_ref: "v2.4.1",
            branch: "",
        },
        SampleRelease {
            product: atlas,
            version: "2.5.0".into(),
            codename: "Lupine",
            owner: "Tom Becker",
            description: "Team workspaces and audit log export.",
            target: 6,
            status: ReleaseStatus::Testing,
            milestones: vec![(FeatureFreeze, -12), (CodeFreeze, -7), (Rc, 1), (GoNoGo, 7), (DeployWindow, 9), (Ga, 10)],
            from_ref: "v2.4.1",
            to_ref: "",
            branch: "release/2.5.0",
        },
        SampleRelease {
            product: atlas,
            version: "3.0.0".into(),
            codename: "Magnolia",
            owner: "Tom Becker",
            description: "API v2 and the end of the legacy endpoints.",
            target: 70,
            status: ReleaseStatus::Planned,
            milestones: vec![(FeatureFreeze, 42), (CodeFreeze, 56), (Rc, 60), (Ga, 70)],
            from_ref: "",
            to_ref: "",
            branch: "",
        },
        SampleRelease {
            product: beacon,
            version: calver(today - Duration::days(35)),
            codename: "",
            owner: "Ana Lima",
            description: "Offline mode for the order list.",
            target: -35,
            status: ReleaseStatus::Released,
            milestones: vec![(CodeFreeze, -45), (Review, -40), (Ga, -35)],
            from_ref: "",
            to_ref: "",
            branch: "",
        },
        SampleRelease {
            product: beacon,
            version: calver(today + Duration::days(24)),
            codename: "",
            owner: "Ana Lima",
            description: "Push notification settings and dark mode polish.",
            target: 24,
            status: ReleaseStatus::InProgress,
            milestones: vec![(FeatureFreeze, 10), (CodeFreeze, 14), (Review, 18), (Ga, 24)],
            from_ref: "",
            to_ref: "",
            branch: "",
        },
    ]
}
