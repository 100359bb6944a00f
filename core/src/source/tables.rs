//! The seven tables of `data-contract.md` as static specs: each table's columns
//! in DDL order with their BigQuery types and NOT NULL flags, and the natural
//! key that import uses to refuse duplicate rows. Import, export and both
//! sources share these specs; table and column names reach SQL only from here.

use crate::config::{TableName, TableNames};
use std::fmt;

/// A table courtside reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    PredictionAccuracy,
    PlayerGameSummary,
    FeatureStore,
    Diagnostics,
    Experiments,
    ExperimentEvents,
    BacktestPredictions,
    /// The team's model registry (optional).
    ModelRegistry,
    /// Predictions as made, before grading (optional; game day).
    PlayerPropPredictions,
    /// The schedule: tip-off and status of each game (optional; game day).
    Schedule,
    /// Line snapshots of the books (optional; game day and the close).
    LineSnapshots,
    /// The slate: players expected to play, with their lines (optional).
    SlateContext,
}

pub use super::column_spec::{Column, ColumnKind};
use super::column_spec::{opt, req};

use ColumnKind::{
    Bool, Date, Float64, Int64, Json, Numeric, Period, String as Str, StringArray, Timestamp,
};

const PREDICTION_ACCURACY: [Column; 31] = [
    req("player_lookup", Str),
    req("game_id", Str),
    req("game_date", Date),
    req("system_id", Str),
    opt("team_abbr", Str),
    opt("opponent_team_abbr", Str),
    opt("predicted_points", Numeric),
    opt("confidence_score", Numeric),
    opt("confidence_decile", Int64),
    opt("recommendation", Str),
    opt("line_value", Numeric),
    opt("actual_points", Int64),
    opt("minutes_played", Numeric),
    opt("absolute_error", Numeric),
    opt("signed_error", Numeric),
    opt("prediction_correct", Bool),
    opt("predicted_margin", Numeric),
    opt("actual_margin", Numeric),
    opt("within_3_points", Bool),
    opt("within_5_points", Bool),
    opt("has_prop_line", Bool),
    opt("line_source", Str),
    opt("estimated_line_value", Numeric),
    opt("is_actionable", Bool),
    opt("line_bookmaker", Str),
    opt("is_voided", Bool),
    opt("void_reason", Str),
    opt("feature_quality_score", Float64),
    opt("is_superseded_prediction", Bool),
    opt("model_version", Str),
    opt("graded_at", Timestamp),
];

const PLAYER_GAME_SUMMARY: [Column; 10] = [
    req("player_lookup", Str),
    req("game_id", Str),
    req("game_date", Date),
    opt("team_abbr", Str),
    opt("points", Int64),
    opt("minutes_played", Numeric),
    opt("paint_attempts", Int64),
    opt("mid_range_attempts", Int64),
    opt("three_attempts_pbp", Int64),
    opt("has_complete_shot_zones", Bool),
];

const FEATURE_STORE: [Column; 6] = [
    req("player_lookup", Str),
    req("game_id", Str),
    req("game_date", Date),
    opt("has_vegas_line", Bool),
    opt("feature_quality_score", Numeric),
    opt("feature_version", Str),
];

const DIAGNOSTICS: [Column; 36] = [
    req("game_date", Date),
    req("computed_at", Timestamp),
    opt("vegas_mae_tier1", Float64),
    opt("vegas_mae_tier2", Float64),
    opt("vegas_mae_tier3", Float64),
    opt("model_beats_vegas_pct", Float64),
    opt("sharpness_score", Float64),
    opt("sharpness_status", Str),
    opt("hit_rate_7d", Float64),
    opt("hit_rate_14d", Float64),
    opt("hit_rate_30d", Float64),
    opt("model_mae", Float64),
    opt("model_mean_error", Float64),
    opt("bias_direction", Str),
    opt("drift_score", Float64),
    opt("drift_severity", Str),
    opt("shot_zone_completeness", Float64),
    opt("predictions_made", Int64),
    opt("predictions_graded", Int64),
    opt("feature_quality_avg", Float64),
    opt("vegas_mae_baseline", Float64),
    opt("hit_rate_baseline", Float64),
    opt("sharpness_vs_baseline", Float64),
    opt("primary_cause", Str),
    opt("cause_confidence", Float64),
    opt("contributing_factors", Json),
    req("alert_triggered", Bool),
    req("alert_level", Str),
    opt("alert_message", Str),
    opt("created_at", Timestamp),
    opt("system_id", Str),
    opt("coverage", Float64),
    opt("missing_dates_7d", Int64),
    opt("cusum_stat", Float64),
    opt("cusum_threshold", Float64),
    opt("cusum_alarm", Bool),
];

