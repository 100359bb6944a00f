//! Registry changes on the emulator through the binary. Two processes
//! promote two different experiments for the same target at
//! the same instant, 20 times over, on the emulator: every promotion runs
//! its plan (what it archives) in one statement whose preconditions are the
//! plan, re-plans when the other got there first, and writes exactly the
//! events of its changes. Each experiment's audit chain must be its status
//! history: no event twice, none false, the last one its status. Rollback
//! and approval give the same events as on the embedded store.

#[path = "common/emulator.rs"]
mod emulator;

use courtside::model::rows::{ExperimentEvent, ExperimentRow};
use courtside::registry::lifecycle::Status;
use courtside::source::Source;
use emulator::{at, runtime};
use serde_json::json;
use std::process::{Command, Stdio};

const ROUNDS: usize = 20;

fn experiment(name: &str, status: Status, target: &str) -> ExperimentRow {
    ExperimentRow {
        experiment_id: uuid::Uuid::new_v4().to_string(),
        experiment_name: name.to_string(),
        hypothesis: None,
        experiment_type: "walk_forward".to_string(),
        tags: Vec::new(),
        config_json: json!({ "target_system": target }),
        train_period: None,
        eval_period: None,
        results_json: Some(json!({"overall": {"hit_rate": 0.57, "samples": 900}})),
        model_path: None,
        git_commit: Some("0123456789abcdef".to_string()),
        parent_experiment_id: None,
        status,
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

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn two_processes_promoting_at_once_leave_an_exact_audit_trail_20_times() {
    let runtime = runtime();
    let (config, source) = runtime.block_on(emulator::fresh("race2"));
    let dir = tempfile::tempdir().unwrap();
    let config_path = emulator::write_config(&config, dir.path(), "bq.yaml");
    let mut both_won = 0;
    let mut replanned = 0;
    for round in 0..ROUNDS {
        // Each round its own target, so rounds never meet.
        let target = format!("race_target_{round}");
        let old = experiment(&format!("OLD_{round}"), Status::Promoted, &target);
        let a = experiment(&format!("A_{round}"), Status::Completed, &target);
        let b = experiment(&format!("B_{round}"), Status::Completed, &target);
        runtime.block_on(async {
            for row in [&old, &a, &b] {
                source
                    .register_experiment(row, &registered(row))
                    .await
                    .unwrap();
            }
        });
        let spawn = |id: &str| {
            Command::new(env!("CARGO_BIN_EXE_courtside"))
                .args(["--config", config_path.to_str().unwrap()])
                .args(["exp", "promote", id, "--force"])
                .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
                .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
                .env("COURTSIDE_ACTOR", "racer")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run courtside")
        };
        let (first, second) = (spawn(&a.experiment_id), spawn(&b.experiment_id));
        let outputs = [first, second].map(|child| child.wait_with_output().unwrap());
        for output in &outputs {
            // Both succeed: the later one re-plans and archives the earlier.
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        both_won += 1;
        if outputs
            .iter()
            .any(|o| String::from_utf8_lossy(&o.stderr).contains("planned again"))
        {
            replanned += 1;
        }
        let (rows, events) = runtime.block_on(async {
            (
                source.experiments().await.unwrap(),
                source.experiment_events(None).await.unwrap(),
            )
        });
        let mine: Vec<&ExperimentRow> = rows
            .iter()
            .filter(|row| row.config_json["target_system"] == target.as_str())
            .collect();
        let promoted: Vec<&str> = mine
            .iter()
            .filter(|row| row.status == Status::Promoted)
            .map(|row| row.experiment_name.as_str())
            .collect();
        assert_eq!(promoted.len(), 1, "round {round}: {promoted:?}");
        for row in &mine {
            let trail: Vec<&ExperimentEvent> = events
                .iter()
                .filter(|event| event.experiment_id == row.experiment_id)
                .collect();
            // A chain: registered, then each event from where the last left.
            assert_eq!(trail[0].from_status, None, "round {round}");
            for pair in trail.windows(2) {
                assert_eq!(
                    pair[1].from_status.as_deref(),
                    Some(pair[0].to_status.as_str()),
                    "round {round} {}: {trail:#?}",
                    row.experiment_name
                );
            }
            assert_eq!(
                trail.last().unwrap().to_status,
                row.status.as_str(),
                "round {round} {}: {trail:#?}",
                row.experiment_name
            );
            // No change recorded twice (a status is entered at most once here).
            let mut entered: Vec<&str> = trail.iter().map(|e| e.to_status.as_str()).collect();
            entered.sort();
            let before = entered.len();
            entered.dedup();
            assert_eq!(entered.len(), before, "round {round}: {trail:#?}");
        }
        // The old one and the first winner are archived, each by exactly
        // one event; the second winner holds the target.
        let archived = mine
            .iter()
            .filter(|row| row.status == Status::Archived)
            .count();
        assert_eq!(archived, 2, "round {round}");
    }
    assert_eq!(both_won, ROUNDS);
    // How often the two really met (timing decides; printed for the record).
    println!(
        "{replanned} of {ROUNDS} rounds: the second promotion found the first and planned again"
    );
}

/// Rollback and approval through the binary on the emulator, as on the
/// embedded store (tests/exp_workflows.rs): the same plans, the same events.
#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn rollback_and_approval_through_bigquery() {
    let runtime = runtime();
    let (config, source) = runtime.block_on(emulator::fresh("rollback"));
    let dir = tempfile::tempdir().unwrap();
    let plain = emulator::write_config(&config, dir.path(), "bq.yaml");
    let mut approving = config.clone();
    approving.promotion.require_approval = true;
    let approval = emulator::write_config(&approving, dir.path(), "approval.yaml");
    let (a, b, c) = (
        experiment("ROLL_A", Status::Completed, "catboost_v8"),
        experiment("ROLL_B", Status::Completed, "catboost_v8"),
        experiment("ROLL_C", Status::Completed, "catboost_v8"),
    );
    runtime.block_on(async {
        for row in [&a, &b, &c] {
            source
                .register_experiment(row, &registered(row))
                .await
                .unwrap();
        }
    });
    let run = |config: &std::path::Path, actor: &str, args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
            .args(["--config", config.to_str().unwrap()])
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
            .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
            .env("COURTSIDE_ACTOR", actor)
            .env_remove("COURTSIDE_SLACK_WEBHOOK")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    for name in ["ROLL_A", "ROLL_B"] {
        let (ok, err) = run(&plain, "ops", &["exp", "promote", name, "--force"]);
        assert!(ok, "{err}");
    }
    let (ok, err) = run(
        &plain,
        "ops",
        &["exp", "rollback", "--system", "catboost_v8", "--force"],
    );
    assert!(ok, "{err}");
    let status = |id: &str| {
        runtime.block_on(async {
            source
                .experiments()
                .await
                .unwrap()
                .into_iter()
                .find(|row| row.experiment_id == id)
                .unwrap()
                .status
        })
    };
    assert_eq!(status(&a.experiment_id), Status::Promoted);
    assert_eq!(status(&b.experiment_id), Status::Archived);
    let trail = |id: &str| -> Vec<String> {
        runtime.block_on(async {
            source
                .experiment_events(Some(id))
                .await
                .unwrap()
                .iter()
                .map(|e| {
                    format!(
                        "{}->{}",
                        e.from_status.as_deref().unwrap_or("-"),
                        e.to_status
                    )
                })
                .collect()
        })
    };
    assert_eq!(
        trail(&a.experiment_id),
        [
            "-->completed",
            "completed->promoted",
            "promoted->archived",
            "archived->promoted"
        ]
    );
    assert_eq!(
        trail(&b.experiment_id),
        ["-->completed", "completed->promoted", "promoted->archived"]
    );
    // Approval: the requester cannot approve; another actor can.
    let (ok, err) = run(&approval, "alice", &["exp", "promote", "ROLL_C", "--force"]);
    assert!(ok, "{err}");
    assert_eq!(
        status(&c.experiment_id),
        Status::Completed,
        "requested only"
    );
    let (ok, err) = run(&approval, "alice", &["exp", "approve", "ROLL_C"]);
    assert!(!ok && err.contains("another actor must approve"), "{err}");
    let (ok, err) = run(&approval, "bob", &["exp", "approve", "ROLL_C"]);
    assert!(ok, "{err}");
    assert_eq!(status(&c.experiment_id), Status::Promoted);
    assert_eq!(status(&a.experiment_id), Status::Archived);
    assert_eq!(
        trail(&c.experiment_id),
        [
            "-->completed",
            "completed->completed",
            "completed->promoted"
        ]
    );
}
