//! Gitleaks' published rule set (vendored in `rules/gitleaks.toml` with its MIT licence), compiled
//! once, and an entropy check of Relman's own for quoted random-looking strings no rule names.
//!
//! What is honoured of a gitleaks rule: `keywords` (one Aho-Corasick pass over the text picks the
//! rules worth running, as gitleaks does), `regex`, `secretGroup` (else the first non-empty group),
//! `entropy` (with gitleaks' extra "a generic secret has a digit"), `path`, and the global and
//! per-rule `allowlists` (`regexes` with `regexTarget` secret / match / line, `paths`, `stopwords`,
//! `condition` OR / AND). Not honoured: rules that are only a `path` (a `.p12` file is binary, and
//! binary files are not read), allowlisted `commits` (the vendored set has none), and `minVersion`.
//!
//! To update the rules, replace `rules/gitleaks.toml` with a newer `config/gitleaks.toml` of gitleaks
//! and run the tests: a rule that does not compile fails `the_vendored_rules_all_compile`.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::{Error, Result};

const GITLEAKS: &str = include_str!("rules/gitleaks.toml");

/// The id of Relman's own entropy check, beside gitleaks' rule ids.
pub const HIGH_ENTROPY: &str = "high-entropy-string";

#[derive(Deserialize)]
struct RawConfig {
    allowlist: Option<RawAllow>,
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRule {
    id: String,
    description: String,
    regex: Option<String>,
    path: Option<String>,
    entropy: Option<f64>,
    secret_group: Option<usize>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    allowlists: Vec<RawAllow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAllow {
    condition: Option<String>,
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
}

/// One rule, compiled.
pub struct Rule {
    pub id: String,
    pub description: String,
    regex: Regex,
    path: Option<Regex>,
    entropy: Option<f64>,
    secret_group: usize,
    allowlists: Vec<Allowlist>,
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Secret,
    Match,
    Line,
}

struct Allowlist {
    all: bool,
    target: Target,
    regexes: Vec<Regex>,
    paths: Vec<Regex>,
    stopwords: Vec<String>,
}

/// The rules, their keywords as one automaton, and the global allowlist.
pub struct RuleSet {
    pub rules: Vec<Rule>,
    keywords: AhoCorasick,
    /// For each keyword of the automaton, the rules that name it.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: run on every text.
    always: Vec<usize>,
    global: Allowlist,
    entropy: Regex,
}

/// A secret found in a text: the rule (None for the entropy check), where the secret is in the text,
/// and its Shannon entropy.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rule: Option<usize>,
    pub start: usize,
    pub end: usize,
    pub entropy: f64,
}

impl RuleSet {
    /// The vendored rules, compiled on first use (a few hundred milliseconds) and kept.
    pub fn vendored() -> Result<&'static RuleSet> {
        static RULES: OnceLock<std::result::Result<RuleSet, String>> = OnceLock::new();
        RULES
            .get_or_init(|| RuleSet::parse(GITLEAKS).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Io(e.clone()))
    }

