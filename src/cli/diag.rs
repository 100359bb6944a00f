//! `courtside diag`: one day's diagnostics, as a report or one JSON object.

use super::args::DiagArgs;
use super::{Context, EXIT_UNKNOWN, parse_date_arg, report};
use crate::model::diagnostics::DiagnosticsRow;
use crate::service;
use anyhow::Result;

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
    if !diagnostics.has_data() {
        return Ok(EXIT_UNKNOWN);
    }
    if args.persist {
        let written = source
            .persist_diagnostics(&[DiagnosticsRow::from(&diagnostics)])
            .await?;
        eprintln!("persisted {written} row to performance_diagnostics_daily ({system}, {date})");
    }
    Ok(diagnostics.alert_level.exit_code())
}
