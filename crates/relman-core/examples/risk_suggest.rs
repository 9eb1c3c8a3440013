//! Times the risk suggestions of one range, for `bench/risk-suggest.sh`.
//!
//!     cargo run --release -p relman-core --example risk_suggest -- REPO FROM [RUNS]
//!
//! Walks FROM..HEAD once, then runs the suggestions RUNS times (default 15) with the default rules and a
//! code freeze, and prints the fastest run in milliseconds: all rules, and again with the line count of
//! the large-commit rule turned off (the only part that reads file contents). The figures are the
//! fastest runs because those are the least disturbed by other work on the machine.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use relman_core::git::{RangeOptions, Repo};
use relman_core::risk::suggest::suggest;
use relman_core::risk::SuggestionRules;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(from)) = (args.first(), args.get(1)) else {
        return Err("usage: risk_suggest REPO FROM [RUNS]".into());
    };
    let runs: u32 = args.get(2).map(|r| r.parse()).transpose()?.unwrap_or(15);
    let repo = Repo::open(std::path::Path::new(path))?;
    let walk_start = Instant::now();
    let range = repo.walk(&RangeOptions { from: Some(from.clone()), ..Default::default() }, None)?;
    let walk = walk_start.elapsed();
    // A freeze in the middle of the synthetic history, so the rule reads every committer time.
    let freeze = NaiveDate::from_ymd_opt(2023, 12, 1);

    let fastest = |rules: &SuggestionRules| -> Result<(Duration, Vec<String>), relman_core::Error> {
        let mut best = Duration::MAX;
        let mut fired = Vec::new();
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let found = suggest(&repo, &range, rules, freeze)?;
            best = best.min(start.elapsed());
            fired =
                found.iter().map(|s| format!("{}:{}c/{}p", s.kind.as_str(), s.commit_count, s.path_count)).collect();
        }
        Ok((best, fired))
    };
    let (all, fired) = fastest(&SuggestionRules::default())?;
    let (no_lines, _) = fastest(&SuggestionRules { large_commit_lines: 0, ..Default::default() })?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{from}..HEAD: {} commits; walk {:.1} ms; suggest {:.1} ms, without line counts {:.1} ms\n  fired (commits/paths): {}",
        range.commits.len(),
        ms(walk),
        ms(all),
        ms(no_lines),
        fired.join(",")
    );
    Ok(())
}
