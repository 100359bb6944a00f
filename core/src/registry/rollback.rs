//! The rollback plan: promote again the experiment P the current promotion
//! C for a target archived, archiving C, through the promotion plan's
//! transition (its guard rails, its stale-plan precondition). A rollback is
//! carried out exactly as planned or not at all: when the registry changed
//! since it was planned (another experiment promoted for the target, P no
//! longer archived), [`changed`] says how, and nothing is planned again
//! (planning again would roll back the newer promotion instead, and could
//! promote again the very experiment being rolled back).

use super::leaderboard::Entry;
use super::promotion::{Archived, PromotionPlan, archive_note, guard_rails, target_system};
use crate::config::Thresholds;
use crate::model::experiment::Status;
use crate::model::rows::{ExperimentEvent, ExperimentRow};

/// Why there is nothing to roll back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRollback {
    #[error("no experiment is promoted for {0}: nothing to roll back")]
    NothingPromoted(String),
    #[error(
        "{promoted} was promoted for {target} without archiving another: nothing to roll back to"
    )]
    NothingArchived { promoted: String, target: String },
    #[error(
        "{0}, which the promotion archived, is no longer archived (someone changed it since): nothing to roll back to"
    )]
    NotArchived(String),
}

/// How the registry changed under a rollback plan since it was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanChanged {
    #[error(
        "the promoted experiment for {target} changed from {planned} to {now} since the rollback was planned; nothing was written"
    )]
    Promoted {
        target: String,
        planned: String,
        now: String,
    },
    #[error(
        "{name} is {status} now, no longer archived, since the rollback was planned; nothing was written"
    )]
    NotArchived { name: String, status: Status },
    #[error("{0} is no longer in the registry since the rollback was planned; nothing was written")]
    Gone(String),
}

/// The rollback of `target`: the experiment the current promotion archived,
/// promoted again through the same plan (it archives the current one), its
/// guard rails checked again. Found in the audit trail: the current
/// promoted experiment's promotion archived it with its archive note.
pub fn rollback_plan(
    experiments: &[ExperimentRow],
    events: &[ExperimentEvent],
    target: &str,
    production_system: &str,
    thresholds: &Thresholds,
) -> Result<PromotionPlan, NoRollback> {
    let current = experiments
        .iter()
        .find(|row| {
            row.status == Status::Promoted && target_system(row, production_system) == target
        })
        .ok_or_else(|| NoRollback::NothingPromoted(target.to_string()))?;
    let note = archive_note(target, &current.experiment_id);
    let previous = events
        .iter()
        .rev()
        .find(|event| {
            event.to_status == Status::Archived.as_str() && event.note.as_deref() == Some(&note)
        })
        .and_then(|event| {
            experiments
                .iter()
                .find(|row| row.experiment_id == event.experiment_id)
        })
        .ok_or_else(|| NoRollback::NothingArchived {
            promoted: current.experiment_name.clone(),
            target: target.to_string(),
        })?;
    if previous.status != Status::Archived {
        return Err(NoRollback::NotArchived(previous.experiment_name.clone()));
    }
    let current = Archived {
        experiment_id: current.experiment_id.clone(),
        experiment_name: current.experiment_name.clone(),
    };
    Ok(rollback_of(previous, current, target, thresholds))
}

/// The plan "promote `previous` again for `target`, archiving `current`"
/// (a rollback as planned, or as requested and now approved), its guard
/// rails checked on `previous`.
pub fn rollback_of(
    previous: &ExperimentRow,
    current: Archived,
    target: &str,
    thresholds: &Thresholds,
) -> PromotionPlan {
    let entry = Entry::from_row(previous, thresholds.min_bets());
    PromotionPlan {
        experiment_id: previous.experiment_id.clone(),
        experiment_name: previous.experiment_name.clone(),
        from: Status::Archived,
        target_system: target.to_string(),
        archives: vec![current],
        warnings: guard_rails(&entry, previous, thresholds),
    }
}

