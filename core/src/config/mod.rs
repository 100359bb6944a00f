//! The YAML config: source, table names, every threshold of `metrics.md` with
//! its default, refresh, theme, keys and alerting. Unknown keys and bad values
//! are errors that name the key and the line; nothing here does I/O beyond
//! reading the one file it is given.

mod alerting;
pub mod game_day;
pub mod routes;
mod source;
mod thresholds;
mod type_words;
mod validate;
mod values;
pub mod yaml_keys;

pub use alerting::{AlertingConfig, SlackConfig};
pub use game_day::{DateLimit, GameDay};
pub use source::{BigQueryAuth, BigQueryConfig, SourceConfig, SourceKind, TableName, TableNames};
pub use thresholds::{DriftDetector, Odds, Thresholds, TierThresholds};
pub use values::{EdgeBuckets, NonNegative, Positive, PositiveF64, Whole};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use thresholds::DEFAULT_PRODUCTION_SYSTEM;

/// The whole config file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub source: SourceConfig,
    pub tables: TableNames,
    /// The production system whose numbers are the default view (and legacy
    /// rows' system). Unset (the default), the model registry's champion
    /// takes its place when `tables.model_registry` exists (see
    /// [`Config::production_system_set`]); [`DEFAULT_PRODUCTION_SYSTEM`] otherwise.
    pub production_system: String,
    /// The config file gave `production_system`: it overrides the model
    /// registry. False for the default.
    #[serde(skip)]
    pub production_system_set: bool,
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
    /// The sequential drift detector (metrics.md section 11).
    pub drift_detector: DriftDetector,
    /// Hysteresis of `watch`'s posts (metrics.md section 15).
    pub alerting: AlertingConfig,
    /// Which `line_source` values are real sportsbook lines, estimates or
    /// no line (metrics.md section 1, Rev. 3).
    pub line_sources: crate::model::LineSources,
    /// The rules of a promotion beyond the thresholds.
    pub promotion: PromotionConfig,
    /// The time zone game dates are read in (IANA name, default
    /// `America/New_York`): "today" of `slate` and the Tonight tab.
    pub timezone: String,
    /// Rows dated more than this many days after today (in `timezone`) are
    /// skipped and named, never taken as the latest date (default 1).
    pub future_days: u32,
    /// The game-day rules' limits (metrics.md sections 5b and 17, Rev. 3).
    pub game_day: GameDay,
    /// The file this was read from (for messages that name a line).
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

/// `promotion:` in the config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PromotionConfig {
    /// δ of metrics.md section 14: how many hit-rate points worse a
    /// challenger may be and still be "not worse".
    pub non_inferiority_pp: NonNegative,
    /// `exp promote`, `exp rollback` and `exp archive` of a promoted
    /// experiment record a request that a different actor must approve
    /// (`exp approve`) before it takes effect.
    pub require_approval: bool,
    /// Promotions, archives, rollbacks and approvals are announced on the
    /// Slack webhook (`--no-notify` turns it off for one command).
    pub notify: bool,
}

impl Default for PromotionConfig {
    fn default() -> Self {
        PromotionConfig {
            non_inferiority_pp: NonNegative(1.0),
            require_approval: false,
            notify: true,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: SourceConfig::default(),
            tables: TableNames::default(),
            production_system: DEFAULT_PRODUCTION_SYSTEM.to_string(),
            production_system_set: false,
            thresholds: Thresholds::default(),
            refresh_secs: Positive(60),
            theme: "dark".to_string(),
            mouse: true,
            read_only: false,
            keys: BTreeMap::new(),
            slack: SlackConfig::default(),
            drift_detector: DriftDetector::default(),
            alerting: AlertingConfig::default(),
            line_sources: crate::model::LineSources::default(),
            promotion: PromotionConfig::default(),
            timezone: game_day::DEFAULT_TIMEZONE.to_string(),
            future_days: game_day::DEFAULT_FUTURE_DAYS,
            game_day: GameDay::default(),
            file: None,
        }
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
        // A byte-order mark (some Windows editors write one) is not content.
        let text = without_bom(text);
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        // A key given twice, at its second line (the parser names the first).
        if let (_, Some(twice)) = yaml_keys::scan(text) {
            bail!(
                "{}: line {}: {}: given twice (each key once)",
                file.display(),
                twice.line,
                twice.path
            );
        }
        // Syntax first, so that an unclosed bracket is not reported as a type error.
        if let Err(error) = serde_norway::from_str::<serde_norway::Value>(text) {
            let place = error
                .location()
                .map(|at| format!(" line {} column {}", at.line(), at.column()))
                .unwrap_or_default();
            let message = error.to_string();
            let reason = message.split(" at line ").next().unwrap_or(&message);
            bail!("{}:{place}: not valid YAML: {reason}", file.display());
        }
        let deserializer = serde_norway::Deserializer::from_str(text);
        let config: Config = serde_path_to_error::deserialize(deserializer)
            .map_err(|error| type_words::located(error, file))?;
        let mut config = config;
        config.production_system_set = serde_norway::from_str::<serde_norway::Value>(text)
            .ok()
            .is_some_and(|value| value.get("production_system").is_some());
        config.thresholds.drift_detector = config.drift_detector.clone();
        config.thresholds.line_sources = config.line_sources.clone();
        config.game_day.timezone = config.timezone.clone();
        config.game_day.future_days = config.future_days;
        config.thresholds.game_day = config.game_day.clone();
        config.thresholds.production_system = config.production_system.clone();
        config.validate(file, text)?;
        Ok(config)
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
        let mut config = Config::parse(&text, &path)?;
        config.file = Some(path.clone());
        Ok((config, ConfigOrigin::File(path)))
    }

