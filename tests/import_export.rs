//! `courtside import` and `courtside export` through the real binary: good
//! CSV and NDJSON files load (ARRAY, STRUCT and JSON columns included), every
//! table of the demo store survives export -> import -> export unchanged, and
//! every bad file is refused with one line naming file, line and column while
//! the store keeps exactly the rows it had.

#[path = "common/transfer.rs"]
mod transfer;

use courtside::source::Source;
use courtside::source::embedded::EmbeddedStore;
use courtside::transfer::TableKind;
use std::process::Command;
use transfer::*;
#[test]
fn good_csv_import_into_an_empty_store_builds_no_demo() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_predictions(dir.path());
    let counts = counts(&store);
    assert_eq!(
        counts,
        vec![
            ("prediction_accuracy".to_string(), 3),
            ("player_game_summary".to_string(), 0),
            ("ml_feature_store_v2".to_string(), 0),
            ("performance_diagnostics_daily".to_string(), 0),
            ("ml_experiments".to_string(), 0),
            ("ml_experiment_events".to_string(), 0),
            ("backtest_predictions".to_string(), 0),
            ("model_registry".to_string(), 0),
            ("player_prop_predictions".to_string(), 0),
            ("nbac_schedule".to_string(), 0),
            ("odds_api_player_points_props".to_string(), 0),
            ("upcoming_player_game_context".to_string(), 0),
            // The schema version and the courtside that made the store.
            ("courtside_meta".to_string(), 2),
        ]
    );
    // Stored as the typed writers store them, so every query reads them.
    let connection = rusqlite::Connection::open(&store).unwrap();
    let (date, graded, correct, points, line): (String, String, i64, f64, String) = connection
        .query_row(
            "SELECT game_date, graded_at, prediction_correct, predicted_points, line_source
             FROM prediction_accuracy ORDER BY rowid LIMIT 1",
            [],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (
            date.as_str(),
            graded.as_str(),
            correct,
            points,
            line.as_str()
        ),
        (
            "2026-01-05",
            "2026-01-05T07:30:00.000Z",
            1,
            27.5,
            "ACTUAL_PROP"
        )
    );
    let exported = ok(dir.path(), &store, &["export", "prediction_accuracy"]);
    let mut lines = exported.lines();
    assert_eq!(lines.next(), Some(PREDICTION_HEADER));
    assert_eq!(
        lines.next(),
        Some(
            "jaysontatum,20260105_LAL_BOS,2026-01-05,catboost_v8,LAL,BOS,27.5,0.812,9,OVER,24.5,31,\
             36.2,3.5,-3.5,true,3.0,6.5,false,true,true,ACTUAL_PROP,,true,DRAFTKINGS,false,,91.25,\
             false,catboost_v8.3,2026-01-05T07:30:00Z"
        )
    );
}

