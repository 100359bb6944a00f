//! Coverage (metrics.md section 5b): did the system predict at all on a
//! game date? A game date is a date with player-games with minutes played;
//! a system that made none of its usual predictions on one is an outage,
//! never a quiet "no games".

use super::window::{DateWindow, DayIndex};
use crate::model::detector::{CoverageReport, DayCounts, DayKind, MissingDate};
use chrono::NaiveDate;

/// Game dates a usual count looks back over.
pub const USUAL_DATES: usize = 14;
/// Fewest earlier game dates with predictions before a count is "usual".
pub const USUAL_MIN_DATES: usize = 3;
/// The window of `missing_dates_7d`.
pub const MISSING_WINDOW_DAYS: u32 = 7;

/// The median predictions of `system` over its last 14 game dates before
/// `date` on which it made any (`None` with fewer than 3 such dates).
pub fn usual_made(index: &DayIndex, system: &str, date: NaiveDate) -> Option<f64> {
    let mut counts: Vec<u64> = index
        .game_dates_before(date)
        .map(|day| index.predictions_made(system, day))
        .filter(|made| *made > 0)
        .take(USUAL_DATES)
        .collect();
    if counts.len() < USUAL_MIN_DATES {
        return None;
    }
    counts.sort_unstable();
    let n = counts.len();
    Some(if n % 2 == 1 {
        counts[n / 2] as f64
    } else {
        (counts[n / 2 - 1] + counts[n / 2]) as f64 / 2.0
    })
}

/// A game date on which `system`, already running (a usual count exists),
/// made no predictions.
pub fn is_outage(index: &DayIndex, system: &str, date: NaiveDate) -> bool {
    index.player_games(date) > 0
        && index.predictions_made(system, date) == 0
        && usual_made(index, system, date).is_some()
}

/// What a trend shows for `system` on `date`: a value when it predicted,
/// "no predictions" on a game date when it made none, else "no games".
pub fn day_kind(index: &DayIndex, system: &str, date: NaiveDate) -> DayKind {
    if index.predictions_made(system, date) > 0 {
        DayKind::Value
    } else if index.player_games(date) > 0 {
        DayKind::NoPredictions
    } else {
        DayKind::NoGames
    }
}

/// `system`'s day in counts: made, voided, graded, bets and hits, beside
/// the day's player-games.
pub fn day_counts(index: &DayIndex, system: &str, date: NaiveDate) -> DayCounts {
    let graded = index.pool(system, DateWindow::ending(date, 1), |_| true);
    DayCounts {
        game_date: date,
        system_id: system.to_string(),
        player_games: index.player_games(date),
        made: index.predictions_made(system, date),
        voided: index
            .system_day(system, date)
            .map_or(0, |day| day.voided_rows),
        graded: graded.rows,
        bets: graded.bets,
        hits: graded.hits,
    }
}

/// The coverage figures of `system` on `date`.
pub fn coverage(index: &DayIndex, system: &str, date: NaiveDate, graded: u64) -> CoverageReport {
    let player_games = index.player_games(date);
    let made = index.predictions_made(system, date);
    let usual = usual_made(index, system, date);
    let voided = index
        .system_day(system, date)
        .map_or(0, |day| day.voided_rows);
    let missing_dates_7d = DateWindow::ending(date, MISSING_WINDOW_DAYS)
        .days()
        .filter(|day| is_outage(index, system, *day))
        .map(|day| MissingDate {
            game_date: day,
            player_games: index.player_games(day),
        })
        .collect();
    let gradable = made.saturating_sub(voided);
    CoverageReport {
        is_game_date: player_games > 0,
        player_games,
        predictions_made: made,
        usual_made: usual,
        coverage: usual
            .filter(|usual| player_games > 0 && *usual > 0.0)
            .map(|usual| made as f64 / usual),
        missing_dates_7d,
        voided_rows: voided,
        graded_share: (gradable > 0).then(|| graded as f64 / gradable as f64),
    }
}
