//! The team's warehouse as it really is (data-contract.md Rev. 3): their
//! tables with their columns and types (`tests/fixtures/team_warehouse/`,
//! one column list per table, turned here into BigQuery and SQLite DDL), a
//! `model_registry` with the champion `catboost_v12` and two enabled shadows
//! named their way, and none of courtside's tables (no
//! `ml_experiment_events`, no `backtest_predictions`, no added diagnostics
//! columns). Rows in their shapes from a small deterministic generator:
//! their line-source mix, a few duplicate line rows, team-style experiments
//! (flat configs, flat results in percent, free-form types) and diagnostics
//! rows as their own class writes them. Built (a) in a fresh project on the
//! BigQuery emulator, (b) as an embedded SQLite file.
#![allow(dead_code)]

use chrono::{Days, NaiveDate};
use serde_json::{Map, Value, json};
use std::path::Path;

/// The champion of the registry (`is_production = TRUE`).
pub const CHAMPION: &str = "catboost_v12";
/// The registry's enabled shadows.
pub const SHADOWS: [&str; 2] = [
    "catboost_v9_q43_train1102_0131",
    "catboost_v9_q45_train1102_0131",
];
/// The first and last game dates of the rows.
pub const FIRST_DATE: &str = "2026-01-05";
pub const DAYS: u64 = 35;

/// Experiment ids, one per lifecycle state a command needs.
pub const PENDING: &str = "5f0c1a2e-0000-4000-8000-000000000001";
pub const RUNNING: &str = "5f0c1a2e-0000-4000-8000-000000000002";
pub const RUNNING_TO_FAIL: &str = "5f0c1a2e-0000-4000-8000-000000000003";
pub const COMPLETED: &str = "5f0c1a2e-0000-4000-8000-000000000004";
pub const COMPLETED_TO_ARCHIVE: &str = "5f0c1a2e-0000-4000-8000-000000000005";

const FILES: [(&str, &str); 6] = [
    (
        "prediction_accuracy",
        include_str!("../fixtures/team_warehouse/prediction_accuracy.columns"),
    ),
    (
        "player_game_summary",
        include_str!("../fixtures/team_warehouse/player_game_summary.columns"),
    ),
    (
        "ml_feature_store_v2",
        include_str!("../fixtures/team_warehouse/ml_feature_store_v2.columns"),
    ),
    (
        "performance_diagnostics_daily",
        include_str!("../fixtures/team_warehouse/performance_diagnostics_daily.columns"),
    ),
    (
        "ml_experiments",
        include_str!("../fixtures/team_warehouse/ml_experiments.columns"),
    ),
    (
        "model_registry",
        include_str!("../fixtures/team_warehouse/model_registry.columns"),
    ),
];

/// One table of the team's warehouse, from its column list.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// `dataset.table`.
    pub name: String,
    pub partition: Option<String>,
    pub cluster: Option<String>,
    pub require_partition_filter: bool,
    /// `(name, BigQuery type, NOT NULL)`.
    pub columns: Vec<(String, String, bool)>,
}

impl TableSpec {
    pub fn table(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    pub fn dataset(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }

    /// The BigQuery DDL in `project`.
    pub fn bigquery_ddl(&self, project: &str) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(name, kind, required)| {
                format!(
                    "  {name} {kind}{}",
                    if *required { " NOT NULL" } else { "" }
                )
            })
            .collect();
        let mut ddl = format!(
            "CREATE TABLE `{project}.{}` (\n{}\n)",
            self.name,
            columns.join(",\n")
        );
        if let Some(partition) = &self.partition {
            ddl.push_str(&format!("\nPARTITION BY {partition}"));
        }
        if let Some(cluster) = &self.cluster {
            ddl.push_str(&format!("\nCLUSTER BY {cluster}"));
        }
        if self.require_partition_filter {
            ddl.push_str("\nOPTIONS (require_partition_filter = TRUE)");
        }
        ddl
    }

    /// The SQLite DDL (the embedded store's mapping of each type).
    pub fn sqlite_ddl(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(name, kind, required)| {
                format!(
                    "  {name} {}{}",
                    sqlite_type(kind),
                    if *required { " NOT NULL" } else { "" }
                )
            })
            .collect();
        format!(
            "CREATE TABLE {} (\n{}\n)",
            self.table(),
            columns.join(",\n")
        )
    }
}