#[test]
fn good_ndjson_import_with_quoted_integers_and_numerics() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.sqlite");
    // As BigQuery writes NEWLINE_DELIMITED_JSON: INT64 and NUMERIC quoted, nulls omitted or null.
    let file = write(
        dir.path(),
        "picks.json",
        concat!(
            r#"{"player_lookup":"lebronjames","game_id":"20260105_LAL_BOS","game_date":"2026-01-05","system_id":"catboost_v8","predicted_points":"27.5","confidence_decile":"9","recommendation":"UNDER","line_value":"28.5","actual_points":"22","prediction_correct":true,"is_voided":false,"graded_at":"2026-01-06 07:30:00.123456+00"}"#,
            "\n",
            r#"{"player_lookup":"jaysontatum","game_id":"20260105_LAL_BOS","game_date":"2026-01-05","system_id":"catboost_v8","predicted_points":30.1,"confidence_decile":4,"recommendation":"PASS","line_value":null,"actual_points":28,"prediction_correct":null,"line_source":"NO_PROP_LINE","graded_at":"2026-01-06T07:30:00Z"}"#,
            "\n"
        ),
    );
    let out = ok(
        dir.path(),
        &store,
        &[
            "import",
            "nba_predictions.prediction_accuracy",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.trim(),
        "imported 2 rows into prediction_accuracy from 1 file"
    );
    let exported = ok(
        dir.path(),
        &store,
        &["export", "prediction_accuracy", "--format", "ndjson"],
    );
    let rows: Vec<serde_json::Value> = exported
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    let lebron = &rows[1];
    assert_eq!(lebron["player_lookup"], "lebronjames");
    assert_eq!(lebron["confidence_decile"], 9);
    assert_eq!(lebron["actual_points"], 22);
    assert_eq!(lebron["predicted_points"], 27.5);
    assert_eq!(lebron["prediction_correct"], true);
    assert_eq!(lebron["team_abbr"], serde_json::Value::Null);
    // The store keeps milliseconds.
    assert_eq!(lebron["graded_at"], "2026-01-06T07:30:00.123Z");
    assert_eq!(rows[0]["line_value"], serde_json::Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn experiments_with_array_struct_and_json_columns_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("store.sqlite");
    let csv = write(
        dir,
        "experiments.csv",
        format!(
            "{EXPERIMENT_HEADER}\n\
             0f9c2a52-1111-4c3e-9a0b-000000000001,FEB_2026_RECENCY_60,\"60-day half-life, \"\"recency\"\"\",walk_forward,\
             \"[\"\"february-2026\"\",\"\"recency-test\"\"]\",\
             \"{{\"\"model\"\":{{\"\"type\"\":\"\"catboost\"\",\"\"version\"\":\"\"v9\"\"}}}}\",\
             \"{{\"\"start_date\"\":\"\"2021-11-01\"\",\"\"end_date\"\":\"\"2026-01-31\"\",\"\"samples\"\":41234}}\",\
             \"{{\"\"start_date\"\":\"\"2026-02-01\"\",\"\"end_date\"\":\"\"2026-02-15\"\",\"\"samples\"\":\"\"2210\"\"}}\",\
             \"{{\"\"overall\"\":{{\"\"mae\"\":4.81,\"\"hit_rate\"\":0.583,\"\"roi\"\":0.11,\"\"samples\"\":2210}}}}\",\
             gs://models/feb.cbm,0123456789abcdef,,completed,2026-02-16 09:00:00 UTC,2026-02-16 10:30:00 UTC,ml@example.com\n"
        ),
    );
    let ndjson = write(
        dir,
        "experiments.ndjson",
        concat!(
            r#"{"experiment_id":"0f9c2a52-1111-4c3e-9a0b-000000000002","experiment_name":"FEB_2026_RECENCY_90","hypothesis":null,"experiment_type":"ablation","tags":["recency"],"config_json":"{\"model\":{\"type\":\"catboost\"}}","train_period":{"start_date":"2021-11-01","end_date":"2026-01-31","samples":"41000"},"eval_period":null,"results_json":{"overall":{"hit_rate":0.55,"samples":1800}},"parent_experiment_id":"0f9c2a52-1111-4c3e-9a0b-000000000001","status":"running","created_at":"2026-02-17T08:00:00Z"}"#,
            "\n"
        ),
    );
    let out = ok(
        dir,
        &store,
        &[
            "import",
            "ml_experiments",
            csv.to_str().unwrap(),
            ndjson.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.trim(),
        "imported 2 rows into ml_experiments from 2 files"
    );

    // The registry's own reader understands what was imported.
    let source = EmbeddedStore::open(&store).unwrap();
    let experiments = source.experiments().await.unwrap();
    assert_eq!(experiments.len(), 2);
    let first = experiments
        .iter()
        .find(|e| e.experiment_name == "FEB_2026_RECENCY_60")
        .unwrap();
    assert_eq!(first.tags, vec!["february-2026", "recency-test"]);
    assert_eq!(
        first.hypothesis.as_deref(),
        Some("60-day half-life, \"recency\"")
    );
    assert_eq!(first.config_json["model"]["version"], "v9");
    let eval = first.eval_period.unwrap();
    assert_eq!(eval.samples, Some(2210));
    assert_eq!(
        eval.start_date.map(|d| d.to_string()).as_deref(),
        Some("2026-02-01")
    );
    assert_eq!(
        first.results_json.as_ref().unwrap()["overall"]["hit_rate"],
        0.583
    );
    let second = experiments
        .iter()
        .find(|e| e.experiment_name == "FEB_2026_RECENCY_90")
        .unwrap();
    assert_eq!(second.config_json["model"]["type"], "catboost");
    assert_eq!(second.train_period.unwrap().samples, Some(41000));
    assert_eq!(second.eval_period, None);
    assert_eq!(second.status, "running");

    // Export in both formats and load each into a fresh store: the same text back.
    for format in ["csv", "ndjson"] {
        let exported = ok(
            dir,
            &store,
            &["export", "ml_experiments", "--format", format],
        );
        let file = write(dir, &format!("again.{format}"), &exported);
        let fresh = dir.join(format!("fresh-{format}.sqlite"));
        ok(
            dir,
            &fresh,
            &["import", "ml_experiments", file.to_str().unwrap()],
        );
        let again = ok(
            dir,
            &fresh,
            &["export", "ml_experiments", "--format", format],
        );
        assert_eq!(again, exported, "{format}");
    }
}

#[test]
fn every_table_survives_export_and_import_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let demo = demo_store(dir);
    // The demo has no model registry (its roles come from the config): one
    // row of the team's shape, so that every table travels.
    rusqlite::Connection::open(&demo)
        .unwrap()
        .execute(
            "INSERT INTO model_registry (model_id, model_version, status, is_production, enabled,
                 evaluation_hit_rate, training_start_date, created_at, notes)
             VALUES ('catboost_v8', 'v8.3', 'production', 1, 1, 0.571, '2024-11-02',
                 '2025-10-01T12:00:00.000Z', 'champion')",
            [],
        )
        .unwrap();
    for format in ["csv", "ndjson"] {
        let fresh = dir.join(format!("fresh-{format}.sqlite"));
        for table in TableKind::ALL {
            let file = dir.join(format!("{}.{format}", table.name()));
            let out = ok(
                dir,
                &demo,
                &["export", table.name(), "--output", file.to_str().unwrap()],
            );
            let rows = count(&demo, table);
            assert!(rows > 0, "{table}: the demo has rows");
            assert_eq!(
                out.trim(),
                format!(
                    "exported {rows} row{} of {table} to {}",
                    if rows == 1 { "" } else { "s" },
                    file.display()
                )
            );
            let out = ok(
                dir,
                &fresh,
                &["import", table.name(), file.to_str().unwrap()],
            );
            assert_eq!(
                out.trim(),
                format!(
                    "imported {rows} row{} into {table} from 1 file",
                    if rows == 1 { "" } else { "s" }
                )
            );
            let first = std::fs::read_to_string(&file).unwrap();
            let again = ok(dir, &fresh, &["export", table.name(), "--format", format]);
            assert!(
                again == first,
                "{table} ({format}): export differs after the round trip"
            );
        }
        let mut demo_counts = counts(&demo);
        let mut fresh_counts = counts(&fresh);
        demo_counts.pop();
        fresh_counts.pop();
        assert_eq!(fresh_counts, demo_counts, "{format}");
    }
}

