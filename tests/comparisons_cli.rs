//! `courtside versus` and `courtside splits` on the demo store: the story
//! the demo plants (a shadow system better than production on identical
//! rows, a soft bookmaker, an UNDER-biased system, overconfident top
//! deciles) is what the commands report, and the dashboard's Versus and
//! Splits tabs print the same figures.

#[path = "common/run_dir.rs"]
mod run_dir;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run courtside")
}

/// One one-season demo store for every test of this file.
fn demo() -> &'static (PathBuf, PathBuf) {
    static DEMO: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = run_dir::run_dir("comparisons_cli");
        let store = dir.join("demo.sqlite");
        let output = courtside(
            &dir,
            &["--store", store.to_str().unwrap(), "demo", "--seasons", "1"],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (dir, store)
    })
}

fn run(args: &[&str]) -> Output {
    let (dir, store) = demo();
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    courtside(dir, &all)
}

fn json(args: &[&str]) -> Value {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn stdout(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn f(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

#[test]
fn the_shadow_system_is_better_than_production_on_identical_rows() {
    let report = json(&["versus", "catboost_v8", "catboost_v9_shadow", "--json"]);
    assert_eq!(report["verdict"], "b_better", "{report:#}");
    let both = report["both_bet"].as_u64().unwrap();
    assert!(both >= 500, "{report:#}");
    assert_eq!(report["hit_rate_a"]["n"].as_u64(), Some(both));
    assert_eq!(report["hit_rate_b"]["n"].as_u64(), Some(both));
    let difference = f(&report["difference_pp"]);
    assert!(
        (0.5..5.0).contains(&difference),
        "about two points: {difference}"
    );
    assert!(f(&report["difference_interval"]["low"]) > 0.0);
    // The difference is the flips over the both-bet rows.
    let flips = report["a_miss_b_hit"].as_i64().unwrap() - report["a_hit_b_miss"].as_i64().unwrap();
    assert!((difference - 100.0 * flips as f64 / both as f64).abs() < 1e-9);
    let days = (chrono::NaiveDate::parse_from_str(report["to"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap()
        - chrono::NaiveDate::parse_from_str(report["from"].as_str().unwrap(), "%Y-%m-%d").unwrap())
    .num_days();
    assert_eq!(days, 29, "the last 30 days by default");
    // Swapped sides: the same population, the opposite verdict.
    let swapped = json(&["versus", "catboost_v9_shadow", "catboost_v8", "--json"]);
    assert_eq!(swapped["verdict"], "b_worse");
    assert_eq!(swapped["both_bet"], report["both_bet"]);
    assert!((f(&swapped["difference_pp"]) + difference).abs() < 1e-9);
}

#[test]
fn versus_names_an_unknown_side_and_refuses_a_backwards_window() {
    // An error is exit 1, as for `gap` (3 is kept for a source that cannot
    // be reached).
    let output = run(&["versus", "catboost_v8", "no_such_model"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("no_such_model"), "{message}");
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    let output = run(&[
        "versus",
        "catboost_v8",
        "catboost_v9_shadow",
        "--from",
        "2026-03-10",
        "--to",
        "2026-03-01",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--from 2026-03-10 is after --to 2026-03-01")
    );
}

#[test]
fn splits_show_the_soft_book_the_under_bias_and_overconfidence() {
    let report = json(&["splits", "--system", "xgboost_v7", "--json"]);
    let rows = report["rows"].as_array().unwrap();
    let bucket = |dimension: &str, bucket: &str| {
        rows.iter()
            .find(|r| r["dimension"] == dimension && r["bucket"] == bucket)
            .unwrap_or_else(|| panic!("{dimension} {bucket} in {report:#}"))
    };
    let under = bucket("direction", "UNDER");
    let over = bucket("direction", "OVER");
    assert!(
        under["hit_rate"]["n"].as_u64() > over["hit_rate"]["n"].as_u64(),
        "xgboost_v7 mostly takes the UNDER"
    );
    // On real prop lines its edge is the market's: always taking the UNDER
    // on the same bets does as well.
    let real_lines = bucket("line_kind", "actual");
    assert!(
        real_lines["naive_note"]
            .as_str()
            .is_some_and(|n| n.contains("no better than always taking the UNDER")),
        "the plain-words note: {real_lines:#}"
    );
    assert!(
        f(&real_lines["hit_rate"]["pct"]) > 52.4,
        "it looks healthy: {real_lines:#}"
    );
    assert!(
        under["naive_note"].is_null(),
        "within a direction the model is the naive strategy: {under:#}"
    );
    let all = bucket("all", "all");
    // Every dimension's buckets add up to all bets.
    let total = all["hit_rate"]["n"].as_u64().unwrap();
    for dimension in [
        "edge",
        "direction",
        "line_kind",
        "bookmaker",
        "confidence_decile",
    ] {
        let sum: u64 = rows
            .iter()
            .filter(|r| r["dimension"] == dimension)
            .map(|r| r["hit_rate"]["n"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total, "{dimension}");
    }

    let production = json(&["splits", "--json"]);
    let books: Vec<(String, f64)> = production["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["dimension"] == "bookmaker" && r["bucket"] != "unknown")
        .map(|r| {
            (
                r["bucket"].as_str().unwrap().to_string(),
                f(&r["hit_rate"]["pct"]),
            )
        })
        .collect();
    let best = books.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert_eq!(best.0, "BETMGM", "the soft book wins most: {books:?}");
    let calibration = production["calibration"].as_array().unwrap();
    let top = calibration.last().unwrap();
    assert!(
        f(&top["mean_confidence"]) * 100.0 > f(&top["hit_rate"]["pct"]) + 5.0,
        "overconfident top decile: {top:#}"
    );
    assert!(f(&production["ece"]) > 0.0 && f(&production["brier"]) > 0.0);
}

#[test]
fn the_dashboard_tabs_print_the_cli_figures() {
    let versus = stdout(&["versus", "catboost_v8", "catboost_v9_shadow"]);
    let verdict = versus
        .lines()
        .find(|line| line.starts_with("verdict"))
        .unwrap()
        .to_string();
    let tab = stdout(&[
        "snapshot", "--tab", "versus", "--width", "200", "--height", "50",
    ]);
    assert!(tab.contains(&verdict), "{verdict}\n{tab}");
    assert!(tab.contains("6 Versus") && tab.contains("? help"), "{tab}");

    let splits = stdout(&["splits"]);
    let edge = splits
        .lines()
        .find(|line| line.starts_with("edge pays"))
        .unwrap()
        .to_string();
    let tab = stdout(&[
        "snapshot", "--tab", "splits", "--width", "200", "--height", "60",
    ]);
    assert!(tab.contains(&edge), "{edge}\n{tab}");
    assert!(tab.contains("reliability"), "{tab}");
    for size in [("80", "24"), ("120", "40")] {
        let tab = stdout(&[
            "snapshot", "--tab", "splits", "--width", size.0, "--height", size.1,
        ]);
        assert!(tab.contains("all bets"), "{size:?}\n{tab}");
    }
}

#[test]
fn dry_run_is_for_bigquery_and_says_so_on_the_embedded_store() {
    for args in [
        &["versus", "catboost_v8", "catboost_v9_shadow", "--dry-run"][..],
        &["splits", "--dry-run"][..],
        &["diag", "--dry-run"][..],
    ] {
        let output = run(args);
        assert!(!output.status.success(), "{args:?}");
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(message.contains("embedded store"), "{message}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
