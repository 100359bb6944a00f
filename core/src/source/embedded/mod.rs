//! The embedded store: an SQLite file holding the tables of `data-contract.md`
//! with their column names. Queries run on tokio's blocking pool; a refresh
//! reads the graded rows of its range once and sums them into day stats
//! (`aggregate`). Values reach SQL only as parameters.

use super::{DayStatsQuery, Source, SourceInfo};
use crate::model::DayStatsBundle;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::experiment::{Status, Transition, TransitionError};
use crate::model::rows::{BetRules, GapRow};
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::source::presence;
use crate::source::tables::TableKind;
use anyhow::{Result, anyhow};
use async_trait::async_trait;
use chrono::NaiveDate;
use columns::*;
use rows::*;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use valid_dates::latest_valid_date;

mod aggregate;
mod alert_posts;
mod bulk_load;
mod cells;
mod clv;
mod columns;
mod cores;
mod day_pass;
mod describe;
mod fingerprints;
mod fnv;
mod game_day;
mod integrity;
mod io_errors;
mod kept_read;
mod kept_state;
mod kept_write;
mod materialized;
mod migrate;
mod one_bet;
mod optional;
mod ownership;
mod player_pass;
mod prepare;
mod pushdown;
mod read_ahead;
mod read_only;
mod registry_writes;
mod required_columns;
mod rows;
mod scoring;
mod silences;
mod store;
mod stored_rows;
mod sum;
mod table_io;
mod valid_dates;
mod warm;
mod write_lock;
mod writer;
pub use bulk_load::{SetAside, set_aside};
pub use columns::{date_text, timestamp_text};
pub use ownership::SCHEMA_VERSION;
pub use prepare::KeptSums;
pub use rows::query_day_stats;
pub use silences::{NewEvent, recent_events};
pub use store::EmbeddedStore;
pub use table_io::{KeyHolder, LoadError, TableLoader};
pub use writer::StoreWriter;

