//! The experiment lifecycle as a state machine: `pending -> running ->
//! completed | failed`, `completed -> promoted`, `completed | failed |
//! promoted -> archived`, and nothing else.

use chrono::{DateTime, Utc};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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
}

impl Transition {
    /// Checks the state machine before anything is written.
    pub fn check(&self) -> Result<(), TransitionError> {
        if self.from.can_become(self.to) {
            Ok(())
        } else {
            Err(TransitionError::NotAllowed {
                from: self.from,
                to: self.to,
            })
        }
    }
}

/// Who makes a change: `COURTSIDE_ACTOR`, else git's `user.email`, else the OS user.
pub fn actor() -> String {
    if let Ok(actor) = std::env::var("COURTSIDE_ACTOR")
        && !actor.trim().is_empty()
    {
        return actor;
    }
    let git = std::process::Command::new("git")
        .args(["config", "user.email"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|email| !email.is_empty());
    git.or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
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
}
