//! Benchmarks on generated data: diagnostics for one date from day stats, a
//! 365-day x 3-system backfill from day stats, and the embedded day-stats query
//! over a generated 1,000,000-row `prediction_accuracy`.

use chrono::{Days, NaiveDate, Utc};
use courtside::config::Thresholds;
use courtside::diagnostics::{self, DayIndex};
use courtside::model::rows::{PlayerGameRow, PredictionRow};
use courtside::model::{
    ConfidenceTier, DayStatRow, DayStatsBundle, LineKind, PlayerTier, QualityDay, StatCell,
    SystemDay,
};
use courtside::source::embedded::{EmbeddedStore, StoreWriter, query_day_stats};
use courtside::source::{DayStatsQuery, Source};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const SYSTEMS: [&str; 3] = ["catboost_v8", "xgboost_v7", "ensemble_v1"];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

/// A deterministic pseudo-random stream for the generated data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Day stats for `days` dates and three systems: every group of every day.
fn generated_bundle(days: u64) -> DayStatsBundle {
    let mut rng = Lcg(7);
    let mut bundle = DayStatsBundle::default();
    for offset in 0..days {
        let date = start().checked_add_days(Days::new(offset)).unwrap();
        for system in SYSTEMS {
            for player_tier in PlayerTier::ALL {
                for confidence_tier in ConfidenceTier::ALL {
                    for line_kind in [LineKind::Actual, LineKind::Estimated] {
                        let rows = 2 + rng.below(20);
                        let lined = rows;
                        let bets = rng.below(rows / 2 + 1);
                        bundle.day_stats.push(DayStatRow {
                            game_date: date,
                            system_id: system.to_string(),
                            player_tier,
                            confidence_tier,
                            line_kind,
                            cell: StatCell {
                                rows,
                                sum_abs_error: rows as f64 * 4.5,
                                sum_signed_error: rows as f64 * 0.1,
                                lined_rows: lined,
                                sum_line_abs_error: lined as f64 * 4.8,
                                sum_abs_error_lined: lined as f64 * 4.5,
                                beats: rng.below(lined + 1),
                                bets,
                                hits: rng.below(bets + 1),
                            },
                        });
                    }
                }
            }
            bundle.system_days.push(SystemDay {
                game_date: date,
                system_id: system.to_string(),
                predictions_made: 300,
                voided_rows: 0,
                feature_quality_rows: 300,
                sum_feature_quality: 300.0 * 88.0,
                duplicate_rows: 0,
                unknown_line_sources: Default::default(),
            });
        }
        bundle.quality.push(QualityDay {
            game_date: Some(date),
            rows: 300,
            complete_rows: 290,
            rated_rows: 280,
            sum_paint_rate: 280.0 * 36.0,
            sum_three_rate: 280.0 * 38.0,
        });
    }
    bundle
}

fn bench_diagnostics(c: &mut Criterion) {
    let thresholds = Thresholds::default();
    let bundle = generated_bundle(365 + 74);
    let index = DayIndex::new(&bundle);
    let date = start().checked_add_days(Days::new(200)).unwrap();
    c.bench_function("diagnostics for one date from day stats", |b| {
        b.iter(|| {
            black_box(diagnostics::diagnose(
                &index,
                SYSTEMS[0],
                date,
                &thresholds,
                Utc::now(),
            ))
        })
    });
    let from = start().checked_add_days(Days::new(74)).unwrap();
    let to = from.checked_add_days(Days::new(364)).unwrap();
    c.bench_function("backfill 365 days x 3 systems from day stats", |b| {
        b.iter(|| {
            let index = DayIndex::new(&bundle);
            for system in SYSTEMS {
                black_box(diagnostics::diagnose_game_dates(
                    &index,
                    system,
                    from,
                    to,
                    &thresholds,
                    Utc::now(),
                ));
            }
        })
    });
}

