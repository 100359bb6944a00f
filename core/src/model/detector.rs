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

/// A game date of the 7-day window on which the system made no predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingDate {
    pub game_date: NaiveDate,
    /// Player-games with minutes played that day.
    pub player_games: u64,
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
}

/// What one day of a trend is (section 5b): a value, a date without games,
/// or a game date on which the system made no predictions (an outage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Value,
    NoGames,
    NoPredictions,
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
}
