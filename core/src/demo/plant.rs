//! The parts of the demo's story that the Splits and Versus views tell,
//! planted into a day's generated predictions from their own random stream
//! (so the rest of the story is drawn exactly as before): a shadow system
//! that beats production on identical rows by about two points from
//! March, a bookmaker whose lines are softer, and a system that mostly wins
//! on UNDERs because it bets against opening lines set high (no better than
//! always taking the UNDER), and a system whose last days look hot on a
//! small sample while the close moves against it. The confidence score is
//! already overconfident in the top deciles (it grows with the edge, the hit
//! rate does not).

use super::league::grade;
use super::story;
use crate::model::rows::PredictionRow;
use crate::stats::rng::Rng;
use crate::stats::round_to;
use chrono::NaiveDate;

/// The shadow system, in shadow mode beside production from [`shadow_start`].
pub const SHADOW_SYSTEM: &str = "catboost_v9_shadow";
/// The bookmaker whose lines are softer.
pub const SOFT_BOOK: &str = "BETMGM";
/// The system that takes the UNDER far more often than the games warrant.
pub const UNDER_BIASED_SYSTEM: &str = "xgboost_v7";

pub fn shadow_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or(NaiveDate::MAX)
}

fn is_graded_bet(row: &PredictionRow) -> bool {
    matches!(row.recommendation.as_deref(), Some("OVER" | "UNDER"))
        && row.prediction_correct.is_some()
        && row.is_superseded_prediction != Some(true)
        && matches!((row.predicted_points, row.line_value), (Some(p), Some(l)) if (p - l).abs() >= 3.0)
}

/// Moves the pick to the other side of the line at the same edge: the
/// recommendation, the outcome and every error follow.
fn mirror(row: &mut PredictionRow) {
    let (Some(predicted), Some(line), Some(actual)) =
        (row.predicted_points, row.line_value, row.actual_points)
    else {
        return;
    };
    let predicted = round_to((2.0 * line - predicted).max(0.0), 1);
    row.recommendation = Some(if predicted > line { "OVER" } else { "UNDER" }.to_string());
    row.prediction_correct = row.prediction_correct.map(|hit| !hit);
    repredict(row, predicted, line, actual);
}

/// Sets the prediction to `predicted` on the same side: every error follows.
fn repredict(row: &mut PredictionRow, predicted: f64, line: f64, actual: i64) {
    let error = predicted - actual as f64;
    row.predicted_points = Some(predicted);
    row.absolute_error = Some(round_to(error.abs(), 1));
    row.signed_error = Some(round_to(error, 1));
    row.within_3_points = Some(error.abs() <= 3.0);
    row.within_5_points = Some(error.abs() <= 5.0);
    row.predicted_margin = Some(round_to(predicted - line, 1));
}

/// How far above the closing line the opening line sits that the
/// UNDER-biased system bets against (books open props high: the public
/// bets OVERs).
pub const OPENING_LINE_SHADE: f64 = 1.5;

/// The UNDER-biased system on a real prop line: it predicts from the line
/// alone (a little below it, with noise) and bets against the opening line,
/// [`OPENING_LINE_SHADE`] points high. Most of its picks are UNDERs and they
/// win often enough to look healthy, yet always taking the UNDER on the same
/// bets earns as much: its edge is the market's, not the model's.
fn under_bias(rng: &mut Rng, row: &mut PredictionRow) {
    let (Some(line), Some(actual)) = (row.line_value, row.actual_points) else {
        return;
    };
    if row.is_voided == Some(true) || row.line_source.as_deref() != Some("ACTUAL_PROP") {
        return;
    }
    let predicted = round_to((line - 1.5 + rng.gauss(0.0, 2.5)).max(0.0), 1);
    let opening = line + OPENING_LINE_SHADE;
    let error = predicted - actual as f64;
    let (recommendation, correct) = grade(predicted, Some(opening), actual);
    row.line_value = Some(opening);
    row.predicted_points = Some(predicted);
    row.recommendation = Some(recommendation.to_string());
    row.prediction_correct = correct;
    row.absolute_error = Some(round_to(error.abs(), 1));
    row.signed_error = Some(round_to(error, 1));
    row.within_3_points = Some(error.abs() <= 3.0);
    row.within_5_points = Some(error.abs() <= 5.0);
    row.predicted_margin = Some(round_to(predicted - opening, 1));
    row.actual_margin = Some(round_to(actual as f64 - opening, 1));
    row.is_actionable = Some(row.confidence_decile.unwrap_or(0) >= 5 && recommendation != "PASS");
}

