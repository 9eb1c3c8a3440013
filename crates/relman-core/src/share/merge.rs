//! The three-way merge of two copies of the plan against the last state both had (the base), file by
//! file and field by field. A pure function: the whole of the merge rules, tested without git or
//! SQLite.
//!
//! - A file one side added, changed or removed while the other left it alone: that side's version.
//! - A file both changed: field by field. A field one side changed: that side's value. Both changed
//!   it to the same value: that value. Both changed it to different values: a **conflict**. The
//!   merged file keeps this side's value and a conflict file records both values with who and when,
//!   so every copy that syncs afterwards shows the same conflict until a person picks one. Nothing is
//!   decided by clock: not a sign-off, not a go/no-go, not a release's status.
//! - Timestamps of the last change (`updated_at`) and the file's author (`_by`, `_at`) follow the
//!   later change; they never conflict.
//! - A file one side removed and the other changed is kept, changed: nothing is lost silently.
//! - Records (sign-offs, decisions, status moves, deploy actions) are only ever added, so two copies
//!   merge by union.

use serde_json::{Map, Value};

use super::kinds::{self, Kind};
use super::state::{path, State};

/// Who is merging, and when: named on the conflicts found.
pub struct Merger<'a> {
    pub by: &'a str,
    pub at: &'a str,
}

/// Merges `ours` and `theirs` against `base`.
pub fn merge(base: &State, ours: &State, theirs: &State, merger: &Merger<'_>) -> State {
    let mut merged = State::new();
    let mut conflicts = Vec::new();
    let paths: std::collections::BTreeSet<&String> = base.keys().chain(ours.keys()).chain(theirs.keys()).collect();
    for path in paths {
        let (b, o, t) = (base.get(path), ours.get(path), theirs.get(path));
        let kind = super::state::kind_of(path);
        let value = match (o == b, t == b) {
            (true, _) => t.cloned(),
            (false, true) => o.cloned(),
            (false, false) if o == t => o.cloned(),
            (false, false) => match (o, t, kind) {
                (Some(o), Some(t), Some(kind)) if kind.name == kinds::CONFLICTS => Some(same_conflict(o, t)),
                (Some(o), Some(t), Some(kind)) => Some(fields(kind, b, o, t, &mut conflicts)),
                // Removed on one side, changed on the other: the change is kept.
                (Some(kept), None, _) | (None, Some(kept), _) => Some(kept.clone()),
                (Some(o), Some(_), None) => Some(o.clone()),
                (None, None, _) => None,
            },
        };
        if let Some(value) = value {
            merged.insert(path.clone(), value);
        }
    }
    for conflict in conflicts {
        let at = path(conflicts_kind(), &conflict.uid());
        let file = conflict.file(merger);
        let file = match merged.get(&at) {
            Some(earlier) => same_conflict(earlier, &file),
            None => file,
        };
        merged.insert(at, file);
    }
    merged
}

fn conflicts_kind() -> &'static Kind {
    kinds::by_name(kinds::CONFLICTS).unwrap_or(&kinds::KINDS[0])
}

/// Two values of one field, and the value both started from.
struct FieldConflict {
    kind: &'static str,
    entity: String,
    field: String,
    base: Value,
    candidates: [Value; 2],
}

impl FieldConflict {
    fn uid(&self) -> String {
        format!("{}.{}.{}", self.kind, self.entity, self.field)
    }

    fn file(&self, merger: &Merger<'_>) -> Value {
        let mut candidates = self.candidates.to_vec();
        candidates.sort_by_key(|c| text_of(c, "at"));
        let candidates = Value::Array(candidates).to_string();
        serde_json::json!({
            "uid": self.uid(),
            "kind": self.kind,
            "entity_uid": self.entity,
            "field": self.field,
            "base": self.base.to_string(),
            "candidates": candidates,
            "found_by": merger.by,
            "found_at": merger.at,
            "_by": merger.by,
            "_at": merger.at,
        })
    }
}

