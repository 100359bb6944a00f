//! The binary's behaviour on bad input and its output contracts: one-line
//! errors, monitoring exit codes, nothing written on failure.

use std::path::Path;
use std::process::{Command, Output};

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run courtside")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// A small one-season demo store shared by the tests of this file.
fn demo_store(dir: &Path) -> std::path::PathBuf {
    let store = dir.join("demo.sqlite");
    let output = courtside(
        dir,
        &["--store", store.to_str().unwrap(), "demo", "--seasons", "1"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    store
}

#[test]
fn malformed_config_is_a_one_line_error_with_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.yaml");
    std::fs::write(&config, "thresholds:\n  edge_threshold: [3\n").unwrap();
    let output = courtside(dir.path(), &["--config", config.to_str().unwrap(), "diag"]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(
        message.contains("bad.yaml") && message.contains("line"),
        "{message}"
    );
    assert!(
        !dir.path().join("data").join("courtside.sqlite").exists(),
        "nothing written"
    );
}

#[test]
fn unknown_config_key_names_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "theme: dark\nrefresh_sec: 30\n").unwrap();
    let output = courtside(dir.path(), &["--config", config.to_str().unwrap(), "diag"]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(
        message.contains("refresh_sec") && message.contains("line 2"),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "{message}");
}

#[test]
fn a_date_that_is_not_a_date_is_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store.to_str().unwrap(),
            "diag",
            "--date",
            "2026-13-45",
        ],
    );
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(
        message.contains("--date") && message.contains("2026-13-45"),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "{message}");
}

#[test]
fn a_store_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("notes.sqlite");
    let content = b"these are my notes, not a database\n".repeat(200);
    std::fs::write(&store, &content).unwrap();
    let output = courtside(dir.path(), &["--store", store.to_str().unwrap(), "diag"]);
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("not an SQLite database"), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert_eq!(std::fs::read(&store).unwrap(), content, "file untouched");
}

#[test]
fn an_empty_store_with_no_demo_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("empty.sqlite");
    // A store with the schema and no rows (a missing one is `no store here`).
    courtside::source::embedded::EmbeddedStore::open(&store).unwrap();
    let output = courtside(
        dir.path(),
        &["--store", store.to_str().unwrap(), "--no-demo", "diag"],
    );
    assert_eq!(output.status.code(), Some(3));
    let message = stderr(&output);
    assert!(message.contains("the store is empty"), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "{message}");
}

#[test]
fn first_run_builds_the_demo_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = courtside(dir.path(), &["diag", "--json"]);
    let message = stderr(&output);
    assert!(message.contains("demo dataset"), "{message}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["game_date"], "2026-04-12");
    assert!(dir.path().join("data").join("courtside.sqlite").exists());
}

#[test]
fn diag_json_has_every_column_and_the_exit_code_follows_the_level() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store.to_str().unwrap(),
            "diag",
            "--json",
            "--date",
            "2026-01-27",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    for column in [
        "game_date",
        "computed_at",
        "vegas_mae_tier1",
        "vegas_mae_tier2",
        "vegas_mae_tier3",
        "model_beats_vegas_pct",
        "sharpness_score",
        "sharpness_status",
        "hit_rate_7d",
        "hit_rate_14d",
        "hit_rate_30d",
        "model_mae",
        "model_mean_error",
        "bias_direction",
        "drift_score",
        "drift_severity",
        "shot_zone_completeness",
        "predictions_made",
        "predictions_graded",
        "feature_quality_avg",
        "vegas_mae_baseline",
        "hit_rate_baseline",
        "sharpness_vs_baseline",
        "primary_cause",
        "cause_confidence",
        "contributing_factors",
        "alert_triggered",
        "alert_level",
        "alert_message",
        "system_id",
    ] {
        assert!(json.get(column).is_some(), "missing column {column}");
    }
    assert!(json["model_beats_vegas"]["interval"]["low"].is_number());
    assert!(json["hit_rate_7d_detail"]["p_value"].is_number());
    assert!(json["bets_7d"].as_u64().unwrap() > 0);
    let expected = match json["alert_level"].as_str().unwrap() {
        "healthy" | "info" => 0,
        "warning" => 1,
        "critical" => 2,
        other => panic!("level {other}"),
    };
    assert_eq!(output.status.code(), Some(expected));
}

