//! Nothing fails for what it can do without (issue 26; data-contract.md
//! Rev. 3): on the team's warehouse as it really is (no
//! `ml_experiment_events`, no `backtest_predictions`, the diagnostics table
//! without courtside's columns, a `model_registry`), with a config of only
//! `source` (BigQuery) or only `--store` (embedded), every command and every
//! tab exits with a verdict code, says in one line what it left out, and
//! takes the production system from `model_registry`.

#[path = "common/team_warehouse.rs"]
mod team_warehouse;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use team_warehouse::*;

/// What a failure for a missing table or column looks like.
const MISSING_FAILURES: [&str; 4] = [
    "Not found: Table",
    "no such table",
    "no such column",
    "Not found: Dataset",
];

const AUDIT_NOTE: &str = "ml_experiment_events is missing (run `courtside setup --apply`)";

fn courtside(dir: &Path, base: &[&str], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(base)
        .args(args)
        .current_dir(dir)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env("COURTSIDE_ACTOR", "team-test@example.com")
        .env_remove("COURTSIDE_SLACK_WEBHOOK")
        .output()
        .expect("run courtside")
}

/// Runs `args` and checks it ends with a verdict code and no failure for a
/// missing table; returns (exit code, stdout, stderr).
fn verdict(dir: &Path, base: &[&str], args: &[&str]) -> (i32, String, String) {
    let output = courtside(dir, base, args);
    let code = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        (0..=3).contains(&code),
        "{args:?} exited {code}\n{stdout}\n{stderr}"
    );
    for failure in MISSING_FAILURES {
        assert!(
            !stderr.contains(failure) && !stdout.contains(failure),
            "{args:?} failed for a missing table ({failure}):\n{stdout}\n{stderr}"
        );
    }
    (code, stdout, stderr)
}

/// Like [`verdict`], and the command must succeed (exit 0).
fn ok(dir: &Path, base: &[&str], args: &[&str]) -> (String, String) {
    let (code, stdout, stderr) = verdict(dir, base, args);
    assert_eq!(code, 0, "{args:?}\n{stdout}\n{stderr}");
    (stdout, stderr)
}