/// Field by field, for a file both sides changed.
fn fields(
    kind: &'static Kind,
    base: Option<&Value>,
    ours: &Value,
    theirs: &Value,
    conflicts: &mut Vec<FieldConflict>,
) -> Value {
    let empty = Map::new();
    let base = base.and_then(Value::as_object).unwrap_or(&empty);
    let (Some(o), Some(t)) = (ours.as_object(), theirs.as_object()) else { return ours.clone() };
    let mut merged = o.clone();
    let later_is_theirs = text(t, "_at") > text(o, "_at");
    let mut theirs_changed_data = false;
    let mut ours_changed_data = false;
    let keys: std::collections::BTreeSet<&String> = o.keys().chain(t.keys()).collect();
    for key in keys {
        if key.starts_with('_') || key == "uid" {
            continue;
        }
        // A field one side's file lacks (written by a Relman from before it was shared) is unchanged
        // on that side, not removed: it never wins over the other side's change.
        let b = base.get(key);
        let (ov, tv) = (o.get(key).or(b), t.get(key).or(b));
        if kind.latest.contains(&key.as_str()) {
            let later = if text(t, key) > text(o, key) { tv } else { ov };
            if let Some(v) = later {
                merged.insert(key.clone(), v.clone());
            }
            continue;
        }
        ours_changed_data |= ov != b;
        theirs_changed_data |= tv != b;
        match (ov == b, tv == b) {
            (true, false) => {
                set(&mut merged, key, tv);
            }
            (false, false) if ov != tv => conflicts.push(FieldConflict {
                kind: kind.name,
                entity: text(o, "uid"),
                field: key.clone(),
                base: b.cloned().unwrap_or(Value::Null),
                candidates: [candidate(ov, o), candidate(tv, t)],
            }),
            _ => {}
        }
    }
    // The author of the merged file is the one whose change is in it; of two, the later.
    let author = match (ours_changed_data, theirs_changed_data) {
        (false, true) => t,
        (true, true) | (false, false) if later_is_theirs => t,
        _ => o,
    };
    for key in ["_by", "_at"] {
        set(&mut merged, key, author.get(key));
    }
    Value::Object(merged)
}

fn candidate(value: Option<&Value>, file: &Map<String, Value>) -> Value {
    serde_json::json!({ "value": value.cloned().unwrap_or(Value::Null), "by": text(file, "_by"), "at": text(file, "_at") })
}

/// The same conflict found on both sides (each with its own values, who and when): one conflict
/// with every distinct candidate, found by whoever found it first.
pub(crate) fn same_conflict(ours: &Value, theirs: &Value) -> Value {
    let list = |file: &Value| -> Vec<Value> {
        file.get("candidates").and_then(Value::as_str).and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
    };
    let mut candidates = list(ours);
    for candidate in list(theirs) {
        if !candidates.iter().any(|c| c.get("value") == candidate.get("value")) {
            candidates.push(candidate);
        }
    }
    candidates.sort_by_key(|c| text_of(c, "at"));
    let first = if text_of(theirs, "found_at") < text_of(ours, "found_at") { theirs } else { ours };
    let mut merged = first.clone();
    if let Some(map) = merged.as_object_mut() {
        map.insert("candidates".into(), Value::String(Value::Array(candidates).to_string()));
    }
    merged
}

fn set(map: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
    match value {
        Some(v) => map.insert(key.to_string(), v.clone()),
        None => map.remove(key),
    };
}

