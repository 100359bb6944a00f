//! `courtside exp` on a demo store: best agrees with the leaderboard, a whole
//! lifecycle from the command line lands in the history, bad configs are
//! reported with line and field.

use std::path::Path;
use std::process::{Command, Output};

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .current_dir(dir)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env("COURTSIDE_ACTOR", "cli-test@example.com")
        .output()
        .expect("run courtside")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn demo(dir: &Path) -> String {
    let store = dir.join("demo.sqlite").display().to_string();
    let output = courtside(dir, &["--store", &store, "demo", "--seasons", "1"]);
    assert!(output.status.success());
    store
}

#[test]
fn best_names_the_leaderboards_top_ranked_experiment() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let list = courtside(
        dir.path(),
        &[
            "--store", &store, "exp", "list", "--all", "--sort", "hit-rate", "--json",
        ],
    );
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).expect("json");
    assert_eq!(entries.len(), 28);
    // The leaderboard sorted by hit rate, without failed/pending/running/archived.
    let expected = entries
        .iter()
        .find(|e| {
            matches!(e["status"].as_str(), Some("completed" | "promoted"))
                && e["samples"].as_u64().is_some_and(|n| n >= 50)
                && e["hit_rate"].is_object()
        })
        .expect("a ranked experiment");
    let best = courtside(
        dir.path(),
        &["--store", &store, "exp", "best", "--metric", "hit-rate"],
    );
    assert!(best.status.success());
    let name = expected["experiment_name"].as_str().unwrap();
    assert!(
        stdout(&best).starts_with(name),
        "{} vs {name}",
        stdout(&best)
    );
    // Default list hides failed and archived.
    let list = courtside(dir.path(), &["--store", &store, "exp", "list"]);
    assert!(!stdout(&list).contains("failed") && !stdout(&list).contains("archived"));
}

#[test]
fn a_lifecycle_from_the_command_line_is_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    std::fs::write(
        dir.path().join("exp.yaml"),
        "experiment_name: CLI_LIFECYCLE\nhypothesis: works end to end\nexperiment_type: feature\n\
         training: {start_date: \"2025-10-01\", end_date: \"2025-12-31\"}\n\
         evaluation: {start_date: \"2026-01-01\", end_date: \"2026-01-31\"}\n\
         model: {type: catboost, version: v9}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("results.json"),
        r#"{"overall": {"hit_rate": 0.6, "mae": 4.0, "roi": 0.14, "samples": 2000}}"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--store", store.as_str(), "exp"];
        all.extend_from_slice(args);
        courtside(dir.path(), &all)
    };
    assert!(run(&["register", "exp.yaml"]).status.success());
    assert!(run(&["start", "CLI_LIFECYCLE"]).status.success());
    assert!(
        run(&["complete", "CLI_LIFECYCLE", "--results", "results.json"])
            .status
            .success()
    );
    // Not a git checkout: the commit is unknown, a guard rail without --force.
    let refused = run(&["promote", "CLI_LIFECYCLE"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not promoted"));
    let promoted = run(&["promote", "CLI_LIFECYCLE", "--force", "--note", "cli test"]);
    assert!(
        promoted.status.success(),
        "{}",
        String::from_utf8_lossy(&promoted.stderr)
    );
    assert!(stdout(&promoted).contains("archived V8_PRODUCTION_BASELINE"));
    let history = stdout(&run(&["history", "CLI_LIFECYCLE"]));
    for step in [
        "-> pending",
        "pending -> running",
        "running -> completed",
        "completed -> promoted",
    ] {
        assert!(history.contains(step), "{history}");
    }
    // The actor, with the OS login beside it when that is someone else.
    let promotion = history
        .lines()
        .find(|line| line.contains("completed -> promoted"))
        .unwrap_or_default();
    assert!(
        promotion.contains("by cli-test@example.com")
            && promotion.contains(": cli test; forced past"),
        "{history}"
    );
    // A second start is not allowed from promoted.
    let again = run(&["start", "CLI_LIFECYCLE"]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn validate_reports_line_and_field_without_a_store() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "experiment_name: lower\nhypothesis: x\n",
    )
    .unwrap();
    let output = courtside(dir.path(), &["exp", "validate", "bad.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("bad.yaml:1: experiment_name"), "{message}");
    assert!(
        message.contains("experiment_type: missing (required)"),
        "{message}"
    );
    assert!(
        !dir.path().join("data").join("courtside.sqlite").exists(),
        "no store was created"
    );
}

#[test]
fn every_read_verb_answers_in_json_with_the_specs_field_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let json = |args: &[&str]| -> serde_json::Value {
        let mut full = vec!["--store", store.as_str(), "exp"];
        full.extend_from_slice(args);
        let output = courtside(dir.path(), &full);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    };
    // `hit_rate` (the spec's spelling) and `hit-rate` rank alike.
    let best = json(&["best", "--metric", "hit_rate", "--json"]);
    assert_eq!(best, json(&["best", "--metric", "hit-rate", "--json"]));
    let name = best["experiment_name"].as_str().unwrap().to_string();
    assert!(best["hit_rate"]["n"].as_u64().unwrap() > 0, "{best}");
    let show = json(&["show", &name, "--json"]);
    assert_eq!(show["experiment"]["experiment_name"], name.as_str());
    assert!(
        show["history"].as_array().is_some_and(|h| !h.is_empty()),
        "{show}"
    );
    let compare = json(&["compare", &name, "FEB_2026_RECENCY_30", "--json"]);
    assert_eq!(compare["baseline"]["experiment_name"], name.as_str());
    assert!(
        compare["others"][0]["hit_rate_difference"]["interval"]["low"].is_number(),
        "{compare}"
    );
    // history: one JSON object per line.
    let output = courtside(
        dir.path(),
        &["--store", &store, "exp", "history", &name, "--json"],
    );
    for line in stdout(&output).lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            event["to_status"].is_string() && event["at"].is_string(),
            "{event}"
        );
    }
    // validate needs no store; a bad file is still exit 1, with its problems.
    std::fs::write(dir.path().join("bad.yaml"), "experiment_name: lower\n").unwrap();
    let output = courtside(dir.path(), &["exp", "validate", "bad.yaml", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert!(report["problems"][0]["field"].is_string(), "{report}");
}
