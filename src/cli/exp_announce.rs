//! How `courtside exp` says a registry change: printed (text or one JSON
//! object) and announced on the Slack webhook through the same delivery as
//! `watch`, unless `--no-notify` or `promotion.notify: false`. Shared by the
//! changes made at once and the ones approved.

use crate::alerting::message::{RegistryChange, registry_change};
use crate::format::{terminal_safe as safe, terminal_safe_lines};
use crate::model::AlertLevel;
use crate::model::rows::ExperimentRow;
use crate::registry::lifecycle;
use crate::registry::promotion;
use crate::service;
use crate::service::Context;
use crate::service::comparisons::Judging;
use crate::service::promote::Promoted;
use anyhow::Result;
use courtside_core::config::routes::Topic;

use super::exp_args::AnnounceArgs;

/// The thresholds and margin promotions are judged by.
pub fn judging(context: &Context) -> Judging<'_> {
    Judging {
        thresholds: &context.config.thresholds,
        margin_pp: context.config.promotion.non_inferiority_pp.get(),
    }
}

/// Prints a promotion (or rollback, or approval) and announces it.
pub async fn report(
    context: &Context,
    what: &str,
    promoted: Promoted,
    announce: AnnounceArgs,
) -> Result<i32> {
    for reason in &promoted.replanned {
        eprintln!("courtside: planned again: {}", terminal_safe_lines(reason));
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
        println!("{}: {} -> promoted", safe(&plan.experiment_name), plan.from);
        for name in &archived {
            println!(
                "archived {}, previously promoted for {}",
                safe(name),
                safe(&plan.target_system)
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
        actor: lifecycle::name_of(&promoted.actor),
        forced: promoted.forced,
        archived: &archived,
        guard_rails: &plan.warnings,
        figures: &figures,
    });
    announce_payload(context, announce, &plan.target_system, &payload).await;
    Ok(0)
}

/// Prints the archiving of `experiment` (as it was before, by `actor` as
/// recorded, with the ids it `archived`) and announces it as `what`
/// (`archived`, `approved and archived`).
pub async fn report_archive(
    context: &Context,
    what: &str,
    experiment: &ExperimentRow,
    actor: &str,
    archived: &[String],
    announce: AnnounceArgs,
) {
    if announce.json {
        println!(
            "{}",
            serde_json::json!({"change": what, "experiment_id": experiment.experiment_id,
                "experiment_name": experiment.experiment_name, "from_status": experiment.status,
                "to_status": "archived", "archived": archived, "actor": actor})
        );
    } else {
        println!(
            "{}: {} -> archived",
            safe(&experiment.experiment_name),
            experiment.status
        );
    }
    let target = promotion::target_system(experiment, &context.config.production_system);
    let payload = registry_change(&RegistryChange {
        what,
        experiment: &experiment.experiment_name,
        target: &target,
        actor: lifecycle::name_of(actor),
        forced: false,
        archived: &[],
        guard_rails: &[],
        figures: &[],
    });
    announce_payload(context, announce, &target, &payload).await;
}

/// Posts `payload`, a registry change of `system`, on the route that takes
/// registry posts (`slack.routes`, else the default webhook) through the
/// same delivery as `watch` (backoff, redaction); a failure is said on
/// stderr and changes nothing.
pub async fn announce_payload(
    context: &Context,
    announce: AnnounceArgs,
    system: &str,
    payload: &serde_json::Value,
) {
    if announce.no_notify || !context.config.promotion.notify {
        return;
    }
    let routes = match super::routes::Routes::from_config(&context.config, false) {
        Ok(routes) => routes,
        Err(error) => {
            let text = format!("{error:#}");
            eprintln!("courtside: not announced: {}", terminal_safe_lines(&text));
            return;
        }
    };
    let Some(route) = routes
        .route(Topic::Registry, AlertLevel::Info, system)
        .and_then(|index| routes.get(index))
    else {
        if !routes.is_empty() {
            eprintln!(
                "courtside: not announced: no route takes registry posts for {}",
                terminal_safe_lines(system)
            );
        }
        return;
    };
    let Some(notifier) = &route.notifier else {
        return;
    };
    match notifier.post(payload).await {
        Ok(_) => eprintln!(
            "announced to {} ({})",
            terminal_safe_lines(&route.label),
            notifier.redacted_url()
        ),
        Err(error) => eprintln!("courtside: not announced: {error}"),
    }
}
