//! The async fetch layer: the `Source` trait every backend implements, the
//! embedded SQLite store and BigQuery. Sources return sufficient statistics and rows; they
//! compute no verdicts and know nothing of the UI.

pub mod backtest_feed;
pub mod bigquery;
pub mod canonical;
pub mod clv_sql;
pub mod column_spec;
pub mod domains;
pub mod embedded;
pub mod game_day;
pub mod model_registry;
pub mod one_bet;
pub mod pregame_tables;
pub mod presence;
pub mod pushdown;
pub mod schema;
pub mod setup_ddl;
pub mod table_shape;
pub mod tables;

use crate::config::Thresholds;
use crate::model::diagnostics::DiagnosticsRow;
use crate::model::experiment::Transition;
use crate::model::rows::{BetRules, GapRow};
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::model::{DayStatsBundle, LineSources};
use anyhow::Result;
use async_trait::async_trait;
use chrono::NaiveDate;

/// What one refresh asks for: a date range (already extended by the lookback),
/// the systems (all when `None`), and the parameters the aggregation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct DayStatsQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub systems: Option<Vec<String>>,
    pub edge_threshold: f64,
    pub star_min: f64,
    pub starter_min: f64,
    pub rotation_min: f64,
    pub tier_lookback_days: u32,
    pub tier_min_minutes: f64,
    /// Which `line_source` values are real lines (metrics.md section 1, Rev. 3).
    pub line_sources: LineSources,
}

impl DayStatsQuery {
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        systems: Option<Vec<String>>,
        thresholds: &Thresholds,
    ) -> Self {
        DayStatsQuery {
            from,
            to,
            systems,
            edge_threshold: thresholds.edge_threshold.get(),
            star_min: thresholds.tiers.star.get(),
            starter_min: thresholds.tiers.starter.get(),
            rotation_min: thresholds.tiers.rotation.get(),
            tier_lookback_days: thresholds.tiers.lookback_days.0,
            tier_min_minutes: thresholds.tiers.min_minutes.get(),
            line_sources: thresholds.line_sources.clone(),
        }
    }
}

/// The source could not be reached (network, timeout, server errors that
/// outlasted the retries): every command exits 3, "unknown", on it, as a
/// monitoring plugin does when it cannot check.
#[derive(Debug)]
pub struct Unreachable(pub String);

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreachable {}

/// Whether `error` says the source could not be reached.
pub fn is_unreachable(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.is::<Unreachable>())
}

/// How a source describes itself in the header and in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// `embedded: /path/to/courtside.sqlite` or `bigquery: project`.
    pub label: String,
    /// The store holds the generated demo dataset.
    pub is_demo: bool,
}

/// One query as `--dry-run` and the query counts report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRecord {
    /// The tables it reads (`nba_predictions.prediction_accuracy, …`).
    pub tables: String,
    /// Bytes processed, or for a dry run the estimate.
    pub bytes: Option<u64>,
    pub dry_run: bool,
    /// The SQL text (for checks of its partition filters).
    pub sql: String,
}

/// A backend that serves the diagnostics inputs.
#[async_trait]
pub trait Source: Send + Sync {
    fn info(&self) -> SourceInfo;

    /// Per-day sufficient statistics, data-quality days and per-system day counts.
    async fn day_stats(&self, query: &DayStatsQuery) -> Result<DayStatsBundle>;

    /// The latest date with graded rows for `system` (any system when `None`).
    async fn latest_date(&self, system: Option<&str>) -> Result<Option<NaiveDate>>;

    /// Systems with predictions, sorted.
    async fn systems(&self) -> Result<Vec<String>>;

    /// Persisted diagnostics rows in `from ..= to`; old rows without a system are
    /// reported as `legacy_system`.
    async fn diagnostics_history(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        system: Option<&str>,
        legacy_system: &str,
    ) -> Result<Vec<DiagnosticsRow>>;

    /// Writes diagnostics rows, replacing any row with the same date and system.
    /// Writes `rows`, each replacing the row of its (date, system); a row of
    /// `legacy_system` also replaces that date's legacy row without a system
    /// (which reads as `legacy_system`'s), so one (date, system) is one row.
    async fn persist_diagnostics(
        &self,
        rows: &[DiagnosticsRow],
        legacy_system: &str,
    ) -> Result<usize>;