    /// `message` about the config key at `path` (`keys.refresh`), prefixed
    /// with the file and the key's line when the config came from a file.
    pub fn located(&self, path: &str, message: &str) -> String {
        let Some(file) = &self.file else {
            return message.to_string();
        };
        let line = std::fs::read_to_string(file)
            .ok()
            .and_then(|text| yaml_keys::line_of(without_bom(&text), path))
            .map_or_else(String::new, |line| format!(" line {line}:"));
        format!("{}:{line} {message}", file.display())
    }

    /// The embedded store file: configured, or `courtside.sqlite` in the data directory.
    pub fn embedded_path(&self) -> Result<PathBuf> {
        if let Some(path) = &self.source.embedded_path {
            return Ok(path.clone());
        }
        Ok(data_dir()?.join("courtside.sqlite"))
    }
}

/// `text` without a leading UTF-8 byte-order mark.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
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

/// The platform state directory, where the dashboard remembers its view
/// (`COURTSIDE_STATE_DIR` overrides it; `None` without a home directory).
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("COURTSIDE_STATE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "courtside")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// The themes that ship with courtside.
pub const BUNDLED_THEMES: [&str; 3] = ["dark", "light", "high-contrast"];

/// The bundled themes and the `name:` of each `*.yaml` in the user's theme directory.
pub fn known_themes() -> Vec<String> {
    let mut names: Vec<String> = BUNDLED_THEMES.iter().map(|n| n.to_string()).collect();
    let Some(dir) = user_theme_dir() else {
        return names;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return names;
    };
    for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
        if path.extension().is_some_and(|ext| ext == "yaml")
            && let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(value) = serde_norway::from_str::<serde_norway::Value>(&text)
            && let Some(name) = value.get("name").and_then(|name| name.as_str())
        {
            names.push(name.to_string());
        }
    }
    names
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
        // Set by the file: it overrides the model registry; the default does not.
        assert!(config.production_system_set);
        assert!(!Config::default().production_system_set);
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
    fn nonsense_values_are_refused_with_key_and_line() {
        for (text, key, line) in [
            (
                "thresholds:\n  beats_vegas_critical: 50\n  beats_vegas_warning: 45\n",
                "thresholds.beats_vegas_critical",
                "line 2",
            ),
            (
                "theme: dark\nthresholds:\n  completeness_warning: 150\n",
                "thresholds.completeness_warning",
                "line 3",
            ),
            ("mouse: true\ntheme: neon\n", "theme", "line 2"),
            (
                "drift_detector:\n  healthy_hit_rate: 0.5\n",
                "drift_detector.healthy_hit_rate",
                "line 2",
            ),
            (
                "slack:\n  max_retries: 4000000000\n",
                "slack.max_retries",
                "line 2",
            ),
            (
                "slack:\n  webhook_url: http://example.com/hook/SECRET\n",
                "slack.webhook_url",
                "line 2",
            ),
            (
                "slack:\n  cooldown_secs: https://hooks.example.com/SECRET\n",
                "slack.cooldown_secs",
                "line 2",
            ),
            ("timezone: Mars/Olympus\n", "timezone", "line 1"),
            ("future_days: 4000\n", "future_days", "line 1"),
            ("future_days: -1\n", "future_days", "line 1"),
            ("theme: dark\nrefresh_secs: -5\n", "refresh_secs", "line 2"),
            (
                "slack:\n  cooldown_secs: abc\n",
                "slack.cooldown_secs",
                "line 2",
            ),
            (
                "game_day:\n  pregame_min_coverage: 1.5\n",
                "game_day.pregame_min_coverage",
                "line 2",
            ),
        ] {
            let error = parse(text).unwrap_err().to_string();
            assert!(!error.contains("SECRET"), "a URL is never echoed: {error}");
            assert!(
                error.contains(key) && error.contains(line) && error.contains("config.yaml"),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn a_key_given_twice_is_named_at_its_second_line() {
        let error = parse(
            "theme: dark\nthresholds:\n  min_bets: 40\n  edge_threshold: 3\n  min_bets: 60\n",
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("line 5"), "{error}");
        assert!(error.contains("thresholds.min_bets"), "{error}");
        assert!(error.contains("twice"), "{error}");
    }

    #[test]
    fn an_unclosed_bracket_is_a_syntax_error() {
        let error = parse("theme: [dark\n").unwrap_err().to_string();
        assert!(error.contains("not valid YAML"), "{error}");
        assert!(error.contains("line"), "{error}");
    }

    #[test]
    fn a_byte_order_mark_is_not_content() {
        let config = parse("\u{feff}theme: light\nrefresh_secs: 30\n").unwrap();
        assert_eq!(config.theme, "light");
        assert_eq!(config.refresh_secs.0, 30);
        assert_eq!(parse("\u{feff}").unwrap(), Config::default());
        // Lines are still counted from the first.
        let error = parse("\u{feff}theme: dark\nrefresh_secs: 0\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
    }

    #[test]
    fn tier_order_is_checked() {
        let error = parse("thresholds:\n  tiers: {star: 10, starter: 14}\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("thresholds.tiers"), "{error}");
    }
}
