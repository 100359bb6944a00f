//! Writing rows inside one transaction: the demo generator, imports and the
//! registry all insert through `StoreWriter`.

use super::columns::*;
use super::ownership::{CREATED_BY_KEY, SCHEMA_VERSION_KEY};
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::rows::{
    BacktestRow, ExperimentEvent, ExperimentRow, FeatureStoreRow, PlayerGameRow, PredictionRow,
};
use crate::source::schema::SQLITE;
use anyhow::{Result, bail};
use rusqlite::{OptionalExtension, Transaction, params};

/// Inserts rows inside one transaction (the demo generator and imports write through this).
pub struct StoreWriter<'t> {
    pub(super) transaction: &'t Transaction<'t>,
}

impl<'t> StoreWriter<'t> {
    pub fn new(transaction: &'t Transaction<'t>) -> Self {
        StoreWriter { transaction }
    }

    /// Deletes every row of every table (for `demo --reset`) but the
    /// store's own schema version; the caller's transaction makes it
    /// all-or-nothing with what is written next.
    pub fn clear_all(&self) -> Result<()> {
        // The audit trail is append-only by trigger; a reset rebuilds the whole store.
        self.transaction.execute_batch(
            "DROP TRIGGER IF EXISTS ml_experiment_events_no_delete;
             DELETE FROM prediction_accuracy; DELETE FROM player_game_summary;
             DELETE FROM ml_feature_store_v2; DELETE FROM performance_diagnostics_daily;
             DELETE FROM ml_experiments; DELETE FROM ml_experiment_events;
             DELETE FROM backtest_predictions;
             DELETE FROM courtside_alert_posts; DELETE FROM player_prop_predictions;
             DELETE FROM nbac_schedule; DELETE FROM odds_api_player_points_props;
             DELETE FROM upcoming_player_game_context; DELETE FROM model_registry;",
        )?;
        self.transaction.execute(
            "DELETE FROM courtside_meta WHERE key NOT IN (?1, ?2)",
            params![SCHEMA_VERSION_KEY, CREATED_BY_KEY],
        )?;
        self.transaction.execute_batch(SQLITE[5].1)?;
        Ok(())
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.transaction.execute(
            "INSERT INTO courtside_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Inserts rows of `table`, each with a value per column in the
    /// table's order (the demo's pre-game tables).
    pub fn table_rows(
        &self,
        table: crate::source::tables::TableKind,
        rows: &[Vec<rusqlite::types::Value>],
    ) -> Result<()> {
        let columns = table.columns();
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        // Table and column names come from the static table specs.
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name(),
            table.column_list(),
            placeholders.join(", ")
        );
        let mut statement = self.transaction.prepare_cached(&sql)?;
        for row in rows {
            statement.execute(rusqlite::params_from_iter(row.iter()))?;
        }
        Ok(())
    }

    pub fn predictions(&self, rows: &[PredictionRow]) -> Result<()> {
        let mut statement = self.transaction.prepare_cached(
            "INSERT INTO prediction_accuracy (player_lookup, game_id, game_date, system_id,
               team_abbr, opponent_team_abbr, predicted_points, confidence_score, confidence_decile,
               recommendation, line_value, actual_points, minutes_played, absolute_error,
               signed_error, prediction_correct, predicted_margin, actual_margin, within_3_points,
               within_5_points, has_prop_line, line_source, estimated_line_value, is_actionable,
               line_bookmaker, is_voided, void_reason, feature_quality_score,
               is_superseded_prediction, model_version, graded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
               ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
        )?;
        for row in rows {
            statement.execute(params![
                row.player_lookup,
                row.game_id,
                date_text(row.game_date),
                row.system_id,
                row.team_abbr,
                row.opponent_team_abbr,
                row.predicted_points,
                row.confidence_score,
                row.confidence_decile,
                row.recommendation,
                row.line_value,
                row.actual_points,
                row.minutes_played,
                row.absolute_error,
                row.signed_error,
                row.prediction_correct,
                row.predicted_margin,
                row.actual_margin,
                row.within_3_points,
                row.within_5_points,
                row.has_prop_line,
                row.line_source,
                row.estimated_line_value,
                row.is_actionable,
                row.line_bookmaker,
                row.is_voided,
                row.void_reason,
                row.feature_quality_score,
                row.is_superseded_prediction,
                row.model_version,
                row.graded_at.map(timestamp_text),
            ])?;
        }
        Ok(())
    }

    pub fn player_games(&self, rows: &[PlayerGameRow]) -> Result<()> {
        let mut statement = self.transaction.prepare_cached(
            "INSERT INTO player_game_summary (player_lookup, game_id, game_date, team_abbr, points,
               minutes_played, paint_attempts, mid_range_attempts, three_attempts_pbp,
               has_complete_shot_zones)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for row in rows {
            statement.execute(params![
                row.player_lookup,
                row.game_id,
                date_text(row.game_date),
                row.team_abbr,
                row.points,
                row.minutes_played,
                row.paint_attempts,
                row.mid_range_attempts,
                row.three_attempts_pbp,
                row.has_complete_shot_zones,
            ])?;
        }
        Ok(())
    }

    pub fn feature_rows(&self, rows: &[FeatureStoreRow]) -> Result<()> {
        let mut statement = self.transaction.prepare_cached(
            "INSERT INTO ml_feature_store_v2 (player_lookup, game_id, game_date, has_vegas_line,
               feature_quality_score, feature_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for row in rows {
            statement.execute(params![
                row.player_lookup,
                row.game_id,
                date_text(row.game_date),
                row.has_vegas_line,
                row.feature_quality_score,
                row.feature_version,
            ])?;
        }
        Ok(())
    }

    pub fn backtest_rows(&self, rows: &[BacktestRow]) -> Result<()> {
        let mut statement = self.transaction.prepare_cached(
            "INSERT INTO backtest_predictions (experiment_id, player_lookup, game_id, game_date,
               predicted_points, line_value, line_source, actual_points, recommendation,
               prediction_correct)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for row in rows {
            statement.execute(params![
                row.experiment_id,
                row.player_lookup,
                row.game_id,
                date_text(row.game_date),
                row.predicted_points,
                row.line_value,
                row.line_source,
                row.actual_points,
                row.recommendation,
                row.prediction_correct,
            ])?;
        }
        Ok(())
    }

    pub fn experiment(&self, row: &ExperimentRow) -> Result<()> {
        // One name, one experiment: checked inside the writing transaction,
        // so two imports racing cannot both register it.
        let holder: Option<String> = self
            .transaction
            .query_row(
                "SELECT experiment_id FROM ml_experiments WHERE experiment_name = ?1
                 ORDER BY created_at, experiment_id LIMIT 1",
                [&row.experiment_name],
                |stored| stored.get(0),
            )
            .optional()?;
        if let Some(holder) = holder {
            bail!(
                "the name is registered already, as experiment {holder} (one name, one experiment: rename this one)"
            );
        }
        let period = |period: &Option<crate::model::rows::Period>| {
            period.as_ref().and_then(|p| serde_json::to_string(p).ok())
        };
        self.transaction.execute(
            "INSERT INTO ml_experiments (experiment_id, experiment_name, hypothesis, experiment_type,
               tags, config_json, train_period, eval_period, results_json, model_path, git_commit,
               parent_experiment_id, status, created_at, completed_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                row.experiment_id,
                row.experiment_name,
                row.hypothesis,
                row.experiment_type,
                serde_json::to_string(&row.tags)?,
                serde_json::to_string(&row.config_json)?,
                period(&row.train_period),
                period(&row.eval_period),
                row.results_json.as_ref().map(|v| v.to_string()),
                row.model_path,
                row.git_commit,
                row.parent_experiment_id,
                row.status.as_str(),
                timestamp_text(row.created_at),
                row.completed_at.map(timestamp_text),
                row.created_by,
            ],
        )?;
        Ok(())
    }

    pub fn event(&self, event: &ExperimentEvent) -> Result<()> {
        self.transaction.execute(
            "INSERT INTO ml_experiment_events (experiment_id, at, actor, from_status, to_status, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                event.experiment_id,
                timestamp_text(event.at),
                event.actor,
                event.from_status,
                event.to_status,
                event.note,
            ],
        )?;
        Ok(())
    }

