//! `courtside doctor [--json]`: what the configured warehouse has against the
//! contract and what works on it, printed at 80 columns (or as one JSON
//! object with the same facts). Exit code: 0 everything works, 1 something
//! works only without a piece, 2 something fails. Values read from the
//! warehouse are printed terminal-safe.

use crate::format::{count, terminal_safe as safe, terminal_safe_lines};
use crate::service::Context;
use crate::service::doctor::{self, WINDOW_DAYS};
use crate::service::doctor_report::{DoctorReport, TableCheck, ValueVerdict};
use crate::source::table_shape::Partitioning;
use anyhow::Result;
use clap::Args;
use std::fmt::Write as _;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// One JSON object with the same facts instead of the text.
    #[arg(long)]
    pub json: bool,
}

/// The text's width.
const WIDTH: usize = 80;

pub async fn run(context: &Context, args: &DoctorArgs) -> Result<i32> {
    let report = doctor::run(context).await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", terminal_safe_lines(&text(&report)));
    }
    Ok(report.exit_code)
}

/// `text` broken into lines of at most [`WIDTH`], each after `indent`.
pub fn wrap(out: &mut String, indent: usize, text: &str) {
    hanging(out, &" ".repeat(indent), indent, text);
}

/// `text` broken at spaces into lines of at most [`WIDTH`] (a word longer
/// than a line keeps its own): the first after `first`, the rest after
/// `rest` spaces. SQL and YAML flow lists read the same broken this way.
pub fn hanging(out: &mut String, first: &str, rest: usize, text: &str) {
    let mut pad = first.to_string();
    let mut line = String::new();
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let taken = pad.chars().count() + line.chars().count();
        if !line.is_empty() && taken + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(out, "{pad}{line}");
            line.clear();
            pad = " ".repeat(rest);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{pad}{line}");
    }
}

/// The whole report as text.
pub fn text(report: &DoctorReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "courtside doctor: {} ({})",
        report.source, report.today
    );
    let _ = writeln!(out, "\nTables");
    let sqlite = report
        .tables
        .iter()
        .all(|c| matches!(c.partitioning, None | Some(Partitioning::NotApplicable)));
    if sqlite {
        let _ = writeln!(
            out,
            "  (SQLite has no partitions: date filters use indexes)"
        );
    }
    for check in &report.tables {
        table(&mut out, check);
    }
    data(&mut out, report);
    let _ = writeln!(out, "\nCommands and tabs");
    for feature in &report.features {
        let _ = writeln!(out, "  {:<14} {}", feature.status.label(), feature.name);
        for reason in &feature.reasons {
            wrap(&mut out, 19, &format!("- {reason}"));
        }
        if !feature.fixes.is_empty() {
            let ids: Vec<String> = feature.fixes.iter().map(|id| format!("[{id}]")).collect();
            wrap(&mut out, 19, &format!("fix: {}", ids.join(" ")));
        }
    }
    if !report.fixes.is_empty() {
        let _ = writeln!(
            out,
            "\nFixes (DDL: `courtside setup` prints it, `setup --apply` runs it)"
        );
        for fix in &report.fixes {
            for (index, line) in fix.text.lines().enumerate() {
                let label = if index == 0 {
                    format!("[{}]", fix.id)
                } else {
                    String::new()
                };
                // Indentation inside a statement is kept; long lines hang.
                let inner = line.len() - line.trim_start().len();
                let first = format!("  {label:<5}{}", &line[..inner]);
                hanging(&mut out, &first, 9 + inner, line.trim_start());
            }
        }
    }
    queries(&mut out, report);
    let _ = writeln!(
        out,
        "\n{}",
        match report.exit_code {
            0 => "Everything works.",
            1 => "Everything runs; some features work without a piece (exit 1).",
            _ => "Some features fail on this warehouse (exit 2).",
        }
    );
    out
}