fn sqlite_type(kind: &str) -> &'static str {
    let upper = kind.to_ascii_uppercase();
    if upper.starts_with("INT") {
        "INTEGER"
    } else if upper.starts_with("FLOAT") || upper.starts_with("NUMERIC") {
        "REAL"
    } else if upper.starts_with("BOOL") {
        "INTEGER"
    } else {
        // STRING, DATE, TIMESTAMP, JSON, ARRAY and STRUCT (as JSON text).
        "TEXT"
    }
}

/// Every table of the team's warehouse.
pub fn specs() -> Vec<TableSpec> {
    FILES.iter().map(|(_, text)| parse_spec(text)).collect()
}

fn parse_spec(text: &str) -> TableSpec {
    let mut spec = TableSpec {
        name: String::new(),
        partition: None,
        cluster: None,
        require_partition_filter: false,
        columns: Vec::new(),
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("--") {
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
            match key {
                "table" => spec.name = value.trim().to_string(),
                "partition" => spec.partition = Some(value.trim().to_string()),
                "cluster" => spec.cluster = Some(value.trim().to_string()),
                "require_partition_filter" => spec.require_partition_filter = true,
                other => panic!("unknown directive @{other}"),
            }
            continue;
        }
        let (name, rest) = line.split_once(' ').expect("name and type");
        let required = rest.ends_with("NOT NULL");
        let kind = rest.trim_end_matches("NOT NULL").trim().to_string();
        spec.columns.push((name.to_string(), kind, required));
    }
    assert!(!spec.name.is_empty(), "a column list without @table");
    spec
}

