//! The splits a bettor trusts (metrics.md section 13): what a source counts
//! per bucket in one aggregated query, and the report made of it.

use super::clv::ClvFigures;
use super::diagnostics::Rate;
use crate::stats::Interval;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the bets are split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Every bet of the window.
    All,
    Edge,
    Direction,
    LineKind,
    Bookmaker,
    ConfidenceDecile,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::All,
        Dimension::Edge,
        Dimension::Direction,
        Dimension::LineKind,
        Dimension::Bookmaker,
        Dimension::ConfidenceDecile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::All => "all",
            Dimension::Edge => "edge",
            Dimension::Direction => "direction",
            Dimension::LineKind => "line_kind",
            Dimension::Bookmaker => "bookmaker",
            Dimension::ConfidenceDecile => "confidence_decile",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

/// The counts and sums of one bucket's bets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketCounts {
    pub dimension: Dimension,
    /// The bucket's label (`[3,4)`, `UNDER`, `actual`, `DRAFTKINGS`, `7`).
    pub bucket: String,
    /// Where the bucket sorts within its dimension.
    pub order: i64,
    pub bets: u64,
    pub hits: u64,
    /// The largest fall of the running units from a running peak (flat
    /// 1-unit stakes, bets in `(game_date, player_lookup, game_id)` order).
    pub max_drawdown: f64,
    /// Bets where the actual points differ from the line.
    pub decided: u64,
    /// Bets where `actual < line` (always-UNDER would win) and `actual > line`.
    pub under_wins: u64,
    pub over_wins: u64,
    /// Bets with a `confidence_score`, their hits, the sum of the scores and
    /// of `(score - hit)²`.
    pub scored: u64,
    pub scored_hits: u64,
    pub sum_confidence: f64,
    pub sum_brier: f64,
}

/// One row of the splits table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitRow {
    pub dimension: Dimension,
    pub bucket: String,
    /// The hit rate with its interval and p-value against break-even.
    pub hit_rate: Rate,
    /// `100 (k·win/risk - (n-k)) / n`, and the Wilson bounds mapped through it.
    pub roi_pct: Option<f64>,
    pub roi_interval: Option<Interval>,
    /// Units won at a flat 1-unit stake.
    pub units: f64,
    pub max_drawdown: f64,
    /// Always-UNDER and always-OVER on the same bets (pushes left out).
    pub always_under: Rate,
    pub always_over: Rate,
    /// "no better than always taking the UNDER" and the like, when it holds.
    pub naive_note: Option<String>,
    /// Closing line value of the bucket's bets (metrics.md 18): for all
    /// bets and the direction, book and edge buckets; none for the other
    /// dimensions, without a snapshot table, or when the close did not read.
    #[serde(default)]
    pub clv: Option<ClvFigures>,
}

/// "Edge pays": the top edge bucket's hit rate against the bottom's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgePays {
    pub top: String,
    pub bottom: String,
    /// Pooled two-proportion z.
    pub z: f64,
    /// One-sided: `P(Z >= z)`.
    pub p_value: f64,
}

/// Mean confidence against hit rate in one decile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationRow {
    pub decile: String,
    pub n: u64,
    pub mean_confidence: Option<f64>,
    pub hit_rate: Rate,
}

/// Every split of a system's bets in a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitsReport {
    pub system_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<SplitRow>,
    pub edge_pays: Option<EdgePays>,
    pub calibration: Vec<CalibrationRow>,
    /// Mean `(confidence_score - hit)²` over scored bets.
    pub brier: Option<f64>,
    /// `Σ (n_i / N) |mean_conf_i - hit_rate_i|` over the deciles.
    pub ece: Option<f64>,
}
