//! Registry changes through the embedded store: the whole lifecycle, refused
//! transitions, the status precondition, two promoters at once, and the
//! append-only audit trail.

use chrono::Utc;
use courtside::model::rows::{ExperimentEvent, ExperimentRow};
use courtside::registry::lifecycle::{Status, Transition, TransitionError};
use courtside::source::Source;
use courtside::source::embedded::EmbeddedStore;
use std::sync::Arc;

fn experiment(id: &str, status: &str) -> ExperimentRow {
    ExperimentRow {
        experiment_id: id.to_string(),
        experiment_name: id.to_uppercase(),
        hypothesis: None,
        experiment_type: "ablation".to_string(),
        tags: vec![],
        config_json: serde_json::json!({"target_system": "catboost_v8"}),
        train_period: None,
        eval_period: None,
        results_json: None,
        model_path: None,
        git_commit: None,
        parent_experiment_id: None,
        status: Status::from_stored(status).unwrap(),
        created_at: Utc::now(),
        completed_at: None,
        created_by: None,
    }
}

fn change(id: &str, from: Status, to: Status) -> Transition {
    Transition {
        experiment_id: id.to_string(),
        from,
        to,
        actor: "tester@example.com".to_string(),
        note: None,
        at: Utc::now(),
        target_system: Some("catboost_v8".to_string()),
        archive_note: (to == Status::Promoted)
            .then(|| courtside::registry::promotion::archive_note("catboost_v8", id)),
        archives: None,
        rollback: false,
        results_json: None,
        model_path: None,
    }
}

async fn store_with(rows: &[(&str, &str)]) -> (tempfile::TempDir, Arc<EmbeddedStore>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EmbeddedStore::open(&dir.path().join("r.sqlite")).unwrap());
    for (id, status) in rows {
        let event = ExperimentEvent {
            experiment_id: id.to_string(),
            at: Utc::now(),
            actor: Some("tester".to_string()),
            from_status: None,
            to_status: status.to_string(),
            note: None,
        };
        store
            .register_experiment(&experiment(id, status), &event)
            .await
            .unwrap();
    }
    (dir, store)
}

async fn status_of(store: &EmbeddedStore, id: &str) -> String {
    let experiments = store.experiments().await.unwrap();
    experiments
        .iter()
        .find(|e| e.experiment_id == id)
        .unwrap()
        .status
        .to_string()
}

#[tokio::test]
async fn the_whole_lifecycle_with_its_audit_trail() {
    let (_dir, store) = store_with(&[("e1", "pending")]).await;
    for (from, to) in [
        (Status::Pending, Status::Running),
        (Status::Running, Status::Completed),
        (Status::Completed, Status::Promoted),
        (Status::Promoted, Status::Archived),
    ] {
        store
            .apply_transition(&change("e1", from, to), "catboost_v8")
            .await
            .unwrap();
        assert_eq!(status_of(&store, "e1").await, to.as_str());
    }
    let events = store.experiment_events(Some("e1")).await.unwrap();
    let path: Vec<&str> = events.iter().map(|e| e.to_status.as_str()).collect();
    assert_eq!(
        path,
        ["pending", "running", "completed", "promoted", "archived"]
    );
    assert!(
        events
            .iter()
            .skip(1)
            .all(|e| e.actor.as_deref() == Some("tester@example.com"))
    );
}

#[tokio::test]
async fn forbidden_transitions_are_refused_and_write_nothing() {
    let (_dir, store) = store_with(&[("e1", "pending"), ("e2", "failed")]).await;
    for (id, from, to) in [
        ("e1", Status::Pending, Status::Completed),
        ("e1", Status::Pending, Status::Promoted),
        ("e1", Status::Pending, Status::Archived),
        ("e2", Status::Failed, Status::Running),
        ("e2", Status::Failed, Status::Promoted),
    ] {
        let error = store
            .apply_transition(&change(id, from, to), "catboost_v8")
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.downcast_ref::<TransitionError>(),
                Some(TransitionError::NotAllowed { .. })
            ),
            "{error}"
        );
    }
    assert_eq!(
        store.experiment_events(None).await.unwrap().len(),
        2,
        "only the registrations"
    );
    assert_eq!(status_of(&store, "e1").await, "pending");
}

