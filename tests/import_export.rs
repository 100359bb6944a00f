//! `courtside import` and `courtside export` through the real binary: good
//! CSV and NDJSON files load (ARRAY, STRUCT and JSON columns included), every
//! table of the demo store survives export -> import -> export unchanged, and
//! every bad file is refused with one line naming file, line and column while
//! the store keeps exactly the rows it had.

use courtside::source::Source;
use courtside::source::embedded::EmbeddedStore;
use courtside::transfer::TableKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("NO_COLOR")
        .env_remove("COURTSIDE_SLACK_WEBHOOK")
        .output()
        .expect("run courtside")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Runs `courtside --store STORE ARGS…` and insists it succeeds.
fn ok(dir: &Path, store: &Path, args: &[&str]) -> String {
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = courtside(dir, &all);
    assert!(
        output.status.success(),
        "courtside {all:?}: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// Runs `courtside --store STORE import TABLE FILES…` and insists it fails
/// with one line on stderr; returns that line.
fn refused(dir: &Path, store: &Path, table: &str, files: &[&Path]) -> String {
    let mut args = vec!["--store", store.to_str().unwrap(), "import", table];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let output = courtside(dir, &args);
    let message = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {message}");
    assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
    assert!(text(&output.stdout).is_empty(), "{}", text(&output.stdout));
    message.trim().to_string()
}

/// Row counts of every table (and of the demo flag).
fn counts(store: &Path) -> Vec<(String, i64)> {
    let connection = rusqlite::Connection::open(store).unwrap();
    let mut counts: Vec<(String, i64)> = TableKind::ALL
        .iter()
        .map(|table| {
            let count = connection
                .query_row(
                    &format!("SELECT COUNT(*) FROM {}", table.name()),
                    [],
                    |row| row.get(0),
                )
                .unwrap();
            (table.name().to_string(), count)
        })
        .collect();
    let meta: i64 = connection
        .query_row("SELECT COUNT(*) FROM courtside_meta", [], |row| row.get(0))
        .unwrap();
    counts.push(("courtside_meta".to_string(), meta));
    counts
}

fn count(store: &Path, table: TableKind) -> i64 {
    counts(store)
        .into_iter()
        .find(|(name, _)| name == table.name())
        .map(|(_, n)| n)
        .unwrap()
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

const PREDICTION_HEADER: &str = "player_lookup,game_id,game_date,system_id,team_abbr,opponent_team_abbr,\
predicted_points,confidence_score,confidence_decile,recommendation,line_value,actual_points,\
minutes_played,absolute_error,signed_error,prediction_correct,predicted_margin,actual_margin,\
within_3_points,within_5_points,has_prop_line,line_source,estimated_line_value,is_actionable,\
line_bookmaker,is_voided,void_reason,feature_quality_score,is_superseded_prediction,\
model_version,graded_at";

/// One graded prediction as BigQuery's CSV export writes it.
fn prediction_line(player: &str, game: &str, date: &str, system: &str) -> String {
    format!(
        "{player},{game},{date},{system},LAL,BOS,27.5,0.812,9,OVER,24.5,31,36.2,3.5,-3.5,true,3.0,6.5,\
         false,true,true,ACTUAL_PROP,,true,DRAFTKINGS,false,,91.25,false,{system}.3,{date} 07:30:00 UTC"
    )
}

fn predictions_csv(lines: &[String]) -> String {
    format!("{PREDICTION_HEADER}\n{}\n", lines.join("\n"))
}

/// Three good predictions (`good.csv`) imported into an empty store.
fn store_with_predictions(dir: &Path) -> PathBuf {
    let store = dir.join("store.sqlite");
    let good = write(
        dir,
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
                "20260105_LAL_BOS",
                "2026-01-05",
                "catboost_v8",
            ),
            prediction_line(
                "lebronjames",
                "20260105_LAL_BOS",
                "2026-01-05",
                "xgboost_v7",
            ),
        ]),
    );
    let out = ok(
        dir,
        &store,
        &["import", "prediction_accuracy", good.to_str().unwrap()],
    );
    assert_eq!(
        out.trim(),
        "imported 3 rows into prediction_accuracy from 1 file"
    );
    store
}

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
            ("courtside_meta".to_string(), 0),
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

