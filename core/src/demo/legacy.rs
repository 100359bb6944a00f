//! A week of `performance_diagnostics_daily` rows as the team's own
//! diagnostics class wrote them before courtside (data-contract.md Rev. 3):
//! no `system_id` (they are the production system's), `ok`/`info`/`warning`,
//! upper-case vocabulary, `UNKNOWN` bias, factors as plain strings, a neutral
//! 50% beats-Vegas where nothing was measured, and the columns the class left
//! null. `history` shows how courtside reads them; persisting one of these
//! dates for the production system replaces the row.

use super::story;
use crate::model::diagnostics::DiagnosticsRow;
use crate::source::embedded::StoreWriter;
use anyhow::Result;
use chrono::{Days, NaiveDate};
use serde_json::json;

/// The first of the seven dates.
pub fn first_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 3).unwrap_or(NaiveDate::MIN)
}

fn row(day: NaiveDate, offset: u64) -> DiagnosticsRow {
    // (level, beats-Vegas, hit rate, status, bias, cause, factors)
    let (level, beats, hit, status, bias, cause, factors) = match offset {
        2 => (
            "warning",
            Some(44.1),
            Some(51.8),
            "SHARP",
            "OVER",
            "VEGAS_SHARP",
            json!(["Vegas MAE down 9%", "beats-Vegas 44.1%"]),
        ),
        3 => (
            "info",
            Some(48.9),
            Some(53.0),
            "NORMAL",
            "NEUTRAL",
            "NORMAL_VARIANCE",
            json!(["hit rate 53.0%"]),
        ),
        // The class's "no data" day: a neutral 50% and no hit rate.
        5 => (
            "ok",
            Some(50.0),
            None,
            "NO_DATA",
            "UNKNOWN",
            "NORMAL_VARIANCE",
            json!([]),
        ),
        _ => (
            "ok",
            Some(56.0 + offset as f64 * 0.3),
            Some(57.5 - offset as f64 * 0.2),
            "NORMAL",
            "NEUTRAL",
            "NORMAL_VARIANCE",
            json!([]),
        ),
    };
    DiagnosticsRow {
        game_date: day,
        computed_at: day.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc(),
        vegas_mae_tier1: None,
        vegas_mae_tier2: None,
        vegas_mae_tier3: None,
        model_beats_vegas_pct: beats,
        sharpness_score: None,
        sharpness_status: Some(status.to_string()),
        hit_rate_7d: hit,
        hit_rate_14d: hit.map(|h| h - 0.4),
        hit_rate_30d: hit.map(|h| h - 0.8),
        model_mae: None,
        model_mean_error: None,
        bias_direction: Some(bias.to_string()),
        drift_score: Some(if level == "warning" { 25.0 } else { 0.0 }),
        drift_severity: None,
        shot_zone_completeness: Some(96.5),
        predictions_made: None,
        predictions_graded: None,
        feature_quality_avg: None,
        vegas_mae_baseline: None,
        hit_rate_baseline: None,
        sharpness_vs_baseline: None,
        primary_cause: Some(cause.to_string()),
        cause_confidence: Some(if level == "ok" { 0.5 } else { 0.6 }),
        contributing_factors: Some(factors),
        alert_triggered: level != "ok",
        alert_level: level.to_string(),
        alert_message: (level != "ok").then(|| format!("[{}] see factors", level.to_uppercase())),
        system_id: None,
        coverage: None,
        missing_dates_7d: None,
        cusum_stat: None,
        cusum_threshold: None,
        cusum_alarm: None,
    }
}

/// Writes the seven legacy rows.
pub fn write(writer: &StoreWriter<'_>) -> Result<usize> {
    let rows: Vec<DiagnosticsRow> = (0..7)
        .map(|offset| row(first_date() + Days::new(offset), offset))
        .collect();
    writer.diagnostics(&rows, story::PRODUCTION_SYSTEM)
}
