//! A promotion as the CLI runs it: plan from the registry as read, execute
//! the plan, and when the registry changed in between (someone else promoted
//! for the same target) plan again from what is there now, a few times. A
//! rollback is carried out as planned or not at all: it is never planned
//! again.

use super::comparisons::{self, Judging};
use crate::model::experiment::TransitionError;
use crate::model::rows::{ExperimentEvent, ExperimentRow};
use crate::model::versus::VersusVerdict;
use crate::registry::lifecycle;
use crate::registry::promotion::{self, PromotionPlan};
use crate::registry::rollback;
use crate::source::Source;
use anyhow::Result;
use chrono::Utc;

/// Plans made at most, when others keep promoting for the same target.
const ATTEMPTS: usize = 3;

/// What a promotion did: the plan it executed and the ids it archived.
#[derive(Debug)]
pub struct Promoted {
    pub plan: PromotionPlan,
    pub archived: Vec<String>,
    /// Who promoted, and whether past failed guard rails.
    pub actor: String,
    pub forced: bool,
    /// Why earlier plans were dropped (someone promoted for the target meanwhile).
    pub replanned: Vec<String>,
}

/// The guard rail of metrics.md section 14: the candidate is `B worse` than
/// an experiment it would archive, on their shared backtest rows. Empty when
/// it is not, or when either has no backtest rows to compare.
pub async fn worse_than_promoted(
    source: &dyn Source,
    plan: &PromotionPlan,
    judging: Judging<'_>,
) -> Result<Vec<String>> {
    if plan.archives.is_empty() {
        return Ok(Vec::new());
    }
    let with_backtest = source.backtest_experiments().await?;
    if !with_backtest.contains(&plan.experiment_id) {
        return Ok(Vec::new());
    }
    let experiments = source.experiments().await?;
    let mut warnings = Vec::new();
    for archived in &plan.archives {
        if !with_backtest.contains(&archived.experiment_id) {
            continue;
        }
        let (a, a_row) =
            comparisons::resolve_side(source, &experiments, &archived.experiment_id).await?;
        let (b, b_row) =
            comparisons::resolve_side(source, &experiments, &plan.experiment_id).await?;
        let (from, to) = comparisons::versus_window(
            source,
            [(&a, a_row.as_ref()), (&b, b_row.as_ref())],
            None,
            None,
        )
        .await?;
        let report = comparisons::versus_of(source, judging, a, b, from, to).await?;
        if report.verdict == VersusVerdict::BWorse {
            warnings.push(format!(
                "worse than the promoted {} on {} shared backtest bets ({}): {}",
                archived.experiment_name,
                crate::format::count(report.both_bet),
                report
                    .difference_interval
                    .map_or_else(String::new, |i| format!(
                        "HR difference {:+.1} to {:+.1} points",
                        i.low, i.high
                    )),
                report.verdict_text
            ));
        }
    }
    Ok(warnings)
}

