//! What the read-only `exp` verbs print: the comparison as text, the config
//! check (its format, problems and warnings), and the JSON of every verb
//! (`--json`), with the spec's field names. Text is terminal-safe.

use crate::config::Thresholds;
use crate::format::{terminal_safe as safe, terminal_safe_lines};
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::registry::compare;
use crate::registry::experiment_config;
use crate::registry::leaderboard::Entry;
use anyhow::Result;
use serde_json::{Value, json};
use std::path::Path;

/// The comparison as text: metrics against the first, then the config diff.
pub fn compare_text(rows: &[&ExperimentRow], thresholds: &Thresholds) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let Some((base_row, others)) = rows.split_first() else {
        return out;
    };
    let base = Entry::from_row(base_row, thresholds.min_bets());
    let other_entries: Vec<Entry> = others
        .iter()
        .map(|r| Entry::from_row(r, thresholds.min_bets()))
        .collect();
    for line in crate::format::experiments::compare_lines(&base, &other_entries, true) {
        let _ = writeln!(out, "{line}");
    }
    let all: Vec<&Entry> = std::iter::once(&base).chain(&other_entries).collect();
    let edges = crate::format::experiments::edge_lines(&all);
    if !edges.is_empty() {
        let _ = writeln!(out, "\nhit rate on bets by edge:");
        for line in edges {
            let _ = writeln!(out, "  {line}");
        }
    }
    for line in problem_lines(all) {
        let _ = writeln!(out, "{line}");
    }
    let diff = compare::config_diff(rows);
    let _ = writeln!(out);
    if diff.is_empty() {
        let _ = writeln!(out, "configs are identical");
    } else {
        let _ = writeln!(out, "config keys that differ:");
        for (key, values) in diff {
            let values: Vec<_> = values.iter().map(|value| safe(value)).collect();
            let _ = writeln!(out, "  {}: {}", safe(&key), values.join(" | "));
        }
    }
    out
}

/// A config's problems or warnings as `--json` lists them.
fn problems_json(problems: &[experiment_config::ConfigProblem]) -> Vec<Value> {
    problems
        .iter()
        .map(|p| json!({"line": p.line, "field": p.field, "message": p.message}))
        .collect()
}

/// Prints a config's warnings (they never refuse it) on stderr.
pub fn print_warnings(file: &str, warnings: &[experiment_config::ConfigProblem]) {
    for warning in warnings {
        eprintln!("warning: {}", terminal_safe_lines(&warning.located(file)));
    }
}

/// `exp validate` needs no store: the format read, then every problem and
/// warning.
pub fn validate(file: &Path, as_json: bool) -> Result<i32> {
    let name = file.display().to_string();
    match experiment_config::load(file) {
        Ok(config) if as_json => {
            println!(
                "{}",
                json!({
                    "file": name, "valid": true, "format": config.format,
                    "experiment_name": config.experiment_name,
                    "experiment_type": config.experiment_type, "problems": [],
                    "warnings": problems_json(&config.warnings),
                })
            );
            Ok(0)
        }
        Ok(config) => {
            println!(
                "{}: valid ({} config; {} {})",
                safe(&name),
                config.format,
                safe(&config.experiment_type),
                safe(&config.experiment_name)
            );
            print_warnings(&name, &config.warnings);
            Ok(0)
        }
        Err(errors) if as_json => {
            println!(
                "{}",
                json!({
                    "file": errors.file, "valid": false, "format": errors.format,
                    "problems": problems_json(&errors.problems),
                    "warnings": problems_json(&errors.warnings),
                })
            );
            Ok(1)
        }
        Err(errors) => {
            if let Some(format) = errors.format {
                eprintln!("{}: read as a {format} config", safe(&errors.file));
            }
            eprintln!("{}", terminal_safe_lines(&errors.to_string()));
            print_warnings(&errors.file, &errors.warnings);
            Ok(1)
        }
    }
}

/// An experiment's leaderboard figures (`exp list`, `best`, `compare`).
pub fn entry_json(entry: &Entry) -> Value {
    json!({
        "experiment_id": entry.id, "experiment_name": entry.name,
        "experiment_type": entry.kind, "status": entry.status, "tags": entry.tags,
        "hit_rate": entry.hit_rate, "mae": entry.mae, "roi": entry.roi,
        "samples": entry.samples,
        "hit_rate_edge_3plus": entry.hit_rate_edge_3plus,
        "hit_rate_edge_5plus": entry.hit_rate_edge_5plus,
        "results_layout": entry.results_layout, "problems": entry.problems,
        "created_at": entry.created_at,
        "git_commit": entry.git_commit, "parent_experiment_id": entry.parent_id,
    })
}

/// One audit event, as `ml_experiment_events` holds it plus the name.
pub fn event_json(event: &ExperimentEvent, name: Option<&str>) -> Value {
    json!({
        "experiment_id": event.experiment_id, "experiment_name": name,
        "at": event.at, "actor": event.actor, "from_status": event.from_status,
        "to_status": event.to_status, "note": event.note,
    })
}

/// `exp show --json`: the row, its figures, lineage and history.
pub fn show_json(
    row: &ExperimentRow,
    entry: &Entry,
    lineage: &[String],
    events: &[ExperimentEvent],
) -> Value {
    json!({
        "experiment": row,
        "figures": entry_json(entry),
        "lineage": lineage,
        "history": events.iter().map(|e| event_json(e, Some(&row.experiment_name))).collect::<Vec<_>>(),
    })
}

/// `exp compare --json`: the first as baseline, each other's differences
/// with the hit-rate difference's 95% interval, and the config keys that differ.
pub fn compare_json(rows: &[&ExperimentRow], thresholds: &Thresholds) -> Value {
    let Some((base_row, others)) = rows.split_first() else {
        return json!({});
    };
    let base = Entry::from_row(base_row, thresholds.min_bets());
    let other_entries: Vec<Entry> = others
        .iter()
        .map(|r| Entry::from_row(r, thresholds.min_bets()))
        .collect();
    let deltas: Vec<Value> = compare::deltas(&base, &other_entries)
        .iter()
        .map(|delta| {
            json!({
                "experiment": entry_json(&delta.entry),
                "hit_rate_difference": delta.hit_rate.map(|(d, i)| json!({"points": d, "interval": i})),
                "mae_difference": delta.mae,
                "roi_difference": delta.roi,
            })
        })
        .collect();
    let diff: Vec<Value> = compare::config_diff(rows)
        .into_iter()
        .map(|(key, values)| json!({"key": key, "values": values}))
        .collect();
    json!({"baseline": entry_json(&base), "others": deltas, "config_differences": diff})
}

/// A hit rate with its interval, as the leaderboard shows it.
pub fn hit_text(entry: &Entry) -> String {
    crate::format::hit_rate_interval(entry.hit_rate.as_ref())
}

/// The results' problems of each entry that has some, one line each
/// (`⚠ NAME: results_json.hit_rate_all: ...`).
pub fn problem_lines<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<String> {
    entries
        .into_iter()
        .flat_map(|e| {
            e.problems
                .iter()
                .map(move |p| format!("⚠ {}: {}", safe(&e.name), safe(p)))
        })
        .collect()
}
