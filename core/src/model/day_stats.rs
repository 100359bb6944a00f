//! Per-day sufficient statistics: what a source returns so that every window,
//! rate and verdict can be computed locally (counts and sums, never rates).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::ops::AddAssign;

/// Player tier from the prior-90-day scoring average (metrics.md section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlayerTier {
    Star,
    Starter,
    Rotation,
    Bench,
    Unknown,
}

impl PlayerTier {
    pub const ALL: [PlayerTier; 5] = [
        PlayerTier::Star,
        PlayerTier::Starter,
        PlayerTier::Rotation,
        PlayerTier::Bench,
        PlayerTier::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlayerTier::Star => "Star",
            PlayerTier::Starter => "Starter",
            PlayerTier::Rotation => "Rotation",
            PlayerTier::Bench => "Bench",
            PlayerTier::Unknown => "Unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        PlayerTier::ALL
            .into_iter()
            .find(|tier| tier.as_str().eq_ignore_ascii_case(text))
    }
}

/// Confidence tier from `confidence_decile`; `None` when the decile is null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceTier {
    Tier1,
    Tier2,
    Tier3,
    None,
}

impl ConfidenceTier {
    pub const ALL: [ConfidenceTier; 4] = [
        ConfidenceTier::Tier1,
        ConfidenceTier::Tier2,
        ConfidenceTier::Tier3,
        ConfidenceTier::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConfidenceTier::Tier1 => "tier1",
            ConfidenceTier::Tier2 => "tier2",
            ConfidenceTier::Tier3 => "tier3",
            ConfidenceTier::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        ConfidenceTier::ALL
            .into_iter()
            .find(|tier| tier.as_str() == text)
    }

    /// `tier1` = deciles 8-10, `tier2` = 5-7, `tier3` = 1-4; anything else has no tier.
    pub fn from_decile(decile: Option<i64>) -> Self {
        match decile {
            Some(8..=10) => ConfidenceTier::Tier1,
            Some(5..=7) => ConfidenceTier::Tier2,
            Some(1..=4) => ConfidenceTier::Tier3,
            _ => ConfidenceTier::None,
        }
    }
}

/// What a row was graded against (metrics.md section 1, Rev. 3): a real
/// sportsbook line, an estimate, no line, or a `line_source` value the
/// configured mapping does not list (in no line-kind metric).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Actual,
    Estimated,
    #[serde(rename = "none")]
    NoLine,
    Unknown,
}

impl LineKind {
    pub const ALL: [LineKind; 4] = [
        LineKind::Actual,
        LineKind::Estimated,
        LineKind::NoLine,
        LineKind::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Actual => "actual",
            LineKind::Estimated => "estimated",
            LineKind::NoLine => "none",
            LineKind::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        LineKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Counts and sums over a set of graded rows; adding cells pools their rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StatCell {
    /// Graded rows.
    pub rows: u64,
    /// Sum of `abs(predicted - actual)` over graded rows.
    pub sum_abs_error: f64,
    /// Sum of `predicted - actual` over graded rows.
    pub sum_signed_error: f64,
    /// Graded rows with a non-null line.
    pub lined_rows: u64,
    /// Sum of `abs(line - actual)` over lined rows.
    pub sum_line_abs_error: f64,
    /// Sum of `abs(predicted - actual)` over lined rows.
    pub sum_abs_error_lined: f64,
    /// Lined rows where the model error is strictly below the line error (0.1 rounding).
    pub beats: u64,
    /// Bets at the configured edge threshold (pushes excluded).
    pub bets: u64,
    /// Bets that hit.
    pub hits: u64,
}

impl AddAssign<&StatCell> for StatCell {
    fn add_assign(&mut self, other: &StatCell) {
        self.rows += other.rows;
        self.sum_abs_error += other.sum_abs_error;
        self.sum_signed_error += other.sum_signed_error;
        self.lined_rows += other.lined_rows;
        self.sum_line_abs_error += other.sum_line_abs_error;
        self.sum_abs_error_lined += other.sum_abs_error_lined;
        self.beats += other.beats;
        self.bets += other.bets;
        self.hits += other.hits;
    }
}

/// One group of the day-stats query: date × system × player tier × confidence tier × line kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayStatRow {
    pub game_date: NaiveDate,
    pub system_id: String,
    pub player_tier: PlayerTier,
    pub confidence_tier: ConfidenceTier,
    pub line_kind: LineKind,
    pub cell: StatCell,
}

/// Data-quality counts of one date of `player_game_summary` (`minutes_played > 0`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityDay {
    pub game_date: Option<NaiveDate>,
    /// Player-game rows with minutes played.
    pub rows: u64,
    /// Rows with `has_complete_shot_zones`.
    pub complete_rows: u64,
    /// Complete rows with a non-zero shot-zone denominator.
    pub rated_rows: u64,
    /// Sum over rated rows of the paint share of attempts, in percent.
    pub sum_paint_rate: f64,
    /// Sum over rated rows of the three-point share of attempts, in percent.
    pub sum_three_rate: f64,
}