    /// Compiles a gitleaks configuration.
    pub fn parse(text: &str) -> Result<RuleSet> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| Error::Io(format!("The secret-scanning rules are not valid TOML: {e}")))?;
        let mut rules = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for r in raw.rules {
            // A rule that is only a path names a kind of file, which is binary: not read here.
            let Some(regex) = &r.regex else { continue };
            let index = rules.len();
            for word in &r.keywords {
                let word = word.to_ascii_lowercase();
                match words.iter().position(|w| *w == word) {
                    Some(at) => keyword_rules[at].push(index),
                    None => {
                        words.push(word);
                        keyword_rules.push(vec![index]);
                    }
                }
            }
            if r.keywords.is_empty() {
                always.push(index);
            }
            let what = |part: &str| format!("rule {} ({part})", r.id);
            rules.push(Rule {
                regex: compile(regex, &what("regex"))?,
                path: r.path.as_deref().map(|p| compile(p, &what("path"))).transpose()?,
                entropy: r.entropy.filter(|e| *e > 0.0),
                secret_group: r.secret_group.unwrap_or(0),
                allowlists: r.allowlists.iter().map(|a| allowlist(a, &what("allowlist"))).collect::<Result<_>>()?,
                id: r.id,
                description: r.description,
            });
        }
        let keywords = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .map_err(|e| Error::Io(format!("The secret-scanning keywords do not build: {e}")))?;
        let global = match &raw.allowlist {
            Some(a) => allowlist(a, "the global allowlist")?,
            None => Allowlist { all: false, target: Target::Secret, regexes: vec![], paths: vec![], stopwords: vec![] },
        };
        // A quoted (or assigned) run of base64 or URL-safe characters: what a key pasted into code looks like.
        let entropy =
            compile(r#"(?:["'`]|[=:][ \t]*)([A-Za-z0-9+/_\-]{24,256}={0,2})(?:["'`]|[ \t]*$|[ \t;,])"#, "entropy")?;
        Ok(RuleSet { rules, keywords, keyword_rules, always, global, entropy })
    }

    /// Whether the path is one gitleaks never reads (images, fonts, vendored and installed packages,
    /// lock files).
    pub fn skips_path(&self, path: &str) -> bool {
        self.global.paths.iter().any(|p| p.is_match(path.as_bytes()))
    }

    /// The secrets in `text`, the added lines of one file at `path`, in order of where they start.
    pub fn scan(&self, path: &str, text: &[u8]) -> Vec<Hit> {
        let mut candidates: Vec<usize> = self.always.clone();
        for found in self.keywords.find_overlapping_iter(text) {
            candidates.extend(&self.keyword_rules[found.pattern().as_usize()]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut hits = Vec::new();
        for index in candidates {
            let rule = &self.rules[index];
            if rule.path.as_ref().is_some_and(|p| !p.is_match(path.as_bytes())) {
                continue;
            }
            for caps in rule.regex.captures_iter(text) {
                let whole = caps.get(0).map_or(0..0, |m| m.range());
                let secret = match rule.secret_group {
                    0 => caps.iter().skip(1).flatten().find(|m| !m.is_empty()).map(|m| m.range()),
                    group => caps.get(group).map(|m| m.range()),
                }
                .unwrap_or_else(|| whole.clone());
                let value = &text[secret.clone()];
                let entropy = shannon(value);
                if let Some(minimum) = rule.entropy {
                    if entropy <= minimum || (rule.id.starts_with("generic") && !value.iter().any(u8::is_ascii_digit)) {
                        continue;
                    }
                }
                let allowed = |a: &Allowlist| a.allows(path, text, value, whole.clone());
                if allowed(&self.global) || rule.allowlists.iter().any(allowed) {
                    continue;
                }
                hits.push(Hit { rule: Some(index), start: secret.start, end: secret.end, entropy });
            }
        }
        // A generic rule's hit where a rule for the service found the same secret says less: dropped.
        let specific: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| h.rule.is_some_and(|r| !self.rules[r].id.starts_with("generic")))
            .map(|h| (h.start, h.end))
            .collect();
        let overlaps =
            |start: usize, end: usize, spans: &[(usize, usize)]| spans.iter().any(|(s, e)| *s < end && start < *e);
        hits.retain(|h| {
            h.rule.is_some_and(|r| !self.rules[r].id.starts_with("generic")) || !overlaps(h.start, h.end, &specific)
        });
        let found: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
        if is_data_file(path) {
            hits.sort_by_key(|h| (h.start, h.rule));
            return hits;
        }
        for caps in self.entropy.captures_iter(text) {
            let Some(m) = caps.get(1) else { continue };
            let value = m.as_bytes();
            let entropy = shannon(value);
            if looks_random(value, entropy)
                && !overlaps(m.start(), m.end(), &found)
                && !self.global.allows(path, text, value, m.range())
            {
                hits.push(Hit { rule: None, start: m.start(), end: m.end(), entropy });
            }
        }
        hits.sort_by_key(|h| (h.start, h.rule));
        hits
    }
}