/// Every bad file: refused with file, line and column, and the store keeps
/// exactly the rows it had, also when a good file comes first.
#[test]
fn config_names_tables_and_bigquery_sources_still_import_into_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("store.sqlite");
    let config = write(
        dir,
        "config.yaml",
        "source:\n  kind: bigquery\n  bigquery:\n    project: team-project\ntables:\n  prediction_accuracy: team_ds.graded_picks\n",
    );
    let file = write(
        dir,
        "picks.csv",
        predictions_csv(&[prediction_line("a", "g", "2026-01-06", "catboost_v8")]),
    );
    let output = courtside(
        dir,
        &[
            "--config",
            config.to_str().unwrap(),
            "--store",
            store.to_str().unwrap(),
            "import",
            "graded_picks",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).trim(),
        "imported 1 row into prediction_accuracy from 1 file"
    );
    assert!(
        text(&output.stderr).contains("source.kind is bigquery"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(count(&store, TableKind::PredictionAccuracy), 1);
}

#[cfg(unix)]
#[test]
fn export_writes_into_a_pipe_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store_with_predictions(dir);
    let fifo = dir.join("rows.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = ok(
        dir,
        &store,
        &[
            "export",
            "prediction_accuracy",
            "--format",
            "ndjson",
            "--output",
            fifo.to_str().unwrap(),
        ],
    );
    assert!(out.starts_with("exported 3 rows"), "{out}");
    // Renaming over the pipe would have replaced it (and left the reader waiting).
    let kind = std::fs::metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "still a pipe");
    let rows = reader.join().unwrap();
    assert_eq!(rows.lines().count(), 3);
    assert!(!dir.join(".rows.fifo.partial").exists());

    // A directory is refused.
    let output = courtside(
        dir,
        &[
            "--store",
            store.to_str().unwrap(),
            "export",
            "prediction_accuracy",
            "--output",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr).trim().lines().count(), 1);
}

