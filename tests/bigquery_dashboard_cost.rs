//! What an open dashboard costs on BigQuery, on the emulator through the
//! recording proxy: an idle refresh sends no query (the change check reads
//! the tables' metadata, free, once for every view), and a dashboard's
//! hour at 60 s with one new date arriving stays within 60 queries and
//! 1.5 GB billed (each query at least 10 MB per table it references). The
//! hour runs scaled: a refresh every half second, the back-up query every
//! 7.5 s.
//! It prints its figures (`scripts/test` keeps them in its log).

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/proxy.rs"]
mod proxy;

use courtside::service::comparisons::Judging;
use courtside::source::Source;
use courtside::source::bigquery::BigQuerySource;
use courtside::transfer::tables::TableKind;
use courtside::tui::action::{Fetch, Payload, Selection};
use courtside::tui::data;
use serde_json::Value;
use std::time::Duration;

/// The views a dashboard keeps loaded on its first screens.
const VIEWS: [Fetch; 4] = [
    Fetch::Dashboard,
    Fetch::Comparison,
    Fetch::Experiments,
    Fetch::Splits,
];

/// The demo's predictions and player-games from `since` on, split at
/// `cut`: the rows before it, and those of `cut` (the date that arrives).
fn demo_rows(
    dir: &std::path::Path,
    since: &str,
    cut: &str,
) -> [Vec<(TableKind, Vec<Vec<Value>>)>; 2] {
    let mut before = Vec::new();
    let mut arriving = Vec::new();
    for (table, rows) in emulator::demo_tail(dir, since) {
        let column = table.column_index("game_date").unwrap();
        let (early, late): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .filter(|row| row[column].as_str().is_some_and(|date| date <= cut))
            .partition(|row| row[column].as_str() != Some(cut));
        before.push((table, early));
        arriving.push((table, late));
    }
    [before, arriving]
}

fn version_of(payload: &Payload) -> Option<String> {
    match payload {
        Payload::Dashboard(data) => data.version.clone(),
        Payload::Comparison(data) => data.version.clone(),
        Payload::Experiments(data) => data.version.clone(),
        Payload::Splits(data) => data.version.clone(),
        _ => None,
    }
}

/// One refresh as the dashboard runs it: every view asks at once whether
/// the data changed and loads again only if it did.
async fn refresh(
    source: &BigQuerySource,
    selection: &Selection,
    config: &courtside::config::Config,
    known: &mut [Option<String>; 4],
) -> usize {
    let judging = Judging {
        thresholds: &config.thresholds,
        margin_pp: config.promotion.non_inferiority_pp.get(),
    };
    let asks = VIEWS.map(|_| source.data_version());
    let versions = futures_join(asks).await;
    let mut loaded = 0;
    for (index, what) in VIEWS.iter().enumerate() {
        let now = versions[index].as_ref().ok().cloned().flatten();
        if known[index].is_some() && now == known[index] {
            continue;
        }
        let payload = data::load(
            *what,
            source,
            selection,
            None,
            &config.production_system,
            judging,
        )
        .await
        .unwrap_or_else(|error| panic!("{what:?}: {error:#}"));
        known[index] = version_of(&payload);
        loaded += 1;
    }
    loaded
}

/// The four asks at once.
async fn futures_join<F: std::future::Future>(asks: [F; 4]) -> [F::Output; 4] {
    let [a, b, c, d] = asks;
    let (a, b, c, d) = tokio::join!(a, b, c, d);
    [a, b, c, d]
}

struct Setup {
    runtime: tokio::runtime::Runtime,
    config: courtside::config::Config,
    source: BigQuerySource,
    proxy: proxy::Proxy,
    arriving: Vec<(TableKind, Vec<Vec<Value>>)>,
    loader: BigQuerySource,
}

fn setup(tag: &str, timing: (Duration, Duration)) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let [before, arriving] = demo_rows(dir.path(), "2026-03-29", "2026-04-12");
    let runtime = emulator::runtime();
    let (config, loader) = runtime.block_on(emulator::fresh(tag));
    runtime.block_on(async {
        for (table, rows) in &before {
            loader.load(*table, rows).await.unwrap();
        }
    });
    let proxy = proxy::start(&runtime, &emulator::base_url());
    let mut proxied = config.clone();
    proxied.source.bigquery.base_url = Some(proxy.url.clone());
    let source = runtime
        .block_on(BigQuerySource::connect(
            &proxied.source.bigquery,
            &proxied.tables,
        ))
        .unwrap()
        .with_version_timing(timing.0, timing.1);
    Setup {
        runtime,
        config,
        source,
        proxy,
        arriving,
        loader,
    }
}

fn selection() -> Selection {
    Selection {
        date: emulator::date("2026-04-11"),
        system: "catboost_v8".to_string(),
    }
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn an_idle_refresh_sends_no_query_and_a_new_date_is_still_seen() {
    let bench = setup(
        "idle",
        (Duration::from_millis(200), Duration::from_secs(3600)),
    );
    let mut known = [None, None, None, None];
    let first = bench.runtime.block_on(refresh(
        &bench.source,
        &selection(),
        &bench.config,
        &mut known,
    ));
    assert_eq!(first, 4, "the first refresh loads every view");
    assert!(!bench.proxy.take().is_empty());
    std::thread::sleep(Duration::from_millis(300));
    let idle = bench.runtime.block_on(refresh(
        &bench.source,
        &selection(),
        &bench.config,
        &mut known,
    ));
    assert_eq!(idle, 0, "nothing changed, nothing loaded");
    let sent = bench.proxy.take();
    assert!(sent.is_empty(), "an idle refresh sent {sent:?}");
    // A date arrives (streamed): the metadata moves, every view loads again.
    bench.runtime.block_on(async {
        for (table, rows) in &bench.arriving {
            bench.loader.load(*table, rows).await.unwrap();
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    let after = bench.runtime.block_on(refresh(
        &bench.source,
        &selection(),
        &bench.config,
        &mut known,
    ));
    assert_eq!(after, 4, "the new date reaches every view");
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn a_dashboards_hour_with_one_new_date_stays_within_60_queries_and_1_5_gb() {
    // 60 refreshes half a second apart stand for an hour at 60 s; the
    // back-up query every 7.5 s for every 15 minutes.
    let bench = setup(
        "hour",
        (Duration::from_millis(250), Duration::from_millis(7_500)),
    );
    let billed_before = bench.source.bytes_billed().unwrap();
    let mut known = [None, None, None, None];
    let mut loads = 0;
    let mut queries = 0;
    for minute in 0..60 {
        if minute == 30 {
            bench.runtime.block_on(async {
                for (table, rows) in &bench.arriving {
                    bench.loader.load(*table, rows).await.unwrap();
                }
            });
        }
        loads += bench.runtime.block_on(refresh(
            &bench.source,
            &selection(),
            &bench.config,
            &mut known,
        ));
        queries += bench.proxy.take().len();
        std::thread::sleep(Duration::from_millis(500));
    }
    let billed = bench.source.bytes_billed().unwrap() - billed_before;
    let gb = billed as f64 / 1e9;
    println!(
        "dashboard hour (4 views, refresh 60 s, one new date): {queries} queries, {loads} view loads, {gb:.2} GB billed (estimate: 10 MB minimum per table referenced)"
    );
    assert!(loads >= 8, "the first load and the new date: {loads}");
    assert!(queries <= 60, "{queries} queries in the hour");
    assert!(gb <= 1.5, "{gb:.2} GB billed in the hour");
}
