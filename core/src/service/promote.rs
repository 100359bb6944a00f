//! A promotion as the CLI runs it: plan from the registry as read, execute
//! the plan, and when the registry changed in between (someone else promoted
//! for the same target) plan again from what is there now, a few times.

use crate::config::Thresholds;
use crate::model::experiment::TransitionError;
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

/// Promotes experiment `id` (an id, unique prefix or name): refused by the
/// plan's guard rails unless `force`; the executed plan's events are exactly
/// the changes made.
pub async fn promote(
    source: &dyn Source,
    id: &str,
    note: Option<&str>,
    force: bool,
    production_system: &str,
    thresholds: &Thresholds,
) -> Result<Promoted> {
    let mut attempt = 0;
    let mut replanned = Vec::new();
    loop {
        attempt += 1;
        let rows = source.experiments().await?;
        let row = super::find_experiment(&rows, id)?;
        let plan = promotion::plan(&rows, row, production_system, thresholds)?;
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