/// The chased system's last days ([`story::hot_streak`]): its staking is
/// tightened to [`HOT_WINS`] winning and [`HOT_LOSSES`] losing bets a day
/// (chosen at random; every other bet falls below the edge, two points from
/// the line on the same side), so its week reads 59% on a sample too small
/// to prove it, while the closing line moves against its bets
/// (`game_day.rs`).
fn hot_streak(rng: &mut Rng, predictions: &mut [PredictionRow]) {
    let mut bets: Vec<usize> = (0..predictions.len())
        .filter(|&i| {
            predictions[i].system_id == story::CHASED_SYSTEM && is_graded_bet(&predictions[i])
        })
        .collect();
    // A random order (Fisher-Yates), then the first wins and losses stay.
    for i in (1..bets.len()).rev() {
        let j = (rng.uniform(0.0, (i + 1) as f64) as usize).min(i);
        bets.swap(i, j);
    }
    let (mut wins, mut losses) = (0, 0);
    for i in bets {
        let row = &mut predictions[i];
        let kept = match row.prediction_correct {
            Some(true) if wins < HOT_WINS => {
                wins += 1;
                true
            }
            Some(false) if losses < HOT_LOSSES => {
                losses += 1;
                true
            }
            _ => false,
        };
        if let (false, Some(predicted), Some(line), Some(actual)) = (
            kept,
            row.predicted_points,
            row.line_value,
            row.actual_points,
        ) {
            let side = if predicted > line { 1.0 } else { -1.0 };
            repredict(row, round_to((line + 2.0 * side).max(0.0), 1), line, actual);
        }
    }
}

/// The chased system's bets a day in its hot streak.
const HOT_WINS: usize = 10;
const HOT_LOSSES: usize = 7;

/// Plants the story into `predictions` of `day`.
pub fn plant(rng: &mut Rng, day: NaiveDate, predictions: &mut Vec<PredictionRow>) {
    for row in predictions.iter_mut() {
        if row.system_id == UNDER_BIASED_SYSTEM {
            under_bias(rng, row);
        }
    }
    if day >= shadow_start() {
        let shadow: Vec<PredictionRow> = predictions
            .iter()
            .filter(|row| {
                row.system_id == story::PRODUCTION_SYSTEM
                    && row.is_superseded_prediction != Some(true)
            })
            .map(|row| {
                let mut copy = row.clone();
                copy.system_id = SHADOW_SYSTEM.to_string();
                copy.model_version = Some(format!("{SHADOW_SYSTEM}.1"));
                // The challenger turns some of production's misses into
                // hits and a few hits into misses: about +2 points.
                if is_graded_bet(&copy) {
                    let flip = match copy.prediction_correct {
                        Some(false) => rng.chance(0.07),
                        _ => rng.chance(0.02),
                    };
                    if flip {
                        mirror(&mut copy);
                    }
                }
                copy
            })
            .collect();
        predictions.extend(shadow);
    }
    for row in predictions.iter_mut() {
        if row.line_bookmaker.is_none() {
            continue;
        }
        // Softer lines: a winning bet is more often at the soft book.
        let soft_share = match (is_graded_bet(row), row.prediction_correct) {
            (true, Some(true)) => 0.24,
            (true, _) => 0.14,
            _ => 0.19,
        };
        let book = if rng.chance(soft_share) {
            SOFT_BOOK
        } else if rng.chance(0.6) {
            "DRAFTKINGS"
        } else {
            "FANDUEL"
        };
        row.line_bookmaker = Some(book.to_string());
    }
    if story::hot_streak(day) {
        // Its own stream: every other draw of the day is as before.
        hot_streak(&mut rng.derive("hot streak"), predictions);
    }
}
