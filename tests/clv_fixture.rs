//! Closing line value by hand (metrics.md section 18) on a fixture of seven
//! rows whose every close is known, on both sources: a bet against its own
//! book's last snapshot 0-45 minutes before tip-off (the earlier one, the
//! one outside the window and the one after tip-off ignored), a bet without
//! a book and one whose book never closed (the median over the books), a
//! push at the close, a bet with no closing snapshot at all, OVER and
//! UNDER, de-vigged prices, and a voided row that is no bet.

#[path = "common/emulator.rs"]
mod emulator;

use courtside::config::Config;
use courtside::source::embedded::EmbeddedStore;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SYSTEM: &str = "fixture_v1";
const DATE: &str = "2026-03-02";

/// `(player, recommendation, line, predicted, book, voided)`.
type Bet = (
    &'static str,
    &'static str,
    f64,
    f64,
    Option<&'static str>,
    bool,
);
/// `(player, book, minutes before tip-off, line, over price, under price)`.
type Snapshot = (
    &'static str,
    &'static str,
    i64,
    f64,
    Option<f64>,
    Option<f64>,
);

const BETS: [Bet; 7] = [
    ("p1", "OVER", 20.5, 25.0, Some("DraftKings"), false),
    ("p2", "UNDER", 15.5, 11.0, Some("fanduel"), false),
    ("p3", "OVER", 10.5, 15.0, None, false),
    ("p4", "UNDER", 8.5, 4.0, Some("betmgm"), false),
    ("p5", "OVER", 12.5, 17.0, Some("draftkings"), false),
    ("p6", "UNDER", 25.5, 21.0, Some("draftkings"), false),
    ("p7", "OVER", 30.5, 36.0, Some("draftkings"), true),
];

/// Tip-off 2026-03-03 00:00 UTC, so a snapshot's time is tip-off minus its
/// minutes.
const SNAPSHOTS: [Snapshot; 17] = [
    // p1 at its own book: 60 min is before the window, 40 is not the last,
    // -5 is after tip-off; the close is 10 min's 22.0 with its prices.
    ("p1", "draftkings", 60, 21.5, None, None),
    ("p1", "draftkings", 40, 21.0, Some(1.90), Some(1.90)),
    ("p1", "draftkings", 10, 22.0, Some(1.80), Some(2.10)),
    ("p1", "draftkings", -5, 25.0, Some(1.50), Some(2.60)),
    ("p1", "fanduel", 5, 30.0, None, None),
    // p2 at its own book: 14.5 (UNDER 15.5: +1.0).
    ("p2", "fanduel", 30, 15.0, None, None),
    ("p2", "fanduel", 2, 14.5, Some(2.00), Some(1.85)),
    ("p2", "draftkings", 3, 10.0, None, None),
    // p3 has no book: the median of 10.0, 11.0 and 12.5 is 11.0 (+0.5).
    ("p3", "draftkings", 20, 10.0, Some(1.9), Some(1.9)),
    ("p3", "fanduel", 20, 11.0, None, None),
    ("p3", "caesars", 20, 12.5, None, None),
    // p4's betmgm never closed (its only snapshot is 50 min out): the median
    // of 8.0 and 9.0 is 8.5, a push.
    ("p4", "betmgm", 50, 6.0, None, None),
    ("p4", "draftkings", 15, 8.0, None, None),
    ("p4", "fanduel", 15, 9.0, None, None),
    // p5: nothing within 45 minutes, no close.
    ("p5", "draftkings", 90, 13.5, None, None),
    // p6 at its own book: 26.5 (UNDER 25.5: -1.0), even prices.
    ("p6", "draftkings", 0, 26.5, Some(1.95), Some(1.95)),
    // p7 is voided: its close never counts.
    ("p7", "draftkings", 5, 35.0, None, None),
];

/// The store: the fixture's rows in the canonical tables.
fn build(path: &Path) {
    EmbeddedStore::open(path).expect("create the store");
    let connection = rusqlite::Connection::open(path).unwrap();
    for (player, recommendation, line, predicted, book, voided) in BETS {
        // Graded: p1, p3 and p5 hit, the rest missed (CLV does not read it).
        let actual: i64 = if matches!(player, "p1" | "p3" | "p5") {
            (line + 3.0) as i64
        } else {
            (line + 1.0) as i64
        };
        let correct = (recommendation == "OVER") == (actual as f64 > line);
        connection
            .execute(
                "INSERT INTO prediction_accuracy (player_lookup, game_id, game_date, system_id,
                   predicted_points, recommendation, line_value, actual_points, prediction_correct,
                   has_prop_line, line_source, line_bookmaker, is_voided,
                   is_superseded_prediction, graded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, 'ACTUAL_PROP', ?10, ?11, 0,
                   '2026-03-03 08:00:00')",
                rusqlite::params![
                    player,
                    format!("20260302_{player}"),
                    DATE,
                    SYSTEM,
                    predicted,
                    recommendation,
                    line,
                    actual,
                    correct,
                    book,
                    voided
                ],
            )
            .unwrap();
    }
    let tip = chrono::NaiveDate::from_ymd_opt(2026, 3, 3)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for (player, book, minutes, line, over, under) in SNAPSHOTS {
        let at = tip - chrono::Duration::minutes(minutes);
        connection
            .execute(
                "INSERT INTO odds_api_player_points_props (player_lookup, game_date, bookmaker,
                   snapshot_timestamp, game_id, game_start_time, minutes_before_tipoff,
                   points_line, over_price, under_price)
                 VALUES (?1, ?2, ?3, ?4, ?5, '2026-03-03 00:00:00', ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    player,
                    DATE,
                    book,
                    at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    format!("20260302_{player}"),
                    minutes,
                    line,
                    over,
                    under
                ],
            )
            .unwrap();
    }
}

