//! Decoding the BigQuery source's answers into rows (day stats, history,
//! gap, experiments, events) and the parameters of the rows it writes.

use super::decode::Record;
use super::params::Params;
use crate::model::day_stats::SkippedRow;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::experiment::Status;
use crate::model::rows::{BetRules, GapRow};
use crate::model::rows::{ExperimentEvent, ExperimentRow, Period};
use crate::model::{ConfidenceTier, DayStatRow, LineKind, PlayerTier, StatCell, SystemDay};
use anyhow::{Context, Result, anyhow};
use serde_json::Value;

pub(super) fn systems_params(params: &mut Params, systems: Option<&Vec<String>>) {
    params
        .bool("all_systems", Some(systems.is_none()))
        .strings("systems", systems.map_or(&[][..], Vec::as_slice));
}

/// One row of the day-stats query: a cell, a system's day counts, or an
/// unlisted `line_source` value's count on a system's day.
pub(super) enum DayStatsLine {
    Cell(DayStatRow),
    System(SystemDay),
    UnlistedSource {
        game_date: chrono::NaiveDate,
        system_id: String,
        value: String,
        rows: u64,
    },
    /// Rows of a date and system left out, with one of them named.
    Skipped {
        rows: u64,
        example: SkippedRow,
    },
}

pub(super) fn day_stat_row(record: Record<'_>) -> Result<DayStatsLine> {
    let game_date = record.date("game_date")?;
    let system_id = record.str("system_id")?;
    let kind = record.str("kind")?;
    if kind == "system" {
        let day = SystemDay {
            game_date,
            system_id,
            predictions_made: record.u64("n_rows")?,
            voided_rows: record.u64("voided_rows")?,
            feature_quality_rows: record.u64("feature_quality_rows")?,
            sum_feature_quality: record.f64("sum_feature_quality")?,
            duplicate_rows: record.u64("duplicate_rows")?,
            unknown_line_sources: Default::default(),
        };
        return Ok(DayStatsLine::System(day));
    }
    if kind == "skipped" || kind == "future" {
        let column = record.str("confidence_tier")?;
        let problem = if kind == "future" {
            "after today plus future_days".to_string()
        } else {
            let value: f64 = record.str("line_source")?.parse().unwrap_or(f64::NAN);
            crate::source::domains::stored_outside(
                crate::source::tables::TableKind::PredictionAccuracy,
                &column,
                value,
            )
            .unwrap_or_else(|| "outside its domain".to_string())
        };
        return Ok(DayStatsLine::Skipped {
            rows: record.u64("n_rows")?,
            example: SkippedRow {
                table: "prediction_accuracy".to_string(),
                key: format!(
                    "game_date {game_date}, system_id {system_id}, player_lookup {}",
                    record.str("player_tier")?
                ),
                column,
                value: record.str("line_source")?,
                problem,
            },
        });
    }
    if kind == "source" {
        return Ok(DayStatsLine::UnlistedSource {
            game_date,
            system_id,
            value: record.str("line_source")?,
            rows: record.u64("n_rows")?,
        });
    }
    let text = |column: &str| record.str(column);
    let tier = text("player_tier")?;
    let confidence = text("confidence_tier")?;
    let line_kind = text("line_kind")?;
    let row = DayStatRow {
        game_date,
        system_id,
        player_tier: PlayerTier::parse(&tier)
            .ok_or_else(|| anyhow!("unexpected player tier `{tier}`"))?,
        confidence_tier: ConfidenceTier::parse(&confidence)
            .ok_or_else(|| anyhow!("unexpected confidence tier `{confidence}`"))?,
        line_kind: LineKind::parse(&line_kind)
            .ok_or_else(|| anyhow!("unexpected line kind `{line_kind}`"))?,
        cell: StatCell {
            rows: record.u64("n_rows")?,
            sum_abs_error: record.f64("sum_abs_error")?,
            sum_signed_error: record.f64("sum_signed_error")?,
            lined_rows: record.u64("lined_rows")?,
            sum_line_abs_error: record.f64("sum_line_abs_error")?,
            sum_abs_error_lined: record.f64("sum_abs_error_lined")?,
            beats: record.u64("beats")?,
            bets: record.u64("bets")?,
            hits: record.u64("hits")?,
        },
    };
    Ok(DayStatsLine::Cell(row))
}

