//! `courtside exp`: the experiment registry from the command line. Every
//! change goes through the lifecycle state machine with its status
//! precondition and leaves an event in the audit trail. Stored text (names,
//! hypotheses, tags, notes, actors) is printed terminal-safe.

use super::exp_views;
use crate::config::Thresholds;
use crate::format::{terminal_safe as safe, terminal_safe_lines};
use crate::model::rows::ExperimentRow;
use crate::registry::leaderboard::{self, Entry, Filter};
use crate::registry::lifecycle::Status;
use crate::service;
use crate::service::Context;
use anyhow::{Result, anyhow, bail};

pub use super::exp_args::{ExpArgs, ExpCommand, Metric};

fn entries(rows: &[ExperimentRow], thresholds: &Thresholds) -> Vec<Entry> {
    rows.iter()
        .map(|row| Entry::from_row(row, thresholds.min_bets()))
        .collect()
}

pub async fn run(context: &Context, args: &ExpArgs) -> Result<i32> {
    let thresholds = &context.config.thresholds;
    let source = context.source.as_ref();
    match &args.command {
        ExpCommand::Validate { file, json } => exp_views::validate(file, *json),
        ExpCommand::List {
            status,
            kind,
            tag,
            search,
            sort,
            all,
            json,
        } => {
            let rows = source.experiments().await?;
            let status = status
                .as_deref()
                .map(|text| {
                    Status::parse(text).ok_or_else(|| {
                        anyhow!(
                            "--status: `{text}` is not a status (pending, running, completed, failed, promoted, archived)"
                        )
                    })
                })
                .transpose()?;
            let filter = Filter {
                status,
                kind: kind.clone(),
                tag: tag.clone(),
                search: search.clone().unwrap_or_default(),
                show_hidden: *all,
            };
            let mut shown: Vec<Entry> = entries(&rows, thresholds)
                .into_iter()
                .filter(|e| filter.keeps(e))
                .collect();
            leaderboard::sort(&mut shown, sort.key(), sort.key().descending_by_default());
            let fingerprints = source
                .backtest_fingerprints(&thresholds.line_sources)
                .await?;
            let populations = crate::registry::population::comparability(&shown, &fingerprints);
            if *json {
                let values: Vec<serde_json::Value> = shown
                    .iter()
                    .zip(&populations)
                    .map(|(entry, population)| {
                        let mut value = exp_views::entry_json(entry);
                        value["fingerprint"] = serde_json::json!(population.map(|(f, _)| f));
                        value["comparable"] = serde_json::json!(population.map(|(_, same)| same));
                        value
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&values)?);
            } else {
                // Columns as wide as the longest name and type (the team's
                // names and free-form types run longer than the documented).
                let width = |text: fn(&Entry) -> &str, least: usize| {
                    shown
                        .iter()
                        .map(|e| safe(text(e)).chars().count())
                        .fold(least, usize::max)
                };
                let name_width = width(|e| &e.name, 30);
                let type_width = width(|e| &e.kind, 14);
                println!(
                    "{:<name_width$} {:<type_width$} {:<9} {:<16} {:>5} {:>7} {:>7} {:<10} {:<10} commit",
                    "name",
                    "type",
                    "status",
                    "hit rate ±CI",
                    "MAE",
                    "ROI",
                    "samples",
                    "population",
                    "created"
                );
                for (e, population) in shown.iter().zip(&populations) {
                    println!(
                        "{:<name_width$} {:<type_width$} {:<9} {:<16} {:>5} {:>7} {:>7} {:<10} {:<10} {}",
                        safe(&e.name),
                        safe(&e.kind),
                        e.status,
                        exp_views::hit_text(e),
                        e.mae.map_or("-".to_string(), |m| format!("{m:.2}")),
                        e.roi
                            .map_or("-".to_string(), |r| format!("{:+.1}%", r * 100.0)),
                        e.samples.map_or("-".to_string(), |n| n.to_string()),
                        crate::format::population_cell(*population),
                        e.created_at.format("%Y-%m-%d"),
                        safe(&e.short_commit())
                    );
                }
                for line in exp_views::problem_lines(&shown) {
                    println!("{line}");
                }
            }
            Ok(0)
        }
        ExpCommand::Show { id, json } => {
            let rows = source.experiments().await?;
            let row = service::find_experiment(&rows, id)?;
            let all = entries(&rows, thresholds);
            let entry = Entry::from_row(row, thresholds.min_bets());
            if *json {
                let lineage: Vec<String> = leaderboard::lineage(&all, &row.experiment_id)
                    .iter()
                    .map(|e| e.name.clone())
                    .collect();
                let events = source.experiment_events(Some(&row.experiment_id)).await?;
                let value = exp_views::show_json(row, &entry, &lineage, &events);
                println!("{}", serde_json::to_string_pretty(&value)?);
                return Ok(0);
            }
            println!(
                "{} ({})",
                safe(&row.experiment_name),
                safe(&row.experiment_id)
            );
            println!("status      {}", row.status);
            println!("type        {}", safe(&row.experiment_type));
            println!(
                "hypothesis  {}",
                safe(row.hypothesis.as_deref().unwrap_or("-"))
            );
            let tags: Vec<_> = row.tags.iter().map(|tag| safe(tag)).collect();
            println!("tags        {}", tags.join(", "));
            println!(
                "hit rate    {}",
                entry
                    .hit_rate
                    .map_or("no results".to_string(), |r| r.to_string())
            );
            if let Some(edges) = crate::format::experiments::edge_text(&entry) {
                println!("by edge     {edges}");
            }
            for problem in &entry.problems {
                println!("problem     {}", safe(problem));
            }
            println!(
                "git commit  {}",
                safe(row.git_commit.as_deref().unwrap_or("-"))
            );
            let lineage: Vec<String> = leaderboard::lineage(&all, &row.experiment_id)
                .iter()
                .map(|e| safe(&e.name).into_owned())
                .collect();
            println!(
                "lineage     {}",
                if lineage.is_empty() {
                    "none".to_string()
                } else {
                    lineage.join(" <- ")
                }
            );
            // JSON escapes control characters, but not DEL, C1 or bidi overrides.
            let config = serde_json::to_string_pretty(&row.config_json)?;
            println!("config      {}", terminal_safe_lines(&config));
            if let Some(results) = &row.results_json {
                let results = serde_json::to_string_pretty(results)?;
                println!("results     {}", terminal_safe_lines(&results));
            }
            for event in source.experiment_events(Some(&row.experiment_id)).await? {
                println!("history     {}", event_text(&event));
            }
            Ok(0)
        }
        ExpCommand::Best {
            metric,
            min_samples,
            json,
        } => {
            let rows = source.experiments().await?;
            let all = entries(&rows, thresholds);
            let minimum = min_samples.unwrap_or(thresholds.min_bets());
            match leaderboard::best(&all, metric.key(), minimum) {
                Some(best) if *json => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&exp_views::entry_json(best))?
                    );
                    Ok(0)
                }
                Some(best) => {
                    println!(
                        "{} ({}) hit rate {} MAE {} ROI {} samples {}",
                        safe(&best.name),
                        safe(&best.id),
                        exp_views::hit_text(best),
                        best.mae.map_or("-".to_string(), |m| format!("{m:.2}")),
                        best.roi
                            .map_or("-".to_string(), |r| format!("{:+.1}%", r * 100.0)),
                        best.samples.map_or("-".to_string(), |n| n.to_string())
                    );
                    if let Some(edges) = crate::format::experiments::edge_text(best) {
                        println!("{edges}");
                    }
                    Ok(0)
                }
                None => bail!(
                    "no completed or promoted experiment has that metric with at least {minimum} samples"
                ),
            }
        }
        ExpCommand::Register { .. }
        | ExpCommand::Start { .. }
        | ExpCommand::Complete { .. }
        | ExpCommand::Fail { .. }
        | ExpCommand::Archive { .. }
        | ExpCommand::Promote { .. }
        | ExpCommand::Rollback { .. }
        | ExpCommand::Approve { .. } => super::exp_lifecycle::run(context, &args.command).await,
        ExpCommand::Import(import) => super::exp_import::run(context, import).await,
        ExpCommand::Compare { ids, json } => {
            let rows = source.experiments().await?;
            let chosen: Vec<&ExperimentRow> = ids
                .iter()
                .map(|id| service::find_experiment(&rows, id))
                .collect::<Result<_>>()?;
            let fingerprints = source
                .backtest_fingerprints(&thresholds.line_sources)
                .await?;
            let chosen_entries = entries(
                &chosen.iter().map(|row| (*row).clone()).collect::<Vec<_>>(),
                thresholds,
            );
            let warning =
                crate::registry::population::compare_warning(&chosen_entries, &fingerprints);
            if *json {
                let mut value = exp_views::compare_json(&chosen, thresholds);
                value["not_comparable"] = serde_json::json!(warning);
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                // Said first: differences of different populations mislead.
                if let Some(warning) = &warning {
                    println!("⚠ {}\n", terminal_safe_lines(warning));
                }
                let text = exp_views::compare_text(&chosen, thresholds);
                print!("{}", terminal_safe_lines(&text));
            }
            Ok(0)
        }
        ExpCommand::History { id, json } => {
            let rows = source.experiments().await?;
            let selected = match id {
                Some(selector) => Some(
                    service::find_experiment(&rows, selector)?
                        .experiment_id
                        .clone(),
                ),
                None => None,
            };
            let events = source.experiment_events(selected.as_deref()).await?;
            for event in &events {
                let name = rows
                    .iter()
                    .find(|r| r.experiment_id == event.experiment_id)
                    .map_or(event.experiment_id.as_str(), |r| r.experiment_name.as_str());
                if *json {
                    println!("{}", exp_views::event_json(event, Some(name)));
                    continue;
                }
                println!(
                    "{} {:<28} {:>9} -> {:<9} by {}{}",
                    event.at.format("%Y-%m-%d %H:%M:%S"),
                    safe(name),
                    safe(event.from_status.as_deref().unwrap_or("-")),
                    safe(&event.to_status),
                    safe(event.actor.as_deref().unwrap_or("?")),
                    note_text(event.note.as_deref())
                );
            }
            let gaps = crate::registry::audit_gaps::audit_gaps(&rows, &events);
            for gap in &gaps {
                eprintln!(
                    "⚠ status without its audit event: {}",
                    terminal_safe_lines(&gap.describe())
                );
            }
            Ok(0)
        }
    }
}

/// An audit event as `exp show` lists it: when, from and to, by whom, the note.
fn event_text(event: &crate::model::rows::ExperimentEvent) -> String {
    format!(
        "{} {} -> {} by {}{}",
        event.at.format("%Y-%m-%d %H:%M:%S"),
        safe(event.from_status.as_deref().unwrap_or("-")),
        safe(&event.to_status),
        safe(event.actor.as_deref().unwrap_or("?")),
        note_text(event.note.as_deref())
    )
}

/// `: NOTE`, terminal-safe, or nothing without a note.
/// A note on the event's one line: its lines joined by ` ⏎ `.
fn note_text(note: Option<&str>) -> String {
    note.map(|n| {
        let lines: Vec<&str> = n.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        format!(": {}", safe(&lines.join(" ⏎ ")))
    })
    .unwrap_or_default()
}
