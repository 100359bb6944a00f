//! What the pre-game tables hold (data-contract.md Rev. 3, "Pre-game and
//! market tables"), as the sources return it: per-day counts for the
//! coverage verdict (metrics.md section 5b, Rev. 3) and one date's rows for
//! the slate (section 17), and the slate itself as every front end shows it.

use super::vocab::AlertLevel;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One system's active predictions on one game date (`player_prop_predictions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictedDay {
    pub game_date: NaiveDate,
    pub system_id: String,
    /// Players with an active prediction (`is_active`, no `invalidation_reason`).
    pub predicted: u64,
    /// Of those, players whose prediction had a real or estimated line.
    pub with_line: u64,
}

/// One date of the schedule (`nbac_schedule`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledDay {
    pub game_date: NaiveDate,
    pub games: u64,
    /// Games with `game_status = 3`.
    pub final_games: u64,
    pub first_tip: Option<DateTime<Utc>>,
    pub last_tip: Option<DateTime<Utc>>,
}

/// The pre-game tables' days of a fetch; `None` in a bundle when the source
/// has no `player_prop_predictions` or no schedule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PregameDays {
    pub predicted: Vec<PredictedDay>,
    pub scheduled: Vec<ScheduledDay>,
    /// The first game date of each system in `player_prop_predictions` (any
    /// date, not only the fetch's), and its `model_registry` `created_at`
    /// date where that is earlier.
    pub first_days: Vec<(String, NaiveDate)>,
}

/// One game of the schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledGame {
    pub game_id: String,
    pub away: String,
    pub home: String,
    /// Tip-off (`game_date_est`).
    pub tip: Option<DateTime<Utc>>,
    /// 1 scheduled, 2 in progress, 3 final.
    pub status: i64,
}

/// One row of `player_prop_predictions` as the slate reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionRow {
    pub system_id: String,
    pub player_lookup: String,
    pub is_active: bool,
    /// `invalidation_reason` is set: the prediction was withdrawn.
    pub invalidated: bool,
    pub created_at: DateTime<Utc>,
}

/// A player's latest pre-game line snapshot at one book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineSnapshot {
    pub player_lookup: String,
    pub bookmaker: String,
    pub points_line: f64,
    pub snapshot_at: DateTime<Utc>,
    pub game_start: Option<DateTime<Utc>>,
}

/// One player of the slate (`upcoming_player_game_context`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlatePlayer {
    pub player_lookup: String,
    pub game_id: Option<String>,
    pub has_prop_line: Option<bool>,
    pub current_points_line: Option<f64>,
}

/// A system's graded rows of the date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradedCount {
    pub system_id: String,
    /// Bets of `prediction_accuracy` graded by the time asked about.
    pub graded: u64,
}

/// Everything the slate of one date is computed from. A table the source
/// lacks leaves its list empty and names itself in `missing_tables`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlateInputs {
    pub games: Vec<ScheduledGame>,
    pub predictions: Vec<PredictionRow>,
    /// Snapshots with `minutes_before_tipoff >= 0` taken by the time asked
    /// about, the last of each player and book.
    pub lines: Vec<LineSnapshot>,
    pub players: Vec<SlatePlayer>,
    /// `feature_quality_score` of each player with a feature row on the date.
    pub features: Vec<(String, Option<f64>)>,
    pub graded: Vec<GradedCount>,
    /// Systems with predictions or graded rows in the 7 days to the date.
    pub recent_systems: Vec<String>,
    /// The optional tables the source does not have.
    pub missing_tables: Vec<String>,
    /// Rows left out because a date or timestamp did not read.
    #[serde(default)]
    pub skipped_rows: u64,
}

/// Why a player with a line has no prediction of a system (section 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingReason {
    NoFeatures,
    LowQualityFeatures,
    NotOnTheSlate,
    Unknown,
}

impl MissingReason {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingReason::NoFeatures => "no features",
            MissingReason::LowQualityFeatures => "low-quality features",
            MissingReason::NotOnTheSlate => "not on the slate",
            MissingReason::Unknown => "unknown",
        }
    }
}

/// A player with a line and no active prediction of a system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingPlayer {
    pub player_lookup: String,
    pub reason: MissingReason,
}

/// Grading of a system's predictions after the games (section 5b).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradingProgress {
    pub predicted: u64,
    pub graded: u64,
    /// Hours since the last game went final (all games final), else `None`.
    pub hours_since_last_final: Option<f64>,
    /// The `not graded` rule fires.
    pub not_graded: bool,
}

/// One system on the slate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlateSystem {
    pub system_id: String,
    /// Players with a line that have an active prediction of the system.
    pub predicted: u64,
    pub predicted_coverage: Option<f64>,
    pub missing: Vec<MissingPlayer>,
    pub grading: GradingProgress,
    /// `critical`, `warning`, `info` or `healthy` (section 17 and 5b).
    pub level: AlertLevel,
    /// What the level says, when it is not healthy.
    pub message: Option<String>,
    /// The rule behind the level: `pregame_zero`, `pregame_coverage` or
    /// `not_graded`.
    pub rule: Option<String>,
}

/// A player with a line: its current value, books and age.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerLine {
    pub player_lookup: String,
    /// The median of the books' latest lines (the slate's line without snapshots).
    pub line: Option<f64>,
    pub books: u64,
    /// Minutes since the last snapshot of any book (`None` without snapshots).
    pub age_minutes: Option<i64>,
    /// The last snapshot is older than `stale_line_minutes` before its tip-off.
    pub stale: bool,
}

/// Where the night stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlatePhase {
    /// No games on the schedule for the date.
    NoGames,
    /// Before the first tip-off.
    Pregame,
    /// From the first tip-off until every game is final.
    Live,
    /// Every game final.
    Final,
}

/// One game on the slate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlateGame {
    pub game_id: String,
    pub away: String,
    pub home: String,
    pub tip: Option<DateTime<Utc>>,
    /// `scheduled`, `in progress`, `final`.
    pub status: String,
}

/// The slate of one game date (metrics.md section 17).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slate {
    pub game_date: NaiveDate,
    pub now: DateTime<Utc>,
    pub phase: SlatePhase,
    pub games: Vec<SlateGame>,
    pub first_tip: Option<DateTime<Utc>>,
    /// Minutes from now to the first tip-off (negative after it).
    pub minutes_to_first_tip: Option<i64>,
    pub players_with_line: u64,
    /// Within `pregame_alarm_minutes` of the first tip-off, games not all
    /// final: the pre-game rules apply.
    #[serde(default)]
    pub pregame_window: bool,
    pub lines: Vec<PlayerLine>,
    pub stale_lines: u64,
    pub systems: Vec<SlateSystem>,
    /// The worst level of the systems.
    pub level: AlertLevel,
    /// Optional tables the source lacks (the slate is partial without them).
    pub missing_tables: Vec<String>,
}
