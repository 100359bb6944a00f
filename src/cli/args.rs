//! The command line, as clap types. Dates are taken as text and checked by the
//! commands so that a bad date is a diagnostics error (exit code 3).

use crate::source::schema::Dialect;
use crate::transfer::read::Format;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "courtside",
    version,
    about = "Diagnostics, experiments and backtest gaps for NBA player-points predictions",
    long_about = "With no command, opens the dashboard on the configured source \
                  (the embedded demo store by default)."
)]
pub struct Cli {
    /// Config file (default: config.yaml in the platform config directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Embedded store file (overrides source.embedded_path).
    #[arg(long, global = true, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// Never create the demo dataset: an empty store is an error.
    #[arg(long, global = true)]
    pub no_demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The day's diagnostics (exit code: 0 healthy/info, 1 warning, 2 critical, 3 unknown).
    Diag(DiagArgs),
    /// Diagnostics for every game date of a range, from one fetch.
    Backfill(BackfillArgs),
    /// Backtest vs production for an experiment: populations, line mix, hit
    /// rates, the decomposition of the gap, McNemar and a verdict.
    Gap(GapArgs),
    /// The experiment registry: list, show, best, validate, register, lifecycle, history.
    Exp(super::exp::ExpArgs),
    /// Headless live monitor: recompute every interval, post level changes to Slack.
    Watch(super::watch::WatchArgs),
    /// Persisted diagnostics rows of a range (legacy rows included, vocabulary read).
    History(super::history::HistoryArgs),
    /// Print the DDL of the tables courtside reads and writes.
    Schema(SchemaArgs),
    /// Build the deterministic demo dataset into the embedded store.
    Demo(DemoArgs),
    /// Load CSV or newline-delimited JSON files (BigQuery's export formats)
    /// into a table of the embedded store: one transaction, every row checked,
    /// nothing loaded on any problem.
    Import(super::transfer::ImportArgs),
    /// Write every row of a table of the configured source as CSV or
    /// newline-delimited JSON.
    Export(super::transfer::ExportArgs),
}

#[derive(Debug, Default, Args)]
pub struct DiagArgs {
    /// Analysis date, YYYY-MM-DD (default: the latest date with graded rows).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// System id (default: the configured production system).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// One JSON object with every column plus the intervals, n and p-values.
    #[arg(long)]
    pub json: bool,
    /// Write the row to performance_diagnostics_daily (replacing the day's row).
    #[arg(long)]
    pub persist: bool,
}

#[derive(Debug, Args)]
pub struct BackfillArgs {
    /// First date, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last date, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: String,
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// JSON lines instead of one summary line per day.
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub persist: bool,
}

#[derive(Debug, Args)]
pub struct GapArgs {
    /// Experiment id, unique id prefix, or name.
    #[arg(long, value_name = "ID|NAME")]
    pub experiment: String,
    /// Production system (default: the experiment's target system, else the configured one).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Edge threshold for bets (default: the configured one).
    #[arg(long, value_name = "POINTS")]
    pub edge: Option<f64>,
    /// One JSON object with every figure.
    #[arg(long)]
    pub json: bool,
}

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
    /// Seasons to generate, ending with 2025-26.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub seasons: u32,
}

/// `--dialect`: the core's dialects, listed in `--help`.
fn dialect_parser() -> impl TypedValueParser<Value = Dialect> {
    PossibleValuesParser::new(Dialect::ALL.map(Dialect::name))
        .try_map(|name| name.parse::<Dialect>())
}

/// `--format`: `csv` or `ndjson` (also `json`, `jsonl`).
pub fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new([
        PossibleValue::new("csv"),
        PossibleValue::new("ndjson").aliases(["json", "jsonl"]),
    ])
    .try_map(|name| name.parse::<Format>())
}
