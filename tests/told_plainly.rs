//! Numbers told as what they are, on the one-season demo (the reference
//! check's three small defects, #31): no McNemar p-value where no test was
//! run, and a date without games said to be one. (The thin shot-zone
//! completeness is a unit test of `format::completeness`.)

#[path = "common/demo.rs"]
mod demo;

use std::path::Path;
use std::process::Output;

fn courtside(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--store")
        .arg(dir.join("demo.sqlite"))
        .args(args)
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn no_test_no_p_value_and_a_date_without_games_is_said_to_be_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo::demo_store(d);

    // FEATURE_REF_CREW shares no bets with production: no paired
    // disagreements, so no test and no p-value (metrics.md section 9).
    let text = stdout(&courtside(d, &["gap", "--experiment", "FEATURE_REF_CREW"]));
    assert!(
        text.contains("McNemar: no data (0 paired bets, no paired disagreements)"),
        "{text}"
    );
    assert!(!text.contains("p=1.000"), "{text}");
    let output = courtside(d, &["gap", "--experiment", "FEATURE_REF_CREW", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["paired_bets"], 0, "{json:#}");
    assert!(json["mcnemar"].is_null(), "{json:#}");
    // With paired disagreements the test runs.
    let paired = stdout(&courtside(
        d,
        &["gap", "--experiment", "JAN_DEC_WALKFORWARD_V9"],
    ));
    assert!(paired.contains("McNemar on "), "{paired}");

    // Christmas Eve: the demo's schedule, like the league's, has no games.
    let text = stdout(&courtside(d, &["diag", "--date", "2025-12-24"]));
    assert!(
        text.contains("· no games on 2025-12-24: nothing was scheduled or played"),
        "{text}"
    );
    let played = stdout(&courtside(d, &["diag", "--date", "2025-12-23"]));
    assert!(
        !played.contains("no games on"),
        "a game date is not told as one without games: {played}"
    );
}
