//! `courtside splits`: a system's bets split by edge, direction, line kind,
//! bookmaker and confidence decile, with ROI, drawdown, the naive baselines
//! and calibration (metrics.md section 13).

use super::common::parse_date_arg;
use crate::format::comparisons::{
    CALIBRATION_COLUMNS, SPLIT_COLUMNS, calibration_cells, split_cells, split_columns, splits_notes,
};
use crate::model::splits::SplitsReport;
use crate::service;
use crate::service::Context;
use crate::service::comparisons;
use anyhow::{Result, bail};
use clap::Args;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Args)]
pub struct SplitsArgs {
    /// System (default: the configured production system).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Last date of the window, YYYY-MM-DD (default: the latest graded date).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Days in the window (default: thresholds.splits_days, 30).
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = super::numbers::days)]
    pub days: Option<u32>,
    /// One JSON object with every figure.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub dry_run: super::dry_run::DryRunArg,
}

pub async fn run(context: &Context, args: &SplitsArgs) -> Result<i32> {
    let dry_run = args.dry_run.begin(context)?;
    let source = context.source.as_ref();
    let system = args
        .system
        .clone()
        .unwrap_or_else(|| context.config.production_system.clone());
    service::check_system(source, &system).await?;
    let date = match &args.date {
        Some(text) => parse_date_arg("--date", text)?,
        None => service::default_date(source, &system).await?,
    };
    let days = args.days.unwrap_or(context.config.thresholds.splits_days.0);
    if !(1..=3660).contains(&days) {
        bail!("--days: must be between 1 and 3660, got {days}");
    }
    let report =
        comparisons::splits(source, &context.config.thresholds, &system, date, days).await?;
    if dry_run {
        return super::dry_run::report(context, args.json);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let text = text(&report, context.config.thresholds.edge_threshold.get());
        print!("{}", crate::format::terminal_safe_lines(&text));
    }
    Ok(0)
}

/// Rows of cells as columns padded to their display width.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> Vec<String> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.width())))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(
        rows.iter()
            .map(|row| line(row.iter().map(String::as_str).collect())),
    );
    out
}

/// The report as `courtside splits` prints it.
pub fn text(report: &SplitsReport, edge_threshold: f64) -> String {
    let mut out = format!(
        "courtside splits: {}, {} .. {}, bets at edge >= {edge_threshold} \
         (UNDER/OVER: always taking that side on the same bets)\n\n",
        crate::format::terminal_safe(&report.system_id),
        report.from,
        report.to
    );
    let shown = split_columns(report);
    let pick = |cells: Vec<String>| -> Vec<String> {
        shown
            .iter()
            .filter_map(|&i| cells.get(i).cloned())
            .collect()
    };
    let header: Vec<&str> = shown.iter().map(|&i| SPLIT_COLUMNS[i]).collect();
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|row| pick(split_cells(row)))
        .collect();
    for line in table(&header, &rows) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\nreliability (confidence_score on bets, per decile)\n");
    let rows: Vec<Vec<String>> = report.calibration.iter().map(calibration_cells).collect();
    for line in table(&CALIBRATION_COLUMNS, &rows) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    for line in splits_notes(report) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
