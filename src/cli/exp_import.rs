//! `courtside exp import DIR [--dry-run] [--json]`: the experiment folders a
//! training script leaves, registered with their real status, parent links,
//! git commits and backtest rows: in one transaction on the embedded store,
//! experiment by experiment on BigQuery (each whole or absent); each is said
//! only once written. A second run of the same folders changes nothing but
//! what an earlier import left out (`exp_import_repair`). Every folder is
//! checked first (its backtest
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
    // The registered ones' files too: a rerun completes what an earlier
    // import left out.
    let files = plans
        .iter()
        .map(|plan| match plan {
            Plan::New(new) => new.backtest.clone(),
            Plan::Unchanged { backtest, .. } => backtest.clone(),
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
    for warning in &warnings {
        eprintln!("warning: {}", terminal_safe_lines(warning));
    }
    let unfinished = super::exp_import_repair::find(source, &plans, &backtests).await?;
    let backtests = Arc::new(backtests);
    let names = Names::of(&existing, &plans);
    if args.dry_run || new.is_empty() {
        let completed = if args.dry_run {
            unfinished.iter().map(|u| u.line(true)).collect()
        } else {
            super::exp_import_repair::complete(source, &unfinished, &backtests).await?
        };
        if args.json {
            print_json(args.dry_run, &plans, &plans, &warnings);
            completed.iter().for_each(|line| eprintln!("{line}"));
        } else {
            for plan in &plans {
                println!("{}", names.line(plan, args.dry_run));
            }
            completed.iter().for_each(|line| println!("{line}"));
            summary(&plans, args.dry_run);
        }
        return Ok(0);
    }
    // Said only once written: each experiment as it is registered.
    if !args.json {
        for plan in plans.iter().filter(|plan| !matches!(plan, Plan::New(_))) {
            println!("{}", names.line(plan, false));
        }
    }
    for line in super::exp_import_repair::complete(source, &unfinished, &backtests).await? {
        println!("{line}");
    }
    let registered = std::sync::Mutex::new(Vec::<String>::new());
    let on_written = |written: &crate::model::rows::NewExperiment| {
        let id = written.row.experiment_id.clone();
        if !args.json
            && let Some(plan) = plans.iter().find(|plan| plan_id(plan) == id)
        {
            println!("{}", names.line(plan, false));
        }
        if let Ok(mut list) = registered.lock() {
            list.push(id);
        }
    };
    let outcome = source
        .register_experiments(&new, backtests, &on_written)
        .await;
    let registered = registered.into_inner().unwrap_or_default();
    let done: Vec<Plan> = plans
        .iter()
        .filter(|plan| !matches!(plan, Plan::New(_)) || registered.contains(&plan_id(plan)))
        .cloned()
        .collect();
    if args.json {
        print_json(false, &plans, &done, &warnings);
    } else if outcome.is_ok() {
        summary(&plans, false);
    }
    if let Err(error) = outcome {
        let fresh = plans
            .iter()
            .filter(|plan| matches!(plan, Plan::New(_)))
            .count();
        bail!(
            "{error:#}\n{} of {fresh} new experiment(s) registered{}",
            registered.len(),
            if registered.is_empty() {
                "; nothing was written that a reader counts"
            } else {
                " (listed above); the others were not"
            }
        );
    }
    Ok(0)
}

fn plan_id(plan: &Plan) -> String {
    match plan {
        Plan::New(new) => new.experiment.row.experiment_id.clone(),
        Plan::Unchanged { experiment_id, .. } => experiment_id.clone(),
    }
}

/// The summary line.
fn summary(plans: &[Plan], dry_run: bool) {
    let fresh = plans
        .iter()
        .filter(|plan| matches!(plan, Plan::New(_)))
        .count();
    let same = plans
        .iter()
        .filter(|plan| matches!(plan, Plan::Unchanged { .. }))
        .count();
    println!(
        "{fresh} new, {same} unchanged{}",
        if dry_run {
            "; nothing written (--dry-run)"
        } else {
            ""
        }
    );
}

/// `--json`: one object. `new` lists the new experiments among `done`
/// (all of them on a dry run); `not_registered` the new ones that are not.
fn print_json(dry_run: bool, plans: &[Plan], done: &[Plan], warnings: &[String]) {
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
            ..
        } => serde_json::json!({
            "experiment_id": experiment_id, "experiment_name": name,
        }),
    };
    let done_ids: Vec<String> = done.iter().map(plan_id).collect();
    let fresh = |plan: &&Plan| matches!(plan, Plan::New(_));
    println!(
        "{}",
        serde_json::json!({
            "dry_run": dry_run,
            "new": done.iter().filter(fresh).map(describe).collect::<Vec<_>>(),
            "not_registered": plans.iter().filter(fresh)
                .filter(|plan| !done_ids.contains(&plan_id(plan)))
                .map(describe).collect::<Vec<_>>(),
            "unchanged": plans.iter().filter(|plan| !fresh(plan)).map(describe).collect::<Vec<_>>(),
            "warnings": warnings,
        })
    );
}

/// Experiment names by id (registered ones and this import's), for the
/// lines that name a parent.
struct Names(Vec<(String, String)>);

impl Names {
    fn of(existing: &[crate::model::rows::ExperimentRow], plans: &[Plan]) -> Names {
        Names(
            existing
                .iter()
                .map(|row| (row.experiment_id.clone(), row.experiment_name.clone()))
                .chain(plans.iter().filter_map(|plan| match plan {
                    Plan::New(new) => Some((
                        new.experiment.row.experiment_id.clone(),
                        new.experiment.row.experiment_name.clone(),
                    )),
                    Plan::Unchanged { .. } => None,
                }))
                .collect(),
        )
    }

    /// A folder's line: what would be or was registered, or unchanged.
    fn line(&self, plan: &Plan, dry_run: bool) -> String {
        match plan {
            Plan::New(new) => {
                let row = &new.experiment.row;
                let parent = row
                    .parent_experiment_id
                    .as_deref()
                    .and_then(|id| self.0.iter().find(|(i, _)| i == id))
                    .map(|(_, name)| format!(", parent {}", safe(name)))
                    .unwrap_or_default();
                format!(
                    "{} {} ({}, {} backtest rows, commit {}{parent})",
                    if dry_run {
                        "would register"
                    } else {
                        "registered"
                    },
                    safe(&row.experiment_name),
                    row.status,
                    new.experiment.backtest_rows,
                    safe(row.git_commit.as_deref().unwrap_or("unknown")),
                )
            }
            Plan::Unchanged { name, .. } => {
                format!(
                    "unchanged {} (registered already with the same config)",
                    safe(name)
                )
            }
        }
    }
}
