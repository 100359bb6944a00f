//! The registry through BigQuery DML on the emulator: a full lifecycle with
//! a stale-state conflict and hostile values, and two concurrent promotions
//! that leave exactly one promoted.

#[path = "common/emulator.rs"]
mod emulator;

use courtside::model::rows::{ExperimentEvent, ExperimentRow, Period};
use courtside::registry::lifecycle::{Status, Transition, TransitionError};
use courtside::source::Source;
use courtside::source::bigquery::BigQuerySource;
use emulator::{HOSTILE, at, date, runtime};
use serde_json::json;
use std::sync::Arc;

fn experiment(name: &str, status: &str, target: &str) -> ExperimentRow {
    ExperimentRow {
        experiment_id: uuid::Uuid::new_v4().to_string(),
        experiment_name: name.to_string(),
        hypothesis: Some("it's \"better\" — ünïcode ✓".to_string()),
        experiment_type: "walk_forward".to_string(),
        tags: vec![
            HOSTILE.to_string(),
            "naïve \"quote\"".to_string(),
            "模型".to_string(),
        ],
        config_json: json!({"target_system": target, "model": {"type": "catboost", "note": HOSTILE}}),
        train_period: Some(Period {
            start_date: Some(date("2021-11-01")),
            end_date: Some(date("2026-01-31")),
            samples: Some(41_234),
        }),
        eval_period: Some(Period {
            start_date: Some(date("2026-02-01")),
            end_date: Some(date("2026-02-15")),
            samples: None,
        }),
        results_json: None,
        model_path: None,
        git_commit: Some("0123456789abcdef".to_string()),
        parent_experiment_id: None,
        status: Status::from_stored(status).unwrap(),
        created_at: at(8),
        completed_at: None,
        created_by: Some("tester".to_string()),
    }
}

fn registered(row: &ExperimentRow) -> ExperimentEvent {
    ExperimentEvent {
        experiment_id: row.experiment_id.clone(),
        at: row.created_at,
        actor: Some("tester".to_string()),
        from_status: None,
        to_status: row.status.to_string(),
        note: Some("registered".to_string()),
    }
}

fn change(id: &str, from: Status, to: Status, hour: u32) -> Transition {
    Transition {
        experiment_id: id.to_string(),
        from,
        to,
        actor: "tester".to_string(),
        note: None,
        at: at(hour),
        target_system: None,
        archive_note: (to == Status::Promoted)
            .then(|| courtside::registry::promotion::archive_note("catboost_v8", id)),
        archives: None,
        rollback: false,
        results_json: (to == Status::Completed).then(
            || json!({"overall": {"hit_rate": 0.571, "mae": 4.9, "roi": 0.08, "samples": 812}}),
        ),
        model_path: (to == Status::Completed).then(|| "gs://models/v9.cbm".to_string()),
    }
}

