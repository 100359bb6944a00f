//! `courtside doctor` and `courtside setup` on a warehouse with the team's
//! tables only (their columns and types from their DDL: the full
//! `prediction_accuracy`, `performance_diagnostics_daily` with its original
//! columns, no `ml_experiment_events`, no `backtest_predictions`) and a few
//! rows with an unmapped line source and a duplicate bet: doctor names each
//! missing piece with its fix, setup --apply adds them, doctor then finds
//! them, and a second setup --apply changes nothing. On the embedded store
//! and on the BigQuery emulator.

#[path = "common/emulator.rs"]
mod emulator;

use courtside::config::{Config, SourceKind};
use courtside::source::bigquery::params::Params;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// The team's `prediction_accuracy` (schemas/bigquery/nba_predictions/prediction_accuracy.sql).
const TEAM_PA: &[(&str, &str)] = &[
    ("player_lookup", "STRING NOT NULL"),
    ("game_id", "STRING NOT NULL"),
    ("game_date", "DATE NOT NULL"),
    ("system_id", "STRING NOT NULL"),
    ("team_abbr", "STRING"),
    ("opponent_team_abbr", "STRING"),
    ("predicted_points", "NUMERIC(5, 1)"),
    ("confidence_score", "NUMERIC(4, 3)"),
    ("confidence_decile", "INTEGER"),
    ("recommendation", "STRING"),
    ("line_value", "NUMERIC(5, 1)"),
    ("referee_adjustment", "NUMERIC(5, 1)"),
    ("pace_adjustment", "NUMERIC(5, 1)"),
    ("similarity_sample_size", "INTEGER"),
    ("actual_points", "INTEGER"),
    ("minutes_played", "NUMERIC(5, 1)"),
    ("absolute_error", "NUMERIC(5, 1)"),
    ("signed_error", "NUMERIC(5, 1)"),
    ("prediction_correct", "BOOLEAN"),
    ("predicted_margin", "NUMERIC(5, 1)"),
    ("actual_margin", "NUMERIC(5, 1)"),
    ("within_3_points", "BOOLEAN"),
    ("within_5_points", "BOOLEAN"),
    ("has_prop_line", "BOOLEAN"),
    ("line_source", "STRING"),
    ("estimated_line_value", "NUMERIC(5, 1)"),
    ("is_actionable", "BOOLEAN"),
    ("filter_reason", "STRING"),
    ("line_bookmaker", "STRING"),
    ("line_source_api", "STRING"),
    ("is_voided", "BOOLEAN"),
    ("void_reason", "STRING"),
    ("feature_quality_score", "FLOAT64"),
    ("data_quality_tier", "STRING"),
    ("feature_version", "STRING"),
    ("is_superseded_prediction", "BOOL"),
    ("original_prediction_id", "STRING"),
    ("model_version", "STRING"),
    ("graded_at", "TIMESTAMP"),
];

/// The team's `player_game_summary`: the contract's columns and two more.
const TEAM_PGS: &[(&str, &str)] = &[
    ("player_lookup", "STRING NOT NULL"),
    ("game_id", "STRING NOT NULL"),
    ("game_date", "DATE NOT NULL"),
    ("team_abbr", "STRING NOT NULL"),
    ("points", "INT64"),
    ("minutes_played", "NUMERIC(5,1)"),
    ("paint_attempts", "INT64"),
    ("mid_range_attempts", "INT64"),
    ("three_attempts_pbp", "INT64"),
    ("has_complete_shot_zones", "BOOLEAN"),
    ("points_line", "NUMERIC(4,1)"),
    ("points_line_source", "STRING"),
];

const TEAM_FS: &[(&str, &str)] = &[
    ("player_lookup", "STRING NOT NULL"),
    ("game_date", "DATE NOT NULL"),
    ("game_id", "STRING NOT NULL"),
    ("feature_version", "STRING NOT NULL"),
    ("feature_quality_score", "NUMERIC(5,2)"),
    ("has_vegas_line", "BOOL"),
];