fn clv_json(dir: &Path, config: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--config")
        .arg(config)
        .args([
            "clv", "--system", SYSTEM, "--from", DATE, "--to", DATE, "--json",
        ])
        .env("COURTSIDE_DATA_DIR", dir.join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The no-vig probability of the bet's side minus break-even at -110
/// (110/210), in points.
fn prob_points(side: f64, other: f64) -> f64 {
    let q = (1.0 / side) / (1.0 / side + 1.0 / other);
    100.0 * (q - 110.0 / 210.0)
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

/// Every figure of the report against the values worked out by hand above.
fn assert_hand_values(report: &Value) {
    let overall = &report["overall"];
    // p1 +1.5, p2 +1.0, p3 +0.5, p4 0 (push), p6 -1.0; p5 has no close;
    // p7 is voided.
    assert_eq!(overall["n"], 5, "{overall}");
    assert_eq!(overall["no_close"], 1, "{overall}");
    assert!(close(&overall["mean_points"], 0.4), "{overall}");
    assert!(overall["interval"].is_null(), "no interval under 30 bets");
    assert!(close(&overall["positive_pct"], 75.0), "3 of 4 non-zero");
    assert!(close(&overall["zero_pct"], 20.0), "one push in five");
    assert_eq!(overall["verdict"], "too_few_bets");
    // Prices only where the bet's own book closed with both: p1, p2, p6.
    assert_eq!(overall["prob_n"], 3, "{overall}");
    let prob = (prob_points(1.80, 2.10) + prob_points(1.85, 2.00) + prob_points(1.95, 1.95)) / 3.0;
    assert!(
        close(&overall["mean_prob_points"], prob),
        "{overall} vs {prob}"
    );

    let bucket = |dimension: &str, name: &str| -> Value {
        report["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["dimension"] == dimension && b["bucket"] == name)
            .unwrap_or_else(|| panic!("no bucket {dimension}/{name}: {}", report["buckets"]))["figures"]
            .clone()
    };
    // DraftKings (any case): p1 +1.5 and p6 -1.0 with a close, p5 without.
    let draftkings = bucket("bookmaker", "draftkings");
    assert_eq!(draftkings["n"], 2);
    assert_eq!(draftkings["no_close"], 1);
    assert!(close(&draftkings["mean_points"], 0.25), "{draftkings}");
    let fanduel = bucket("bookmaker", "fanduel");
    assert_eq!(fanduel["n"], 1);
    assert!(close(&fanduel["mean_points"], 1.0), "{fanduel}");
    let betmgm = bucket("bookmaker", "betmgm");
    assert!(close(&betmgm["mean_points"], 0.0), "the push: {betmgm}");
    // OVER: p1 +1.5, p3 +0.5 (p5 without); UNDER: p2 +1.0, p4 0, p6 -1.0.
    let over = bucket("direction", "OVER");
    assert_eq!(
        (over["n"].as_u64(), over["no_close"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(close(&over["mean_points"], 1.0), "{over}");
    let under = bucket("direction", "UNDER");
    assert_eq!(under["n"], 3);
    assert!(close(&under["mean_points"], 0.0), "{under}");
}

#[test]
fn the_close_of_a_fixture_equals_the_hand_computed_values_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("fixture.sqlite");
    build(&store);
    let mut config = Config::default();
    config.source.embedded_path = Some(store);
    let config = emulator::write_config(&config, dir.path(), "embedded.yaml");
    assert_hand_values(&clv_json(dir.path(), &config));
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn the_close_of_a_fixture_equals_the_hand_computed_values_on_bigquery() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("fixture.sqlite");
    build(&store_path);
    let runtime = emulator::runtime();
    let config = runtime.block_on(async {
        let (config, source) = emulator::fresh("clvfix").await;
        let store = EmbeddedStore::open(&store_path).unwrap();
        emulator::load_with_snapshots(&store, &source, &[DATE]).await;
        config
    });
    let config = emulator::write_config(&config, dir.path(), "bigquery.yaml");
    assert_hand_values(&clv_json(dir.path(), &config));
}
