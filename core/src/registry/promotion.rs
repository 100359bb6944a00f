//! The promotion plan: the guard rails a promotion must pass, what it
//! archives, the audit notes it writes, and the transition the sources
//! execute. The CLI (`exp promote`) and the dashboard (`P`, then `y`) both
//! plan here, so they refuse the same promotions and leave the same trail.

use super::leaderboard::Entry;
use crate::config::Thresholds;
use crate::model::experiment::{Status, Transition};
use crate::model::rows::ExperimentRow;
use chrono::{DateTime, Utc};

/// The production system an experiment serves: its config's
/// `target_system`, else the configured production system.
pub fn target_system(experiment: &ExperimentRow, production_system: &str) -> String {
    experiment.config_json["target_system"]
        .as_str()
        .map_or_else(|| production_system.to_string(), str::to_string)
}

/// Each promoted experiment's mark: the system it serves and the time of
/// its last `promoted` event (an experiment without one is left out).
pub fn promotion_marks(
    rows: &[ExperimentRow],
    events: &[crate::model::experiment::ExperimentEvent],
    production_system: &str,
) -> Vec<crate::model::experiment::PromotionMark> {
    use crate::model::experiment::{PromotionMark, Status};
    let mut marks: Vec<PromotionMark> = rows
        .iter()
        .filter(|row| row.status == Status::Promoted)
        .filter_map(|row| {
            let at = events
                .iter()
                .filter(|event| {
                    event.experiment_id == row.experiment_id
                        && event.to_status == "promoted"
                        && event.from_status.as_deref() != Some("promoted")
                })
                .map(|event| event.at)
                .max()?;
            Some(PromotionMark {
                system_id: target_system(row, production_system),
                experiment_id: row.experiment_id.clone(),
                experiment_name: row.experiment_name.clone(),
                promoted_at: at,
            })
        })
        .collect();
    // One per system: the latest promotion.
    marks.sort_by(|a, b| {
        a.system_id
            .cmp(&b.system_id)
            .then(b.promoted_at.cmp(&a.promoted_at))
    });
    marks.dedup_by(|later, first| later.system_id == first.system_id);
    marks
}

/// Guard rails that block a promotion unless it is forced, in words.
pub fn guard_rails(entry: &Entry, row: &ExperimentRow, thresholds: &Thresholds) -> Vec<String> {
    let mut warnings = Vec::new();
    let minimum = thresholds.promotion_min_samples.0;
    match entry.samples {
        Some(n) if n >= minimum => {}
        Some(n) => warnings.push(format!("only {n} evaluation samples (minimum {minimum})")),
        None => warnings.push(
            "no results (no evaluation sample count: results_json.overall.samples or bets_all)"
                .to_string(),
        ),
    }
    // Figures that could not be read leave the others unchecked.
    warnings.extend(entry.problems.iter().cloned());
    if row
        .git_commit
        .as_deref()
        .is_none_or(|c| c.ends_with("-dirty"))
    {
        warnings.push("trained from a dirty or unknown git commit".to_string());
    }
    if let Some(interval) = entry.hit_rate.and_then(|rate| rate.interval)
        && interval.high < thresholds.break_even_pct()
    {
        warnings.push(format!(
            "hit rate interval [{:.1}–{:.1}] lies entirely below break-even {:.1}%",
            interval.low,
            interval.high,
            thresholds.break_even_pct()
        ));
    }
    warnings
}

/// An experiment promotion replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub experiment_id: String,
    pub experiment_name: String,
}

/// What a promotion will do, shown before it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionPlan {
    pub experiment_id: String,
    pub experiment_name: String,
    /// Its status now: completed, or archived for a rollback.
    pub from: Status,
    pub target_system: String,
    /// The experiments promoted for the same target now, which it archives.
    pub archives: Vec<Archived>,
    /// Guard rails that failed (the promotion needs forcing past them).
    pub warnings: Vec<String>,
}

/// Why a promotion was not planned or not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{name} is {status}: only a completed experiment can be promoted")]
    NotCompleted { name: String, status: Status },
    #[error("not promoted: {} (use --force to promote anyway; it is recorded)", .warnings.join("; "))]
    GuardRails { warnings: Vec<String> },
}