#[tokio::test]
async fn a_stale_status_fails_clearly_and_writes_nothing() {
    let (_dir, store) = store_with(&[("e1", "running")]).await;
    // The user saw `pending`; someone already started it.
    let error = store
        .apply_transition(
            &change("e1", Status::Pending, Status::Running),
            "catboost_v8",
        )
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("now running, not pending") && message.contains("nothing was written"),
        "{message}"
    );
    assert_eq!(store.experiment_events(Some("e1")).await.unwrap().len(), 1);
    let missing = store
        .apply_transition(
            &change("nope", Status::Pending, Status::Running),
            "catboost_v8",
        )
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("no experiment with id nope"));
}

#[tokio::test]
async fn two_promoters_at_once_leave_exactly_one_promoted() {
    let (_dir, store) =
        store_with(&[("old", "promoted"), ("a", "completed"), ("b", "completed")]).await;
    let first = {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .apply_transition(
                    &change("a", Status::Completed, Status::Promoted),
                    "catboost_v8",
                )
                .await
        })
    };
    let second = {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .apply_transition(
                    &change("b", Status::Completed, Status::Promoted),
                    "catboost_v8",
                )
                .await
        })
    };
    first.await.unwrap().unwrap();
    second.await.unwrap().unwrap();
    let experiments = store.experiments().await.unwrap();
    let promoted: Vec<&str> = experiments
        .iter()
        .filter(|e| e.status == "promoted")
        .map(|e| e.experiment_id.as_str())
        .collect();
    assert_eq!(promoted.len(), 1, "{promoted:?}");
    let events = store.experiment_events(None).await.unwrap();
    let promotions = events
        .iter()
        .filter(|e| e.to_status == "promoted" && e.from_status.is_some())
        .count();
    assert_eq!(promotions, 2, "both promotions are in the audit trail");
    let archived_by_promotion = events
        .iter()
        .filter(|e| e.from_status.as_deref() == Some("promoted") && e.to_status == "archived")
        .count();
    assert_eq!(archived_by_promotion, 2, "old, then the first winner");
}

#[tokio::test]
async fn the_audit_trail_is_append_only() {
    let (_dir, store) = store_with(&[("e1", "pending")]).await;
    let connection = store.connect().unwrap();
    let update = connection.execute("UPDATE ml_experiment_events SET note = 'edited'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = connection.execute("DELETE FROM ml_experiment_events", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(store.experiment_events(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_promotion_whose_plan_went_stale_writes_nothing_and_the_service_plans_again() {
    let (_dir, store) =
        store_with(&[("old", "promoted"), ("a", "completed"), ("b", "completed")]).await;
    // A plan made when `old` was promoted...
    let mut stale = change("a", Status::Completed, Status::Promoted);
    stale.archives = Some(vec!["old".to_string()]);
    // ...while someone else promotes `b` (archiving `old`).
    store
        .apply_transition(
            &change("b", Status::Completed, Status::Promoted),
            "catboost_v8",
        )
        .await
        .unwrap();
    let events_before = store.experiment_events(None).await.unwrap().len();
    let error = store
        .apply_transition(&stale, "catboost_v8")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.downcast_ref::<TransitionError>(),
            Some(TransitionError::StalePlan { promoted, .. }) if promoted == &["b".to_string()]
        ),
        "{error:#}"
    );
    assert_eq!(status_of(&store, "a").await, "completed", "nothing written");
    assert_eq!(
        store.experiment_events(None).await.unwrap().len(),
        events_before
    );
    // The service plans again from the registry as it is and archives `b`.
    let thresholds = courtside::config::Thresholds::default();
    let judging = courtside::service::comparisons::Judging {
        thresholds: &thresholds,
        margin_pp: 1.0,
    };
    let promoted = courtside::service::promote::promote(
        store.as_ref(),
        "a",
        None,
        true,
        "catboost_v8",
        judging,
    )
    .await
    .unwrap();
    assert_eq!(promoted.archived, vec!["b".to_string()]);
    assert_eq!(status_of(&store, "a").await, "promoted");
    assert_eq!(status_of(&store, "b").await, "archived");
}

