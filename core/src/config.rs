//! The YAML config: source, table names, every threshold of `metrics.md` with
//! its default, refresh, theme, keys and alerting. Unknown keys and bad values
//! are errors that name the key and the line; nothing here does I/O beyond
//! reading the one file it is given.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The whole config file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub source: SourceConfig,
    pub tables: TableNames,
    /// The production system whose numbers are the default view (and legacy rows' system).
    pub production_system: String,
    pub thresholds: Thresholds,
    /// Live refresh interval of the dashboard and of `watch`, in seconds.
    pub refresh_secs: Positive<u64>,
    pub theme: String,
    /// Mouse support in the dashboard.
    pub mouse: bool,
    /// Hides promotion and every other registry change in the dashboard.
    pub read_only: bool,
    /// Key overrides: action name -> key (e.g. `refresh: F5`).
    pub keys: BTreeMap<String, String>,
    pub slack: SlackConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: SourceConfig::default(),
            tables: TableNames::default(),
            production_system: "catboost_v8".to_string(),
            thresholds: Thresholds::default(),
            refresh_secs: Positive(60),
            theme: "dark".to_string(),
            mouse: true,
            read_only: false,
            keys: BTreeMap::new(),
            slack: SlackConfig::default(),
        }
    }
}

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
}

impl Default for BigQueryConfig {
    fn default() -> Self {
        BigQueryConfig {
            project: None,
            base_url: None,
            auth: BigQueryAuth::default(),
            key_file: None,
            timeout_secs: Positive(60),
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
}

impl TableNames {
    /// Every table with its config key.
    pub fn entries(&self) -> [(&'static str, &TableName); 7] {
        [
            ("prediction_accuracy", &self.prediction_accuracy),
            ("player_game_summary", &self.player_game_summary),
            ("feature_store", &self.feature_store),
            ("diagnostics", &self.diagnostics),
            ("experiments", &self.experiments),
            ("experiment_events", &self.experiment_events),
            ("backtest_predictions", &self.backtest_predictions),
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

/// Every threshold of `metrics.md`, with its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Minimum `abs(predicted - line)` for a pick to count as a bet.
    pub edge_threshold: NonNegative,
    /// Below this many bets (or rows) a rate is an insufficient sample.
    pub min_bets: Positive<u64>,
    pub odds: Odds,
    /// Length of the baseline window, ending the day before the 14-day window.
    pub baseline_days: Positive<u32>,
    pub mae_warning: NonNegative,
    /// `abs(model_mean_error)` above this is `over`/`under`.
    pub bias_direction_band: NonNegative,
    /// `abs(model_mean_error)` above this fires the drift bias signal.
    pub bias_signal: NonNegative,
    pub beats_vegas_critical: NonNegative,
    pub beats_vegas_warning: NonNegative,
    pub beats_vegas_info: NonNegative,
    /// Baseline beats-vegas minus current above this fires the sharpness-drop rule.
    pub beats_vegas_drop: NonNegative,
    pub hit_rate_critical: NonNegative,
    pub drift_warning: NonNegative,
    pub completeness_critical: NonNegative,
    pub completeness_warning: NonNegative,
    pub paint_rate_min: NonNegative,
    pub paint_rate_max: NonNegative,
    /// Fewest evaluation samples an experiment needs to be promoted without `--force`.
    pub promotion_min_samples: Positive<u64>,
    pub tiers: TierThresholds,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            edge_threshold: NonNegative(3.0),
            min_bets: Positive(50),
            odds: Odds::default(),
            baseline_days: Positive(60),
            mae_warning: NonNegative(5.5),
            bias_direction_band: NonNegative(0.5),
            bias_signal: NonNegative(1.0),
            beats_vegas_critical: NonNegative(42.0),
            beats_vegas_warning: NonNegative(45.0),
            beats_vegas_info: NonNegative(50.0),
            beats_vegas_drop: NonNegative(5.0),
            hit_rate_critical: NonNegative(50.0),
            drift_warning: NonNegative(40.0),
            completeness_critical: NonNegative(50.0),
            completeness_warning: NonNegative(70.0),
            paint_rate_min: NonNegative(20.0),
            paint_rate_max: NonNegative(60.0),
            promotion_min_samples: Positive(500),
            tiers: TierThresholds::default(),
        }
    }
}

impl Thresholds {
    /// Break-even hit rate as a fraction: `risk / (risk + win)`.
    pub fn break_even(&self) -> f64 {
        self.odds.break_even()
    }

    /// Break-even hit rate in percent.
    pub fn break_even_pct(&self) -> f64 {
        100.0 * self.break_even()
    }

    pub fn min_bets(&self) -> u64 {
        self.min_bets.0
    }
}

/// American-style odds as risk and win amounts (default -110: risk 110 to win 100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Odds {
    pub risk: PositiveF64,
    pub win: PositiveF64,
}

impl Default for Odds {
    fn default() -> Self {
        Odds {
            risk: PositiveF64(110.0),
            win: PositiveF64(100.0),
        }
    }
}

impl Odds {
    pub fn break_even(&self) -> f64 {
        self.risk.0 / (self.risk.0 + self.win.0)
    }
}

/// Player-tier cut-offs on the prior-90-day scoring average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TierThresholds {
    pub star: NonNegative,
    pub starter: NonNegative,
    pub rotation: NonNegative,
    pub lookback_days: Positive<u32>,
    /// Only games with more minutes than this count towards the average.
    pub min_minutes: NonNegative,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            star: NonNegative(22.0),
            starter: NonNegative(14.0),
            rotation: NonNegative(6.0),
            lookback_days: Positive(90),
            min_minutes: NonNegative(10.0),
        }
    }
}