/// Per system and date: every prediction row (graded or not) and feature quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemDay {
    pub game_date: NaiveDate,
    pub system_id: String,
    /// All rows of `prediction_accuracy` for the system on the date.
    pub predictions_made: u64,
    /// Rows with `is_voided` (DNPs and the like).
    #[serde(default)]
    pub voided_rows: u64,
    /// Rows with a non-null `feature_quality_score`.
    pub feature_quality_rows: u64,
    pub sum_feature_quality: f64,
    /// Rows of a bet left out for the one that counts (metrics.md section 1,
    /// Rev. 3), superseded rows not included: `predictions_made` counts
    /// bets, these the grader's extra rows.
    #[serde(default)]
    pub duplicate_rows: u64,
    /// Counted rows whose `line_source` no configured list names, by value.
    #[serde(default)]
    pub unknown_line_sources: std::collections::BTreeMap<String, u64>,
}

/// Everything one refresh fetches for a date range: the input of every diagnostic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayStatsBundle {
    /// The promotion each system counts its since-promotion verdict from
    /// (attached from the registry; empty without one).
    #[serde(default)]
    pub promotions: Vec<super::experiment::PromotionMark>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub day_stats: Vec<DayStatRow>,
    pub quality: Vec<QualityDay>,
    pub system_days: Vec<SystemDay>,
    /// Stored rows left out because a column could not be read.
    #[serde(default)]
    pub skipped: SkippedRows,
    /// The pre-game tables' days (section 5b, Rev. 3); `None` without them.
    #[serde(default)]
    pub pregame: Option<super::game_day::PregameDays>,
}

/// One stored row left out of the day stats: which table and row, which
/// column, the value found and why it does not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    pub table: String,
    /// The row's key as stored (`rowid`, player, system).
    pub key: String,
    pub column: String,
    pub value: String,
    pub problem: String,
}

/// The rows a pass left out: how many, and the first few to name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRows {
    pub count: u64,
    /// The count per table.
    #[serde(default)]
    pub by_table: std::collections::BTreeMap<String, u64>,
    pub examples: Vec<SkippedRow>,
    /// The dates of the rows a pass left out, by table (`None`: a row whose
    /// `game_date` does not begin with a date): the kept day sums keep every
    /// other date. Used while the sums are kept, then cleared; not part of
    /// the report.
    #[serde(skip)]
    pub dates: std::collections::BTreeSet<(String, Option<NaiveDate>)>,
}

impl SkippedRows {
    /// Rows named in full; the rest are counted.
    pub const EXAMPLES: usize = 10;

    pub fn note(&mut self, row: SkippedRow) {
        self.count += 1;
        *self.by_table.entry(row.table.clone()).or_default() += 1;
        if self.examples.len() < Self::EXAMPLES {
            self.examples.push(row);
        }
    }

    /// [`SkippedRows::note`] of a row dated `day` (as its `game_date`
    /// begins; `None` when it does not begin with a date).
    pub fn note_on(&mut self, row: SkippedRow, day: Option<NaiveDate>) {
        self.dates.insert((row.table.clone(), day));
        self.note(row);
    }

    pub fn merge(&mut self, other: SkippedRows) {
        self.dates.extend(other.dates);
        self.count += other.count;
        for (table, count) in other.by_table {
            *self.by_table.entry(table).or_default() += count;
        }
        let room = Self::EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.into_iter().take(room));
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_kinds_read_back_their_names() {
        for kind in LineKind::ALL {
            assert_eq!(LineKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(LineKind::parse("no_line"), None);
    }

    #[test]
    fn confidence_tiers_follow_deciles() {
        assert_eq!(ConfidenceTier::from_decile(Some(10)), ConfidenceTier::Tier1);
        assert_eq!(ConfidenceTier::from_decile(Some(8)), ConfidenceTier::Tier1);
        assert_eq!(ConfidenceTier::from_decile(Some(7)), ConfidenceTier::Tier2);
        assert_eq!(ConfidenceTier::from_decile(Some(5)), ConfidenceTier::Tier2);
        assert_eq!(ConfidenceTier::from_decile(Some(4)), ConfidenceTier::Tier3);
        assert_eq!(ConfidenceTier::from_decile(Some(1)), ConfidenceTier::Tier3);
        assert_eq!(ConfidenceTier::from_decile(None), ConfidenceTier::None);
        assert_eq!(ConfidenceTier::from_decile(Some(0)), ConfidenceTier::None);
    }
}
