//! Experiments whose status has no audit event: a status change that took
//! effect while its event could not be written (the command said so; this
//! is where it stays visible). An experiment without any event (a registry
//! kept without an audit trail) is not one: there is no trail to break.

use crate::model::rows::{ExperimentEvent, ExperimentRow};

/// One experiment whose last event does not reach its status.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditGap<'a> {
    pub experiment: &'a ExperimentRow,
    /// The last event of its trail (its `to_status` is not the status).
    pub last_event: &'a ExperimentEvent,
}

/// The experiments of `rows` whose trail in `events` (in the order the
/// source lists them) ends at another status than theirs.
pub fn audit_gaps<'a>(
    rows: &'a [ExperimentRow],
    events: &'a [ExperimentEvent],
) -> Vec<AuditGap<'a>> {
    rows.iter()
        .filter_map(|experiment| {
            let last_event = events
                .iter()
                .rev()
                .find(|event| event.experiment_id == experiment.experiment_id)?;
            (last_event.to_status != experiment.status.as_str()).then_some(AuditGap {
                experiment,
                last_event,
            })
        })
        .collect()
}

impl AuditGap<'_> {
    /// `NAME (ID) is promoted; its last event says completed (AT)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}) is {}; its last audit event says {} ({})",
            self.experiment.experiment_name,
            self.experiment.experiment_id,
            self.experiment.status,
            self.last_event.to_status,
            self.last_event.at.format("%Y-%m-%d %H:%M:%S")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::experiment::Status;
    use chrono::{TimeZone, Utc};

    fn row(id: &str, status: Status) -> ExperimentRow {
        ExperimentRow {
            experiment_id: id.to_string(),
            experiment_name: format!("N_{id}"),
            hypothesis: None,
            experiment_type: "walk_forward".to_string(),
            tags: Vec::new(),
            config_json: serde_json::json!({}),
            train_period: None,
            eval_period: None,
            results_json: None,
            model_path: None,
            git_commit: None,
            parent_experiment_id: None,
            status,
            created_at: Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
            completed_at: None,
            created_by: None,
        }
    }

    fn event(id: &str, to: &str, hour: u32) -> ExperimentEvent {
        ExperimentEvent {
            experiment_id: id.to_string(),
            at: Utc.with_ymd_and_hms(2026, 4, 1, hour, 0, 0).unwrap(),
            actor: Some("a".to_string()),
            from_status: None,
            to_status: to.to_string(),
            note: None,
        }
    }

    #[test]
    fn only_a_trail_ending_short_of_its_status_is_a_gap() {
        let rows = vec![
            row("whole", Status::Promoted),
            row("short", Status::Promoted),
            row("untracked", Status::Completed),
        ];
        let events = vec![
            event("whole", "completed", 1),
            event("short", "completed", 1),
            event("whole", "promoted", 2),
        ];
        let gaps = audit_gaps(&rows, &events);
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].experiment.experiment_id, "short");
        assert_eq!(
            gaps[0].describe(),
            "N_short (short) is promoted; its last audit event says completed (2026-04-01 01:00:00)"
        );
    }
}
