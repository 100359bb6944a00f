//! Changes awaiting approval (`promotion.require_approval`): a promotion, a
//! rollback, or the archiving of a promoted experiment, each recorded as an
//! audit event that changes no status (`completed -> completed`,
//! `archived -> archived`, `promoted -> promoted`) on the experiment it
//! concerns, its note saying what is requested:
//!
//! - `promotion requested[ (forced)] for T: awaiting approval by another actor[; NOTE]`
//!   on the experiment to promote (the format requests have always had);
//! - `rollback requested[ (forced)] for T, archiving C: awaiting approval by another actor[; NOTE]`
//!   on the experiment to promote again, C the id of the promoted one the
//!   rollback archives (its plan: approval carries out exactly that);
//! - `archive requested for T: awaiting approval by another actor[; NOTE]`
//!   on the promoted experiment to archive.
//!
//! A request is pending while it is its experiment's last event.

use crate::model::experiment::Status;
use crate::model::rows::ExperimentEvent;
use chrono::{DateTime, Utc};

const AWAITING: &str = ": awaiting approval by another actor";
const ARCHIVING: &str = ", archiving ";
const FORCED: &str = " (forced)";

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Promote the experiment (`exp promote`).
    Promote,
    /// Promote the experiment again, archiving `archives` (the experiment
    /// promoted for the target when the rollback was planned).
    Rollback { archives: String },
    /// Archive the promoted experiment (`exp archive`).
    Archive,
}

impl Action {
    /// What the note begins with.
    fn prefix(&self) -> &'static str {
        match self {
            Action::Promote => "promotion requested",
            Action::Rollback { .. } => "rollback requested",
            Action::Archive => "archive requested",
        }
    }

    /// The change in a word, for messages (`another actor must approve this
    /// rollback`).
    pub fn noun(&self) -> &'static str {
        match self {
            Action::Promote => "promotion",
            Action::Rollback { .. } => "rollback",
            Action::Archive => "archive",
        }
    }
}

/// A change awaiting approval.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub action: Action,
    pub target_system: String,
    /// Who asked, as the audit trail records it.
    pub actor: String,
    /// Past failed guard rails (the approval forces them too).
    pub forced: bool,
    pub at: DateTime<Utc>,
    /// The requester's note (and the guard rails forced past).
    pub note: Option<String>,
}

impl Request {
    /// The audit event that records the request on `experiment_id`, whose
    /// status is `status` and stays so (the source appends it only then).
    pub fn event(&self, experiment_id: &str, status: Status) -> ExperimentEvent {
        ExperimentEvent {
            experiment_id: experiment_id.to_string(),
            at: self.at,
            actor: Some(self.actor.clone()),
            from_status: Some(status.as_str().to_string()),
            to_status: status.as_str().to_string(),
            note: Some(self.note_text()),
        }
    }

    fn note_text(&self) -> String {
        let archiving = match &self.action {
            Action::Rollback { archives } => format!("{ARCHIVING}{archives}"),
            Action::Promote | Action::Archive => String::new(),
        };
        format!(
            "{}{} for {}{archiving}{AWAITING}{}",
            self.action.prefix(),
            if self.forced { FORCED } else { "" },
            self.target_system,
            self.note
                .as_deref()
                .filter(|note| !note.is_empty())
                .map(|note| format!("; {note}"))
                .unwrap_or_default()
        )
    }
}

/// The request awaiting approval of `experiment_id`: its last audit event,
/// when that changed no status and its note is a request's.
pub fn pending(events: &[ExperimentEvent], experiment_id: &str) -> Option<Request> {
    let last = events
        .iter()
        .rfind(|event| event.experiment_id == experiment_id)?;
    if last.from_status.as_deref() != Some(last.to_status.as_str()) {
        return None;
    }
    parse(last)
}

/// The request an event records, or `None` when it records none.
fn parse(event: &ExperimentEvent) -> Option<Request> {
    let note = event.note.as_deref()?;
    let kinds = [
        Action::Promote,
        Action::Rollback {
            archives: String::new(),
        },
        Action::Archive,
    ];
    let (kind, rest) = kinds
        .into_iter()
        .find_map(|kind| note.strip_prefix(kind.prefix()).map(|rest| (kind, rest)))?;
    let (forced, rest) = match rest.strip_prefix(FORCED) {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let (head, tail) = rest.strip_prefix(" for ")?.split_once(AWAITING)?;
    let (target, action) = match kind {
        Action::Rollback { .. } => {
            let (target, archives) = head.rsplit_once(ARCHIVING)?;
            let archives = archives.trim();
            if archives.is_empty() {
                return None;
            }
            (
                target,
                Action::Rollback {
                    archives: archives.to_string(),
                },
            )
        }
        other => (head, other),
    };
    Some(Request {
        action,
        target_system: target.to_string(),
        actor: event.actor.clone().unwrap_or_default(),
        forced,
        at: event.at,
        note: tail
            .strip_prefix("; ")
            .filter(|note| !note.is_empty())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(from: &str, to: &str, note: &str) -> ExperimentEvent {
        ExperimentEvent {
            experiment_id: "e".to_string(),
            at: DateTime::UNIX_EPOCH,
            actor: Some("alice".to_string()),
            from_status: Some(from.to_string()),
            to_status: to.to_string(),
            note: Some(note.to_string()),
        }
    }

    #[test]
    fn promotion_requests_recorded_before_still_read() {
        let old = event(
            "completed",
            "completed",
            "promotion requested (forced) for catboost_v8: awaiting approval by another actor; ship it",
        );
        let request = pending(&[old], "e").expect("a request");
        assert_eq!(request.action, Action::Promote);
        assert_eq!(request.target_system, "catboost_v8");
        assert!(request.forced);
        assert_eq!(request.actor, "alice");
        assert_eq!(request.note.as_deref(), Some("ship it"));
    }

    #[test]
    fn every_request_reads_back_as_written() {
        for (action, status) in [
            (Action::Promote, Status::Completed),
            (
                Action::Rollback {
                    archives: "c-1".to_string(),
                },
                Status::Archived,
            ),
            (Action::Archive, Status::Promoted),
        ] {
            for (forced, note) in [(false, None), (true, Some("why (forced) here".to_string()))] {
                let request = Request {
                    action: action.clone(),
                    target_system: "catboost_v8".to_string(),
                    actor: "alice (login: bob)".to_string(),
                    forced,
                    at: DateTime::UNIX_EPOCH,
                    note,
                };
                let recorded = request.event("e", status);
                assert_eq!(pending(&[recorded], "e"), Some(request));
            }
        }
    }

    #[test]
    fn only_a_last_event_that_changed_no_status_is_pending() {
        let note = "promotion requested for catboost_v8: awaiting approval by another actor";
        let request = event("completed", "completed", note);
        let promoted = event("completed", "promoted", "promotion requested by hand");
        assert!(pending(std::slice::from_ref(&request), "e").is_some());
        assert!(pending(&[request.clone(), promoted.clone()], "e").is_none());
        assert!(pending(&[promoted], "e").is_none());
        assert!(pending(&[request], "other").is_none());
        let no_plan = event(
            "archived",
            "archived",
            "rollback requested for catboost_v8: awaiting approval by another actor",
        );
        assert!(pending(&[no_plan], "e").is_none());
    }
}
