//! `courtside exp` verbs that change the registry: register, start,
//! complete, fail, archive, promote (or request it, under
//! `promotion.require_approval`), approve and rollback. Each goes through the
//! lifecycle state machine or the promotion plan with its precondition,
//! leaves events in the audit trail, and the promotion verbs announce
//! themselves on the Slack webhook unless `--no-notify` or
//! `promotion.notify: false`.

use crate::alerting::message::{RegistryChange, registry_change};
use crate::alerting::notifier::Notifier;
use crate::model::rows::ExperimentEvent;
use crate::registry::experiment_config;
use crate::registry::lifecycle::{self, Status};
use crate::registry::promotion::{self, PromotionPlan};
use crate::service;
use crate::service::Context;
use crate::service::comparisons::Judging;
use crate::service::promote::Promoted;
use anyhow::{Context as _, Result, anyhow};
use chrono::Utc;
use std::time::Duration;

use super::exp_args::{AnnounceArgs, ExpCommand};

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
    let experiments = context.source.experiments().await?;
    let row = service::find_experiment(&experiments, selector)?;
    let mut change = promotion::change(
        row,
        to,
        lifecycle::actor(),
        Utc::now(),
        note,
        &context.config.production_system,
    );
    change.results_json = results;
    change.model_path = model_path;
    change.check()?;
    let archived = context
        .source
        .apply_transition(&change, &context.config.production_system)
        .await?;
    if print {
        println!("{}: {} -> {to}", row.experiment_name, change.from);
    }
    Ok(archived)
}

fn judging(context: &Context) -> Judging<'_> {
    Judging {
        thresholds: &context.config.thresholds,
        margin_pp: context.config.promotion.non_inferiority_pp.get(),
    }
}

/// Prints a promotion (or rollback, or approval) and announces it.
async fn report(
    context: &Context,
    what: &str,
    promoted: Promoted,
    announce: AnnounceArgs,
) -> Result<i32> {
    for reason in &promoted.replanned {
        eprintln!("courtside: planned again: {reason}");
    }
    let rows = context.source.experiments().await?;
    let name_of = |id: &str| {
        rows.iter()
            .find(|r| r.experiment_id == id)
            .map_or(id.to_string(), |r| r.experiment_name.clone())
    };
    let archived: Vec<String> = promoted.archived.iter().map(|id| name_of(id)).collect();
    let plan = &promoted.plan;
    if announce.json {
        println!(
            "{}",
            serde_json::json!({
                "change": what, "experiment_id": plan.experiment_id,
                "experiment_name": plan.experiment_name, "from_status": plan.from,
                "to_status": "promoted", "target_system": plan.target_system,
                "archived": archived, "forced": promoted.forced,
                "guard_rails_failed": plan.warnings, "actor": promoted.actor,
            })
        );
    } else {
        println!("{}: {} -> promoted", plan.experiment_name, plan.from);
        for name in &archived {
            println!(
                "archived {name}, previously promoted for {}",
                plan.target_system
            );
        }
    }
    let figures =
        service::promote::announcement_figures(context.source.as_ref(), plan, judging(context))
            .await;
    let payload = registry_change(&RegistryChange {
        what,
        experiment: &plan.experiment_name,
        target: &plan.target_system,
        actor: &promoted.actor,
        forced: promoted.forced,
        archived: &archived,
        guard_rails: &plan.warnings,
        figures: &figures,
    });
    announce_payload(context, announce, &payload).await;
    Ok(0)
}

/// Posts `payload` on the webhook through the same delivery as `watch`
/// (backoff, redaction); a failure is said on stderr and changes nothing.
async fn announce_payload(context: &Context, announce: AnnounceArgs, payload: &serde_json::Value) {
    if announce.no_notify || !context.config.promotion.notify {
        return;
    }
    let url = match super::watch::webhook(context) {
        Ok(Some(url)) => url,
        Ok(None) => return,
        Err(error) => {
            eprintln!("courtside: not announced: {error:#}");
            return;
        }
    };
    let slack = &context.config.slack;
    let notifier = match Notifier::new(
        url,
        Duration::from_secs(slack.timeout_secs.0),
        slack.max_retries,
        Duration::from_millis(500),
    ) {
        Ok(notifier) => notifier,
        Err(error) => {
            eprintln!("courtside: not announced: {error:#}");
            return;
        }
    };
    match notifier.post(payload).await {
        Ok(_) => eprintln!("announced to {}", notifier.redacted_url()),
        Err(error) => eprintln!("courtside: not announced: {error}"),
    }
}

pub async fn run(context: &Context, command: &ExpCommand) -> Result<i32> {
    let source = context.source.as_ref();
    let production = &context.config.production_system;
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
            let actor = lifecycle::actor();
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
                row.experiment_name,
                row.experiment_id,
                config.format,
                commit.as_deref().unwrap_or("unknown: not a git checkout")
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
            let archived = transition(
                context,
                id,
                Status::Archived,
                note.clone(),
                None,
                None,
                !announce.json,
            )
            .await?;
            if announce.json {
                println!(
                    "{}",
                    serde_json::json!({"change": "archived", "experiment_id": row.experiment_id,
                        "experiment_name": row.experiment_name, "from_status": row.status,
                        "to_status": "archived", "archived": archived,
                        "actor": lifecycle::actor()})
                );
            }
            let target = promotion::target_system(&row, production);
            let payload = registry_change(&RegistryChange {
                what: "archived",
                experiment: &row.experiment_name,
                target: &target,
                actor: &lifecycle::actor(),
                forced: false,
                archived: &[],
                guard_rails: &[],
                figures: &[],
            });
            announce_payload(context, *announce, &payload).await;
            Ok(0)
        }
        ExpCommand::Promote {
            id,
            note,
            force,
            announce,
        } if context.config.promotion.require_approval => {
            let plan = service::promote::request(
                source,
                id,
                note.as_deref(),
                *force,
                production,
                judging(context),
            )
            .await?;
            print_request(&plan, announce.json);
            let payload = registry_change(&RegistryChange {
                what: "requested approval to promote",
                experiment: &plan.experiment_name,
                target: &plan.target_system,
                actor: &lifecycle::actor(),
                forced: !plan.warnings.is_empty(),
                archived: &[],
                guard_rails: &plan.warnings,
                figures: &[],
            });
            announce_payload(context, *announce, &payload).await;
            Ok(0)
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
            let promoted =
                service::promote::approve(source, id, production, judging(context)).await?;
            report(context, "approved and promoted", promoted, *announce).await
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

fn print_request(plan: &PromotionPlan, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"change": "promotion requested", "experiment_id": plan.experiment_id,
                "experiment_name": plan.experiment_name, "target_system": plan.target_system,
                "would_archive": plan.archive_names(), "guard_rails_failed": plan.warnings,
                "awaiting_approval": true})
        );
    } else {
        println!(
            "{}: promotion for {} requested; it takes effect when another actor runs `courtside exp approve {}`",
            plan.experiment_name, plan.target_system, plan.experiment_name
        );
    }
}
