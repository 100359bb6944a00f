//! How cost grows with the store, on generated stores in random physical
//! order (as unordered export shards import): `backfill` of 365 days x 3
//! systems from one pass against the older per-date method on the same file
//! (four queries per date and system, each re-scanning its window, as the
//! team's Python diagnostics did); `diag` and `backfill` at 0.45M, 1M and
//! 3M rows; the dashboard's first data on the 1M store, cold and warm.
//!
//! The stores are written once under `target/bench-stores/` (about 20 s per
//! million rows) and reused. `COURTSIDE_SCALE_ROWS=1000000` limits the
//! growth series to the sizes listed.

#[path = "support/generate.rs"]
#[allow(dead_code)]
mod generate;
#[path = "support/per_date.rs"]
mod per_date;

use chrono::{Days, NaiveDate};
use courtside::config::Thresholds;
use courtside::service;
use courtside::source::Source;
use courtside::source::embedded::EmbeddedStore;
use courtside::tui::action::Selection;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

const BENCHED: [&str; 3] = ["catboost_v8", "xgboost_v7", "ensemble_v1"];

fn sizes() -> Vec<u64> {
    match std::env::var("COURTSIDE_SCALE_ROWS") {
        Ok(list) => list.split(',').filter_map(|n| n.parse().ok()).collect(),
        Err(_) => vec![450_000, 1_000_000, 3_000_000],
    }
}

/// The generated store of `rows` rows (random order), written on first use.
fn store(rows: u64) -> (PathBuf, EmbeddedStore) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    std::fs::create_dir_all(&dir).expect("bench store directory");
    let path = dir.join(format!("random-{rows}.sqlite"));
    if path.exists() {
        return (path.clone(), EmbeddedStore::open(&path).expect("open"));
    }
    let store = generate::generate(&path, rows, true);
    (path, store)
}

/// Drops the day sums the store kept (`schemas/sqlite/11_courtside_day_stats.sql`):
/// the next read is a first pass over every row.
fn forget_kept(path: &Path) {
    let connection = rusqlite::Connection::open(path).expect("open for forgetting");
    connection
        .execute_batch(
            "DELETE FROM courtside_day_done; DELETE FROM courtside_day_cells;
             DELETE FROM courtside_day_systems; DELETE FROM courtside_day_quality;",
        )
        .expect("forget the kept day sums");
}

/// Whether a measurement starts with the day sums dropped or kept.
#[derive(Clone, Copy)]
enum Pass {
    First,
    Kept,
}

impl Pass {
    const BOTH: [Pass; 2] = [Pass::First, Pass::Kept];

    fn label(self) -> &'static str {
        match self {
            Pass::First => "first pass",
            Pass::Kept => "day sums kept",
        }
    }

    fn prepare(self, path: &Path) {
        if let Pass::First = self {
            forget_kept(path);
        }
    }
}

fn backfill_against_per_date(c: &mut Criterion) {
    let (path, store) = store(1_000_000);
    let thresholds = Thresholds::default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let systems: Vec<String> = BENCHED.iter().map(|s| s.to_string()).collect();
    let (from, to) = (generate::first_day(), generate::last_day());
    let mut group = c.benchmark_group("backfill 365 days x 3 systems, 1M rows in random order");
    group.sample_size(10);
    for pass in Pass::BOTH {
        group.bench_function(format!("courtside: one fetch, {}", pass.label()), |b| {
            b.iter_batched(
                || pass.prepare(&path),
                |()| {
                    // A new store handle each time: no answer kept in the process.
                    let cold = EmbeddedStore::open_existing(&path).expect("open");
                    black_box(
                        runtime
                            .block_on(service::diagnose_game_dates_of(
                                &cold,
                                from,
                                to,
                                &systems,
                                &thresholds,
                            ))
                            .expect("backfill"),
                    )
                },
                BatchSize::PerIteration,
            )
        });
    }
    // The per-date method takes over two minutes for the whole year: here
    // it runs on the last 30 days (scale x 365/30 to compare; the
    // side-by-side script runs it on the whole year).
    let connection = store.connect().expect("connect");
    let month = to - Days::new(29);
    group.bench_function("per-date method, last 30 of the 365 days", |b| {
        b.iter(|| black_box(per_date::backfill(&connection, &BENCHED, month, to)))
    });
    group.finish();
}