/// Slack incoming-webhook alerting for `watch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlackConfig {
    pub webhook_url: Option<String>,
    /// Minimum time between two posts for one system, in seconds.
    pub cooldown_secs: u64,
    pub timeout_secs: Positive<u64>,
    pub max_retries: u32,
}

impl Default for SlackConfig {
    fn default() -> Self {
        SlackConfig {
            webhook_url: None,
            cooldown_secs: 300,
            timeout_secs: Positive(10),
            max_retries: 4,
        }
    }
}

/// A number that must be greater than zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Positive<T>(pub T);

impl<'de, T> Deserialize<'de> for Positive<T>
where
    T: Deserialize<'de> + PartialOrd + Default + std::fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = T::deserialize(deserializer)?;
        if value <= T::default() {
            return Err(serde::de::Error::custom(format!(
                "must be greater than 0, got {value}"
            )));
        }
        Ok(Positive(value))
    }
}

/// A finite float greater than zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct PositiveF64(pub f64);

impl<'de> Deserialize<'de> for PositiveF64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !value.is_finite() || value <= 0.0 {
            return Err(serde::de::Error::custom(format!(
                "must be a number greater than 0, got {value}"
            )));
        }
        Ok(PositiveF64(value))
    }
}

/// A finite float of at least zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct NonNegative(pub f64);

impl NonNegative {
    pub fn get(self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !value.is_finite() || value < 0.0 {
            return Err(serde::de::Error::custom(format!(
                "must be a number of at least 0, got {value}"
            )));
        }
        Ok(NonNegative(value))
    }
}

/// Where a config came from (for messages).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigOrigin {
    File(PathBuf),
    Defaults,
}