/// Promotes experiment `id` (an id, unique prefix or name): refused by the
/// plan's guard rails (with metrics.md section 14's: not worse than what it
/// archives) unless `force`; the executed plan's events are exactly the
/// changes made.
pub async fn promote(
    source: &dyn Source,
    id: &str,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Promoted> {
    let plan_of = |rows: &[ExperimentRow], _: &[ExperimentEvent]| -> Result<PromotionPlan> {
        let row = super::find_experiment(rows, id)?;
        Ok(promotion::plan(
            rows,
            row,
            production_system,
            judging.thresholds,
        )?)
    };
    execute(source, plan_of, note, force, production_system, judging).await
}

/// `exp rollback --system S`: promotes again the experiment the current
/// promotion for `target` archived, through the same plan (it archives the
/// current one), its guard rails checked again; refused when there is none.
/// Carried out exactly as planned (see [`apply_rollback`]).
pub async fn rollback(
    source: &dyn Source,
    target: &str,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Promoted> {
    let rows = source.experiments().await?;
    let events = source.experiment_events(None).await?;
    let plan = rollback::rollback_plan(
        &rows,
        &events,
        target,
        production_system,
        judging.thresholds,
    )?;
    let actor = lifecycle::actor()?;
    apply_rollback(source, plan, actor, note, force, production_system, judging).await
}

/// Carries out the rollback `plan` (made now, or requested and now
/// approved) exactly: the source applies it only while the experiments it
/// archives are the ones promoted for the target and the one it promotes
/// again is still archived. When the registry changed since it was
/// planned, it stops and says how, nothing written; it never plans again
/// (that would promote again the experiment being rolled back).
pub async fn apply_rollback(
    source: &dyn Source,
    mut plan: PromotionPlan,
    actor: String,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Promoted> {
    let rows = source.experiments().await?;
    if let Some(changed) = rollback::changed(&plan, &rows, production_system) {
        return Err(changed.into());
    }
    plan.warnings
        .extend(worse_than_promoted(source, &plan, judging).await?);
    let note = match note {
        Some(note) => format!("rollback: {note}"),
        None => "rollback".to_string(),
    };
    let change = plan.transition(actor, Utc::now(), Some(&note), force)?;
    match source.apply_transition(&change, production_system).await {
        Ok(archived) => Ok(Promoted {
            // It went through, so failed guard rails were forced.
            forced: !plan.warnings.is_empty(),
            plan,
            archived,
            replanned: Vec::new(),
            actor: change.actor,
        }),
        Err(error) if is_stale(&error) => {
            // Changed between the check and the write: say how.
            let rows = source.experiments().await?;
            Err(match rollback::changed(&plan, &rows, production_system) {
                Some(changed) => changed.into(),
                None => error,
            })
        }
        Err(error) => Err(error),
    }
}

/// Whether the source refused a change because the registry changed since
/// it was planned (the status, or what is promoted for the target).
fn is_stale(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<TransitionError>(),
        Some(TransitionError::StalePlan { .. } | TransitionError::StaleStatus { .. })
    )
}

/// Plans (from the registry as read) and executes, planning again when the
/// registry changed in between.
async fn execute(
    source: &dyn Source,
    plan_of: impl Fn(&[ExperimentRow], &[ExperimentEvent]) -> Result<PromotionPlan>,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    judging: Judging<'_>,
) -> Result<Promoted> {
    let mut attempt = 0;
    let mut replanned = Vec::new();
    loop {
        attempt += 1;
        let rows = source.experiments().await?;
        let events = source.experiment_events(None).await?;
        let mut plan = plan_of(&rows, &events)?;
        plan.warnings
            .extend(worse_than_promoted(source, &plan, judging).await?);
        let change = plan.transition(lifecycle::actor()?, Utc::now(), note, force)?;
        match source.apply_transition(&change, production_system).await {
            Ok(archived) => {
                return Ok(Promoted {
                    // It went through, so failed guard rails were forced.
                    forced: !plan.warnings.is_empty(),
                    plan,
                    archived,
                    replanned,
                    actor: change.actor,
                });
            }
            Err(error)
                if attempt < ATTEMPTS
                    && matches!(
                        error.downcast_ref::<TransitionError>(),
                        Some(TransitionError::StalePlan { .. })
                    ) =>
            {
                tracing::info!("promotion re-planned: {error}");
                replanned.push(error.to_string());
            }
            Err(error) => return Err(error),
        }
    }
}

/// The figures a promotion's announcement carries: the gap of its backtest
/// against production, the closing line value of the target system's
/// recent bets and, when it archived one with a backtest, how it compares
/// on their shared rows. What cannot be computed is left out.
pub async fn announcement_figures(
    source: &dyn Source,
    plan: &PromotionPlan,
    judging: Judging<'_>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let Ok(rows) = source.experiments().await else {
        return lines;
    };
    let with_backtest = source.backtest_experiments().await.unwrap_or_default();
    if let Some(row) = rows.iter().find(|r| r.experiment_id == plan.experiment_id)
        && with_backtest.contains(&row.experiment_id)
        && let Ok(report) = super::gap(source, row, &plan.target_system, judging.thresholds).await
    {
        lines.push(format!(
            "gap: backtest {} vs production {} on {}: {}",
            report.hit_rate_backtest,
            report.hit_rate_production,
            plan.target_system,
            report.verdict
        ));
    }
    // The close of the system it will run (metrics.md 18): what the market
    // has said of the system's recent bets, beside the backtest's word.
    if let Ok(Some(latest)) = source.latest_date(Some(&plan.target_system)).await
        && let Some(clv) =
            super::day_clv(source, &plan.target_system, latest, judging.thresholds).await
        && clv.snapshots_available
    {
        lines.push(format!(
            "the close of {}, {} to {}: {}",
            plan.target_system,
            clv.from,
            clv.to,
            clv.overall.sentence()
        ));
    }
    for archived in &plan.archives {
        if !with_backtest.contains(&archived.experiment_id)
            || !with_backtest.contains(&plan.experiment_id)
        {
            continue;
        }
        let sides = async {
            let (a, a_row) =
                comparisons::resolve_side(source, &rows, &archived.experiment_id).await?;
            let (b, b_row) = comparisons::resolve_side(source, &rows, &plan.experiment_id).await?;
            let (from, to) = comparisons::versus_window(
                source,
                [(&a, a_row.as_ref()), (&b, b_row.as_ref())],
                None,
                None,
            )
            .await?;
            comparisons::versus_of(source, judging, a, b, from, to).await
        };
        if let Ok(report) = sides.await {
            lines.push(format!(
                "versus {}: {}: {}",
                archived.experiment_name,
                report.verdict.as_str(),
                report.verdict_text
            ));
        }
    }
    lines
}
