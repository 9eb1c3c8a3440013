//! Segregation of duties: who may approve a change. Never the person who requested it; and, where the
//! product asks for it, never an author of the commits the change ships. A pure function, so the rule
//! reads in one place and is tested without a database.

use crate::git::Person;
use crate::{Error, Result};

/// The email of "Name <email>", lower-cased; else the whole text, lower-cased, for people recorded
/// by name only.
fn identity(person: &str) -> String {
    match Person::parse(person) {
        Some(found) => found.email.to_lowercase(),
        None => person.trim().to_lowercase(),
    }
}

/// Whether two recorded people are the same person: by email, or by the whole text for a name alone.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (identity(a), identity(b));
    !a.is_empty() && a == b
}

/// Refuses an approval by the requester, or (with `authors_barred`) by an author of the change's
/// commits, saying who may approve instead.
pub fn may_approve(person: &str, role: &str, requester: &str, authors: &[String], authors_barred: bool) -> Result<()> {
    if same(person, requester) {
        return Err(Error::Conflict(format!(
            "{} requested this change, so cannot approve it as {role}: someone else with the {role} role must.",
            requester.trim()
        )));
    }
    if authors_barred {
        if let Some(author) = authors.iter().find(|a| same(person, a)) {
            return Err(Error::Conflict(format!(
                "{} wrote commits this change ships, and this product asks that authors do not approve their own code: someone else with the {role} role must.",
                author.trim()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requester_and_with_the_rule_the_authors_may_not_approve() {
        let authors = vec!["Tom Becker <tom@example.com>".to_string()];
        let cases: &[(&str, &str, bool, bool)] = &[
            ("Quinn Okafor <quinn@example.com>", "Ana Lima <ana@example.com>", false, true),
            ("Ana Lima <ana@example.com>", "Ana Lima <ana@example.com>", false, false),
            ("A. Lima <ANA@example.com>", "Ana Lima <ana@example.com>", false, false),
            ("ana lima", "Ana Lima", false, false),
            ("Tom Becker <tom@example.com>", "Ana Lima <ana@example.com>", false, true),
            ("Tom Becker <tom@example.com>", "Ana Lima <ana@example.com>", true, false),
            ("Thomas B. <tom@example.com>", "Ana Lima <ana@example.com>", true, false),
        ];
        for (person, requester, barred, allowed) in cases {
            let result = may_approve(person, "CAB", requester, &authors, *barred);
            assert_eq!(result.is_ok(), *allowed, "{person} approving {requester}'s change (authors barred: {barred})");
        }
        let refused =
            may_approve("Ana Lima <ana@example.com>", "CAB", "Ana Lima <ana@example.com>", &[], false).unwrap_err();
        assert!(refused.to_string().contains("someone else with the CAB role must"), "says who may: {refused}");
    }
}
