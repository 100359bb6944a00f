//! The registry reads what the team writes (data-contract.md Rev. 3): a
//! flat config registered, completed with flat results in percent, shown on
//! the leaderboard with its interval, samples, MAE and edge figures, and
//! picked by `exp best`; `exp validate` says which format it read, holds each
//! to its rules and warns on a type outside the documented six.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .current_dir(dir)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env("COURTSIDE_ACTOR", "team-test@example.com")
        .env_remove("COURTSIDE_SLACK_WEBHOOK")
        .output()
        .expect("run courtside")
}

fn out(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", out(output)))
}

/// The seed's nested example (data-contract.md).
const SEED: &str = r#"experiment_name: FEB_2026_RECENCY_60
hypothesis: "60-day half-life improves February predictions"
experiment_type: walk_forward
training: {start_date: "2021-11-01", end_date: "2026-01-31"}
evaluation: {start_date: "2026-02-01", end_date: "2026-02-15"}
model: {type: catboost, version: v9, hyperparameters: {depth: 6, learning_rate: 0.07}}
recency: {enabled: true, half_life_days: 60}
tags: [february-2026, recency-test]
"#;

/// The keys of the team's `example_experiment.yaml`.
const FLAT: &str = "experiment_id: V12_MONTHLY_WALKFORWARD\ntrain_start: \"2025-11-02\"\n\
train_end: \"2026-01-31\"\nname: \"V12 walk-forward, 90-day half-life\"\n\
hypothesis: \"90-day half-life helps February\"\nuse_recency_weights: true\nhalf_life: 90\n\
verbose: false\n";

/// As the team's `quick_retrain.py` writes `results_json`: hit rates in percent.
const FLAT_RESULTS: &str = r#"{"mae": 4.91, "mae_all_players": 5.3, "n_all_players": 8000,
 "hit_rate_all": 75.0, "bets_all": 2000,
 "hit_rate_edge_3plus": 80.0, "bets_edge_3plus": 500,
 "hit_rate_edge_5plus": 85.0, "bets_edge_5plus": 100,
 "has_critical_bias": false}"#;

#[test]
fn validate_reads_both_formats_by_their_own_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        ("seed.yaml", SEED.to_string()),
        ("flat.yaml", FLAT.to_string()),
        (
            "retrain.yaml",
            SEED.replace("walk_forward", "monthly_retrain"),
        ),
        (
            "half.yaml",
            SEED.replace("half_life_days: 60", "half_life_days: 20"),
        ),
        ("depth.yaml", SEED.replace("depth: 6", "depth: 20")),
    ];
    for (name, text) in &cases {
        std::fs::write(d.join(name), text).unwrap();
    }
    let validate = |name: &str| courtside(d, &["exp", "validate", name, "--json"]);
    let seed = json(&validate("seed.yaml"));
    assert_eq!(
        (seed["valid"].as_bool(), seed["format"].as_str()),
        (Some(true), Some("nested"))
    );
    let flat = json(&validate("flat.yaml"));
    assert_eq!(
        (flat["valid"].as_bool(), flat["format"].as_str()),
        (Some(true), Some("flat"))
    );
    assert_eq!(flat["experiment_name"], "V12_MONTHLY_WALKFORWARD");
    // A type outside the six: valid, with the warning in JSON and in text.
    let retrain = json(&validate("retrain.yaml"));
    assert_eq!(retrain["valid"], true);
    assert_eq!(retrain["warnings"][0]["field"], "experiment_type");
    assert_eq!(retrain["warnings"][0]["line"], 3);
    let text = courtside(d, &["exp", "validate", "retrain.yaml"]);
    assert!(text.status.success());
    let (stdout, stderr) = out(&text);
    assert!(
        stdout.contains("valid (nested config; monthly_retrain"),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: retrain.yaml:3: experiment_type: `monthly_retrain` is not one of the documented types"),
        "{stderr}"
    );
    // The schema's ranges, refused naming the rule.
    for (name, field, rule) in [
        ("half.yaml", "recency.half_life_days", "from 30 to 730"),
        ("depth.yaml", "model.hyperparameters.depth", "of at most 10"),
    ] {
        let output = validate(name);
        assert_eq!(output.status.code(), Some(1));
        let report = json(&output);
        assert_eq!(report["format"], "nested");
        assert_eq!(report["problems"][0]["field"], field, "{report}");
        let message = report["problems"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(rule), "{message}");
    }
}

#[test]
fn a_team_flat_experiment_is_on_the_leaderboard_and_can_be_best() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = d.join("demo.sqlite").display().to_string();
    assert!(
        courtside(d, &["--store", &store, "demo", "--seasons", "1"])
            .status
            .success()
    );
    std::fs::write(d.join("flat.yaml"), FLAT).unwrap();
    std::fs::write(d.join("results.json"), FLAT_RESULTS).unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--store", store.as_str(), "exp"];
        all.extend_from_slice(args);
        courtside(d, &all)
    };
    let name = "V12_MONTHLY_WALKFORWARD";
    let registered = run(&["register", "flat.yaml"]);
    assert!(registered.status.success(), "{:?}", out(&registered));
    assert!(
        out(&registered).0.contains("flat config"),
        "{:?}",
        out(&registered)
    );
    assert!(run(&["start", name]).status.success());
    let completed = run(&["complete", name, "--results", "results.json"]);
    assert!(completed.status.success(), "{:?}", out(&completed));

    let list = json(&run(&["list", "--json"]));
    let entry = list
        .as_array()
        .and_then(|entries| entries.iter().find(|e| e["experiment_name"] == name))
        .cloned()
        .expect("on the leaderboard");
    // 75.0% of 2000 bets: a rate with its interval, from the fraction 0.75.
    assert_eq!(
        (
            entry["hit_rate"]["k"].as_u64(),
            entry["hit_rate"]["n"].as_u64()
        ),
        (Some(1500), Some(2000))
    );
    assert!(
        entry["hit_rate"]["interval"]["low"]
            .as_f64()
            .is_some_and(|low| low > 70.0 && low < 75.0)
    );
    assert_eq!(entry["samples"], 2000);
    assert_eq!(entry["mae"], 4.91);
    assert_eq!(entry["results_layout"], "flat");
    assert_eq!(entry["hit_rate_edge_3plus"]["n"], 500);
    assert_eq!(entry["hit_rate_edge_5plus"]["k"], 85);
    assert_eq!(entry["problems"], serde_json::json!([]));

    let best = json(&run(&["best", "--metric", "hit-rate", "--json"]));
    assert_eq!(best["experiment_name"], name);
    let (text, _) = out(&run(&["best"]));
    assert!(
        text.starts_with(name) && text.contains("edge 3+ 80.0%"),
        "{text}"
    );
    let (show, _) = out(&run(&["show", name]));
    assert!(show.contains("by edge     edge 3+ 80.0%"), "{show}");
    let (compare, _) = out(&run(&["compare", "FEB_2026_RECENCY_30", name]));
    assert!(compare.contains("hit rate on bets by edge:"), "{compare}");
    let compare = json(&run(&["compare", "FEB_2026_RECENCY_30", name, "--json"]));
    assert_eq!(
        compare["others"][0]["experiment"]["hit_rate_edge_3plus"]["n"],
        500
    );
}