/// The team's `performance_diagnostics_daily`: its original columns only.
const TEAM_PDD: &[(&str, &str)] = &[
    ("game_date", "DATE NOT NULL"),
    ("computed_at", "TIMESTAMP NOT NULL"),
    ("vegas_mae_tier1", "FLOAT64"),
    ("vegas_mae_tier2", "FLOAT64"),
    ("vegas_mae_tier3", "FLOAT64"),
    ("model_beats_vegas_pct", "FLOAT64"),
    ("sharpness_score", "FLOAT64"),
    ("sharpness_status", "STRING"),
    ("hit_rate_7d", "FLOAT64"),
    ("hit_rate_14d", "FLOAT64"),
    ("hit_rate_30d", "FLOAT64"),
    ("model_mae", "FLOAT64"),
    ("model_mean_error", "FLOAT64"),
    ("bias_direction", "STRING"),
    ("drift_score", "FLOAT64"),
    ("drift_severity", "STRING"),
    ("shot_zone_completeness", "FLOAT64"),
    ("predictions_made", "INT64"),
    ("predictions_graded", "INT64"),
    ("feature_quality_avg", "FLOAT64"),
    ("vegas_mae_baseline", "FLOAT64"),
    ("hit_rate_baseline", "FLOAT64"),
    ("sharpness_vs_baseline", "FLOAT64"),
    ("primary_cause", "STRING"),
    ("cause_confidence", "FLOAT64"),
    ("contributing_factors", "JSON"),
    ("alert_triggered", "BOOLEAN NOT NULL"),
    ("alert_level", "STRING NOT NULL"),
    ("alert_message", "STRING"),
    ("created_at", "TIMESTAMP DEFAULT CURRENT_TIMESTAMP()"),
];

const TEAM_EXPERIMENTS: &[(&str, &str)] = &[
    ("experiment_id", "STRING NOT NULL"),
    ("experiment_name", "STRING NOT NULL"),
    ("hypothesis", "STRING"),
    ("experiment_type", "STRING NOT NULL"),
    ("tags", "ARRAY<STRING>"),
    ("config_json", "JSON NOT NULL"),
    (
        "train_period",
        "STRUCT<start_date DATE, end_date DATE, samples INT64>",
    ),
    (
        "eval_period",
        "STRUCT<start_date DATE, end_date DATE, samples INT64>",
    ),
    ("results_json", "JSON"),
    ("model_path", "STRING"),
    ("git_commit", "STRING"),
    ("parent_experiment_id", "STRING"),
    ("status", "STRING NOT NULL"),
    ("created_at", "TIMESTAMP NOT NULL"),
    ("completed_at", "TIMESTAMP"),
    ("created_by", "STRING"),
];

/// A table's `(column, BigQuery type)` list.
type Columns = &'static [(&'static str, &'static str)];

/// `(table, columns, BigQuery partitioning and options)`.
const TEAM_TABLES: &[(&str, Columns, &str)] = &[
    (
        "nba_predictions.prediction_accuracy",
        TEAM_PA,
        "PARTITION BY game_date CLUSTER BY system_id, player_lookup OPTIONS (require_partition_filter=TRUE)",
    ),
    (
        "nba_analytics.player_game_summary",
        TEAM_PGS,
        "PARTITION BY game_date",
    ),
    (
        "nba_predictions.ml_feature_store_v2",
        TEAM_FS,
        "PARTITION BY game_date",
    ),
    (
        "nba_orchestration.performance_diagnostics_daily",
        TEAM_PDD,
        "PARTITION BY game_date CLUSTER BY alert_level, primary_cause",
    ),
    (
        "nba_predictions.ml_experiments",
        TEAM_EXPERIMENTS,
        "PARTITION BY DATE(created_at)",
    ),
];

