//! `courtside versus A B`: champion against challenger on identical rows
//! (metrics.md section 14), each side a system or an experiment's backtest.

use super::common::optional_date;
use crate::format::comparisons::versus_lines;
use crate::format::{terminal_safe, terminal_safe_lines};
use crate::service::Context;
use crate::service::comparisons;
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct VersusArgs {
    /// Side A (the champion): a system id, or an experiment id, id prefix or name.
    #[arg(value_name = "A")]
    pub a: String,
    /// Side B (the challenger), as A.
    #[arg(value_name = "B")]
    pub b: String,
    /// First date, YYYY-MM-DD (default: an experiment's evaluation period,
    /// else the 30 days ending at --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last date, YYYY-MM-DD (default: as --from, else the latest graded date).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One JSON object with every figure.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dry_run: super::dry_run::DryRunArg,
}

pub async fn run(context: &Context, args: &VersusArgs) -> Result<i32> {
    let dry_run = args.dry_run.begin(context)?;
    let from = optional_date("--from", args.from.as_deref())?;
    let to = optional_date("--to", args.to.as_deref())?;
    if let (Some(from), Some(to)) = (from, to) {
        super::common::check_range(from, to)?;
    }
    let judging = comparisons::Judging {
        thresholds: &context.config.thresholds,
        margin_pp: context.config.promotion.non_inferiority_pp.get(),
    };
    let report =
        comparisons::versus(context.source.as_ref(), judging, &args.a, &args.b, from, to).await?;
    if dry_run {
        return super::dry_run::report(context, args.json);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "courtside versus: A {} against B {}, {} .. {}, bets at edge >= {}",
            terminal_safe(report.a.label()),
            terminal_safe(report.b.label()),
            report.from,
            report.to,
            context.config.thresholds.edge_threshold.get()
        );
        println!();
        for line in versus_lines(&report) {
            println!("{}", terminal_safe_lines(&line));
        }
    }
    Ok(0)
}
