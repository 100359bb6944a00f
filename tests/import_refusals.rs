//! Bad import files are refused with one line naming file, line and column
//! while the store keeps exactly the rows it had; usage errors are one line.

#[path = "common/transfer.rs"]
mod transfer;

use courtside::transfer::TableKind;
use transfer::*;

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
            "duplicate key player_lookup=`a`, game_id=`20260106_GSW_DEN`, system_id=`catboost_v8`, line_value=`24.5` (first on",
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
            "column predicted_points: 1e308 is out of range (NUMERIC(5,1) points, 0 to 100)",
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
             system_id=`catboost_v8`, line_value=`24.5` (first on {}:2)",
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
            row(r#","config_json":null"#).replace(r#""config_json":{},"#, ""),
            "column config_json: required (NOT NULL)",
        ),
        // The name rule of `exp register`: no emoji, no lower case.
        (
            row("").replace(
                r#""experiment_name":"X""#,
                r#""experiment_name":"ROCKET_🚀""#,
            ),
            "column experiment_name: `ROCKET_🚀` must be SCREAMING_SNAKE_CASE",
        ),
        (
            row("").replace(r#""experiment_name":"X""#, r#""experiment_name":"feb_run""#),
            "column experiment_name: `feb_run` must be SCREAMING_SNAKE_CASE",
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
    // The team's free-text types and flat results (data-contract.md Rev. 3)
    // are read, never refused.
    let team = write(
        dir,
        "team.ndjson",
        format!(
            "{}\n",
            row(r#","results_json":{"mae":5.2,"hit_rate_all":58.5,"bets_all":1200}"#)
                .replace("walk_forward", "monthly_retrain")
        ),
    );
    ok(
        dir,
        &store,
        &["import", "ml_experiments", team.to_str().unwrap()],
    );
    assert_eq!(count(&store, TableKind::Experiments), 1);
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