#[test]
fn an_import_of_predictions_leaves_their_day_sums_kept_for_the_next_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.sqlite");
    let good = write(
        dir.path(),
        "good.csv",
        predictions_csv(&[
            prediction_line(
                "lebronjames",
                "20260105_LAL_BOS",
                "2026-01-05",
                "catboost_v8",
            ),
            prediction_line(
                "jaysontatum",
                "20260107_BOS_NYK",
                "2026-01-07",
                "catboost_v8",
            ),
        ]),
    );
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store.to_str().unwrap(),
            "import",
            "prediction_accuracy",
            good.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).trim(),
        "imported 2 rows into prediction_accuracy from 1 file"
    );
    let note = text(&output.stderr);
    assert!(
        note.contains("day sums kept for 2026-01-05 to 2026-01-07"),
        "{note}"
    );
    let kept = |store: &std::path::Path| -> (Vec<String>, i64, i64) {
        let connection = rusqlite::Connection::open(store).unwrap();
        let dates = connection
            .prepare("SELECT game_date FROM courtside_day_done ORDER BY game_date")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<String>>>()
            .unwrap();
        let cells = connection
            .query_row("SELECT COUNT(*) FROM courtside_day_cells", [], |row| {
                row.get(0)
            })
            .unwrap();
        let generation = connection
            .query_row("SELECT generation FROM courtside_day_params", [], |row| {
                row.get(0)
            })
            .unwrap();
        (dates, cells, generation)
    };
    let (dates, cells, generation) = kept(&store);
    // The day between holds no rows and is kept too, as empty.
    assert_eq!(dates, ["2026-01-05", "2026-01-06", "2026-01-07"]);
    assert!(cells >= 2, "{cells} kept cells");
    // The next read asks with the same thresholds: it reads them, nothing
    // is dropped or computed again.
    let read = courtside(
        dir.path(),
        &[
            "--store",
            store.to_str().unwrap(),
            "diag",
            "--date",
            "2026-01-07",
            "--json",
        ],
    );
    // Two rows are too few for a verdict: `unknown` is exit 3, with a report.
    assert!(
        read.status.code().is_some_and(|code| code <= 3) && !read.stdout.is_empty(),
        "{}",
        text(&read.stderr)
    );
    assert_eq!(kept(&store), (dates, cells, generation));
}

#[test]
fn a_second_import_waits_its_turn_behind_a_writer_instead_of_failing() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_predictions(dir.path());
    // Another writer holds the store's write lock for 12 s, past the 10 s
    // a read waits.
    let (locked, lock_held) = std::sync::mpsc::channel();
    let holder = {
        let store = store.clone();
        std::thread::spawn(move || {
            let connection = rusqlite::Connection::open(&store).unwrap();
            connection.execute_batch("BEGIN IMMEDIATE").unwrap();
            locked.send(()).unwrap();
            std::thread::sleep(Duration::from_secs(12));
            connection.execute_batch("COMMIT").unwrap();
        })
    };
    lock_held.recv().unwrap();
    let more = write(
        dir.path(),
        "more.csv",
        predictions_csv(&[prediction_line(
            "anthonydavis",
            "20260105_LAL_BOS",
            "2026-01-05",
            "catboost_v8",
        )]),
    );
    let started = Instant::now();
    let output = courtside(
        dir.path(),
        &[
            "--store",
            store.to_str().unwrap(),
            "import",
            "prediction_accuracy",
            more.to_str().unwrap(),
        ],
    );
    let message = text(&output.stderr);
    assert!(output.status.success(), "{message}");
    assert!(
        started.elapsed() >= Duration::from_secs(10),
        "it waited for the lock: {:?}",
        started.elapsed()
    );
    assert_eq!(
        message
            .matches("waiting for another import to finish")
            .count(),
        1,
        "said once: {message}"
    );
    assert_eq!(
        text(&output.stdout).trim(),
        "imported 1 row into prediction_accuracy from 1 file"
    );
    holder.join().unwrap();
    assert_eq!(count(&store, TableKind::PredictionAccuracy), 4);
}
