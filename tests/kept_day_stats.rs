//! The embedded store's materialised day stats: what a read gets from the
//! kept sums equals a fresh pass over the rows, for any range, system list
//! and thresholds, after any change to either table (noted by the store's
//! triggers, whoever writes); the kept sums are really read (a marked kept
//! value shows through) and only the dates a change touches are computed
//! again.

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

use chrono::{Days, NaiveDate};
use courtside::config::Thresholds;
use courtside::model::DayStatsBundle;
use courtside::source::embedded::{EmbeddedStore, query_day_stats};
use courtside::source::{DayStatsQuery, Source};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

/// 365 days x 4 systems x 12 players, in random row order.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.sqlite");
    generate::generate(&path, 365 * 4 * 12, true);
    Fixture { _dir: dir, path }
}

fn query(from: NaiveDate, to: NaiveDate, systems: Option<&[&str]>) -> DayStatsQuery {
    DayStatsQuery::new(
        from,
        to,
        systems.map(|list| list.iter().map(|s| s.to_string()).collect()),
        &Thresholds::default(),
    )
}

fn whole_year() -> DayStatsQuery {
    query(generate::first_day(), generate::last_day(), None)
}

fn day(offset: u64) -> NaiveDate {
    generate::first_day() + Days::new(offset)
}

/// A fresh pass over the rows, nothing kept read.
fn pass(path: &Path, query: &DayStatsQuery) -> DayStatsBundle {
    let store = EmbeddedStore::open_existing(path).unwrap();
    query_day_stats(&store.connect().unwrap(), query).unwrap()
}

/// Through the store as every command reads it, on a new handle (no
/// in-process answer kept from before).
async fn read(path: &Path, query: &DayStatsQuery) -> DayStatsBundle {
    let store = EmbeddedStore::open_existing(path).unwrap();
    store.day_stats(query).await.unwrap()
}

fn sql(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

fn count(path: &Path, sql_text: &str) -> i64 {
    sql(path).query_row(sql_text, [], |row| row.get(0)).unwrap()
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Marks the kept cells of one date (a value no pass computes), so a later
/// read shows whether it came from them.
fn mark_kept(path: &Path, on: NaiveDate) {
    let changed = sql(path)
        .execute(
            "UPDATE courtside_day_cells SET hits = hits + 100000 WHERE game_date = ?1",
            [date(on)],
        )
        .unwrap();
    assert!(changed > 0, "cells kept for {on}");
}

fn marked(bundle: &DayStatsBundle, on: NaiveDate) -> bool {
    bundle
        .day_stats
        .iter()
        .any(|row| row.game_date == on && row.cell.hits >= 100000)
}

#[tokio::test]
async fn kept_sums_equal_a_fresh_pass_for_any_range_and_systems_and_are_read_back() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 0);
    let first = read(path, &year).await;
    assert!(first.day_stats.len() > 1000, "{}", first.day_stats.len());
    assert_eq!(first, pass(path, &year));
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 365);
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_dirty"), 0);

    // Read back, not computed: a marked kept value shows through.
    mark_kept(path, day(100));
    let again = read(path, &year).await;
    assert!(marked(&again, day(100)));
    assert!(!marked(&pass(path, &year), day(100)));
    let narrow = query(day(90), day(120), Some(&["xgboost_v7", "shadow_v9"]));
    let kept = read(path, &narrow).await;
    assert!(marked(&kept, day(100)));
    sql(path)
        .execute(
            "UPDATE courtside_day_cells SET hits = hits - 100000 WHERE game_date = ?1",
            [date(day(100))],
        )
        .unwrap();

    // Ranges inside, across and beyond the stored dates; one system or two.
    for asked in [
        narrow,
        query(day(0), day(0), None),
        query(day(300), day(400), Some(&["catboost_v8"])),
        query(
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
            day(30),
            Some(&["no_such_system"]),
        ),
        query(day(400), day(500), None),
    ] {
        assert_eq!(read(path, &asked).await, pass(path, &asked), "{asked:?}");
    }
}