/// Plans the promotion of `experiment` among `experiments` (the registry as read).
pub fn plan(
    experiments: &[ExperimentRow],
    experiment: &ExperimentRow,
    production_system: &str,
    thresholds: &Thresholds,
) -> Result<PromotionPlan, Refusal> {
    if experiment.status != Status::Completed {
        return Err(Refusal::NotCompleted {
            name: experiment.experiment_name.clone(),
            status: experiment.status,
        });
    }
    let target = target_system(experiment, production_system);
    let archives = experiments
        .iter()
        .filter(|row| {
            row.status == Status::Promoted
                && row.experiment_id != experiment.experiment_id
                && target_system(row, production_system) == target
        })
        .map(|row| Archived {
            experiment_id: row.experiment_id.clone(),
            experiment_name: row.experiment_name.clone(),
        })
        .collect();
    let entry = Entry::from_row(experiment, thresholds.min_bets());
    Ok(PromotionPlan {
        experiment_id: experiment.experiment_id.clone(),
        experiment_name: experiment.experiment_name.clone(),
        from: Status::Completed,
        target_system: target,
        archives,
        warnings: guard_rails(&entry, experiment, thresholds),
    })
}

/// The plan made again from the registry as it is now; `Some` when it
/// differs from `confirmed` (another experiment was promoted or archived, the
/// results changed), so the user sees it and confirms again.
pub fn replanned(
    experiments: &[ExperimentRow],
    confirmed: &PromotionPlan,
    production_system: &str,
    thresholds: &Thresholds,
) -> Result<Option<PromotionPlan>, Replan> {
    let experiment = experiments
        .iter()
        .find(|row| row.experiment_id == confirmed.experiment_id)
        .ok_or_else(|| Replan::Gone(confirmed.experiment_name.clone()))?;
    let fresh = plan(experiments, experiment, production_system, thresholds)?;
    Ok((fresh != *confirmed).then_some(fresh))
}

/// Why a confirmed plan cannot be made again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Replan {
    #[error("{0} is no longer in the registry")]
    Gone(String),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

/// The audit note of an experiment archived by a promotion.
pub fn archive_note(target_system: &str, promoted_id: &str) -> String {
    format!("replaced on {target_system} by {promoted_id}")
}

