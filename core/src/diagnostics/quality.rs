//! Data quality: shot-zone completeness and shot mix over 7 days of
//! `player_game_summary`, and the day's prediction counts (metrics.md section 5).

use super::sharpness::mean;
use super::window::{DateWindow, DayIndex};
use crate::model::QualityReport;
use chrono::NaiveDate;

pub const QUALITY_WINDOW_DAYS: u32 = 7;

pub fn quality(index: &DayIndex, system: &str, date: NaiveDate) -> QualityReport {
    let week_window = DateWindow::ending(date, QUALITY_WINDOW_DAYS);
    let week = index.quality(week_window);
    let findings = index.row_findings(system, week_window);
    let today = DateWindow::ending(date, 1);
    let graded = index.pool(system, today, |_| true);
    let system_day = index.system_day(system, date);
    QualityReport {
        player_game_rows_7d: week.rows,
        shot_zone_completeness: mean(100.0 * week.complete_rows as f64, week.rows),
        avg_paint_rate: mean(week.sum_paint_rate, week.rated_rows),
        avg_three_rate: mean(week.sum_three_rate, week.rated_rows),
        predictions_made: system_day.map_or(0, |day| day.predictions_made),
        predictions_graded: graded.rows,
        feature_quality_avg: system_day
            .and_then(|day| mean(day.sum_feature_quality, day.feature_quality_rows)),
        duplicate_rows_7d: findings.duplicate_rows,
        predictions_7d: findings.predictions,
        unknown_line_sources_7d: findings.unknown_line_sources,
    }
}