/// A tiny deterministic generator (an LCG): the same rows every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn unit(&mut self) -> f64 {
        (self.next() % 1_000_000) as f64 / 1_000_000.0
    }

    fn normal(&mut self) -> f64 {
        // Sum of uniforms: close enough for fixture noise.
        (0..6).map(|_| self.unit()).sum::<f64>() - 3.0
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn timestamp(date: NaiveDate, hour: u32) -> String {
    format!("{date}T{hour:02}:00:00.000Z")
}

const TEAMS: [&str; 8] = ["BKN", "MIL", "LAL", "BOS", "DEN", "PHX", "MIA", "NYK"];

/// `(line_source, real line, line_source_api)`: their mix.
fn line_source(rng: &mut Rng) -> (&'static str, bool, &'static str) {
    match rng.next() % 100 {
        0..=44 => ("ACTUAL_PROP", true, "ODDS_API"),
        45..=59 => ("ODDS_API", true, "ODDS_API"),
        60..=69 => ("BETTINGPROS", true, "BETTINGPROS"),
        70..=76 => ("VEGAS_BACKFILL", true, "ODDS_API"),
        77..=88 => ("ESTIMATED_AVG", false, "ESTIMATED"),
        89..=94 => ("NO_PROP_LINE", false, "ESTIMATED"),
        _ => ("NO_VEGAS_DATA", false, "ESTIMATED"),
    }
}

/// Every table's rows, as JSON objects by column (JSON columns as JSON
/// text, ARRAY and STRUCT columns as JSON values).
pub fn rows() -> Vec<(&'static str, Vec<Map<String, Value>>)> {
    let first: NaiveDate = FIRST_DATE.parse().unwrap();
    let mut rng = Rng(20260105);
    let mut accuracy = Vec::new();
    let mut summaries = Vec::new();
    let mut features = Vec::new();
    let systems = [CHAMPION, SHADOWS[0], SHADOWS[1]];
    for day in 0..DAYS {
        let date = first + Days::new(day);
        let compact = date.format("%Y%m%d").to_string();
        for game in 0..4usize {
            let (away, home) = (
                TEAMS[(2 * game + day as usize) % 8],
                TEAMS[(2 * game + 1 + day as usize) % 8],
            );
            let away = if away == home {
                TEAMS[(2 * game + 3) % 8]
            } else {
                away
            };
            let game_id = format!("{compact}_{away}_{home}");
            for (side, team, opponent) in [(0, away, home), (1, home, away)] {
                for slot in 0..5usize {
                    let player = format!("player{}{}{}", team.to_lowercase(), side, slot);
                    let mean = 8.0 + 4.0 * slot as f64;
                    let voided = rng.next() % 100 == 0;
                    let minutes = if voided {
                        0.0
                    } else {
                        round1(18.0 + 3.0 * slot as f64 + rng.normal())
                    };
                    let actual = if voided {
                        0
                    } else {
                        (mean + 4.0 * rng.normal()).round().max(0.0) as i64
                    };
                    let line = (2.0 * (mean + rng.normal())).round() / 2.0;
                    let (source, real, api) = line_source(&mut rng);
                    let quality = round1(70.0 + 29.0 * rng.unit());
                    for system in systems {
                        let predicted = round1(mean + 2.5 * rng.normal());
                        let confidence = ((0.5 + 0.45 * rng.unit()) * 1000.0).round() / 1000.0;
                        let graded_line = if real || source == "ESTIMATED_AVG" {
                            Some(line)
                        } else {
                            None
                        };
                        let recommendation = match graded_line {
                            Some(line) if predicted > line + 0.5 => "OVER",
                            Some(line) if predicted < line - 0.5 => "UNDER",
                            _ => "PASS",
                        };
                        let correct = match (graded_line, recommendation) {
                            (Some(line), "OVER") if actual as f64 != line => {
                                Some(actual as f64 > line)
                            }
                            (Some(line), "UNDER") if actual as f64 != line => {
                                Some((actual as f64) < line)
                            }
                            _ => None,
                        };
                        let mut row = Map::new();
                        let mut set = |column: &str, value: Value| {
                            row.insert(column.to_string(), value);
                        };
                        set("player_lookup", json!(player));
                        set("game_id", json!(game_id));
                        set("game_date", json!(date.to_string()));
                        set("system_id", json!(system));
                        set("team_abbr", json!(team));
                        set("opponent_team_abbr", json!(opponent));
                        set("predicted_points", json!(predicted));
                        set("confidence_score", json!(confidence));
                        set(
                            "confidence_decile",
                            json!(((confidence * 10.0).ceil() as i64).clamp(1, 10)),
                        );
                        set("recommendation", json!(recommendation));
                        set("line_value", json!(graded_line));
                        set("actual_points", json!(actual));
                        set("minutes_played", json!(minutes));
                        set(
                            "absolute_error",
                            json!(round1((predicted - actual as f64).abs())),
                        );
                        set("signed_error", json!(round1(predicted - actual as f64)));
                        set("prediction_correct", json!(correct));
                        set(
                            "predicted_margin",
                            json!(graded_line.map(|l| round1(predicted - l))),
                        );
                        set(
                            "actual_margin",
                            json!(graded_line.map(|l| round1(actual as f64 - l))),
                        );
                        set(
                            "within_3_points",
                            json!((predicted - actual as f64).abs() <= 3.0),
                        );
                        set(
                            "within_5_points",
                            json!((predicted - actual as f64).abs() <= 5.0),
                        );
                        set("has_prop_line", json!(real));
                        set("line_source", json!(source));
                        set("estimated_line_value", json!((!real).then_some(line)));
                        set("is_actionable", json!(recommendation != "PASS"));
                        set(
                            "line_bookmaker",
                            json!(real.then_some(if rng.next() % 2 == 0 {
                                "DRAFTKINGS"
                            } else {
                                "FANDUEL"
                            })),
                        );
                        set("line_source_api", json!(api));
                        set("is_voided", json!(voided));
                        set(
                            "void_reason",
                            json!(voided.then_some("dnp_injury_confirmed")),
                        );
                        set("feature_quality_score", json!(quality));
                        set("feature_version", json!("v2_37features"));
                        set("feature_count", json!(37));
                        set("is_superseded_prediction", json!(false));
                        set("model_version", json!(system));
                        set("graded_at", json!(timestamp(date + Days::new(1), 8)));
                        // Their grader's extra row per line value (Nov-Jan).
                        let duplicate = real && day < 25 && rng.next() % 33 == 0;
                        if duplicate {
                            let mut copy = row.clone();
                            copy.insert("line_value".into(), json!(line + 1.0));
                            accuracy.push(copy);
                        }
                        accuracy.push(row);
                    }
                    let paint = (rng.next() % 8) as i64;
                    let mid = (rng.next() % 6) as i64;
                    let three = (rng.next() % 7) as i64;
                    summaries.push(object(&[
                        ("player_lookup", json!(player)),
                        ("universal_player_id", json!(format!("{player}_001"))),
                        ("game_id", json!(game_id)),
                        ("game_date", json!(date.to_string())),
                        ("team_abbr", json!(team)),
                        ("opponent_team_abbr", json!(opponent)),
                        ("season_year", json!(2025)),
                        ("points", json!(actual)),
                        ("minutes_played", json!(minutes)),
                        ("paint_attempts", json!(paint)),
                        ("mid_range_attempts", json!(mid)),
                        ("three_attempts_pbp", json!(three)),
                        ("has_complete_shot_zones", json!(rng.next() % 10 != 0)),
                        ("starter_flag", json!(slot >= 2)),
                        ("win_flag", json!(side == 1)),
                        ("points_line", json!(real.then_some(line))),
                        ("is_active", json!(!voided)),
                        ("dedup_key", json!(format!("{game_id}|{player}"))),
                    ]));
                    features.push(object(&[
                        ("player_lookup", json!(player)),
                        ("game_date", json!(date.to_string())),
                        ("game_id", json!(game_id)),
                        ("features", json!([mean, minutes])),
                        (
                            "feature_names",
                            json!(["points_avg_last_10", "minutes_avg_last_10"]),
                        ),
                        ("feature_count", json!(37)),
                        ("feature_version", json!("v2_37features")),
                        ("feature_quality_score", json!(quality)),
                        ("opponent_team_abbr", json!(opponent)),
                        ("is_home", json!(side == 1)),
                        ("data_source", json!("phase4")),
                        ("is_production_ready", json!(true)),
                        ("created_at", json!(timestamp(date, 6))),
                        ("has_vegas_line", json!(real)),
                        (
                            "vegas_line_source",
                            json!(if real { "odds_api" } else { "none" }),
                        ),
                    ]));
                }
            }
        }
    }
    vec![
        ("prediction_accuracy", accuracy),
        ("player_game_summary", summaries),
        ("ml_feature_store_v2", features),
        ("performance_diagnostics_daily", legacy_diagnostics(first)),
        ("ml_experiments", experiments()),
        ("model_registry", registry()),
    ]
}

fn object(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(column, value)| (column.to_string(), value.clone()))
        .collect()
}

