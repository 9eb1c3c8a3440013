//! The path patterns of [`SuggestionRules`](super::SuggestionRules), compiled once per call.
//!
//! A pattern is read the way people write them in settings, then turned into a glob that `globset`
//! matches against the repository-relative path (always `/`-separated, as git stores it):
//!
//! | pattern            | means                                   | glob                |
//! |--------------------|-----------------------------------------|---------------------|
//! | `migrations/`      | that folder, anywhere in the path       | `**/migrations/**`  |
//! | `/migrations/`     | that folder at the repository's root    | `migrations/**`     |
//! | `*.sql`            | a file name, in any folder              | `**/*.sql`          |
//! | `db/schema.rb`     | the full path from the root             | `db/schema.rb`      |
//!
//! `*` and `?` never cross a `/`; `**` does. Matching is case-sensitive, like git.

use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::{Error, Result};

/// One rule's patterns, ready to match.
pub(super) struct PathPatterns {
    set: GlobSet,
}

impl PathPatterns {
    /// Compiles `patterns`; `what` names the list in the error ("migration paths"). Blank entries are
    /// skipped: a settings form leaves them behind when someone clears a line.
    pub(super) fn compile(what: &str, patterns: &[String]) -> Result<Self> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let glob = glob_of(pattern).ok_or_else(|| {
                Error::invalid_field(
                    "rules",
                    format!(
                        "The {what} pattern \"{pattern}\" names no folder or file; write a folder such as \
                         `migrations/`, a file name such as `*.sql`, or a path such as `db/schema.rb`."
                    ),
                )
            })?;
            // Explicit options rather than the platform's defaults: git paths use `/` on every system.
            let compiled =
                GlobBuilder::new(&glob).literal_separator(true).backslash_escape(true).build().map_err(|e| {
                    Error::invalid_field(
                        "rules",
                        format!(
                            "The {what} pattern \"{pattern}\" is not a valid pattern ({}); correct or remove it.",
                            e.kind()
                        ),
                    )
                })?;
            builder.add(compiled);
        }
        let set = builder.build().map_err(|e| {
            Error::invalid_field(
                "rules",
                format!("The {what} patterns cannot be used together ({}); simplify or remove some of them.", e.kind()),
            )
        })?;
        Ok(PathPatterns { set })
    }

    pub(super) fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Whether a repository-relative path, as git's raw bytes, matches any pattern.
    pub(super) fn matches(&self, path: &[u8]) -> bool {
        self.set.is_match_candidate(&Candidate::from_bytes(path))
    }
}