/// A row as `(column, value)` with the value as a typed literal.
enum Lit {
    S(&'static str),
    F(f64),
    I(i64),
    B(bool),
    D(&'static str),
    T(String),
    J(&'static str),
}

fn literal(value: &Lit, bigquery: bool) -> String {
    match value {
        Lit::S(text) => format!("'{text}'"),
        Lit::F(number) => format!("{number}"),
        Lit::I(number) => format!("{number}"),
        Lit::B(flag) if bigquery => format!("{flag}").to_uppercase(),
        Lit::B(flag) => format!("{}", i32::from(*flag)),
        Lit::D(date) if bigquery => format!("DATE '{date}'"),
        Lit::D(date) => format!("'{date}'"),
        Lit::T(at) if bigquery => format!("TIMESTAMP '{at}'"),
        Lit::T(at) => format!("'{at}'"),
        Lit::J(json) if bigquery => format!("JSON '{json}'"),
        Lit::J(json) => format!("'{json}'"),
    }
}

/// One graded row of `catboost_v12`.
fn graded(
    player: &'static str,
    game: &'static str,
    day: &'static str,
    line: f64,
    source: &'static str,
    pick: &'static str,
) -> Vec<(&'static str, Lit)> {
    vec![
        ("player_lookup", Lit::S(player)),
        ("game_id", Lit::S(game)),
        ("game_date", Lit::D(day)),
        ("system_id", Lit::S("catboost_v12")),
        ("predicted_points", Lit::F(line + 2.0)),
        ("confidence_score", Lit::F(0.8)),
        ("recommendation", Lit::S(pick)),
        ("line_value", Lit::F(line)),
        ("actual_points", Lit::I(line as i64 + 3)),
        ("absolute_error", Lit::F(1.0)),
        ("signed_error", Lit::F(-1.0)),
        ("prediction_correct", Lit::B(pick == "OVER")),
        ("has_prop_line", Lit::B(true)),
        ("line_source", Lit::S(source)),
        ("is_voided", Lit::B(false)),
        ("graded_at", Lit::T(format!("{day} 12:00:00"))),
    ]
}

/// The rows: real-line labels of every kind, an unmapped `MYSTERY_FEED`, a
/// bet graded twice (two line values, one `graded_at`), a legacy
/// diagnostics row and a team-style experiment created yesterday.
fn team_rows() -> Vec<(&'static str, Vec<(&'static str, Lit)>)> {
    let pa = "nba_predictions.prediction_accuracy";
    let mut rows = vec![
        (
            pa,
            graded(
                "ann",
                "20260118_BKN_MIL",
                "2026-01-18",
                20.5,
                "ACTUAL_PROP",
                "OVER",
            ),
        ),
        (
            pa,
            graded(
                "bob",
                "20260118_BKN_MIL",
                "2026-01-18",
                14.5,
                "VEGAS_BACKFILL",
                "UNDER",
            ),
        ),
        (
            pa,
            graded(
                "cat",
                "20260118_BKN_MIL",
                "2026-01-18",
                9.5,
                "MYSTERY_FEED",
                "OVER",
            ),
        ),
        (
            pa,
            graded(
                "dan",
                "20260119_LAL_BOS",
                "2026-01-19",
                18.5,
                "ODDS_API",
                "OVER",
            ),
        ),
        (
            pa,
            graded(
                "dan",
                "20260119_LAL_BOS",
                "2026-01-19",
                19.5,
                "ODDS_API",
                "OVER",
            ),
        ),
        (
            pa,
            graded(
                "eve",
                "20260119_LAL_BOS",
                "2026-01-19",
                11.5,
                "NO_VEGAS_DATA",
                "PASS",
            ),
        ),
    ];
    for (player, game, day) in [
        ("ann", "20260118_BKN_MIL", "2026-01-18"),
        ("bob", "20260118_BKN_MIL", "2026-01-18"),
        ("cat", "20260118_BKN_MIL", "2026-01-18"),
        ("dan", "20260119_LAL_BOS", "2026-01-19"),
        ("eve", "20260119_LAL_BOS", "2026-01-19"),
    ] {
        rows.push((
            "nba_analytics.player_game_summary",
            vec![
                ("player_lookup", Lit::S(player)),
                ("game_id", Lit::S(game)),
                ("game_date", Lit::D(day)),
                ("team_abbr", Lit::S("BKN")),
                ("points", Lit::I(20)),
                ("minutes_played", Lit::F(32.0)),
                ("has_complete_shot_zones", Lit::B(true)),
            ],
        ));
    }
    rows.push((
        "nba_orchestration.performance_diagnostics_daily",
        vec![
            ("game_date", Lit::D("2026-01-18")),
            ("computed_at", Lit::T("2026-01-19 08:00:00".into())),
            ("sharpness_status", Lit::S("NORMAL")),
            ("bias_direction", Lit::S("UNKNOWN")),
            ("alert_triggered", Lit::B(false)),
            ("alert_level", Lit::S("ok")),
        ],
    ));
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).format("%Y-%m-%d 09:00:00");
    rows.push((
        "nba_predictions.ml_experiments",
        vec![
            ("experiment_id", Lit::S("0b1c2d3e-team-0001")),
            ("experiment_name", Lit::S("JAN_2026_MONTHLY_RETRAIN")),
            ("experiment_type", Lit::S("monthly_retrain")),
            ("config_json", Lit::J(r#"{"train_start": "2025-11-01"}"#)),
            ("status", Lit::S("completed")),
            ("created_at", Lit::T(yesterday.to_string())),
        ],
    ));
    rows
}

/// `INSERT` of one row, literals in the dialect's spelling.
fn insert(table: &str, row: &[(&str, Lit)], bigquery: bool) -> String {
    let columns: Vec<&str> = row.iter().map(|(c, _)| *c).collect();
    let values: Vec<String> = row.iter().map(|(_, v)| literal(v, bigquery)).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        values.join(", ")
    )
}

fn sqlite_type(bigquery: &str) -> &'static str {
    let upper = bigquery.to_uppercase();
    let base = upper.split([' ', '(', '<']).next().unwrap_or_default();
    match base {
        "INT64" | "INTEGER" | "BOOL" | "BOOLEAN" => "INTEGER",
        "FLOAT64" | "NUMERIC" => "REAL",
        _ => "TEXT",
    }
}

/// The team's tables and rows in an SQLite file, as a store built elsewhere.
fn team_store(path: &Path) {
    let connection = rusqlite::Connection::open(path).unwrap();
    for (name, columns, _) in TEAM_TABLES {
        let table = name.rsplit('.').next().unwrap();
        let body: Vec<String> = columns
            .iter()
            .map(|(column, ty)| {
                let not_null = if ty.contains("NOT NULL") {
                    " NOT NULL"
                } else {
                    ""
                };
                format!("{column} {}{not_null}", sqlite_type(ty))
            })
            .collect();
        connection
            .execute_batch(&format!("CREATE TABLE {table} ({});", body.join(", ")))
            .unwrap();
    }
    for (name, row) in team_rows() {
        let table = name.rsplit('.').next().unwrap();
        connection
            .execute_batch(&insert(table, &row, false))
            .unwrap();
    }
}

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run courtside")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn show(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn feature<'a>(report: &'a Value, starts: &str) -> &'a Value {
    report["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no feature {starts}"))
}

