//! `courtside import` and `courtside export`: BigQuery's CSV and
//! newline-delimited JSON exports into the embedded store (all files in one
//! transaction, every row checked, nothing loaded on any problem), and any
//! table of the configured source out in the same formats.

use super::common::{Globals, store_path};
use crate::config::{Config, SourceKind};
use crate::service::Context;
use crate::source::embedded::EmbeddedStore;
use crate::transfer::import::import_files;
use crate::transfer::tables::TableKind;
use crate::transfer::write::write_rows;
use crate::transfer::{Format, ReadOptions};
use anyhow::{Context as _, Result, anyhow};
use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The table: prediction_accuracy, player_game_summary, ml_feature_store_v2,
    /// performance_diagnostics_daily, ml_experiments, ml_experiment_events or
    /// backtest_predictions (a dataset prefix is fine).
    #[arg(value_name = "TABLE")]
    pub table: String,
    /// CSV (.csv, with a header row) or newline-delimited JSON (.json, .ndjson, .jsonl) files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The files' format, whatever their extension.
    #[arg(long, value_parser = format_parser())]
    pub format: Option<Format>,
    /// Skip columns the table does not have (the live prediction_accuracy has
    /// more than courtside reads) instead of refusing the file.
    #[arg(long)]
    pub ignore_extra_columns: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The table (as for import).
    #[arg(value_name = "TABLE")]
    pub table: String,
    /// Output format (default: from the --output extension, else csv).
    #[arg(long, value_parser = format_parser())]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output (replaced only when complete).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The table a command names: the contract's name, or a configured one.
fn table(name: &str, config: &Config) -> Result<TableKind> {
    TableKind::resolve(name, &config.tables).ok_or_else(|| {
        anyhow!(
            "`{name}` is not a table courtside knows (one of {})",
            TableKind::all_names()
        )
    })
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `courtside import TABLE FILE…`: into the embedded store, even when the
/// configured source is BigQuery (the store is where imported data lives; the
/// dashboard reads it with `source.kind: embedded`). An empty store stays
/// without demo data: importing into it is the point.
pub fn import(globals: &Globals, args: &ImportArgs, config: &Config) -> Result<i32> {
    let table = table(&args.table, config)?;
    // Every file's format and readability are settled before the store is touched.
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let format = args
            .format
            .or_else(|| Format::from_path(path))
            .ok_or_else(|| {
                anyhow!(
                    "{}: cannot tell the format from the extension; name it .csv, .json, .ndjson or .jsonl, or pass --format csv|ndjson",
                    path.display()
                )
            })?;
        let metadata =
            std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if !metadata.is_file() {
            return Err(anyhow!("{}: not a file", path.display()));
        }
        files.push((path, format));
    }

    let path = store_path(globals, config)?;
    // Said once, whether the wait is for the schema or for the rows.
    let said = std::cell::Cell::new(false);
    let waiting = || {
        if !said.replace(true) {
            eprintln!("courtside: waiting for another import to finish…");
        }
    };
    let store = EmbeddedStore::open_waiting(&path, &waiting)?;
    let options = ReadOptions {
        ignore_extra_columns: args.ignore_extra_columns,
    };
    let files: Vec<(&Path, Format)> = files
        .into_iter()
        .map(|(path, format)| (path.as_path(), format))
        .collect();
    let rows = import_files(&store, table, &files, options, &waiting)
        .map_err(|error| store.explained(error))?;
    println!(
        "imported {} into {table} from {}",
        plural(rows, "row", "rows"),
        plural(files.len(), "file", "files")
    );
    // The rows the day stats read: their sums are made now, once, so the
    // next command reads kept sums instead of every row.
    if rows > 0
        && matches!(
            table,
            TableKind::PredictionAccuracy | TableKind::PlayerGameSummary
        )
    {
        let started = std::time::Instant::now();
        match store.keep_day_sums(&config.thresholds) {
            Ok(Some(kept)) => {
                eprintln!(
                    "courtside: day sums kept for {} to {} ({:.1} s); the next read starts from them",
                    kept.first,
                    kept.last,
                    started.elapsed().as_secs_f64()
                );
                for note in row_notes(&kept) {
                    eprintln!("courtside: {}", crate::format::terminal_safe_lines(&note));
                }
            }
            Ok(None) => {}
            // The rows are in; a read computes the sums instead.
            Err(error) => {
                let error = format!("{error:#}");
                eprintln!(
                    "courtside: day sums not kept ({}); the next read computes them",
                    crate::format::terminal_safe_lines(&error)
                )
            }
        }
    }
    // Notes come after success, so that a refusal stays one line.
    if config.source.kind == SourceKind::Bigquery {
        eprintln!(
            "courtside: source.kind is bigquery; the rows went into the embedded store {} (set source.kind: embedded to read them)",
            path.display()
        );
    }
    if store.is_demo() {
        eprintln!(
            "courtside: {} holds the demo dataset; the imported rows joined it (use --store for a store of your own)",
            path.display()
        );
    }
    Ok(0)
}