/// Rows as the team's own diagnostics class writes them: `ok`/`warning`,
/// upper-case vocabulary, bias `UNKNOWN`, factors as plain strings, a
/// neutral 50.0 beats-Vegas and the columns it leaves NULL.
fn legacy_diagnostics(first: NaiveDate) -> Vec<Map<String, Value>> {
    let rows = [
        (
            20,
            "ok",
            "NORMAL",
            "UNKNOWN",
            "NORMAL_VARIANCE",
            false,
            None,
        ),
        (
            21,
            "warning",
            "SHARP",
            "OVER",
            "VEGAS_SHARP",
            true,
            Some("[WARNING] Vegas lines sharp"),
        ),
        (
            22,
            "ok",
            "NO_DATA",
            "NEUTRAL",
            "NORMAL_VARIANCE",
            false,
            None,
        ),
    ];
    rows.iter()
        .map(|(day, level, sharpness, bias, cause, triggered, message)| {
            let date = first + Days::new(*day);
            object(&[
                ("game_date", json!(date.to_string())),
                ("computed_at", json!(timestamp(date + Days::new(1), 9))),
                ("model_beats_vegas_pct", json!(50.0)),
                ("sharpness_status", json!(sharpness)),
                ("bias_direction", json!(bias)),
                ("drift_score", json!(12.0)),
                ("shot_zone_completeness", json!(85.0)),
                ("primary_cause", json!(cause)),
                ("cause_confidence", json!(0.6)),
                (
                    "contributing_factors",
                    json!(json!(["vegas lines sharper than baseline"]).to_string()),
                ),
                ("alert_triggered", json!(triggered)),
                ("alert_level", json!(level)),
                ("alert_message", json!(message)),
                ("created_at", json!(timestamp(date + Days::new(1), 9))),
            ])
        })
        .collect()
}

