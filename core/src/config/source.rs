//! Where the data is: the source kind, the embedded store file, BigQuery's
//! connection settings, and the validated table names.

use super::values::Positive;
use serde::{Deserialize, Deserializer, Serialize};
use std::path::PathBuf;

/// Which source to read and where it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// The embedded store file; default: `courtside.sqlite` in the platform data directory.
    pub embedded_path: Option<PathBuf>,
    pub bigquery: BigQueryConfig,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    #[default]
    Embedded,
    Bigquery,
}

/// BigQuery connection settings (used by the BigQuery source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BigQueryConfig {
    pub project: Option<String>,
    /// Override of the API base URL (a local emulator); loopback only for static tokens.
    pub base_url: Option<String>,
    pub auth: BigQueryAuth,
    pub key_file: Option<PathBuf>,
    pub timeout_secs: Positive<u64>,
    /// The most bytes one query may bill (`maximumBytesBilled` on every job):
    /// a query that would process more is refused by BigQuery, not run.
    pub max_bytes_billed: Positive<u64>,
    /// Days of recent partitions the latest date and the system list are
    /// looked for in (widened only when they hold nothing).
    pub recent_days: Positive<u64>,
}

impl Default for BigQueryConfig {
    fn default() -> Self {
        BigQueryConfig {
            project: None,
            base_url: None,
            auth: BigQueryAuth::default(),
            key_file: None,
            timeout_secs: Positive(60),
            max_bytes_billed: Positive(10_000_000_000),
            recent_days: Positive(120),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BigQueryAuth {
    #[default]
    ApplicationDefault,
    KeyFile,
    MetadataServer,
    /// A fixed token, for a local emulator only: refused unless `base_url` is loopback.
    StaticToken,
}

/// Table names: `dataset.table` for BigQuery; the part after the last dot is the
/// table's name in the embedded store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TableNames {
    pub prediction_accuracy: TableName,
    pub player_game_summary: TableName,
    pub feature_store: TableName,
    pub diagnostics: TableName,
    pub experiments: TableName,
    pub experiment_events: TableName,
    pub backtest_predictions: TableName,
    /// The team's model registry (optional; data-contract.md Rev. 3): the
    /// production system and its shadows when `production_system` is not set.
    pub model_registry: TableName,
    /// The team's predictions as made, before grading (optional; game day).
    pub player_prop_predictions: TableName,
    /// The schedule with tip-off times and statuses (optional; game day).
    pub schedule: TableName,
    /// The books' line snapshots (optional; game day and the close).
    pub line_snapshots: TableName,
    /// The slate: the players expected on each game date (optional).
    pub slate: TableName,
    /// courtside's silences on BigQuery (`courtside silence`; `setup`
    /// creates it), shared by everyone who watches the warehouse. Not one
    /// of the contract's tables: the embedded store keeps its own.
    pub silences: TableName,
}

impl TableNames {
    /// Every table with its config key.
    pub fn entries(&self) -> [(&'static str, &TableName); 12] {
        [
            ("prediction_accuracy", &self.prediction_accuracy),
            ("player_game_summary", &self.player_game_summary),
            ("feature_store", &self.feature_store),
            ("diagnostics", &self.diagnostics),
            ("experiments", &self.experiments),
            ("experiment_events", &self.experiment_events),
            ("backtest_predictions", &self.backtest_predictions),
            ("model_registry", &self.model_registry),
            ("player_prop_predictions", &self.player_prop_predictions),
            ("schedule", &self.schedule),
            ("line_snapshots", &self.line_snapshots),
            ("slate", &self.slate),
        ]
    }
}

impl Default for TableNames {
    fn default() -> Self {
        let name = |text: &str| TableName(text.to_string());
        TableNames {
            prediction_accuracy: name("nba_predictions.prediction_accuracy"),
            player_game_summary: name("nba_analytics.player_game_summary"),
            feature_store: name("nba_predictions.ml_feature_store_v2"),
            diagnostics: name("nba_orchestration.performance_diagnostics_daily"),
            experiments: name("nba_predictions.ml_experiments"),
            experiment_events: name("nba_predictions.ml_experiment_events"),
            backtest_predictions: name("nba_predictions.backtest_predictions"),
            model_registry: name("nba_predictions.model_registry"),
            player_prop_predictions: name("nba_predictions.player_prop_predictions"),
            schedule: name("nba_raw.nbac_schedule"),
            line_snapshots: name("nba_raw.odds_api_player_points_props"),
            slate: name("nba_analytics.upcoming_player_game_context"),
            silences: name("nba_orchestration.courtside_silences"),
        }
    }
}

/// A validated table reference: one to three dot-separated identifiers
/// (`[project.]dataset.table`), each `[A-Za-z_][A-Za-z0-9_-]*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableName(String);

impl TableName {
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split('.').collect();
        let valid_part = |part: &&str| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        // The embedded store uses the last part as an SQLite identifier: no dashes there.
        let last_is_plain = parts.last().is_some_and(|last| !last.contains('-'));
        let valid = (1..=3).contains(&parts.len()) && parts.iter().all(valid_part) && last_is_plain;
        valid.then(|| TableName(text.to_string()))
    }

    /// The full reference as configured.
    pub fn qualified(&self) -> &str {
        &self.0
    }

    /// The table's own name (the last part), used by the embedded store.
    pub fn table(&self) -> &str {
        self.0.rsplit('.').next().unwrap_or(&self.0)
    }
}

impl<'de> Deserialize<'de> for TableName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TableName::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a table name ([project.]dataset.table, letters, digits and _)"
            ))
        })
    }
}
