//! `courtside diag`: one day's diagnostics, as a report or one JSON object.

use super::common::parse_date_arg;
use super::report;
use super::systems::SystemsArgs;
use crate::model::diagnostics::DiagnosticsRow;
use crate::service;
use crate::service::Context;
use anyhow::Result;
use clap::Args;

#[derive(Debug, Default, Args)]
pub struct DiagArgs {
    /// Analysis date, YYYY-MM-DD (default: each system's latest date with graded rows).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    #[command(flatten)]
    pub systems: SystemsArgs,
    /// One JSON object with every column plus the intervals, n and p-values
    /// (an array of them for more than one system).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dry_run: super::dry_run::DryRunArg,
    /// Write the row to performance_diagnostics_daily (replacing the day's row).
    #[arg(long)]
    pub persist: bool,
}

pub async fn run(context: &Context, args: &DiagArgs) -> Result<i32> {
    let dry_run = args.dry_run.begin(context)?;
    let date = args
        .date
        .as_deref()
        .map(|text| parse_date_arg("--date", text))
        .transpose()?;
    let source = context.source.as_ref();
    let systems = args.systems.resolve(context).await?;
    let mut days = Vec::with_capacity(systems.len());
    for system in systems {
        let day = match date {
            Some(date) => date,
            None => service::default_date(source, &system).await?,
        };
        days.push((system, day));
    }
    let thresholds = &context.config.thresholds;
    // One fetch, one pass over the rows, for every system asked for.
    let all = service::diagnose_days(source, &days, thresholds).await?;
    if dry_run {
        return super::dry_run::report(context, args.json);
    }
    let info = source.info();
    // The silences each system's posts are under now (one read for all).
    let now = courtside_core::config::game_day::clock();
    let kept = source.silences().await;
    let silences: Vec<Result<Vec<crate::model::silence::Silence>, String>> = all
        .iter()
        .map(|d| match &kept {
            Ok(kept) => Ok(crate::model::silence::active_of(
                kept.clone(),
                &d.system_id,
                now,
            )),
            Err(error) => Err(format!("silences unreadable: {error:#}")),
        })
        .collect();
    if args.json {
        let values: Vec<serde_json::Value> = all
            .iter()
            .zip(&silences)
            .map(|(d, silences)| {
                let mut value = d.to_json();
                value["silences"] = match silences {
                    Ok(silences) => silences
                        .iter()
                        .map(|s| super::silence::silence_json(s, now))
                        .collect(),
                    Err(error) => serde_json::json!({ "error": error }),
                };
                value
            })
            .collect();
        match values.as_slice() {
            [one] => println!("{}", serde_json::to_string_pretty(one)?),
            many => println!("{}", serde_json::to_string_pretty(many)?),
        }
    } else {
        for (i, diagnostics) in all.iter().enumerate() {
            if i > 0 {
                println!();
            }
            let text = report::full(diagnostics, &info.label, info.is_demo);
            print!("{}", crate::format::terminal_safe_lines(&text));
            match &silences[i] {
                Ok(silences) => {
                    for silence in silences {
                        println!("{}", crate::format::terminal_safe(&silence.sentence(now)));
                    }
                }
                Err(error) => println!("⚠ {}", crate::format::terminal_safe(error)),
            }
        }
    }
    if args.persist {
        let rows: Vec<DiagnosticsRow> = all.iter().map(DiagnosticsRow::from).collect();
        let written = source
            .persist_diagnostics(&rows, &context.config.production_system)
            .await?;
        // Nothing written: the source says why (printed after the command).
        if written > 0 {
            let what: Vec<String> = days
                .iter()
                .map(|(system, date)| format!("{}, {date}", crate::format::terminal_safe(system)))
                .collect();
            eprintln!(
                "persisted {written} row{} to performance_diagnostics_daily ({})",
                if written == 1 { "" } else { "s" },
                what.join("; ")
            );
        }
    }
    Ok(worst_exit_code(&all))
}

/// The exit code of the worst level among the systems, in the order a
/// monitor escalates: critical, warning, unknown, then info and healthy.
pub fn worst_exit_code(all: &[crate::model::Diagnostics]) -> i32 {
    let rank = |code: i32| match code {
        2 => 3,
        1 => 2,
        3 => 1,
        _ => 0,
    };
    all.iter()
        .map(|d| d.alert_level.exit_code())
        .max_by_key(|code| rank(*code))
        .unwrap_or(super::common::EXIT_UNKNOWN)
}
