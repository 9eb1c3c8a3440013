//! How long the app's regeneration of the notes takes with its range cache: the first time, again with
//! nothing new, and after one new commit (walked to `TO~1` first, then to `TO`). Each figure is the whole
//! path the Notes view runs: read the tags, walk (through the cache), suggest the next version, build
//! and render Markdown. Used by `bench/notes-regen.sh`; needs no database.
//!
//!     cargo run --release -p relman-core --example notes_regen -- REPO FROM TO [TAG_PATTERN] [RUNS]
//!
//! FROM `-` leaves the start to relman: the previous release tag of TO, as a release without its own
//! `from` has it.

use std::time::{Duration, Instant};

use relman_core::git::{RangeCache, RangeOptions, Repo, TagPattern, WalkControl};
use relman_core::notes::{self, Format, ManualNotes, NotesMeta, DEFAULT_SECTIONS};
use relman_core::version::Versioning;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(from), Some(to)) = (args.first(), args.get(1), args.get(2)) else {
        return Err("usage: notes_regen REPO FROM TO [TAG_PATTERN] [RUNS]".into());
    };
    let pattern = TagPattern::new(args.get(3).map_or("v{version}", String::as_str), Versioning::Semver)?;
    let runs: u32 = args.get(4).map(|r| r.parse()).transpose()?.unwrap_or(15);

    // (commits, whole path, tags + walk + suggestion only)
    let notes_for = |cache: &RangeCache, to: &str| -> Result<(usize, Duration, Duration), relman_core::Error> {
        let start = Instant::now();
        // A new handle each time, as the app opens the repository for each job: libgit2's own caches
        // start cold, and only the RangeCache carries over.
        let repo = Repo::open(std::path::Path::new(path))?;
        let tags = repo.tag_index(&pattern)?;
        let from = Some(from.clone()).filter(|f| f != "-");
        let options = RangeOptions { from, to: Some(to.to_string()), ..Default::default() };
        let control = WalkControl { cache: Some(cache), ..Default::default() };
        let range = repo.walk_with(&options, Some(&tags), control)?;
        let next = repo.suggest_next(&tags, &range)?;
        let walked = start.elapsed();
        let version = next.map_or_else(|| "Unreleased".to_string(), |n| n.version);
        let meta = NotesMeta { title: version.clone(), version, date: None };
        let doc = notes::build(&range, meta, &ManualNotes::default(), DEFAULT_SECTIONS);
        let text = notes::render(&doc, Format::Markdown, None)?;
        std::hint::black_box(text);
        Ok((range.commits.len(), start.elapsed(), walked))
    };

    let (mut cold, mut same, mut one_more, mut one_more_walk) =
        (Duration::MAX, Duration::MAX, Duration::MAX, Duration::MAX);
    let before = format!("{to}~1");
    let mut commits = 0;
    for _ in 0..runs.max(1) {
        let cache = RangeCache::new();
        let (_, first, _) = notes_for(&cache, &before)?;
        cold = cold.min(first);
        same = same.min(notes_for(&cache, &before)?.1);
        let (count, after, walk) = notes_for(&cache, to)?;
        one_more = one_more.min(after);
        one_more_walk = one_more_walk.min(walk);
        commits = count;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("range {from}..{to}: {commits} commits (fastest of {runs})");
    println!("first time, empty cache   {:>9.1} ms", ms(cold));
    println!("again, nothing new        {:>9.1} ms", ms(same));
    println!("after one new commit      {:>9.1} ms", ms(one_more));
    println!("  of which tags and walk  {:>9.1} ms (the rest builds and renders the document)", ms(one_more_walk));
    Ok(())
}