    /// A token that changes whenever the source's data may have changed
    /// (`None`: unknown, always reload). Lets a live refresh skip unchanged data.
    async fn data_version(&self) -> Result<Option<String>>;

    /// Bytes the source's queries processed so far (BigQuery); `None` where
    /// nothing is billed.
    fn bytes_processed(&self) -> Option<u64> {
        None
    }

    /// What the queries run so far would bill on on-demand pricing (each at
    /// least 10 MB per table it references, rounded up to a MB); `None`
    /// where nothing is billed.
    fn bytes_billed(&self) -> Option<u64> {
        None
    }

    /// Sends the queries that read data as dry runs from now on (lookups of
    /// dates and systems still run); `false` where nothing is billed.
    fn set_dry_run(&self, _on: bool) -> bool {
        false
    }

    /// The queries run so far, in order (BigQuery).
    fn query_log(&self) -> Vec<QueryRecord> {
        Vec::new()
    }

    /// An experiment's backtest rows, one query (bets judged at `edge_threshold`).
    async fn backtest_rows(&self, experiment_id: &str, rules: &BetRules) -> Result<Vec<GapRow>>;

    /// Ids of the experiments that have backtest rows.
    async fn backtest_experiments(&self) -> Result<Vec<String>>;

    /// The population fingerprint of every experiment with backtest rows
    /// (metrics.md section 16), by experiment id.
    async fn backtest_fingerprints(
        &self,
        line_sources: &LineSources,
    ) -> Result<Vec<crate::model::fingerprint::Fingerprint>>;

    /// The graded rows of `system` in `from ..= to` (one per bet), one query.
    async fn production_rows(
        &self,
        system: &str,
        from: NaiveDate,
        to: NaiveDate,
        rules: &BetRules,
    ) -> Result<Vec<GapRow>>;

    /// Adds a new experiment and its first event, in one transaction.
    async fn register_experiment(&self, row: &ExperimentRow, event: &ExperimentEvent)
    -> Result<()>;

