//! The change request's life, as ITIL practice has it: `draft → assess → authorize → scheduled →
//! implement → review → closed`, and `cancelled` from anything before review. A standard change
//! (pre-approved from a template the CAB approved once) skips assess and authorize; an emergency change
//! skips assess but must be authorized. A rejection in assess or authorize returns it to draft.
//! A pure function of the type and the state, tested as a table.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// Pre-approved: low risk, done often, from a template the CAB approved once.
    Standard,
    /// Assessed and authorized by the CAB before it is scheduled.
    Normal,
    /// Cannot wait for the CAB: authorized at once, reviewed and approved again afterwards.
    Emergency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    Draft,
    Assess,
    Authorize,
    Scheduled,
    Implement,
    Review,
    Closed,
    Cancelled,
}

impl ChangeState {
    pub const ALL: [ChangeState; 8] = [
        ChangeState::Draft,
        ChangeState::Assess,
        ChangeState::Authorize,
        ChangeState::Scheduled,
        ChangeState::Implement,
        ChangeState::Review,
        ChangeState::Closed,
        ChangeState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        use ChangeState::*;
        match self {
            Draft => "draft",
            Assess => "assess",
            Authorize => "authorize",
            Scheduled => "scheduled",
            Implement => "implement",
            Review => "review",
            Closed => "closed",
            Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl ChangeType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Standard => "standard",
            ChangeType::Normal => "normal",
            ChangeType::Emergency => "emergency",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [ChangeType::Standard, ChangeType::Normal, ChangeType::Emergency].into_iter().find(|t| t.as_str() == text)
    }

    /// The states a change of this type may move to from `state`.
    pub fn next(self, state: ChangeState) -> &'static [ChangeState] {
        use ChangeState::*;
        match (self, state) {
            (ChangeType::Standard, Draft) => &[Scheduled, Cancelled],
            (ChangeType::Normal, Draft) => &[Assess, Cancelled],
            (ChangeType::Emergency, Draft) => &[Authorize, Cancelled],
            (ChangeType::Normal, Assess) => &[Authorize, Draft, Cancelled],
            (ChangeType::Normal | ChangeType::Emergency, Authorize) => &[Scheduled, Draft, Cancelled],
            (_, Scheduled) => &[Implement, Cancelled],
            (_, Implement) => &[Review, Cancelled],
            (_, Review) => &[Closed],
            // Assess and authorize are not states a standard change has, nor assess an emergency one.
            (ChangeType::Standard, Assess | Authorize) | (ChangeType::Emergency, Assess) => &[],
            (_, Closed | Cancelled) => &[],
        }
    }
}

/// Refuses a move the type's machine does not allow, naming the moves it does.
pub fn check(title: &str, kind: ChangeType, from: ChangeState, to: ChangeState) -> Result<()> {
    let legal = kind.next(from);
    if legal.contains(&to) {
        return Ok(());
    }
    let words: Vec<&str> = legal.iter().map(|s| s.as_str()).collect();
    let allowed = match words.as_slice() {
        [] => format!("a {} change in {} moves no further", kind.as_str(), from.as_str()),
        [one] => format!("a {} change in {} can only move to {one}", kind.as_str(), from.as_str()),
        [first @ .., last] => {
            format!("a {} change in {} can move to {} or {last}", kind.as_str(), from.as_str(), first.join(", "))
        }
    };
    Err(Error::InvalidTransition(format!("\"{title}\" cannot move to {}: {allowed}.", to.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeState::*;

    #[test]
    fn every_move_of_every_type_in_a_table() {
        // (type, from, the states it may move to); every other pair is refused.
        let table: &[(ChangeType, ChangeState, &[ChangeState])] = &[
            (ChangeType::Normal, Draft, &[Assess, Cancelled]),
            (ChangeType::Normal, Assess, &[Authorize, Draft, Cancelled]),
            (ChangeType::Normal, Authorize, &[Scheduled, Draft, Cancelled]),
            (ChangeType::Standard, Draft, &[Scheduled, Cancelled]),
            (ChangeType::Standard, Assess, &[]),
            (ChangeType::Standard, Authorize, &[]),
            (ChangeType::Emergency, Draft, &[Authorize, Cancelled]),
            (ChangeType::Emergency, Assess, &[]),
            (ChangeType::Emergency, Authorize, &[Scheduled, Draft, Cancelled]),
        ];
        let common: &[(ChangeState, &[ChangeState])] = &[
            (Scheduled, &[Implement, Cancelled]),
            (Implement, &[Review, Cancelled]),
            (Review, &[Closed]),
            (Closed, &[]),
            (Cancelled, &[]),
        ];
        let mut rows: Vec<(ChangeType, ChangeState, &[ChangeState])> = table.to_vec();
        for kind in [ChangeType::Standard, ChangeType::Normal, ChangeType::Emergency] {
            rows.extend(common.iter().map(|(from, to)| (kind, *from, *to)));
        }
        assert_eq!(rows.len(), 3 * 8, "every type and state once");
        for (kind, from, legal) in rows {
            for to in ChangeState::ALL {
                let allowed = check("Upgrade", kind, from, to).is_ok();
                assert_eq!(
                    allowed,
                    legal.contains(&to),
                    "{} change: {} → {}",
                    kind.as_str(),
                    from.as_str(),
                    to.as_str()
                );
            }
        }
    }

    #[test]
    fn a_refused_move_names_the_legal_ones() {
        let error = check("Upgrade", ChangeType::Normal, Assess, Implement).unwrap_err();
        assert_eq!(error.code(), crate::ErrorCode::InvalidTransition);
        assert_eq!(
            error.to_string(),
            "\"Upgrade\" cannot move to implement: a normal change in assess can move to authorize, draft or cancelled."
        );
        let done = check("Upgrade", ChangeType::Normal, Closed, Draft).unwrap_err();
        assert!(done.to_string().ends_with("a normal change in closed moves no further."), "{done}");
        let review = check("Upgrade", ChangeType::Normal, Review, Cancelled).unwrap_err();
        assert!(review.to_string().contains("can only move to closed"), "not cancelled from review: {review}");
    }
}
