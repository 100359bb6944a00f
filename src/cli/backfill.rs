//! `courtside backfill`: diagnostics for every game date of a range from one
//! fetch, one line (or JSON line) per day, optionally persisted.

use super::common::{EXIT_UNKNOWN, parse_date_arg};
use super::report;
use super::systems::SystemsArgs;
use crate::format::{skipped_sentences, terminal_safe, terminal_safe_lines};
use crate::model::diagnostics::DiagnosticsRow;
use crate::service;
use crate::service::Context;
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct BackfillArgs {
    /// First date, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last date, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: String,
    #[command(flatten)]
    pub systems: SystemsArgs,
    /// JSON lines instead of one summary line per day.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dry_run: super::dry_run::DryRunArg,
    #[arg(long)]
    pub persist: bool,
}

pub async fn run(context: &Context, args: &BackfillArgs) -> Result<i32> {
    let dry_run = args.dry_run.begin(context)?;
    let from = parse_date_arg("--from", &args.from)?;
    let to = parse_date_arg("--to", &args.to)?;
    super::common::check_range(from, to)?;
    let systems = args.systems.resolve(context).await?;
    let source = context.source.as_ref();
    // One fetch and one pass over the rows for every system.
    let days =
        service::diagnose_game_dates_of(source, from, to, &systems, &context.config.thresholds)
            .await?;
    if dry_run {
        return super::dry_run::report(context, args.json);
    }
    // The stored rows the fetch left out are those of the whole range:
    // named once (on stderr, so stdout stays one line per day), not per day.
    if !args.json
        && let Some(first) = days.first()
    {
        for sentence in skipped_sentences(first) {
            eprintln!("{sentence}");
        }
    }
    for day in &days {
        if args.json {
            println!("{}", serde_json::to_string(&day.to_json())?);
        } else {
            // One line per day, whatever a stored string holds.
            println!("{}", terminal_safe(&report::line(day)));
        }
    }
    if days.is_empty() {
        eprintln!(
            "no game dates for {} between {from} and {to}",
            terminal_safe_lines(&systems.join(", "))
        );
        return Ok(EXIT_UNKNOWN);
    }
    if args.persist {
        let rows: Vec<DiagnosticsRow> = days.iter().map(DiagnosticsRow::from).collect();
        let written = source
            .persist_diagnostics(&rows, &context.config.production_system)
            .await?;
        // Nothing written: the source says why (printed after the command).
        if written > 0 {
            eprintln!(
                "persisted {written} rows to performance_diagnostics_daily ({})",
                terminal_safe_lines(&systems.join(", "))
            );
        }
    }
    Ok(0)
}
