//! `import` takes the team's rows as their pipeline writes them
//! (data-contract.md Rev. 3): the whole line-source vocabulary (a value no
//! list names included: it is named when read, never a reason to refuse the
//! file), a bet graded once per line value, and diagnostics rows with their
//! class's `UNKNOWN` bias and `ok` level; and what the commands then say.

#[path = "common/transfer.rs"]
mod transfer;

use serde_json::Value;
use transfer::*;

const SOURCES: [&str; 8] = [
    "ACTUAL_PROP",
    "ODDS_API",
    "BETTINGPROS",
    "VEGAS_BACKFILL",
    "ESTIMATED_AVG",
    "NO_PROP_LINE",
    "NO_VEGAS_DATA",
    "ODDS_API_V2",
];

fn json(dir: &std::path::Path, store: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["--store", store.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = courtside(dir, &all);
    assert!(
        output.status.code().is_some_and(|code| code <= 3),
        "{all:?}: {}",
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{all:?}: {error}: {}", text(&output.stdout)))
}

#[test]
fn the_teams_vocabulary_and_a_bets_line_values_import_and_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("team.sqlite");
    let mut lines: Vec<String> = SOURCES
        .iter()
        .enumerate()
        .map(|(i, source)| {
            prediction_line(&format!("player{i}"), "20260105_LAL_BOS", "2026-01-05", "s")
                .replace("ACTUAL_PROP", source)
        })
        .collect();
    // The grader's second row of player0's bet: a line one point lower.
    lines.push(
        prediction_line("player0", "20260105_LAL_BOS", "2026-01-05", "s")
            .replace(",24.5,", ",23.5,"),
    );
    let file = write(dir, "predictions.csv", predictions_csv(&lines));
    let said = ok(
        dir,
        &store,
        &["import", "prediction_accuracy", file.to_str().unwrap()],
    );
    assert!(said.contains("imported 9 rows"), "{said}");

    let day = json(
        dir,
        &store,
        &["diag", "--date", "2026-01-05", "--system", "s", "--json"],
    );
    // Eight bets from nine rows; the extra row named, and the unlisted value.
    assert_eq!(day["predictions_made"], 8, "{day}");
    let factors = day["contributing_factors"].to_string();
    assert!(
        factors.contains("1 duplicate row of a bet left out"),
        "{factors}"
    );
    assert!(factors.contains("ODDS_API_V2 (1)"), "{factors}");
    // The four real-line sources are the actual lines beats-Vegas counts.
    assert_eq!(day["beats_vegas_n"], 4, "{day}");
}

#[test]
fn the_teams_diagnostics_rows_import_and_nothing_measured_is_not_healthy() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let store = dir.join("team.sqlite");
    let file = write(
        dir,
        "diagnostics.csv",
        "game_date,computed_at,model_beats_vegas_pct,sharpness_status,bias_direction,\
         primary_cause,alert_triggered,alert_level,alert_message\n\
         2026-01-20,2026-01-21 08:00:00 UTC,50.0,NO_DATA,UNKNOWN,NORMAL_VARIANCE,false,ok,\n\
         2026-01-21,2026-01-22 08:00:00 UTC,43.5,SHARP,OVER,VEGAS_SHARP,true,warning,[WARNING] beats-Vegas 43.5%\n",
    );
    let said = ok(
        dir,
        &store,
        &[
            "import",
            "performance_diagnostics_daily",
            file.to_str().unwrap(),
        ],
    );
    assert!(said.contains("imported 2 rows"), "{said}");
    let history = ok(
        dir,
        &store,
        &["history", "--from", "2026-01-20", "--to", "2026-01-21"],
    );
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    // `ok` with no hit rate and a neutral 50% is not a measured healthy day.
    assert!(lines[0].contains("? unknown"), "{}", lines[0]);
    assert!(lines[0].contains("bias —"), "{}", lines[0]);
    assert!(!lines[0].contains("UNKNOWN?"), "{}", lines[0]);
    assert!(
        lines[1].contains("warning") && lines[1].contains("bias over"),
        "{}",
        lines[1]
    );
}
