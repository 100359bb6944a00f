//! The BigQuery source: the same `Source` trait as the embedded store, over
//! the team's real tables. Aggregation is pushed down (one query per dataset
//! per refresh, partition-filtered, explicit column lists, named parameters
//! only); every verdict is still computed locally. Writes are single
//! statements whose effect is checked: diagnostics by MERGE on (date,
//! system), registry transitions by an UPDATE carrying its status
//! precondition, judged by `numDmlAffectedRows`.

mod credentials;
mod data_version;
mod day_stats_read;
mod day_stats_sql;
pub mod decode;
mod failure;
mod game_day;
mod load;
mod metadata;
mod metadata_cache;
mod optional;
pub mod params;
mod promotions;
mod pushdown;
mod registry;
mod rows;
mod silences;
pub mod sql;
pub mod transport;

use super::{DayStatsQuery, Source, SourceInfo};
use crate::config::{BigQueryConfig, TableName, TableNames};
use crate::model::DayStatsBundle;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::experiment::Transition;
use crate::model::rows::{BetRules, GapRow};
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::source::tables::TableKind;
use anyhow::{Context, Result, bail};
use async_trait::async_trait;
use chrono::{Days, NaiveDate, Utc};
use params::Params;
use rows::*;
use serde_json::Value;
use sql::Sql;
use std::sync::Arc;
pub use transport::{RetryPolicy, StatsSnapshot, Transport, TransportStats};

/// Rows per `insertAll` request.
const LOAD_BATCH: usize = 5_000;

/// How far the latest date is looked for when the recent window
/// (`source.bigquery.recent_days`) holds none: two years, then everything.
const WIDER_DAYS: u64 = 730;

/// The earliest date any query reaches back to when it needs every partition.
fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

/// A BigQuery project read through the configured table names.
pub struct BigQuerySource {
    transport: Transport,
    sql: Sql,
    tables: TableNames,
    /// `source.bigquery.recent_days`.
    recent_days: u64,
    /// The systems of the recent window with their latest graded dates, and
    /// when they were read: one query answers the system list and the latest
    /// dates of a command (kept [`RECENT_TTL`], so a long-running dashboard
    /// sees new dates).
    recent: std::sync::Mutex<Option<(std::time::Instant, RecentSystems)>>,
    /// Tables' columns and the model registry, kept a minute.
    metadata: metadata_cache::Metadata,
    /// What reads and writes left out for a missing table.
    notes: crate::source::presence::Notes,
    /// The latest date a row may carry (config `timezone`, `future_days`).
    dates: crate::config::DateLimit,
    /// The data version a refresh's views share (`data_version.rs`).
    version: tokio::sync::Mutex<metadata_cache::KeptVersion>,
}

/// Each system of the recent window and its latest graded date.
type RecentSystems = Vec<(String, Option<NaiveDate>)>;

/// How long the recent systems are reused.
const RECENT_TTL: std::time::Duration = std::time::Duration::from_secs(10);

impl BigQuerySource {
    /// Connects with the configured credentials (nothing is queried yet).
    pub async fn connect(config: &BigQueryConfig, tables: &TableNames) -> Result<BigQuerySource> {
        for (key, name) in tables.entries() {
            if name.qualified().split('.').count() < 2 {
                bail!(
                    "tables.{key}: `{}` needs a dataset for BigQuery (dataset.table)",
                    name.qualified()
                );
            }
        }
        let transport = Transport::connect(config).await?;
        Ok(BigQuerySource {
            sql: Sql::new(tables),
            transport,
            tables: tables.clone(),
            recent_days: config.recent_days.0,
            recent: std::sync::Mutex::new(None),
            metadata: Default::default(),
            notes: Default::default(),
            dates: Default::default(),
            version: Default::default(),
        })
    }

    /// The source reading rows dated up to `dates` (the config's
    /// `timezone` and `future_days`; the defaults otherwise).
    pub fn with_date_limit(mut self, dates: crate::config::DateLimit) -> Self {
        self.dates = dates;
        self
    }

