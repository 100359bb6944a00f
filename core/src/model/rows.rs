//! Rows of the team's tables and of the tables courtside adds, with the
//! column names of `data-contract.md`. Used by the demo generator, imports
//! and the stores.

use super::day_stats::LineKind;
pub use super::experiment::{ExperimentEvent, ExperimentRow, Period};
use super::line_sources::LineSources;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One row of `prediction_accuracy` (the columns courtside reads).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PredictionRow {
    pub player_lookup: String,
    pub game_id: String,
    pub game_date: NaiveDate,
    pub system_id: String,
    pub team_abbr: Option<String>,
    pub opponent_team_abbr: Option<String>,
    pub predicted_points: Option<f64>,
    pub confidence_score: Option<f64>,
    pub confidence_decile: Option<i64>,
    pub recommendation: Option<String>,
    pub line_value: Option<f64>,
    pub actual_points: Option<i64>,
    pub minutes_played: Option<f64>,
    pub absolute_error: Option<f64>,
    pub signed_error: Option<f64>,
    pub prediction_correct: Option<bool>,
    pub predicted_margin: Option<f64>,
    pub actual_margin: Option<f64>,
    pub within_3_points: Option<bool>,
    pub within_5_points: Option<bool>,
    pub has_prop_line: Option<bool>,
    pub line_source: Option<String>,
    pub estimated_line_value: Option<f64>,
    pub is_actionable: Option<bool>,
    pub line_bookmaker: Option<String>,
    pub is_voided: Option<bool>,
    pub void_reason: Option<String>,
    pub feature_quality_score: Option<f64>,
    pub is_superseded_prediction: Option<bool>,
    pub model_version: Option<String>,
    pub graded_at: Option<DateTime<Utc>>,
}

/// One row of `player_game_summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlayerGameRow {
    pub player_lookup: String,
    pub game_id: String,
    pub game_date: NaiveDate,
    pub team_abbr: Option<String>,
    pub points: Option<i64>,
    pub minutes_played: Option<f64>,
    pub paint_attempts: Option<i64>,
    pub mid_range_attempts: Option<i64>,
    pub three_attempts_pbp: Option<i64>,
    pub has_complete_shot_zones: Option<bool>,
}

/// One row of `ml_feature_store_v2`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureStoreRow {
    pub player_lookup: String,
    pub game_id: String,
    pub game_date: NaiveDate,
    pub has_vegas_line: Option<bool>,
    pub feature_quality_score: Option<f64>,
    pub feature_version: Option<String>,
}

/// One row of `backtest_predictions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BacktestRow {
    pub experiment_id: String,
    pub player_lookup: String,
    pub game_id: String,
    pub game_date: NaiveDate,
    pub predicted_points: Option<f64>,
    pub line_value: Option<f64>,
    pub line_source: Option<String>,
    pub actual_points: Option<i64>,
    pub recommendation: Option<String>,
    pub prediction_correct: Option<bool>,
}

/// What makes a row a bet and what kind of line it had (metrics.md
/// section 1): the edge threshold and the configured line sources.
#[derive(Debug, Clone, PartialEq)]
pub struct BetRules {
    pub edge_threshold: f64,
    pub line_sources: LineSources,
}

/// One row of either side, reduced to what the analysis needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapRow {
    pub player_lookup: String,
    pub game_date: NaiveDate,
    pub line_kind: LineKind,
    /// A bet under section 1 (pick, edge at the threshold, not a push).
    pub is_bet: bool,
    /// The bet won (meaningless when not a bet).
    pub hit: bool,
}

impl GapRow {
    /// Builds a row from raw columns with the bet rules of section 1.
    #[allow(clippy::too_many_arguments)]
    pub fn from_columns(
        player_lookup: String,
        game_date: NaiveDate,
        predicted: Option<f64>,
        line: Option<f64>,
        line_source: Option<&str>,
        has_prop_line: Option<bool>,
        recommendation: Option<&str>,
        correct: Option<bool>,
        rules: &BetRules,
    ) -> GapRow {
        let edge_threshold = rules.edge_threshold;
        let is_pick = matches!(recommendation, Some("OVER" | "UNDER"));
        let edge_ok = match (predicted, line) {
            (Some(p), Some(l)) => (p - l).abs() >= edge_threshold - 1e-9,
            _ => false,
        };
        GapRow {
            player_lookup,
            game_date,
            line_kind: rules.line_sources.kind(line_source, has_prop_line),
            is_bet: is_pick && edge_ok && correct.is_some(),
            hit: correct == Some(true),
        }
    }
}

/// An experiment registered with its audit trail and backtest rows at once
/// (`exp import`). The rows themselves are never held: the source reads them
/// in batches from a feed while it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExperiment {
    pub row: ExperimentRow,
    /// Oldest first: registered, then each status it reached.
    pub events: Vec<ExperimentEvent>,
    /// How many backtest rows it has, as counted when they were checked.
    pub backtest_rows: usize,
}