/// What the stored predictions say of themselves (metrics.md section 1,
/// Rev. 3): a bet's extra rows, and line sources no configured list names.
fn row_notes(kept: &crate::source::embedded::KeptSums) -> Vec<String> {
    let mut notes = Vec::new();
    if kept.duplicate_rows > 0 {
        notes.push(format!(
            "{} stored row(s) are a bet's extra rows (graded once per line value): one row per player, game and system counts",
            kept.duplicate_rows
        ));
    }
    if !kept.unlisted_line_sources.is_empty() {
        let values: Vec<String> = kept
            .unlisted_line_sources
            .iter()
            .map(|(value, rows)| format!("{value} ({rows})"))
            .collect();
        notes.push(format!(
            "line_source values no line_sources list names: {}; they count in no line-kind figure until the config's line_sources lists them",
            values.join(", ")
        ));
    }
    notes
}

/// `courtside export TABLE`: every row of the table from the configured source.
pub async fn export(context: &Context, args: &ExportArgs) -> Result<i32> {
    let table = table(&args.table, &context.config)?;
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Csv);
    let rows = context.source.export_rows(table).await?;
    match &args.output {
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            write_rows(&mut out, format, table, &rows)?;
            out.flush()?;
        }
        Some(path) => {
            write_file(path, format, table, &rows)?;
            println!(
                "exported {} of {table} to {}",
                plural(rows.len(), "row", "rows"),
                path.display()
            );
        }
    }
    Ok(0)
}

/// Writes next to `path` and renames, so a failure never leaves half a file.
/// Something that is not a regular file (`/dev/stdout`, a pipe) is written
/// in place: renaming over it would replace the device.
fn write_file(
    path: &Path,
    format: Format,
    table: TableKind,
    rows: &[crate::transfer::CanonicalRow],
) -> Result<()> {
    if std::fs::metadata(path).is_ok_and(|metadata| !metadata.is_file()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        let mut out = BufWriter::new(file);
        write_rows(&mut out, format, table, rows)?;
        out.flush()?;
        return Ok(());
    }
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
    let partial = path.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    let written = (|| -> Result<()> {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("{}: cannot create", partial.display()))?;
        let mut out = BufWriter::new(file);
        write_rows(&mut out, format, table, rows)?;
        out.into_inner()
            .map_err(|error| error.into_error())?
            .sync_all()?;
        std::fs::rename(&partial, path).with_context(|| format!("{}: cannot write", path.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// `--format`: `csv` or `ndjson` (also `json`, `jsonl`).
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new([
        PossibleValue::new("csv"),
        PossibleValue::new("ndjson").aliases(["json", "jsonl"]),
    ])
    .try_map(|name| name.parse::<Format>())
}
