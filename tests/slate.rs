//! `courtside slate` on the demo (metrics.md section 17): before tip-off a
//! system with no predictions is critical within the alarm window and only
//! info before it; the missing players are listed with reasons; after the
//! games the grading progress is told.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn courtside(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(dir.join("demo.sqlite"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .env_remove("COURTSIDE_NOW")
        .output()
        .unwrap()
}

fn slate(dir: &Path, date: &str, now: DateTime<Utc>) -> (Option<i32>, Value) {
    let now = now.to_rfc3339();
    let output = courtside(dir, &["slate", "--date", date, "--now", &now, "--json"]);
    let value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), value)
}

fn system<'a>(slate: &'a Value, id: &str) -> &'a Value {
    slate["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["system_id"] == id)
        .unwrap_or_else(|| panic!("{id} not on the slate: {slate}"))
}

const DATE: &str = "2026-04-10";
const REMOVED: &str = "catboost_v9_shadow";

#[test]
fn a_system_without_predictions_is_critical_within_the_alarm_window_and_info_before() {
    let dir = tempfile::tempdir().unwrap();
    let output = courtside(dir.path(), &["demo", "--seasons", "1"]);
    assert!(output.status.success(), "{output:?}");
    let connection = rusqlite::Connection::open(dir.path().join("demo.sqlite")).unwrap();
    let removed = connection
        .execute(
            "DELETE FROM player_prop_predictions WHERE system_id = ?1 AND game_date = ?2",
            [REMOVED, DATE],
        )
        .unwrap();
    assert!(removed > 100, "{removed}");
    drop(connection);

    // Read the first tip-off from a slate long before the games.
    let morning: DateTime<Utc> = "2026-04-10T14:00:00Z".parse().unwrap();
    let (code, early) = slate(dir.path(), DATE, morning);
    let first_tip: DateTime<Utc> = early["first_tip"].as_str().unwrap().parse().unwrap();
    assert_eq!(early["phase"], "pregame");
    assert!(early["games"].as_array().unwrap().len() >= 5, "{early}");
    assert!(early["players_with_line"].as_u64().unwrap() > 50);

    // Before the window (more than 120 minutes to the first tip-off): info at most.
    let (code_before, before) = slate(dir.path(), DATE, first_tip - Duration::minutes(180));
    let shadow = system(&before, REMOVED);
    assert_eq!(shadow["level"], "info", "{shadow}");
    assert_eq!(shadow["predicted"], 0);
    assert_eq!(code_before, Some(0));
    let _ = code;

    // Within the window: critical, with its message and every missing
    // player with a reason.
    let (code_within, within) = slate(dir.path(), DATE, first_tip - Duration::minutes(60));
    assert_eq!(code_within, Some(2), "{within}");
    assert_eq!(within["level"], "critical");
    let shadow = system(&within, REMOVED);
    assert_eq!(shadow["level"], "critical", "{shadow}");
    assert_eq!(shadow["rule"], "pregame_zero");
    assert!(
        shadow["message"].as_str().unwrap().contains(&format!(
            "{REMOVED} has made no predictions for {DATE}; first tip-off in 60 minutes"
        )),
        "{shadow}"
    );
    let missing = shadow["missing"].as_array().unwrap();
    assert_eq!(
        missing.len() as u64,
        within["players_with_line"].as_u64().unwrap()
    );
    assert!(missing.iter().all(|m| m["reason"].is_string()));
    assert!(
        missing.iter().any(|m| m["reason"] == "no_features"),
        "players without a feature row are named so: {missing:?}"
    );
    // The untouched production system predicted nearly everyone.
    let production = system(&within, "catboost_v8");
    assert_eq!(production["level"], "healthy", "{production}");
    assert!(production["predicted_coverage"].as_f64().unwrap() > 0.9);

    // After the games: every game final, grading progress per system.
    let (_, after) = slate(dir.path(), DATE, first_tip + Duration::hours(14));
    assert_eq!(after["phase"], "final");
    let production = system(&after, "catboost_v8");
    assert_eq!(
        production["grading"]["graded"], production["grading"]["predicted"],
        "{production}"
    );
    assert!(
        production["grading"]["hours_since_last_final"]
            .as_f64()
            .unwrap()
            > 6.0
    );

    // The text says the same at 80 columns.
    let now = (first_tip - Duration::minutes(60)).to_rfc3339();
    let text = courtside(dir.path(), &["slate", "--date", DATE, "--now", &now]);
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.starts_with("✖ CRITICAL  slate 2026-04-10"), "{text}");
    assert!(text.contains("    missing: "), "{text}");
    assert!(
        text.lines().all(|line| line.chars().count() <= 80),
        "{text}"
    );
}