fn statuses(dir: &Path, base: &[&str]) -> Vec<(String, String)> {
    let (stdout, _) = ok(dir, base, &["exp", "list", "--all", "--json"]);
    let list: Value = serde_json::from_str(&stdout).expect("exp list --json");
    let mut found: Vec<(String, String)> = list
        .as_array()
        .expect("an array")
        .iter()
        .map(|entry| {
            (
                entry["experiment_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                entry["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Every command and tab on the team's warehouse reached with `base`.
/// `bigquery`: the source keeps the team's tables as they are (on the
/// embedded store a writing command adds courtside's tables and columns
/// itself, so the notes there are checked before the first write).
fn every_command(dir: &Path, base: &[&str], bigquery: bool) {
    // The production system comes from model_registry.
    let (_, stdout, _) = verdict(dir, base, &["diag", "--json"]);
    let report: Value = serde_json::from_str(&stdout).expect("diag --json");
    assert_eq!(report["system_id"], CHAMPION, "{stdout}");

    let (stdout, stderr) = ok(dir, base, &["exp", "list"]);
    assert!(stderr.contains("no backtest rows table"), "{stderr}");
    assert!(stdout.contains("JAN_2026_RETRAIN_V12"), "{stdout}");
    let (_, stderr) = ok(dir, base, &["history"]);
    if bigquery {
        assert!(
            stderr.contains("history shows the team's columns only")
                && stderr.contains("system_id"),
            "{stderr}"
        );
    }
    let (stdout, _) = ok(dir, base, &["history", "--json"]);
    assert!(
        stdout.contains(CHAMPION),
        "legacy rows read as the champion's: {stdout}"
    );

    // The seven tabs: the Experiments tab says what it left out.
    for tab in [
        "overview",
        "sharpness",
        "drift",
        "experiments",
        "gap",
        "versus",
        "splits",
    ] {
        let (_, stdout, _) = verdict(dir, base, &["snapshot", "--tab", tab]);
        match tab {
            "experiments" => assert!(stdout.contains("no backtest rows table"), "{stdout}"),
            // Versus opens on a shadow of the registry (named without "shadow").
            "versus" => assert!(
                SHADOWS
                    .iter()
                    .any(|shadow| stdout.contains(&format!("vs B {shadow}"))),
                "{stdout}"
            ),
            "overview" => assert!(stdout.contains(CHAMPION), "{stdout}"),
            _ => {}
        }
    }
    let flat = dir.join("flat.yaml");
    std::fs::write(
        &flat,
        "experiment_id: FEB_2026_TEAM_FLAT\nname: FEB_2026_TEAM_FLAT\nhypothesis: a flat config\ntrain_start: \"2025-11-02\"\ntrain_end: \"2026-01-31\"\nuse_recency_weights: true\nhalf_life: 60\n",
    )
    .unwrap();
    let results = dir.join("results.json");
    std::fs::write(
        &results,
        r#"{"mae": 5.0, "hit_rate_all": 54.0, "bets_all": 640}"#,
    )
    .unwrap();
    let flat = flat.to_str().unwrap();
    let results = results.to_str().unwrap();
    let export = dir.join("export.csv");
    for args in [
        vec!["diag", "--all-systems"],
        vec!["backfill", "--from", "2026-02-01", "--to", "2026-02-03"],
        vec!["gap", "--experiment", COMPLETED],
        vec!["versus", CHAMPION, SHADOWS[0]],
        vec!["splits"],
        vec!["alerts"],
        vec!["exp", "show", COMPLETED],
        vec!["exp", "history"],
        vec!["exp", "best", "--metric", "hit_rate"],
        vec!["exp", "compare", COMPLETED, COMPLETED_TO_ARCHIVE],
        vec!["exp", "validate", flat],
        vec![
            "export",
            "prediction_accuracy",
            "--output",
            export.to_str().unwrap(),
        ],
        vec!["export", "ml_experiment_events"],
    ] {
        verdict(dir, base, &args);
    }

    // --persist: on the team's table it writes nothing and names the fix.
    let (_, _, stderr) = verdict(dir, base, &["diag", "--persist"]);
    if bigquery {
        assert!(
            stderr.contains("not persisted") && stderr.contains("courtside setup --apply"),
            "{stderr}"
        );
    } else {
        assert!(stderr.contains("persisted 1 row"), "{stderr}");
    }

    // Registry changes go through; without the events table, no audit trail.
    let before = statuses(dir, base).len();
    for args in [
        vec!["exp", "register", flat],
        vec!["exp", "start", PENDING],
        vec!["exp", "complete", RUNNING, "--results", results],
        vec!["exp", "fail", RUNNING_TO_FAIL, "--error", "out of memory"],
        vec!["exp", "promote", COMPLETED, "--force", "--no-notify"],
        vec!["exp", "archive", COMPLETED_TO_ARCHIVE, "--no-notify"],
    ] {
        let (_, stderr) = ok(dir, base, &args);
        if bigquery {
            assert!(
                stderr.contains("no audit trail") && stderr.contains(AUDIT_NOTE),
                "{args:?}: {stderr}"
            );
        }
    }
    let after = statuses(dir, base);
    assert_eq!(
        after.len(),
        before + 1,
        "one registration, one row: {after:?}"
    );
    let status = |name: &str| {
        after
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    };
    assert_eq!(status("FEB_2026_RETRAIN_Q43"), "running");
    assert_eq!(status("FEB_2026_RETRAIN_Q45"), "completed");
    assert_eq!(status("FEB_2026_BREAKOUT"), "failed");
    assert_eq!(status("JAN_2026_RETRAIN_V12"), "promoted");
    assert_eq!(status("JAN_2026_RECENCY_60"), "archived");
    assert_eq!(status("FEB_2026_TEAM_FLAT"), "pending");
    // A rerun of a registration is refused or unchanged, never a second row.
    let rerun = courtside(dir, base, &["exp", "register", flat]);
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    for failure in MISSING_FAILURES {
        assert!(!stderr.contains(failure), "{stderr}");
    }
}

#[test]
fn every_command_runs_on_the_team_store_with_only_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("team.sqlite");
    build_sqlite(&store);
    let store = store.to_str().unwrap().to_string();
    every_command(dir.path(), &["--store", &store], false);
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn every_command_runs_on_the_team_warehouse_with_only_source() {
    let url = std::env::var("COURTSIDE_BQ_EMULATOR").unwrap_or_default();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "COURTSIDE_BQ_EMULATOR is not set to a loopback emulator: run scripts/test"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let project = runtime.block_on(build_emulator(&url, "degrade"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("team.yaml");
    std::fs::write(&config, emulator_config(&project, &url)).unwrap();
    let config = config.to_str().unwrap().to_string();
    every_command(dir.path(), &["--config", &config], true);
}

#[test]
fn the_fixture_has_their_columns_and_none_of_ours() {
    let specs = specs();
    let columns = |table: &str| {
        specs
            .iter()
            .find(|s| s.table() == table)
            .map(|s| s.columns.len())
            .unwrap_or_default()
    };
    assert_eq!(columns("performance_diagnostics_daily"), 30);
    assert_eq!(columns("prediction_accuracy"), 52);
    assert!(
        specs
            .iter()
            .all(|s| !s.name.ends_with("ml_experiment_events")
                && !s.name.ends_with("backtest_predictions"))
    );
    let diagnostics = specs
        .iter()
        .find(|s| s.table() == "performance_diagnostics_daily")
        .unwrap();
    assert!(
        diagnostics
            .columns
            .iter()
            .all(|(name, _, _)| name != "system_id" && !name.starts_with("cusum"))
    );
}
