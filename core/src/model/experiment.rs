//! Experiments: the registry's rows and audit events, the statuses and the
//! lifecycle they follow (`pending -> running ->
//! completed | failed`, `completed -> promoted`, `completed | failed |
//! promoted -> archived`, nothing else), and one requested status change as
//! the sources execute it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why `name` is not an experiment name, or `None` when it is. One rule for
/// every way into the registry (`exp register`, `import ml_experiments`):
/// SCREAMING_SNAKE_CASE, that is upper-case letters, digits and `_`, where
/// letters without case (漢字, かな, 한글) count as upper case; at most 100
/// characters; no spaces, lower case, symbols or emoji.
pub fn name_problem(name: &str) -> Option<String> {
    let allowed = |c: char| {
        c == '_'
            || c.is_ascii_digit()
            || c.is_uppercase()
            || (c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase())
    };
    if name.is_empty() {
        Some("an experiment name may not be empty".to_string())
    } else if name.chars().count() > 100 {
        Some(format!(
            "`{}…` is longer than 100 characters",
            name.chars().take(20).collect::<String>()
        ))
    } else if !name.chars().all(allowed) {
        Some(format!(
            "`{name}` must be SCREAMING_SNAKE_CASE: upper-case letters, digits and _ (letters without case, such as 漢字, are allowed)"
        ))
    } else {
        None
    }
}

/// The six documented experiment types (`experiment_type`). In practice the
/// column is free text (`monthly_retrain`, `stacked_residual`, ...):
/// reading accepts any type, and the verbs that take a config in
/// (`exp validate`, `register`, `import`) warn on one outside these.
pub const EXPERIMENT_TYPES: [&str; 6] = [
    "walk_forward",
    "ensemble",
    "ablation",
    "tier_based",
    "hyperparameter",
    "feature",
];

/// The warning for a type outside the documented six, or `None`.
pub fn type_warning(kind: &str) -> Option<String> {
    (!EXPERIMENT_TYPES.contains(&kind)).then(|| {
        format!(
            "`{kind}` is not one of the documented types ({}); it is kept as written",
            EXPERIMENT_TYPES.join(", ")
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Running,
    Completed,
    Failed,
    Promoted,
    Archived,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pending,
        Status::Running,
        Status::Completed,
        Status::Failed,
        Status::Promoted,
        Status::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Promoted => "promoted",
            Status::Archived => "archived",
        }
    }

    /// A status exactly as the registry writes it (stored rows are compared
    /// exactly by the stores' queries, so `Completed` is not `completed`).
    pub fn from_stored(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// A status as a user types it (any case, spaces trimmed).
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether the lifecycle allows `self -> to`.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Pending, Running)
                | (Running, Completed)
                | (Running, Failed)
                | (Completed, Promoted)
                | (Completed, Archived)
                | (Failed, Archived)
                | (Promoted, Archived)
        )
    }
}

impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `train_period` / `eval_period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub samples: Option<i64>,
}

/// One row of `ml_experiments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentRow {
    pub experiment_id: String,
    pub experiment_name: String,
    pub hypothesis: Option<String>,
    pub experiment_type: String,
    pub tags: Vec<String>,
    pub config_json: serde_json::Value,
    pub train_period: Option<Period>,
    pub eval_period: Option<Period>,
    pub results_json: Option<serde_json::Value>,
    pub model_path: Option<String>,
    pub git_commit: Option<String>,
    pub parent_experiment_id: Option<String>,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
}

/// One row of `ml_experiment_events`: an append-only status change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentEvent {
    pub experiment_id: String,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
}

/// The promotion a system's since-promotion verdict counts from (metrics.md
/// section 19): the experiment promoted for it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionMark {
    pub system_id: String,
    pub experiment_id: String,
    pub experiment_name: String,
    pub promoted_at: DateTime<Utc>,
}

