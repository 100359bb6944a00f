//! Which rows count on the team's real tables (metrics.md section 1, Rev. 3),
//! on the demo season, whose rows have the team's shapes: a bet the grader
//! kept once per line value counts once (every figure equals the same
//! question on a copy with the extra rows removed by the rule, the kept day
//! sums included, plus exactly the `duplicate_rows` finding), and the line
//! kinds follow the team's whole vocabulary (`VEGAS_BACKFILL`, `ODDS_API` and
//! `BETTINGPROS` are real lines; a value no list names is named with its
//! count). The same rows on BigQuery give the same numbers:
//! tests/bigquery_agrees.rs runs this season through both sources.

#[path = "common/run_dir.rs"]
mod run_dir;

use chrono::NaiveDate;
use courtside::config::Config;
use courtside::demo::{self, DemoOptions};
use courtside::model::{DayStatsBundle, Diagnostics};
use courtside::service;
use courtside::source::embedded::{EmbeddedStore, query_day_stats};
use courtside::source::{DayStatsQuery, Source};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Dates whose 7-day window holds the demo's duplicate rows (Dec 26 - Jan 15)
/// or its unlisted line source (Jan 10), and one after them.
const DATES: [&str; 5] = [
    "2025-12-29",
    "2026-01-05",
    "2026-01-10",
    "2026-01-15",
    "2026-02-03",
];

