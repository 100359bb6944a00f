//! Coverage (metrics.md section 5b, Rev. 3): did the system predict at all
//! on a game date, and when a game date has no graded rows, why: not
//! predicted (the true outage), not graded, or no lines. Only the pre-game
//! tables tell these apart; without them the day is "no graded rows", never
//! "made 0 predictions". Days before a system's first prediction are "not
//! running", never an outage.

use super::window::{DateWindow, DayIndex};
use crate::config::GameDay;
use crate::model::detector::{
    CoverageFinding, CoverageReport, DayCounts, DayKind, GapKind, MissingDate,
};
use chrono::{DateTime, NaiveDate, Utc};

/// Game dates a usual count looks back over.
pub const USUAL_DATES: usize = 14;
/// Fewest earlier game dates with predictions before a count is "usual".
pub const USUAL_MIN_DATES: usize = 3;
/// The window of `missing_dates_7d`.
pub const MISSING_WINDOW_DAYS: u32 = 7;
/// Weight of "not predicted", "not graded" and "no graded rows".
pub const GAP_WEIGHT: f64 = 0.5;
/// Weight of "no lines".
pub const NO_LINES_WEIGHT: f64 = 0.3;

/// The clock and the rules a gap is judged with: `not graded` needs the
/// games final for longer than the grace at `now`.
#[derive(Debug, Clone, Copy)]
pub struct GapClock<'a> {
    pub now: DateTime<Utc>,
    pub rules: &'a GameDay,
}

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

/// `date` is before `system`'s first prediction (or nothing shows it ever ran).
pub fn not_running(index: &DayIndex, system: &str, date: NaiveDate) -> bool {
    index.first_day(system).is_none_or(|first| date < first)
}

/// Why `date` is a gap for `system`, or `None` when it is not one (covered,
/// not a game date, or before the system ran).
///
/// With the schedule's games on the date and the predictions table:
/// - no active prediction: not predicted;
/// - every game final past the grace and fewer than half the predictions
///   graded: not graded;
/// - no prediction with a real or estimated line: no lines.
///
/// Without them, a game date with no graded rows of a running system (a
/// usual count exists, Rev. 2) is "no graded rows".
pub fn gap_kind(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    clock: GapClock,
) -> Option<GapKind> {
    if not_running(index, system, date) {
        return None;
    }
    let graded_rows = index.predictions_made(system, date);
    if let (Some(day), Some((predicted, with_line))) =
        (index.scheduled(date), index.predicted(system, date))
    {
        // Before the first tip-off nothing is missing yet (the slate's
        // pre-game rules judge that, metrics.md 17).
        let started =
            index.player_games(date) > 0 || day.first_tip.is_some_and(|tip| tip <= clock.now);
        if !started {
            return None;
        }
        if predicted == 0 {
            // Graded rows the predictions table lacks: the tables disagree,
            // and no message may say nothing was predicted.
            return (graded_rows == 0).then_some(GapKind::NotPredicted);
        }
        let final_for = final_hours(day, clock);
        if final_for.is_some_and(|hours| hours > clock.rules.grading_grace_hours.0)
            && (graded_rows as f64) < predicted as f64 / 2.0
        {
            return Some(GapKind::NotGraded);
        }
        if with_line == 0 {
            return Some(GapKind::NoLines);
        }
        return None;
    }
    (index.player_games(date) > 0 && graded_rows == 0 && usual_made(index, system, date).is_some())
        .then_some(GapKind::NoGradedRows)
}

/// Hours since the last game of `day` went final, when every game is final.
pub fn final_hours(day: &crate::model::game_day::ScheduledDay, clock: GapClock) -> Option<f64> {
    if day.final_games < day.games {
        return None;
    }
    let last_final = clock.rules.final_at(day.last_tip?);
    Some((clock.now - last_final).num_minutes() as f64 / 60.0)
}