/// Data files (JSON, CSV, XML and the like) are full of encoded digests, signatures and ids that
/// read as random: the entropy check leaves them to gitleaks' rules, which still read them. Measured
/// on a real range (GitHub CLI v2.40.0..v2.60.0), it otherwise flagged 192 signatures and digests in
/// the test data of 2 JSON files, and nothing else.
fn is_data_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let data = [".json", ".jsonl", ".ndjson", ".geojson", ".csv", ".tsv", ".xml", ".svg", ".har", ".snap"];
    data.iter().any(|ext| name.ends_with(ext))
}

/// Whether a quoted run of 24 or more letters and digits reads as random rather than as a name:
/// within 0.6 bits of the most a string of its length can score (a random base62 string of 24 scores
/// about 4.2, `ThisIsAnIdentifierName2026` 4.0 against its 4.7), both cases, and digits mixed in
/// among the letters rather than a number at the end.
fn looks_random(value: &[u8], entropy: f64) -> bool {
    let most = (value.len() as f64).log2();
    let changes = value.windows(2).filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit()).count();
    entropy >= (most - 0.6).min(4.6)
        && value.iter().any(u8::is_ascii_uppercase)
        && value.iter().any(u8::is_ascii_lowercase)
        && changes >= 4
}

impl Allowlist {
    /// Whether this allowlist lets the secret through: any of its checks (OR, gitleaks' default), or
    /// all that it has (AND).
    fn allows(&self, path: &str, text: &[u8], secret: &[u8], whole: std::ops::Range<usize>) -> bool {
        let mut checks: Vec<bool> = Vec::new();
        if !self.paths.is_empty() {
            checks.push(self.paths.iter().any(|p| p.is_match(path.as_bytes())));
        }
        if !self.regexes.is_empty() {
            let target = match self.target {
                Target::Secret => secret,
                Target::Match => &text[whole],
                Target::Line => {
                    let start = text[..whole.start].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                    let end = text[whole.end..].iter().position(|b| *b == b'\n').map_or(text.len(), |i| whole.end + i);
                    &text[start..end]
                }
            };
            checks.push(self.regexes.iter().any(|r| r.is_match(target)));
        }
        if !self.stopwords.is_empty() {
            let lower = secret.to_ascii_lowercase();
            checks.push(self.stopwords.iter().any(|w| contains(&lower, w.as_bytes())));
        }
        match self.all {
            true => !checks.is_empty() && checks.iter().all(|c| *c),
            false => checks.iter().any(|c| *c),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

fn allowlist(raw: &RawAllow, what: &str) -> Result<Allowlist> {
    let target = match raw.regex_target.as_deref() {
        None | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => return Err(Error::Io(format!("{what}: unknown regexTarget \"{other}\""))),
    };
    Ok(Allowlist {
        all: raw.condition.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("and")),
        target,
        regexes: raw.regexes.iter().map(|r| compile(r, what)).collect::<Result<_>>()?,
        paths: raw.paths.iter().map(|p| compile(p, what)).collect::<Result<_>>()?,
        stopwords: raw.stopwords.iter().map(|w| w.to_ascii_lowercase()).collect(),
    })
}

/// Compiles a gitleaks (Go RE2) expression for bytes, ASCII classes as RE2 has them.
fn compile(expression: &str, what: &str) -> Result<Regex> {
    RegexBuilder::new(&literal_braces(expression))
        .unicode(false)
        .size_limit(1 << 24)
        .build()
        .map_err(|e| Error::Io(format!("The secret-scanning {what} does not compile: {e}")))
}

/// RE2 reads a `{` that cannot start a repetition (`{{ .Values }}`) as a literal; Rust's regex
/// refuses it. Escapes such braces, and the `}` that closes them.
fn literal_braces(expression: &str) -> String {
    let bytes = expression.as_bytes();
    let mut out = String::with_capacity(expression.len() + 8);
    let mut open_repetition = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' && i + 1 < bytes.len() {
            out.push_str(&expression[i..i + 2 + utf8_tail(&bytes[i + 1..])]);
            i += 2 + utf8_tail(&bytes[i + 1..]);
            continue;
        }
        if c == b'{' {
            let rest = &expression[i + 1..];
            let repetition = rest.find('}').is_some_and(|j| {
                let inner = &rest[..j];
                inner.starts_with(|c: char| c.is_ascii_digit()) && inner.chars().all(|c| c.is_ascii_digit() || c == ',')
            });
            if repetition {
                open_repetition = true;
                out.push('{');
            } else {
                out.push_str("\\{");
            }
            i += 1;
            continue;
        }
        if c == b'}' {
            if open_repetition {
                open_repetition = false;
                out.push('}');
            } else {
                out.push_str("\\}");
            }
            i += 1;
            continue;
        }
        let width = 1 + utf8_tail(&bytes[i..]);
        out.push_str(&expression[i..i + width]);
        i += width;
    }
    out
}

