//! Persisted diagnostics read back through the `Source` trait, including the
//! team's legacy rows (upper-case vocabulary, plain-string factors, no system).

use chrono::NaiveDate;
use courtside::model::vocab::Read;
use courtside::model::{AlertLevel, DriftSeverity, SharpnessStatus};
use courtside::source::Source;
use courtside::source::embedded::EmbeddedStore;

#[tokio::test]
async fn legacy_rows_read_as_the_production_system_with_their_old_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("h.sqlite")).unwrap();
    let connection = store.connect().unwrap();
    connection
        .execute(
            "INSERT INTO performance_diagnostics_daily (game_date, computed_at, sharpness_status,
               drift_severity, bias_direction, primary_cause, contributing_factors,
               alert_triggered, alert_level, alert_message, model_beats_vegas_pct)
             VALUES ('2026-01-20', '2026-01-21 08:00:00', 'VERY_SHARP', 'HIGH', 'OVER',
               'VEGAS_SHARP', '[\"Vegas MAE down 12%\", \"hit rate 48%\"]', 1, 'WARNING',
               'Vegas sharper', 43.5)",
            [],
        )
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
    let rows = store
        .diagnostics_history(day, day, Some("catboost_v8"), "catboost_v8")
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.system_id.as_deref(), Some("catboost_v8"));
    let status = Read::from_text(
        row.sharpness_status.as_deref().unwrap(),
        SharpnessStatus::parse,
    );
    assert_eq!(status.known(), Some(SharpnessStatus::RazorSharp));
    let severity = Read::from_text(row.drift_severity.as_deref().unwrap(), DriftSeverity::parse);
    assert_eq!(severity.known(), Some(DriftSeverity::Moderate));
    assert_eq!(
        AlertLevel::parse(&row.alert_level),
        Some(AlertLevel::Warning)
    );
    let factors = row
        .contributing_factors
        .as_ref()
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(factors[0], "Vegas MAE down 12%");
    // Another system's history does not include the legacy row.
    let other = store
        .diagnostics_history(day, day, Some("xgboost_v7"), "catboost_v8")
        .await
        .unwrap();
    assert!(other.is_empty());
}

#[tokio::test]
async fn the_data_version_changes_with_a_write_and_only_then() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("v.sqlite")).unwrap();
    let first = store.data_version().await.unwrap();
    assert!(first.is_some());
    assert_eq!(
        store.data_version().await.unwrap(),
        first,
        "reading changes nothing"
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    store
        .connect()
        .unwrap()
        .execute(
            "INSERT INTO courtside_meta (key, value) VALUES ('probe', 'x')",
            [],
        )
        .unwrap();
    assert_ne!(store.data_version().await.unwrap(), first);
}
