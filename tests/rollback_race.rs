//! A rollback is carried out as planned or not at all, on the embedded
//! store through the library: planned as "promote P again, archive C", then
//! the registry moves under it (X promoted meanwhile, or P promoted again by
//! someone else) before it is applied. It must stop, say how the promoted
//! experiment changed, and write nothing; never plan again and promote
//! again the experiment it was rolling back. The store's own precondition
//! (the plan's archives, P still archived) refuses the stale plan too.

use chrono::Utc;
use courtside::config::Thresholds;
use courtside::model::rows::{ExperimentEvent, ExperimentRow};
use courtside::registry::lifecycle::{Status, TransitionError};
use courtside::registry::promotion::{self, PromotionPlan};
use courtside::registry::rollback;
use courtside::service::comparisons::Judging;
use courtside::service::promote;
use courtside::source::Source;
use courtside::source::embedded::EmbeddedStore;

const TARGET: &str = "catboost_v8";

fn experiment(id: &str) -> ExperimentRow {
    ExperimentRow {
        experiment_id: id.to_string(),
        experiment_name: id.to_uppercase(),
        hypothesis: None,
        experiment_type: "walk_forward".to_string(),
        tags: Vec::new(),
        config_json: serde_json::json!({ "target_system": TARGET }),
        train_period: None,
        eval_period: None,
        results_json: Some(serde_json::json!({"overall": {"hit_rate": 0.57, "samples": 900}})),
        model_path: None,
        git_commit: Some("0123456789abcdef".to_string()),
        parent_experiment_id: None,
        status: Status::Completed,
        created_at: Utc::now(),
        completed_at: None,
        created_by: Some("tester".to_string()),
    }
}

/// A store with P, C and X completed, P promoted and then replaced by C.
async fn store() -> (tempfile::TempDir, EmbeddedStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("r.sqlite")).unwrap();
    for id in ["p", "c", "x"] {
        let row = experiment(id);
        let event = ExperimentEvent {
            experiment_id: row.experiment_id.clone(),
            at: row.created_at,
            actor: Some("tester".to_string()),
            from_status: None,
            to_status: "completed".to_string(),
            note: Some("registered".to_string()),
        };
        store.register_experiment(&row, &event).await.unwrap();
    }
    promote_as(&store, "p", "ops").await;
    promote_as(&store, "c", "ops").await;
    (dir, store)
}

/// Promotes `id` through its plan, as `actor`, forced.
async fn promote_as(store: &EmbeddedStore, id: &str, actor: &str) {
    let rows = store.experiments().await.unwrap();
    let row = rows.iter().find(|row| row.experiment_id == id).unwrap();
    let plan = promotion::plan(&rows, row, TARGET, &Thresholds::default()).unwrap();
    let change = plan
        .transition(actor.to_string(), Utc::now(), None, true)
        .unwrap();
    store.apply_transition(&change, TARGET).await.unwrap();
}

/// Every status and every event: what "nothing was written" compares.
async fn everything(store: &EmbeddedStore) -> (Vec<(String, Status)>, Vec<ExperimentEvent>) {
    let mut statuses: Vec<(String, Status)> = store
        .experiments()
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.experiment_id, row.status))
        .collect();
    statuses.sort();
    (statuses, store.experiment_events(None).await.unwrap())
}

async fn plan_rollback(store: &EmbeddedStore) -> PromotionPlan {
    let rows = store.experiments().await.unwrap();
    let events = store.experiment_events(None).await.unwrap();
    let plan = rollback::rollback_plan(&rows, &events, TARGET, TARGET, &Thresholds::default())
        .expect("a rollback plan");
    assert_eq!(plan.experiment_id, "p");
    assert_eq!(plan.archive_names(), ["C"]);
    plan
}

async fn apply(store: &EmbeddedStore, plan: &PromotionPlan, actor: &str) -> anyhow::Result<()> {
    let thresholds = Thresholds::default();
    let judging = Judging {
        thresholds: &thresholds,
        margin_pp: 1.0,
    };
    promote::apply_rollback(
        store,
        plan.clone(),
        actor.to_string(),
        None,
        true,
        TARGET,
        judging,
    )
    .await
    .map(|_| ())
}

#[tokio::test]
async fn a_rollback_whose_promoted_experiment_changed_stops_and_writes_nothing() {
    let (_dir, store) = store().await;
    let plan = plan_rollback(&store).await;
    // X is promoted (archiving C) before the rollback is applied.
    promote_as(&store, "x", "carol").await;
    let before = everything(&store).await;
    let error = apply(&store, &plan, "dave")
        .await
        .expect_err("the stale rollback is refused");
    assert_eq!(
        error.to_string(),
        "the promoted experiment for catboost_v8 changed from C to X since the rollback was planned; nothing was written"
    );
    let after = everything(&store).await;
    assert_eq!(after, before, "nothing was written");
    let status = |id: &str| after.0.iter().find(|(i, _)| i == id).unwrap().1;
    assert_eq!(status("x"), Status::Promoted, "X stays promoted");
    assert_eq!(status("c"), Status::Archived);
    assert_eq!(status("p"), Status::Archived, "P is not promoted again");
}

#[tokio::test]
async fn a_rollback_someone_else_already_carried_out_is_not_carried_out_twice() {
    let (_dir, store) = store().await;
    let plan = plan_rollback(&store).await;
    // Another rollback of the same plan goes through first.
    apply(&store, &plan, "erin")
        .await
        .expect("the first rollback");
    let before = everything(&store).await;
    let error = apply(&store, &plan, "dave")
        .await
        .expect_err("the second is refused");
    assert_eq!(
        error.to_string(),
        "the promoted experiment for catboost_v8 changed from C to P since the rollback was planned; nothing was written"
    );
    assert_eq!(everything(&store).await, before, "nothing was written");
}

#[tokio::test]
async fn the_store_refuses_a_stale_rollback_plan_by_its_precondition() {
    let (_dir, store) = store().await;
    let plan = plan_rollback(&store).await;
    promote_as(&store, "x", "carol").await;
    let before = everything(&store).await;
    // The transition itself carries the plan: archive exactly C, from archived.
    let change = plan
        .transition("dave".to_string(), Utc::now(), Some("rollback"), true)
        .unwrap();
    assert_eq!(change.archives, Some(vec!["c".to_string()]));
    assert_eq!(change.from, Status::Archived);
    let refused = store
        .apply_transition(&change, TARGET)
        .await
        .expect_err("refused by the store");
    assert!(
        matches!(
            refused.downcast_ref::<TransitionError>(),
            Some(TransitionError::StalePlan { .. })
        ),
        "{refused:#}"
    );
    assert_eq!(everything(&store).await, before, "nothing was written");
}