#[test]
fn persist_is_idempotent_per_date_and_system() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let store_arg = store.to_str().unwrap();
    for _ in 0..2 {
        let output = courtside(
            dir.path(),
            &[
                "--store",
                store_arg,
                "diag",
                "--date",
                "2026-01-27",
                "--persist",
            ],
        );
        assert!(output.status.code().unwrap() < 3, "{}", stderr(&output));
        let output = courtside(
            dir.path(),
            &[
                "--store",
                store_arg,
                "backfill",
                "--from",
                "2026-01-20",
                "--to",
                "2026-01-27",
                "--persist",
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let connection = rusqlite::Connection::open(&store).unwrap();
    let (rows, distinct): (i64, i64) = connection
        .query_row(
            "SELECT COUNT(*), COUNT(DISTINCT game_date || system_id) FROM performance_diagnostics_daily
             WHERE game_date BETWEEN '2026-01-20' AND '2026-01-27'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(rows, distinct);
    // Every game date 01-20..27: since Rev. 2 the outage days 01-21..24 (no
    // production predictions while games were played) are diagnosed too.
    assert_eq!(rows, 8);
    let outages: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM performance_diagnostics_daily
             WHERE game_date BETWEEN '2026-01-21' AND '2026-01-24'
               AND predictions_made = 0 AND alert_level = 'warning'
               AND primary_cause = 'data_quality'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(outages, 4);
}

#[test]
fn backfill_prints_one_line_per_game_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store.to_str().unwrap(),
            "backfill",
            "--from",
            "2026-02-01",
            "--to",
            "2026-02-10",
            "--json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect();
    assert!(lines.len() >= 7, "{} lines", lines.len());
    assert!(
        lines
            .windows(2)
            .all(|w| w[0]["game_date"].as_str() < w[1]["game_date"].as_str())
    );
}

#[test]
fn schema_prints_both_dialects() {
    let dir = tempfile::tempdir().unwrap();
    let bigquery = courtside(dir.path(), &["schema", "--dialect", "bigquery"]);
    let text = String::from_utf8_lossy(&bigquery.stdout);
    assert!(
        text.contains("performance_diagnostics_daily") && text.contains("PARTITION BY game_date")
    );
    assert!(text.contains("require_partition_filter"));
    let sqlite = courtside(dir.path(), &["schema", "--dialect", "sqlite"]);
    assert!(
        String::from_utf8_lossy(&sqlite.stdout)
            .contains("CREATE TABLE IF NOT EXISTS ml_experiment_events")
    );
}

#[test]
fn gap_prints_every_figure_as_json_and_names_unknown_experiments() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let store_arg = store.to_str().unwrap();
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store_arg,
            "gap",
            "--experiment",
            "JAN_DEC_WALKFORWARD_V9",
            "--json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    for key in [
        "backtest_only",
        "production_only",
        "both",
        "missing_dates",
        "backtest_actual_line_pct",
        "production_actual_line_pct",
        "hit_rate_backtest",
        "hit_rate_backtest_shared",
        "hit_rate_backtest_shared_actual",
        "hit_rate_production_shared",
        "hit_rate_production",
        "gap",
        "steps",
        "paired_bets",
        "mcnemar",
        "verdict",
        "system_id",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    let steps: f64 = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["points"].as_f64().unwrap())
        .sum();
    assert!((steps - json["gap"].as_f64().unwrap()).abs() < 1e-9);
    // Human form, by id prefix.
    let id = json["experiment_id"].as_str().unwrap()[..8].to_string();
    let text = courtside(
        dir.path(),
        &["--store", store_arg, "gap", "--experiment", &id],
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("decomposition of the gap"));
    let unknown = courtside(
        dir.path(),
        &["--store", store_arg, "gap", "--experiment", "NOPE"],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("no experiment with id, id prefix or name `NOPE`"));
}