#[tokio::test]
async fn a_changed_prediction_computes_its_date_again_and_no_other() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    read(path, &year).await;
    mark_kept(path, day(41));
    mark_kept(path, day(40));
    // Any writer: plain SQL, no courtside code involved.
    let flipped = sql(path)
        .execute(
            "UPDATE prediction_accuracy SET prediction_correct = 1 - prediction_correct
             WHERE game_date = ?1 AND system_id = 'ensemble_v1'",
            [date(day(40))],
        )
        .unwrap();
    assert!(flipped > 0);
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_dirty"), 1);
    let after = read(path, &year).await;
    assert!(
        !marked(&after, day(40)),
        "the changed date was computed again"
    );
    assert!(marked(&after, day(41)), "the others were read back");
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_dirty"), 0);
    sql(path)
        .execute(
            "UPDATE courtside_day_cells SET hits = hits - 100000 WHERE game_date = ?1",
            [date(day(41))],
        )
        .unwrap();
    assert_eq!(after.day_stats.len(), pass(path, &year).day_stats.len());
    assert_eq!(read(path, &year).await, pass(path, &year));

    // Deleted rows too.
    sql(path)
        .execute(
            "DELETE FROM prediction_accuracy WHERE game_date = ?1",
            [date(day(200))],
        )
        .unwrap();
    assert_eq!(read(path, &year).await, pass(path, &year));
}

#[tokio::test]
async fn a_new_player_game_computes_its_date_and_the_tier_lookback_after_it_again() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    read(path, &year).await;
    let lookback = u64::from(Thresholds::default().tiers.lookback_days.0);
    let inside = day(100 + lookback / 2);
    let beyond = day(100 + lookback + 1);
    mark_kept(path, inside);
    mark_kept(path, beyond);
    // A 60-point game moves the player's tier on the days after it.
    sql(path)
        .execute(
            "INSERT INTO player_game_summary (player_lookup, game_id, game_date, points,
               minutes_played, has_complete_shot_zones)
             VALUES ('player00003', 'extra', ?1, 60, 40.0, 1)",
            [date(day(100))],
        )
        .unwrap();
    let after = read(path, &year).await;
    assert!(
        !marked(&after, inside),
        "inside the lookback: computed again"
    );
    assert!(marked(&after, beyond), "beyond it: read back");
    sql(path)
        .execute(
            "UPDATE courtside_day_cells SET hits = hits - 100000 WHERE game_date = ?1",
            [date(beyond)],
        )
        .unwrap();
    assert_eq!(read(path, &year).await, pass(path, &year));
}

#[tokio::test]
async fn other_thresholds_are_kept_beside_the_first_and_changes_reach_both() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    read(path, &year).await;
    let with_lookback = |days: u32, edge: f64| {
        let mut thresholds = Thresholds::default();
        thresholds.tiers.lookback_days.0 = days;
        DayStatsQuery {
            edge_threshold: edge,
            ..DayStatsQuery::new(
                generate::first_day(),
                generate::last_day(),
                None,
                &thresholds,
            )
        }
    };
    let other = with_lookback(30, 2.5);
    let answer = read(path, &other).await;
    assert_eq!(answer, pass(path, &other));
    assert_ne!(answer, pass(path, &year));
    // Both sets kept, neither read as the other: a marked value shows
    // through in each.
    assert_eq!(
        count(path, "SELECT COUNT(*) FROM courtside_day_done"),
        2 * 365
    );
    mark_kept(path, day(100));
    assert!(marked(&read(path, &year).await, day(100)));
    assert!(marked(&read(path, &other).await, day(100)));
    sql(path)
        .execute(
            "UPDATE courtside_day_cells SET hits = hits - 100000 WHERE game_date = ?1",
            [date(day(100))],
        )
        .unwrap();
    // A change reaches both sets, each with its own tier lookback.
    sql(path)
        .execute(
            "UPDATE player_game_summary SET points = points + 9 WHERE game_date = ?1",
            [date(day(150))],
        )
        .unwrap();
    assert_eq!(read(path, &other).await, pass(path, &other));
    assert_eq!(read(path, &year).await, pass(path, &year));
    // Four sets at most: a fifth takes the place of the one kept longest ago.
    for (days, edge) in [(40, 2.0), (50, 3.5), (60, 4.0)] {
        let asked = with_lookback(days, edge);
        assert_eq!(read(path, &asked).await, pass(path, &asked));
    }
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_sets"), 4);
    assert_eq!(read(path, &year).await, pass(path, &year));
    assert_eq!(read(path, &other).await, pass(path, &other));
}

