//! `courtside clv [--system S] [--from D1] [--to D2] [--json]`: closing
//! line value (metrics.md section 18) of a system over a window (default
//! the `splits_days` ending at its latest date), overall and by direction,
//! book and edge bucket, with the verdict and the no-close count.

use super::common::{check_range, optional_date};
use crate::format::{count, terminal_safe};
use crate::model::clv::{ClvFigures, ClvReport};
use crate::service::{self, Context};
use anyhow::Result;
use clap::Args;
use std::fmt::Write;

#[derive(Debug, Args)]
pub struct ClvArgs {
    /// System (default: the production system).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// First game date, YYYY-MM-DD (default: `splits_days` before --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last game date, YYYY-MM-DD (default: the system's latest date with data).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One JSON object with every figure.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(context: &Context, args: &ClvArgs) -> Result<i32> {
    let source = context.source.as_ref();
    let thresholds = &context.config.thresholds;
    let system = args
        .system
        .clone()
        .unwrap_or_else(|| context.config.production_system.clone());
    service::check_system(source, &system).await?;
    let to = match optional_date("--to", args.to.as_deref())? {
        Some(to) => to,
        None => service::default_date(source, &system).await?,
    };
    let from = optional_date("--from", args.from.as_deref())?
        .unwrap_or_else(|| service::clv::window_of(to, thresholds).0);
    check_range(from, to)?;
    let report = service::clv::clv_report(source, &system, from, to, thresholds).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", crate::format::terminal_safe_lines(&text(&report)));
    }
    Ok(0)
}

fn figures_line(f: &ClvFigures) -> String {
    let mut line = f.sentence();
    if let (Some(pct), Some(interval)) = (f.positive_pct, f.positive_interval) {
        let _ = write!(
            line,
            "; beat the close on {pct:.1}% [{:.1}–{:.1}] of bets whose line moved",
            interval.low, interval.high
        );
    }
    if let Some(zero) = f.zero_pct {
        let _ = write!(line, "; no move on {zero:.1}%");
    }
    line
}

/// The report as text.
pub fn text(report: &ClvReport) -> String {
    let mut out = String::new();
    let system = terminal_safe(&report.system_id);
    let _ = writeln!(
        out,
        "Closing line value of {system}, {} to {} (the close: the last snapshot 0-45 minutes before tip-off at the bet's book, else the median over books)",
        report.from, report.to
    );
    if !report.snapshots_available {
        let _ = writeln!(
            out,
            "no line snapshot table (odds_api_player_points_props): closing line value needs one"
        );
        return out;
    }
    let overall = &report.overall;
    let _ = writeln!(out, "overall: {}", figures_line(overall));
    if let (Some(mean), Some(interval)) = (overall.mean_prob_points, overall.prob_interval) {
        let _ = writeln!(
            out,
            "  no-vig probability of the bet's side at the close: {mean:+.2} points over break-even [{:+.2}, {:+.2}] on {} bets with both prices",
            interval.low,
            interval.high,
            count(overall.prob_n)
        );
    }
    let mut dimension = "";
    for bucket in &report.buckets {
        if bucket.dimension != dimension {
            dimension = &bucket.dimension;
            let _ = writeln!(out, "by {dimension}:");
        }
        let _ = writeln!(
            out,
            "  {:<16} {}",
            terminal_safe(&bucket.bucket),
            bucket.figures.sentence()
        );
    }
    let _ = writeln!(
        out,
        "The close shows an edge in tens to a few hundred bets, where a hit rate needs thousands (about 2,240 at 55% for 80% power)."
    );
    out
}
