//! Row decoders of the embedded store: history, gap and experiment rows, and the
//! day-stats bundle of a range.

use super::cells::shown;
use super::columns::*;
use super::valid_dates::unread_dates;
use super::{aggregate, materialized};
use crate::config::DateLimit;
use crate::model::DayStatsBundle;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::experiment::Status;
use crate::model::rows::ExperimentRow;
use crate::model::rows::{BetRules, GapRow};
use crate::source::DayStatsQuery;
use anyhow::Result;
use rusqlite::{Connection, Row};

/// The day stats, system days and data-quality days of a range: one pass over
/// its predictions and one over its player-games, on one connection (rows
/// dated up to today plus the default `future_days`).
pub fn query_day_stats(connection: &Connection, query: &DayStatsQuery) -> Result<DayStatsBundle> {
    read_range(
        connection,
        query,
        &DateLimit::default(),
        aggregate::day_sums,
    )
}

/// [`query_day_stats`] through the store's materialised day stats: the dates
/// whose rows did not change since a pass kept them are read back, the
/// others computed (and kept). Same numbers.
pub fn kept_day_stats(
    connection: &Connection,
    query: &DayStatsQuery,
    limit: DateLimit,
) -> Result<DayStatsBundle> {
    read_range(connection, query, &limit, materialized::day_sums)
}

/// The range's sums from `sums`, read up to the limit's date only (rows
/// after it are skipped and named, and no day sums are kept for them).
fn read_range(
    connection: &Connection,
    query: &DayStatsQuery,
    limit: &DateLimit,
    sums: impl Fn(&Connection, &DayStatsQuery) -> Result<aggregate::Sums>,
) -> Result<DayStatsBundle> {
    let not_after = limit.not_after();
    let readable = DayStatsQuery {
        to: query.to.min(not_after),
        ..query.clone()
    };
    let mut sums = sums(connection, &readable)?;
    // The skipped rows' dates served the keeping; two answers to one
    // question report the same rows whichever way they were summed.
    sums.skipped.dates.clear();
    // Three index seeks on the predictions' date index. (Player-games
    // have no date-first index, so the check would scan them on every
    // refresh; a stray date there is outside every range and never read.)
    unread_dates(
        connection,
        "prediction_accuracy",
        "system_id",
        limit,
        not_after,
        &mut sums.skipped,
    )?;
    Ok(DayStatsBundle {
        promotions: Vec::new(),
        pregame: None,
        from: Some(query.from),
        to: Some(query.to),
        day_stats: sums.day_stats,
        quality: sums.quality,
        system_days: sums.system_days,
        skipped: sums.skipped,
    })
}

pub(super) fn history_row(row: &Row<'_>, legacy_system: &str) -> rusqlite::Result<DiagnosticsRow> {
    Ok(DiagnosticsRow {
        game_date: date_column(row, 0)?,
        computed_at: parse_timestamp(&row.get::<_, String>(1)?)?,
        vegas_mae_tier1: row.get(2)?,
        vegas_mae_tier2: row.get(3)?,
        vegas_mae_tier3: row.get(4)?,
        model_beats_vegas_pct: row.get(5)?,
        sharpness_score: row.get(6)?,
        sharpness_status: row.get(7)?,
        hit_rate_7d: row.get(8)?,
        hit_rate_14d: row.get(9)?,
        hit_rate_30d: row.get(10)?,
        model_mae: row.get(11)?,
        model_mean_error: row.get(12)?,
        bias_direction: row.get(13)?,
        drift_score: row.get(14)?,
        drift_severity: row.get(15)?,
        shot_zone_completeness: row.get(16)?,
        predictions_made: row.get(17)?,
        predictions_graded: row.get(18)?,
        feature_quality_avg: row.get(19)?,
        vegas_mae_baseline: row.get(20)?,
        hit_rate_baseline: row.get(21)?,
        sharpness_vs_baseline: row.get(22)?,
        primary_cause: row.get(23)?,
        cause_confidence: row.get(24)?,
        contributing_factors: json_column(row, 25)?,
        alert_triggered: row.get(26)?,
        alert_level: row.get(27)?,
        alert_message: row.get(28)?,
        system_id: Some(
            row.get::<_, Option<String>>(29)?
                .unwrap_or_else(|| legacy_system.to_string()),
        ),
        coverage: row.get(30)?,
        missing_dates_7d: row.get(31)?,
        cusum_stat: row.get(32)?,
        cusum_threshold: row.get(33)?,
        cusum_alarm: row.get(34)?,
    })
}

/// A gap row from `player_lookup, game_date, predicted_points, line_value,
/// line_source, has_prop_line, recommendation, prediction_correct`.
pub(super) fn gap_row(row: &Row<'_>, rules: &BetRules) -> rusqlite::Result<GapRow> {
    Ok(GapRow::from_columns(
        row.get(0)?,
        date_column(row, 1)?,
        row.get(2)?,
        row.get(3)?,
        row.get::<_, Option<String>>(4)?.as_deref(),
        row.get(5)?,
        row.get::<_, Option<String>>(6)?.as_deref(),
        row.get(7)?,
        rules,
    ))
}

