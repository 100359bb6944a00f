//! The dashboard and `diag --json` show the same numbers for the same date,
//! field for field, on the embedded demo store (the BigQuery side of the
//! same check runs in `bigquery_agrees.rs`, on the emulator).

#[path = "common/same_numbers.rs"]
mod same_numbers;

use courtside::config::Thresholds;
use courtside::source::embedded::EmbeddedStore;
use serde_json::Value;
use std::process::Command;

/// Story dates of the one-season demo: the season's start, the sharp
/// January, a production outage day, the drift spring, the last date.
const DATES: [&str; 6] = [
    "2025-10-22",
    "2025-12-14",
    "2026-01-24",
    "2026-01-27",
    "2026-03-18",
    "2026-04-12",
];

#[test]
fn the_dashboard_shows_what_diag_prints_for_every_story_date() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("demo.sqlite");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .arg("--store")
            .arg(&store_path)
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
            .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
            .output()
            .unwrap()
    };
    let built = run(&["demo", "--seasons", "1"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let outputs: Vec<(&str, Value)> = DATES
        .iter()
        .map(|date| {
            let output = run(&["diag", "--date", date, "--json"]);
            assert!(
                output.status.code().is_some_and(|code| code <= 3),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let value: Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(value["game_date"], *date);
            (*date, value)
        })
        .collect();
    // Real numbers, not two empty answers.
    assert!(outputs[1].1["bets_7d"].as_u64().is_some_and(|n| n > 100));
    let store = EmbeddedStore::open(&store_path).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(same_numbers::assert_dashboard_matches_diag(
        "embedded",
        &store,
        "catboost_v8",
        &Thresholds::default(),
        &outputs,
    ));
}

/// The systems strip (the Overview and `courtside systems --json`) and
/// `diag --system S` agree for every system on an outage day and a drift day.
#[test]
fn the_systems_strip_shows_what_systems_and_diag_print_for_every_system() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("demo.sqlite");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .arg("--store")
            .arg(&store_path)
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
            .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
            .output()
            .unwrap()
    };
    assert!(run(&["demo", "--seasons", "1"]).status.success());
    let store = EmbeddedStore::open(&store_path).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for date in ["2026-01-24", "2026-03-18"] {
        let output = run(&["systems", "--date", date, "--json"]);
        let cli: Value = serde_json::from_slice(&output.stdout).unwrap();
        let rows = cli["systems"].as_array().unwrap();
        assert!(rows.len() >= 3, "{date}: {rows:?}");
        assert_eq!(rows[0]["system_id"], "catboost_v8", "the champion first");
        assert_eq!(rows[0]["role"], "champion");
        let strip = runtime.block_on(same_numbers::dashboard_strip_json(
            &store,
            "catboost_v8",
            date.parse().unwrap(),
            &Thresholds::default(),
        ));
        assert_eq!(strip.len(), rows.len(), "{date}");
        for ((system, dashboard), row) in strip.iter().zip(rows) {
            assert_eq!(row["system_id"], system.as_str());
            same_numbers::assert_same(&format!("{date} {system}"), dashboard, &row["diagnostics"]);
            let diag = run(&["diag", "--system", system, "--date", date, "--json"]);
            let mut diag: Value = serde_json::from_slice(&diag.stdout).unwrap();
            // The strip leaves out the close (one more query per system);
            // `diag` carries it: every other figure is the same.
            assert!(
                diag["clv"].is_object(),
                "{date} {system}: diag has the close"
            );
            diag.as_object_mut()
                .unwrap()
                .insert("clv".into(), Value::Null);
            let diag = same_numbers::without_silences(&diag);
            same_numbers::assert_same(&format!("{date} {system} diag"), dashboard, &diag);
        }
        // The worst level is the worst row's, and the exit code says it.
        let worst = rows
            .iter()
            .map(|row| row["alert_level"].as_str().unwrap())
            .max_by_key(|level| {
                ["healthy", "info", "unknown", "warning", "critical"]
                    .iter()
                    .position(|l| l == level)
            })
            .unwrap();
        assert_eq!(cli["worst_level"], worst, "{date}");
    }
    // The outage day: the champion is not predicted while the others are.
    let output = run(&["systems", "--date", "2026-01-24"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("not predicted"), "{text}");
    assert_eq!(output.status.code(), Some(1), "worst is a warning: {text}");
}
