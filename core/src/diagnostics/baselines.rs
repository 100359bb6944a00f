//! Baseline-window figures: the 60 days ending the day before the 14-day
//! window starts, never overlapping it (metrics.md sections 1 and 6).

use super::sharpness::{SHARPNESS_WINDOW_DAYS, mean};
use super::window::{DateWindow, DayIndex};
use crate::config::Thresholds;
use crate::model::{Baselines, LineKind, Rate, StatCell};
use chrono::NaiveDate;

pub fn baselines(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
) -> Baselines {
    let window = DateWindow::baseline(date, SHARPNESS_WINDOW_DAYS, thresholds.baseline_days.0);
    let (mut actual, mut all) = (StatCell::default(), StatCell::default());
    index.for_each(system, window, |group| {
        all += &group.cell;
        if group.line_kind == LineKind::Actual {
            actual += &group.cell;
        }
    });
    let min_n = thresholds.min_bets();
    // Rev. 2 (section 6): the line-error baseline rests on the same sample
    // rule as beats-Vegas; below it the score uses s2 = 0.5, so a persisted
    // row's score is reproducible from its own columns.
    let enough = actual.lined_rows >= min_n;
    Baselines {
        window_start: window.start,
        window_end: window.end,
        vegas_mae_baseline: mean(actual.sum_line_abs_error, actual.lined_rows).filter(|_| enough),
        model_beats_vegas_baseline: Rate::of(actual.beats, actual.lined_rows, min_n),
        hit_rate_baseline: Rate::hit_rate(all.hits, all.bets, min_n, thresholds.break_even()),
        model_mae_baseline: mean(all.sum_abs_error, all.rows),
    }
}