fn table<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == name)
        .unwrap()
}

/// doctor → setup (dry run) → setup --apply → doctor → setup --apply, with
/// the checks both sources share; `config` is the config file's path.
/// `migrates_itself`: the embedded store adds courtside's diagnostics
/// columns whenever it is opened, so only BigQuery lacks them before setup.
fn before_and_after(dir: &Path, config: &Path, migrates_itself: bool) {
    let config = config.to_str().unwrap();
    let before = courtside(dir, &["--config", config, "doctor"]);
    let text = stdout(&before);
    assert_eq!(before.status.code(), Some(2), "{}", show(&before));
    for expected in [
        "✗ ml_experiment_events: not found",
        "✗ backtest_predictions: not found",
        "MYSTERY_FEED 1 ✗unmapped",
        "monthly_retrain 1 ⚠undocumented",
        "duplicate bets: 1 extra rows on 1 system-days",
        "CREATE TABLE IF NOT EXISTS",
    ] {
        assert!(text.contains(expected), "{expected}\n{}", show(&before));
    }
    assert_eq!(
        text.contains("ADD COLUMN"),
        !migrates_itself,
        "{}",
        show(&before)
    );
    assert!(
        text.lines().all(|line| line.chars().count() <= 80
            || line.contains("CREATE")
            || line.starts_with("  [")),
        "{text}"
    );
    let json = courtside(dir, &["--config", config, "doctor", "--json"]);
    assert_eq!(json.status.code(), Some(2), "{}", show(&json));
    let report: Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(report["exit_code"], 2);
    assert_eq!(feature(&report, "gap")["status"], "fails");
    assert_eq!(feature(&report, "exp history")["status"], "fails");
    assert_eq!(feature(&report, "exp list")["status"], "works_without");
    assert_eq!(
        feature(&report, "history")["status"],
        if migrates_itself {
            "works"
        } else {
            "works_without"
        }
    );
    assert_eq!(
        feature(&report, "diag/backfill/watch --persist")["status"],
        if migrates_itself { "works" } else { "fails" }
    );
    assert_eq!(table(&report, "ml_experiment_events")["exists"], false);
    let pdd = table(&report, "performance_diagnostics_daily");
    let missing: Vec<&str> = pdd["missing_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing.contains(&"system_id"),
        !migrates_itself,
        "{missing:?}"
    );
    assert_eq!(report["data"]["duplicate_rows"], 1);
    assert_eq!(report["data"]["unknown_line_sources"]["MYSTERY_FEED"], 1);
    let pa = table(&report, "prediction_accuracy");
    assert!(
        pa["extra_columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "line_source_api")
    );
    assert!(pa["missing_columns"].as_array().unwrap().is_empty(), "{pa}");

    let dry = courtside(dir, &["--config", config, "setup"]);
    assert_eq!(dry.status.code(), Some(0), "{}", show(&dry));
    assert!(
        stdout(&dry).contains("dry run: nothing changed"),
        "{}",
        show(&dry)
    );
    assert!(
        stdout(&dry).contains("ml_experiment_events"),
        "{}",
        show(&dry)
    );
    let still = courtside(dir, &["--config", config, "doctor", "--json"]);
    assert_eq!(still.status.code(), Some(2), "a dry run changed something");

    let apply = courtside(dir, &["--config", config, "setup", "--apply"]);
    assert_eq!(apply.status.code(), Some(0), "{}", show(&apply));
    assert!(stdout(&apply).contains("-- applied"), "{}", show(&apply));

    let after = courtside(dir, &["--config", config, "doctor", "--json"]);
    let report: Value = serde_json::from_str(&stdout(&after)).unwrap();
    // The unmapped line source is still there (config, not DDL): works without.
    assert_eq!(after.status.code(), Some(1), "{}", show(&after));
    for name in ["ml_experiment_events", "backtest_predictions"] {
        assert_eq!(table(&report, name)["exists"], true, "{name}");
    }
    let pdd = table(&report, "performance_diagnostics_daily");
    assert!(
        pdd["missing_columns"].as_array().unwrap().is_empty(),
        "{pdd}"
    );
    for name in [
        "gap",
        "exp history",
        "exp list",
        "history",
        "diag/backfill/watch --persist",
    ] {
        assert_eq!(feature(&report, name)["status"], "works", "{name}");
    }
    assert_eq!(feature(&report, "splits")["status"], "works_without");

    let again = courtside(dir, &["--config", config, "setup", "--apply"]);
    assert_eq!(again.status.code(), Some(0), "{}", show(&again));
    assert!(stdout(&again).contains("nothing to do"), "{}", show(&again));
    let history = courtside(
        dir,
        &[
            "--config",
            config,
            "history",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
        ],
    );
    assert_eq!(history.status.code(), Some(0), "{}", show(&history));

    // After setup, --persist writes courtside's row and history reads it back
    // with courtside's columns; registry changes leave an audit trail.
    let persisted = courtside(
        dir,
        &[
            "--config",
            config,
            "diag",
            "--date",
            "2026-01-19",
            "--system",
            "catboost_v12",
            "--persist",
        ],
    );
    assert!(
        persisted.status.code().is_some_and(|code| code <= 3),
        "{}",
        show(&persisted)
    );
    let said = String::from_utf8_lossy(&persisted.stderr).to_string();
    assert!(!said.contains("setup --apply"), "{said}");
    let history = courtside(
        dir,
        &[
            "--config",
            config,
            "history",
            "--from",
            "2026-01-19",
            "--to",
            "2026-01-19",
            "--system",
            "catboost_v12",
            "--json",
        ],
    );
    assert_eq!(history.status.code(), Some(0), "{}", show(&history));
    assert!(
        stdout(&history).contains("catboost_v12"),
        "{}",
        show(&history)
    );
    let archived = courtside(
        dir,
        &[
            "--config",
            config,
            "exp",
            "archive",
            "JAN_2026_MONTHLY_RETRAIN",
        ],
    );
    assert_eq!(archived.status.code(), Some(0), "{}", show(&archived));
    let trail = courtside(
        dir,
        &[
            "--config",
            config,
            "exp",
            "history",
            "JAN_2026_MONTHLY_RETRAIN",
        ],
    );
    assert_eq!(trail.status.code(), Some(0), "{}", show(&trail));
    assert!(
        stdout(&trail).contains("completed") && stdout(&trail).contains("archived"),
        "{}",
        show(&trail)
    );
}

#[test]
fn doctor_and_setup_on_an_embedded_store_built_from_the_team_tables() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("team.sqlite");
    team_store(&store);
    let mut config = Config::default();
    config.source.kind = SourceKind::Embedded;
    config.source.embedded_path = Some(store.clone());
    let path = emulator::write_config(&config, dir.path(), "config.yaml");
    before_and_after(dir.path(), &path, true);
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn doctor_and_setup_on_the_team_tables_in_bigquery() {
    let dir = tempfile::tempdir().unwrap();
    let config = emulator::qualified(emulator::config("doctor"));
    let project = config.source.bigquery.project.clone().unwrap();
    emulator::runtime().block_on(async {
        let source = courtside::source::bigquery::BigQuerySource::connect(
            &config.source.bigquery,
            &config.tables,
        )
        .await
        .unwrap();
        for dataset in ["nba_predictions", "nba_analytics", "nba_orchestration"] {
            source
                .execute(
                    &format!("CREATE SCHEMA IF NOT EXISTS `{project}.{dataset}`"),
                    Params::new(),
                )
                .await
                .unwrap();
        }
        for (name, columns, options) in TEAM_TABLES {
            let body: Vec<String> = columns.iter().map(|(c, t)| format!("{c} {t}")).collect();
            let sql = format!(
                "CREATE TABLE `{project}.{name}` ({}) {options}",
                body.join(", ")
            );
            source
                .execute(&sql, Params::new())
                .await
                .unwrap_or_else(|error| panic!("{error:#}\n{sql}"));
        }
        for (name, row) in team_rows() {
            let sql = insert(&format!("`{project}.{name}`"), &row, true);
            source
                .execute(&sql, Params::new())
                .await
                .unwrap_or_else(|error| panic!("{error:#}\n{sql}"));
        }
    });
    let path = emulator::write_config(&config, dir.path(), "config.yaml");
    let doctor = courtside(
        dir.path(),
        &["--config", path.to_str().unwrap(), "doctor", "--json"],
    );
    let report: Value = serde_json::from_str(&stdout(&doctor)).unwrap();
    // Partitioning is the table's metadata, not the DDL file.
    let pa = table(&report, "prediction_accuracy");
    assert_eq!(pa["partitioning"]["field"], "game_date", "{pa}");
    assert_eq!(pa["partitioning"]["require_filter"], true, "{pa}");
    // A few small queries, each with its bytes.
    let queries = report["queries"].as_array().unwrap();
    assert!(!queries.is_empty() && queries.len() <= 8, "{queries:?}");
    assert!(queries.iter().all(|q| q["bytes"].is_u64()), "{queries:?}");
    if std::env::var("COURTSIDE_SHOW_DOCTOR").is_ok() {
        let text = courtside(dir.path(), &["--config", path.to_str().unwrap(), "doctor"]);
        println!("{}", stdout(&text));
    }
    before_and_after(dir.path(), &path, false);
    if std::env::var("COURTSIDE_SHOW_DOCTOR").is_ok() {
        let text = courtside(dir.path(), &["--config", path.to_str().unwrap(), "doctor"]);
        println!("{}", stdout(&text));
    }
}
