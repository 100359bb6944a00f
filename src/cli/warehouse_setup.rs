//! `courtside setup [--apply] [--json]`: the DDL that makes every feature
//! work on the configured warehouse (dry run by default), and with `--apply`
//! the changes made and confirmed. A second `--apply` changes nothing and
//! says so.

use crate::service::Context;
use crate::service::warehouse_setup::{self, SetupReport};
use anyhow::{Result, bail};
use clap::Args;
use std::fmt::Write as _;

#[derive(Debug, Args)]
pub struct WarehouseSetupArgs {
    /// Run the statements (BigQuery: one job each; the embedded store: one
    /// transaction). Without it, only print them.
    #[arg(long)]
    pub apply: bool,
    /// One JSON object instead of the text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(context: &Context, args: &WarehouseSetupArgs) -> Result<i32> {
    let report = warehouse_setup::run(context, args.apply).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", crate::format::terminal_safe_lines(&text(&report)));
    }
    if !report.remaining.is_empty() {
        bail!(
            "{} change(s) still missing after applying: {}",
            report.remaining.len(),
            report
                .remaining
                .iter()
                .map(|change| change.change.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(0)
}

/// The report as text: the statements (each ending in `;`, ready to paste),
/// then what was done.
pub fn text(report: &SetupReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- courtside setup: {}", report.source);
    for note in &report.notes {
        super::doctor::wrap(&mut out, 0, &format!("-- note: {note}"));
    }
    if report.changes.is_empty() {
        let _ = writeln!(
            out,
            "-- nothing to do: every table and column courtside needs is there{}",
            if report.apply {
                " (nothing changed)"
            } else {
                ""
            }
        );
        return out;
    }
    for change in &report.changes {
        let _ = writeln!(out, "\n-- {}\n{};", change.change, change.statement);
    }
    if report.apply {
        let _ = writeln!(
            out,
            "\n-- applied {} change(s): {}",
            report.changes.len(),
            report
                .changes
                .iter()
                .map(|change| change.change.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    } else {
        let _ = writeln!(
            out,
            "\n-- dry run: nothing changed; `courtside setup --apply` runs these {} statement(s)",
            report.changes.len()
        );
    }
    out
}