/// How many continuation bytes follow the character starting `bytes`.
fn utf8_tail(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(b) if *b >= 0xF0 => 3,
        Some(b) if *b >= 0xE0 => 2,
        Some(b) if *b >= 0xC0 => 1,
        _ => 0,
    }
}

/// Shannon entropy in bits per byte.
pub fn shannon(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for b in value {
        counts[*b as usize] += 1;
    }
    let n = value.len() as f64;
    counts.iter().filter(|c| **c > 0).map(|c| *c as f64 / n).map(|p| -p * p.log2()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_rules_all_compile() {
        let set = RuleSet::vendored().unwrap();
        assert_eq!(set.rules.len(), 221, "222 rules, one of them only a path");
    }

    #[test]
    fn braces_that_are_not_repetitions_are_escaped() {
        assert_eq!(literal_braces(r"a{2,3}\{x}{{ .V }}"), r"a{2,3}\{x\}\{\{ .V \}\}");
        assert_eq!(literal_braces(r"^\$(?:\d+|{\d+})$"), r"^\$(?:\d+|\{\d+\})$");
    }

    #[test]
    fn an_aws_key_is_found_and_gitleaks_example_key_is_allowed() {
        let set = RuleSet::vendored().unwrap();
        let text = b"aws_key = \"AKIAQ7BX3ZLM2KVR4TWY\"\nexample = \"AKIAIOSFODNN7EXAMPLE\"\n";
        let hits = set.scan("config/deploy.env", text);
        let named: Vec<(&str, &[u8])> = hits
            .iter()
            .map(|h| (h.rule.map_or(HIGH_ENTROPY, |r| set.rules[r].id.as_str()), &text[h.start..h.end]))
            .collect();
        assert_eq!(named, [("aws-access-token", &b"AKIAQ7BX3ZLM2KVR4TWY"[..])], "the EXAMPLE key is allowlisted");
    }

    #[test]
    fn the_entropy_check_wants_a_long_random_mixed_string() {
        let set = RuleSet::vendored().unwrap();
        let ids =
            |text: &[u8]| -> Vec<Option<usize>> { set.scan("src/a.rs", text).into_iter().map(|h| h.rule).collect() };
        assert_eq!(ids(b"let seed = \"q7Xk2LpZ9vRt4WmN8bYc3HsJ6dFg\";"), [None], "random, quoted");
        assert!(ids(b"let name = \"ThisIsAnIdentifierName2026\";").is_empty(), "an identifier");
        assert!(ids(b"let sha = \"0123456789abcdef0123456789abcdef01234567\";").is_empty(), "a hex hash");
        assert!(ids(b"let short = \"q7Xk2LpZ9vRt\";").is_empty(), "too short");
    }

    #[test]
    fn data_files_are_left_to_the_rules_not_to_the_entropy_check() {
        let set = RuleSet::vendored().unwrap();
        let random = b"{ \"signature\": \"q7Xk2LpZ9vRt4WmN8bYc3HsJ6dFg\" }";
        assert!(set.scan("test/data/bundle.json", random).is_empty(), "a signature in a JSON data file");
        assert_eq!(set.scan("src/a.ts", random).len(), 1, "the same string in code");
        let key = b"{ \"aws\": \"AKIAQ7BX3ZLM2KVR4TWY\" }";
        assert_eq!(set.scan("config/settings.json", key).len(), 1, "gitleaks' rules still read JSON");
    }
}
