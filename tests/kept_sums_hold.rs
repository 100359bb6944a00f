//! A property of the kept day sums (issue: Fast and right, item 1-2): after
//! any sequence of inserts, updates, deletes, a table replaced by another
//! tool, `game_date` moves, bad values and stray dates, written by other
//! connections with reads in between (through one long-lived handle, as the
//! dashboard and `watch` read, and through new ones), every answer equals a
//! fresh pass over the rows, skipped rows included. Bounded: 24 cases of up
//! to 10 steps on a 365-day store (`PROPTEST_CASES` changes it).

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

use chrono::{Days, NaiveDate};
use courtside::config::Thresholds;
use courtside::source::embedded::{EmbeddedStore, query_day_stats};
use courtside::source::{DayStatsQuery, Source};
use proptest::prelude::*;
use rusqlite::Connection;
use std::path::Path;

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn day(offset: u64) -> NaiveDate {
    generate::first_day() + Days::new(offset % 365)
}

fn text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// One thing another tool does to the store, or a read.
#[derive(Debug, Clone)]
enum Step {
    Insert(u64),
    Update(u64),
    Delete(u64, usize),
    Replace(u64),
    Move(u64, u64),
    BadValue(u64),
    StrayDate(u64, bool),
    PlayerGame(u64),
    Read {
        from: u64,
        len: u64,
        system: Option<usize>,
        long_lived: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..365u64).prop_map(Step::Insert),
        (0..365u64).prop_map(Step::Update),
        (0..365u64, 0..4usize).prop_map(|(d, s)| Step::Delete(d, s)),
        (0..365u64).prop_map(Step::Replace),
        (0..365u64, 0..365u64).prop_map(|(a, b)| Step::Move(a, b)),
        (0..365u64).prop_map(Step::BadValue),
        (0..365u64, any::<bool>()).prop_map(|(d, m)| Step::StrayDate(d, m)),
        (0..365u64).prop_map(Step::PlayerGame),
        (
            0..365u64,
            0..120u64,
            proptest::option::of(0..4usize),
            any::<bool>()
        )
            .prop_map(|(from, len, system, long_lived)| Step::Read {
                from,
                len,
                system,
                long_lived
            }),
    ]
}

/// Applies a writing step through its own connection (another tool).
fn write(path: &Path, step: &Step) {
    let connection = Connection::open(path).unwrap();
    let one_row = |date: NaiveDate| {
        format!(
            "(SELECT MIN(rowid) FROM prediction_accuracy WHERE game_date = '{}')",
            text(date)
        )
    };
    let sql = match step {
        Step::Insert(d) => format!(
            "INSERT INTO prediction_accuracy
               (player_lookup, game_id, game_date, system_id, predicted_points, actual_points,
                line_value, recommendation, prediction_correct, has_prop_line, line_source)
             VALUES ('extra{d}', 'g{d}', '{}', 'catboost_v8', 24.5, 30, 20.5, 'OVER', 1, 1,
                     'ACTUAL_PROP')",
            text(day(*d))
        ),
        Step::Update(d) => format!(
            "UPDATE prediction_accuracy SET prediction_correct = 1 - prediction_correct
             WHERE game_date = '{}'",
            text(day(*d))
        ),
        Step::Delete(d, s) => format!(
            "DELETE FROM prediction_accuracy WHERE game_date = '{}' AND system_id = '{}'",
            text(day(*d)),
            generate::SYSTEMS[*s]
        ),
        Step::Replace(d) => format!(
            "CREATE TABLE replacement AS SELECT * FROM prediction_accuracy;
             UPDATE replacement SET actual_points = actual_points + 2 WHERE game_date = '{}';
             DROP TABLE prediction_accuracy;
             CREATE TABLE prediction_accuracy AS SELECT * FROM replacement;
             DROP TABLE replacement;",
            text(day(*d))
        ),
        Step::Move(a, b) => format!(
            "UPDATE prediction_accuracy SET game_date = '{}' WHERE rowid = {}",
            text(day(*b)),
            one_row(day(*a))
        ),
        Step::BadValue(d) => format!(
            "UPDATE prediction_accuracy SET predicted_points = 'four' WHERE rowid = {}",
            one_row(day(*d))
        ),
        Step::StrayDate(d, month_end) => {
            let stray = if *month_end {
                format!("{}-32", &text(day(*d))[..7])
            } else {
                format!("{} 00:00:00", text(day(*d)))
            };
            format!(
                "UPDATE prediction_accuracy SET game_date = '{stray}' WHERE rowid = {}",
                one_row(day(*d))
            )
        }
        Step::PlayerGame(d) => format!(
            "UPDATE player_game_summary SET points = points + 7 WHERE game_date = '{}'",
            text(day(*d))
        ),
        Step::Read { .. } => return,
    };
    connection.execute_batch(&sql).unwrap();
}

fn question(from: u64, len: u64, system: Option<usize>) -> DayStatsQuery {
    let from = day(from);
    DayStatsQuery::new(
        from,
        from + Days::new(len),
        system.map(|s| vec![generate::SYSTEMS[s].to_string()]),
        &Thresholds::default(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(24), ..ProptestConfig::default() })]

    #[test]
    fn kept_answers_always_equal_a_fresh_pass(steps in proptest::collection::vec(step(), 1..10)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.sqlite");
        generate::generate(&path, 365 * 4 * 3, true);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let long_lived = EmbeddedStore::open_existing(&path).unwrap();
        // Everything kept first, as after a night of reads.
        let year = question(0, 364, None);
        runtime.block_on(long_lived.day_stats(&year)).unwrap();
        for step in steps.iter().chain([&Step::Read { from: 0, len: 364, system: None, long_lived: true }]) {
            match step {
                Step::Read { from, len, system, long_lived: through_it } => {
                    let asked = question(*from, *len, *system);
                    let kept = if *through_it {
                        runtime.block_on(long_lived.day_stats(&asked)).unwrap()
                    } else {
                        let store = EmbeddedStore::open_existing(&path).unwrap();
                        runtime.block_on(store.day_stats(&asked)).unwrap()
                    };
                    let fresh = query_day_stats(&Connection::open(&path).unwrap(), &asked).unwrap();
                    prop_assert_eq!(kept, fresh, "after {:?}", steps);
                }
                writing => write(&path, writing),
            }
        }
    }
}
