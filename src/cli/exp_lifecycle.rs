//! `courtside exp` verbs that change the registry: register, start,
//! complete, fail, archive, promote and rollback (under
//! `promotion.require_approval`, promote, rollback and the archiving of a
//! promoted experiment are requests: see `exp_approval`), and approve. Each
//! goes through the lifecycle state machine or the promotion plan with its
//! precondition, leaves events in the audit trail, and the promotion verbs
//! announce themselves on the Slack webhook unless `--no-notify` or
//! `promotion.notify: false`.

use crate::format::terminal_safe as safe;
use crate::model::rows::ExperimentEvent;
use crate::registry::experiment_config;
use crate::registry::lifecycle::{self, Status};
use crate::service;
use crate::service::Context;
use anyhow::{Context as _, Result, anyhow};
use chrono::Utc;

use super::exp_announce::{judging, report, report_archive};
use super::exp_args::ExpCommand;

fn git(args: &[&str]) -> Option<String> {
    std::process::Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A lifecycle change of the experiment `selector` names, as the registry
/// plans it; prints the change.
async fn transition(
    context: &Context,
    selector: &str,
    to: Status,
    note: Option<String>,
    results: Option<serde_json::Value>,
    model_path: Option<String>,
    print: bool,
) -> Result<Vec<String>> {
    let (name, from, archived) = service::registry_changes::apply_change(
        context.source.as_ref(),
        selector,
        to,
        note,
        results,
        model_path,
        &context.config.production_system,
    )
    .await?;
    if print {
        println!("{}: {from} -> {to}", safe(&name));
    }
    Ok(archived)
}

pub async fn run(context: &Context, command: &ExpCommand) -> Result<i32> {
    let source = context.source.as_ref();
    let production = &context.config.production_system;
    let approval = context.config.promotion.require_approval;
    match command {
        ExpCommand::Register { file, parent } => {
            let config = experiment_config::load(file).map_err(|errors| anyhow!("{errors}"))?;
            let rows = source.experiments().await?;
            let parent_id = match parent.as_deref().or(config.parent_experiment_id.as_deref()) {
                Some(selector) => Some(
                    service::find_experiment(&rows, selector)?
                        .experiment_id
                        .clone(),
                ),
                None => None,
            };
            let commit = git(&["rev-parse", "HEAD"]).map(|head| {
                let dirty = git(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
                if dirty { format!("{head}-dirty") } else { head }
            });
            let actor = lifecycle::actor()?;
            let now = Utc::now();
            let row = config.row(experiment_config::Registration {
                experiment_id: uuid::Uuid::new_v4().to_string(),
                at: now,
                actor: actor.clone(),
                git_commit: commit.clone(),
                parent_experiment_id: parent_id,
                production_system: context.config.production_system.clone(),
            });
            let event = ExperimentEvent {
                experiment_id: row.experiment_id.clone(),
                at: now,
                actor: Some(actor),
                from_status: None,
                to_status: "pending".to_string(),
                note: Some(format!("registered from {}", file.display())),
            };
            source.register_experiment(&row, &event).await?;
            println!(
                "registered {} as {} (pending; {} config; commit {})",
                safe(&row.experiment_name),
                row.experiment_id,
                config.format,
                safe(commit.as_deref().unwrap_or("unknown: not a git checkout"))
            );
            super::exp_views::print_warnings(&file.display().to_string(), &config.warnings);
            Ok(0)
        }
        ExpCommand::Start { id, note } => {
            transition(context, id, Status::Running, note.clone(), None, None, true).await?;
            Ok(0)
        }
        ExpCommand::Complete {
            id,
            results,
            model_path,
        } => {
            let text = std::fs::read_to_string(results)
                .with_context(|| format!("{}: cannot read", results.display()))?;
            let json = crate::registry::results::check(&results.display().to_string(), &text)?;
            transition(
                context,
                id,
                Status::Completed,
                None,
                Some(json),
                model_path.clone(),
                true,
            )
            .await?;
            Ok(0)
        }
        ExpCommand::Fail { id, error } => {
            transition(
                context,
                id,
                Status::Failed,
                Some(error.clone()),
                None,
                None,
                true,
            )
            .await?;
            Ok(0)
        }
        ExpCommand::Archive { id, note, announce } => {
            let experiments = source.experiments().await?;
            let row = service::find_experiment(&experiments, id)?.clone();
            if approval && row.status == Status::Promoted {
                return super::exp_approval::request_archive(
                    context,
                    &row,
                    note.as_deref(),
                    *announce,
                )
                .await;
            }
            let actor = lifecycle::actor()?;
            let archived = transition(
                context,
                id,
                Status::Archived,
                note.clone(),
                None,
                None,
                false,
            )
            .await?;
            report_archive(context, "archived", &row, &actor, &archived, *announce).await;
            Ok(0)
        }
        ExpCommand::Promote {
            id,
            note,
            force,
            announce,
        } if approval => {
            super::exp_approval::request_promotion(context, id, note.as_deref(), *force, *announce)
                .await
        }
        ExpCommand::Promote {
            id,
            note,
            force,
            announce,
        } => {
            let promoted = service::promote::promote(
                source,
                id,
                note.as_deref(),
                *force,
                production,
                judging(context),
            )
            .await?;
            report(context, "promoted", promoted, *announce).await
        }
        ExpCommand::Approve { id, announce } => {
            super::exp_approval::approve(context, id, *announce).await
        }
        ExpCommand::Rollback {
            system,
            note,
            force,
            announce,
        } if approval => {
            super::exp_approval::request_rollback(
                context,
                system,
                note.as_deref(),
                *force,
                *announce,
            )
            .await
        }
        ExpCommand::Rollback {
            system,
            note,
            force,
            announce,
        } => {
            let promoted = service::promote::rollback(
                source,
                system,
                note.as_deref(),
                *force,
                production,
                judging(context),
            )
            .await?;
            report(context, "rolled back to", promoted, *announce).await
        }
        other => Err(anyhow!("not a registry change: {other:?}")),
    }
}