#[tokio::test]
async fn a_store_written_without_the_triggers_forgets_what_it_kept() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    read(path, &year).await;
    let connection = sql(path);
    connection
        .execute_batch(
            "DROP TRIGGER courtside_day_dirty_prediction_update;
             UPDATE prediction_accuracy SET prediction_correct = 1 - prediction_correct;",
        )
        .unwrap();
    drop(connection);
    // Opening for writing puts the trigger back and drops what was kept.
    EmbeddedStore::open(path).unwrap();
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 0);
    assert_eq!(read(path, &year).await, pass(path, &year));
}

#[tokio::test]
async fn a_row_that_does_not_read_is_reported_and_only_its_date_is_not_kept() {
    let fixture = fixture();
    let path = &fixture.path;
    sql(path)
        .execute(
            "UPDATE prediction_accuracy SET predicted_points = 'banana'
             WHERE rowid = (SELECT MIN(rowid) FROM prediction_accuracy WHERE game_date = ?1)",
            [date(day(10))],
        )
        .unwrap();
    sql(path)
        .execute(
            "UPDATE player_game_summary SET points = 'many'
             WHERE rowid = (SELECT MIN(rowid) FROM player_game_summary WHERE game_date = ?1)",
            [date(day(200))],
        )
        .unwrap();
    let year = whole_year();
    let answer = read(path, &year).await;
    assert_eq!(answer.skipped.count, 2, "{:?}", answer.skipped);
    assert_eq!(answer, pass(path, &year));
    // Every other date is kept: the prediction's date is not, nor the
    // player-game's and the tier lookback after it (whose passes read it).
    let lookback = i64::from(Thresholds::default().tiers.lookback_days.0);
    let unkept = 1 + (lookback + 1).min(365 - 200);
    assert_eq!(
        count(path, "SELECT COUNT(*) FROM courtside_day_done"),
        365 - unkept
    );
    // Reported again on every read, never hidden by a kept answer, for any
    // range that a fresh pass would report it in.
    assert_eq!(read(path, &year).await.skipped.count, 2);
    for asked in [
        query(day(5), day(12), None),
        query(day(201), day(210), None),
        query(day(300), day(364), None),
        query(day(11), day(150), Some(&["catboost_v8"])),
    ] {
        assert_eq!(read(path, &asked).await, pass(path, &asked), "{asked:?}");
    }
}

/// A table replaced by another tool under a store kept open (the dashboard,
/// `watch --persist`): pandas' `to_sql(..., if_exists="replace")` (DROP,
/// CREATE, INSERT) and a rename-and-copy both take the change-noting
/// triggers away from the table. The next read through the same handle
/// equals a fresh pass, the triggers and covering index are back, and a
/// later change is noted again.
#[tokio::test]
async fn a_table_replaced_under_an_open_store_is_noticed_at_the_next_read() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    let store = EmbeddedStore::open_existing(path).unwrap();
    let mut before = store.day_stats(&year).await.unwrap();
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 365);
    let replacements = [
        "CREATE TABLE replacement AS SELECT * FROM prediction_accuracy;
         UPDATE replacement SET prediction_correct = 1 - prediction_correct WHERE rowid % 3 = 0;
         DROP TABLE prediction_accuracy;
         CREATE TABLE prediction_accuracy AS SELECT * FROM replacement;
         DROP TABLE replacement;",
        "ALTER TABLE prediction_accuracy RENAME TO old_predictions;
         CREATE TABLE prediction_accuracy AS SELECT * FROM old_predictions;
         UPDATE prediction_accuracy SET actual_points = actual_points + 1 WHERE rowid % 5 = 0;
         DROP TABLE old_predictions;",
    ];
    for replace in replacements {
        sql(path).execute_batch(replace).unwrap();
        let after = store.day_stats(&year).await.unwrap();
        assert_ne!(after, before, "the figures changed: {replace}");
        assert_eq!(after, pass(path, &year), "{replace}");
        assert_eq!(
            count(
                path,
                "SELECT COUNT(*) FROM sqlite_master
                 WHERE type = 'index' AND name = 'prediction_accuracy_day_pass'"
            ),
            1,
            "the covering index is back"
        );
        assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 365);
        sql(path)
            .execute(
                "UPDATE prediction_accuracy SET prediction_correct = 1 - prediction_correct
                 WHERE game_date = ?1",
                [date(day(200))],
            )
            .unwrap();
        before = store.day_stats(&year).await.unwrap();
        assert_eq!(before, pass(path, &year), "a later change is noted");
    }
}