pub(super) fn experiment_row(row: &Row<'_>) -> rusqlite::Result<ExperimentRow> {
    let from_json =
        |index: usize| -> rusqlite::Result<Option<serde_json::Value>> { json_column(row, index) };
    let period = |index: usize| -> rusqlite::Result<Option<crate::model::rows::Period>> {
        from_json(index)?
            .map(serde_json::from_value)
            .transpose()
            .map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(
                    index,
                    rusqlite::types::Type::Text,
                    Box::new(error),
                )
            })
    };
    let tags = match from_json(4)? {
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Ok(ExperimentRow {
        experiment_id: row.get(0)?,
        experiment_name: row.get(1)?,
        hypothesis: row.get(2)?,
        experiment_type: row.get(3)?,
        tags,
        config_json: from_json(5)?.unwrap_or(serde_json::Value::Null),
        train_period: period(6)?,
        eval_period: period(7)?,
        results_json: from_json(8)?,
        model_path: row.get(9)?,
        git_commit: row.get(10)?,
        parent_experiment_id: row.get(11)?,
        status: {
            let text: String = row.get(12)?;
            Status::from_stored(&text).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    12,
                    rusqlite::types::Type::Text,
                    format!("`{text}` is not a registry status").into(),
                )
            })?
        },
        created_at: parse_timestamp(&row.get::<_, String>(13)?)?,
        completed_at: row
            .get::<_, Option<String>>(14)?
            .map(|text| parse_timestamp(&text))
            .transpose()?,
        created_by: row.get(15)?,
    })
}

/// A stored row that does not decode, named as a person would look for it:
/// the table, the row's key (its first column, or the key columns given)
/// and the column, instead of the driver's "Invalid column type Null at
/// index: 12".
#[derive(Debug)]
pub(super) struct StoredRowError {
    table: &'static str,
    key: String,
    column: String,
    problem: String,
}

impl std::fmt::Display for StoredRowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} row {}: column {} {}",
            self.table, self.key, self.column, self.problem
        )
    }
}

impl std::error::Error for StoredRowError {}

/// The [`StoredRowError`] a decode failure of [`named`] carries, if it is one.
pub(super) fn stored_row_error(error: &rusqlite::Error) -> Option<&StoredRowError> {
    match error {
        rusqlite::Error::ToSqlConversionFailure(inner) => inner.downcast_ref::<StoredRowError>(),
        _ => None,
    }
}

/// `decode` with its failures named by [`StoredRowError`], the row's key
/// being its first column.
pub(super) fn named<T>(
    table: &'static str,
    decode: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> impl Fn(&Row<'_>) -> rusqlite::Result<T> {
    named_by(table, &[0], decode)
}

/// [`named`] with the row's key made of the columns at `key` (a date and
/// a system, say).
pub(super) fn named_by<T>(
    table: &'static str,
    key: &'static [usize],
    decode: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> impl Fn(&Row<'_>) -> rusqlite::Result<T> {
    move |row| {
        decode(row).map_err(|error| {
            let statement = row.as_ref();
            let name = |index: usize| {
                statement
                    .column_name(index)
                    .map_or_else(|_| format!("#{index}"), str::to_string)
            };
            let key = key
                .iter()
                .map(|&index| {
                    format!(
                        "{} {}",
                        name(index),
                        row.get_ref(index).map(shown).unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let (column, problem) = match &error {
                rusqlite::Error::InvalidColumnType(index, _, kind) => {
                    let found = match kind {
                        rusqlite::types::Type::Null => "is empty (NULL)".to_string(),
                        other => format!(
                            "holds {} '{}'",
                            other,
                            row.get_ref(*index).map(shown).unwrap_or_default()
                        ),
                    };
                    (name(*index), format!("{found}, which it may not"))
                }
                rusqlite::Error::FromSqlConversionFailure(index, _, inner) => (
                    name(*index),
                    format!(
                        "holds '{}': {inner}",
                        row.get_ref(*index).map(shown).unwrap_or_default()
                    ),
                ),
                rusqlite::Error::IntegralValueOutOfRange(index, value) => {
                    (name(*index), format!("holds {value}, out of range"))
                }
                other => ("?".to_string(), other.to_string()),
            };
            // The one boxed-error variant of the default features; its text
            // is the boxed error's own.
            rusqlite::Error::ToSqlConversionFailure(Box::new(StoredRowError {
                table,
                key,
                column,
                problem,
            }))
        })
    }
}

/// A system's graded rows of a range for the gap (`?1` system, `?2`..`?3`
/// dates): one row per bet (`source::one_bet`) among the rows whose
/// numbers are within their domains, then section 1's filters.
pub(super) fn production_rows_sql() -> String {
    format!(
        "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                has_prop_line, recommendation, prediction_correct
         FROM (SELECT player_lookup, game_date, predicted_points, line_value,
                      line_source, has_prop_line, recommendation, prediction_correct,
                      actual_points, is_voided, is_superseded_prediction,
                      {copy} AS copy
               FROM prediction_accuracy
               WHERE system_id = ?1 AND game_date BETWEEN ?2 AND ?3
                 AND {valid})
         WHERE copy = 1
           AND COALESCE(is_voided, 0) = 0
           AND COALESCE(is_superseded_prediction, 0) = 0
           AND predicted_points IS NOT NULL AND actual_points IS NOT NULL",
        copy = crate::source::one_bet::copy_number(),
        valid = crate::source::domains::sql_all_within(
            crate::source::tables::TableKind::PredictionAccuracy,
            &crate::source::domains::READ_CHECKED_PREDICTIONS
        )
    )
}