    /// Overrides the retry policy (tests use short backoffs).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.transport = self.transport.with_retry(retry);
        self
    }

    /// Request and byte counters since the source was opened.
    pub fn stats(&self) -> Arc<TransportStats> {
        self.transport.stats.clone()
    }

    /// Runs one statement (DDL, DML or a query) with parameters; for tests,
    /// loading and administration.
    pub async fn execute(&self, sql: &str, params: Params) -> Result<transport::QueryOutput> {
        self.transport.query(sql, params.build()).await
    }

    async fn rows(&self, sql: &str, params: Params) -> Result<decode::Rows> {
        Ok(self.transport.query(sql, params.build()).await?.rows)
    }

    /// A lookup (dates, systems, the registry): run even under `--dry-run`,
    /// since what the command asks next depends on it.
    async fn lookup(&self, sql: &str, params: Params) -> Result<decode::Rows> {
        Ok(self
            .transport
            .query_as(transport::QueryKind::Lookup, sql, params.build())
            .await?
            .rows)
    }
}

impl BigQuerySource {
    /// The systems of the recent window (widened, as the latest date is,
    /// only when it holds nothing) with their latest graded dates.
    async fn recent_systems(&self) -> Result<RecentSystems> {
        if let Ok(guard) = self.recent.lock()
            && let Some((at, recent)) = guard.as_ref()
            && at.elapsed() < RECENT_TTL
        {
            return Ok(recent.clone());
        }
        let mut found = Vec::new();
        for since in self.windows() {
            let mut params = Params::new();
            params
                .date("since", Some(since))
                .date("not_after", Some(self.dates.not_after()));
            let rows = self.lookup(&self.sql.systems, params).await?;
            found = rows
                .iter()
                .map(|r| Ok((r.str("system_id")?, r.opt_date("latest")?)))
                .collect::<Result<RecentSystems>>()?;
            if !found.is_empty() {
                break;
            }
        }
        if let Ok(mut guard) = self.recent.lock() {
            *guard = Some((std::time::Instant::now(), found.clone()));
        }
        Ok(found)
    }