/// Team-style experiments: flat configs, flat results in percent, free-form
/// types; one in each state the lifecycle commands start from.
fn experiments() -> Vec<Map<String, Value>> {
    let list = [
        (PENDING, "FEB_2026_RETRAIN_Q43", "pending", false),
        (RUNNING, "FEB_2026_RETRAIN_Q45", "running", false),
        (RUNNING_TO_FAIL, "FEB_2026_BREAKOUT", "running", false),
        (COMPLETED, "JAN_2026_RETRAIN_V12", "completed", true),
        (
            COMPLETED_TO_ARCHIVE,
            "JAN_2026_RECENCY_60",
            "completed",
            true,
        ),
    ];
    list.iter()
        .enumerate()
        .map(|(index, (id, name, status, done))| {
            let config = json!({
                "experiment_id": id, "name": name,
                "hypothesis": "a monthly retrain keeps up with the league",
                "train_start": "2025-11-02", "train_end": "2026-01-04",
                "use_recency_weights": true, "half_life": 60, "verbose": false
            });
            let results = done.then(|| {
                json!({
                    "mae": 4.9 + 0.1 * index as f64, "mae_all_players": 5.3,
                    "hit_rate_all": 55.2 - index as f64, "bets_all": 812,
                    "hit_rate_edge_3plus": 58.1, "bets_edge_3plus": 301,
                    "hit_rate_edge_5plus": 61.0, "bets_edge_5plus": 120
                })
                .to_string()
            });
            object(&[
                ("experiment_id", json!(id)),
                ("experiment_name", json!(name)),
                (
                    "hypothesis",
                    json!("a monthly retrain keeps up with the league"),
                ),
                (
                    "experiment_type",
                    json!(if index == 2 {
                        "breakout_classifier"
                    } else {
                        "monthly_retrain"
                    }),
                ),
                ("tags", json!(["monthly", "points_prop"])),
                ("config_json", json!(config.to_string())),
                (
                    "train_period",
                    json!({"start_date": "2025-11-02", "end_date": "2026-01-04", "samples": 41000}),
                ),
                (
                    "eval_period",
                    json!({"start_date": "2026-01-05", "end_date": "2026-02-08", "samples": 812}),
                ),
                ("results_json", json!(results)),
                (
                    "model_path",
                    json!(format!("gs://nba-props-platform-ml-models/{name}.cbm")),
                ),
                ("git_commit", json!("a1b2c3d4e5f6")),
                ("status", json!(status)),
                (
                    "created_at",
                    json!(format!("2026-02-0{}T10:00:00.000Z", index + 1)),
                ),
                (
                    "completed_at",
                    json!(done.then(|| format!("2026-02-0{}T12:00:00.000Z", index + 1))),
                ),
                ("created_by", json!("claude_session_56")),
            ])
        })
        .collect()
}

/// The champion, two enabled shadows, and a retired model.
fn registry() -> Vec<Map<String, Value>> {
    let rows = [
        (
            "catboost_v8",
            "active",
            false,
            false,
            "2025-10-01T00:00:00.000Z",
        ),
        (
            CHAMPION,
            "production",
            true,
            true,
            "2026-01-02T00:00:00.000Z",
        ),
        (
            SHADOWS[0],
            "shadow",
            false,
            true,
            "2026-01-31T00:00:00.000Z",
        ),
        (
            SHADOWS[1],
            "shadow",
            false,
            true,
            "2026-01-31T01:00:00.000Z",
        ),
    ];
    rows.iter()
        .map(|(id, status, production, enabled, at)| {
            object(&[
                ("model_id", json!(id)),
                ("model_version", json!(id.split('_').nth(1).unwrap_or("v0"))),
                ("model_type", json!("catboost")),
                ("model_family", json!("catboost_points")),
                ("status", json!(status)),
                ("is_production", json!(production)),
                ("enabled", json!(enabled)),
                ("evaluation_hit_rate", json!(55.0)),
                ("training_start_date", json!("2025-11-02")),
                ("training_end_date", json!("2026-01-31")),
                ("git_commit", json!("a1b2c3d4e5f6")),
                ("created_at", json!(at)),
                ("created_by", json!("quick_retrain")),
            ])
        })
        .collect()
}

