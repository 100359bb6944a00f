//! The DDL of both dialects, embedded from `schemas/` so that the store, the
//! `schema` command and the tests all apply the same text.

/// SQL dialects courtside ships DDL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Bigquery,
    Sqlite,
}

impl Dialect {
    pub const ALL: [Dialect; 2] = [Dialect::Bigquery, Dialect::Sqlite];

    /// The name the command line takes.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Bigquery => "bigquery",
            Dialect::Sqlite => "sqlite",
        }
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Dialect::ALL
            .into_iter()
            .find(|dialect| dialect.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| format!("`{text}` is not a dialect (bigquery or sqlite)"))
    }
}

/// `(file name, DDL)` of the SQLite schema, in the order they must be applied.
pub const SQLITE: &[(&str, &str)] = &[
    (
        "01_prediction_accuracy.sql",
        include_str!("../../../schemas/sqlite/01_prediction_accuracy.sql"),
    ),
    (
        "02_player_game_summary.sql",
        include_str!("../../../schemas/sqlite/02_player_game_summary.sql"),
    ),
    (
        "03_ml_feature_store_v2.sql",
        include_str!("../../../schemas/sqlite/03_ml_feature_store_v2.sql"),
    ),
    (
        "04_performance_diagnostics_daily.sql",
        include_str!("../../../schemas/sqlite/04_performance_diagnostics_daily.sql"),
    ),
    (
        "05_ml_experiments.sql",
        include_str!("../../../schemas/sqlite/05_ml_experiments.sql"),
    ),
    (
        "06_ml_experiment_events.sql",
        include_str!("../../../schemas/sqlite/06_ml_experiment_events.sql"),
    ),
    (
        "07_backtest_predictions.sql",
        include_str!("../../../schemas/sqlite/07_backtest_predictions.sql"),
    ),
    (
        "08_courtside_meta.sql",
        include_str!("../../../schemas/sqlite/08_courtside_meta.sql"),
    ),
    (
        "09_courtside_alert_posts.sql",
        include_str!("../../../schemas/sqlite/09_courtside_alert_posts.sql"),
    ),
    (
        "10_courtside_alert_outbox.sql",
        include_str!("../../../schemas/sqlite/10_courtside_alert_outbox.sql"),
    ),
    (
        "11_courtside_day_stats.sql",
        include_str!("../../../schemas/sqlite/11_courtside_day_stats.sql"),
    ),
    (
        "12_model_registry.sql",
        include_str!("../../../schemas/sqlite/12_model_registry.sql"),
    ),
    (
        "13_player_prop_predictions.sql",
        include_str!("../../../schemas/sqlite/13_player_prop_predictions.sql"),
    ),
    (
        "14_nbac_schedule.sql",
        include_str!("../../../schemas/sqlite/14_nbac_schedule.sql"),
    ),
    (
        "15_odds_api_player_points_props.sql",
        include_str!("../../../schemas/sqlite/15_odds_api_player_points_props.sql"),
    ),
    (
        "16_upcoming_player_game_context.sql",
        include_str!("../../../schemas/sqlite/16_upcoming_player_game_context.sql"),
    ),
    (
        "17_courtside_silences.sql",
        include_str!("../../../schemas/sqlite/17_courtside_silences.sql"),
    ),
    (
        "18_courtside_alert_events.sql",
        include_str!("../../../schemas/sqlite/18_courtside_alert_events.sql"),
    ),
];

/// `(file name, DDL)` of the BigQuery schema, with the default dataset names.
pub const BIGQUERY: &[(&str, &str)] = &[
    (
        "01_prediction_accuracy.sql",
        include_str!("../../../schemas/bigquery/01_prediction_accuracy.sql"),
    ),
    (
        "02_player_game_summary.sql",
        include_str!("../../../schemas/bigquery/02_player_game_summary.sql"),
    ),
    (
        "03_ml_feature_store_v2.sql",
        include_str!("../../../schemas/bigquery/03_ml_feature_store_v2.sql"),
    ),
    (
        "04_performance_diagnostics_daily.sql",
        include_str!("../../../schemas/bigquery/04_performance_diagnostics_daily.sql"),
    ),
    (
        "05_ml_experiments.sql",
        include_str!("../../../schemas/bigquery/05_ml_experiments.sql"),
    ),
    (
        "06_ml_experiment_events.sql",
        include_str!("../../../schemas/bigquery/06_ml_experiment_events.sql"),
    ),
    (
        "07_backtest_predictions.sql",
        include_str!("../../../schemas/bigquery/07_backtest_predictions.sql"),
    ),
    (
        "08_model_registry.sql",
        include_str!("../../../schemas/bigquery/08_model_registry.sql"),
    ),
    (
        "09_player_prop_predictions.sql",
        include_str!("../../../schemas/bigquery/09_player_prop_predictions.sql"),
    ),
    (
        "10_nbac_schedule.sql",
        include_str!("../../../schemas/bigquery/10_nbac_schedule.sql"),
    ),
    (
        "11_odds_api_player_points_props.sql",
        include_str!("../../../schemas/bigquery/11_odds_api_player_points_props.sql"),
    ),
    (
        "12_upcoming_player_game_context.sql",
        include_str!("../../../schemas/bigquery/12_upcoming_player_game_context.sql"),
    ),
    (
        "13_courtside_silences.sql",
        include_str!("../../../schemas/bigquery/13_courtside_silences.sql"),
    ),
];

/// The DDL of `dialect`; BigQuery table references are replaced by the configured names.
pub fn ddl(dialect: Dialect, tables: &crate::config::TableNames) -> String {
    match dialect {
        Dialect::Sqlite => SQLITE
            .iter()
            .map(|(_, sql)| *sql)
            .collect::<Vec<_>>()
            .join("\n"),
        Dialect::Bigquery => {
            let defaults = crate::config::TableNames::default();
            let renames = [
                (&defaults.prediction_accuracy, &tables.prediction_accuracy),
                (&defaults.player_game_summary, &tables.player_game_summary),
                (&defaults.feature_store, &tables.feature_store),
                (&defaults.diagnostics, &tables.diagnostics),
                (&defaults.experiments, &tables.experiments),
                (&defaults.experiment_events, &tables.experiment_events),
                (&defaults.backtest_predictions, &tables.backtest_predictions),
                (&defaults.model_registry, &tables.model_registry),
                (
                    &defaults.player_prop_predictions,
                    &tables.player_prop_predictions,
                ),
                (&defaults.schedule, &tables.schedule),
                (&defaults.line_snapshots, &tables.line_snapshots),
                (&defaults.slate, &tables.slate),
                (&defaults.silences, &tables.silences),
            ];
            BIGQUERY
                .iter()
                .map(|(_, sql)| {
                    renames.iter().fold(sql.to_string(), |text, (from, to)| {
                        text.replace(
                            &format!("EXISTS {} (", from.qualified()),
                            &format!("EXISTS `{}` (", to.qualified()),
                        )
                    })
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}
