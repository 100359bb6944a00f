//! The drift detector's and the coverage check's results (metrics.md
//! sections 11 and 5b), as every layer above reads them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The CUSUM's constants for one `(p_ok, p_be, ARL0 target)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CusumDesign {
    /// The healthy hit rate (`drift_detector.healthy_hit_rate`).
    pub p_ok: f64,
    /// Break-even.
    pub p_be: f64,
    /// `γ = -a/(b-a)` in hundredths: a hit subtracts `m`, a miss adds `100 - m`.
    pub m: u32,
    /// The alarm threshold `H` in integer units.
    pub threshold_units: u64,
    /// `b - a`: one integer unit is `(b - a) / 100` of log-likelihood ratio.
    pub llr_span: f64,
    /// The ARL0 asked for (`drift_detector.arl0_bets`).
    pub arl0_target: u64,
    /// Mean bets between false alarms when the model is healthy.
    pub arl0_bets: f64,
    /// Mean bets to detect a drop to break-even.
    pub arl1_bets: f64,
}

/// One game date of the statistic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CusumDay {
    pub game_date: NaiveDate,
    pub bets: u64,
    pub hits: u64,
    /// `S` after the day, in log-likelihood units.
    pub stat: f64,
    pub alarm: bool,
}

/// The detector's state on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CusumReport {
    /// `S` on the date (after its bets); `None` before the first graded date.
    pub cusum_stat: Option<f64>,
    /// `h`.
    pub cusum_threshold: f64,
    pub cusum_arl0_bets: f64,
    pub cusum_arl1_bets: f64,
    /// The date has bets and `Z >= H`.
    pub cusum_alarm: bool,
    /// Where the statistic last started: its start or the restart after an alarm.
    pub cusum_since: Option<NaiveDate>,
    pub cusum_last_alarm: Option<NaiveDate>,
    /// The design behind the figures.
    pub design: CusumDesign,
}

/// Coverage below this on a game date is a warning (section 5b).
pub const COVERAGE_WARNING: f64 = 0.5;

/// A game date of the 7-day window without graded rows of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingDate {
    pub game_date: NaiveDate,
    /// Player-games with minutes played that day.
    pub player_games: u64,
    /// What the tables tell of the day (`not_predicted`, `not_graded`,
    /// `no_lines`, or `no_graded_rows` when they cannot tell).
    #[serde(default = "GapKind::unknown_default")]
    pub kind: GapKind,
}

/// Why a game date has no graded rows of a system (metrics.md section 5b,
/// Rev. 3). Only the pre-game tables tell the first three apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// Before the system's first prediction: never an outage.
    NotRunning,
    /// No active prediction while the schedule has games: the true outage.
    NotPredicted,
    /// Predictions made, games final past the grace, fewer than half graded.
    NotGraded,
    /// Predictions made, none with a real or estimated line: no bets possible.
    NoLines,
    /// No graded rows, and no predictions table to say why.
    NoGradedRows,
}

impl GapKind {
    fn unknown_default() -> GapKind {
        GapKind::NoGradedRows
    }

    /// The words the messages and the JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::NotRunning => "not running",
            GapKind::NotPredicted => "not predicted",
            GapKind::NotGraded => "not graded",
            GapKind::NoLines => "no lines",
            GapKind::NoGradedRows => "no graded rows",
        }
    }
}

/// What the coverage check found on the date: the kind, its message, and
/// the weight it adds to `data_quality` (section 5b, Rev. 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageFinding {
    pub kind: GapKind,
    pub message: String,
    pub weight: f64,
}

/// Did the system predict at all (section 5b)?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// The date has player-games with minutes played.
    pub is_game_date: bool,
    /// Player-games with minutes played on the date.
    pub player_games: u64,
    pub predictions_made: u64,
    /// Median predictions of the system's last 14 game dates with any
    /// (`None` with fewer than 3 such dates).
    pub usual_made: Option<f64>,
    /// `predictions_made / usual_made` on a game date.
    pub coverage: Option<f64>,
    pub missing_dates_7d: Vec<MissingDate>,
    /// Voided rows on the date.
    pub voided_rows: u64,
    /// `predictions_graded / (predictions_made - voided)`.
    pub graded_share: Option<f64>,
    /// Active predictions of `player_prop_predictions` on the date (`None`
    /// without the predictions table and the schedule for the date).
    #[serde(default)]
    pub predicted: Option<u64>,
    /// Not predicted, not graded, no lines, or no graded rows (section 5b,
    /// Rev. 3); `None` when the date is covered (or before the system ran,
    /// see `not_running`).
    #[serde(default)]
    pub finding: Option<CoverageFinding>,
    /// The date is before the system's first prediction.
    #[serde(default)]
    pub not_running: bool,
    /// The system's first game date as far as the tables tell.
    #[serde(default)]
    pub first_day: Option<NaiveDate>,
}

/// What one day of a trend is (section 5b): a value, a date without games,
/// or a game date on which the system made no predictions (an outage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Value,
    NoGames,
    /// Not predicted: the predictions table has none (an outage).
    NoPredictions,
    /// No graded rows, and no predictions table to say why.
    NoGradedRows,
    /// Before the system's first prediction.
    NotRunning,
    /// Predicted, games final, not graded.
    NotGraded,
    /// Predicted, no line to bet on.
    NoLines,
}

/// One system's day in counts (the dashboard's drill-down): what it
/// predicted, what was graded, voided and bet, against the day's games.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCounts {
    pub game_date: NaiveDate,
    pub system_id: String,
    /// Player-games with minutes played (0: no games that day).
    pub player_games: u64,
    /// Rows of `prediction_accuracy` (graded or not).
    pub made: u64,
    pub voided: u64,
    /// Graded rows (metrics.md section 1).
    pub graded: u64,
    pub bets: u64,
    pub hits: u64,
    /// What the day is (value, no games, not running, an outage, ...).
    #[serde(default = "DayKind::value_default")]
    pub kind: DayKind,
    /// Active predictions of `player_prop_predictions`, where known.
    #[serde(default)]
    pub predicted: Option<u64>,
}

impl DayKind {
    fn value_default() -> DayKind {
        DayKind::Value
    }

    /// The label the trend's legend and the drill-down use.
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Value => "predicted",
            DayKind::NoGames => "no games",
            DayKind::NoPredictions => "outage",
            DayKind::NoGradedRows => "no graded rows",
            DayKind::NotRunning => "not running",
            DayKind::NotGraded => "not graded",
            DayKind::NoLines => "no lines",
        }
    }
}
