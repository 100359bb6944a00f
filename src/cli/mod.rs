//! Headless commands over the same library the dashboard uses. Each command
//! returns its exit code; `main` only maps errors.

pub mod args;
pub mod backfill;
pub mod diag;
pub mod exp;
pub mod gap;
pub mod history;
pub mod report;
pub mod transfer;
pub mod watch;

use crate::config::{Config, ConfigOrigin, SourceKind};
use crate::demo::{self, DemoOptions};
use crate::source::bigquery::BigQuerySource;
use crate::source::embedded::EmbeddedStore;
use anyhow::{Context as _, Result, bail};
use args::{Cli, DemoArgs, SchemaArgs};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;

/// Exit code of a diagnostics run with no data or an error (monitoring-plugin "unknown").
pub const EXIT_UNKNOWN: i32 = 3;

pub use crate::service::Context;

/// Parses a `YYYY-MM-DD` argument; the error names the flag.
pub fn parse_date_arg(flag: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .with_context(|| format!("{flag}: `{text}` is not a date (expected YYYY-MM-DD)"))
}

/// The embedded store path: `--store`, else the config, else the data directory.
pub fn store_path(cli: &Cli, config: &Config) -> Result<PathBuf> {
    match &cli.store {
        Some(path) => Ok(path.clone()),
        None => config.embedded_path(),
    }
}

/// Opens the configured source. An empty embedded store with no config file
/// gets the demo dataset (and says so on stderr) unless `--no-demo` is given.
pub async fn open_source(cli: &Cli, config: Config, origin: &ConfigOrigin) -> Result<Context> {
    if config.source.kind == SourceKind::Bigquery {
        let source = BigQuerySource::connect(&config.source.bigquery, &config.tables).await?;
        return Ok(Context {
            config,
            source: Arc::new(source),
        });
    }
    let path = store_path(cli, &config)?;
    let store = EmbeddedStore::open(&path)?;
    if store.is_empty()? {
        if cli.no_demo || *origin != ConfigOrigin::Defaults {
            bail!(
                "{}: the store is empty; build the demo with `courtside demo` or load data with `courtside import`",
                path.display()
            );
        }
        eprintln!(
            "courtside: the store {} was empty, so it now holds the demo dataset (demo data; `courtside demo --reset` rebuilds it)",
            path.display()
        );
        let summary = demo::build(&store, DemoOptions::default(), false)?;
        tracing::info!(?summary, "built the demo dataset");
    }
    Ok(Context {
        config,
        source: Arc::new(store),
    })
}

/// `courtside schema`.
pub fn schema(args: &SchemaArgs, config: &Config) -> i32 {
    print!(
        "{}",
        crate::source::schema::ddl(args.dialect, &config.tables)
    );
    0
}

/// `courtside demo`.
pub fn demo(cli: &Cli, args: &DemoArgs, config: &Config) -> Result<i32> {
    let path = store_path(cli, config)?;
    let store = EmbeddedStore::open(&path)?;
    let options = DemoOptions {
        seasons: args.seasons,
        ..DemoOptions::default()
    };
    let summary = demo::build(&store, options, args.reset)?;
    println!(
        "demo data written to {}: {} game days from {} to {}, {} predictions, {} player-games, {} experiments, {} backtest rows",
        path.display(),
        summary.game_days,
        summary.first_date,
        summary.last_date,
        summary.prediction_rows,
        summary.player_game_rows,
        summary.experiments,
        summary.backtest_rows
    );
    Ok(0)
}
