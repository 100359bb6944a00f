//! `courtside exp` under `promotion.require_approval`: `promote`, `rollback`
//! and `archive` of a promoted experiment record a request (printed, and
//! announced) that changes nothing, and `approve` by another actor carries
//! it out (see `service::approval`).

use crate::alerting::message::{RegistryChange, registry_change};
use crate::format::terminal_safe as safe;
use crate::model::rows::ExperimentRow;
use crate::registry::lifecycle;
use crate::registry::request::Action;
use crate::service::Context;
use crate::service::approval::{self, Approved, Requested};
use anyhow::Result;

use super::exp_announce::{announce_payload, judging, report, report_archive};
use super::exp_args::AnnounceArgs;

/// `exp promote` recorded as a request.
pub async fn request_promotion(
    context: &Context,
    id: &str,
    note: Option<&str>,
    force: bool,
    announce: AnnounceArgs,
) -> Result<i32> {
    let requested = approval::request_promotion(
        context.source.as_ref(),
        id,
        note,
        force,
        &context.config.production_system,
        judging(context),
    )
    .await?;
    said(context, &requested, announce).await;
    Ok(0)
}

/// `exp rollback` recorded as a request.
pub async fn request_rollback(
    context: &Context,
    system: &str,
    note: Option<&str>,
    force: bool,
    announce: AnnounceArgs,
) -> Result<i32> {
    let requested = approval::request_rollback(
        context.source.as_ref(),
        system,
        note,
        force,
        &context.config.production_system,
        judging(context),
    )
    .await?;
    said(context, &requested, announce).await;
    Ok(0)
}

/// `exp archive` of a promoted experiment recorded as a request.
pub async fn request_archive(
    context: &Context,
    experiment: &ExperimentRow,
    note: Option<&str>,
    announce: AnnounceArgs,
) -> Result<i32> {
    let requested = approval::request_archive(
        context.source.as_ref(),
        experiment,
        note,
        &context.config.production_system,
    )
    .await?;
    said(context, &requested, announce).await;
    Ok(0)
}

/// `exp approve ID`: the requested change carried out, printed and announced.
pub async fn approve(context: &Context, id: &str, announce: AnnounceArgs) -> Result<i32> {
    let approved = approval::approve(
        context.source.as_ref(),
        id,
        &context.config.production_system,
        judging(context),
    )
    .await?;
    match approved {
        Approved::Promotion(promoted) => {
            report(context, "approved and promoted", promoted, announce).await
        }
        Approved::Rollback(promoted) => {
            report(context, "approved and rolled back to", promoted, announce).await
        }
        Approved::Archive {
            experiment, actor, ..
        } => {
            report_archive(
                context,
                "approved and archived",
                &experiment,
                &actor,
                &[],
                announce,
            )
            .await;
            Ok(0)
        }
    }
}

/// Prints a recorded request and announces it.
async fn said(context: &Context, requested: &Requested, announce: AnnounceArgs) {
    let name = &requested.experiment_name;
    let shown = safe(name);
    let target = safe(&requested.target_system);
    let (change, what) = match requested.action {
        Action::Promote => ("promotion requested", "requested approval to promote"),
        Action::Rollback { .. } => ("rollback requested", "requested approval to roll back to"),
        Action::Archive => ("archive requested", "requested approval to archive"),
    };
    if announce.json {
        println!(
            "{}",
            serde_json::json!({"change": change, "experiment_id": requested.experiment_id,
                "experiment_name": name, "target_system": requested.target_system,
                "would_archive": requested.would_archive,
                "guard_rails_failed": requested.warnings, "actor": requested.actor,
                "awaiting_approval": true})
        );
    } else {
        let asked = match requested.action {
            Action::Promote => format!("{shown}: promotion for {target} requested"),
            Action::Rollback { .. } => format!(
                "rollback of {target} requested: {shown} promoted again, {} archived",
                safe(&requested.would_archive.join(", "))
            ),
            Action::Archive => format!("{shown}: archiving (promoted for {target}) requested"),
        };
        println!(
            "{asked}; it takes effect when another actor runs `courtside exp approve {shown}`"
        );
    }
    let payload = registry_change(&RegistryChange {
        what,
        experiment: name,
        target: &requested.target_system,
        actor: lifecycle::name_of(&requested.actor),
        forced: !requested.warnings.is_empty(),
        archived: &[],
        guard_rails: &requested.warnings,
        figures: &[],
    });
    announce_payload(context, announce, &requested.target_system, &payload).await;
}