struct Stores {
    /// The demo season as the team's grader wrote it.
    with_duplicates: PathBuf,
    /// The same rows with every bet's extra rows removed by the rule.
    deduplicated: PathBuf,
    /// `(system, date)` -> rows removed.
    removed: HashMap<(String, NaiveDate), u64>,
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// One bet's stored row, as the rule reads it.
struct StoredRow {
    rowid: i64,
    key: (String, String, String, String),
    superseded: bool,
    graded_at: Option<String>,
    line: Option<f64>,
}

/// The rule, written out here on its own: of a bet's rows that are not
/// superseded, the latest `graded_at`, then the greatest `line_value`, counts;
/// the others are removed. (The demo's extra rows differ in the line only.)
fn remove_duplicates(path: &Path) -> HashMap<(String, NaiveDate), u64> {
    let connection = Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT rowid, system_id, player_lookup, game_id, game_date,
                    COALESCE(is_superseded_prediction, 0), graded_at, line_value
             FROM prediction_accuracy",
        )
        .unwrap();
    let rows: Vec<StoredRow> = statement
        .query_map([], |row| {
            Ok(StoredRow {
                rowid: row.get(0)?,
                key: (row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?),
                superseded: row.get::<_, i64>(5)? != 0,
                graded_at: row.get(6)?,
                line: row.get(7)?,
            })
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    drop(statement);
    let mut bets: HashMap<&(String, String, String, String), Vec<&StoredRow>> = HashMap::new();
    for row in rows.iter().filter(|row| !row.superseded) {
        bets.entry(&row.key).or_default().push(row);
    }
    let mut removed = HashMap::new();
    let transaction = connection.unchecked_transaction().unwrap();
    for (key, mut rows) in bets {
        if rows.len() < 2 {
            continue;
        }
        rows.sort_by(|a, b| {
            (&b.graded_at, b.line.unwrap_or(f64::MIN))
                .partial_cmp(&(&a.graded_at, a.line.unwrap_or(f64::MIN)))
                .unwrap()
        });
        for extra in &rows[1..] {
            transaction
                .execute(
                    "DELETE FROM prediction_accuracy WHERE rowid = ?1",
                    [extra.rowid],
                )
                .unwrap();
            *removed.entry((key.0.clone(), date(&key.3))).or_default() += 1;
        }
    }
    transaction.commit().unwrap();
    removed
}

fn stores() -> &'static Stores {
    static STORES: std::sync::OnceLock<Stores> = std::sync::OnceLock::new();
    STORES.get_or_init(|| {
        let dir = run_dir::run_dir("team_rows");
        let with_duplicates = dir.join("team.sqlite");
        let store = EmbeddedStore::open(&with_duplicates).expect("store");
        let options = DemoOptions {
            seasons: 1,
            ..DemoOptions::default()
        };
        demo::build(&store, options, false).expect("demo build");
        drop(store);
        let deduplicated = dir.join("deduplicated.sqlite");
        std::fs::copy(&with_duplicates, &deduplicated).unwrap();
        let removed = remove_duplicates(&deduplicated);
        Stores {
            with_duplicates,
            deduplicated,
            removed,
        }
    })
}

fn diagnose(path: &Path, day: &str) -> Diagnostics {
    let config = Config::default();
    let store = EmbeddedStore::open_existing(path).expect("store");
    runtime()
        .block_on(service::diagnose_day(
            &store,
            date(day),
            &config.production_system,
            &config.thresholds,
        ))
        .expect("diagnostics")
}

/// Every figure of a day's diagnostics, with the finding about duplicate
/// rows (and the cause it may tip) taken out.
fn figures(diagnostics: &Diagnostics) -> Value {
    let mut value = serde_json::to_value(diagnostics).unwrap();
    let object = value.as_object_mut().unwrap();
    for field in ["cause", "alert_message", "recommendations", "computed_at"] {
        object.remove(field);
    }
    object["quality"]
        .as_object_mut()
        .unwrap()
        .remove("duplicate_rows_7d");
    object["quality"]
        .as_object_mut()
        .unwrap()
        .remove("predictions_7d");
    value
}

fn duplicate_factor(diagnostics: &Diagnostics) -> Option<String> {
    diagnostics
        .cause
        .contributing_factors
        .iter()
        .flatten()
        .map(|factor| factor.details.clone())
        .find(|details| details.contains("duplicate row"))
}

#[test]
fn a_bets_extra_rows_change_no_figure_and_are_named_once() {
    let stores = stores();
    let system = Config::default().production_system;
    let total_removed: u64 = stores.removed.values().sum();
    assert!(
        total_removed > 100,
        "the demo has duplicates: {total_removed}"
    );
    for day in DATES {
        // Twice each: a first pass that keeps the day sums, then the kept sums.
        for round in ["first pass", "kept sums"] {
            let with = diagnose(&stores.with_duplicates, day);
            let without = diagnose(&stores.deduplicated, day);
            assert_eq!(figures(&with), figures(&without), "{day}, {round}");
            let in_window: u64 = stores
                .removed
                .iter()
                .filter(|((s, d), _)| {
                    *s == system && *d <= date(day) && (date(day) - *d).num_days() < 7
                })
                .map(|(_, n)| *n)
                .sum();
            assert_eq!(with.quality.duplicate_rows_7d, in_window, "{day}, {round}");
            assert_eq!(without.quality.duplicate_rows_7d, 0, "{day}, {round}");
            assert_eq!(duplicate_factor(&without), None, "{day}, {round}");
            match duplicate_factor(&with) {
                Some(details) => assert!(
                    in_window > 0 && details.starts_with(&format!("{in_window} duplicate row")),
                    "{day}, {round}: {details}"
                ),
                None => assert_eq!(in_window, 0, "{day}, {round}"),
            }
        }
    }
}

/// Every cell and system day of a range, from a fresh pass.
fn bundle(path: &Path, query: &DayStatsQuery) -> DayStatsBundle {
    let store = EmbeddedStore::open_existing(path).expect("store");
    query_day_stats(&store.connect().unwrap(), query).expect("day stats")
}

#[test]
fn every_cell_of_the_duplicate_weeks_equals_the_deduplicated_store() {
    let stores = stores();
    let config = Config::default();
    let query = DayStatsQuery::new(
        date("2025-12-20"),
        date("2026-01-20"),
        None,
        &config.thresholds,
    );
    let mut with = bundle(&stores.with_duplicates, &query);
    let without = bundle(&stores.deduplicated, &query);
    assert_eq!(with.day_stats, without.day_stats);
    // The kept sums read back the same cells and counts.
    let kept = runtime().block_on(async {
        let store = EmbeddedStore::open_existing(&stores.with_duplicates).unwrap();
        store.day_stats(&query).await.unwrap();
        store.day_stats(&query).await.unwrap()
    });
    assert_eq!(kept.day_stats, with.day_stats);
    assert_eq!(kept.system_days, with.system_days);
    let mut removed_seen = 0;
    for day in &mut with.system_days {
        let removed = stores
            .removed
            .get(&(day.system_id.clone(), day.game_date))
            .copied()
            .unwrap_or(0);
        assert_eq!(
            day.duplicate_rows, removed,
            "{} {}",
            day.system_id, day.game_date
        );
        removed_seen += removed;
        day.duplicate_rows = 0;
    }
    assert!(removed_seen > 50, "{removed_seen}");
    assert_eq!(with.system_days, without.system_days);
}

#[test]
fn the_teams_real_lines_are_actual_and_an_unlisted_value_is_named_with_its_count() {
    let stores = stores();
    let system = Config::default().production_system;
    let connection = Connection::open(&stores.deduplicated).unwrap();
    let day = "2026-01-10";
    // Independently: graded rows with a line of the 14-day window, by source.
    let mut statement = connection
        .prepare(
            "SELECT line_source, COUNT(*) FROM prediction_accuracy
             WHERE system_id = ?1 AND game_date BETWEEN date(?2, '-13 days') AND ?2
               AND COALESCE(is_voided, 0) = 0 AND COALESCE(is_superseded_prediction, 0) = 0
               AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
               AND line_value IS NOT NULL
             GROUP BY line_source",
        )
        .unwrap();
    let by_source: BTreeMap<String, u64> = statement
        .query_map(rusqlite::params![system, day], |row| {
            Ok((
                row.get::<_, Option<String>>(0)?.unwrap_or_default(),
                row.get(1)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for source in ["ACTUAL_PROP", "ODDS_API", "BETTINGPROS", "VEGAS_BACKFILL"] {
        assert!(
            by_source.get(source).copied().unwrap_or(0) > 0,
            "{source}: {by_source:?}"
        );
    }
    let actual: u64 = ["ACTUAL_PROP", "ODDS_API", "BETTINGPROS", "VEGAS_BACKFILL"]
        .iter()
        .filter_map(|source| by_source.get(*source))
        .sum();
    let diagnostics = diagnose(&stores.with_duplicates, day);
    assert_eq!(diagnostics.sharpness.model_beats_vegas.n, actual);

    // The unlisted value of the day: in no line-kind figure, named with its count.
    let unlisted: u64 = connection
        .query_row(
            "SELECT COUNT(*) FROM prediction_accuracy
             WHERE system_id = ?1 AND line_source = 'ODDS_API_V2'
               AND game_date BETWEEN date(?2, '-6 days') AND ?2",
            rusqlite::params![system, day],
            |row| row.get(0),
        )
        .unwrap();
    assert!(unlisted > 0);
    assert_eq!(
        diagnostics.quality.unknown_line_sources_7d,
        BTreeMap::from([("ODDS_API_V2".to_string(), unlisted)])
    );
    let factor = diagnostics
        .cause
        .contributing_factors
        .iter()
        .flatten()
        .find(|factor| factor.details.contains("ODDS_API_V2"))
        .expect("the unlisted value is a finding");
    assert!(
        factor
            .details
            .contains(&format!("ODDS_API_V2 ({unlisted})")),
        "{}",
        factor.details
    );
    assert_eq!(factor.contribution, 0.2, "a small share weighs 0.2");
    // Mapped in the config, the value counts as a real line and is no finding.
    let mut config = Config::default();
    config
        .thresholds
        .line_sources
        .actual
        .push("ODDS_API_V2".to_string());
    let store = EmbeddedStore::open_existing(&stores.with_duplicates).expect("store");
    let mapped = runtime()
        .block_on(service::diagnose_day(
            &store,
            date(day),
            &config.production_system,
            &config.thresholds,
        ))
        .expect("diagnostics");
    assert!(mapped.quality.unknown_line_sources_7d.is_empty());
    let unlisted_14d: u64 = connection
        .query_row(
            "SELECT COUNT(*) FROM prediction_accuracy
             WHERE system_id = ?1 AND line_source = 'ODDS_API_V2' AND line_value IS NOT NULL
               AND actual_points IS NOT NULL AND COALESCE(is_voided, 0) = 0
               AND game_date BETWEEN date(?2, '-13 days') AND ?2",
            rusqlite::params![system, day],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(mapped.sharpness.model_beats_vegas.n, actual + unlisted_14d);
}