/// One requested status change: applies only if the status is still `from`.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub experiment_id: String,
    pub from: Status,
    pub to: Status,
    pub actor: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    /// The target system a promotion replaces (its promoted experiment is archived).
    pub target_system: Option<String>,
    /// The audit note of each experiment a promotion archives (the registry's
    /// promotion plan writes it; the sources only record it).
    pub archive_note: Option<String>,
    /// For a promotion, the experiments its plan archives: the ones promoted
    /// for the target when it was planned. A source applies the promotion
    /// only while exactly these are promoted there (else `StalePlan`), so the
    /// events it writes are exactly the changes it made.
    pub archives: Option<Vec<String>>,
    /// A rollback: the experiment the current promotion archived is promoted
    /// again (archived -> promoted, allowed only so).
    pub rollback: bool,
    /// Results and model path recorded by `complete`.
    pub results_json: Option<serde_json::Value>,
    pub model_path: Option<String>,
}

/// Why a transition did not apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error(
        "{from} -> {to} is not an allowed transition (pending -> running -> completed | failed, completed -> promoted, completed | failed | promoted -> archived)"
    )]
    NotAllowed { from: Status, to: Status },
    #[error(
        "the experiment is now {actual}, not {expected}: someone else changed it; nothing was written"
    )]
    StaleStatus { expected: Status, actual: String },
    #[error("no experiment with id {0}")]
    Missing(String),
    #[error(
        "the experiments promoted for {target} changed since the promotion was planned (planned to archive {}; promoted now: {}): nothing was written",
        list(.planned), list(.promoted)
    )]
    StalePlan {
        target: String,
        planned: Vec<String>,
        promoted: Vec<String>,
    },
    #[error(
        "the status change stands: experiment {experiment_id} is now {to}{}, but its audit event was not written ({cause}); `courtside exp history` lists it as a status without its event",
        archived_note(.archived)
    )]
    AuditMissing {
        experiment_id: String,
        to: Status,
        archived: Vec<String>,
        cause: String,
    },
    #[error(
        "the experiment is {to} already: {actor} made that change at {at}; nothing was written"
    )]
    AlreadyDone {
        to: Status,
        actor: String,
        at: String,
    },
}

fn archived_note(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!(" (archived: {})", ids.join(", "))
    }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

impl Transition {
    /// The audit event of the change itself.
    pub fn event(&self) -> ExperimentEvent {
        ExperimentEvent {
            experiment_id: self.experiment_id.clone(),
            at: self.at,
            actor: Some(self.actor.clone()),
            from_status: Some(self.from.as_str().to_string()),
            to_status: self.to.as_str().to_string(),
            note: self.note.clone(),
        }
    }

    /// The audit event of an experiment this promotion archived.
    pub fn archive_event(&self, archived_id: &str) -> ExperimentEvent {
        ExperimentEvent {
            experiment_id: archived_id.to_string(),
            at: self.at,
            actor: Some(self.actor.clone()),
            from_status: Some(Status::Promoted.as_str().to_string()),
            to_status: Status::Archived.as_str().to_string(),
            note: self.archive_note.clone(),
        }
    }

    /// Checks the state machine before anything is written.
    pub fn check(&self) -> Result<(), TransitionError> {
        let rollback =
            self.rollback && self.from == Status::Archived && self.to == Status::Promoted;
        if rollback || self.from.can_become(self.to) {
            Ok(())
        } else {
            Err(TransitionError::NotAllowed {
                from: self.from,
                to: self.to,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_allowed_transitions() {
        let allowed = [
            ("pending", "running"),
            ("running", "completed"),
            ("running", "failed"),
            ("completed", "promoted"),
            ("completed", "archived"),
            ("failed", "archived"),
            ("promoted", "archived"),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                let expected = allowed.contains(&(from.as_str(), to.as_str()));
                assert_eq!(from.can_become(to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn a_type_outside_the_six_is_a_warning_only() {
        assert_eq!(type_warning("walk_forward"), None);
        let warning = type_warning("monthly_retrain").unwrap();
        assert!(warning.contains("`monthly_retrain` is not one of the documented types"));
    }

    #[test]
    fn one_name_rule_for_every_way_in() {
        for good in ["FEB_2026_RECENCY_60", "モデル_V2", "漢字_TEST", "A"] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in [
            "lower_case",
            "HAS SPACE",
            "ROCKET_🚀",
            "",
            "DASH-NAME",
            "Ünïcode",
        ] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
        assert!(name_problem(&"A".repeat(101)).is_some());
    }
}