    /// Registers `batch` (rows, their events and backtest rows, the rows
    /// read from `backtest` in batches as they are written): on the
    /// embedded store in one transaction, all or nothing; on BigQuery each
    /// experiment whole in turn, its registry row last. A name registered
    /// already (by anyone, however they raced) is refused naming its
    /// experiment. `on_written` hears of each experiment once it is
    /// registered, never before.
    async fn register_experiments(
        &self,
        batch: &[crate::model::rows::NewExperiment],
        backtest: std::sync::Arc<dyn backtest_feed::BacktestFeed>,
        on_written: &(dyn for<'e> Fn(&'e crate::model::rows::NewExperiment) + Send + Sync),
    ) -> Result<()>;

    /// How many backtest rows `experiment_id` has stored (`period`, its
    /// evaluation period, bounds the partitions read on BigQuery).
    async fn backtest_row_count(
        &self,
        experiment_id: &str,
        period: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<u64>;

    /// Adds the backtest rows of a registered experiment from `feed` (an
    /// earlier import stopped before them): all of them or none.
    async fn add_backtest(
        &self,
        experiment_id: &str,
        feed: std::sync::Arc<dyn backtest_feed::BacktestFeed>,
    ) -> Result<()>;

    /// Appends an audit event that changes no status (a promotion, rollback
    /// or archive request awaiting approval), only while the experiment's
    /// status is still `event.to_status`.
    async fn append_event(&self, event: &ExperimentEvent) -> Result<()>;

    /// Applies a status change in one transaction with its precondition (the
    /// status is still `from`), appends the event, and for a promotion archives
    /// the experiment promoted before for the same target system. Returns the
    /// ids archived by a promotion.
    async fn apply_transition(
        &self,
        change: &Transition,
        production_system: &str,
    ) -> Result<Vec<String>>;

    /// Every experiment of the registry, newest first.
    async fn experiments(&self) -> Result<Vec<ExperimentRow>>;

    /// The audit trail (oldest first), of one experiment or of all.
    async fn experiment_events(&self, experiment_id: Option<&str>) -> Result<Vec<ExperimentEvent>>;

    /// The Splits view's counts per dimension and bucket: one aggregated query.
    async fn split_counts(
        &self,
        query: &pushdown::SplitsQuery,
    ) -> Result<Vec<crate::model::splits::BucketCounts>>;

    /// Each graded bet of a system in a window with every book's closing
    /// snapshot (metrics.md section 18): one query; `None` when the source
    /// has no line snapshot table.
    async fn clv_bets(
        &self,
        query: &clv_sql::ClvQuery,
    ) -> Result<Option<Vec<crate::model::clv::ClvBetRow>>>;

    /// The Versus view's counts of the join of two sides: one aggregated query.
    async fn pair_counts(
        &self,
        query: &pushdown::PairQuery,
    ) -> Result<crate::model::versus::PairCounts>;

    /// `table` as the warehouse has it (for `doctor` and `setup`): found or
    /// not, its columns and types, its physical partitioning; with a
    /// `window`, a profile of the rows dated in it (count, latest date,
    /// the values of its vocabulary columns), one small pruned query.
    async fn describe_table(
        &self,
        table: crate::source::tables::TableKind,
        window: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<table_shape::TableShape>;

    /// Makes the changes of `setup --apply`, in order: on BigQuery one job
    /// each; on the embedded store in one transaction (a column already
    /// there is skipped).
    async fn apply_setup(&self, steps: &[setup_ddl::SetupStep]) -> Result<()>;

    /// The column names of `table` (as configured), or `None` when it does
    /// not exist (see [`presence`]); other failures are errors.
    async fn table_columns(&self, table: &crate::config::TableName) -> Result<Option<Vec<String>>>;

    /// The one-line reasons this source answered without a missing table or
    /// column so far (see [`presence::Notes`]).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }

    /// The rows of `model_registry`, newest first, or `None` when the table
    /// does not exist (see [`model_registry`]).
    async fn model_registry(&self) -> Result<Option<Vec<model_registry::RegistryModel>>>;

    /// The pre-game tables' days of `from ..= to` (metrics.md section 5b,
    /// Rev. 3): active predictions per system and date, the schedule's games
    /// per date, each system's first prediction. `None` when the source has
    /// no `player_prop_predictions` or no schedule. One query per table;
    /// the predictions are read once, only the columns needed.
    async fn pregame_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        line_sources: &LineSources,
    ) -> Result<Option<crate::model::game_day::PregameDays>>;

    /// The rows the slate of `date` is computed from, as they stood at `now`
    /// (predictions made, snapshots taken and rows graded by then); a table
    /// the source lacks is named in `missing_tables` (metrics.md section 17).
    async fn slate_inputs(
        &self,
        date: NaiveDate,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::model::game_day::SlateInputs>;

    /// The registry's rows and, when one is promoted, every audit event:
    /// what the since-promotion marks are read from (metrics.md section
    /// 19). A source may keep them a while (BigQuery: a few minutes, and
    /// until it writes the registry itself).
    async fn promotion_history(&self) -> Result<PromotionHistory> {
        read_promotion_history(self).await
    }

    /// Every silence (`courtside silence`), newest first: the embedded
    /// store's `courtside_silences`; on BigQuery `tables.silences`, shared
    /// by everyone who watches the warehouse. None before the table is
    /// there; a table that does not read is an error (never "none").
    async fn silences(&self) -> Result<Vec<crate::model::silence::Silence>>;

    /// Adds a silence; its id.
    async fn add_silence(&self, silence: &crate::model::silence::NewSilence) -> Result<i64>;

    /// Ends silence `id` at `at`, by `by`; an error when there is no such
    /// silence or it has ended already.
    async fn expire_silence(
        &self,
        id: i64,
        by: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::model::silence::Silence>;

    /// Every row of `table` in canonical form (see transfer::tables), in a stable order.
    async fn export_rows(
        &self,
        table: crate::source::tables::TableKind,
    ) -> Result<Vec<Vec<serde_json::Value>>>;
}

/// The registry's rows and their audit events (none unless one is promoted).
pub type PromotionHistory = (
    Vec<crate::model::rows::ExperimentRow>,
    Vec<crate::model::rows::ExperimentEvent>,
);

/// Reads [`Source::promotion_history`]: the rows, then the events only
/// when one of them is promoted.
pub async fn read_promotion_history<S: Source + ?Sized>(source: &S) -> Result<PromotionHistory> {
    let rows = source.experiments().await?;
    if !rows
        .iter()
        .any(|row| row.status == crate::model::experiment::Status::Promoted)
    {
        return Ok((rows, Vec::new()));
    }
    let events = source.experiment_events(None).await?;
    Ok((rows, events))
}
