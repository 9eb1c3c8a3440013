//! Risks suggested from a release's git range: what the code about to ship says about the release.
//! Each rule looks at the range and, when it fires, proposes one prefilled risk with its evidence
//! (commits and paths). The user accepts a suggestion into the register or dismisses it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Category;

/// Per product: which paths mean what, and what counts as a very large commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SuggestionRules {
    /// Database migrations, e.g. `migrations/`, `*.sql`.
    pub migration_paths: Vec<String>,
    /// Dependency manifests and lock files, e.g. `Cargo.lock`, `package.json`.
    pub dependency_paths: Vec<String>,
    /// Infrastructure: `Dockerfile`, `*.tf`, CI configuration.
    pub infrastructure_paths: Vec<String>,
    /// A commit touching at least this many files is very large.
    pub large_commit_files: u32,
    /// A commit adding and removing at least this many lines in total is very large.
    pub large_commit_lines: u32,
}

impl Default for SuggestionRules {
    fn default() -> Self {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        SuggestionRules {
            migration_paths: owned(&["migrations/", "migrate/", "*.sql"]),
            dependency_paths: owned(&[
                "Cargo.toml",
                "Cargo.lock",
                "package.json",
                "package-lock.json",
                "yarn.lock",
                "pnpm-lock.yaml",
                "go.mod",
                "go.sum",
                "requirements*.txt",
                "poetry.lock",
                "Pipfile.lock",
                "Gemfile.lock",
                "pom.xml",
                "build.gradle*",
                "composer.lock",
            ]),
            infrastructure_paths: owned(&[
                "Dockerfile",
                "*.dockerfile",
                "docker-compose*.yml",
                "*.tf",
                "*.tfvars",
                ".github/workflows/",
                ".gitlab-ci.yml",
                "Jenkinsfile",
                "k8s/",
                "helm/",
                "charts/",
            ]),
            large_commit_files: 50,
            large_commit_lines: 2000,
        }
    }
}

/// Which rule a suggestion comes from; also its key for remembering a dismissal per release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    Migrations,
    Dependencies,
    Infrastructure,
    LargeChange,
    Reverts,
    AfterCodeFreeze,
    BreakingChanges,
}

impl SuggestionKind {
    pub const ALL: [SuggestionKind; 7] = [
        SuggestionKind::Migrations,
        SuggestionKind::Dependencies,
        SuggestionKind::Infrastructure,
        SuggestionKind::LargeChange,
        SuggestionKind::Reverts,
        SuggestionKind::AfterCodeFreeze,
        SuggestionKind::BreakingChanges,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionKind::Migrations => "migrations",
            SuggestionKind::Dependencies => "dependencies",
            SuggestionKind::Infrastructure => "infrastructure",
            SuggestionKind::LargeChange => "large_change",
            SuggestionKind::Reverts => "reverts",
            SuggestionKind::AfterCodeFreeze => "after_code_freeze",
            SuggestionKind::BreakingChanges => "breaking_changes",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        SuggestionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A commit named as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EvidenceCommit {
    pub sha: String,
    pub short_sha: String,
    pub summary: String,
}

/// One proposed risk, prefilled, with what made the rule fire.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub likelihood: u8,
    pub impact: u8,
    pub mitigation: String,
    /// The commits behind it, newest first (at most a handful; `commit_count` has the total).
    pub commits: Vec<EvidenceCommit>,
    pub commit_count: u32,
    /// The paths behind it, sorted (at most a handful; `path_count` has the total).
    pub paths: Vec<String>,
    pub path_count: u32,
}

/// Placeholder until the engine lands from its branch.
pub fn suggest(
    _repo: &crate::git::Repo,
    _range: &crate::git::CommitRange,
    _rules: &SuggestionRules,
    _code_freeze: Option<chrono::NaiveDate>,
) -> crate::Result<Vec<Suggestion>> {
    Ok(Vec::new())
}
