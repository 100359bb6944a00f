//! One bad stored row never blinds the monitor (issue: Reliability): a
//! `prediction_accuracy` row whose `game_date` is `banana` and one whose
//! `predicted_points` is text are named (table, key, column, value), counted
//! as a data-quality finding, and every figure is computed from the rest, by
//! `diag` and by the dashboard's fetch alike.

#[path = "common/figures.rs"]
mod figures;

use courtside::config::Thresholds;
use courtside::source::embedded::EmbeddedStore;
use courtside::tui::action::Selection;
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
    assert!(text.contains("game_date = 'banana': not a date"), "{text}");
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
            "catboost_v8",
            &Thresholds::default(),
        ))
        .unwrap();
    assert_eq!(dashboard.diagnostics.skipped_rows.count, 2);
    assert_eq!(dashboard.diagnostics.drift.hit_rate_7d.n, bets(&after));
}

#[test]
fn one_percent_of_rows_corrupted_gives_the_clean_numbers_and_a_factor_naming_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let corrupted = dir.path().join("corrupted.sqlite");
    let built = run(dir.path(), &corrupted, &["demo", "--seasons", "1"]);
    assert!(built.status.success());
    let clean = dir.path().join("clean.sqlite");
    std::fs::copy(&corrupted, &clean).unwrap();

    // 1% of the rows of the 30 days up to the date, spread over six columns
    // of both tables; the clean store holds the same data without them.
    // (`diag` reads the production system's predictions only.)
    let window = "game_date BETWEEN '2026-01-31' AND '2026-03-01' AND rowid % 100 = 7";
    let predictions_window = format!("{window} AND system_id = 'catboost_v8'");
    let corrupt = format!(
        "UPDATE prediction_accuracy SET game_date = 'banana' WHERE {predictions_window} AND rowid % 600 = 7;
         UPDATE prediction_accuracy SET predicted_points = 'four' WHERE {predictions_window} AND rowid % 600 = 107;
         UPDATE prediction_accuracy SET actual_points = 'lots' WHERE {predictions_window} AND rowid % 600 = 207;
         UPDATE prediction_accuracy SET line_value = x'00ff' WHERE {predictions_window} AND rowid % 600 = 307;
         UPDATE prediction_accuracy SET confidence_decile = 'high' WHERE {predictions_window} AND rowid % 600 = 407;
         UPDATE prediction_accuracy SET feature_quality_score = 'good' WHERE {predictions_window} AND rowid % 600 = 507;
         UPDATE player_game_summary SET points = 'many' WHERE {window} AND rowid % 200 = 7;
         UPDATE player_game_summary SET minutes_played = '??' WHERE {window} AND rowid % 200 = 107;"
    );
    let connection = rusqlite::Connection::open(&corrupted).unwrap();
    let count = |table: &str, rows: &str| -> u64 {
        connection
            .query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE {rows}"),
                [],
                |row| row.get(0),
            )
            .unwrap()
    };
    let (predictions, player_games) = (
        count("prediction_accuracy", &predictions_window),
        count("player_game_summary", window),
    );
    assert!(
        predictions > 50 && player_games > 50,
        "{predictions} {player_games}"
    );
    connection.execute_batch(&corrupt).unwrap();
    drop(connection);
    let connection = rusqlite::Connection::open(&clean).unwrap();
    connection
        .execute_batch(&format!(
            "DELETE FROM prediction_accuracy WHERE {predictions_window};
             DELETE FROM player_game_summary WHERE {window};"
        ))
        .unwrap();
    drop(connection);

    let diag = |store: &Path| -> Value {
        let output = run(
            dir.path(),
            store,
            &["diag", "--date", "2026-03-01", "--json"],
        );
        assert!(
            output.status.code().unwrap() <= 2,
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let (with_bad_rows, without) = (diag(&corrupted), diag(&clean));
    let skipped = predictions + player_games;
    assert_eq!(with_bad_rows["skipped_rows"]["count"], skipped);
    assert_eq!(without["skipped_rows"]["count"], 0);
    assert_eq!(figures(&with_bad_rows), figures(&without));
    // A 1% share alone is below what a cause needs: the clean day's cause
    // stands, or a day without one says normal variance with the factor named.
    assert!(
        with_bad_rows["primary_cause"] == without["primary_cause"]
            || (without["primary_cause"] == "none"
                && with_bad_rows["primary_cause"] == "normal_variance"),
        "{} vs {}",
        with_bad_rows["primary_cause"],
        without["primary_cause"]
    );

    // The factors are the clean ones plus one naming the count and tables.
    let factors = |diag: &Value| -> Vec<Value> {
        diag["contributing_factors"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let (mut bad, good) = (factors(&with_bad_rows), factors(&without));
    let position = bad
        .iter()
        .position(|f| {
            f["details"]
                .as_str()
                .unwrap()
                .contains("stored rows left out")
        })
        .expect("a skipped-rows factor");
    let factor = bad.remove(position);
    assert_eq!(bad, good);
    assert_eq!(factor["factor"], "data_quality");
    let details = factor["details"].as_str().unwrap();
    assert!(
        details.starts_with(&format!("{skipped} stored rows left out")),
        "{details}"
    );
    assert!(
        details.contains("prediction_accuracy") && details.contains("player_game_summary"),
        "{details}"
    );
}

#[test]
fn backfill_and_history_name_the_rows_they_leave_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let ok = |args: &[&str]| -> Output {
        let output = run(dir.path(), &store, args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };
    ok(&["demo", "--seasons", "1"]);
    let range = ["--from", "2026-02-25", "--to", "2026-03-01"];
    let mut persist = vec!["backfill", "--persist"];
    persist.extend(range);
    ok(&persist);
    let mut history = vec!["history", "--system", "catboost_v8"];
    history.extend(range);
    let shown = String::from_utf8_lossy(&ok(&history).stdout).to_string();
    assert!(shown.contains("2026-02-27 catboost_v8"), "{shown}");

    let connection = rusqlite::Connection::open(&store).unwrap();
    connection
        .execute_batch(
            "UPDATE prediction_accuracy SET game_date = 'banana'
               WHERE rowid = (SELECT MIN(rowid) FROM prediction_accuracy);
             UPDATE prediction_accuracy SET predicted_points = 'four'
               WHERE rowid = (SELECT MIN(rowid) FROM prediction_accuracy
                              WHERE game_date = '2026-03-01' AND system_id = 'catboost_v8'
                                AND actual_points IS NOT NULL);
             UPDATE performance_diagnostics_daily SET hit_rate_7d = 'abc'
               WHERE game_date = '2026-02-27' AND system_id = 'catboost_v8';",
        )
        .unwrap();
    drop(connection);

    // backfill's text: the range's left-out rows named once, on stderr.
    let mut backfill = vec!["backfill"];
    backfill.extend(range);
    let output = ok(&backfill);
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(err.matches("2 stored rows left out").count(), 1, "{err}");
    assert_eq!(
        err.matches("game_date = 'banana': not a date").count(),
        1,
        "{err}"
    );
    assert_eq!(err.matches("predicted_points = 'four'").count(), 1, "{err}");
    assert!(out.lines().count() >= 4, "{out}");
    assert!(
        !out.contains("left out"),
        "stdout stays one line per day: {out}"
    );

    // history: the row that does not read is left out and named; the rest shown.
    let output = ok(&history);
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        err.contains(
            "performance_diagnostics_daily row game_date 2026-02-27, system_id catboost_v8: column hit_rate_7d holds"
        ) && err.contains("'abc'")
            && err.contains("the row is left out"),
        "{err}"
    );
    assert!(!out.contains("2026-02-27"), "{out}");
    assert_eq!(out.lines().count(), shown.lines().count() - 1, "{out}");
}
