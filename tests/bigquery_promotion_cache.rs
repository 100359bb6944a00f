//! The registry read behind the since-promotion marks is kept on BigQuery:
//! every fetch asks for it (each `watch` round, each dashboard load), so a
//! second ask within the TTL sends no query, and a registry write through
//! the same source forgets it, so the next ask reads afresh.

#[path = "common/emulator.rs"]
mod emulator;

use courtside::model::rows::ExperimentEvent;
use courtside::source::Source;
use courtside::source::bigquery::BigQuerySource;

/// The queries sent so far that read `ml_experiments`.
fn registry_reads(source: &BigQuerySource) -> usize {
    let stats = source.stats();
    let log = stats.log.lock().unwrap();
    log.iter()
        .filter(|query| query.tables.contains("ml_experiments") && !query.dry_run)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
async fn the_promotion_history_is_read_once_and_again_after_a_registry_write() {
    let (config, source) = emulator::fresh("promotions").await;
    let thresholds = &config.thresholds;
    let before = registry_reads(&source);
    courtside::service::promotion_marks(&source, thresholds).await;
    let first = registry_reads(&source);
    assert_eq!(first - before, 1, "nothing promoted: the rows only");
    for _ in 0..3 {
        courtside::service::promotion_marks(&source, thresholds).await;
    }
    assert_eq!(registry_reads(&source), first, "kept: no query");

    // A write of the registry through this source forgets what was kept
    // (whether or not the write is taken).
    let _ = source
        .append_event(&ExperimentEvent {
            experiment_id: "no-such-experiment".into(),
            at: chrono::Utc::now(),
            actor: Some("alice".into()),
            from_status: Some("completed".into()),
            to_status: "archived".into(),
            note: None,
        })
        .await;
    let after_write = registry_reads(&source);
    courtside::service::promotion_marks(&source, thresholds).await;
    assert_eq!(registry_reads(&source), after_write + 1, "read afresh");
}
