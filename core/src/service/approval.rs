//! Four eyes (`promotion.require_approval`): `exp promote`, `exp rollback`
//! and `exp archive` of a promoted experiment record a request (see
//! `registry::request`) instead of changing anything, and `exp approve` by
//! another actor (compared with `registry::actor::same_actor`) carries out
//! exactly the requested change: a promotion through the promotion plan, a
//! rollback through its recorded plan (stopping when the registry changed
//! under it), an archive through the lifecycle's precondition.

use super::comparisons::Judging;
use super::promote::{self, Promoted};
use crate::model::experiment::Status;
use crate::model::rows::ExperimentRow;
use crate::registry::lifecycle::{self, name_of, same_actor};
use crate::registry::promotion::{self, Archived};
use crate::registry::request::{self, Action, Request};
use crate::registry::rollback;
use crate::source::Source;
use anyhow::{Result, bail};
use chrono::Utc;

/// A request recorded: what it asks for, on which experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct Requested {
    pub action: Action,
    /// The experiment the request is recorded on (`exp approve` names it).
    pub experiment_id: String,
    pub experiment_name: String,
    pub target_system: String,
    /// Names of the experiments the change would archive.
    pub would_archive: Vec<String>,
    /// Guard rails that failed (the request was forced past them).
    pub warnings: Vec<String>,
    /// Who asked, as recorded.
    pub actor: String,
}

impl Requested {
    /// The request recorded for `plan`.
    fn of(request: Request, plan: promotion::PromotionPlan) -> Requested {
        Requested {
            action: request.action,
            would_archive: plan
                .archive_names()
                .into_iter()
                .map(str::to_string)
                .collect(),
            experiment_id: plan.experiment_id,
            experiment_name: plan.experiment_name,
            target_system: plan.target_system,
            warnings: plan.warnings,
            actor: request.actor,
        }
    }
}

/// What an approval carried out.
pub enum Approved {
    Promotion(Promoted),
    Rollback(Promoted),
    Archive {
        experiment: ExperimentRow,
        target_system: String,
        /// Who approved, as recorded.
        actor: String,
    },
}