const EXPERIMENTS: [Column; 16] = [
    req("experiment_id", Str),
    req("experiment_name", Str),
    opt("hypothesis", Str),
    req("experiment_type", Str),
    opt("tags", StringArray),
    req("config_json", Json),
    opt("train_period", Period),
    opt("eval_period", Period),
    opt("results_json", Json),
    opt("model_path", Str),
    opt("git_commit", Str),
    opt("parent_experiment_id", Str),
    req("status", Str),
    req("created_at", Timestamp),
    opt("completed_at", Timestamp),
    opt("created_by", Str),
];

const EXPERIMENT_EVENTS: [Column; 6] = [
    req("experiment_id", Str),
    req("at", Timestamp),
    opt("actor", Str),
    opt("from_status", Str),
    req("to_status", Str),
    opt("note", Str),
];

const BACKTEST_PREDICTIONS: [Column; 10] = [
    req("experiment_id", Str),
    req("player_lookup", Str),
    req("game_id", Str),
    req("game_date", Date),
    opt("predicted_points", Numeric),
    opt("line_value", Numeric),
    opt("line_source", Str),
    opt("actual_points", Int64),
    opt("recommendation", Str),
    opt("prediction_correct", Bool),
];

use super::pregame_tables::{
    LINE_SNAPSHOTS, MODEL_REGISTRY, PLAYER_PROP_PREDICTIONS, SCHEDULE, SLATE_CONTEXT,
};

impl TableKind {
    /// The pre-game and market tables (data-contract.md Rev. 3): optional,
    /// read for game day.
    pub const PREGAME: [TableKind; 4] = [
        TableKind::PlayerPropPredictions,
        TableKind::Schedule,
        TableKind::LineSnapshots,
        TableKind::SlateContext,
    ];

    pub const ALL: [TableKind; 12] = [
        TableKind::PredictionAccuracy,
        TableKind::PlayerGameSummary,
        TableKind::FeatureStore,
        TableKind::Diagnostics,
        TableKind::Experiments,
        TableKind::ExperimentEvents,
        TableKind::BacktestPredictions,
        TableKind::ModelRegistry,
        TableKind::PlayerPropPredictions,
        TableKind::Schedule,
        TableKind::LineSnapshots,
        TableKind::SlateContext,
    ];