const EXPERIMENT_HEADER: &str = "experiment_id,experiment_name,hypothesis,experiment_type,tags,\
config_json,train_period,eval_period,results_json,model_path,git_commit,parent_experiment_id,\
status,created_at,completed_at,created_by";

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

/// A one-season demo store with a week of persisted diagnostics.
fn demo_store(dir: &Path) -> PathBuf {
    let store = dir.join("demo.sqlite");
    ok(dir, &store, &["demo", "--seasons", "1"]);
    ok(
        dir,
        &store,
        &[
            "backfill",
            "--from",
            "2026-01-05",
            "--to",
            "2026-01-11",
            "--persist",
        ],
    );
    store
}

#[test]
fn every_table_survives_export_and_import_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let demo = demo_store(dir);
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
                format!("exported {rows} rows of {table} to {}", file.display())
            );
            let out = ok(
                dir,
                &fresh,
                &["import", table.name(), file.to_str().unwrap()],
            );
            assert_eq!(
                out.trim(),
                format!("imported {rows} rows into {table} from 1 file")
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
fn bad_files_are_refused_and_nothing_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store_with_predictions(dir);
    let before = counts(&store);
    let good = write(
        dir,
        "good2.csv",
        predictions_csv(&[prediction_line(
            "stephcurry",
            "20260106_GSW_DEN",
            "2026-01-06",
            "catboost_v8",
        )]),
    );
    let line =
        |player: &str| prediction_line(player, "20260106_GSW_DEN", "2026-01-06", "catboost_v8");

    // Latin-1 `ö` (0xf6) is not UTF-8.
    let invalid_utf8: Vec<u8> = predictions_csv(&[line("a"), line("nikola_j#kic")])
        .bytes()
        .map(|b| if b == b'#' { 0xf6 } else { b })
        .collect();

    let truncated_line = line("kevindurant");
    let truncated = format!(
        "{PREDICTION_HEADER}\n{}\n{}\n",
        line("a"),
        &truncated_line[..truncated_line.len() / 2]
    );

    // (file name, content, expected line, expected column or other text)
    let cases: Vec<(&str, Vec<u8>, u64, &str)> = vec![
        (
            "wrong_header.csv",
            predictions_csv(&[line("a")]).replacen("player_lookup", "player_lookpu", 1).into_bytes(),
            1,
            "column player_lookpu: not a column of prediction_accuracy (did you mean player_lookup?)",
        ),
        (
            "bad_date.csv",
            predictions_csv(&[line("a"), line("b").replace("2026-01-06,", "2026-13-01,")]).into_bytes(),
            3,
            "column game_date: `2026-13-01` is not a date (YYYY-MM-DD)",
        ),
        (
            "text_in_number.csv",
            predictions_csv(&[line("a").replace(",27.5,", ",twenty-seven,")]).into_bytes(),
            2,
            "column predicted_points: `twenty-seven` is not a number",
        ),
        (
            "missing_required.csv",
            predictions_csv(&[line("a")]).replacen(",system_id,", ",model_id,", 1).into_bytes(),
            1,
            "column model_id: not a column",
        ),
        (
            "no_system_column.csv",
            "player_lookup,game_id,game_date\na,g,2026-01-06\n".as_bytes().to_vec(),
            1,
            "column system_id: required (NOT NULL) but missing from the header",
        ),
        (
            "empty_required.csv",
            predictions_csv(&[line("a"), line("b").replace(",catboost_v8,", ",,")]).into_bytes(),
            3,
            "column system_id: required (NOT NULL) but missing or empty",
        ),
        ("truncated.csv", truncated.into_bytes(), 3, "missing: the line has"),
        (
            "unclosed_quote.csv",
            format!("{PREDICTION_HEADER}\n{}\n{},\"Achilles", line("a"), line("b")).into_bytes(),
            3,
            "a quoted field opens here and is never closed",
        ),
        ("invalid_utf8.csv", invalid_utf8, 3, "column player_lookup: not valid UTF-8"),
        ("empty.csv", Vec::new(), 1, "the file is empty"),
        (
            "duplicate.csv",
            predictions_csv(&[line("a"), line("b"), line("a")]).into_bytes(),
            4,
            "duplicate key player_lookup=`a`, game_id=`20260106_GSW_DEN`, system_id=`catboost_v8` (first on",
        ),
        (
            "duplicate_of_store.csv",
            predictions_csv(&[prediction_line(
                "jaysontatum",
                "20260105_LAL_BOS",
                "2026-01-05",
                "catboost_v8",
            )])
            .into_bytes(),
            2,
            "a row of the store's prediction_accuracy has it",
        ),
        (
            "bad_boolean.csv",
            predictions_csv(&[line("a").replace(",true,3.0,", ",maybe,3.0,")]).into_bytes(),
            2,
            "column prediction_correct: `maybe` is not a boolean",
        ),
        (
            "bad_vocabulary.csv",
            predictions_csv(&[line("a").replace(",OVER,", ",over,")]).into_bytes(),
            2,
            "column recommendation: `over` is not one of OVER, UNDER, PASS",
        ),
        (
            "bad_timestamp.csv",
            predictions_csv(&[line("a").replace("07:30:00 UTC", "half past seven")]).into_bytes(),
            2,
            "column graded_at: `2026-01-06 half past seven` is not a timestamp",
        ),
        (
            "extra_field.csv",
            predictions_csv(&[format!("{},surplus", line("a"))]).into_bytes(),
            2,
            "the line has 32 fields, the header 31",
        ),
        (
            "unknown_column.ndjson",
            br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-06","system_id":"s","colour":"red"}"#.to_vec(),
            1,
            "column colour: not a column of prediction_accuracy",
        ),
        (
            "not_an_object.ndjson",
            [
                &br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-06","system_id":"s"}"#[..],
                b"\n\n[\"a\", \"g\"]\n",
            ]
            .concat(),
            3,
            "an array is not a JSON object",
        ),
        (
            "truncated.ndjson",
            br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-06","sys"#.to_vec(),
            1,
            "not valid JSON (EOF while parsing",
        ),
        (
            "huge_prediction.csv",
            predictions_csv(&[line("a").replace(",27.5,0.812,", ",1e308,0.812,")]).into_bytes(),
            2,
            "column predicted_points: 1e308 is out of range (NUMERIC(5,1), not negative)",
        ),
        (
            "overconfident.csv",
            predictions_csv(&[line("a").replace(",27.5,0.812,", ",27.5,7.5,")]).into_bytes(),
            2,
            "column confidence_score: 7.5 is out of range",
        ),
        (
            "too_precise.csv",
            predictions_csv(&[line("a").replace(",24.5,31,", ",24.55,31,")]).into_bytes(),
            2,
            "column line_value: 24.55 has more than 1 decimal",
        ),
        (
            "crlf.csv",
            predictions_csv(&[line("a"), line("b"), line("c").replace(",OVER,", ",over,")])
                .replace('\n', "\r\n")
                .into_bytes(),
            4,
            "column recommendation: `over` is not one of OVER, UNDER, PASS",
        ),
        (
            "key_twice.ndjson",
            br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-06","system_id":"s","system_id":"t"}"#.to_vec(),
            1,
            "column system_id: given twice in one object",
        ),
        (
            "bad_integer.jsonl",
            br#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-06","system_id":"s","actual_points":"22.5"}"#.to_vec(),
            1,
            "column actual_points: `22.5` is not an integer (INT64)",
        ),
    ];

    for (name, content, line_number, expected) in cases {
        let bad = write(dir, name, &content);
        for files in [vec![bad.as_path()], vec![good.as_path(), bad.as_path()]] {
            let message = refused(dir, &store, "prediction_accuracy", &files);
            assert!(
                message.starts_with(&format!("courtside: {}:{line_number}: ", bad.display())),
                "{name}: {message}"
            );
            assert!(message.contains(expected), "{name}: {message}");
            assert_eq!(counts(&store), before, "{name}: the store is unchanged");
        }
    }

    // A row that repeats one of an earlier file of the same import.
    let repeat = write(
        dir,
        "repeat.csv",
        predictions_csv(&[line("x"), line("stephcurry")]),
    );
    let message = refused(dir, &store, "prediction_accuracy", &[&good, &repeat]);
    assert!(
        message.ends_with(&format!(
            "repeat.csv:3: duplicate key player_lookup=`stephcurry`, game_id=`20260106_GSW_DEN`, \
             system_id=`catboost_v8` (first on {}:2)",
            good.display()
        )),
        "{message}"
    );
    assert_eq!(counts(&store), before);

    // The good file alone still loads, and then counts as in the store.
    ok(
        dir,
        &store,
        &["import", "prediction_accuracy", good.to_str().unwrap()],
    );
    assert_eq!(count(&store, TableKind::PredictionAccuracy), 4);
    let message = refused(dir, &store, "prediction_accuracy", &[&good]);
    assert!(message.contains("good2.csv:2: duplicate key"), "{message}");
}

