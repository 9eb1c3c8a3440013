//! One commit as release notes see it: its Conventional Commit parts when it has them, and what every
//! commit has (author, co-authors, issue references, revert target). Non-conventional commits are kept
//! with `kind: None`; invalid UTF-8 is read lossily.

use serde::Serialize;
use ts_rs::TS;

/// A person, as git records them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, TS)]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl Person {
    /// `Name <email>` as git trailers and Relman's actors write it (the closing `>` may be missing);
    /// None without an email.
    pub fn parse(text: &str) -> Option<Person> {
        let (name, rest) = text.split_once('<')?;
        let email = rest.trim().strip_suffix('>').unwrap_or(rest).trim();
        (!email.is_empty()).then(|| Person { name: name.trim().to_string(), email: email.to_string() })
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Commit {
    pub sha: String,
    pub short_sha: String,
    /// The first line of the message.
    pub summary: String,
    /// The conventional type in lower case (`feat`, `fix`…), or None for a non-conventional commit.
    pub kind: Option<String>,
    pub scope: Option<String>,
    /// The description after `type(scope): `, or the summary of a non-conventional commit.
    pub description: String,
    pub body: Option<String>,
    pub breaking: bool,
    /// The `BREAKING CHANGE:` footer's text, when there is one.
    pub breaking_description: Option<String>,
    /// Footers as `(token, value)`, in order.
    pub footers: Vec<(String, String)>,
    /// Issue references: `#123`, `ABC-123`, from the summary, body and footers, in order, once each.
    pub refs: Vec<String>,
    pub author: Person,
    pub co_authors: Vec<Person>,
    /// Author time, seconds since the epoch.
    pub time: i64,
    pub is_merge: bool,
    /// The SHA a revert commit reverts, from "This reverts commit <sha>." (git's own revert message is
    /// not a Conventional Commit, so its `kind` stays None; notes still file it under Reverts.)
    pub reverts: Option<String>,
}

/// What is read from the object database for one commit, before parsing. Reading happens on the
/// walking thread; parsing can then run on another.
pub(crate) struct RawCommit {
    oid: git2::Oid,
    message: Vec<u8>,
    author: Person,
    time: i64,
    is_merge: bool,
}

impl RawCommit {
    pub(crate) fn read(commit: &git2::Commit<'_>) -> Self {
        let author = commit.author();
        RawCommit {
            oid: commit.id(),
            message: commit.message_bytes().to_vec(),
            author: Person {
                name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
                email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            },
            time: author.when().seconds(),
            is_merge: commit.parent_count() > 1,
        }
    }

    pub(crate) fn parse(self) -> Commit {
        let message = String::from_utf8_lossy(&self.message);
        let sha = self.oid.to_string();
        let mut parsed = parse_message(message.trim_end());
        parsed.short_sha = sha[..7].to_string();
        parsed.sha = sha;
        parsed.author = self.author;
        parsed.time = self.time;
        parsed.is_merge = self.is_merge;
        parsed
    }
}

/// Parses a commit message; the identity fields (sha, author, time) are left empty.
pub(crate) fn parse_message(message: &str) -> Commit {
    let summary = message.lines().next().unwrap_or("").trim().to_string();
    let mut commit = Commit {
        sha: String::new(),
        short_sha: String::new(),
        description: summary.clone(),
        summary,
        kind: None,
        scope: None,
        body: None,
        breaking: false,
        breaking_description: None,
        footers: Vec::new(),
        refs: Vec::new(),
        author: Person { name: String::new(), email: String::new() },
        co_authors: Vec::new(),
        time: 0,
        is_merge: false,
        reverts: None,
    };
    match git_conventional::Commit::parse(message) {
        Ok(conventional) => {
            commit.kind = Some(conventional.type_().as_str().to_ascii_lowercase());
            commit.scope = conventional.scope().map(|s| s.as_str().to_string());
            commit.description = conventional.description().trim().to_string();
            commit.body = conventional.body().map(|b| b.trim().to_string()).filter(|b| !b.is_empty());
            commit.breaking = conventional.breaking();
            commit.breaking_description =
                conventional.footers().iter().find(|f| f.breaking()).map(|f| f.value().trim().to_string());
            commit.footers = conventional
                .footers()
                .iter()
                .map(|f| (f.token().as_str().to_string(), f.value().trim().to_string()))
                .collect();
        }
        Err(_) => {
            let rest = message.split_once('\n').map(|(_, rest)| rest.trim()).filter(|r| !r.is_empty());
            commit.body = rest.map(str::to_string);
            commit.footers = trailers(message);
        }
    }
    commit.co_authors = commit
        .footers
        .iter()
        .filter(|(token, _)| token.eq_ignore_ascii_case("co-authored-by"))
        .filter_map(|(_, value)| Person::parse(value))
        .collect();
    commit.refs = issue_refs(message);
    commit.reverts = reverted_sha(message);
    commit
}

/// `Key: value` lines of the last paragraph, git's trailer convention, for non-conventional commits.
fn trailers(message: &str) -> Vec<(String, String)> {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or("");
    if !message.contains("\n\n") {
        return Vec::new();
    }
    last.lines()
        .filter_map(|line| {
            let (token, value) = line.split_once(": ")?;
            let valid = !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            valid.then(|| (token.to_string(), value.trim().to_string()))
        })
        .collect()
}

fn reverted_sha(message: &str) -> Option<String> {
    let start = message.find("This reverts commit ")? + "This reverts commit ".len();
    let sha: String = message[start..].chars().take_while(char::is_ascii_hexdigit).collect();
    (sha.len() >= 7).then_some(sha)
}

/// Standards that look like issue keys (UTF-8, ISO-8601, SHA-256) but never are.
const NOT_ISSUE_KEYS: &[&str] =
    &["UTF", "ISO", "SHA", "HTTP", "TLS", "SSL", "RFC", "IPV", "CVE", "MD", "AES", "RSA", "ECMA"];

/// `#123` and `ABC-123` references, each once, in the order they appear.
fn issue_refs(message: &str) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    let mut push = |r: String| {
        if !refs.contains(&r) {
            refs.push(r);
        }
    };
    let bytes = message.as_bytes();
    let boundary = |i: usize| i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'/');
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' && boundary(i) {
            let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 0 {
                push(message[i..i + 1 + digits].to_string());
                i += 1 + digits;
                continue;
            }
        } else if bytes[i].is_ascii_uppercase() && boundary(i) {
            let key = bytes[i..].iter().take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit()).count();
            let after = i + key;
            if key >= 2 && bytes.get(after) == Some(&b'-') {
                let digits = bytes[after + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                let end = after + 1 + digits;
                let clean_end = bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
                if digits > 0 && clean_end && !NOT_ISSUE_KEYS.contains(&&message[i..after]) {
                    push(message[i..end].to_string());
                    i = end;
                    continue;
                }
            }
            i += key.max(1);
            continue;
        }
        i += 1;
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conventional_commit_has_its_parts() {
        let c = parse_message("feat(api)!: drop the v1 endpoints\n\nLong story.\n\nBREAKING CHANGE: v1 clients must upgrade\nCloses #42\nCo-authored-by: Ana Lima <ana@example.com>");
        assert_eq!((c.kind.as_deref(), c.scope.as_deref()), (Some("feat"), Some("api")));
        assert_eq!(c.description, "drop the v1 endpoints");
        assert!(c.breaking);
        assert_eq!(c.breaking_description.as_deref(), Some("v1 clients must upgrade"));
        assert_eq!(c.refs, ["#42"]);
        assert_eq!(c.co_authors, [Person { name: "Ana Lima".into(), email: "ana@example.com".into() }]);
    }

    #[test]
    fn a_non_conventional_commit_is_kept_with_its_trailers() {
        let c = parse_message("Update README for PROJ-12\n\nSee also #7.\n\nCo-authored-by: Tom <tom@example.com>");
        assert_eq!(c.kind, None, "kept as Other, not dropped");
        assert_eq!(c.description, "Update README for PROJ-12");
        assert_eq!(c.refs, ["PROJ-12", "#7"]);
        assert_eq!(c.co_authors.len(), 1);
    }

    #[test]
    fn reverts_name_their_target() {
        let c = parse_message(
            "Revert \"feat: add export\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.",
        );
        assert_eq!(c.kind, None, "git's revert message is not conventional, as git-cliff agrees");
        assert_eq!(c.reverts.as_deref(), Some("0123456789abcdef0123456789abcdef01234567"));
    }

    #[test]
    fn refs_ignore_look_alikes() {
        assert_eq!(
            issue_refs("fix UTF-8 handling and HTTP-2xx, see a#1 and org/repo#2, JIRA-9x"),
            Vec::<String>::new()
        );
        assert_eq!(issue_refs("Fixes #1, #1 and ABC-7."), ["#1", "ABC-7"]);
    }
}
