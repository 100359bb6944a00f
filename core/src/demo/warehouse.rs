//! The team's real shapes on the demo's rows (data-contract.md Rev. 3), on a
//! random stream of its own so that every figure of the story stays as it
//! was: real lines from four sources (`ACTUAL_PROP`, `ODDS_API`,
//! `BETTINGPROS`, `VEGAS_BACKFILL`), both spellings of "no line", a bet
//! graded once per line value it had (about 3% of bets while the grader's
//! bug ran: November to mid January of the earlier seasons, and from
//! Boxing Day to mid January of the last, so the story's November and
//! December dates keep their verdicts; the counted row is the one with the
//! greatest line, as the team's fix keeps), and one date with a
//! `line_source` no list names.

use super::league::grade;
use crate::model::rows::PredictionRow;
use crate::stats::rng::Rng;
use crate::stats::round_to;
use chrono::{Datelike, NaiveDate};

/// The date whose rows carry a `line_source` value no default list names.
pub fn unlisted_source_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 10).unwrap_or(NaiveDate::MIN)
}

/// The value written on [`unlisted_source_date`] (a feed renamed upstream).
pub const UNLISTED_SOURCE: &str = "ODDS_API_V2";

/// Whether the grader of `day` kept a row per line value (see the module).
fn duplicates_graded(day: NaiveDate) -> bool {
    let last_season = day >= NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MAX);
    let from_boxing_day = day.month() == 12 && day.day() >= 26;
    let to_mid_january = day.month() == 1 && day.day() <= 15;
    match (last_season, day.month()) {
        (true, _) => from_boxing_day || to_mid_january,
        (false, 11 | 12) => true,
        (false, _) => to_mid_january,
    }
}

/// Rewrites one day's predictions into the team's shapes (see the module).
pub fn shape(rng: &mut Rng, day: NaiveDate, predictions: &mut Vec<PredictionRow>) {
    let mut copies = Vec::new();
    let mut unlisted = 0;
    for row in predictions.iter_mut() {
        match row.line_source.as_deref() {
            Some("ACTUAL_PROP") => {
                let draw = rng.uniform(0.0, 1.0);
                let source = if day == unlisted_source_date() && unlisted < 6 && draw < 0.3 {
                    unlisted += 1;
                    UNLISTED_SOURCE
                } else if draw < 0.25 {
                    "ODDS_API"
                } else if draw < 0.35 {
                    "BETTINGPROS"
                } else if draw < 0.40 {
                    "VEGAS_BACKFILL"
                } else {
                    "ACTUAL_PROP"
                };
                row.line_source = Some(source.to_string());
            }
            Some("NO_PROP_LINE") if rng.chance(0.4) => {
                row.line_source = Some("NO_VEGAS_DATA".to_string());
            }
            _ => {}
        }
        let graded = row.is_superseded_prediction != Some(true) && row.actual_points.is_some();
        if duplicates_graded(day) && graded && row.line_value.is_some() && rng.chance(0.03) {
            let extra = if rng.chance(0.25) { 2 } else { 1 };
            for step in 1..=extra {
                if let Some(copy) = lower_line(row, f64::from(step)) {
                    copies.push(copy);
                }
            }
        }
    }
    predictions.extend(copies);
}

/// The row graded against a line `drop` points lower (an earlier line the
/// prediction had that day), everything else as the grader wrote it; none
/// when no such line can be (below half a point).
fn lower_line(row: &PredictionRow, drop: f64) -> Option<PredictionRow> {
    let mut copy = row.clone();
    let (Some(line), Some(predicted), Some(actual)) =
        (row.line_value, row.predicted_points, row.actual_points)
    else {
        return None;
    };
    let line = line - drop;
    if line < 0.5 {
        return None;
    }
    let (recommendation, correct) = grade(predicted, Some(line), actual);
    copy.line_value = Some(line);
    copy.recommendation = Some(recommendation.to_string());
    copy.prediction_correct = correct;
    copy.predicted_margin = Some(round_to(predicted - line, 1));
    copy.actual_margin = Some(round_to(actual as f64 - line, 1));
    Some(copy)
}
