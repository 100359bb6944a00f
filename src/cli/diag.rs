//! `courtside diag`: one day's diagnostics, as a report or one JSON object.

use super::common::parse_date_arg;
use super::report;
use crate::model::diagnostics::DiagnosticsRow;
use crate::service;
use crate::service::Context;
use anyhow::Result;
use clap::Args;

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

pub async fn run(context: &Context, args: &DiagArgs) -> Result<i32> {
    let date = args
        .date
        .as_deref()
        .map(|text| parse_date_arg("--date", text))
        .transpose()?;
    let system = args
        .system
        .clone()
        .unwrap_or_else(|| context.config.production_system.clone());
    let source = context.source.as_ref();
    service::check_system(source, &system).await?;
    let date = match date {
        Some(date) => date,
        None => service::default_date(source, &system).await?,
    };
    let thresholds = &context.config.thresholds;
    let diagnostics = service::diagnose_day(source, date, &system, thresholds).await?;
    let info = source.info();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&diagnostics.to_json())?);
    } else {
        print!("{}", report::full(&diagnostics, &info.label, info.is_demo));
    }
    if args.persist {
        let written = source
            .persist_diagnostics(&[DiagnosticsRow::from(&diagnostics)])
            .await?;
        eprintln!("persisted {written} row to performance_diagnostics_daily ({system}, {date})");
    }
    Ok(diagnostics.alert_level.exit_code())
}
