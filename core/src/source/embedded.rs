//! The embedded store: an SQLite file holding the tables of `data-contract.md`
//! with their column names. Queries run on tokio's blocking pool; a refresh
//! reads the graded rows of its range once and sums them into day stats
//! (`aggregate`). Values reach SQL only as parameters.

use super::schema::SQLITE;
use super::{DayStatsQuery, Source, SourceInfo};
use crate::model::AlertLevel;
use crate::model::DayStatsBundle;
use crate::model::alert_posts::PostState;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::experiment::{Status, Transition, TransitionError};
use crate::model::rows::GapRow;
use crate::model::rows::{
    BacktestRow, ExperimentEvent, ExperimentRow, FeatureStoreRow, PlayerGameRow, PredictionRow,
};
use crate::source::tables::TableKind;
use anyhow::{Context, Result, anyhow};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params,
};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod aggregate;
mod table_io;
pub use table_io::{LoadError, TableLoader};

/// The embedded SQLite store at one path.
#[derive(Debug, Clone)]
pub struct EmbeddedStore {
    path: PathBuf,
}

/// Formats a date as the store keeps it (`YYYY-MM-DD`).
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Formats a timestamp as the store keeps it (RFC 3339, UTC, milliseconds).
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(error))
    })
}

fn parse_timestamp(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .map(|at| at.and_utc())
        })
        .map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                Box::new(error),
            )
        })
}

fn date_column(row: &Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    parse_date(&row.get::<_, String>(index)?)
}

fn json_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<serde_json::Value>> {
    match row.get::<_, Option<String>>(index)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(error),
            )
        }),
    }
}

