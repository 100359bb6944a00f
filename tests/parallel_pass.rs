//! A day-stats pass split across cores (`COURTSIDE_PASS_CORES`) gives
//! exactly what one core gives: the same figures for every date and system,
//! and the same skipped rows, each reported once with the same examples,
//! whichever core met them and in whichever chunk they lie.

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const KEPT_TABLES: [&str; 4] = [
    "courtside_day_done",
    "courtside_day_cells",
    "courtside_day_systems",
    "courtside_day_quality",
];

/// Runs the binary on `cores` cores after dropping the kept day sums, so
/// every run is a whole pass; its JSON lines without their `computed_at`.
fn run(dir: &Path, store: &Path, cores: &str, args: &[&str]) -> Vec<Value> {
    let connection = rusqlite::Connection::open(store).unwrap();
    for table in KEPT_TABLES {
        connection
            .execute(&format!("DELETE FROM {table}"), [])
            .unwrap();
    }
    drop(connection);
    let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("COURTSIDE_PASS_CORES", cores)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap();
    // 3 is a system's `unknown` day (diag), not a failure, when it prints.
    assert!(
        output.status.code().is_some_and(|code| code <= 3) && !output.stdout.is_empty(),
        "{args:?} on {cores} cores: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut objects = Vec::new();
    for value in serde_json::Deserializer::from_slice(&output.stdout).into_iter::<Value>() {
        match value.unwrap() {
            Value::Array(list) => objects.extend(list),
            other => objects.push(other),
        }
    }
    for object in &mut objects {
        if let Some(object) = object.as_object_mut() {
            object.remove("computed_at");
        }
    }
    objects
}

#[test]
fn a_pass_on_four_cores_equals_a_pass_on_one_bad_rows_included() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("split.sqlite");
    generate::generate(&store, 365 * 4 * 12, true);
    // Bad rows in different chunks of the year, in both tables, and stray
    // date values that sort between real dates and after them all.
    let connection = rusqlite::Connection::open(&store).unwrap();
    let first = generate::first_day();
    let mut bad = 0;
    for offset in [3u64, 120, 240, 360] {
        let day = (first + chrono::Days::new(offset))
            .format("%Y-%m-%d")
            .to_string();
        bad += connection
            .execute(
                "UPDATE prediction_accuracy SET predicted_points = 'four'
                 WHERE rowid = (SELECT MIN(rowid) FROM prediction_accuracy
                                WHERE game_date = ?1 AND actual_points IS NOT NULL)",
                [&day],
            )
            .unwrap();
        bad += connection
            .execute(
                "UPDATE player_game_summary SET minutes_played = 'lots'
                 WHERE rowid = (SELECT MIN(rowid) FROM player_game_summary WHERE game_date = ?1)",
                [&day],
            )
            .unwrap();
    }
    for stray in ["2025-06-31", "banana"] {
        bad += connection
            .execute(
                "UPDATE prediction_accuracy SET game_date = ?1
                 WHERE rowid = (SELECT MAX(rowid) FROM prediction_accuracy
                                WHERE game_date NOT IN ('2025-06-31', 'banana'))",
                [stray],
            )
            .unwrap();
    }
    assert_eq!(bad, 10);
    drop(connection);

    let (from, to) = (
        first.format("%Y-%m-%d").to_string(),
        generate::last_day().format("%Y-%m-%d").to_string(),
    );
    let backfill = [
        "backfill",
        "--from",
        &from,
        "--to",
        &to,
        "--all-systems",
        "--json",
    ];
    let one = run(dir.path(), &store, "1", &backfill);
    let four = run(dir.path(), &store, "4", &backfill);
    assert_eq!(
        one.len(),
        365 * generate::SYSTEMS.len(),
        "a line per date and system"
    );
    assert!(one == four, "backfill differs between one core and four");

    let diag = ["diag", "--all-systems", "--date", &to, "--json"];
    let one = run(dir.path(), &store, "1", &diag);
    let four = run(dir.path(), &store, "4", &diag);
    assert_eq!(one.len(), generate::SYSTEMS.len(), "a report per system");
    assert!(one == four, "diag differs between one core and four");
    let skipped = &one[0]["skipped_rows"];
    assert!(
        skipped["count"].as_u64().is_some_and(|count| count >= 2),
        "{skipped}"
    );
    let examples = skipped["examples"].as_array().unwrap();
    assert!(
        examples.iter().any(|e| e["value"] == "2025-06-31"),
        "{skipped}"
    );
    assert!(
        examples.iter().any(|e| e["column"] == "minutes_played"),
        "{skipped}"
    );
}
