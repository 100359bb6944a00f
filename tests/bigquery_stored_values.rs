//! Stored values are checked when read on BigQuery too (issue: Reliability,
//! items 2-3): a row dated in the future and numbers outside their domains
//! (a line of 9999.9, a million points scored, a player-game of a million
//! points; NUMERIC(5,1) and INT64 hold them) change no figure of `diag` from
//! a copy without those rows, and each is named. Bad dates cannot be stored
//! there (`game_date` is a DATE); the embedded store's cases are in
//! `stored_values.rs`.

#[path = "common/emulator.rs"]
mod emulator;

#[path = "common/figures.rs"]
mod figures;

use courtside::source::embedded::EmbeddedStore;
use figures::figures;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn courtside(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .expect("run courtside")
}

/// `left` equals `right`, numbers to a relative 1e-9.
fn assert_close(left: &Value, right: &Value, at: &str) {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
                "{at}: {a} vs {b}"
            );
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (key, value) in a {
                assert_close(value, &b[key], &format!("{at}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}");
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                assert_close(x, y, &format!("{at}[{index}]"));
            }
        }
        _ => assert_eq!(left, right, "{at}"),
    }
}

/// The spoiled rows: (table, the row chosen, the change).
const SPOILS: [(&str, &str, &str); 4] = [
    (
        "prediction_accuracy",
        "game_date = '2026-04-12' AND system_id = 'catboost_v8' AND line_value IS NOT NULL",
        "line_value = 9999.9",
    ),
    (
        "prediction_accuracy",
        "game_date = '2026-04-11' AND system_id = 'catboost_v8' AND actual_points IS NOT NULL",
        "actual_points = 1000000",
    ),
    (
        "prediction_accuracy",
        "game_date = '2026-04-10' AND system_id = 'catboost_v8' AND actual_points IS NOT NULL",
        "game_date = '2099-01-01'",
    ),
    (
        "player_game_summary",
        "game_date = '2026-04-09' AND minutes_played > 20",
        "points = 1000000",
    ),
];

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn bad_stored_values_on_bigquery_are_named_and_change_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built.sqlite");
    let output = courtside(
        dir.path(),
        &["--store", built.to_str().unwrap(), "demo", "--seasons", "1"],
    );
    assert!(output.status.success(), "{output:?}");
    // A shorter season loads faster; both copies hold the same rows.
    let connection = rusqlite::Connection::open(&built).unwrap();
    connection
        .execute_batch(
            "DELETE FROM prediction_accuracy WHERE game_date < '2026-02-15';
             DELETE FROM player_game_summary WHERE game_date < '2025-11-15';
             DELETE FROM backtest_predictions;
             DELETE FROM player_prop_predictions WHERE game_date < '2026-03-01';
             DELETE FROM upcoming_player_game_context WHERE game_date < '2026-03-01';",
        )
        .unwrap();
    let rows: Vec<(String, i64, String)> = SPOILS
        .iter()
        .map(|(table, chosen, change)| {
            let row = connection
                .query_row(
                    &format!("SELECT MIN(rowid) FROM {table} WHERE {chosen}"),
                    [],
                    |row| row.get(0),
                )
                .unwrap();
            (table.to_string(), row, change.to_string())
        })
        .collect();
    drop(connection);
    let spoiled = dir.path().join("spoiled.sqlite");
    let clean = dir.path().join("clean.sqlite");
    std::fs::copy(&built, &spoiled).unwrap();
    std::fs::copy(&built, &clean).unwrap();
    for (table, row, change) in &rows {
        rusqlite::Connection::open(&spoiled)
            .unwrap()
            .execute_batch(&format!("UPDATE {table} SET {change} WHERE rowid = {row}"))
            .unwrap();
        rusqlite::Connection::open(&clean)
            .unwrap()
            .execute_batch(&format!("DELETE FROM {table} WHERE rowid = {row}"))
            .unwrap();
    }

    let runtime = emulator::runtime();
    let mut answers = Vec::new();
    for (name, path) in [("spoiled", &spoiled), ("clean", &clean)] {
        let config = runtime.block_on(async {
            let (config, source) = emulator::fresh(name).await;
            let store = EmbeddedStore::open(path).unwrap();
            emulator::load_from(&store, &source).await;
            config
        });
        let file = emulator::write_config(&config, dir.path(), &format!("{name}.yaml"));
        let output = courtside(
            dir.path(),
            &["--config", file.to_str().unwrap(), "diag", "--json"],
        );
        assert!(
            output.status.code().is_some_and(|code| code <= 2),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        answers.push(serde_json::from_slice::<Value>(&output.stdout).unwrap());
    }
    let (with_rows, without) = (&answers[0], &answers[1]);
    assert_eq!(with_rows["game_date"], "2026-04-12");
    // BigQuery sums in no fixed order: equal to the last few bits.
    assert_close(
        &Value::Object(figures(with_rows)),
        &Value::Object(figures(without)),
        "diag",
    );
    assert_eq!(without["skipped_rows"]["count"], 0);
    let skipped = &with_rows["skipped_rows"];
    assert_eq!(skipped["count"], 4, "{skipped}");
    let named: Vec<String> = skipped["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            format!(
                "{} {} {} {}",
                row["table"].as_str().unwrap(),
                row["key"].as_str().unwrap(),
                row["column"].as_str().unwrap(),
                row["value"].as_str().unwrap()
            )
        })
        .collect();
    for wanted in [
        ("prediction_accuracy", "line_value", "9999.9"),
        ("prediction_accuracy", "actual_points", "1000000"),
        ("prediction_accuracy", "game_date", "2099-01-01"),
        ("player_game_summary", "points", "1000000"),
    ] {
        assert!(
            named.iter().any(|line| line.starts_with(wanted.0)
                && line.contains(wanted.1)
                && line.contains(wanted.2)
                && line.contains("player_lookup")),
            "{wanted:?} not named: {named:#?}"
        );
    }
}