fn text(map: &Map<String, Value>, key: &str) -> String {
    map.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn text_of(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const RELEASE: &str = "releases/aa/r-aa.json";

    fn plan(release: Option<Value>) -> State {
        release.into_iter().map(|r| (RELEASE.to_string(), r)).collect()
    }

    fn release(description: &str, owner: &str, target: &str, by: &str, at: &str) -> Value {
        json!({ "uid": "r-aa", "description": description, "owner": owner, "target_date": target,
                "status": "planned", "updated_at": at, "_by": by, "_at": at })
    }

    fn merged(base: Option<Value>, ours: Option<Value>, theirs: Option<Value>) -> State {
        merge(
            &plan(base),
            &plan(ours),
            &plan(theirs),
            &Merger { by: "Ana <ana@example.com>", at: "2026-12-02T09:00:00Z" },
        )
    }

    #[test]
    fn each_rule_in_a_table() {
        let base = release("Search", "Ana", "2026-12-10", "Ana", "2026-12-01T08:00:00Z");
        let described = release("Search, faster", "Ana", "2026-12-10", "Ana", "2026-12-01T09:00:00Z");
        let owned = release("Search", "Ben", "2026-12-10", "Ben", "2026-12-01T10:00:00Z");
        let both = release("Search, faster", "Ben", "2026-12-10", "Ben", "2026-12-01T10:00:00Z");
        type Case = (&'static str, Option<Value>, Option<Value>, Option<Value>, Option<Value>);
        let cases: Vec<Case> = vec![
            ("unchanged", Some(base.clone()), Some(base.clone()), Some(base.clone()), Some(base.clone())),
            (
                "only ours changed",
                Some(base.clone()),
                Some(described.clone()),
                Some(base.clone()),
                Some(described.clone()),
            ),
            ("only theirs changed", Some(base.clone()), Some(base.clone()), Some(owned.clone()), Some(owned.clone())),
            (
                "different fields merge, the later author named",
                Some(base.clone()),
                Some(described.clone()),
                Some(owned.clone()),
                Some(both),
            ),
            ("added on one side", None, None, Some(base.clone()), Some(base.clone())),
            ("removed on one side, untouched on the other", Some(base.clone()), None, Some(base.clone()), None),
            (
                "removed on one side, changed on the other: kept",
                Some(base.clone()),
                Some(described.clone()),
                None,
                Some(described.clone()),
            ),
            ("removed on both", Some(base.clone()), None, None, None),
        ];
        for (what, b, o, t, expected) in cases {
            let result = merged(b, o, t);
            assert_eq!(result.get(RELEASE), expected.as_ref(), "{what}");
            assert_eq!(result.len(), usize::from(expected.is_some()), "{what}: no conflict file");
        }
    }

    #[test]
    fn one_field_changed_both_ways_is_a_conflict_with_both_values_who_and_when() {
        let base = release("Search", "Ana", "2026-12-10", "Ana", "2026-12-01T08:00:00Z");
        let ours = release("Search", "Ana", "2026-12-12", "Ana <ana@example.com>", "2026-12-01T09:00:00Z");
        let theirs = release("Search", "Ana", "2026-12-15", "Ben <ben@example.com>", "2026-12-01T10:00:00Z");
        let result = merged(Some(base), Some(ours), Some(theirs));
        assert_eq!(result[RELEASE]["target_date"], "2026-12-12", "this copy keeps its value until a person picks");
        let conflict = result.values().find(|f| f["kind"] == "releases").expect("a conflict file");
        assert_eq!(
            (conflict["field"].as_str(), conflict["base"].as_str()),
            (Some("target_date"), Some("\"2026-12-10\""))
        );
        let candidates: Vec<Value> = serde_json::from_str(conflict["candidates"].as_str().unwrap()).unwrap();
        assert_eq!(
            candidates,
            vec![
                json!({ "value": "2026-12-12", "by": "Ana <ana@example.com>", "at": "2026-12-01T09:00:00Z" }),
                json!({ "value": "2026-12-15", "by": "Ben <ben@example.com>", "at": "2026-12-01T10:00:00Z" }),
            ]
        );
        assert_eq!(conflict["found_by"], "Ana <ana@example.com>");
    }

    #[test]
    fn the_same_conflict_found_on_both_sides_is_one_with_every_value() {
        let found = |by: &str, at: &str, values: &[(&str, &str)]| {
            let candidates: Vec<Value> =
                values.iter().map(|(v, who)| json!({ "value": v, "by": who, "at": at })).collect();
            json!({ "uid": "releases.r-aa.status", "kind": "releases", "entity_uid": "r-aa", "field": "status",
                    "base": "\"testing\"", "candidates": Value::Array(candidates).to_string(), "found_by": by, "found_at": at })
        };
        let ours = found("Ana", "2026-12-02T09:00:00Z", &[("ready", "Ana"), ("cancelled", "Ben")]);
        let theirs = found("Ben", "2026-12-02T08:00:00Z", &[("cancelled", "Ben"), ("ready", "Ana")]);
        let one = same_conflict(&ours, &theirs);
        assert_eq!(one["found_by"], "Ben", "whoever found it first");
        let candidates: Vec<Value> = serde_json::from_str(one["candidates"].as_str().unwrap()).unwrap();
        assert_eq!(candidates.len(), 2, "each value once: {candidates:?}");
    }

    #[test]
    fn records_added_on_both_sides_are_all_kept() {
        let signoff =
            |uid: &str, role: &str| json!({ "uid": uid, "role": role, "decision": "approve", "_by": "x", "_at": "t" });
        let ours: State = [("signoffs/01/s-01.json".to_string(), signoff("s-01", "QA"))].into();
        let theirs: State = [("signoffs/02/s-02.json".to_string(), signoff("s-02", "Security"))].into();
        let result = merge(&State::new(), &ours, &theirs, &Merger { by: "Ana", at: "t" });
        assert_eq!(result.len(), 2, "a union");
    }
}