fn growth(c: &mut Criterion) {
    let thresholds = Thresholds::default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let systems: Vec<String> = BENCHED.iter().map(|s| s.to_string()).collect();
    let mut group = c.benchmark_group("growth with rows (random order)");
    group.sample_size(10);
    for rows in sizes() {
        let (path, _) = store(rows);
        let last = generate::last_day();
        let days: Vec<(String, NaiveDate)> = systems.iter().map(|s| (s.clone(), last)).collect();
        for pass in Pass::BOTH {
            let label = pass.label();
            group.bench_function(format!("diag, 3 systems, {rows} rows, {label}"), |b| {
                b.iter_batched(
                    || pass.prepare(&path),
                    |()| {
                        let cold = EmbeddedStore::open_existing(&path).expect("open");
                        black_box(
                            runtime
                                .block_on(service::diagnose_days(&cold, &days, &thresholds))
                                .expect("diag"),
                        )
                    },
                    BatchSize::PerIteration,
                )
            });
            group.bench_function(
                format!("backfill 365 days x 3, {rows} rows, {label}"),
                |b| {
                    b.iter_batched(
                        || pass.prepare(&path),
                        |()| {
                            let cold = EmbeddedStore::open_existing(&path).expect("open");
                            black_box(
                                runtime
                                    .block_on(service::diagnose_game_dates_of(
                                        &cold,
                                        generate::first_day(),
                                        last,
                                        &systems,
                                        &thresholds,
                                    ))
                                    .expect("backfill"),
                            )
                        },
                        BatchSize::PerIteration,
                    )
                },
            );
        }
    }
    group.finish();
}

fn dashboard_first_data(c: &mut Criterion) {
    let (path, _) = store(1_000_000);
    let thresholds = Thresholds::default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let selection = Selection {
        date: generate::last_day(),
        system: BENCHED[0].to_string(),
    };
    let mut group = c.benchmark_group("dashboard on the 1M store");
    group.sample_size(10);
    for pass in Pass::BOTH {
        let label = format!(
            "first data: a new process's first refresh, {}",
            pass.label()
        );
        group.bench_function(label, |b| {
            b.iter_batched(
                || pass.prepare(&path),
                |()| {
                    let cold = EmbeddedStore::open_existing(&path).expect("open");
                    black_box(
                        runtime
                            .block_on(courtside::tui::data::load_dashboard(
                                &cold,
                                &selection,
                                &selection.system,
                                &thresholds,
                            ))
                            .expect("dashboard"),
                    )
                },
                BatchSize::PerIteration,
            )
        });
    }
    let warm = EmbeddedStore::open_existing(&path).expect("open");
    runtime
        .block_on(courtside::tui::data::load_dashboard(
            &warm,
            &selection,
            &selection.system,
            &thresholds,
        ))
        .expect("dashboard");
    group.bench_function("refresh of an unchanged store (version check)", |b| {
        b.iter(|| black_box(runtime.block_on(warm.data_version()).expect("version")))
    });
    group.bench_function(
        "refresh of an unchanged store (recomputed from the warm path)",
        |b| {
            b.iter(|| {
                black_box(
                    runtime
                        .block_on(courtside::tui::data::load_dashboard(
                            &warm,
                            &selection,
                            &selection.system,
                            &thresholds,
                        ))
                        .expect("dashboard"),
                )
            })
        },
    );
    group.finish();
}

criterion_group!(
    benches,
    backfill_against_per_date,
    growth,
    dashboard_first_data
);
criterion_main!(benches);
