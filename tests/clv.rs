//! Closing line value on the demo (metrics.md section 18): every bet of the
//! window is either with a close or counted as without one (the same bets
//! as Splits counts), each close recomputed here from the raw snapshot
//! table by hand gives the same mean, and `diag --json` carries `clv`.

mod common;

use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output};

/// A one-season demo store of its own, and courtside run on it.
struct Demo {
    dir: tempfile::TempDir,
    store: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("demo.sqlite");
        let demo = Demo { dir, store };
        let built = demo.run(&["demo", "--seasons", "1"]);
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        demo
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env("COURTSIDE_DATA_DIR", self.dir.path())
            .env("COURTSIDE_CONFIG_DIR", self.dir.path())
            .output()
            .unwrap()
    }

    /// `args`' JSON, from a command that exits with a level (0-3).
    fn json(&self, args: &[&str]) -> Value {
        let output = self.run(args);
        assert!(
            output.status.code().is_some_and(|c| c <= 3),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

#[test]
fn the_close_of_every_bet_is_the_books_last_snapshot_and_the_mean_agrees_by_hand() {
    let demo = Demo::new();
    let store = &demo.store;
    let run = |args: &[&str]| {
        let output = demo.run(args);
        assert!(
            output.status.code().is_some_and(|c| c <= 3),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };
    let window = ["--from", "2026-04-01", "--to", "2026-04-12"];
    let mut args = vec!["clv", "--system", "catboost_v8", "--json"];
    args.extend(window);
    let report: Value = serde_json::from_slice(&run(&args).stdout).unwrap();
    let overall = &report["overall"];
    let with_close = overall["n"].as_u64().unwrap();
    let without = overall["no_close"].as_u64().unwrap();
    assert!(with_close > 100, "{overall}");
    // The same bets as Splits.
    let args = [
        "splits",
        "--system",
        "catboost_v8",
        "--date",
        "2026-04-12",
        "--days",
        "12",
        "--json",
    ];
    let splits: Value = serde_json::from_slice(&run(&args).stdout).unwrap();
    let all_bets = splits["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["dimension"] == "all")
        .map(|row| row["hit_rate"]["n"].as_u64().unwrap())
        .unwrap();
    assert_eq!(with_close + without, all_bets, "every bet counted once");

    // By hand: the last snapshot 0-45 minutes before tip-off per player,
    // date and book; each bet of a named book against its own book's close.
    let connection = rusqlite::Connection::open(store).unwrap();
    let mut closes: HashMap<(String, String, String), (String, f64)> = HashMap::new();
    let mut statement = connection
        .prepare(
            "SELECT player_lookup, game_date, lower(bookmaker), snapshot_timestamp, points_line
             FROM odds_api_player_points_props
             WHERE game_date BETWEEN '2026-04-01' AND '2026-04-12'
               AND minutes_before_tipoff BETWEEN 0 AND 45",
        )
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        let key = (
            row.get(0).unwrap(),
            row.get(1).unwrap(),
            row.get(2).unwrap(),
        );
        let at: String = row.get(3).unwrap();
        let line: f64 = row.get(4).unwrap();
        let entry = closes.entry(key).or_insert((at.clone(), line));
        if at > entry.0 {
            *entry = (at, line);
        }
    }
    let by_book: Vec<&Value> = report["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["dimension"] == "bookmaker" && b["bucket"] != "unknown")
        .collect();
    assert!(!by_book.is_empty());
    // The bets (one row per player and game here: the demo's graded rows
    // that are not superseded) at a named book.
    let mut statement = connection
        .prepare(
            "SELECT player_lookup, game_date, lower(line_bookmaker), line_value, recommendation
             FROM prediction_accuracy
             WHERE system_id = 'catboost_v8' AND game_date BETWEEN '2026-04-01' AND '2026-04-12'
               AND recommendation IN ('OVER', 'UNDER') AND line_value IS NOT NULL
               AND prediction_correct IS NOT NULL AND NOT COALESCE(is_voided, 0)
               AND NOT COALESCE(is_superseded_prediction, 0)
               AND actual_points IS NOT NULL
               AND abs(predicted_points - line_value) >= 3 - 1e-9
               AND line_bookmaker IS NOT NULL AND line_bookmaker <> ''",
        )
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut per_book: HashMap<String, (f64, u64)> = HashMap::new();
    while let Some(row) = rows.next().unwrap() {
        let player: String = row.get(0).unwrap();
        let date: String = row.get(1).unwrap();
        let book: String = row.get(2).unwrap();
        let line: f64 = row.get(3).unwrap();
        let over = row.get::<_, String>(4).unwrap() == "OVER";
        // Its own book's close, else the median over the books that closed.
        let own = closes
            .get(&(player.clone(), date.clone(), book.clone()))
            .map(|(_, c)| *c);
        let mut others: Vec<f64> = closes
            .iter()
            .filter(|((p, d, _), _)| *p == player && *d == date)
            .map(|(_, (_, c))| *c)
            .collect();
        others.sort_by(f64::total_cmp);
        let median = match others.len() {
            0 => None,
            n if n % 2 == 1 => Some(others[n / 2]),
            n => Some((others[n / 2 - 1] + others[n / 2]) / 2.0),
        };
        if let Some(close) = own.or(median) {
            let points = if over { close - line } else { line - close };
            let entry = per_book.entry(book).or_insert((0.0, 0));
            entry.0 += points;
            entry.1 += 1;
        }
    }
    let mut checked = 0;
    for bucket in by_book {
        let book = bucket["bucket"].as_str().unwrap();
        let figures = &bucket["figures"];
        let (sum, n) = per_book.get(book).copied().unwrap_or_default();
        if n == figures["n"].as_u64().unwrap() && n > 0 {
            let mean = figures["mean_points"].as_f64().unwrap();
            checked += 1;
            assert!(
                (mean - sum / n as f64).abs() < 1e-9,
                "{book}: {mean} vs {}",
                sum / n as f64
            );
        } else {
            assert!(
                n <= figures["n"].as_u64().unwrap(),
                "{book}: {n} by hand, {figures}"
            );
        }
    }

    assert!(
        checked >= 1,
        "no book's mean was checked by hand: {per_book:?} {:?}",
        report["buckets"]
    );

    // diag carries it, the text says it.
    let diag: Value =
        serde_json::from_slice(&run(&["diag", "--date", "2026-04-12", "--json"]).stdout).unwrap();
    assert_eq!(diag["clv"]["from"], "2026-03-14");
    assert!(diag["clv"]["overall"]["n"].as_u64().unwrap() > 0);
    let text = String::from_utf8_lossy(&run(&["clv", "--system", "xgboost_v7"]).stdout).to_string();
    assert!(
        text.contains("by bookmaker:") && text.contains("by edge:"),
        "{text}"
    );
}

/// A snapshot table the close's query cannot read (a renamed column) never
/// blinds `diag`: its figures stand and `clv` is null; `courtside clv` says
/// what failed.
#[test]
fn a_snapshot_table_that_does_not_read_leaves_diag_whole() {
    let demo = Demo::new();
    let run = |args: &[&str]| demo.run(args);
    let connection = rusqlite::Connection::open(&demo.store).unwrap();
    connection
        .execute_batch(
            "ALTER TABLE odds_api_player_points_props RENAME COLUMN minutes_before_tipoff TO mbt",
        )
        .unwrap();
    drop(connection);
    let output = run(&["diag", "--date", "2026-04-12", "--json"]);
    assert!(
        output.status.code().is_some_and(|c| c <= 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let diag: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(diag["clv"].is_null(), "{}", diag["clv"]);
    assert!(diag["hit_rate_7d"].as_f64().is_some());
    let output = run(&["clv", "--to", "2026-04-12"]);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("minutes_before_tipoff"), "{error}");
}

/// Versus carries the paired closing line value of two systems, in the CLI
/// and on the tab (the same lines), and it equals the mean of the paired
/// differences of the two systems' own bets.
#[test]
fn versus_shows_the_paired_clv_difference_on_the_cli_and_the_tab() {
    let demo = Demo::new();
    let run = |args: &[&str]| demo.run(args);
    let window = ["--from", "2026-03-14", "--to", "2026-04-12"];
    let mut args = vec!["versus", "catboost_v8", "xgboost_v7", "--json"];
    args.extend(window);
    let report: Value = serde_json::from_slice(&run(&args).stdout).unwrap();
    let clv = &report["clv_difference"];
    let n = clv["n"].as_u64().unwrap();
    assert!(n >= 30, "{clv}");
    assert!(clv["interval"]["low"].as_f64().unwrap() <= clv["mean_points"].as_f64().unwrap());
    let screen = run(&[
        "snapshot",
        "--tab",
        "versus",
        "--system",
        "catboost_v8",
        "--date",
        "2026-04-12",
        "--width",
        "140",
        "--height",
        "50",
    ]);
    let screen = String::from_utf8_lossy(&screen.stdout);
    assert!(screen.contains("CLV(B)-CLV(A)"), "{screen}");
    insta::assert_snapshot!("versus_paired_clv_120x40", versus_screen(&demo));
}

/// The Versus tab of catboost_v8 against xgboost_v7 on 2026-04-12 at
/// 120x40, loaded by the dashboard's own function, at the fixtures' clock.
fn versus_screen(demo: &Demo) -> String {
    use common::{date, new_app_at, now, render, request_of};
    use courtside::tui::action::{Action, Fetch, Payload, Selection, Tab};
    let store = courtside::source::embedded::EmbeddedStore::open(&demo.store).unwrap();
    let (mut app, _) = new_app_at(date("2026-04-12"));
    let effects = app.update(Action::SelectTab(Tab::Versus));
    let thresholds = courtside::config::Thresholds::default();
    let selection = Selection {
        date: date("2026-04-12"),
        system: "catboost_v8".to_string(),
    };
    let versus = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(courtside::tui::data::load_versus(
            &store,
            &selection,
            Some("xgboost_v7"),
            courtside::service::comparisons::Judging {
                thresholds: &thresholds,
                margin_pp: 1.0,
            },
        ))
        .unwrap();
    app.update(Action::Loaded {
        what: Fetch::Versus,
        request: request_of(&effects, Fetch::Versus),
        at: now(),
        result: Ok(Payload::Versus(Box::new(versus))),
    });
    let screen = render(&app, 120, 40);
    assert!(screen.contains("CLV(B)-CLV(A)"), "{screen}");
    screen
}

/// The demo's three stories with the close (docs/decisions.md): one system
/// beats it, one does not, and one whose week looks good on a small sample
/// loses to it, on that week's tens of bets as over the 30 days.
#[test]
fn the_demo_tells_three_stories_with_the_close() {
    let demo = Demo::new();
    let verdict = |system: &str, from: &str| -> Value {
        demo.json(&[
            "clv",
            "--system",
            system,
            "--from",
            from,
            "--to",
            "2026-04-12",
            "--json",
        ])["overall"]
            .clone()
    };
    let beats = verdict("xgboost_v7", "2026-03-14");
    assert_eq!(beats["verdict"], "beats_the_close", "{beats}");
    let champion = verdict("catboost_v8", "2026-03-14");
    assert_eq!(champion["verdict"], "no_evidence", "{champion}");
    let chased = verdict("ensemble_v1", "2026-03-14");
    assert_eq!(chased["verdict"], "loses_to_the_close", "{chased}");

    // Its week: a hit rate well above break-even (52.38%) that is not yet
    // proof (its interval reaches below it) ...
    let rate = |system: &str| -> Value {
        demo.json(&["diag", "--system", system, "--date", "2026-04-12", "--json"])
            ["hit_rate_7d_detail"]
            .clone()
    };
    let week = rate("ensemble_v1");
    assert!(week["pct"].as_f64().unwrap() > 57.0, "{week}");
    assert!(week["n"].as_u64().unwrap() < 200, "a small sample: {week}");
    assert!(week["interval"]["low"].as_f64().unwrap() < 52.38, "{week}");
    // ... while the close's verdict on that week's bets is already in.
    let close_week = verdict("ensemble_v1", "2026-04-06");
    assert_eq!(close_week["verdict"], "loses_to_the_close", "{close_week}");
    assert!(
        close_week["n"].as_u64().unwrap() < 100,
        "tens of bets: {close_week}"
    );
}

/// Splits carry each bucket's close beside its hit rate (metrics.md 18):
/// all bets, direction, book and edge equal `courtside clv`'s figures of
/// the same window, and the tab shows the column the CLI prints.
#[test]
fn splits_show_each_buckets_close_as_clv_computes_it() {
    let demo = Demo::new();
    let splits = demo.json(&["splits", "--system", "ensemble_v1", "--json"]);
    let clv = demo.json(&["clv", "--system", "ensemble_v1", "--json"]);
    assert_eq!(splits["from"], clv["from"]);
    assert_eq!(splits["to"], clv["to"]);
    let of_clv = |dimension: &str, bucket: &str| -> Value {
        clv["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["dimension"] == dimension && b["bucket"] == bucket)
            .map(|b| b["figures"].clone())
            .unwrap_or_else(|| panic!("clv has no {dimension} {bucket}"))
    };
    let mut compared = 0;
    for row in splits["rows"].as_array().unwrap() {
        let bucket = row["bucket"].as_str().unwrap();
        let expected = match row["dimension"].as_str().unwrap() {
            "all" => clv["overall"].clone(),
            "direction" => of_clv("direction", bucket),
            "bookmaker" => of_clv("bookmaker", &bucket.to_lowercase()),
            "edge" => {
                // `[3,4)` here is `edge [3, 4)` there.
                let label = format!("edge {}", bucket.replace(',', ", "));
                of_clv("edge", &label)
            }
            _ => {
                assert!(row["clv"].is_null(), "{row}");
                continue;
            }
        };
        assert_eq!(row["clv"], expected, "{bucket}");
        compared += 1;
    }
    assert!(compared >= 10, "{compared} rows compared");
    assert_eq!(
        clv["overall"]["verdict"], "loses_to_the_close",
        "the chased system"
    );

    let text = String::from_utf8_lossy(&demo.run(&["splits", "--system", "ensemble_v1"]).stdout)
        .to_string();
    let screen = String::from_utf8_lossy(
        &demo
            .run(&[
                "snapshot",
                "--tab",
                "splits",
                "--system",
                "ensemble_v1",
                "--width",
                "160",
                "--height",
                "50",
            ])
            .stdout,
    )
    .to_string();
    let all_bets = |text: &str| -> Option<String> {
        text.lines()
            .find(|line| line.contains("all bets"))
            .map(str::to_string)
    };
    let cli_row = all_bets(&text).unwrap();
    let mean = clv["overall"]["mean_points"].as_f64().unwrap();
    let cell = format!("{mean:+.2} ▼");
    assert!(cli_row.contains(&cell), "{cli_row} lacks {cell}");
    let tab_row = all_bets(&screen).unwrap_or_else(|| panic!("{screen}"));
    assert!(tab_row.contains(&cell), "{tab_row} lacks {cell}");
    assert!(screen.contains("CLV"), "{screen}");
}
