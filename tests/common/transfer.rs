//! Shared helpers of the import and export tests: the binary, stores with
//! known rows, and the row counts that prove a refused import wrote nothing.
#![allow(dead_code)]

use courtside::transfer::TableKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("NO_COLOR")
        .env_remove("COURTSIDE_SLACK_WEBHOOK")
        .output()
        .expect("run courtside")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// Runs `courtside --store STORE ARGS…` and insists it succeeds.
pub fn ok(dir: &Path, store: &Path, args: &[&str]) -> String {
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
pub fn refused(dir: &Path, store: &Path, table: &str, files: &[&Path]) -> String {
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
pub fn counts(store: &Path) -> Vec<(String, i64)> {
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

pub fn count(store: &Path, table: TableKind) -> i64 {
    counts(store)
        .into_iter()
        .find(|(name, _)| name == table.name())
        .map(|(_, n)| n)
        .unwrap()
}

pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

pub const PREDICTION_HEADER: &str = "player_lookup,game_id,game_date,system_id,team_abbr,opponent_team_abbr,\
predicted_points,confidence_score,confidence_decile,recommendation,line_value,actual_points,\
minutes_played,absolute_error,signed_error,prediction_correct,predicted_margin,actual_margin,\
within_3_points,within_5_points,has_prop_line,line_source,estimated_line_value,is_actionable,\
line_bookmaker,is_voided,void_reason,feature_quality_score,is_superseded_prediction,\
model_version,graded_at";

/// One graded prediction as BigQuery's CSV export writes it.
pub fn prediction_line(player: &str, game: &str, date: &str, system: &str) -> String {
    format!(
        "{player},{game},{date},{system},LAL,BOS,27.5,0.812,9,OVER,24.5,31,36.2,3.5,-3.5,true,3.0,6.5,\
         false,true,true,ACTUAL_PROP,,true,DRAFTKINGS,false,,91.25,false,{system}.3,{date} 07:30:00 UTC"
    )
}

pub fn predictions_csv(lines: &[String]) -> String {
    format!("{PREDICTION_HEADER}\n{}\n", lines.join("\n"))
}

/// Three good predictions (`good.csv`) imported into an empty store.
pub fn store_with_predictions(dir: &Path) -> PathBuf {
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

pub const EXPERIMENT_HEADER: &str = "experiment_id,experiment_name,hypothesis,experiment_type,tags,\
config_json,train_period,eval_period,results_json,model_path,git_commit,parent_experiment_id,\
status,created_at,completed_at,created_by";

/// A one-season demo store with a week of persisted diagnostics.
pub fn demo_store(dir: &Path) -> PathBuf {
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