/// Backtest rows for `id` on 600 keys: a hit on every key for `good`, on
/// every other key otherwise.
fn backtest(store: &EmbeddedStore, id: &str, good: bool) {
    use courtside::model::rows::BacktestRow;
    use courtside::source::embedded::StoreWriter;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let rows: Vec<BacktestRow> = (0..600)
        .map(|i| {
            let hit = good || i % 2 == 0;
            BacktestRow {
                experiment_id: id.to_string(),
                player_lookup: format!("p{i}"),
                game_id: format!("g{}", i / 10),
                game_date: day + chrono::Days::new(i / 30),
                predicted_points: Some(25.0),
                line_value: Some(20.5),
                // Half written back as real lines later (the team's vocabulary).
                line_source: Some(
                    if i % 2 == 0 {
                        "VEGAS_BACKFILL"
                    } else {
                        "ACTUAL_PROP"
                    }
                    .to_string(),
                ),
                actual_points: Some(if hit { 24 } else { 18 }),
                recommendation: Some("OVER".to_string()),
                prediction_correct: Some(hit),
            }
        })
        .collect();
    let mut connection = store.connect().unwrap();
    let transaction = connection.transaction().unwrap();
    StoreWriter::new(&transaction).backtest_rows(&rows).unwrap();
    transaction.commit().unwrap();
}

#[tokio::test]
async fn a_challenger_worse_than_the_promoted_on_shared_backtest_rows_needs_force() {
    let (_dir, store) = store_with(&[("champion", "promoted"), ("challenger", "completed")]).await;
    backtest(&store, "champion", true);
    backtest(&store, "challenger", false);
    // Same keys: the same population, so the fingerprints match.
    let fingerprints = store
        .backtest_fingerprints(&Default::default())
        .await
        .unwrap();
    assert_eq!(fingerprints.len(), 2);
    assert_eq!(fingerprints[0].keys, fingerprints[1].keys);
    assert_eq!((fingerprints[0].rows, fingerprints[0].dates), (600, 20));
    // Every row is a real line by the default line_sources; a mapping that
    // lists ACTUAL_PROP only counts half.
    assert_eq!(fingerprints[0].actual_line_share, Some(1.0));
    let only_actual_prop = courtside::model::LineSources {
        actual: vec!["ACTUAL_PROP".to_string()],
        ..Default::default()
    };
    let narrow = store
        .backtest_fingerprints(&only_actual_prop)
        .await
        .unwrap();
    assert_eq!(narrow[0].actual_line_share, Some(0.5));
    let thresholds = courtside::config::Thresholds::default();
    let judging = courtside::service::comparisons::Judging {
        thresholds: &thresholds,
        margin_pp: 1.0,
    };
    let refused = courtside::service::promote::promote(
        store.as_ref(),
        "challenger",
        None,
        false,
        "catboost_v8",
        judging,
    )
    .await
    .expect_err("refused without --force")
    .to_string();
    assert!(
        refused.contains("worse than the promoted CHAMPION on 600 shared backtest bets"),
        "{refused}"
    );
    assert_eq!(status_of(&store, "challenger").await, "completed");
    courtside::service::promote::promote(
        store.as_ref(),
        "challenger",
        None,
        true,
        "catboost_v8",
        judging,
    )
    .await
    .unwrap();
    let events = store.experiment_events(Some("challenger")).await.unwrap();
    let note = events.last().unwrap().note.clone().unwrap_or_default();
    assert!(
        note.contains("forced past:") && note.contains("worse than the promoted"),
        "{note}"
    );
}