    /// Replaces the row for each (date, system): delete then insert, never duplicates.
    /// Writes `rows`, each replacing its (date, system) row; a row of
    /// `legacy_system` also replaces the date's legacy row without a system.
    pub fn diagnostics(&self, rows: &[DiagnosticsRow], legacy_system: &str) -> Result<usize> {
        let mut delete = self.transaction.prepare_cached(
            "DELETE FROM performance_diagnostics_daily
             WHERE game_date = ?1
               AND (COALESCE(system_id, '') = COALESCE(?2, '')
                    OR (?2 = ?3 AND system_id IS NULL))",
        )?;
        let mut insert = self.transaction.prepare_cached(
            "INSERT INTO performance_diagnostics_daily (game_date, computed_at, vegas_mae_tier1,
               vegas_mae_tier2, vegas_mae_tier3, model_beats_vegas_pct, sharpness_score,
               sharpness_status, hit_rate_7d, hit_rate_14d, hit_rate_30d, model_mae,
               model_mean_error, bias_direction, drift_score, drift_severity,
               shot_zone_completeness, predictions_made, predictions_graded, feature_quality_avg,
               vegas_mae_baseline, hit_rate_baseline, sharpness_vs_baseline, primary_cause,
               cause_confidence, contributing_factors, alert_triggered, alert_level, alert_message,
               system_id, coverage, missing_dates_7d, cusum_stat, cusum_threshold, cusum_alarm)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
               ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33,
               ?34, ?35)",
        )?;
        for row in rows {
            let date = date_text(row.game_date);
            delete.execute(params![date, row.system_id, legacy_system])?;
            insert.execute(params![
                date,
                timestamp_text(row.computed_at),
                row.vegas_mae_tier1,
                row.vegas_mae_tier2,
                row.vegas_mae_tier3,
                row.model_beats_vegas_pct,
                row.sharpness_score,
                row.sharpness_status,
                row.hit_rate_7d,
                row.hit_rate_14d,
                row.hit_rate_30d,
                row.model_mae,
                row.model_mean_error,
                row.bias_direction,
                row.drift_score,
                row.drift_severity,
                row.shot_zone_completeness,
                row.predictions_made,
                row.predictions_graded,
                row.feature_quality_avg,
                row.vegas_mae_baseline,
                row.hit_rate_baseline,
                row.sharpness_vs_baseline,
                row.primary_cause,
                row.cause_confidence,
                row.contributing_factors.as_ref().map(|v| v.to_string()),
                row.alert_triggered,
                row.alert_level,
                row.alert_message,
                row.system_id,
                row.coverage,
                row.missing_dates_7d,
                row.cusum_stat,
                row.cusum_threshold,
                row.cusum_alarm,
            ])?;
        }
        Ok(rows.len())
    }
}