/// `exp promote` under `promotion.require_approval`: the plan is checked
/// now (its guard rails refuse it unless `force`), and a request is
/// recorded in the audit trail for a different actor to approve.
pub async fn request_promotion(
    source: &dyn Source,
    id: &str,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Requested> {
    let rows = source.experiments().await?;
    let row = super::find_experiment(&rows, id)?;
    let mut plan = promotion::plan(&rows, row, production_system, judging.thresholds)?;
    plan.warnings
        .extend(promote::worse_than_promoted(source, &plan, judging).await?);
    let actor = lifecycle::actor()?;
    let change = plan.transition(actor.clone(), Utc::now(), note, force)?;
    let request = Request {
        action: Action::Promote,
        target_system: plan.target_system.clone(),
        actor,
        forced: !plan.warnings.is_empty(),
        at: change.at,
        note: change.note,
    };
    source
        .append_event(&request.event(&plan.experiment_id, plan.from))
        .await?;
    Ok(Requested::of(request, plan))
}

/// `exp rollback --system S` under `promotion.require_approval`: the
/// rollback is planned now (its guard rails refuse it unless `force`) and
/// requested on the experiment it would promote again, with the promoted
/// one it would archive: the approval carries out that plan or nothing.
pub async fn request_rollback(
    source: &dyn Source,
    target: &str,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Requested> {
    let rows = source.experiments().await?;
    let events = source.experiment_events(None).await?;
    let mut plan = rollback::rollback_plan(
        &rows,
        &events,
        target,
        production_system,
        judging.thresholds,
    )?;
    plan.warnings
        .extend(promote::worse_than_promoted(source, &plan, judging).await?);
    let actor = lifecycle::actor()?;
    let change = plan.transition(actor.clone(), Utc::now(), note, force)?;
    let Some(current) = plan.archives.first() else {
        bail!("the rollback of {target} archives nothing: nothing to request");
    };
    let request = Request {
        action: Action::Rollback {
            archives: current.experiment_id.clone(),
        },
        target_system: plan.target_system.clone(),
        actor,
        forced: !plan.warnings.is_empty(),
        at: change.at,
        note: change.note,
    };
    source
        .append_event(&request.event(&plan.experiment_id, Status::Archived))
        .await?;
    Ok(Requested::of(request, plan))
}

/// `exp archive` of a promoted experiment under
/// `promotion.require_approval`: requested, changing nothing (the target
/// would be left without a promoted experiment).
pub async fn request_archive(
    source: &dyn Source,
    experiment: &ExperimentRow,
    note: Option<&str>,
    production_system: &str,
) -> Result<Requested> {
    if experiment.status != Status::Promoted {
        bail!(
            "{} is {}: only archiving a promoted experiment needs approval",
            experiment.experiment_name,
            experiment.status
        );
    }
    let request = Request {
        action: Action::Archive,
        target_system: promotion::target_system(experiment, production_system),
        actor: lifecycle::actor()?,
        forced: false,
        at: Utc::now(),
        note: note.map(str::to_string),
    };
    source
        .append_event(&request.event(&experiment.experiment_id, Status::Promoted))
        .await?;
    Ok(Requested {
        action: request.action,
        experiment_id: experiment.experiment_id.clone(),
        experiment_name: experiment.experiment_name.clone(),
        target_system: request.target_system,
        would_archive: vec![experiment.experiment_name.clone()],
        warnings: Vec::new(),
        actor: request.actor,
    })
}

/// `exp approve ID`: an actor other than the requester carries out the
/// change requested on experiment `id` (forced if the request was), the
/// approval in its note ("approved by B; requested by A").
pub async fn approve(
    source: &dyn Source,
    id: &str,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Approved> {
    let rows = source.experiments().await?;
    let row = super::find_experiment(&rows, id)?;
    let events = source.experiment_events(Some(&row.experiment_id)).await?;
    let Some(request) = request::pending(&events, &row.experiment_id) else {
        bail!(
            "{} has nothing awaiting approval (no promotion, rollback or archive requested)",
            row.experiment_name
        );
    };
    let approver = lifecycle::actor()?;
    let requester = name_of(&request.actor);
    if requester.is_empty() {
        bail!(
            "the {} requested for {} names no requester, so no one can approve it as another actor: request it again",
            request.action.noun(),
            row.experiment_name
        );
    }
    if same_actor(&approver, &request.actor) {
        bail!(
            "{requester} requested this {}; another actor must approve it (COURTSIDE_ACTOR, git user.email or the login name; compared ignoring case and surrounding spaces)",
            request.action.noun()
        );
    }
    let note = format!(
        "approved by {}; requested by {requester}",
        name_of(&approver)
    );
    match &request.action {
        Action::Promote => Ok(Approved::Promotion(
            promote::promote(
                source,
                &row.experiment_id,
                Some(&note),
                request.forced,
                production_system,
                judging,
            )
            .await?,
        )),
        Action::Rollback { archives } => {
            let current = Archived {
                experiment_id: archives.clone(),
                experiment_name: rows
                    .iter()
                    .find(|other| other.experiment_id == *archives)
                    .map_or_else(|| archives.clone(), |other| other.experiment_name.clone()),
            };
            let plan =
                rollback::rollback_of(row, current, &request.target_system, judging.thresholds);
            Ok(Approved::Rollback(
                promote::apply_rollback(
                    source,
                    plan,
                    approver,
                    Some(&note),
                    request.forced,
                    production_system,
                    judging,
                )
                .await?,
            ))
        }
        Action::Archive => {
            let change = promotion::change(
                row,
                Status::Archived,
                approver.clone(),
                Utc::now(),
                Some(note),
                production_system,
            );
            change.check()?;
            source.apply_transition(&change, production_system).await?;
            Ok(Approved::Archive {
                experiment: row.clone(),
                target_system: request.target_system.clone(),
                actor: approver,
            })
        }
    }
}
