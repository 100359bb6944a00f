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
/// would process (data queries, estimated), what each would bill on
/// on-demand pricing (at least 10 MB per table it references), and the
/// totals; as one JSON object with `json`.
pub fn report(context: &Context, json: bool) -> Result<i32> {
    let log = context.source.query_log();
    let tables_of = |record: &crate::source::QueryRecord| -> u64 {
        record
            .tables
            .split(", ")
            .filter(|table| !table.starts_with('('))
            .count() as u64
    };
    let billed = |record: &crate::source::QueryRecord| {
        crate::source::bigquery::transport::billed(record.bytes.unwrap_or(0), tables_of(record))
    };
    let estimates = log.iter().filter(|record| record.dry_run);
    let estimate: u64 = estimates.clone().map(|r| r.bytes.unwrap_or(0)).sum();
    let estimate_billed: u64 = estimates.map(billed).sum();
    let max_bytes_billed = context.config.source.bigquery.max_bytes_billed.0;
    if json {
        let queries: Vec<serde_json::Value> = log
            .iter()
            .map(|record| {
                serde_json::json!({
                    "kind": if record.dry_run { "estimate" } else { "lookup" },
                    "tables": record.tables,
                    "bytes_processed": record.bytes,
                    "bytes_billed": billed(record),
                    "sql": record.sql,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "dry_run": true,
                "queries": queries,
                "estimate_bytes_processed": estimate,
                "estimate_bytes_billed": estimate_billed,
                "billing_minimum_per_table_bytes": MINIMUM_PER_TABLE,
                "max_bytes_billed": max_bytes_billed,
            }))?
        );
        return Ok(0);
    }
    println!("{:>16}  {:>16}  {:<10}  tables", "bytes", "billed", "query");
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
            "{bytes:>16}  {:>16}  {kind:<10}  {}",
            crate::format::count(billed(record)),
            crate::format::terminal_safe(&record.tables)
        );
    }
    println!(
        "{} queries; the command's data queries would process {} bytes and bill {} (BigQuery bills at least 10 MB per table a query references; max_bytes_billed {})",
        log.len(),
        crate::format::count(estimate),
        crate::format::count(estimate_billed),
        crate::format::count(max_bytes_billed)
    );
    Ok(0)
}

/// On-demand pricing's minimum per table referenced.
const MINIMUM_PER_TABLE: u64 = 10 << 20;