/// How `experiments` (the registry as read now) differ from what the
/// rollback `plan` was made from, or `None` when it still holds: exactly the
/// experiments it archives are promoted for its target, and the one it
/// promotes again is still archived.
pub fn changed(
    plan: &PromotionPlan,
    experiments: &[ExperimentRow],
    production_system: &str,
) -> Option<PlanChanged> {
    let promoted_now: Vec<&ExperimentRow> = experiments
        .iter()
        .filter(|row| {
            row.status == Status::Promoted
                && target_system(row, production_system) == plan.target_system
        })
        .collect();
    let mut now: Vec<&str> = promoted_now
        .iter()
        .map(|row| row.experiment_id.as_str())
        .collect();
    let mut planned: Vec<&str> = plan
        .archives
        .iter()
        .map(|archived| archived.experiment_id.as_str())
        .collect();
    now.sort_unstable();
    planned.sort_unstable();
    if now != planned {
        return Some(PlanChanged::Promoted {
            target: plan.target_system.clone(),
            planned: names(plan.archive_names()),
            now: names(
                promoted_now
                    .iter()
                    .map(|row| row.experiment_name.as_str())
                    .collect(),
            ),
        });
    }
    match experiments
        .iter()
        .find(|row| row.experiment_id == plan.experiment_id)
    {
        None => Some(PlanChanged::Gone(plan.experiment_name.clone())),
        Some(row) if row.status != plan.from => Some(PlanChanged::NotArchived {
            name: row.experiment_name.clone(),
            status: row.status,
        }),
        Some(_) => None,
    }
}

fn names(names: Vec<&str>) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use serde_json::json;

    fn row(id: &str, status: Status) -> ExperimentRow {
        ExperimentRow {
            experiment_id: id.to_string(),
            experiment_name: id.to_uppercase(),
            hypothesis: None,
            experiment_type: "walk_forward".to_string(),
            tags: Vec::new(),
            config_json: json!({}),
            train_period: None,
            eval_period: None,
            results_json: Some(json!({"overall": {"hit_rate": 0.57, "samples": 900}})),
            model_path: None,
            git_commit: Some("abc123".to_string()),
            parent_experiment_id: None,
            status,
            created_at: DateTime::UNIX_EPOCH,
            completed_at: None,
            created_by: None,
        }
    }

    fn archived_by(id: &str, by: &str) -> ExperimentEvent {
        ExperimentEvent {
            experiment_id: id.to_string(),
            at: DateTime::UNIX_EPOCH,
            actor: Some("me".to_string()),
            from_status: Some("promoted".to_string()),
            to_status: "archived".to_string(),
            note: Some(archive_note("catboost_v8", by)),
        }
    }

    #[test]
    fn the_plan_promotes_again_what_the_current_promotion_archived() {
        let rows = vec![row("p", Status::Archived), row("c", Status::Promoted)];
        let events = vec![archived_by("p", "c")];
        let plan = rollback_plan(
            &rows,
            &events,
            "catboost_v8",
            "catboost_v8",
            &Thresholds::default(),
        )
        .unwrap();
        assert_eq!(plan.experiment_id, "p");
        assert_eq!(plan.from, Status::Archived);
        assert_eq!(plan.archive_names(), ["C"]);
        assert_eq!(changed(&plan, &rows, "catboost_v8"), None);
    }

    #[test]
    fn a_plan_the_registry_moved_under_says_how_and_is_never_made_again() {
        let mut rows = vec![
            row("p", Status::Archived),
            row("c", Status::Promoted),
            row("x", Status::Completed),
        ];
        let events = vec![archived_by("p", "c")];
        let thresholds = Thresholds::default();
        let plan = rollback_plan(&rows, &events, "catboost_v8", "catboost_v8", &thresholds)
            .expect("a plan");
        // X promoted meanwhile (archiving C).
        rows[1].status = Status::Archived;
        rows[2].status = Status::Promoted;
        let change = changed(&plan, &rows, "catboost_v8").expect("changed");
        assert_eq!(
            change.to_string(),
            "the promoted experiment for catboost_v8 changed from C to X since the rollback was planned; nothing was written"
        );
        // P promoted again already (someone else rolled back).
        rows[0].status = Status::Promoted;
        rows[2].status = Status::Archived;
        let change = changed(&plan, &rows, "catboost_v8").expect("changed");
        assert!(
            change.to_string().contains("changed from C to P"),
            "{change}"
        );
        // Nothing promoted any more.
        rows[0].status = Status::Archived;
        let change = changed(&plan, &rows, "catboost_v8").expect("changed");
        assert!(change.to_string().contains("from C to none"), "{change}");
    }
}