#[test]
fn bad_experiment_rows_name_their_column() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = store_with_predictions(dir);
    let before = counts(&store);
    let row = |fields: &str| {
        format!(
            r#"{{"experiment_id":"e1","experiment_name":"X","experiment_type":"walk_forward","config_json":{{}},"status":"pending","created_at":"2026-02-01T00:00:00Z"{fields}}}"#
        )
    };
    let cases = [
        (
            row(r#","train_period":{"start":"2026-01-01"}"#),
            "column train_period: unknown field `start`",
        ),
        (
            row(r#","eval_period":{"start_date":"2026-02-30"}"#),
            "column eval_period: start_date: `2026-02-30` is not a date",
        ),
        (
            row(r#","tags":["a",2]"#),
            "column tags: item 2 of the array is a number",
        ),
        (
            row(r#","results_json":"{not json""#),
            "column results_json: `{not json` is not valid JSON",
        ),
        (
            row("").replace("\"pending\"", "\"Pending\""),
            "column status: `Pending` is not one of pending, running",
        ),
        (
            row("").replace("walk_forward", "random_forest"),
            "column experiment_type: `random_forest` is not one of walk_forward",
        ),
        (
            row(r#","config_json":null"#).replace(r#""config_json":{},"#, ""),
            "column config_json: required (NOT NULL)",
        ),
    ];
    for (index, (content, expected)) in cases.into_iter().enumerate() {
        let bad = write(
            dir,
            &format!("bad{index}.ndjson"),
            format!("{}\n{content}\n", row("").replace("e1", "e0")),
        );
        let message = refused(dir, &store, "ml_experiments", &[&bad]);
        assert!(
            message.starts_with(&format!("courtside: {}:2: ", bad.display())),
            "{message}"
        );
        assert!(message.contains(expected), "{expected}: {message}");
        assert_eq!(counts(&store), before);
    }
}

#[test]
fn usage_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("store.sqlite");
    let file = write(dir, "picks.txt", "player_lookup\n");
    let output = courtside(
        dir,
        &[
            "--store",
            store.to_str().unwrap(),
            "import",
            "prediction_accuracy",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert!(
        message.contains("picks.txt: cannot tell the format"),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1);
    assert!(!store.exists(), "nothing created");

    let output = courtside(
        dir,
        &[
            "--store",
            store.to_str().unwrap(),
            "import",
            "predictions",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("`predictions` is not a table courtside knows"));

    let missing = dir.join("missing.csv");
    let output = courtside(
        dir,
        &[
            "--store",
            store.to_str().unwrap(),
            "import",
            "prediction_accuracy",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("missing.csv: cannot read"));
    assert!(!store.exists(), "nothing created");

    // --format overrides the extension.
    let ndjson = write(
        dir,
        "picks.txt",
        r#"{"player_lookup":"a","game_id":"g","game_date":"2026-01-06","system_id":"s"}"#,
    );
    let out = ok(
        dir,
        &store,
        &[
            "import",
            "prediction_accuracy",
            "--format",
            "ndjson",
            ndjson.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.trim(),
        "imported 1 row into prediction_accuracy from 1 file"
    );
}

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