impl EmbeddedStore {
    /// Opens (creating when absent) the store at `path` and applies the schema.
    /// A file that is not an SQLite database is refused before anything is written.
    pub fn open(path: &Path) -> Result<EmbeddedStore> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("{}: cannot create the store directory", parent.display())
            })?;
        }
        let store = EmbeddedStore {
            path: path.to_path_buf(),
        };
        let mut connection = store.connect()?;
        let transaction = connection.transaction()?;
        for (file, sql) in SQLITE {
            transaction
                .execute_batch(sql)
                .with_context(|| format!("{}: applying schemas/sqlite/{file}", path.display()))?;
        }
        transaction.commit()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new connection with the store's settings; checks that the file is SQLite.
    pub fn connect(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&self.path, flags)
            .with_context(|| format!("{}: cannot open the store", self.path.display()))?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection
            .query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0))
            .map_err(|error| match error {
                rusqlite::Error::SqliteFailure(code, _)
                    if code.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    anyhow!(
                        "{}: not an SQLite database (is this the right store file?)",
                        self.path.display()
                    )
                }
                other => anyhow!("{}: cannot read the store: {other}", self.path.display()),
            })?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(connection)
    }

    /// Runs `work` with a fresh connection on the blocking thread pool.
    async fn blocking<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = store.connect()?;
            work(&mut connection)
        })
        .await
        .map_err(|error| anyhow!("store task failed: {error}"))?
    }

    /// True when no table of the contract has a row (a store holding only
    /// imported experiments, say, is not empty and never gets the demo).
    pub fn is_empty(&self) -> Result<bool> {
        let connection = self.connect()?;
        for table in crate::source::tables::TableKind::ALL {
            let sql = format!("SELECT 1 FROM {} LIMIT 1", table.name());
            let any: Option<i64> = connection
                .query_row(&sql, [], |row| row.get(0))
                .optional()?;
            if any.is_some() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A value of `courtside_meta`.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        let connection = self.connect()?;
        Ok(connection
            .query_row(
                "SELECT value FROM courtside_meta WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.meta("demo").ok().flatten().as_deref(), Some("true"))
    }
}

impl EmbeddedStore {
    /// The level and time of the last post for `system`.
    pub fn last_post(&self, system: &str) -> Result<Option<PostState>> {
        let connection = self.connect()?;
        let row: Option<(String, String)> = connection
            .query_row(
                "SELECT alert_level, posted_at FROM courtside_alert_posts
                 WHERE system_id = ?1 ORDER BY posted_at DESC, rowid DESC LIMIT 1",
                [system],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(level, at)| {
            Some(PostState {
                last_level: AlertLevel::parse(&level)?,
                last_posted_at: parse_timestamp(&at).ok()?,
            })
        }))
    }

    /// Whether `level` was already posted for `system` on `date`.
    pub fn was_posted(&self, system: &str, date: NaiveDate, level: AlertLevel) -> Result<bool> {
        let connection = self.connect()?;
        let found: Option<i64> = connection
            .query_row(
                "SELECT 1 FROM courtside_alert_posts
                 WHERE system_id = ?1 AND game_date = ?2 AND alert_level = ?3",
                params![system, date_text(date), level.as_str()],
                |row| row.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    /// Records a successful post (idempotent).
    pub fn record_post(
        &self,
        system: &str,
        date: NaiveDate,
        level: AlertLevel,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let connection = self.connect()?;
        connection.execute(
            "INSERT OR IGNORE INTO courtside_alert_posts (system_id, game_date, alert_level, posted_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![system, date_text(date), level.as_str(), timestamp_text(at)],
        )?;
        Ok(())
    }
}

/// Inserts rows inside one transaction (the demo generator and imports write through this).
pub struct StoreWriter<'t> {
    transaction: &'t Transaction<'t>,
}

impl<'t> StoreWriter<'t> {
    pub fn new(transaction: &'t Transaction<'t>) -> Self {
        StoreWriter { transaction }
    }

    /// Deletes every row of every table (for `demo --reset`); the caller's
    /// transaction makes it all-or-nothing with what is written next.
    pub fn clear_all(&self) -> Result<()> {
        // The audit trail is append-only by trigger; a reset rebuilds the whole store.
        self.transaction.execute_batch(
            "DROP TRIGGER IF EXISTS ml_experiment_events_no_delete;
             DELETE FROM prediction_accuracy; DELETE FROM player_game_summary;
             DELETE FROM ml_feature_store_v2; DELETE FROM performance_diagnostics_daily;
             DELETE FROM ml_experiments; DELETE FROM ml_experiment_events;
             DELETE FROM backtest_predictions; DELETE FROM courtside_meta;
             DELETE FROM courtside_alert_posts;",
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
    pub fn diagnostics(&self, rows: &[DiagnosticsRow]) -> Result<usize> {
        let mut delete = self.transaction.prepare_cached(
            "DELETE FROM performance_diagnostics_daily
             WHERE game_date = ?1 AND COALESCE(system_id, '') = COALESCE(?2, '')",
        )?;
        let mut insert = self.transaction.prepare_cached(
            "INSERT INTO performance_diagnostics_daily (game_date, computed_at, vegas_mae_tier1,
               vegas_mae_tier2, vegas_mae_tier3, model_beats_vegas_pct, sharpness_score,
               sharpness_status, hit_rate_7d, hit_rate_14d, hit_rate_30d, model_mae,
               model_mean_error, bias_direction, drift_score, drift_severity,
               shot_zone_completeness, predictions_made, predictions_graded, feature_quality_avg,
               vegas_mae_baseline, hit_rate_baseline, sharpness_vs_baseline, primary_cause,
               cause_confidence, contributing_factors, alert_triggered, alert_level, alert_message,
               system_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
               ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
        )?;
        for row in rows {
            let date = date_text(row.game_date);
            delete.execute(params![date, row.system_id])?;
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
            ])?;
        }
        Ok(rows.len())
    }
}

/// The day stats, system days and data-quality days of a range: one pass over
/// its predictions and one over its player-games, on one connection.
pub fn query_day_stats(connection: &Connection, query: &DayStatsQuery) -> Result<DayStatsBundle> {
    let sums = aggregate::day_sums(connection, query)?;
    Ok(DayStatsBundle {
        from: Some(query.from),
        to: Some(query.to),
        day_stats: sums.day_stats,
        quality: sums.quality,
        system_days: sums.system_days,
    })
}

fn history_row(row: &Row<'_>, legacy_system: &str) -> rusqlite::Result<DiagnosticsRow> {
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
    })
}

/// A gap row from `player_lookup, game_date, predicted_points, line_value,
/// line_source, has_prop_line, recommendation, prediction_correct`.
fn gap_row(row: &Row<'_>, edge_threshold: f64) -> rusqlite::Result<GapRow> {
    Ok(GapRow::from_columns(
        row.get(0)?,
        date_column(row, 1)?,
        row.get(2)?,
        row.get(3)?,
        row.get::<_, Option<String>>(4)?.as_deref(),
        row.get(5)?,
        row.get::<_, Option<String>>(6)?.as_deref(),
        row.get(7)?,
        edge_threshold,
    ))
}

