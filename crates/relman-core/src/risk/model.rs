//! The risk's vocabulary: categories, statuses, the score and its band. Pure, no storage.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Technical,
    Schedule,
    Security,
    Compliance,
    Operational,
    People,
    External,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Technical,
        Category::Schedule,
        Category::Security,
        Category::Compliance,
        Category::Operational,
        Category::People,
        Category::External,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Technical => "technical",
            Category::Schedule => "schedule",
            Category::Security => "security",
            Category::Compliance => "compliance",
            Category::Operational => "operational",
            Category::People => "people",
            Category::External => "external",
        }
    }

    /// Reads a category as a person types it: any case, surrounding spaces ignored.
    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        let wanted = text.trim().to_ascii_lowercase();
        Category::ALL.into_iter().find(|c| c.as_str() == wanted).ok_or_else(|| {
            Error::invalid_field(
                field,
                format!(
                    "\"{}\" is not a risk category; use one of: {}.",
                    text.trim(),
                    names(&Category::ALL.map(Category::as_str))
                ),
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    Mitigating,
    Accepted,
    Closed,
    Occurred,
}

impl RiskStatus {
    pub const ALL: [RiskStatus; 5] =
        [RiskStatus::Open, RiskStatus::Mitigating, RiskStatus::Accepted, RiskStatus::Closed, RiskStatus::Occurred];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::Mitigating => "mitigating",
            RiskStatus::Accepted => "accepted",
            RiskStatus::Closed => "closed",
            RiskStatus::Occurred => "occurred",
        }
    }

    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        let wanted = text.trim().to_ascii_lowercase();
        RiskStatus::ALL.into_iter().find(|s| s.as_str() == wanted).ok_or_else(|| {
            Error::invalid_field(
                field,
                format!(
                    "\"{}\" is not a risk status; use one of: {}.",
                    text.trim(),
                    names(&RiskStatus::ALL.map(RiskStatus::as_str))
                ),
            )
        })
    }

    /// Still a threat to the release: not accepted, closed, or already happened.
    pub fn is_live(self) -> bool {
        matches!(self, RiskStatus::Open | RiskStatus::Mitigating)
    }
}

/// The usual bands of a 5 × 5 matrix. Scores are products of 1–5, so 13 and 14 never occur and
/// high starts at 15, the default gate threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
}

impl Band {
    pub const ALL: [Band; 3] = [Band::Low, Band::Medium, Band::High];

    pub fn of(score: u8) -> Band {
        Band::ALL.into_iter().find(|band| band.scores().contains(&score)).unwrap_or(Band::High)
    }

    /// The scores in the band.
    pub fn scores(self) -> std::ops::RangeInclusive<u8> {
        match self {
            Band::Low => 0..=4,
            Band::Medium => 5..=12,
            Band::High => 13..=25,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
        }
    }

    pub fn parse(field: &'static str, text: &str) -> Result<Self> {
        let wanted = text.trim().to_ascii_lowercase();
        Band::ALL.into_iter().find(|b| b.as_str() == wanted).ok_or_else(|| {
            Error::invalid_field(field, format!("\"{}\" is not a score band; use low, medium or high.", text.trim()))
        })
    }
}

/// Likelihood or impact: 1 (rare, negligible) to 5 (almost certain, severe).
pub fn rating(field: &'static str, value: i64) -> Result<u8> {
    u8::try_from(value).ok().filter(|v| (1..=5).contains(v)).ok_or_else(|| {
        Error::invalid_field(field, format!("{} must be between 1 and 5 (it was {value}).", label(field)))
    })
}

fn label(field: &str) -> &str {
    match field {
        "likelihood" => "Likelihood",
        "impact" => "Impact",
        other => other,
    }
}

fn names(all: &[&str]) -> String {
    all.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_usual_five_by_five_matrix() {
        let band = |l: u8, i: u8| Band::of(l * i);
        assert_eq!(band(1, 4), Band::Low, "a rare minor risk is low");
        assert_eq!(band(1, 5), Band::Medium, "5 starts medium");
        assert_eq!(band(3, 4), Band::Medium, "12 is the highest medium score");
        assert_eq!(band(3, 5), Band::High, "15, the default gate threshold, is high");
        assert_eq!(band(5, 5), Band::High);
    }

    #[test]
    fn ratings_outside_one_to_five_are_refused_by_field() {
        assert_eq!(rating("impact", 5).unwrap(), 5);
        let err = rating("likelihood", 6).unwrap_err();
        assert_eq!(err.field(), Some("likelihood"), "the form shows the error beside the field");
        assert!(err.to_string().contains("between 1 and 5"), "{err}");
        assert!(rating("impact", 0).is_err());
    }

    #[test]
    fn words_parse_in_any_case_and_unknown_ones_list_the_choices() {
        assert_eq!(Category::parse("category", " Security ").unwrap(), Category::Security);
        assert_eq!(RiskStatus::parse("status", "MITIGATING").unwrap(), RiskStatus::Mitigating);
        let err = Category::parse("category", "legal").unwrap_err();
        assert!(err.to_string().contains("technical, schedule"), "the message lists what to use: {err}");
    }
}
