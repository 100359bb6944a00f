//! What the commands share: the exit code of "unknown", date arguments, the
//! global options, and opening the configured source.

use crate::config::{Config, ConfigOrigin, SourceKind};
use crate::demo::{self, DemoOptions};
use crate::service::Context;
use crate::source::bigquery::BigQuerySource;
use crate::source::embedded::EmbeddedStore;
use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;

/// Exit code of a diagnostics run with no data or an error (monitoring-plugin "unknown").
pub const EXIT_UNKNOWN: i32 = 3;

/// The command line's global options that reach the commands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Globals {
    /// `--store`: the embedded store file.
    pub store: Option<PathBuf>,
    /// `--no-demo`: an empty store is an error instead of getting the demo.
    pub no_demo: bool,
}

/// Parses a `YYYY-MM-DD` argument; the error names the flag.
/// Exactly `YYYY-MM-DD` (`26-01-01` is not the year 26).
pub fn parse_date_arg(flag: &str, text: &str) -> Result<NaiveDate> {
    crate::source::canonical::parse_date(text.trim())
        .with_context(|| format!("{flag}: `{text}` is not a date (expected YYYY-MM-DD)"))
}

/// An optional date flag (`--from`, `--to`), read as [`parse_date_arg`].
pub fn optional_date(flag: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(|text| parse_date_arg(flag, text)).transpose()
}

/// Refuses a range whose `--from` is after its `--to`.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        anyhow::bail!("--from {from} is after --to {to}: give the earlier date first");
    }
    Ok(())
}

/// The embedded store path: `--store`, else the config, else the data directory.
pub fn store_path(globals: &Globals, config: &Config) -> Result<PathBuf> {
    match &globals.store {
        Some(path) => Ok(path.clone()),
        None => config.embedded_path(),
    }
}

/// Opens the configured source. An empty embedded store with no config file
/// gets the demo dataset (and says so on stderr) unless `--no-demo` is given.
/// Otherwise a store is never created here, and a command that only reads
/// (`writes == false`) never brings back a dropped table nor changes a file
/// that is not courtside's (`EmbeddedStore::open_existing`).
pub async fn open_source(
    globals: &Globals,
    config: Config,
    origin: &ConfigOrigin,
    writes: bool,
) -> Result<Context> {
    // `--store` is the store of this run on every source: on BigQuery it is
    // where watch keeps its outbox, silences and timeline.
    let mut config = config;
    if let Some(store) = &globals.store {
        config.source.embedded_path = Some(store.clone());
    }
    if config.source.kind == SourceKind::Bigquery {
        let source = BigQuerySource::connect(&config.source.bigquery, &config.tables)
            .await?
            .with_date_limit(crate::config::DateLimit::of(&config.game_day));
        return with_roles(config, Arc::new(source)).await;
    }
    let path = store_path(globals, &config)?;
    // Only the default store is built on first use; a `--store` path that is
    // not there (moved, mistyped) is an error, never a new file.
    let first_run = globals.store.is_none()
        && !path.exists()
        && !globals.no_demo
        && *origin == ConfigOrigin::Defaults;
    let mut store = if first_run || (writes && path.is_file()) {
        EmbeddedStore::open(&path)?
    } else {
        EmbeddedStore::open_existing(&path)?
    }
    .with_date_limit(crate::config::DateLimit::of(&config.game_day));
    if store.is_empty()? {
        if globals.no_demo || *origin != ConfigOrigin::Defaults {
            bail!(
                "{}: the store is empty; build the demo with `courtside demo` or load data with `courtside import`",
                path.display()
            );
        }
        // The demo is a write: a store opened for reading (an empty file
        // included) is opened again for writing, which checks again whose
        // it is and applies the schema.
        if !store.is_writing() {
            store = EmbeddedStore::open(&path)?;
        }
        eprintln!(
            "courtside: first run: building the demo dataset in {} (3 seasons)…",
            path.display()
        );
        // Said only once it is true: a full disk fails the build, not the message.
        let mut line = super::first_run::ProgressLine::new();
        let built = demo::build_reporting(&store, DemoOptions::default(), false, &mut |progress| {
            line.report(progress)
        });
        line.finish();
        let summary = built
            .map_err(|error| store.explained(error))
            .context("the store was empty and the demo dataset could not be written")?;
        tracing::info!(?summary, "built the demo dataset");
        eprintln!(
            "courtside: the store {} was empty, so it now holds the demo dataset (demo data; `courtside demo --reset` rebuilds it)",
            path.display()
        );
    }
    with_roles(config, Arc::new(store)).await
}

/// The context, its production system taken from the model registry when
/// the config does not name one (`service::roles`).
async fn with_roles(mut config: Config, source: Arc<dyn crate::source::Source>) -> Result<Context> {
    let from = crate::service::roles::resolve_production(&mut config, source.as_ref()).await?;
    tracing::info!(system = %config.production_system, from, "production system");
    Ok(Context { config, source })
}

/// Prints on stderr what the source left out (a missing optional table or
/// column), one line each, after a command.
pub fn print_notes(context: &Context) {
    for note in context.source.notes() {
        eprintln!("courtside: {}", crate::format::terminal_safe_lines(&note));
    }
}