    /// The contract's table name (`prediction_accuracy`, …), also with a
    /// dataset or project prefix (`nba_predictions.prediction_accuracy`).
    pub fn parse(name: &str) -> Option<TableKind> {
        let table = name.trim().rsplit('.').next()?;
        TableKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(table))
    }

    /// The contract's table name, which is also the embedded store's.
    pub fn name(&self) -> &'static str {
        match self {
            TableKind::PredictionAccuracy => "prediction_accuracy",
            TableKind::PlayerGameSummary => "player_game_summary",
            TableKind::FeatureStore => "ml_feature_store_v2",
            TableKind::Diagnostics => "performance_diagnostics_daily",
            TableKind::Experiments => "ml_experiments",
            TableKind::ExperimentEvents => "ml_experiment_events",
            TableKind::BacktestPredictions => "backtest_predictions",
            TableKind::ModelRegistry => "model_registry",
            TableKind::PlayerPropPredictions => "player_prop_predictions",
            TableKind::Schedule => "nbac_schedule",
            TableKind::LineSnapshots => "odds_api_player_points_props",
            TableKind::SlateContext => "upcoming_player_game_context",
        }
    }

    /// Exactly the columns of the contract and `schemas/`, in DDL order.
    pub fn columns(&self) -> &'static [Column] {
        match self {
            TableKind::PredictionAccuracy => &PREDICTION_ACCURACY,
            TableKind::PlayerGameSummary => &PLAYER_GAME_SUMMARY,
            TableKind::FeatureStore => &FEATURE_STORE,
            TableKind::Diagnostics => &DIAGNOSTICS,
            TableKind::Experiments => &EXPERIMENTS,
            TableKind::ExperimentEvents => &EXPERIMENT_EVENTS,
            TableKind::BacktestPredictions => &BACKTEST_PREDICTIONS,
            TableKind::ModelRegistry => &MODEL_REGISTRY,
            TableKind::PlayerPropPredictions => &PLAYER_PROP_PREDICTIONS,
            TableKind::Schedule => &SCHEDULE,
            TableKind::LineSnapshots => &LINE_SNAPSHOTS,
            TableKind::SlateContext => &SLATE_CONTEXT,
        }
    }

    /// The natural key: no two rows may share it (import refuses a duplicate
    /// within its files and against the store). In a key, NULL and the empty
    /// string are the same value, as in the store's unique index on
    /// `(game_date, COALESCE(system_id, ''))`.
    ///
    /// - `prediction_accuracy`: one graded row per player, game, system and
    ///   line value (the team's grader kept a row per line value a prediction
    ///   had; metrics count one of them, `source::one_bet`); rows with
    ///   `is_superseded_prediction = true` are exempt (a re-prediction keeps
    ///   the replaced row next to its replacement), see
    ///   [`TableKind::key_exempt_column`].
    /// - `player_game_summary`: one row per player and game.
    /// - `ml_feature_store_v2`: one row per player, game and feature version.
    /// - `performance_diagnostics_daily`: one row per date and system.
    /// - `ml_experiments`: the experiment id (the primary key).
    /// - `ml_experiment_events`: one status change per experiment, time and
    ///   new status (the trail is append-only, so a repeated event is a
    ///   re-imported file).
    /// - `backtest_predictions`: one sample per experiment, player and game.
    /// - `model_registry`: one row per model (and version).
    /// - `player_prop_predictions`: the prediction id.
    /// - `nbac_schedule`: one row per game.
    /// - `odds_api_player_points_props`: one snapshot per player, date,
    ///   book and time.
    /// - `upcoming_player_game_context`: one row per player and game.
    pub fn key(&self) -> &'static [&'static str] {
        match self {
            TableKind::PredictionAccuracy => {
                &["player_lookup", "game_id", "system_id", "line_value"]
            }
            TableKind::PlayerGameSummary => &["player_lookup", "game_id"],
            TableKind::FeatureStore => &["player_lookup", "game_id", "feature_version"],
            TableKind::Diagnostics => &["game_date", "system_id"],
            TableKind::Experiments => &["experiment_id"],
            TableKind::ExperimentEvents => &["experiment_id", "at", "to_status"],
            TableKind::BacktestPredictions => &["experiment_id", "player_lookup", "game_id"],
            TableKind::ModelRegistry => &["model_id", "model_version"],
            TableKind::PlayerPropPredictions => &["prediction_id"],
            TableKind::Schedule => &["game_id"],
            TableKind::LineSnapshots => &[
                "player_lookup",
                "game_date",
                "bookmaker",
                "snapshot_timestamp",
            ],
            TableKind::SlateContext => &["player_lookup", "game_id"],
        }
    }

    /// The order exports list rows in, the same from either source: the key,
    /// then every other column that both engines can sort (not JSON, ARRAY or
    /// STRUCT), so that rows sharing a key (superseded predictions) still
    /// come out in one order.
    pub fn export_order(&self) -> Vec<&'static str> {
        let key = self.key();
        let rest = self.columns().iter().filter(|column| {
            !key.contains(&column.name)
                && !matches!(
                    column.kind,
                    ColumnKind::Json | ColumnKind::StringArray | ColumnKind::Period
                )
        });
        key.iter()
            .copied()
            .chain(rest.map(|column| column.name))
            .collect()
    }

    /// A BOOL column whose `true` exempts a row from the key check.
    pub fn key_exempt_column(&self) -> Option<&'static str> {
        match self {
            TableKind::PredictionAccuracy => Some("is_superseded_prediction"),
            _ => None,
        }
    }

    /// The column names, comma-separated, for an explicit SELECT or INSERT list.
    pub fn column_list(&self) -> String {
        self.columns_except(&[]).join(", ")
    }

    /// The column names in order, without `skip` (e.g. a column the store
    /// fills itself).
    pub fn columns_except(&self, skip: &[&str]) -> Vec<&'static str> {
        self.columns()
            .iter()
            .map(|column| column.name)
            .filter(|name| !skip.contains(name))
            .collect()
    }

    /// The position of `column` in [`TableKind::columns`].
    pub fn column_index(&self, column: &str) -> Option<usize> {
        self.columns().iter().position(|c| c.name == column)
    }

    /// The configured name of this table (`[project.]dataset.table`).
    pub fn table_name<'a>(&self, names: &'a TableNames) -> &'a TableName {
        match self {
            TableKind::PredictionAccuracy => &names.prediction_accuracy,
            TableKind::PlayerGameSummary => &names.player_game_summary,
            TableKind::FeatureStore => &names.feature_store,
            TableKind::Diagnostics => &names.diagnostics,
            TableKind::Experiments => &names.experiments,
            TableKind::ExperimentEvents => &names.experiment_events,
            TableKind::BacktestPredictions => &names.backtest_predictions,
            TableKind::ModelRegistry => &names.model_registry,
            TableKind::PlayerPropPredictions => &names.player_prop_predictions,
            TableKind::Schedule => &names.schedule,
            TableKind::LineSnapshots => &names.line_snapshots,
            TableKind::SlateContext => &names.slate,
        }
    }

    /// The contract's name, else a configured name (qualified or its last part).
    pub fn resolve(name: &str, names: &TableNames) -> Option<TableKind> {
        TableKind::parse(name).or_else(|| {
            let name = name.trim();
            TableKind::ALL.into_iter().find(|kind| {
                let configured = kind.table_name(names);
                configured.qualified() == name || configured.table() == name
            })
        })
    }

    /// The contract's table names, comma-separated, for messages.
    pub fn all_names() -> String {
        TableKind::ALL
            .iter()
            .map(TableKind::name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for TableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::schema::{BIGQUERY, SQLITE};

    /// `(name, type text)` of every column of a `CREATE TABLE` statement.
    fn ddl_columns(sql: &str) -> Vec<(String, String)> {
        let body = sql
            .split_once("(\n")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        let mut columns = Vec::new();
        for line in body.lines() {
            let line = line.trim();
            if line.starts_with(')') {
                break;
            }
            if let Some((name, rest)) = line.split_once(' ') {
                columns.push((
                    name.trim_matches('`').to_string(),
                    rest.trim_end_matches(',').to_string(),
                ));
            }
        }
        columns
    }

    #[test]
    fn columns_match_both_ddl_dialects_in_order() {
        for table in TableKind::ALL.iter() {
            let file_of = |files: &[(&'static str, &'static str)]| {
                files
                    .iter()
                    .copied()
                    .find(|(file, _)| file.ends_with(&format!("_{}.sql", table.name())))
                    .unwrap_or_else(|| panic!("no DDL file for {table}"))
            };
            let (sqlite_file, sqlite) = file_of(SQLITE);
            let (bigquery_file, bigquery) = file_of(BIGQUERY);
            assert!(
                sqlite.contains(&format!("EXISTS {} (", table.name())),
                "{sqlite_file}"
            );
            assert!(
                bigquery.contains(&format!(".{} (", table.name())),
                "{bigquery_file}"
            );
            let sqlite = ddl_columns(sqlite);
            let bigquery = ddl_columns(bigquery);
            let names: Vec<&str> = table.columns().iter().map(|c| c.name).collect();
            assert_eq!(
                sqlite.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
                names,
                "{table} (sqlite)"
            );
            assert_eq!(
                bigquery.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
                names,
                "{table} (bigquery)"
            );
            for (column, (name, ty)) in table.columns().iter().zip(&bigquery) {
                assert!(
                    ty.starts_with(column.kind.sql_type()),
                    "{table}.{name}: {ty} vs {:?}",
                    column.kind
                );
                assert_eq!(
                    ty.contains("NOT NULL"),
                    column.required,
                    "{table}.{name}: NOT NULL"
                );
            }
        }
    }

    #[test]
    fn keys_and_exemptions_name_real_columns() {
        for table in TableKind::ALL {
            for column in table.key() {
                assert!(table.column_index(column).is_some(), "{table}.{column}");
            }
            if let Some(column) = table.key_exempt_column() {
                let index = table.column_index(column);
                assert!(index.is_some(), "{table}.{column}");
                assert_eq!(
                    index.map(|i| table.columns()[i].kind),
                    Some(ColumnKind::Bool)
                );
            }
        }
    }

    #[test]
    fn names_parse_with_and_without_dataset() {
        for table in TableKind::ALL {
            assert_eq!(TableKind::parse(table.name()), Some(table));
        }
        assert_eq!(
            TableKind::parse("nba_predictions.prediction_accuracy"),
            Some(TableKind::PredictionAccuracy)
        );
        assert_eq!(
            TableKind::parse("my-project.nba_orchestration.performance_diagnostics_daily"),
            Some(TableKind::Diagnostics)
        );
        assert_eq!(TableKind::parse("predictions"), None);
        assert_eq!(TableKind::parse(""), None);
        let names = TableNames::default();
        for table in TableKind::ALL {
            assert_eq!(
                TableKind::parse(table.table_name(&names).qualified()),
                Some(table)
            );
        }
    }

    #[test]
    fn configured_names_resolve() {
        let names = TableNames {
            prediction_accuracy: TableName::parse("team_ds.graded_picks").unwrap(),
            ..TableNames::default()
        };
        assert_eq!(
            TableKind::resolve("graded_picks", &names),
            Some(TableKind::PredictionAccuracy)
        );
        assert_eq!(
            TableKind::resolve("team_ds.graded_picks", &names),
            Some(TableKind::PredictionAccuracy)
        );
        assert_eq!(TableKind::resolve("nope", &names), None);
    }
}