/// A store with 1,000,000 prediction rows (4 systems x 250 days x 1,000 players)
/// and the matching player-game rows.
fn generated_store(dir: &std::path::Path) -> EmbeddedStore {
    let store = EmbeddedStore::open(&dir.join("bench.sqlite")).unwrap();
    let mut connection = store.connect().unwrap();
    let transaction = connection.transaction().unwrap();
    let writer = StoreWriter::new(&transaction);
    let mut rng = Lcg(11);
    let systems = ["s1", "s2", "s3", "s4"];
    for offset in 0..250u64 {
        let date = start().checked_add_days(Days::new(offset)).unwrap();
        let mut games = Vec::with_capacity(1000);
        let mut predictions = Vec::with_capacity(4000);
        for player in 0..1000u64 {
            let lookup = format!("player{player:04}");
            let actual = (player % 30) as i64 + rng.below(10) as i64 - 5;
            games.push(PlayerGameRow {
                player_lookup: lookup.clone(),
                game_id: format!("g{offset}"),
                game_date: date,
                points: Some(actual.max(0)),
                minutes_played: Some(8.0 + (player % 30) as f64),
                paint_attempts: Some(4),
                mid_range_attempts: Some(3),
                three_attempts_pbp: Some(5),
                has_complete_shot_zones: Some(rng.below(10) > 0),
                ..PlayerGameRow::default()
            });
            for system in systems {
                let predicted = (player % 30) as f64 + rng.below(80) as f64 / 10.0 - 4.0;
                let line = (player % 30) as f64 + 0.5;
                predictions.push(PredictionRow {
                    player_lookup: lookup.clone(),
                    game_id: format!("g{offset}"),
                    game_date: date,
                    system_id: system.to_string(),
                    predicted_points: Some(predicted),
                    actual_points: Some(actual.max(0)),
                    line_value: Some(line),
                    line_source: Some(
                        if rng.below(4) == 0 {
                            "ACTUAL_PROP"
                        } else {
                            "ESTIMATED_AVG"
                        }
                        .to_string(),
                    ),
                    recommendation: Some(
                        if predicted > line { "OVER" } else { "UNDER" }.to_string(),
                    ),
                    prediction_correct: Some(rng.below(2) == 0),
                    confidence_decile: Some(1 + rng.below(10) as i64),
                    feature_quality_score: Some(88.0),
                    ..PredictionRow::default()
                });
            }
        }
        writer.player_games(&games).unwrap();
        writer.predictions(&predictions).unwrap();
    }
    transaction.commit().unwrap();
    store
}

fn bench_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = generated_store(dir.path());
    let thresholds = Thresholds::default();
    let query = DayStatsQuery::new(
        start(),
        start().checked_add_days(Days::new(249)).unwrap(),
        None,
        &thresholds,
    );
    let connection = store.connect().unwrap();
    let mut group = c.benchmark_group("embedded store");
    group.sample_size(10);
    group.bench_function("day-stats query over 1,000,000 prediction rows", |b| {
        b.iter(|| black_box(query_day_stats(&connection, &query).unwrap()))
    });
    // Through the source, as the dashboard and `watch` ask: two questions in
    // turn (each answer computed), then one question again and again of an
    // unchanged store (the warm path).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let other = DayStatsQuery {
        to: start().checked_add_days(Days::new(248)).unwrap(),
        ..query.clone()
    };
    let mut turn = false;
    group.bench_function("refresh, cold: two questions in turn", |b| {
        b.iter(|| {
            turn = !turn;
            let asked = if turn { &query } else { &other };
            black_box(runtime.block_on(store.day_stats(asked)).unwrap())
        })
    });
    group.bench_function(
        "refresh, warm: the same question of an unchanged store",
        |b| b.iter(|| black_box(runtime.block_on(store.day_stats(&query)).unwrap())),
    );
    group.finish();
}

criterion_group!(benches, bench_diagnostics, bench_store);
criterion_main!(benches);