async fn status(source: &BigQuerySource, id: &str) -> String {
    source
        .experiments()
        .await
        .unwrap()
        .into_iter()
        .find(|row| row.experiment_id == id)
        .map(|row| row.status.to_string())
        .unwrap()
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn a_full_lifecycle_a_stale_conflict_and_hostile_values_through_bigquery() {
    let runtime = runtime();
    let (_, source) = runtime.block_on(emulator::fresh("registry"));
    runtime.block_on(async {
        let name = "NAME_WITH_'QUOTES'_AND_\"MORE\"_ÜNICODE_模型";
        let first = experiment(name, "pending", "catboost_v8");
        source
            .register_experiment(&first, &registered(&first))
            .await
            .unwrap();
        let id = first.experiment_id.as_str();
        source
            .apply_transition(
                &change(id, Status::Pending, Status::Running, 9),
                "catboost_v8",
            )
            .await
            .unwrap();
        source
            .apply_transition(
                &change(id, Status::Running, Status::Completed, 10),
                "catboost_v8",
            )
            .await
            .unwrap();

        // A user who still sees `running` tries to fail it: refused, nothing written.
        let stale = source
            .apply_transition(
                &change(id, Status::Running, Status::Failed, 11),
                "catboost_v8",
            )
            .await
            .unwrap_err();
        match stale.downcast_ref::<TransitionError>() {
            Some(TransitionError::StaleStatus { expected, actual }) => {
                assert_eq!(*expected, Status::Running);
                assert_eq!(actual, "completed");
            }
            other => panic!("expected a stale-status error, got {other:?}: {stale:#}"),
        }
        assert!(stale.to_string().contains("someone else changed it"));
        let missing = source
            .apply_transition(
                &change("no-such-id", Status::Pending, Status::Running, 11),
                "catboost_v8",
            )
            .await
            .unwrap_err();
        assert!(matches!(
            missing.downcast_ref::<TransitionError>(),
            Some(TransitionError::Missing(_))
        ));

        let archived = source
            .apply_transition(
                &change(id, Status::Completed, Status::Promoted, 12),
                "catboost_v8",
            )
            .await
            .unwrap();
        assert!(archived.is_empty());

        // A second promotion for the same target archives the first.
        let second = experiment("SECOND_V10", "completed", "catboost_v8");
        source
            .register_experiment(&second, &registered(&second))
            .await
            .unwrap();
        let archived = source
            .apply_transition(
                &change(
                    &second.experiment_id,
                    Status::Completed,
                    Status::Promoted,
                    13,
                ),
                "catboost_v8",
            )
            .await
            .unwrap();
        assert_eq!(archived, vec![first.experiment_id.clone()]);
        assert_eq!(status(&source, id).await, "archived");

        // The row reads back exactly as written, hostile text as data.
        let back = source
            .experiments()
            .await
            .unwrap()
            .into_iter()
            .find(|row| row.experiment_id == first.experiment_id)
            .unwrap();
        assert_eq!(back.experiment_name, name);
        assert_eq!(back.tags, first.tags);
        assert_eq!(back.config_json, first.config_json);
        assert_eq!(back.hypothesis, first.hypothesis);
        assert_eq!(back.train_period, first.train_period);
        assert_eq!(back.eval_period, first.eval_period);
        assert_eq!(back.completed_at, Some(at(10)));
        assert_eq!(back.model_path.as_deref(), Some("gs://models/v9.cbm"));
        assert_eq!(back.results_json.unwrap()["overall"]["samples"], 812);

        let trail: Vec<String> = source
            .experiment_events(Some(id))
            .await
            .unwrap()
            .into_iter()
            .map(|event| format!("{:?}->{}", event.from_status, event.to_status))
            .collect();
        assert_eq!(
            trail,
            [
                "None->pending",
                "Some(\"pending\")->running",
                "Some(\"running\")->completed",
                "Some(\"completed\")->promoted",
                "Some(\"promoted\")->archived"
            ]
        );
    });
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn two_concurrent_promotions_leave_exactly_one_promoted() {
    let runtime = runtime();
    let (_, source) = runtime.block_on(emulator::fresh("race"));
    let source = Arc::new(source);
    runtime.block_on(async {
        let old = experiment("OLD_PROMOTED", "promoted", "catboost_v8");
        let a = experiment("CANDIDATE_A", "completed", "catboost_v8");
        let b = experiment("CANDIDATE_B", "completed", "catboost_v8");
        let other_target = experiment("OTHER_TARGET", "promoted", "xgboost_v7");
        for row in [&old, &a, &b, &other_target] {
            source
                .register_experiment(row, &registered(row))
                .await
                .unwrap();
        }
        // Two users promote at the same moment, on separate tasks.
        let promote = |id: String| {
            let source = source.clone();
            tokio::spawn(async move {
                let promotion = change(&id, Status::Completed, Status::Promoted, 14);
                source.apply_transition(&promotion, "catboost_v8").await
            })
        };
        let (first, second) = tokio::join!(
            promote(a.experiment_id.clone()),
            promote(b.experiment_id.clone())
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        assert!(first.is_ok() || second.is_ok(), "{first:?} {second:?}");
        let rows = source.experiments().await.unwrap();
        let promoted: Vec<&str> = rows
            .iter()
            .filter(|row| {
                row.status == "promoted" && row.config_json["target_system"] == "catboost_v8"
            })
            .map(|row| row.experiment_name.as_str())
            .collect();
        assert_eq!(promoted.len(), 1, "{promoted:?}");
        assert!(["CANDIDATE_A", "CANDIDATE_B"].contains(&promoted[0]));
        assert_eq!(status(&source, &old.experiment_id).await, "archived");
        // Another target's promotion is untouched.
        assert_eq!(
            status(&source, &other_target.experiment_id).await,
            "promoted"
        );
        // The audit trail agrees with the table: the winner's promotion is
        // recorded, and every experiment now archived has its archive event.
        let events = source.experiment_events(None).await.unwrap();
        for row in source.experiments().await.unwrap() {
            let trail: Vec<&str> = events
                .iter()
                .filter(|event| event.experiment_id == row.experiment_id)
                .map(|event| event.to_status.as_str())
                .collect();
            assert_eq!(
                trail.last().copied(),
                Some(row.status.as_str()),
                "{}: {trail:?}",
                row.experiment_name
            );
        }
        // A loser, if any, was told it lost.
        for outcome in [&first, &second] {
            if let Err(error) = outcome {
                // Its precondition (the status, or what its plan archives)
                // no longer held: nothing written, and it says why.
                let message = error.to_string();
                assert!(
                    message.contains("someone else changed it")
                        || message.contains("changed since the promotion was planned"),
                    "{error:#}"
                );
            }
        }
    });
}
