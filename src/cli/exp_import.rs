//! `courtside exp import DIR [--dry-run] [--json]`: the experiment folders a
//! training script leaves, registered with their real status, parent links,
//! git commits and backtest rows, all in one transaction; a second run of the
//! same folders changes nothing. Every folder is checked first (its backtest
//! rows streamed through the readers of `courtside import`, none kept), then
//! written, the rows read again in batches: memory stays flat whatever the
//! size of the backtest files. Names are printed terminal-safe.

use crate::format::{terminal_safe as safe, terminal_safe_lines};
use crate::registry::lifecycle;
use crate::service::Context;
use crate::transfer::ReadOptions;
use crate::transfer::backtest_feed::FolderBacktests;
use crate::transfer::backtest_rows::RowRules;
use crate::transfer::experiment_dirs::{self, Plan};
use anyhow::{Result, anyhow, bail};
use chrono::Utc;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The directory of experiment folders.
    pub dir: PathBuf,
    /// Print what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// One JSON object: `{dry_run, new: [...], unchanged: [...], warnings: [...]}`.
    #[arg(long)]
    pub json: bool,
    /// Skip columns of the backtest files that backtest_predictions does not
    /// have instead of refusing the folder.
    #[arg(long)]
    pub ignore_extra_columns: bool,
}

/// All problems found, as the command's one error.
fn problems(list: Vec<String>) -> anyhow::Error {
    anyhow!(
        "{} problem(s); nothing was written:\n  {}",
        list.len(),
        list.join("\n  ")
    )
}

pub async fn run(context: &Context, args: &ImportArgs) -> Result<i32> {
    let source = context.source.as_ref();
    if let Ok(entries) = crate::transfer::folder_entries::folders_of(&args.dir)
        && let Some(note) = entries.hidden_note(&args.dir)
    {
        eprintln!("courtside: {}", terminal_safe_lines(&note));
    }
    let folders = experiment_dirs::read_dir(&args.dir).map_err(problems)?;
    // Said, never refused: a type outside the documented six, ...
    let warnings: Vec<String> = folders
        .iter()
        .flat_map(|folder| {
            let file = folder.path.join("config.yaml").display().to_string();
            folder.config.warnings.iter().map(move |w| w.located(&file))
        })
        .collect();
    let existing = source.experiments().await?;
    let mut plans = experiment_dirs::plan(
        folders,
        &existing,
        &context.config.production_system,
        &lifecycle::actor()?,
        Utc::now(),
    )
    .map_err(problems)?;
    // The first pass: every backtest row read and checked, only counted.
    let rules = RowRules {
        line_sources: context.config.thresholds.line_sources.clone(),
        options: ReadOptions {
            ignore_extra_columns: args.ignore_extra_columns,
        },
    };
    let files = plans
        .iter()
        .filter_map(|plan| match plan {
            Plan::New(new) => Some(new.backtest.clone()),
            Plan::Unchanged { .. } => None,
        })
        .collect();
    let mut backtests = FolderBacktests::new(files, rules);
    let backtests = tokio::task::spawn_blocking(move || backtests.check().map(|()| backtests))
        .await
        .map_err(|error| anyhow!("checking the backtest rows failed: {error}"))?
        .map_err(problems)?;
    for plan in &mut plans {
        if let Plan::New(new) = plan {
            new.experiment.backtest_rows = backtests.rows_of(&new.experiment.row.experiment_id);
        }
    }
    let new: Vec<_> = plans
        .iter()
        .filter_map(|plan| match plan {
            Plan::New(new) => Some(new.experiment.clone()),
            Plan::Unchanged { .. } => None,
        })
        .collect();
    if args.json {
        print_json(args.dry_run, &plans, &warnings);
    } else {
        print_text(args.dry_run, &plans, &existing, &warnings);
    }
    if args.dry_run || new.is_empty() {
        return Ok(0);
    }
    if let Err(error) = source.register_experiments(&new, Arc::new(backtests)).await {
        bail!("{error:#}");
    }
    Ok(0)
}

/// `--json`: one object.
fn print_json(dry_run: bool, plans: &[Plan], warnings: &[String]) {
    let describe = |plan: &Plan| match plan {
        Plan::New(new) => {
            let row = &new.experiment.row;
            serde_json::json!({
                "experiment_id": row.experiment_id,
                "experiment_name": row.experiment_name,
                "status": row.status, "parent_experiment_id": row.parent_experiment_id,
                "git_commit": row.git_commit, "backtest_rows": new.experiment.backtest_rows,
            })
        }
        Plan::Unchanged {
            name,
            experiment_id,
        } => serde_json::json!({
            "experiment_id": experiment_id, "experiment_name": name,
        }),
    };
    let (fresh, same): (Vec<&Plan>, Vec<&Plan>) =
        plans.iter().partition(|plan| matches!(plan, Plan::New(_)));
    println!(
        "{}",
        serde_json::json!({
            "dry_run": dry_run,
            "new": fresh.into_iter().map(describe).collect::<Vec<_>>(),
            "unchanged": same.into_iter().map(describe).collect::<Vec<_>>(),
            "warnings": warnings,
        })
    );
}

/// A line per folder and a summary; the warnings on stderr.
fn print_text(
    dry_run: bool,
    plans: &[Plan],
    existing: &[crate::model::rows::ExperimentRow],
    warnings: &[String],
) {
    for warning in warnings {
        eprintln!("warning: {}", terminal_safe_lines(warning));
    }
    let verb = if dry_run {
        "would register"
    } else {
        "registering"
    };
    // Parents by name: registered ones and those of this import.
    let names: Vec<(&str, &str)> = existing
        .iter()
        .map(|row| (row.experiment_id.as_str(), row.experiment_name.as_str()))
        .chain(plans.iter().filter_map(|plan| match plan {
            Plan::New(new) => Some((
                new.experiment.row.experiment_id.as_str(),
                new.experiment.row.experiment_name.as_str(),
            )),
            Plan::Unchanged { .. } => None,
        }))
        .collect();
    let mut fresh = 0;
    for plan in plans {
        match plan {
            Plan::New(new) => {
                fresh += 1;
                let row = &new.experiment.row;
                let parent = row
                    .parent_experiment_id
                    .as_deref()
                    .and_then(|id| names.iter().find(|(i, _)| *i == id))
                    .map(|(_, name)| format!(", parent {}", safe(name)))
                    .unwrap_or_default();
                println!(
                    "{verb} {} ({}, {} backtest rows, commit {}{parent})",
                    safe(&row.experiment_name),
                    row.status,
                    new.experiment.backtest_rows,
                    safe(row.git_commit.as_deref().unwrap_or("unknown")),
                );
            }
            Plan::Unchanged { name, .. } => {
                println!(
                    "unchanged {} (registered already with the same config)",
                    safe(name)
                );
            }
        }
    }
    println!(
        "{fresh} new, {} unchanged{}",
        plans.len() - fresh,
        if dry_run {
            "; nothing written (--dry-run)"
        } else {
            ""
        }
    );
}
