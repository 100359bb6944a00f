//! `courtside schema` and `courtside demo`: the DDL, and the demo dataset.

use super::common::{Globals, store_path};
use crate::config::Config;
use crate::demo::{self, DemoOptions};
use crate::source::embedded::EmbeddedStore;
use crate::source::schema::Dialect;
use anyhow::Result;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(long, default_value = "bigquery", value_parser = dialect_parser())]
    pub dialect: Dialect,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Delete everything in the store first.
    #[arg(long)]
    pub reset: bool,
    /// Seasons to generate (1-5), ending with 2025-26.
    #[arg(long, default_value_t = 3, value_name = "N", allow_negative_numbers = true,
          value_parser = super::numbers::seasons)]
    pub seasons: u32,
}

/// `--dialect`: the core's dialects, listed in `--help`.
fn dialect_parser() -> impl TypedValueParser<Value = Dialect> {
    PossibleValuesParser::new(Dialect::ALL.map(Dialect::name))
        .try_map(|name| name.parse::<Dialect>())
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
pub fn demo(globals: &Globals, args: &DemoArgs, config: &Config) -> Result<i32> {
    let path = store_path(globals, config)?;
    let store = EmbeddedStore::open(&path)?;
    let options = DemoOptions {
        seasons: args.seasons,
        ..DemoOptions::default()
    };
    let summary =
        demo::build(&store, options, args.reset).map_err(|error| store.explained(error))?;
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
