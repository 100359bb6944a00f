//! `courtside backfill`: diagnostics for every game date of a range from one
//! fetch, one line (or JSON line) per day, optionally persisted.

use super::common::{EXIT_UNKNOWN, parse_date_arg};
use super::report;
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
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// JSON lines instead of one summary line per day.
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub persist: bool,
}

pub async fn run(context: &Context, args: &BackfillArgs) -> Result<i32> {
    let from = parse_date_arg("--from", &args.from)?;
    let to = parse_date_arg("--to", &args.to)?;
    super::common::check_range(from, to)?;
    let system = args
        .system
        .clone()
        .unwrap_or_else(|| context.config.production_system.clone());
    let source = context.source.as_ref();
    service::check_system(source, &system).await?;
    let days =
        service::diagnose_game_dates(source, from, to, &system, &context.config.thresholds).await?;
    for day in &days {
        if args.json {
            println!("{}", serde_json::to_string(&day.to_json())?);
        } else {
            println!("{}", report::line(day));
        }
    }
    if days.is_empty() {
        eprintln!("no game dates for {system} between {from} and {to}");
        return Ok(EXIT_UNKNOWN);
    }
    if args.persist {
        let rows: Vec<DiagnosticsRow> = days.iter().map(DiagnosticsRow::from).collect();
        let written = source.persist_diagnostics(&rows).await?;
        eprintln!("persisted {written} rows to performance_diagnostics_daily ({system})");
    }
    Ok(0)
}
