//! The release status machine, as a pure function of the current status.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// Where a release stands. See [`ReleaseStatus::next`] for the legal moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseStatus {
    Planned,
    InProgress,
    Frozen,
    Testing,
    Ready,
    Deploying,
    Released,
    RolledBack,
    Cancelled,
}

impl ReleaseStatus {
    pub const ALL: [ReleaseStatus; 9] = [
        ReleaseStatus::Planned,
        ReleaseStatus::InProgress,
        ReleaseStatus::Frozen,
        ReleaseStatus::Testing,
        ReleaseStatus::Ready,
        ReleaseStatus::Deploying,
        ReleaseStatus::Released,
        ReleaseStatus::RolledBack,
        ReleaseStatus::Cancelled,
    ];

    /// The states this one may move to: forward one step along the plan; rolled back from deploying or
    /// released; cancelled from anything before released.
    pub fn next(self) -> &'static [ReleaseStatus] {
        use ReleaseStatus::*;
        match self {
            Planned => &[InProgress, Cancelled],
            InProgress => &[Frozen, Cancelled],
            Frozen => &[Testing, Cancelled],
            Testing => &[Ready, Cancelled],
            Ready => &[Deploying, Cancelled],
            Deploying => &[Released, RolledBack, Cancelled],
            Released => &[RolledBack],
            RolledBack | Cancelled => &[],
        }
    }

    pub fn can_move_to(self, to: ReleaseStatus) -> bool {
        self.next().contains(&to)
    }

    pub fn as_str(self) -> &'static str {
        use ReleaseStatus::*;
        match self {
            Planned => "planned",
            InProgress => "in_progress",
            Frozen => "frozen",
            Testing => "testing",
            Ready => "ready",
            Deploying => "deploying",
            Released => "released",
            RolledBack => "rolled_back",
            Cancelled => "cancelled",
        }
    }

    /// The word shown to people.
    pub fn label(self) -> &'static str {
        use ReleaseStatus::*;
        match self {
            Planned => "planned",
            InProgress => "in progress",
            Frozen => "frozen",
            Testing => "testing",
            Ready => "ready",
            Deploying => "deploying",
            Released => "released",
            RolledBack => "rolled back",
            Cancelled => "cancelled",
        }
    }

    /// Parses the stored or typed form (`in_progress`, also `in-progress`).
    pub fn parse(text: &str) -> Result<Self> {
        let wanted = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|s| s.as_str() == wanted).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
            Error::invalid_field(
                "status",
                format!("Unknown status \"{}\"; use one of: {}.", text.trim(), known.join(", ")),
            )
        })
    }
}

/// Checks one move, with a message that names the legal next states.
pub fn check(version: &str, from: ReleaseStatus, to: ReleaseStatus) -> Result<()> {
    if from.can_move_to(to) {
        return Ok(());
    }
    let legal: Vec<&str> = from.next().iter().map(|s| s.label()).collect();
    let options = if legal.is_empty() {
        format!("{} is final: no further status change is possible", from.label())
    } else {
        format!("from {} it can move to: {}", from.label(), legal.join(", "))
    };
    Err(Error::InvalidTransition(format!(
        "Release {version} cannot move from {} to {}; {options}.",
        from.label(),
        to.label()
    )))
}

#[cfg(test)]
mod tests {
    use super::ReleaseStatus::*;
    use super::*;

    #[test]
    fn the_happy_path_is_one_step_at_a_time() {
        let path = [Planned, InProgress, Frozen, Testing, Ready, Deploying, Released];
        for pair in path.windows(2) {
            assert!(pair[0].can_move_to(pair[1]), "{:?} -> {:?} is the planned path", pair[0], pair[1]);
        }
        assert!(!Planned.can_move_to(Testing), "skipping the freeze is not allowed");
        assert!(!Testing.can_move_to(InProgress), "no moving backwards");
    }

    #[test]
    fn rollback_and_cancel_follow_the_product_rules() {
        for s in ReleaseStatus::ALL {
            let rollback = matches!(s, Deploying | Released);
            assert_eq!(s.can_move_to(RolledBack), rollback, "rolled back only from deploying or released ({s:?})");
            let cancel = matches!(s, Planned | InProgress | Frozen | Testing | Ready | Deploying);
            assert_eq!(s.can_move_to(Cancelled), cancel, "cancelled only before released ({s:?})");
        }
    }

    #[test]
    fn an_illegal_move_names_the_legal_ones() {
        let err = check("2.4.0", Planned, Released).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidTransition);
        assert_eq!(
            err.to_string(),
            "Release 2.4.0 cannot move from planned to released; from planned it can move to: in progress, cancelled."
        );
    }

    #[test]
    fn parse_accepts_the_spoken_forms() {
        assert_eq!(ReleaseStatus::parse("In-Progress").unwrap(), InProgress);
        assert_eq!(ReleaseStatus::parse("rolled back").unwrap(), RolledBack);
        assert!(ReleaseStatus::parse("shipped").is_err());
    }
}
