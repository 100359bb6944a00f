//! The backtest-vs-production analysis on 100,000 backtest rows against
//! 60,000 production rows (the fetch excluded).

use chrono::{Days, NaiveDate};
use courtside::config::Thresholds;
use courtside::diagnostics::gap::{GapRow, analyse};
use courtside::model::LineKind;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn rows(count: u64, seed: u64, keep: impl Fn(u64) -> bool) -> Vec<GapRow> {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut state = seed;
    (0..count)
        .filter(|i| keep(*i))
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = state >> 33;
            GapRow {
                player_lookup: format!("player{:05}", i % 2000),
                game_date: start.checked_add_days(Days::new(i / 2000)).unwrap(),
                line_kind: if r % 4 == 0 {
                    LineKind::Actual
                } else {
                    LineKind::Estimated
                },
                is_bet: r % 3 != 0,
                hit: r % 100 < 53,
            }
        })
        .collect()
}

fn bench_gap(c: &mut Criterion) {
    let backtest = rows(100_000, 1, |_| true);
    // Production: 60% of the same player-games.
    let production = rows(100_000, 2, |i| i % 5 < 3);
    assert_eq!(production.len(), 60_000);
    let thresholds = Thresholds::default();
    c.bench_function(
        "gap analysis, 100,000 backtest vs 60,000 production rows",
        |b| b.iter(|| black_box(analyse(&backtest, &production, &thresholds))),
    );
}

criterion_group!(benches, bench_gap);
criterion_main!(benches);