/// The value an SQLite column takes for `value`.
fn sqlite_value(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        Value::Null => Sql::Null,
        Value::Bool(flag) => Sql::Integer(i64::from(*flag)),
        Value::Number(number) => match number.as_i64() {
            Some(int) => Sql::Integer(int),
            None => Sql::Real(number.as_f64().unwrap_or_default()),
        },
        Value::String(text) => Sql::Text(text.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// Builds the warehouse as an embedded SQLite file at `path` (created).
pub fn build_sqlite(path: &Path) {
    let mut connection = rusqlite::Connection::open(path).expect("create the team store");
    let transaction = connection.transaction().unwrap();
    for spec in specs() {
        transaction
            .execute_batch(&spec.sqlite_ddl())
            .unwrap_or_else(|error| panic!("{}: {error}", spec.name));
    }
    for (table, rows) in rows() {
        for row in rows {
            let columns: Vec<&String> = row.keys().collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                marks.join(", ")
            );
            let values: Vec<rusqlite::types::Value> = row.values().map(sqlite_value).collect();
            transaction
                .execute(&sql, rusqlite::params_from_iter(values))
                .unwrap_or_else(|error| panic!("{table}: {error}"));
        }
    }
    transaction.commit().unwrap();
}

/// Builds the warehouse in a fresh project on the emulator at `base_url`;
/// returns the project id.
pub async fn build_emulator(base_url: &str, tag: &str) -> String {
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let project = format!("cs-team-{tag}-{}", &suffix[..8]);
    let client = reqwest::Client::new();
    let api = format!(
        "{}/bigquery/v2/projects/{project}",
        base_url.trim_end_matches('/')
    );
    let run = |sql: String| {
        let client = client.clone();
        let api = api.clone();
        async move {
            let answer: Value = client
                .post(format!("{api}/queries"))
                .bearer_auth("emulator")
                .json(&json!({"query": sql, "useLegacySql": false}))
                .send()
                .await
                .expect("reach the emulator")
                .json()
                .await
                .expect("a JSON answer");
            assert!(
                answer.get("errors").is_none() && answer.get("error").is_none(),
                "{sql}\n{answer}"
            );
        }
    };
    let specs = specs();
    let mut datasets: Vec<&str> = specs.iter().map(TableSpec::dataset).collect();
    datasets.sort();
    datasets.dedup();
    for dataset in datasets {
        run(format!("CREATE SCHEMA IF NOT EXISTS `{project}.{dataset}`")).await;
    }
    for spec in &specs {
        run(spec.bigquery_ddl(&project)).await;
    }
    for (table, rows) in rows() {
        let spec = specs.iter().find(|s| s.table() == table).unwrap();
        for (batch_index, batch) in rows.chunks(2_000).enumerate() {
            let body: Vec<Value> = batch
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let json: Map<String, Value> = row
                        .iter()
                        .filter(|(_, value)| !value.is_null())
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    json!({"insertId": format!("{batch_index}-{index}"), "json": json})
                })
                .collect();
            let answer: Value = client
                .post(format!(
                    "{api}/datasets/{}/tables/{table}/insertAll",
                    spec.dataset()
                ))
                .bearer_auth("emulator")
                .json(&json!({"rows": body}))
                .send()
                .await
                .expect("reach the emulator")
                .json()
                .await
                .expect("a JSON answer");
            assert!(
                answer
                    .get("insertErrors")
                    .is_none_or(|e| e.as_array().is_none_or(Vec::is_empty))
                    && answer.get("error").is_none(),
                "{table}: {answer}"
            );
        }
    }
    project
}

/// A config of only `source`, for the team's project on the emulator.
pub fn emulator_config(project: &str, base_url: &str) -> String {
    format!(
        "source:\n  kind: bigquery\n  bigquery:\n    project: {project}\n    base_url: {base_url}\n    auth: static_token\n"
    )
}