#[test]
fn nonsense_arguments_are_refused_with_a_one_line_reason() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let store = store.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["watch", "--interval", "0"], "--interval 0"),
        (&["diag", "--date", "26-01-01"], "`26-01-01` is not a date"),
        (
            &["history", "--from", "2026-03-10", "--to", "2026-03-01"],
            "--from 2026-03-10 is after --to 2026-03-01",
        ),
        (
            &["exp", "list", "--status", "bogus"],
            "`bogus` is not a status",
        ),
        (
            &["backfill", "--from", "2026-03-10", "--to", "2026-03-01"],
            "2026-03-10",
        ),
    ];
    for (args, expected) in cases {
        let mut full = vec!["--store", store];
        full.extend_from_slice(args);
        let output = courtside(dir.path(), &full);
        let message = stderr(&output);
        assert_ne!(output.status.code(), Some(0), "{args:?}: {message}");
        assert!(message.contains(expected), "{args:?}: {message}");
        assert_eq!(message.trim().lines().count(), 1, "{args:?}: {message}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn stored_rows_that_do_not_decode_are_named_by_table_key_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let connection = rusqlite::Connection::open(&store).unwrap();
    let id: String = connection
        .query_row(
            "SELECT experiment_id FROM ml_experiments ORDER BY rowid LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    connection
        .execute(
            "UPDATE ml_experiments SET status = 'bogus' WHERE experiment_id = ?1",
            [&id],
        )
        .unwrap();
    drop(connection);
    let output = courtside(
        dir.path(),
        &["--store", store.to_str().unwrap(), "exp", "list"],
    );
    assert_ne!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert_eq!(
        message.trim(),
        format!(
            "courtside: ml_experiments row experiment_id {id}: column status holds 'bogus': `bogus` is not a registry status"
        )
    );
    assert!(!message.contains("index"), "no driver text: {message}");
}

#[test]
fn an_unreachable_bigquery_is_exit_3_for_every_command_and_names_the_address() {
    let dir = tempfile::tempdir().unwrap();
    // A loopback port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = dir.path().join("bigquery.yaml");
    std::fs::write(
        &config,
        format!(
            "source:\n  kind: bigquery\n  bigquery:\n    project: courtside-test\n    base_url: http://127.0.0.1:{port}\n    auth: static_token\n    timeout_secs: 2\n"
        ),
    )
    .unwrap();
    for args in [&["diag"][..], &["history"], &["exp", "list"], &["alerts"]] {
        let mut full = vec!["--config", config.to_str().unwrap()];
        full.extend_from_slice(args);
        let output = courtside(dir.path(), &full);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {message}");
        assert!(
            message.contains(&format!("cannot connect to http://127.0.0.1:{port}")),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn snapshot_prints_a_tab_as_plain_text_with_the_numbers_diag_prints() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let store = store.to_str().unwrap();
    let diag = courtside(
        dir.path(),
        &["--store", store, "diag", "--date", "2026-03-25", "--json"],
    );
    let diag: serde_json::Value = serde_json::from_slice(&diag.stdout).unwrap();
    let hit_7d = format!("{:.1}%", diag["hit_rate_7d"].as_f64().unwrap());
    for (tab, (width, height), expected) in [
        ("drift", (100, 30), "3 Drift"),
        ("overview", (80, 24), "1 Over "),
        ("experiments", (200, 60), "FEB_2026_RECENCY_60"),
        ("gap", (120, 40), "Backtest gap"),
    ] {
        let output = courtside(
            dir.path(),
            &[
                "--store",
                store,
                "snapshot",
                "--tab",
                tab,
                "--date",
                "2026-03-25",
                "--width",
                &width.to_string(),
                "--height",
                &height.to_string(),
            ],
        );
        assert!(output.status.success(), "{tab}: {}", stderr(&output));
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(text.lines().count(), height, "{tab}:\n{text}");
        assert!(
            text.lines()
                .all(|line| unicode_width::UnicodeWidthStr::width(line) <= width),
            "{tab}:\n{text}"
        );
        assert!(text.contains(expected), "{tab}:\n{text}");
        assert!(text.contains("? help"), "{tab}:\n{text}");
        assert!(!text.contains('\u{1b}'), "plain text, no escapes: {tab}");
        if tab == "drift" || tab == "overview" {
            assert!(text.contains(&hit_7d), "{tab} shows {hit_7d}:\n{text}");
            assert!(text.contains("2026-03-25"), "{tab}:\n{text}");
        }
    }
    let bad = courtside(dir.path(), &["--store", store, "snapshot", "--width", "5"]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(stderr(&bad).contains("20-500 columns"), "{}", stderr(&bad));
}

#[test]
fn all_systems_in_one_pass_give_each_systems_own_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let store = store.to_str().unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let mut full = vec!["--store", store];
        full.extend_from_slice(args);
        let output = courtside(dir.path(), &full);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", stderr(&output)))
    };
    let without_time = |mut value: serde_json::Value| {
        value.as_object_mut().unwrap().remove("computed_at");
        value
    };
    let all = json(&["diag", "--date", "2026-03-25", "--all-systems", "--json"]);
    let all = all
        .as_array()
        .expect("an array for several systems")
        .clone();
    assert_eq!(all.len(), 4, "three systems and the shadow: {all:?}");
    for day in all {
        let system = day["system_id"].as_str().unwrap().to_string();
        let alone = json(&[
            "diag",
            "--date",
            "2026-03-25",
            "--system",
            &system,
            "--json",
        ]);
        assert_eq!(without_time(day), without_time(alone), "{system}");
    }
    // backfill: one line per system and day, system by system.
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store,
            "backfill",
            "--from",
            "2026-03-20",
            "--to",
            "2026-03-25",
            "--system",
            "catboost_v8",
            "--system",
            "xgboost_v7",
            "--json",
        ],
    );
    let systems: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["system_id"].as_str().unwrap().to_string()
        })
        .collect();
    let first_other = systems.iter().position(|s| s == "xgboost_v7").unwrap();
    assert!(first_other > 0);
    assert!(systems[..first_other].iter().all(|s| s == "catboost_v8"));
    assert!(systems[first_other..].iter().all(|s| s == "xgboost_v7"));
}
