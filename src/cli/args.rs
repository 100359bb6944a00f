//! The command line, as clap types: the global options and one variant per
//! command, each command's arguments defined beside it. Dates are taken as
//! text and checked by the commands so that a bad date is a diagnostics error
//! (exit code 3).

use super::common::Globals;
use super::{
    alerts, backfill, clv, diag, doctor, exp, gap, glance, history, setup, silence, slate, splits,
    transfer, versus, warehouse_setup, watch,
};
use clap::{Parser, Subcommand};
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
    /// The dashboard's date, YYYY-MM-DD; it stays there as new data arrives
    /// (default: the latest date with data, followed to each newer one).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Open the dashboard without the view remembered from the last session
    /// (tab, system, theme, the leaderboard's sort and filter).
    #[arg(long)]
    pub fresh: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The day's diagnostics (exit code: 0 healthy/info, 1 warning, 2 critical, 3 unknown).
    Diag(diag::DiagArgs),
    /// Diagnostics for every game date of a range, from one fetch.
    Backfill(backfill::BackfillArgs),
    /// Backtest vs production for an experiment: populations, line mix, hit
    /// rates, the decomposition of the gap, McNemar and a verdict.
    Gap(gap::GapArgs),
    /// Champion against challenger on identical rows: populations, both hit
    /// rates where both bet, the flips, McNemar, the paired difference with
    /// its Agresti-Min interval, the paired MAE difference and a verdict.
    Versus(versus::VersusArgs),
    /// A system's bets by edge, direction, line kind, bookmaker and
    /// confidence decile: hit rate, ROI, units, drawdown, the naive
    /// always-UNDER/OVER baselines, edge pays, and calibration.
    Splits(splits::SplitsArgs),
    /// The experiment registry: list, show, best, validate, register, lifecycle, history.
    Exp(exp::ExpArgs),
    /// Every system at a glance on one date: level, 7-day hit rate,
    /// coverage and latest data, the champion first (the Overview's strip;
    /// exit code as `diag`, for the worst level).
    Systems(glance::GlanceArgs),
    /// Closing line value: how far the market moved toward the system's bets
    /// by tip-off, overall and by direction, book and edge, with a verdict.
    Clv(clv::ClvArgs),
    /// How often each alert rule cries wolf, and how fast it sees a drop to break-even.
    Alerts(alerts::AlertsArgs),
    /// The slate of a game date: games, tip-offs, and per system the
    /// players with a line it predicted, the missing ones with reasons,
    /// stale lines and grading (exit code as `diag`).
    Slate(slate::SlateArgs),
    /// Headless live monitor: recompute every interval, post level changes to Slack.
    Watch(watch::WatchArgs),
    /// Silences of `watch`'s posts: add (with an end and a comment), list, expire.
    Silence(silence::SilenceArgs),
    /// Every level change, post, silence and delivery `watch` recorded, in order.
    Timeline(silence::TimelineArgs),
    /// Print one dashboard tab as plain text, drawn headless at a chosen size
    /// (for Slack posts and bug reports).
    Snapshot(crate::tui::snapshot::SnapshotArgs),
    /// Persisted diagnostics rows of a range (legacy rows included, vocabulary read).
    History(history::HistoryArgs),
    /// Print the DDL of the tables courtside reads and writes.
    Schema(setup::SchemaArgs),
    /// Check the configured warehouse against the contract: each table's
    /// columns, partitioning, recent vocabulary, duplicates and freshness,
    /// and what works per command and tab, with the fixes (exit code: 0
    /// all works, 1 something works without a piece, 2 something fails).
    Doctor(doctor::DoctorArgs),
    /// The DDL that makes every feature work on this warehouse (courtside's
    /// tables and diagnostics columns); `--apply` runs it.
    Setup(warehouse_setup::WarehouseSetupArgs),
    /// Build the deterministic demo dataset into the embedded store.
    Demo(setup::DemoArgs),
    /// Load CSV or newline-delimited JSON files (BigQuery's export formats)
    /// into a table of the embedded store: one transaction, every row checked,
    /// nothing loaded on any problem.
    Import(transfer::ImportArgs),
    /// Write every row of a table of the configured source as CSV or
    /// newline-delimited JSON.
    Export(transfer::ExportArgs),
}

impl Command {
    /// Whether the command writes to the store (the dashboard does: its
    /// promotions). A command that only reads opens an existing store
    /// without creating it or any table in it.
    pub fn writes(&self) -> bool {
        use super::exp::ExpCommand as E;
        match self {
            Command::Diag(args) => args.persist,
            Command::Backfill(args) => args.persist,
            Command::Exp(args) => !matches!(
                args.command,
                E::List { .. }
                    | E::Show { .. }
                    | E::Best { .. }
                    | E::Validate { .. }
                    | E::History { .. }
                    | E::Compare { .. }
            ),
            Command::Gap(_)
            | Command::Versus(_)
            | Command::Splits(_)
            | Command::Alerts(_)
            | Command::Systems(_)
            | Command::Clv(_)
            | Command::History(_)
            | Command::Export(_)
            | Command::Snapshot(_)
            | Command::Doctor(_)
            | Command::Slate(_) => false,
            // Setup makes its own changes through the source; opening must
            // not apply the whole schema to a store built elsewhere first.
            Command::Setup(_) => false,
            Command::Watch(_) | Command::Schema(_) | Command::Demo(_) | Command::Import(_) => true,
            // Their own state tables, in the store watch keeps its outbox in.
            Command::Silence(_) | Command::Timeline(_) => true,
        }
    }
}

impl Cli {
    /// The options every command shares.
    pub fn globals(&self) -> Globals {
        Globals {
            store: self.store.clone(),
            no_demo: self.no_demo,
        }
    }
}