/// A row whose `game_date` is not a date but sorts among the kept dates
/// (`2025-05-25 00:00:00`, `2025-05-32`) is read by a fresh pass and named:
/// a kept answer names it too (its note touches the kept dates around it).
#[tokio::test]
async fn a_row_dated_between_kept_dates_is_named_by_a_kept_answer_as_by_a_fresh_pass() {
    let fixture = fixture();
    let path = &fixture.path;
    let year = whole_year();
    read(path, &year).await;
    let month = date(day(40))[..7].to_string();
    for stray in [format!("{} 00:00:00", date(day(40))), format!("{month}-32")] {
        sql(path)
            .execute(
                "INSERT INTO prediction_accuracy
                   (game_date, system_id, player_lookup, game_id, predicted_points, actual_points)
                 VALUES (?1, 'catboost_v8', 'stray', 'g1', 20, 18)",
                [&stray],
            )
            .unwrap();
        let kept = read(path, &year).await;
        assert_eq!(kept, pass(path, &year), "{stray}");
        assert!(
            kept.skipped.examples.iter().any(|row| row.value == stray),
            "{stray}: {:?}",
            kept.skipped
        );
    }
}

/// A store whose sums were kept by the previous format (one threshold set,
/// no `set_id`) is read as before: the old tables go, the new ones fill.
#[tokio::test]
async fn sums_kept_by_the_previous_format_are_dropped_and_kept_again() {
    let fixture = fixture();
    let path = &fixture.path;
    sql(path)
        .execute_batch(
            "DROP TABLE courtside_day_sets; DROP TABLE courtside_day_cells;
             CREATE TABLE courtside_day_cells (
               game_date TEXT NOT NULL, system_id TEXT NOT NULL, player_tier TEXT NOT NULL,
               confidence_tier TEXT NOT NULL, line_kind TEXT NOT NULL,
               graded_rows INTEGER NOT NULL, sum_abs_error REAL NOT NULL,
               sum_signed_error REAL NOT NULL, lined_rows INTEGER NOT NULL,
               sum_line_abs_error REAL NOT NULL, sum_abs_error_lined REAL NOT NULL,
               beats INTEGER NOT NULL, bets INTEGER NOT NULL, hits INTEGER NOT NULL,
               PRIMARY KEY (game_date, system_id, player_tier, confidence_tier, line_kind)
             ) WITHOUT ROWID;",
        )
        .unwrap();
    let year = whole_year();
    assert_eq!(read(path, &year).await, pass(path, &year));
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 365);
    assert_eq!(
        count(
            path,
            "SELECT COUNT(*) FROM pragma_table_info('courtside_day_cells') WHERE name = 'set_id'"
        ),
        1
    );
}

/// The same store of the previous format, read through a read-only handle
/// (nothing may be migrated): answered by a pass, nothing kept or changed.
#[tokio::test]
async fn a_previous_format_store_read_only_is_answered_by_a_pass() {
    let fixture = fixture();
    let path = &fixture.path;
    sql(path)
        .execute_batch("DROP TABLE courtside_day_sets;")
        .unwrap();
    let year = whole_year();
    let reading = EmbeddedStore::open_read_only(path).unwrap();
    assert_eq!(reading.day_stats(&year).await.unwrap(), pass(path, &year));
    assert_eq!(count(path, "SELECT COUNT(*) FROM courtside_day_done"), 0);
}
