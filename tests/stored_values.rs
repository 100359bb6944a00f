//! No stored value can blind or fake the monitor (issue: Reliability, items
//! 1-3): a malformed `game_date`, a row dated in the future and a number
//! outside its domain, each written into an otherwise clean store, leave
//! every figure of `diag` (on the latest date, found as before) equal to the
//! figures of a copy without that row, and add one finding naming the row:
//! table, key, column and value.

#[path = "common/figures.rs"]
mod figures;

use figures::figures;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap()
}

fn diag(dir: &Path, store: &Path) -> Value {
    let output = run(dir, store, &["diag", "--json"]);
    assert!(
        output.status.code().is_some_and(|code| code <= 2),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// One stored-value case: the SQL that spoils the chosen row (`{row}` is
/// its rowid), and what the finding must name.
struct Case {
    name: &'static str,
    table: &'static str,
    spoil: &'static str,
    column: &'static str,
    value: &'static str,
}

const CASES: [Case; 11] = [
    Case {
        name: "month 13",
        table: "prediction_accuracy",
        spoil: "game_date = '2026-13-45'",
        column: "game_date",
        value: "2026-13-45",
    },
    Case {
        name: "a trailing space",
        table: "prediction_accuracy",
        spoil: "game_date = '2026-04-12 '",
        column: "game_date",
        value: "2026-04-12 ",
    },
    Case {
        name: "a timestamp",
        table: "prediction_accuracy",
        spoil: "game_date = '2026-04-12T00:00:00'",
        column: "game_date",
        value: "2026-04-12T00:00:00",
    },
    Case {
        name: "a future row",
        table: "prediction_accuracy",
        spoil: "game_date = '2099-01-01'",
        column: "game_date",
        value: "2099-01-01",
    },
    Case {
        name: "an absurd line",
        table: "prediction_accuracy",
        spoil: "line_value = 1e308",
        column: "line_value",
        value: "1e308",
    },
    Case {
        name: "a million points scored",
        table: "prediction_accuracy",
        spoil: "actual_points = 1000000",
        column: "actual_points",
        value: "1000000",
    },
    Case {
        name: "a negative prediction",
        table: "prediction_accuracy",
        spoil: "predicted_points = -999.9",
        column: "predicted_points",
        value: "-999.9",
    },
    Case {
        name: "an eleventh decile",
        table: "prediction_accuracy",
        spoil: "confidence_decile = 11",
        column: "confidence_decile",
        value: "11",
    },
    Case {
        name: "a quality of 500",
        table: "prediction_accuracy",
        spoil: "feature_quality_score = 500",
        column: "feature_quality_score",
        value: "500",
    },
    Case {
        name: "a player-game of a million points",
        table: "player_game_summary",
        spoil: "points = 1000000",
        column: "points",
        value: "1000000",
    },
    Case {
        name: "negative minutes",
        table: "player_game_summary",
        spoil: "minutes_played = -5",
        column: "minutes_played",
        value: "-5",
    },
];

/// The row each case spoils: a graded production row of the latest date,
/// or a player-game of a production player that day.
fn chosen_row(store: &Path, table: &str) -> i64 {
    let connection = rusqlite::Connection::open(store).unwrap();
    let sql = match table {
        "prediction_accuracy" => {
            "SELECT MIN(rowid) FROM prediction_accuracy
             WHERE game_date = '2026-04-12' AND system_id = 'catboost_v8'
               AND actual_points IS NOT NULL AND line_value IS NOT NULL"
        }
        _ => {
            "SELECT MIN(rowid) FROM player_game_summary
             WHERE game_date = '2026-04-10' AND minutes_played > 20"
        }
    };
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn each_bad_stored_value_is_named_and_every_figure_is_the_clean_copys() {
    let dir = tempfile::tempdir().unwrap();
    let built_store = dir.path().join("built.sqlite");
    let built = run(dir.path(), &built_store, &["demo", "--seasons", "1"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    for case in &CASES {
        let spoiled = dir.path().join("spoiled.sqlite");
        let clean = dir.path().join("clean.sqlite");
        std::fs::copy(&built_store, &spoiled).unwrap();
        std::fs::copy(&built_store, &clean).unwrap();
        let row = chosen_row(&built_store, case.table);
        rusqlite::Connection::open(&spoiled)
            .unwrap()
            .execute_batch(&format!(
                "UPDATE {} SET {} WHERE rowid = {row}",
                case.table, case.spoil
            ))
            .unwrap();
        rusqlite::Connection::open(&clean)
            .unwrap()
            .execute_batch(&format!("DELETE FROM {} WHERE rowid = {row}", case.table))
            .unwrap();

        let (with_row, without) = (diag(dir.path(), &spoiled), diag(dir.path(), &clean));
        assert_eq!(with_row["game_date"], "2026-04-12", "{}", case.name);
        assert_eq!(
            figures(&with_row),
            figures(&without),
            "{}: the figures moved",
            case.name
        );
        let skipped = &with_row["skipped_rows"];
        assert_eq!(skipped["count"], 1, "{}: {skipped}", case.name);
        assert_eq!(without["skipped_rows"]["count"], 0, "{}", case.name);
        let example = &skipped["examples"][0];
        assert_eq!(example["table"], case.table, "{}: {example}", case.name);
        assert_eq!(example["column"], case.column, "{}: {example}", case.name);
        assert_eq!(example["value"], case.value, "{}: {example}", case.name);
        let key = example["key"].as_str().unwrap();
        assert!(
            key.contains(&format!("rowid {row}")),
            "{}: {key}",
            case.name
        );
        let problem = example["problem"].as_str().unwrap();
        assert!(!problem.is_empty(), "{}", case.name);

        // The text names it too.
        let text = run(dir.path(), &spoiled, &["diag"]);
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("1 stored row left out"),
            "{}: {text}",
            case.name
        );
        assert!(text.contains(case.column), "{}: {text}", case.name);
    }
}

#[test]
fn a_future_row_never_becomes_the_default_date_of_any_command() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.sqlite");
    assert!(
        run(dir.path(), &store, &["demo", "--seasons", "1"])
            .status
            .success()
    );
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch(
            "INSERT INTO prediction_accuracy
               SELECT * FROM prediction_accuracy WHERE rowid = (SELECT MAX(rowid)
                 FROM prediction_accuracy WHERE system_id = 'catboost_v8');
             UPDATE prediction_accuracy SET game_date = '2099-01-01'
               WHERE rowid = (SELECT MAX(rowid) FROM prediction_accuracy);",
        )
        .unwrap();
    let all = run(dir.path(), &store, &["diag", "--all-systems", "--json"]);
    let all: Value = serde_json::from_slice(&all.stdout).unwrap();
    let dates: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["game_date"])
        .collect();
    assert!(dates.iter().all(|date| *date == "2026-04-12"), "{dates:?}");
    // `future_days` moves the limit: a year ahead is still not 2099.
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/config.yaml"), "future_days: 366\n").unwrap();
    let diag = diag(dir.path(), &store);
    assert_eq!(diag["game_date"], "2026-04-12");
    assert_eq!(diag["skipped_rows"]["count"], 1);
    assert!(
        diag["skipped_rows"]["examples"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("future_days 366"),
        "{}",
        diag["skipped_rows"]
    );
}
