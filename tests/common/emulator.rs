//! The BigQuery emulator fixture: a fresh project per test on the emulator
//! `scripts/test` starts (`COURTSIDE_BQ_EMULATOR`), the `schemas/bigquery/`
//! DDL applied, and rows loaded from an embedded store. Loopback only.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use courtside::config::{BigQueryAuth, Config, Positive, SourceKind};
use courtside::demo::{self, DemoOptions};
use courtside::source::Source;
use courtside::source::bigquery::BigQuerySource;
use courtside::source::bigquery::params::Params;
use courtside::source::embedded::EmbeddedStore;
use courtside::source::schema::{Dialect, ddl};
use courtside::transfer::tables::TableKind;
use serde_json::Value;
use std::path::Path;

/// The emulator's base URL; a test that needs it fails loudly without it.
pub fn base_url() -> String {
    let url = std::env::var("COURTSIDE_BQ_EMULATOR").unwrap_or_default();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "COURTSIDE_BQ_EMULATOR is not set to a loopback emulator: run scripts/test, which starts it"
    );
    url
}

/// A config reading a new, empty project on the emulator.
pub fn config(tag: &str) -> Config {
    let mut config = Config::default();
    config.source.kind = SourceKind::Bigquery;
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    config.source.bigquery.project = Some(format!("cs-{tag}-{}", &suffix[..8]));
    config.source.bigquery.base_url = Some(base_url());
    config.source.bigquery.auth = BigQueryAuth::StaticToken;
    config.source.bigquery.timeout_secs = Positive(120);
    config
}

/// Creates the datasets and runs the BigQuery DDL of `schemas/` for `config`.
pub async fn create_tables(config: &Config) -> BigQuerySource {
    let source = BigQuerySource::connect(&config.source.bigquery, &config.tables)
        .await
        .expect("connect to the emulator");
    let project = config.source.bigquery.project.clone().unwrap();
    let mut datasets: Vec<String> = config
        .tables
        .entries()
        .iter()
        .map(|(_, name)| {
            let parts: Vec<&str> = name.qualified().split('.').collect();
            parts[parts.len() - 2].to_string()
        })
        .collect();
    datasets.sort();
    datasets.dedup();
    for dataset in datasets {
        source
            .execute(
                &format!("CREATE SCHEMA IF NOT EXISTS `{project}.{dataset}`"),
                Params::new(),
            )
            .await
            .expect("create dataset");
    }
    // Comment lines first (they may hold a `;`), then one statement per `;`.
    let text: String = ddl(Dialect::Bigquery, &config.tables)
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    for body in text.split(';') {
        if body.trim().is_empty() {
            continue;
        }
        source
            .execute(body, Params::new())
            .await
            .unwrap_or_else(|error| panic!("DDL failed: {error:#}\n{body}"));
    }
    source
}

/// A config whose table names carry the project (as `create_tables` made them).
pub fn qualified(mut config: Config) -> Config {
    let project = config.source.bigquery.project.clone().unwrap();
    let tables = &mut config.tables;
    for name in [
        &mut tables.prediction_accuracy,
        &mut tables.player_game_summary,
        &mut tables.feature_store,
        &mut tables.diagnostics,
        &mut tables.experiments,
        &mut tables.experiment_events,
        &mut tables.backtest_predictions,
    ] {
        *name = courtside::config::TableName::parse(&format!("{project}.{}", name.qualified()))
            .unwrap();
    }
    config
}

/// A fresh project with every table created; returns its config and source.
pub async fn fresh(tag: &str) -> (Config, BigQuerySource) {
    let config = qualified(config(tag));
    let source = create_tables(&config).await;
    (config, source)
}

/// Copies every table of an embedded store into the emulator, the line
/// snapshots only of `snapshot_dates` (a season's are a quarter of a
/// million rows, and no figure but the slate's reads them).
pub async fn load_from(store: &EmbeddedStore, source: &BigQuerySource) {
    load_with_snapshots(store, source, &[]).await;
}

/// [`load_from`] with the line snapshots of `snapshot_dates`.
pub async fn load_with_snapshots(
    store: &EmbeddedStore,
    source: &BigQuerySource,
    snapshot_dates: &[&str],
) {
    for table in TableKind::ALL {
        let mut rows = store.export_rows(table).await.expect("read the store");
        if table == TableKind::LineSnapshots {
            let column = table.column_index("game_date").unwrap();
            rows.retain(|row| {
                row[column]
                    .as_str()
                    .is_some_and(|date| snapshot_dates.contains(&date))
            });
        }
        source
            .load(table, &rows)
            .await
            .unwrap_or_else(|error| panic!("loading {}: {error:#}", table.name()));
    }
}

/// Writes `config` as YAML next to `dir`, for running the binary on it.
pub fn write_config(config: &Config, dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_norway::to_string(config).unwrap()).unwrap();
    path
}

/// A value that would break any SQL built by text.
pub const HOSTILE: &str = "'; DROP TABLE x; --";

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 20, hour, 0, 0).unwrap()
}

/// The predictions and player-games of a one-season demo dated `since` or
/// later, as canonical rows per table.
pub fn demo_tail(dir: &std::path::Path, since: &str) -> Vec<(TableKind, Vec<Vec<Value>>)> {
    let store = EmbeddedStore::open(&dir.join("demo.sqlite")).unwrap();
    demo::build(
        &store,
        DemoOptions {
            seasons: 1,
            ..DemoOptions::default()
        },
        false,
    )
    .unwrap();
    let runtime = runtime();
    [TableKind::PredictionAccuracy, TableKind::PlayerGameSummary]
        .into_iter()
        .map(|table| {
            let column = table.column_index("game_date").unwrap();
            let rows = runtime
                .block_on(store.export_rows(table))
                .unwrap()
                .into_iter()
                .filter(|row| row[column].as_str().is_some_and(|d| d >= since))
                .collect();
            (table, rows)
        })
        .collect()
}
