//! One bad stored row never blinds the monitor (issue: Reliability): a
//! `prediction_accuracy` row whose `game_date` is `banana` and one whose
//! `predicted_points` is text are named (table, key, column, value), counted
//! as a data-quality finding, and every figure is computed from the rest, by
//! `diag` and by the dashboard's fetch alike.

use courtside::config::Thresholds;
use courtside::source::embedded::EmbeddedStore;
use courtside::tui::action::Selection;
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

#[test]
fn bad_rows_are_named_counted_and_left_out_while_the_rest_is_computed() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let built = run(dir.path(), &store, &["demo", "--seasons", "1"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let before: Value = serde_json::from_slice(
        &run(
            dir.path(),
            &store,
            &["diag", "--date", "2026-03-01", "--json"],
        )
        .stdout,
    )
    .unwrap();

    let connection = rusqlite::Connection::open(&store).unwrap();
    connection
        .execute_batch(
            "UPDATE prediction_accuracy SET game_date = 'banana'
               WHERE rowid = (SELECT MIN(rowid) FROM prediction_accuracy);
             UPDATE prediction_accuracy SET predicted_points = 'four'
               WHERE rowid = (SELECT MIN(rowid) FROM prediction_accuracy
                              WHERE game_date = '2026-03-01' AND system_id = 'catboost_v8'
                                AND actual_points IS NOT NULL);",
        )
        .unwrap();
    drop(connection);

    let output = run(
        dir.path(),
        &store,
        &["diag", "--date", "2026-03-01", "--json"],
    );
    let code = output.status.code().unwrap();
    assert!(
        code <= 2,
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        after["skipped_rows"]["count"], 2,
        "{}",
        after["skipped_rows"]
    );
    let examples = after["skipped_rows"]["examples"].as_array().unwrap();
    let described: Vec<String> = examples
        .iter()
        .map(|e| format!("{} {} {} {}", e["table"], e["key"], e["column"], e["value"]))
        .collect();
    assert!(
        described
            .iter()
            .any(|d| d.contains("game_date") && d.contains("banana")),
        "{described:?}"
    );
    assert!(
        described
            .iter()
            .any(|d| d.contains("predicted_points") && d.contains("four") && d.contains("rowid")),
        "{described:?}"
    );
    assert_ne!(after["alert_level"], "unknown");
    // The rest is computed: one graded row fewer at most on the day's windows.
    let bets = |v: &Value| v["bets_7d"].as_u64().unwrap();
    assert!(
        bets(&after) > 100 && bets(&before) - bets(&after) <= 1,
        "{before} {after}"
    );

    // The text names the rows; the latest date is still found.
    let text = run(dir.path(), &store, &["diag"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("2 stored rows left out"), "{text}");
    assert!(
        text.contains("game_date = 'banana' is not a date"),
        "{text}"
    );
    assert!(text.contains("on 2026-04-12"), "{text}");

    // The dashboard's fetch computes from the rest too.
    let source = EmbeddedStore::open(&store).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dashboard = runtime
        .block_on(courtside::tui::data::load_dashboard(
            &source,
            &Selection {
                date: "2026-03-01".parse().unwrap(),
                system: "catboost_v8".to_string(),
            },
            &Thresholds::default(),
        ))
        .unwrap();
    assert_eq!(dashboard.diagnostics.skipped_rows.count, 2);
    assert_eq!(dashboard.diagnostics.drift.hit_rate_7d.n, bets(&after));
}
