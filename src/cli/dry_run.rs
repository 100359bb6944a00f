//! `--dry-run` on the commands that scan data (diag, backfill, gap, versus,
//! splits): BigQuery estimates each data query without running it (lookups
//! of dates, systems and the registry still run, since what is asked next
//! depends on them), and the command prints the queries and their bytes
//! instead of its result.

use crate::service::Context;
use anyhow::{Result, bail};
use clap::Args;

#[derive(Debug, Default, Clone, Copy, Args)]
pub struct DryRunArg {
    /// Print the bytes each BigQuery query would process instead of running
    /// it (BigQuery's dry run; nothing is billed for the estimate).
    #[arg(long)]
    pub dry_run: bool,
}

impl DryRunArg {
    /// Turns dry runs on for the source; refused where nothing is billed.
    pub fn begin(self, context: &Context) -> Result<bool> {
        if !self.dry_run {
            return Ok(false);
        }
        if !context.source.set_dry_run(true) {
            bail!(
                "--dry-run estimates what BigQuery would bill; the embedded store (source.kind: embedded) bills nothing"
            );
        }
        Ok(true)
    }
}

/// The queries the command made: bytes each processed (lookups, run) or
/// would process (data queries, estimated), and the total estimate.
pub fn report(context: &Context) -> Result<i32> {
    let log = context.source.query_log();
    println!("{:>16}  {:<10}  tables", "bytes", "query");
    let mut estimate = 0;
    for record in &log {
        let bytes = record
            .bytes
            .map_or_else(|| "unknown".to_string(), crate::format::count);
        let kind = if record.dry_run {
            "estimate"
        } else {
            "lookup ran"
        };
        println!(
            "{bytes:>16}  {kind:<10}  {}",
            crate::format::terminal_safe(&record.tables)
        );
        if record.dry_run {
            estimate += record.bytes.unwrap_or(0);
        }
    }
    println!(
        "{} queries; the command's data queries would process {} bytes (max_bytes_billed {})",
        log.len(),
        crate::format::count(estimate),
        crate::format::count(context.config.source.bigquery.max_bytes_billed.0)
    );
    Ok(0)
}