    /// The windows a lookup widens through: the recent days, two years, all.
    fn windows(&self) -> Vec<NaiveDate> {
        let today = Utc::now().date_naive();
        let back = |days: u64| today.checked_sub_days(Days::new(days));
        [
            back(self.recent_days),
            back(WIDER_DAYS),
            Some(earliest_date()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// One system's latest graded date, widening the window until found.
    async fn latest_date_searched(&self, system: Option<&str>) -> Result<Option<NaiveDate>> {
        for since in self.windows() {
            let mut params = Params::new();
            params
                .date("since", Some(since))
                .date("not_after", Some(self.dates.not_after()))
                .string("system", system);
            let rows = self.lookup(&self.sql.latest_date, params).await?;
            let latest = rows
                .iter()
                .next()
                .map(|r| r.opt_date("latest"))
                .transpose()?
                .flatten();
            if latest.is_some() {
                return Ok(latest);
            }
        }
        Ok(None)
    }
}

#[async_trait]
impl Source for BigQuerySource {
    async fn pregame_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        line_sources: &crate::model::LineSources,
    ) -> Result<Option<crate::model::game_day::PregameDays>> {
        self.read_pregame_days(from, to, line_sources).await
    }

    async fn slate_inputs(
        &self,
        date: NaiveDate,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::model::game_day::SlateInputs> {
        self.read_slate_inputs(date, now).await
    }

    fn info(&self) -> SourceInfo {
        SourceInfo {
            label: format!("bigquery: {}", self.transport.project()),
            is_demo: false,
        }
    }

    fn bytes_processed(&self) -> Option<u64> {
        Some(self.transport.stats.snapshot().bytes_processed)
    }

    fn bytes_billed(&self) -> Option<u64> {
        Some(self.transport.stats.snapshot().bytes_billed)
    }

    fn set_dry_run(&self, on: bool) -> bool {
        self.transport.set_dry_run(on);
        true
    }

    fn query_log(&self) -> Vec<crate::source::QueryRecord> {
        self.transport
            .stats
            .log
            .lock()
            .map(|log| log.clone())
            .unwrap_or_default()
    }

    async fn day_stats(&self, query: &DayStatsQuery) -> Result<DayStatsBundle> {
        self.read_day_stats(query).await
    }

    async fn latest_date(&self, system: Option<&str>) -> Result<Option<NaiveDate>> {
        let recent = self.recent_systems().await?;
        let known = match system {
            None => recent.iter().filter_map(|(_, latest)| *latest).max(),
            Some(wanted) => recent
                .iter()
                .find(|(system, _)| system == wanted)
                .and_then(|(_, latest)| *latest),
        };
        if known.is_some() || system.is_none() {
            return Ok(known);
        }
        // A system silent in the recent window: its own widening search.
        self.latest_date_searched(system).await
    }

    async fn systems(&self) -> Result<Vec<String>> {
        // The systems with rows in the recent window (a system silent for
        // longer is not offered; `--system` still reaches it).
        Ok(self
            .recent_systems()
            .await?
            .into_iter()
            .map(|(system, _)| system)
            .collect())
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

    async fn persist_diagnostics(
        &self,
        rows: &[DiagnosticsRow],
        legacy_system: &str,
    ) -> Result<usize> {
        self.persist_rows(rows, legacy_system).await
    }

    async fn data_version(&self) -> Result<Option<String>> {
        self.current_version().await
    }

    async fn backtest_rows(&self, experiment_id: &str, rules: &BetRules) -> Result<Vec<GapRow>> {
        let mut params = Params::new();
        params.string("id", Some(experiment_id));
        let rows = self.rows(&self.sql.backtest_rows, params).await;
        let rows = self
            .notes
            .or_missing(rows.map(Some), || self.no_backtest())?;
        rows.iter()
            .flat_map(|rows| rows.iter())
            .map(|r| gap_row(r, rules))
            .collect()
    }

    async fn backtest_experiments(&self) -> Result<Vec<String>> {
        let rows = self
            .rows(&self.sql.backtest_experiments, Params::new())
            .await;
        let rows = self
            .notes
            .or_missing(rows.map(Some), || self.no_backtest())?;
        rows.iter()
            .flat_map(|rows| rows.iter())
            .map(|r| r.str("experiment_id"))
            .collect()
    }

    async fn backtest_fingerprints(
        &self,
        line_sources: &crate::model::LineSources,
    ) -> Result<Vec<crate::model::fingerprint::Fingerprint>> {
        self.fingerprints(line_sources).await
    }

    async fn production_rows(
        &self,
        system: &str,
        from: NaiveDate,
        to: NaiveDate,
        rules: &BetRules,
    ) -> Result<Vec<GapRow>> {
        let mut params = Params::new();
        params
            .string("system", Some(system))
            .date("from", Some(from))
            .date("to", Some(to));
        let rows = self.rows(&self.sql.production_rows, params).await?;
        rows.iter().map(|r| gap_row(r, rules)).collect()
    }

    async fn split_counts(
        &self,
        query: &crate::source::pushdown::SplitsQuery,
    ) -> Result<Vec<crate::model::splits::BucketCounts>> {
        self.query_split_counts(query).await
    }

    async fn pair_counts(
        &self,
        query: &crate::source::pushdown::PairQuery,
    ) -> Result<crate::model::versus::PairCounts> {
        self.query_pair_counts(query).await
    }

    async fn clv_bets(
        &self,
        query: &crate::source::clv_sql::ClvQuery,
    ) -> Result<Option<Vec<crate::model::clv::ClvBetRow>>> {
        self.query_clv_bets(query).await
    }

    async fn register_experiment(
        &self,
        row: &ExperimentRow,
        event: &ExperimentEvent,
    ) -> Result<()> {
        let registered = self.register_one(row, event).await;
        self.forget_promotions();
        registered
    }

    async fn register_experiments(
        &self,
        batch: &[crate::model::rows::NewExperiment],
        backtest: std::sync::Arc<dyn crate::source::backtest_feed::BacktestFeed>,
        on_written: &(dyn for<'e> Fn(&'e crate::model::rows::NewExperiment) + Send + Sync),
    ) -> Result<()> {
        let registered = self.register_batch(batch, backtest, on_written).await;
        self.forget_promotions();
        registered
    }

    async fn backtest_row_count(
        &self,
        experiment_id: &str,
        period: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<u64> {
        self.stored_backtest_rows(experiment_id, period).await
    }

    async fn add_backtest(
        &self,
        experiment_id: &str,
        feed: std::sync::Arc<dyn crate::source::backtest_feed::BacktestFeed>,
    ) -> Result<()> {
        self.load_backtest(experiment_id, feed).await
    }

    async fn append_event(&self, event: &ExperimentEvent) -> Result<()> {
        let appended = self.append_checked(event).await;
        self.forget_promotions();
        appended
    }

    async fn apply_transition(
        &self,
        change: &Transition,
        production_system: &str,
    ) -> Result<Vec<String>> {
        let changed = self.transition(change, production_system).await;
        self.forget_promotions();
        changed
    }

    async fn promotion_history(&self) -> Result<crate::source::PromotionHistory> {
        self.kept_promotion_history().await
    }

    async fn experiments(&self) -> Result<Vec<ExperimentRow>> {
        let rows = self.lookup(&self.sql.experiments, Params::new()).await?;
        rows.iter()
            .map(experiment_row)
            .collect::<Result<Vec<_>>>()
            .context("ml_experiments")
    }

    async fn experiment_events(&self, experiment_id: Option<&str>) -> Result<Vec<ExperimentEvent>> {
        let mut params = Params::new();
        params.string("id", experiment_id);
        let rows = self.lookup(&self.sql.events, params).await;
        let table = self.tables.experiment_events.qualified();
        let rows = self.notes.or_missing(rows.map(Some), || {
            crate::source::presence::missing_table_note(table, "no audit trail")
        })?;
        rows.iter()
            .flat_map(|rows| rows.iter())
            .map(event_row)
            .collect::<Result<Vec<_>>>()
            .context("ml_experiment_events")
    }

    async fn describe_table(
        &self,
        table: TableKind,
        window: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<crate::source::table_shape::TableShape> {
        self.describe(table, window).await
    }

    async fn apply_setup(&self, steps: &[crate::source::setup_ddl::SetupStep]) -> Result<()> {
        self.apply(steps).await
    }

    async fn export_rows(&self, table: TableKind) -> Result<Vec<Vec<Value>>> {
        let name = table.table_name(&self.tables);
        let columns = table.columns();
        let partition_filter =
            (table == TableKind::PredictionAccuracy).then_some("game_date >= @since");
        let order = table.export_order();
        let text = self.sql.export(
            name,
            columns.iter().map(|c| c.name),
            partition_filter,
            &order,
        );
        let mut params = Params::new();
        if partition_filter.is_some() {
            params.date("since", Some(earliest_date()));
        }
        let rows = self.rows(&text, params).await;
        match table {
            TableKind::ExperimentEvents | TableKind::BacktestPredictions => {
                let rows = self.notes.or_missing(rows.map(Some), || {
                    crate::source::presence::missing_table_note(
                        name.qualified(),
                        "no rows exported",
                    )
                })?;
                Ok(rows.map(|rows| rows.rows).unwrap_or_default())
            }
            _ => Ok(rows?.rows),
        }
    }

    async fn table_columns(&self, table: &TableName) -> Result<Option<Vec<String>>> {
        self.columns_of(table).await
    }

    async fn silences(&self) -> Result<Vec<crate::model::silence::Silence>> {
        self.read_silences().await
    }

    async fn add_silence(&self, silence: &crate::model::silence::NewSilence) -> Result<i64> {
        self.insert_silence(silence).await
    }

    async fn expire_silence(
        &self,
        id: i64,
        by: &str,
        at: chrono::DateTime<Utc>,
    ) -> Result<crate::model::silence::Silence> {
        self.end_silence(id, by, at).await
    }

    fn notes(&self) -> Vec<String> {
        self.notes.all()
    }

    async fn model_registry(
        &self,
    ) -> Result<Option<Vec<crate::source::model_registry::RegistryModel>>> {
        self.registry_rows().await
    }
}