#[async_trait]
impl Source for EmbeddedStore {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            label: format!(
                "embedded: {}{}",
                self.path().display(),
                if self.is_read_only() {
                    " (read-only)"
                } else {
                    ""
                }
            ),
            is_demo: self.is_demo(),
        }
    }

    async fn day_stats(&self, query: &DayStatsQuery) -> Result<DayStatsBundle> {
        // The version is read before the pass: a write during it makes the
        // kept answer stale at once, never the other way round. The date
        // limit is part of the question (a new day reads one more date).
        let not_after = self.dates.not_after();
        let version = warm::data_version(self.path()).map(|v| format!("{v} {not_after}"));
        if let Some(bundle) = version.as_deref().and_then(|v| self.warm.get(v, query)) {
            return Ok(bundle);
        }
        let asked = query.clone();
        let limit = self.dates;
        let bundle = self
            .blocking(move |connection| kept_day_stats(connection, &asked, limit))
            .await?;
        if let Some(version) = version {
            self.warm.keep(version, query.clone(), &bundle);
        }
        Ok(bundle)
    }

    async fn latest_date(&self, system: Option<&str>) -> Result<Option<NaiveDate>> {
        let system = system.map(str::to_string);
        let not_after = self.dates.not_after();
        self.blocking(move |connection| latest_valid_date(connection, system.as_deref(), not_after))
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
        self.history_rows(from, to, system, legacy_system).await
    }

    async fn data_version(&self) -> Result<Option<String>> {
        Ok(warm::data_version(self.path()))
    }

    async fn backtest_rows(&self, experiment_id: &str, rules: &BetRules) -> Result<Vec<GapRow>> {
        let experiment_id = experiment_id.to_string();
        let rules = rules.clone();
        let result = self
            .blocking(move |connection| {
                let mut statement = connection.prepare(
                    "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        NULL, recommendation, prediction_correct
                 FROM backtest_predictions
                 WHERE experiment_id = ?1
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL",
                )?;
                let rows = statement
                    .query_map(
                        params![experiment_id],
                        named("backtest_predictions", |row| gap_row(row, &rules)),
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .await;
        self.notes.or_missing(result, || {
            presence::no_backtest_note("backtest_predictions")
        })
    }

    async fn backtest_experiments(&self) -> Result<Vec<String>> {
        let result = self
            .blocking(|connection| {
                let mut statement = connection.prepare(
                "SELECT DISTINCT experiment_id FROM backtest_predictions ORDER BY experiment_id",
            )?;
                let ids = statement
                    .query_map([], |row| row.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                Ok(ids)
            })
            .await;
        self.notes.or_missing(result, || {
            presence::no_backtest_note("backtest_predictions")
        })
    }

    async fn backtest_fingerprints(
        &self,
        line_sources: &crate::model::LineSources,
    ) -> Result<Vec<crate::model::fingerprint::Fingerprint>> {
        let result = self.read_fingerprints(line_sources).await;
        self.notes.or_missing(result, || {
            presence::no_backtest_note("backtest_predictions")
        })
    }

    async fn production_rows(
        &self,
        system: &str,
        from: NaiveDate,
        to: NaiveDate,
        rules: &BetRules,
    ) -> Result<Vec<GapRow>> {
        let system = system.to_string();
        let rules = rules.clone();
        self.blocking(move |connection| {
            let sql = production_rows_sql();
            let mut statement = connection.prepare(&sql)?;
            let rows = statement
                .query_map(
                    params![system, date_text(from), date_text(to)],
                    named("prediction_accuracy", |row| gap_row(row, &rules)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn split_counts(
        &self,
        query: &crate::source::pushdown::SplitsQuery,
    ) -> Result<Vec<crate::model::splits::BucketCounts>> {
        let query = query.clone();
        self.blocking(move |connection| {
            let statement = crate::source::pushdown::splits(&local_tables(), &query);
            pushdown::run(connection, &statement, |cells| {
                crate::source::pushdown::bucket_counts(cells, &query)
            })
        })
        .await
    }

    async fn clv_bets(
        &self,
        query: &crate::source::clv_sql::ClvQuery,
    ) -> Result<Option<Vec<crate::model::clv::ClvBetRow>>> {
        self.read_clv_bets(query).await
    }

    async fn pair_counts(
        &self,
        query: &crate::source::pushdown::PairQuery,
    ) -> Result<crate::model::versus::PairCounts> {
        let statement = crate::source::pushdown::pairs(&local_tables(), query);
        self.blocking(move |connection| {
            let mut answer =
                pushdown::run(connection, &statement, crate::source::pushdown::pair_counts)?;
            answer
                .pop()
                .ok_or_else(|| anyhow!("the pair query returned no row"))
        })
        .await
    }

    async fn register_experiment(
        &self,
        row: &ExperimentRow,
        event: &ExperimentEvent,
    ) -> Result<()> {
        self.register_one(row, event).await
    }

    async fn register_experiments(
        &self,
        batch: &[crate::model::rows::NewExperiment],
        backtest: std::sync::Arc<dyn crate::source::backtest_feed::BacktestFeed>,
        on_written: &(dyn for<'e> Fn(&'e crate::model::rows::NewExperiment) + Send + Sync),
    ) -> Result<()> {
        self.register_batch(batch, backtest).await?;
        batch.iter().for_each(on_written);
        Ok(())
    }

    async fn backtest_row_count(
        &self,
        experiment_id: &str,
        _period: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<u64> {
        self.stored_backtest_rows(experiment_id).await
    }

    async fn add_backtest(
        &self,
        experiment_id: &str,
        feed: std::sync::Arc<dyn crate::source::backtest_feed::BacktestFeed>,
    ) -> Result<()> {
        self.load_backtest(experiment_id, feed).await
    }

    async fn append_event(&self, event: &ExperimentEvent) -> Result<()> {
        let event = event.clone();
        self.blocking(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let status: Option<String> = transaction
                .query_row(
                    "SELECT status FROM ml_experiments WHERE experiment_id = ?1",
                    [&event.experiment_id],
                    |row| row.get(0),
                )
                .optional()?;
            match status {
                None => return Err(TransitionError::Missing(event.experiment_id.clone()).into()),
                Some(actual) if actual != event.to_status => {
                    return Err(anyhow!(
                        "the experiment is now {actual}, not {}: someone else changed it; nothing was written",
                        event.to_status
                    ));
                }
                Some(_) => {}
            }
            StoreWriter::new(&transaction).event(&event)?;
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
            let mut archived = Vec::new();
            if change.to == Status::Promoted {
                let target = change
                    .target_system
                    .clone()
                    .unwrap_or(production_system.clone());
                let mut statement = transaction.prepare(
                    "SELECT experiment_id FROM ml_experiments
                     WHERE status = 'promoted' AND experiment_id <> ?1
                       AND COALESCE(json_extract(config_json, '$.target_system'), ?2) = ?3
                     ORDER BY experiment_id",
                )?;
                archived = statement
                    .query_map(
                        params![change.experiment_id, production_system, target],
                        |row| row.get(0),
                    )?
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                // The plan's archives must be what is promoted now; the
                // transaction (dropped unapplied) writes nothing otherwise.
                if let Some(planned) = &change.archives {
                    let mut planned = planned.clone();
                    planned.sort();
                    if planned != archived {
                        return Err(TransitionError::StalePlan {
                            target,
                            planned,
                            promoted: archived,
                        }
                        .into());
                    }
                }
            }
            writer.event(&change.event())?;
            if change.to == Status::Promoted {
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
                .query_map([], named("ml_experiments", experiment_row))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn experiment_events(&self, experiment_id: Option<&str>) -> Result<Vec<ExperimentEvent>> {
        let experiment_id = experiment_id.map(str::to_string);
        let result = self
            .blocking(move |connection| {
                let mut statement = connection.prepare(
                    "SELECT experiment_id, at, actor, from_status, to_status, note
                 FROM ml_experiment_events
                 WHERE (?1 IS NULL OR experiment_id = ?1)
                 ORDER BY at, rowid",
                )?;
                let rows = statement
                    .query_map(
                        params![experiment_id],
                        named("ml_experiment_events", |row| {
                            Ok(ExperimentEvent {
                                experiment_id: row.get(0)?,
                                at: parse_timestamp(&row.get::<_, String>(1)?)?,
                                actor: row.get(2)?,
                                from_status: row.get(3)?,
                                to_status: row.get(4)?,
                                note: row.get(5)?,
                            })
                        }),
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .await;
        self.notes.or_missing(result, || {
            presence::missing_table_note("ml_experiment_events", "no audit trail")
        })
    }

    async fn describe_table(
        &self,
        table: TableKind,
        window: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<crate::source::table_shape::TableShape> {
        self.blocking(move |connection| describe::describe(connection, table, window))
            .await
    }

    async fn apply_setup(&self, steps: &[crate::source::setup_ddl::SetupStep]) -> Result<()> {
        let steps = steps.to_vec();
        // The store's tables carry the contract's names whatever the config says.
        let names = crate::config::TableNames::default();
        self.blocking(move |connection| describe::apply(connection, &steps, &names))
            .await
    }

    async fn export_rows(
        &self,
        table: crate::source::tables::TableKind,
    ) -> Result<Vec<Vec<serde_json::Value>>> {
        let result = self
            .blocking(move |connection| table_io::export_rows(connection, table))
            .await;
        match table {
            TableKind::ExperimentEvents | TableKind::BacktestPredictions => {
                self.notes.or_missing(result, || {
                    presence::missing_table_note(table.name(), "no rows exported")
                })
            }
            _ => result,
        }
    }

    async fn table_columns(&self, table: &crate::config::TableName) -> Result<Option<Vec<String>>> {
        self.columns_in(table.table().to_string()).await
    }

    async fn silences(&self) -> Result<Vec<crate::model::silence::Silence>> {
        let store = self.clone();
        silences::off_the_runtime(move || store.read_silences()).await
    }

    async fn add_silence(&self, silence: &crate::model::silence::NewSilence) -> Result<i64> {
        let (store, silence) = (self.clone(), silence.clone());
        silences::off_the_runtime(move || store.insert_silence(&silence)).await
    }

    async fn expire_silence(
        &self,
        id: i64,
        by: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::model::silence::Silence> {
        let (store, by) = (self.clone(), by.to_string());
        silences::off_the_runtime(move || store.end_silence(id, &by, at)).await
    }

    fn notes(&self) -> Vec<String> {
        self.notes.all()
    }

    async fn model_registry(
        &self,
    ) -> Result<Option<Vec<crate::source::model_registry::RegistryModel>>> {
        self.registry_rows().await
    }

    async fn pregame_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        line_sources: &crate::model::LineSources,
    ) -> Result<Option<crate::model::game_day::PregameDays>> {
        self.read_pregame_days(from, to, line_sources.clone()).await
    }

    async fn slate_inputs(
        &self,
        date: NaiveDate,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::model::game_day::SlateInputs> {
        self.read_slate_inputs(date, now).await
    }

    async fn persist_diagnostics(
        &self,
        rows: &[DiagnosticsRow],
        legacy_system: &str,
    ) -> Result<usize> {
        if self.persist_refused().await? {
            return Ok(0);
        }
        let rows = rows.to_vec();
        let legacy_system = legacy_system.to_string();
        self.blocking(move |connection| {
            let transaction = connection.transaction()?;
            let written = StoreWriter::new(&transaction).diagnostics(&rows, &legacy_system)?;
            transaction.commit()?;
            Ok(written)
        })
        .await
    }
}

/// The embedded store's table names (as in the data contract).
pub(super) fn local_tables() -> crate::source::pushdown::Tables {
    crate::source::pushdown::Tables {
        prediction_accuracy: "prediction_accuracy".to_string(),
        backtest_predictions: "backtest_predictions".to_string(),
        line_snapshots: "odds_api_player_points_props".to_string(),
    }
}