fn experiment_row(row: &Row<'_>) -> rusqlite::Result<ExperimentRow> {
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
                    format!("ml_experiments.status: `{text}` is not a registry status").into(),
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

#[async_trait]
impl Source for EmbeddedStore {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            label: format!("embedded: {}", self.path.display()),
            is_demo: self.is_demo(),
        }
    }

    async fn day_stats(&self, query: &DayStatsQuery) -> Result<DayStatsBundle> {
        let query = query.clone();
        self.blocking(move |connection| query_day_stats(connection, &query))
            .await
    }

    async fn latest_date(&self, system: Option<&str>) -> Result<Option<NaiveDate>> {
        let system = system.map(str::to_string);
        self.blocking(move |connection| {
            let latest: Option<String> = connection.query_row(
                "SELECT MAX(game_date) FROM prediction_accuracy
                 WHERE (?1 IS NULL OR system_id = ?1)
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL",
                params![system],
                |row| row.get(0),
            )?;
            latest
                .map(|text| parse_date(&text))
                .transpose()
                .map_err(Into::into)
        })
        .await
    }

    async fn systems(&self) -> Result<Vec<String>> {
        self.blocking(|connection| {
            // A skip-scan over the (system_id, game_date) index: one seek per system
            // instead of reading every row.
            let mut statement = connection.prepare(
                "WITH RECURSIVE systems(system_id) AS (
                   SELECT MIN(system_id) FROM prediction_accuracy
                   UNION ALL
                   SELECT (SELECT MIN(p.system_id) FROM prediction_accuracy p
                            WHERE p.system_id > systems.system_id)
                   FROM systems WHERE systems.system_id IS NOT NULL
                 )
                 SELECT system_id FROM systems WHERE system_id IS NOT NULL",
            )?;
            let systems = statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(systems)
        })
        .await
    }

    async fn diagnostics_history(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        system: Option<&str>,
        legacy_system: &str,
    ) -> Result<Vec<DiagnosticsRow>> {
        let system = system.map(str::to_string);
        let legacy_system = legacy_system.to_string();
        self.blocking(move |connection| {
            let columns = TableKind::Diagnostics
                .columns_except(&["created_at"])
                .join(", ");
            let sql = format!(
                "SELECT {columns} FROM performance_diagnostics_daily
                 WHERE game_date BETWEEN ?1 AND ?2
                   AND (?3 IS NULL OR COALESCE(system_id, ?4) = ?3)
                 ORDER BY game_date, system_id"
            );
            let mut statement = connection.prepare(&sql)?;
            let rows = statement
                .query_map(
                    params![date_text(from), date_text(to), system, legacy_system],
                    |row| history_row(row, &legacy_system),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn data_version(&self) -> Result<Option<String>> {
        // Every commit touches the database file or its write-ahead log.
        let stamp = |path: &Path| {
            std::fs::metadata(path).ok().map(|meta| {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |at| at.as_nanos());
                format!("{}@{modified}", meta.len())
            })
        };
        let wal = self.path.with_file_name(format!(
            "{}-wal",
            self.path
                .file_name()
                .map_or_else(String::new, |name| name.to_string_lossy().to_string())
        ));
        Ok(stamp(&self.path).map(|db| format!("{db}/{}", stamp(&wal).unwrap_or_default())))
    }

    async fn backtest_rows(&self, experiment_id: &str, edge_threshold: f64) -> Result<Vec<GapRow>> {
        let experiment_id = experiment_id.to_string();
        self.blocking(move |connection| {
            let mut statement = connection.prepare(
                "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        NULL, recommendation, prediction_correct
                 FROM backtest_predictions
                 WHERE experiment_id = ?1
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL",
            )?;
            let rows = statement
                .query_map(params![experiment_id], |row| gap_row(row, edge_threshold))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn backtest_experiments(&self) -> Result<Vec<String>> {
        self.blocking(|connection| {
            let mut statement = connection.prepare(
                "SELECT DISTINCT experiment_id FROM backtest_predictions ORDER BY experiment_id",
            )?;
            let ids = statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(ids)
        })
        .await
    }

    async fn production_rows(
        &self,
        system: &str,
        from: NaiveDate,
        to: NaiveDate,
        edge_threshold: f64,
    ) -> Result<Vec<GapRow>> {
        let system = system.to_string();
        self.blocking(move |connection| {
            let mut statement = connection.prepare(
                "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        has_prop_line, recommendation, prediction_correct
                 FROM prediction_accuracy
                 WHERE system_id = ?1 AND game_date BETWEEN ?2 AND ?3
                   AND COALESCE(is_voided, 0) = 0
                   AND COALESCE(is_superseded_prediction, 0) = 0
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL",
            )?;
            let rows = statement
                .query_map(params![system, date_text(from), date_text(to)], |row| {
                    gap_row(row, edge_threshold)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn register_experiment(
        &self,
        row: &ExperimentRow,
        event: &ExperimentEvent,
    ) -> Result<()> {
        let (row, event) = (row.clone(), event.clone());
        self.blocking(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let writer = StoreWriter::new(&transaction);
            writer
                .experiment(&row)
                .map_err(|error| anyhow!("cannot register {}: {error}", row.experiment_name))?;
            writer.event(&event)?;
            transaction.commit()?;
            Ok(())
        })
        .await
    }

    async fn apply_transition(
        &self,
        change: &Transition,
        production_system: &str,
    ) -> Result<Vec<String>> {
        change.check()?;
        let change = change.clone();
        let production_system = production_system.to_string();
        self.blocking(move |connection| {
            // IMMEDIATE takes the write lock first, so two promoters queue up.
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let at = timestamp_text(change.at);
            let finished = matches!(change.to, Status::Completed | Status::Failed);
            let updated = transaction.execute(
                "UPDATE ml_experiments
                 SET status = ?1,
                     completed_at = CASE WHEN ?2 THEN ?3 ELSE completed_at END,
                     results_json = COALESCE(?4, results_json),
                     model_path = COALESCE(?5, model_path)
                 WHERE experiment_id = ?6 AND status = ?7",
                params![
                    change.to.as_str(),
                    finished,
                    at,
                    change.results_json.as_ref().map(|v| v.to_string()),
                    change.model_path,
                    change.experiment_id,
                    change.from.as_str(),
                ],
            )?;
            if updated == 0 {
                let actual: Option<String> = transaction
                    .query_row(
                        "SELECT status FROM ml_experiments WHERE experiment_id = ?1",
                        [&change.experiment_id],
                        |row| row.get(0),
                    )
                    .optional()?;
                return Err(match actual {
                    None => TransitionError::Missing(change.experiment_id.clone()).into(),
                    Some(actual) => TransitionError::StaleStatus {
                        expected: change.from,
                        actual,
                    }
                    .into(),
                });
            }
            let writer = StoreWriter::new(&transaction);
            writer.event(&change.event())?;
            let mut archived = Vec::new();
            if change.to == Status::Promoted {
                let target = change
                    .target_system
                    .clone()
                    .unwrap_or(production_system.clone());
                let mut statement = transaction.prepare(
                    "SELECT experiment_id FROM ml_experiments
                     WHERE status = 'promoted' AND experiment_id <> ?1
                       AND COALESCE(json_extract(config_json, '$.target_system'), ?2) = ?3",
                )?;
                archived = statement
                    .query_map(
                        params![change.experiment_id, production_system, target],
                        |row| row.get(0),
                    )?
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                for id in &archived {
                    transaction.execute(
                        "UPDATE ml_experiments SET status = 'archived'
                         WHERE experiment_id = ?1 AND status = 'promoted'",
                        [id],
                    )?;
                    writer.event(&change.archive_event(id))?;
                }
            }
            transaction.commit()?;
            Ok(archived)
        })
        .await
    }

    async fn experiments(&self) -> Result<Vec<ExperimentRow>> {
        self.blocking(|connection| {
            let sql = format!(
                "SELECT {} FROM ml_experiments ORDER BY created_at DESC, experiment_name",
                TableKind::Experiments.column_list()
            );
            let mut statement = connection.prepare(&sql)?;
            let rows = statement
                .query_map([], experiment_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn experiment_events(&self, experiment_id: Option<&str>) -> Result<Vec<ExperimentEvent>> {
        let experiment_id = experiment_id.map(str::to_string);
        self.blocking(move |connection| {
            let mut statement = connection.prepare(
                "SELECT experiment_id, at, actor, from_status, to_status, note
                 FROM ml_experiment_events
                 WHERE (?1 IS NULL OR experiment_id = ?1)
                 ORDER BY at, rowid",
            )?;
            let rows = statement
                .query_map(params![experiment_id], |row| {
                    Ok(ExperimentEvent {
                        experiment_id: row.get(0)?,
                        at: parse_timestamp(&row.get::<_, String>(1)?)?,
                        actor: row.get(2)?,
                        from_status: row.get(3)?,
                        to_status: row.get(4)?,
                        note: row.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn export_rows(
        &self,
        table: crate::source::tables::TableKind,
    ) -> Result<Vec<Vec<serde_json::Value>>> {
        self.blocking(move |connection| table_io::export_rows(connection, table))
            .await
    }

    async fn persist_diagnostics(&self, rows: &[DiagnosticsRow]) -> Result<usize> {
        let rows = rows.to_vec();
        self.blocking(move |connection| {
            let transaction = connection.transaction()?;
            let written = StoreWriter::new(&transaction).diagnostics(&rows)?;
            transaction.commit()?;
            Ok(written)
        })
        .await
    }
}
