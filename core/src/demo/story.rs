//! The calendar of the demo's story: which dates the market sharpens, when the
//! production model drifts, the week of broken shot zones, the dates missing
//! from production. Everything else in the generator is ordinary variance.

use chrono::NaiveDate;

pub const PRODUCTION_SYSTEM: &str = "catboost_v8";
pub const SYSTEMS: [&str; 3] = [PRODUCTION_SYSTEM, "xgboost_v7", "ensemble_v1"];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// 0 before `start`, rising linearly to 1 at `full`, 1 until `hold`, falling to 0 at `end`.
fn ramp(day: NaiveDate, start: NaiveDate, full: NaiveDate, hold: NaiveDate, end: NaiveDate) -> f64 {
    let days = |a: NaiveDate, b: NaiveDate| (b - a).num_days() as f64;
    if day < start || day >= end {
        0.0
    } else if day < full {
        days(start, day) / days(start, full).max(1.0)
    } else if day <= hold {
        1.0
    } else {
        1.0 - days(hold, day) / days(hold, end).max(1.0)
    }
}

/// The last season's January: the market sharpens (0 = normal, 1 = fully sharp).
pub fn market_sharpening(day: NaiveDate) -> f64 {
    ramp(
        day,
        date(2026, 1, 1),
        date(2026, 1, 14),
        date(2026, 2, 7),
        date(2026, 2, 21),
    )
}

/// The production model's drift in March of the last season (fixed on April 1).
pub fn production_drift(day: NaiveDate) -> f64 {
    ramp(
        day,
        date(2026, 3, 1),
        date(2026, 3, 10),
        date(2026, 3, 31),
        date(2026, 4, 1),
    )
}

/// The week the upstream shot-zone feed broke.
pub fn shot_zones_broken(day: NaiveDate) -> bool {
    (date(2025, 12, 8)..=date(2025, 12, 14)).contains(&day)
}

/// What happened to production on a January date without its graded rows
/// (the team's case: ~793 predictions made and never graded, one true
/// prediction outage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductionGap {
    /// Predictions made, never graded.
    NotGraded,
    /// No predictions made: the true outage.
    NotPredicted,
}

/// The gap of production on `day`, if any.
pub fn production_gap(day: NaiveDate) -> Option<ProductionGap> {
    if day == date(2026, 1, 24) {
        Some(ProductionGap::NotPredicted)
    } else if missing_from_production(day) {
        Some(ProductionGap::NotGraded)
    } else {
        None
    }
}

/// The night the line feed was down: every system predicted, no line came
/// (no prediction had a real or estimated line, so no bets were possible).
pub fn no_lines_night(day: NaiveDate) -> bool {
    day == date(2026, 1, 17)
}

/// The night replayed by `watch --replay-night`: a shadow system's
/// predictions arrive an hour before the first tip-off (inside the pre-game
/// alarm window), and production's grading runs late the next morning.
pub fn late_night() -> NaiveDate {
    date(2026, 4, 12)
}

/// The system whose predictions arrive late on [`late_night`].
pub const LATE_SYSTEM: &str = "ensemble_v1";

/// The system the closing line moves against (the market fades its bets:
/// it loses to the close all season) and whose last days look hot.
pub const CHASED_SYSTEM: &str = "ensemble_v1";

/// The chased system's hot streak: the last ten days of the last season, on
/// few bets (`plant.rs`).
pub fn hot_streak(day: NaiveDate) -> bool {
    (date(2026, 4, 3)..=date(2026, 4, 12)).contains(&day)
}

/// Dates on which production has no graded rows (the team's case, January 2026).
pub fn missing_from_production(day: NaiveDate) -> bool {
    [
        date(2026, 1, 19),
        date(2026, 1, 21),
        date(2026, 1, 22),
        date(2026, 1, 23),
        date(2026, 1, 24),
        date(2026, 1, 29),
        date(2026, 1, 30),
    ]
    .contains(&day)
}

/// How a system's predictions behave on a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Behaviour {
    /// Probability that the model error is below the line error (real lines).
    pub beats_actual: f64,
    /// The same on estimated lines.
    pub beats_estimated: f64,
    /// Probability that a bet wins, where the model's side decides it.
    pub hit: f64,
    /// Share of lined rows that become bets.
    pub bet_share: f64,
    /// Mean extra error when the model loses to the line.
    pub miss_mean: f64,
    /// Points added to every prediction (the drift's bias).
    pub shift: f64,
    /// Standard deviation of real lines around the expected points.
    pub line_sd: f64,
}

pub fn behaviour(system: &str, day: NaiveDate) -> Behaviour {
    let sharp = market_sharpening(day);
    let (beats, hit) = match system {
        PRODUCTION_SYSTEM => (0.72, 0.57),
        "xgboost_v7" => (0.68, 0.54),
        _ => (0.70, 0.55),
    };
    let drift = if system == PRODUCTION_SYSTEM {
        production_drift(day)
    } else {
        0.0
    };
    Behaviour {
        beats_actual: beats - 0.14 * sharp + 0.08 * drift,
        beats_estimated: beats - 0.03 + 0.08 * drift,
        hit: hit - 0.32 * drift,
        bet_share: 0.3,
        miss_mean: 2.0 + 5.0 * drift,
        shift: 1.5 * drift,
        line_sd: 1.6 - 0.9 * sharp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_dates() {
        assert_eq!(market_sharpening(date(2025, 12, 31)), 0.0);
        assert_eq!(market_sharpening(date(2026, 1, 20)), 1.0);
        assert!(market_sharpening(date(2026, 2, 14)) > 0.0);
        assert_eq!(production_drift(date(2026, 3, 20)), 1.0);
        assert_eq!(production_drift(date(2026, 4, 1)), 0.0);
        assert!(shot_zones_broken(date(2025, 12, 10)));
        assert!(missing_from_production(date(2026, 1, 22)));
        assert!(!missing_from_production(date(2026, 1, 20)));
    }
}