pub(super) fn history_row(record: Record<'_>, legacy_system: &str) -> Result<DiagnosticsRow> {
    let f = |column: &str| record.opt_f64(column);
    let s = |column: &str| record.opt_str(column);
    Ok(DiagnosticsRow {
        game_date: record.date("game_date")?,
        computed_at: record.timestamp("computed_at")?,
        vegas_mae_tier1: f("vegas_mae_tier1")?,
        vegas_mae_tier2: f("vegas_mae_tier2")?,
        vegas_mae_tier3: f("vegas_mae_tier3")?,
        model_beats_vegas_pct: f("model_beats_vegas_pct")?,
        sharpness_score: f("sharpness_score")?,
        sharpness_status: s("sharpness_status")?,
        hit_rate_7d: f("hit_rate_7d")?,
        hit_rate_14d: f("hit_rate_14d")?,
        hit_rate_30d: f("hit_rate_30d")?,
        model_mae: f("model_mae")?,
        model_mean_error: f("model_mean_error")?,
        bias_direction: s("bias_direction")?,
        drift_score: f("drift_score")?,
        drift_severity: s("drift_severity")?,
        shot_zone_completeness: f("shot_zone_completeness")?,
        predictions_made: record.opt_i64("predictions_made")?,
        predictions_graded: record.opt_i64("predictions_graded")?,
        feature_quality_avg: f("feature_quality_avg")?,
        vegas_mae_baseline: f("vegas_mae_baseline")?,
        hit_rate_baseline: f("hit_rate_baseline")?,
        sharpness_vs_baseline: f("sharpness_vs_baseline")?,
        primary_cause: s("primary_cause")?,
        cause_confidence: f("cause_confidence")?,
        contributing_factors: record.opt_json("contributing_factors")?,
        alert_triggered: record.opt_bool("alert_triggered")?.unwrap_or(false),
        alert_level: record.str("alert_level")?,
        alert_message: s("alert_message")?,
        system_id: Some(s("system_id")?.unwrap_or_else(|| legacy_system.to_string())),
        coverage: f("coverage")?,
        missing_dates_7d: record.opt_i64("missing_dates_7d")?,
        cusum_stat: f("cusum_stat")?,
        cusum_threshold: f("cusum_threshold")?,
        cusum_alarm: record.opt_bool("cusum_alarm")?,
    })
}

pub(super) fn gap_row(record: Record<'_>, rules: &BetRules) -> Result<GapRow> {
    Ok(GapRow::from_columns(
        record.str("player_lookup")?,
        record.date("game_date")?,
        record.opt_f64("predicted_points")?,
        record.opt_f64("line_value")?,
        record.opt_str("line_source")?.as_deref(),
        record.opt_bool("has_prop_line")?,
        record.opt_str("recommendation")?.as_deref(),
        record.opt_bool("prediction_correct")?,
        rules,
    ))
}

pub(super) fn period(record: Record<'_>, column: &str) -> Result<Option<Period>> {
    let value = record.value(column)?;
    if value.is_null() {
        return Ok(None);
    }
    serde_json::from_value(value.clone())
        .map(Some)
        .with_context(|| format!("column `{column}`"))
}

pub(super) fn experiment_row(record: Record<'_>) -> Result<ExperimentRow> {
    let tags = match record.value("tags")? {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Ok(ExperimentRow {
        experiment_id: record.str("experiment_id")?,
        experiment_name: record.str("experiment_name")?,
        hypothesis: record.opt_str("hypothesis")?,
        experiment_type: record.str("experiment_type")?,
        tags,
        config_json: record.opt_json("config_json")?.unwrap_or(Value::Null),
        train_period: period(record, "train_period")?,
        eval_period: period(record, "eval_period")?,
        results_json: record.opt_json("results_json")?,
        model_path: record.opt_str("model_path")?,
        git_commit: record.opt_str("git_commit")?,
        parent_experiment_id: record.opt_str("parent_experiment_id")?,
        status: {
            let text = record.str("status")?;
            Status::from_stored(&text).ok_or_else(|| {
                anyhow!("ml_experiments.status: `{text}` is not a registry status")
            })?
        },
        created_at: record.timestamp("created_at")?,
        completed_at: record.opt_timestamp("completed_at")?,
        created_by: record.opt_str("created_by")?,
    })
}

pub(super) fn event_row(record: Record<'_>) -> Result<ExperimentEvent> {
    Ok(ExperimentEvent {
        experiment_id: record.str("experiment_id")?,
        at: record.timestamp("at")?,
        actor: record.opt_str("actor")?,
        from_status: record.opt_str("from_status")?,
        to_status: record.str("to_status")?,
        note: record.opt_str("note")?,
    })
}

pub(super) fn json_text(value: Option<&Value>) -> Option<String> {
    value.filter(|v| !v.is_null()).map(Value::to_string)
}

pub(super) fn period_params(params: &mut Params, prefix: &str, period: Option<&Period>) {
    params
        .bool(&format!("{prefix}_set"), Some(period.is_some()))
        .date(
            &format!("{prefix}_start"),
            period.and_then(|p| p.start_date),
        )
        .date(&format!("{prefix}_end"), period.and_then(|p| p.end_date))
        .int(&format!("{prefix}_samples"), period.and_then(|p| p.samples));
}

/// Adds one event's parameters with suffix `index`.
pub(super) fn event_params(params: &mut Params, index: usize, event: &ExperimentEvent) {
    params
        .string(&format!("e{index}_id"), Some(&event.experiment_id))
        .timestamp(&format!("e{index}_at"), Some(event.at))
        .string(&format!("e{index}_actor"), event.actor.as_deref())
        .string(&format!("e{index}_from"), event.from_status.as_deref())
        .string(&format!("e{index}_to"), Some(&event.to_status))
        .string(&format!("e{index}_note"), event.note.as_deref());
}
