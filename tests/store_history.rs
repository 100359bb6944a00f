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

#[tokio::test]
async fn persisting_the_production_system_replaces_its_legacy_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("l.sqlite")).unwrap();
    let legacy = |date: &str| {
        format!(
            "INSERT INTO performance_diagnostics_daily (game_date, computed_at, alert_triggered,
               alert_level, model_beats_vegas_pct)
             VALUES ('{date}', '2026-01-21 08:00:00', 1, 'WARNING', 43.5)"
        )
    };
    let connection = store.connect().unwrap();
    connection.execute(&legacy("2026-01-20"), []).unwrap();
    connection.execute(&legacy("2026-01-22"), []).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
    let mut row = store
        .diagnostics_history(day, day, None, "catboost_v8")
        .await
        .unwrap()
        .remove(0);
    row.computed_at = "2026-02-01T00:00:00Z".parse().unwrap();
    row.alert_level = "healthy".to_string();
    row.model_beats_vegas_pct = Some(55.0);
    // Another system's row on that date leaves the legacy row alone.
    let mut other = row.clone();
    other.system_id = Some("xgboost_v7".to_string());
    store
        .persist_diagnostics(&[row.clone(), other], "catboost_v8")
        .await
        .unwrap();
    let stored: Vec<(String, Option<String>)> = {
        let mut statement = connection
            .prepare(
                "SELECT game_date, system_id FROM performance_diagnostics_daily
                 ORDER BY game_date, system_id",
            )
            .unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        stored,
        [
            ("2026-01-20".to_string(), Some("catboost_v8".to_string())),
            ("2026-01-20".to_string(), Some("xgboost_v7".to_string())),
            // Another date's legacy row stays.
            ("2026-01-22".to_string(), None),
        ]
    );
    let to = NaiveDate::from_ymd_opt(2026, 1, 22).unwrap();
    let shown = courtside::service::history(&store, day, to, Some("catboost_v8"), "catboost_v8")
        .await
        .unwrap();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert_eq!(shown[0].alert_level, "healthy");
}

#[test]
fn history_shows_one_row_per_date_and_system_the_latest_computed() {
    use courtside::model::diagnostics::DiagnosticsRow;
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("d.sqlite")).unwrap();
    // Two rows for one (date, system), as a legacy row read as the production
    // system's and that system's own row left by an older writer.
    let connection = store.connect().unwrap();
    for (at, level, system) in [
        ("2026-01-21 08:00:00", "WARNING", "NULL"),
        ("2026-01-25 08:00:00", "healthy", "'catboost_v8'"),
    ] {
        connection
            .execute(
                &format!(
                    "INSERT INTO performance_diagnostics_daily (game_date, computed_at,
                       alert_triggered, alert_level, system_id)
                     VALUES ('2026-01-20', '{at}', 0, '{level}', {system})"
                ),
                [],
            )
            .unwrap();
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
    let raw = runtime
        .block_on(store.diagnostics_history(day, day, None, "catboost_v8"))
        .unwrap();
    assert_eq!(raw.len(), 2);
    let shown: Vec<DiagnosticsRow> = courtside::service::one_per_date_and_system(raw);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].alert_level, "healthy");
}
