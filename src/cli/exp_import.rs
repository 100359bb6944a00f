//! `courtside exp import DIR [--dry-run] [--json]`: the experiment folders a
//! training script leaves, registered with their real status, parent links,
//! git commits and backtest rows, all in one transaction; a second run of the
//! same folders changes nothing. Names are printed terminal-safe.

use crate::format::{terminal_safe as safe, terminal_safe_lines};
use crate::registry::lifecycle;
use crate::service::Context;
use crate::transfer::experiment_dirs::{self, Plan};
use anyhow::{Result, bail};
use chrono::Utc;
use clap::Args;
use std::path::PathBuf;

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
}

pub async fn run(context: &Context, args: &ImportArgs) -> Result<i32> {
    let source = context.source.as_ref();
    let problems = |list: Vec<String>| -> anyhow::Error {
        anyhow::anyhow!(
            "{} problem(s); nothing was written:\n  {}",
            list.len(),
            list.join("\n  ")
        )
    };
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
    let plans = experiment_dirs::plan(
        folders,
        &existing,
        &context.config.production_system,
        &lifecycle::actor()?,
        Utc::now(),
    )
    .map_err(problems)?;
    let new: Vec<_> = plans
        .iter()
        .filter_map(|plan| match plan {
            Plan::New(new) => Some((**new).clone()),
            Plan::Unchanged { .. } => None,
        })
        .collect();
    if args.json {
        let describe = |plan: &Plan| match plan {
            Plan::New(new) => serde_json::json!({
                "experiment_id": new.row.experiment_id,
                "experiment_name": new.row.experiment_name,
                "status": new.row.status, "parent_experiment_id": new.row.parent_experiment_id,
                "git_commit": new.row.git_commit, "backtest_rows": new.backtest.len(),
            }),
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
                "dry_run": args.dry_run,
                "new": fresh.into_iter().map(describe).collect::<Vec<_>>(),
                "unchanged": same.into_iter().map(describe).collect::<Vec<_>>(),
                "warnings": warnings,
            })
        );
    } else {
        for warning in &warnings {
            eprintln!("warning: {}", terminal_safe_lines(warning));
        }
        let verb = if args.dry_run {
            "would register"
        } else {
            "registering"
        };
        // Parents by name: registered ones and those of this import.
        let names: Vec<(String, String)> = existing
            .iter()
            .map(|row| (row.experiment_id.clone(), row.experiment_name.clone()))
            .chain(
                new.iter()
                    .map(|n| (n.row.experiment_id.clone(), n.row.experiment_name.clone())),
            )
            .collect();
        for plan in &plans {
            match plan {
                Plan::New(new) => {
                    let parent = new
                        .row
                        .parent_experiment_id
                        .as_ref()
                        .and_then(|id| names.iter().find(|(i, _)| i == id))
                        .map(|(_, name)| format!(", parent {}", safe(name)))
                        .unwrap_or_default();
                    println!(
                        "{verb} {} ({}, {} backtest rows, commit {}{parent})",
                        safe(&new.row.experiment_name),
                        new.row.status,
                        new.backtest.len(),
                        safe(new.row.git_commit.as_deref().unwrap_or("unknown")),
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
            "{} new, {} unchanged{}",
            new.len(),
            plans.len() - new.len(),
            if args.dry_run {
                "; nothing written (--dry-run)"
            } else {
                ""
            }
        );
    }
    if args.dry_run || new.is_empty() {
        return Ok(0);
    }
    if let Err(error) = source.register_experiments(&new).await {
        bail!("{error:#}");
    }
    Ok(0)
}
