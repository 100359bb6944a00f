//! The README's demo figures are the demo's (issue: the dashboard an
//! on-call engineer keeps open: "usually 298" had become 296): the size of
//! the three-season demo and the alert-rule paragraph are computed here
//! from the default demo and must read as the README prints them.

use serde_json::Value;
use std::process::Command;

/// `59.7%`, and `100%` for a certainty, as the README writes rates.
fn percent(value: f64) -> String {
    if value >= 99.95 {
        "100%".to_string()
    } else {
        format!("{value:.1}%")
    }
}

#[test]
fn the_readme_prints_the_demos_own_figures() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.path())
            .env("COURTSIDE_CONFIG_DIR", dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // The default demo: three seasons.
    let built = run(&["demo"]);
    let number_before = |text: &str, word: &str| -> f64 {
        let at = text
            .find(word)
            .unwrap_or_else(|| panic!("no `{word}` in {text}"));
        text[..at]
            .split_whitespace()
            .last()
            .unwrap()
            .trim_start_matches('~')
            .replace(',', "")
            .parse()
            .unwrap()
    };
    let predictions = number_before(&built, " predictions");
    let experiments = number_before(&built, " experiments");
    let sentence = readme
        .split("demo dataset (three seasons, ")
        .nth(1)
        .expect("the README's demo sentence");
    let said = number_before(sentence, " graded predictions");
    assert!(
        (said - predictions).abs() <= 0.01 * predictions,
        "README says ~{said} predictions, the demo has {predictions}"
    );
    assert_eq!(number_before(sentence, " experiments"), experiments);

    // The alert rules on the demo's champion, as the paragraph says them.
    let alerts: Value = serde_json::from_str(&run(&["alerts", "--json"])).unwrap();
    let rule = |name: &str| -> &Value {
        alerts["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == name)
            .unwrap_or_else(|| panic!("no rule {name}"))
    };
    let rate = |name: &str| percent(rule(name)["false_alarm_90d"].as_f64().unwrap());
    let delay = |name: &str| format!("{:.0}", rule(name)["delay_to_break_even"].as_f64().unwrap());
    let expected = [
        format!("({} bets a game date", alerts["bets_per_day"]),
        format!("fires in **{}** of 90-day", rate("team_watch")),
        format!("(< 55% on 3) in **{}**", rate("team_alert")),
        format!("(< 52.4%) in {};", rate("team_block")),
        format!(
            "warning pair in {} and its CUSUM in {}",
            rate("warning_pair"),
            rate("cusum")
        ),
        format!(
            "catching a drop in {} and {} game dates",
            delay("warning_pair"),
            delay("cusum")
        ),
    ];
    for phrase in expected {
        assert!(readme.contains(&phrase), "README lacks `{phrase}`");
    }
}