fn table(out: &mut String, check: &TableCheck) {
    let troubled = !check.missing_columns.is_empty()
        || !check.type_mismatches.is_empty()
        || !check.extra_required.is_empty()
        || check
            .vocabulary
            .iter()
            .any(|v| v.verdict == ValueVerdict::Unmapped);
    let (mark, state) = match (check.usable(), troubled) {
        (false, _) => ("✗", check.error.as_deref().unwrap_or("not found")),
        (true, true) => ("!", "found"),
        (true, false) => ("✓", "found"),
    };
    let name = if check.name == check.table {
        String::new()
    } else {
        format!(" (tables.{}: {})", check.config_key, check.name)
    };
    hanging(
        out,
        "  ",
        4,
        &format!("{mark} {}: {state}{name}", check.table),
    );
    if !check.usable() {
        return;
    }
    let total = check.missing_columns.len() + check.type_mismatches.len();
    let mut columns = if total == 0 {
        "columns: every contract column".to_string()
    } else {
        let missing: Vec<String> = check
            .missing_columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.type_name))
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing {}", missing.join(", ")));
        }
        for mismatch in &check.type_mismatches {
            parts.push(format!(
                "{} is {}, not {}",
                mismatch.column, mismatch.found, mismatch.expected
            ));
        }
        format!("columns: {}", parts.join("; "))
    };
    if !check.extra_columns.is_empty() {
        let _ = write!(columns, "; {} more not read", check.extra_columns.len());
    }
    wrap(out, 6, &columns);
    if !check.extra_required.is_empty() {
        wrap(
            out,
            6,
            &format!(
                "NOT NULL columns courtside does not write: {}",
                check.extra_required.join(", ")
            ),
        );
    }
    let partitions = match &check.partitioning {
        Some(Partitioning::ByTime {
            field,
            require_filter,
        }) => format!(
            "partitioned by {}{}",
            field.as_deref().unwrap_or("ingestion time"),
            if *require_filter {
                ", partition filter required"
            } else {
                ", no required filter"
            }
        ),
        _ => String::new(),
    };
    let note = check.partition_note.clone().unwrap_or_default();
    let partitions = [partitions, note]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if !partitions.is_empty() {
        wrap(out, 6, &partitions);
    }
    if let (Some((from, to)), Some(rows)) = (check.window, check.rows_in_window) {
        let latest = match (check.latest, check.age_days) {
            (Some(latest), Some(age)) => format!(", latest {latest} ({age} days old)"),
            _ => String::new(),
        };
        wrap(
            out,
            6,
            &format!("{from}..{to}: {} rows{latest}", count(rows)),
        );
    }
    if let Some(error) = &check.profile_error {
        wrap(out, 6, &format!("recent rows not read: {error}"));
    }
    let mut columns: Vec<&str> = check.vocabulary.iter().map(|v| v.column.as_str()).collect();
    columns.dedup();
    for column in columns {
        let values: Vec<String> = check
            .vocabulary
            .iter()
            .filter(|v| v.column == column)
            .map(|v| {
                let mark = match v.verdict {
                    ValueVerdict::Known => "",
                    ValueVerdict::Unmapped => " ✗unmapped",
                    ValueVerdict::Undocumented => " ⚠undocumented",
                };
                let value = safe(v.value.as_deref().unwrap_or("NULL"));
                format!("{value} {}{mark}", count(v.rows))
            })
            .collect();
        wrap(out, 6, &format!("{column}: {}", values.join(", ")));
    }
}

fn data(out: &mut String, report: &DoctorReport) {
    let data = &report.data;
    let Some((from, to)) = data.window else {
        return;
    };
    let _ = writeln!(out, "\nRows of the {WINDOW_DAYS} days {from}..{to}");
    match (data.latest_graded, data.age_days) {
        (Some(latest), Some(age)) => wrap(
            out,
            2,
            &format!("latest graded date {latest}, {age} days old"),
        ),
        _ => wrap(out, 2, "no graded rows found"),
    }
    if let Some(error) = &data.day_stats_error {
        wrap(out, 2, &format!("day stats not computed: {error}"));
        return;
    }
    if data.duplicate_rows == 0 {
        wrap(out, 2, "duplicate bets: none");
    } else {
        wrap(
            out,
            2,
            &format!(
                "duplicate bets: {} extra rows on {} system-days (one row per player, game and system counts; the rest are left out)",
                count(data.duplicate_rows),
                data.duplicate_system_days
            ),
        );
    }
    if data.unknown_line_sources.is_empty() {
        wrap(out, 2, "line sources: every value is mapped");
    } else {
        let values: Vec<String> = data
            .unknown_line_sources
            .iter()
            .map(|(value, rows)| format!("{} ({} rows)", safe(value), count(*rows)))
            .collect();
        wrap(
            out,
            2,
            &format!(
                "unmapped line_source: {} (left out of every line-kind figure)",
                values.join(", ")
            ),
        );
    }
}

fn queries(out: &mut String, report: &DoctorReport) {
    if report.queries.is_empty() {
        return;
    }
    let processed: u64 = report
        .queries
        .iter()
        .filter(|q| !q.dry_run)
        .filter_map(|q| q.bytes)
        .sum();
    let _ = writeln!(
        out,
        "\nQueries: {} ({} bytes processed; table metadata is free)",
        report.queries.len(),
        count(processed)
    );
    for query in &report.queries {
        let bytes = query.bytes.map_or("?".to_string(), count);
        let kind = if query.dry_run { "dry run" } else { "query" };
        let _ = writeln!(out, "  {kind:<7} {bytes:>15} B");
        wrap(out, 4, &query.tables);
    }
}