/// The message and weight of a gap on `date` (section 5b, Rev. 3).
pub fn finding(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    kind: GapKind,
    clock: GapClock,
) -> CoverageFinding {
    let player_games = crate::format::count(index.player_games(date));
    let games = index.scheduled(date).map_or(0, |day| day.games);
    let (predicted, _) = index.predicted(system, date).unwrap_or((0, 0));
    let graded = index.predictions_made(system, date);
    let (message, weight) = match kind {
        GapKind::NotPredicted => (
            format!(
                "{system} made no predictions for {date}: the schedule has {games} game{} ({player_games} player-games played)",
                plural(games)
            ),
            GAP_WEIGHT,
        ),
        GapKind::NotGraded => {
            let hours = index
                .scheduled(date)
                .and_then(|day| final_hours(day, clock))
                .unwrap_or_default();
            (
                format!(
                    "{} predictions for {date} not graded, games final {} ago ({system}: {} of {} graded)",
                    crate::format::count(predicted.saturating_sub(graded)),
                    crate::format::hours_ago(hours),
                    crate::format::count(graded),
                    crate::format::count(predicted)
                ),
                GAP_WEIGHT,
            )
        }
        GapKind::NoLines => (
            format!(
                "{system} predicted {} players for {date}, none with a real or estimated line, so no bets were possible (check the line feed, odds_api_player_points_props)",
                crate::format::count(predicted)
            ),
            NO_LINES_WEIGHT,
        ),
        GapKind::NoGradedRows => (
            format!(
                "no graded rows for {system} on {date}, a game date with {player_games} player-games (predicted or not cannot be told without player_prop_predictions{})",
                if index.has_pregame() {
                    " and the schedule for the date"
                } else {
                    ""
                }
            ),
            GAP_WEIGHT,
        ),
        GapKind::NotRunning => (format!("{system} was not running on {date}"), 0.0),
    };
    CoverageFinding {
        kind,
        message: format!("{}: {message}", kind.as_str()),
        weight,
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A game date to diagnose although it has no graded rows: every gap kind.
pub fn is_outage(index: &DayIndex, system: &str, date: NaiveDate, clock: GapClock) -> bool {
    index.predictions_made(system, date) == 0 && gap_kind(index, system, date, clock).is_some()
}

/// What a trend shows for `system` on `date`: a value when it has graded
/// rows, "not running" before its first prediction, a gap's kind on a game
/// date without them, else "no games".
pub fn day_kind(index: &DayIndex, system: &str, date: NaiveDate, clock: GapClock) -> DayKind {
    if index.predictions_made(system, date) > 0 {
        return DayKind::Value;
    }
    let game_date = index.player_games(date) > 0 || index.scheduled(date).is_some();
    if !game_date {
        return DayKind::NoGames;
    }
    if not_running(index, system, date) {
        return DayKind::NotRunning;
    }
    match gap_kind(index, system, date, clock) {
        Some(GapKind::NotGraded) => DayKind::NotGraded,
        Some(GapKind::NoLines) => DayKind::NoLines,
        Some(GapKind::NoGradedRows) => DayKind::NoGradedRows,
        Some(_) => DayKind::NoPredictions,
        // Nothing the tables can name (a new system without a usual count,
        // a night still being played): no graded rows, no verdict.
        None => DayKind::NoGradedRows,
    }
}

/// `system`'s day in counts: made, voided, graded, bets and hits, beside
/// the day's player-games, and what the day is.
pub fn day_counts(index: &DayIndex, system: &str, date: NaiveDate, clock: GapClock) -> DayCounts {
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
        kind: day_kind(index, system, date, clock),
        predicted: index
            .scheduled(date)
            .and(index.predicted(system, date))
            .map(|(n, _)| n),
    }
}

/// The coverage figures of `system` on `date`.
pub fn coverage(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    graded: u64,
    clock: GapClock,
) -> CoverageReport {
    let player_games = index.player_games(date);
    let made = index.predictions_made(system, date);
    let usual = usual_made(index, system, date);
    let voided = index
        .system_day(system, date)
        .map_or(0, |day| day.voided_rows);
    let missing_dates_7d = DateWindow::ending(date, MISSING_WINDOW_DAYS)
        .days()
        .filter(|day| index.predictions_made(system, *day) == 0)
        .filter_map(|day| {
            gap_kind(index, system, day, clock)
                .filter(|kind| *kind != GapKind::NoLines)
                .map(|kind| MissingDate {
                    game_date: day,
                    player_games: index.player_games(day),
                    kind,
                })
        })
        .collect();
    let gradable = made.saturating_sub(voided);
    let predicted = index
        .scheduled(date)
        .and(index.predicted(system, date))
        .map(|(n, _)| n);
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
        predicted,
        finding: gap_kind(index, system, date, clock)
            .map(|kind| finding(index, system, date, kind, clock)),
        not_running: not_running(index, system, date),
        first_day: index.first_day(system),
    }
}