impl Config {
    /// Parses config text; errors name the file, the key and the line.
    pub fn parse(text: &str, file: &Path) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let deserializer = serde_norway::Deserializer::from_str(text);
        let config: Config = serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let key = error.path().to_string();
            let inner = error.into_inner();
            let place = inner
                .location()
                .map(|at| format!(" line {} column {}", at.line(), at.column()))
                .unwrap_or_default();
            // serde_norway's message ends with its own location and may start
            // with a partial path; keep only the reason.
            let message = inner.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            let reason = message
                .split_once(": ")
                .filter(|(prefix, _)| !prefix.contains(' ') && !key.is_empty())
                .map_or(message, |(_, rest)| rest);
            if key.is_empty() || key == "." {
                anyhow::anyhow!("{}:{place}: {reason}", file.display())
            } else {
                anyhow::anyhow!("{}:{place}: {key}: {reason}", file.display())
            }
        })?;
        config.validate(file)?;
        Ok(config)
    }

    /// Rules that involve more than one key.
    fn validate(&self, file: &Path) -> Result<()> {
        let tiers = &self.thresholds.tiers;
        if !(tiers.star.0 > tiers.starter.0 && tiers.starter.0 > tiers.rotation.0) {
            bail!(
                "{}: thresholds.tiers: star ({}) > starter ({}) > rotation ({}) must hold",
                file.display(),
                tiers.star.0,
                tiers.starter.0,
                tiers.rotation.0
            );
        }
        if self.thresholds.paint_rate_min.0 > self.thresholds.paint_rate_max.0 {
            bail!(
                "{}: thresholds.paint_rate_min must not exceed thresholds.paint_rate_max",
                file.display()
            );
        }
        if self.production_system.trim().is_empty() {
            bail!("{}: production_system must not be empty", file.display());
        }
        Ok(())
    }

    /// Loads `path`, or the platform config file when `path` is `None`; a missing
    /// platform file means defaults, a missing explicit file is an error.
    pub fn load(path: Option<&Path>) -> Result<(Config, ConfigOrigin)> {
        let (path, explicit) = match path {
            Some(path) => (path.to_path_buf(), true),
            None => match default_config_path() {
                Some(path) => (path, false),
                None => return Ok((Config::default(), ConfigOrigin::Defaults)),
            },
        };
        if !explicit && !path.exists() {
            return Ok((Config::default(), ConfigOrigin::Defaults));
        }
        let bytes = std::fs::read(&path)
            .with_context(|| format!("{}: cannot read the config file", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{}: the config file is not UTF-8", path.display()))?;
        let config = Config::parse(&text, &path)?;
        Ok((config, ConfigOrigin::File(path)))
    }

    /// The embedded store file: configured, or `courtside.sqlite` in the data directory.
    pub fn embedded_path(&self) -> Result<PathBuf> {
        if let Some(path) = &self.source.embedded_path {
            return Ok(path.clone());
        }
        Ok(data_dir()?.join("courtside.sqlite"))
    }
}

/// The platform config file (`COURTSIDE_CONFIG_DIR` overrides the directory).
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("COURTSIDE_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("config.yaml"));
    }
    directories::ProjectDirs::from("", "", "courtside")
        .map(|dirs| dirs.config_dir().join("config.yaml"))
}

/// The platform data directory (`COURTSIDE_DATA_DIR` overrides it).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("COURTSIDE_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "courtside")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .context("no home directory: set COURTSIDE_DATA_DIR or source.embedded_path")
}

/// The user's theme directory (`themes/` under the config directory).
pub fn user_theme_dir() -> Option<PathBuf> {
    default_config_path().and_then(|path| path.parent().map(|dir| dir.join("themes")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("config.yaml"))
    }

    #[test]
    fn empty_file_gives_every_default() {
        let config = parse("").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.thresholds.edge_threshold.0, 3.0);
        assert_eq!(config.thresholds.min_bets(), 50);
        assert!((config.thresholds.break_even_pct() - 52.380952).abs() < 1e-5);
        assert_eq!(config.thresholds.baseline_days.0, 60);
        assert_eq!(config.refresh_secs.0, 60);
    }

    #[test]
    fn values_override_defaults() {
        let config = parse(
            "production_system: xgb_v2\nthresholds:\n  edge_threshold: 5\n  odds: {risk: 100, win: 100}\n",
        )
        .unwrap();
        assert_eq!(config.production_system, "xgb_v2");
        assert_eq!(config.thresholds.edge_threshold.0, 5.0);
        assert_eq!(config.thresholds.break_even(), 0.5);
        assert_eq!(config.thresholds.min_bets(), 50);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let error = parse("theme: dark\nthresholds:\n  edj_threshold: 4\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("edj_threshold"), "{error}");
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("config.yaml"), "{error}");
    }

    #[test]
    fn bad_value_names_key_and_line() {
        let error = parse("refresh_secs: 60\nthresholds:\n  min_bets: 0\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("min_bets"), "{error}");
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("greater than 0"), "{error}");

        let error = parse("refresh_secs: soon\n").unwrap_err().to_string();
        assert!(
            error.contains("refresh_secs") && error.contains("line 1"),
            "{error}"
        );
    }

    #[test]
    fn malformed_yaml_is_an_error_with_a_line() {
        let error = parse("thresholds:\n  edge_threshold: [3\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line"), "{error}");
    }

    #[test]
    fn table_names_are_validated_identifiers() {
        assert!(TableName::parse("nba_predictions.prediction_accuracy").is_some());
        assert!(TableName::parse("my-project.ds.t").is_some());
        assert!(TableName::parse("x; DROP TABLE y").is_none());
        assert!(TableName::parse("a.b.c.d").is_none());
        assert!(TableName::parse("ds.bad-name").is_none());
        let error = parse("tables:\n  diagnostics: \"x`; --\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("tables.diagnostics") && error.contains("line 2"),
            "{error}"
        );
    }

    #[test]
    fn tier_order_is_checked() {
        let error = parse("thresholds:\n  tiers: {star: 10, starter: 14}\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("thresholds.tiers"), "{error}");
    }
}