/// The glob for a pattern as people write it (see the module docs), or None when nothing is left of
/// it once its slashes are read.
fn glob_of(pattern: &str) -> Option<String> {
    let (anchored, rest) = match pattern.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let glob = match rest.strip_suffix('/') {
        Some(folder) if folder.trim_matches('/').is_empty() => return None,
        Some(folder) if anchored => format!("{folder}/**"),
        Some(folder) => format!("**/{folder}/**"),
        None if rest.is_empty() => return None,
        None if anchored || rest.contains('/') => rest.to_string(),
        None => format!("**/{rest}"),
    };
    Some(glob)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(list: &[&str]) -> PathPatterns {
        let owned: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        PathPatterns::compile("test", &owned).expect("valid patterns")
    }

    #[test]
    fn a_folder_pattern_matches_that_folder_anywhere() {
        let p = patterns(&["migrations/"]);
        assert!(p.matches(b"migrations/0001.sql"), "the folder at the root");
        assert!(p.matches(b"db/migrations/0001.sql"), "the folder deeper down, as the settings hint promises");
        assert!(p.matches(b"db/migrations/2026/01/0001.sql"), "anything below the folder");
        assert!(!p.matches(b"db/migrations.rs"), "a file named like the folder is not in it");
        assert!(!p.matches(b"db/old-migrations/0001.sql"), "a folder whose name only ends the same is another folder");
    }

    #[test]
    fn a_multi_level_folder_pattern_keeps_its_levels_together() {
        let p = patterns(&[".github/workflows/"]);
        assert!(p.matches(b".github/workflows/ci.yml"), "CI configuration at the root");
        assert!(p.matches(b"services/api/.github/workflows/ci.yml"), "a folder pattern matches anywhere");
        assert!(!p.matches(b".github/CODEOWNERS"), "the parent folder alone is not the workflows folder");
    }

    #[test]
    fn a_leading_slash_anchors_a_pattern_at_the_root() {
        let p = patterns(&["/migrations/"]);
        assert!(p.matches(b"migrations/0001.sql"));
        assert!(!p.matches(b"vendor/lib/migrations/0001.sql"), "a vendored library's migrations are not ours");
        let file = patterns(&["/Cargo.toml"]);
        assert!(file.matches(b"Cargo.toml"));
        assert!(!file.matches(b"crates/core/Cargo.toml"), "only the workspace manifest");
    }

    #[test]
    fn a_pattern_without_a_slash_matches_the_file_name_in_any_folder() {
        let p = patterns(&["*.sql", "Dockerfile", "requirements*.txt"]);
        assert!(p.matches(b"schema.sql"));
        assert!(p.matches(b"db/seeds/users.sql"), "*.sql is about the name, wherever the file is");
        assert!(p.matches(b"deploy/Dockerfile"));
        assert!(p.matches(b"tools/requirements-dev.txt"));
        assert!(!p.matches(b"Dockerfile.md"), "a name pattern matches the whole name");
        assert!(!p.matches(b"docs/sql/intro.md"), "a folder named sql holds no .sql file here");
        assert!(!p.matches(b"dockerfile"), "git paths are case-sensitive, so patterns are too");
    }

    #[test]
    fn a_pattern_with_an_inner_slash_matches_the_full_path_from_the_root() {
        let p = patterns(&["db/schema.rb", "deploy/*.yaml"]);
        assert!(p.matches(b"db/schema.rb"));
        assert!(!p.matches(b"legacy/db/schema.rb"), "a full path is anchored at the root");
        assert!(p.matches(b"deploy/prod.yaml"));
        assert!(!p.matches(b"deploy/prod/app.yaml"), "* stops at a slash");
        let deep = patterns(&["deploy/**/*.yaml"]);
        assert!(deep.matches(b"deploy/prod/app.yaml"), "** crosses folders when asked to");
    }

    #[test]
    fn the_default_rules_compile_and_match_what_their_docs_say() {
        let rules = super::super::SuggestionRules::default();
        let infra = PathPatterns::compile("infrastructure paths", &rules.infrastructure_paths).unwrap();
        assert!(infra.matches(b".github/workflows/release.yml"));
        assert!(infra.matches(b"ops/main.tf"));
        assert!(infra.matches(b"k8s/base/deployment.yaml"));
        let deps = PathPatterns::compile("dependency paths", &rules.dependency_paths).unwrap();
        assert!(deps.matches(b"crates/core/Cargo.toml"), "a member crate's manifest is a dependency change too");
        assert!(deps.matches(b"app/build.gradle.kts"));
        assert!(!deps.matches(b"src/main.rs"));
    }

    #[test]
    fn blank_entries_are_skipped_and_bad_ones_name_the_pattern() {
        assert!(patterns(&["", "  "]).is_empty(), "cleared lines in the settings form are not patterns");
        let err = PathPatterns::compile("migration paths", &["db/[migrations".to_string()]).err().unwrap();
        assert_eq!(err.field(), Some("rules"), "the settings form shows the error beside the rules");
        let message = err.to_string();
        assert!(message.contains("\"db/[migrations\""), "the message quotes the pattern as typed: {message}");
        assert!(message.contains("migration paths"), "and says which list it is in: {message}");
        assert!(message.contains("missing ']'"), "and what is wrong with it: {message}");
        let err = PathPatterns::compile("migration paths", &["/".to_string()]).err().unwrap();
        assert!(err.to_string().contains("names no folder or file"), "{err}");
    }
}