impl PromotionPlan {
    /// The note of the promotion event: the user's note, then the guard rails
    /// it was forced past.
    pub fn note(&self, user_note: Option<&str>) -> Option<String> {
        let mut parts: Vec<String> = user_note
            .filter(|note| !note.is_empty())
            .map(str::to_string)
            .into_iter()
            .collect();
        if !self.warnings.is_empty() {
            parts.push(format!("forced past: {}", self.warnings.join("; ")));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// The change the sources execute; refused when a guard rail failed and
    /// the promotion is not forced.
    pub fn transition(
        &self,
        actor: String,
        at: DateTime<Utc>,
        user_note: Option<&str>,
        force: bool,
    ) -> Result<Transition, Refusal> {
        if !self.warnings.is_empty() && !force {
            return Err(Refusal::GuardRails {
                warnings: self.warnings.clone(),
            });
        }
        let rollback = self.from == Status::Archived;
        Ok(Transition {
            experiment_id: self.experiment_id.clone(),
            from: self.from,
            to: Status::Promoted,
            actor,
            note: self.note(user_note),
            at,
            target_system: Some(self.target_system.clone()),
            archive_note: Some(if rollback {
                format!(
                    "rolled back on {}: {} promoted again",
                    self.target_system, self.experiment_id
                )
            } else {
                archive_note(&self.target_system, &self.experiment_id)
            }),
            archives: Some(
                self.archives
                    .iter()
                    .map(|archived| archived.experiment_id.clone())
                    .collect(),
            ),
            rollback,
            results_json: None,
            model_path: None,
        })
    }

    /// Names of what it archives, for messages.
    pub fn archive_names(&self) -> Vec<&str> {
        self.archives
            .iter()
            .map(|archived| archived.experiment_name.as_str())
            .collect()
    }
}

/// Any other lifecycle change of `experiment` (start, complete, fail, archive).
pub fn change(
    experiment: &ExperimentRow,
    to: Status,
    actor: String,
    at: DateTime<Utc>,
    note: Option<String>,
    production_system: &str,
) -> Transition {
    Transition {
        experiment_id: experiment.experiment_id.clone(),
        from: experiment.status,
        to,
        actor,
        note,
        at,
        target_system: Some(target_system(experiment, production_system)),
        archive_note: None,
        archives: None,
        rollback: false,
        results_json: None,
        model_path: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(id: &str, status: Status, target: Option<&str>, samples: u64) -> ExperimentRow {
        ExperimentRow {
            experiment_id: id.to_string(),
            experiment_name: id.to_uppercase(),
            hypothesis: None,
            experiment_type: "walk_forward".to_string(),
            tags: Vec::new(),
            config_json: target.map_or(json!({}), |t| json!({ "target_system": t })),
            train_period: None,
            eval_period: None,
            results_json: Some(json!({"overall": {"hit_rate": 0.57, "samples": samples}})),
            model_path: None,
            git_commit: Some("abc123".to_string()),
            parent_experiment_id: None,
            status,
            created_at: DateTime::UNIX_EPOCH,
            completed_at: None,
            created_by: None,
        }
    }

    #[test]
    fn the_plan_archives_the_targets_promoted_experiment_only() {
        let rows = vec![
            row("new", Status::Completed, None, 900),
            row("old", Status::Promoted, Some("catboost_v8"), 900),
            row("other", Status::Promoted, Some("xgboost_v2"), 900),
        ];
        let plan = plan(&rows, &rows[0], "catboost_v8", &Thresholds::default()).unwrap();
        assert_eq!(plan.target_system, "catboost_v8");
        assert_eq!(plan.archive_names(), ["OLD"]);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        let change = plan
            .transition("me".into(), DateTime::UNIX_EPOCH, Some("ship it"), false)
            .unwrap();
        assert_eq!(change.note.as_deref(), Some("ship it"));
        assert_eq!(
            change.archive_event("old").note.as_deref(),
            Some("replaced on catboost_v8 by new")
        );
    }

    #[test]
    fn failed_guard_rails_refuse_unless_forced_and_the_note_says_so() {
        let rows = vec![row("thin", Status::Completed, None, 100)];
        let plan = plan(&rows, &rows[0], "catboost_v8", &Thresholds::default()).unwrap();
        assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
        let refused = plan.transition("me".into(), DateTime::UNIX_EPOCH, None, false);
        assert!(matches!(refused, Err(Refusal::GuardRails { .. })));
        let forced = plan
            .transition("me".into(), DateTime::UNIX_EPOCH, None, true)
            .unwrap();
        assert_eq!(
            forced.note.as_deref(),
            Some("forced past: only 100 evaluation samples (minimum 500)")
        );
        let pending = row("p", Status::Pending, None, 900);
        assert!(matches!(
            super::plan(&[], &pending, "catboost_v8", &Thresholds::default()),
            Err(Refusal::NotCompleted { .. })
        ));
    }

    #[test]
    fn a_plan_confirmed_after_the_registry_changed_is_made_again() {
        let mut rows = vec![
            row("new", Status::Completed, None, 900),
            row("old", Status::Promoted, None, 900),
            row("other", Status::Completed, None, 900),
        ];
        let shown = plan(&rows, &rows[0], "catboost_v8", &Thresholds::default()).unwrap();
        let same = replanned(&rows, &shown, "catboost_v8", &Thresholds::default()).unwrap();
        assert_eq!(same, None);
        // Someone else promoted OTHER meanwhile: the plan now archives both.
        rows[2].status = Status::Promoted;
        let fresh = replanned(&rows, &shown, "catboost_v8", &Thresholds::default())
            .unwrap()
            .expect("a changed plan");
        assert_eq!(fresh.archive_names(), ["OLD", "OTHER"]);
        // Or promoted NEW itself: nothing to confirm any more.
        rows[0].status = Status::Promoted;
        assert!(matches!(
            replanned(&rows, &shown, "catboost_v8", &Thresholds::default()),
            Err(Replan::Refused(Refusal::NotCompleted { .. }))
        ));
        assert!(matches!(
            replanned(&rows[1..], &shown, "catboost_v8", &Thresholds::default()),
            Err(Replan::Gone(_))
        ));
    }
}
