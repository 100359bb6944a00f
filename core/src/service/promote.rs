//! A promotion as the CLI runs it: plan from the registry as read, execute
//! the plan, and when the registry changed in between (someone else promoted
//! for the same target) plan again from what is there now, a few times.

use super::comparisons::{self, Judging};
use crate::model::experiment::TransitionError;
use crate::model::versus::VersusVerdict;
use crate::registry::lifecycle;
use crate::registry::promotion::{self, PromotionPlan};
use crate::source::Source;
use anyhow::Result;
use chrono::Utc;

/// Plans made at most, when others keep promoting for the same target.
const ATTEMPTS: usize = 3;

/// What a promotion did: the plan it executed and the ids it archived.
pub struct Promoted {
    pub plan: PromotionPlan,
    pub archived: Vec<String>,
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
    let thresholds = judging.thresholds;
    let mut attempt = 0;
    let mut replanned = Vec::new();
    loop {
        attempt += 1;
        let rows = source.experiments().await?;
        let row = super::find_experiment(&rows, id)?;
        let mut plan = promotion::plan(&rows, row, production_system, thresholds)?;
        plan.warnings
            .extend(worse_than_promoted(source, &plan, judging).await?);
        let change = plan.transition(lifecycle::actor(), Utc::now(), note, force)?;
        match source.apply_transition(&change, production_system).await {
            Ok(archived) => {
                return Ok(Promoted {
                    plan,
                    archived,
                    replanned,
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
