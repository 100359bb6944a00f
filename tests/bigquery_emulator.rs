//! The BigQuery source against the emulator: the team's legacy diagnostics
//! rows, idempotent persistence, hostile values as data, and faults (an
//! invalid query, the emulator going away mid-session). The registry's
//! lifecycle and concurrent promotions are in `bigquery_registry.rs`.

#[path = "common/mod.rs"]
mod common;
#[path = "common/emulator.rs"]
mod emulator;

use courtside::config::{Config, Positive};
use courtside::model::diagnostics::DiagnosticsRow;
use courtside::model::vocab::Read;
use courtside::model::{AlertLevel, DriftSeverity, SharpnessStatus};
use courtside::source::bigquery::params::Params;
use courtside::source::bigquery::{BigQuerySource, RetryPolicy};
use courtside::source::{DayStatsQuery, Source};
use courtside::transfer::tables::TableKind;
use courtside::tui::action::{Action, Fetch, Payload};
use emulator::{HOSTILE, at, date, runtime};
use serde_json::{Value, json};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn the_teams_legacy_rows_are_read_and_shown() {
    let runtime = runtime();
    let (config, source) = runtime.block_on(emulator::fresh("legacy"));
    let table = format!("`{}`", config.tables.diagnostics.qualified());
    runtime.block_on(async {
        // Written by the team's old job: upper case, plain-string factors, no system_id.
        let mut params = Params::new();
        params
            .string("factors", Some(r#"["Vegas MAE down 12%", "hit rate 48%"]"#))
            .string("unknown", Some("COSMIC_RAYS"));
        source
            .execute(
                &format!(
                    "INSERT INTO {table} (game_date, computed_at, sharpness_status, drift_severity,
                       bias_direction, primary_cause, contributing_factors, alert_triggered,
                       alert_level, alert_message, model_beats_vegas_pct)
                     VALUES (DATE '2026-01-20', TIMESTAMP '2026-01-21 08:00:00+00', 'VERY_SHARP',
                       'HIGH', 'OVER', 'VEGAS_SHARP', PARSE_JSON(@factors), TRUE, 'WARNING',
                       'Vegas sharper', 43.5),
                       (DATE '2026-01-21', TIMESTAMP '2026-01-22 08:00:00+00', 'NO_DATA', 'LOW',
                       'neutral', @unknown, NULL, FALSE, 'OK', NULL, NULL)"
                ),
                params,
            )
            .await
            .unwrap();
    });
    let rows = runtime
        .block_on(source.diagnostics_history(
            date("2026-01-20"),
            date("2026-01-21"),
            Some("catboost_v8"),
            "catboost_v8",
        ))
        .unwrap();
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(first.system_id.as_deref(), Some("catboost_v8"));
    assert_eq!(
        Read::from_text(
            first.sharpness_status.as_deref().unwrap(),
            SharpnessStatus::parse
        )
        .known(),
        Some(SharpnessStatus::RazorSharp)
    );
    assert_eq!(
        Read::from_text(
            first.drift_severity.as_deref().unwrap(),
            DriftSeverity::parse
        )
        .known(),
        Some(DriftSeverity::Moderate)
    );
    assert_eq!(
        AlertLevel::parse(&first.alert_level),
        Some(AlertLevel::Warning)
    );
    assert_eq!(
        first.contributing_factors,
        Some(json!(["Vegas MAE down 12%", "hit rate 48%"]))
    );
    assert_eq!(first.model_beats_vegas_pct, Some(43.5));
    // Another system's history does not include the legacy rows.
    let other = runtime
        .block_on(source.diagnostics_history(
            date("2026-01-20"),
            date("2026-01-21"),
            Some("xgboost_v7"),
            "catboost_v8",
        ))
        .unwrap();
    assert!(other.is_empty());

    // And `courtside history` shows them in today's vocabulary.
    let dir = tempfile::tempdir().unwrap();
    let config_path = emulator::write_config(&config, dir.path(), "bq.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_courtside"))
        .arg("--config")
        .arg(&config_path)
        .args(["history", "--from", "2026-01-20", "--to", "2026-01-21"])
        .env("COURTSIDE_DATA_DIR", dir.path().join("data"))
        .env("COURTSIDE_CONFIG_DIR", dir.path().join("config"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("2026-01-20 catboost_v8 ! warning"),
        "{stdout}"
    );
    for expected in [
        "cause vegas_sharpness",
        "sharpness razor_sharp",
        "drift moderate",
        "bias over",
        "beats-vegas 43.5%",
        "Vegas MAE down 12%; hit rate 48%",
    ] {
        assert!(lines[0].contains(expected), "{expected} in {}", lines[0]);
    }
    // The row says `ok` but holds no hit rate: nothing measured is never
    // healthy (metrics.md section 8), so it reads as unknown.
    assert!(
        lines[1].contains("? unknown") && lines[1].contains("sharpness —"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("COSMIC_RAYS?") && lines[1].contains("unknown values in primary_cause"),
        "{}",
        lines[1]
    );

    // Persisting the production system on 2026-01-20 replaces the legacy
    // row of that date in the same MERGE; the other date's stays.
    let mut ours = rows[0].clone();
    ours.alert_level = "healthy".to_string();
    ours.computed_at = at(9);
    runtime
        .block_on(source.persist_diagnostics(&[ours], "catboost_v8"))
        .unwrap();
    let after = runtime
        .block_on(source.diagnostics_history(
            date("2026-01-20"),
            date("2026-01-21"),
            Some("catboost_v8"),
            "catboost_v8",
        ))
        .unwrap();
    let levels: Vec<(chrono::NaiveDate, &str)> = after
        .iter()
        .map(|row| (row.game_date, row.alert_level.as_str()))
        .collect();
    assert_eq!(
        levels,
        [(date("2026-01-20"), "healthy"), (date("2026-01-21"), "OK")],
        "one row per (date, system)"
    );
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn persisting_twice_replaces_the_row_for_the_date_and_system() {
    let runtime = runtime();
    let (_, source) = runtime.block_on(emulator::fresh("persist"));
    let row = |level: &str, beats: f64, system: &str| DiagnosticsRow {
        game_date: date("2026-04-12"),
        computed_at: at(9),
        vegas_mae_tier1: Some(4.1),
        vegas_mae_tier2: None,
        vegas_mae_tier3: None,
        model_beats_vegas_pct: Some(beats),
        sharpness_score: Some(61.0),
        sharpness_status: Some("normal".into()),
        hit_rate_7d: Some(55.2),
        hit_rate_14d: None,
        hit_rate_30d: None,
        model_mae: Some(4.8),
        model_mean_error: Some(-0.2),
        bias_direction: Some("neutral".into()),
        drift_score: Some(10.0),
        drift_severity: Some("none".into()),
        shot_zone_completeness: Some(97.5),
        predictions_made: Some(301),
        predictions_graded: Some(280),
        feature_quality_avg: Some(88.0),
        vegas_mae_baseline: None,
        hit_rate_baseline: None,
        sharpness_vs_baseline: None,
        primary_cause: Some("none".into()),
        cause_confidence: None,
        contributing_factors: Some(
            json!([{"factor": "model_drift", "contribution": 0.2, "details": HOSTILE}]),
        ),
        alert_triggered: level != "healthy",
        alert_level: level.into(),
        alert_message: Some(format!("it's {level}")),
        system_id: Some(system.into()),
        coverage: Some(0.93),
        missing_dates_7d: Some(1),
        cusum_stat: Some(1.25),
        cusum_threshold: Some(3.2),
        cusum_alarm: Some(false),
    };
    runtime.block_on(async {
        source
            .persist_diagnostics(&[row("healthy", 57.0, "catboost_v8")], "catboost_v8")
            .await
            .unwrap();
        source
            .persist_diagnostics(
                &[
                    row("warning", 44.0, "catboost_v8"),
                    row("info", 51.0, HOSTILE),
                ],
                "catboost_v8",
            )
            .await
            .unwrap();
    });
    let rows = runtime
        .block_on(source.diagnostics_history(
            date("2026-04-12"),
            date("2026-04-12"),
            None,
            "catboost_v8",
        ))
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let ours = rows
        .iter()
        .find(|r| r.system_id.as_deref() == Some("catboost_v8"))
        .unwrap();
    assert_eq!(ours.alert_level, "warning");
    assert_eq!(ours.model_beats_vegas_pct, Some(44.0));
    assert_eq!(ours.computed_at, at(9));
    // The Rev. 2 columns round-trip through the MERGE and the read.
    assert_eq!(
        (ours.coverage, ours.missing_dates_7d, ours.cusum_stat),
        (Some(0.93), Some(1), Some(1.25))
    );
    assert_eq!(
        (ours.cusum_threshold, ours.cusum_alarm),
        (Some(3.2), Some(false))
    );
    let hostile = rows
        .iter()
        .find(|r| r.system_id.as_deref() == Some(HOSTILE))
        .unwrap();
    assert_eq!(
        hostile.contributing_factors.as_ref().unwrap()[0]["details"],
        HOSTILE
    );
}

/// A TCP relay to the emulator that can be stopped: the emulator "goes away".
struct Relay {
    url: String,
    stopped: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

async fn relay(target: &str) -> Relay {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = target.trim_start_matches("http://").to_string();
    let stopped = Arc::new(AtomicBool::new(false));
    let flag = stopped.clone();
    let task = tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if flag.load(Ordering::SeqCst) {
                break;
            }
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    Relay { url, stopped, task }
}

impl Relay {
    fn stop(self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.task.abort();
    }
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn the_emulator_going_away_mid_session_is_retried_reported_and_keeps_the_last_good_data() {
    let dir = tempfile::tempdir().unwrap();
    let tail = emulator::demo_tail(dir.path(), "2026-04-01");
    let runtime = runtime();
    runtime.block_on(async {
        let (config, direct) = emulator::fresh("outage").await;
        for (table, rows) in &tail {
            direct.load(*table, rows).await.unwrap();
        }
        let relay = relay(&emulator::base_url()).await;
        let mut through: Config = config.clone();
        through.source.bigquery.base_url = Some(relay.url.clone());
        through.source.bigquery.timeout_secs = Positive(3);
        let source = BigQuerySource::connect(&through.source.bigquery, &through.tables)
            .await
            .unwrap()
            .with_retry(RetryPolicy {
                initial: Duration::from_millis(100),
                max: Duration::from_millis(400),
            });
        let stats = source.stats();

        // The dashboard loads through the relay...
        let (mut app, effects) = common::new_app();
        let selection = app.selection.clone();
        let thresholds = config.thresholds.clone();
        let good =
            courtside::tui::data::load_dashboard(&source, &selection, "catboost_v8", &thresholds)
                .await
                .expect("the first load works");
        assert!(good.diagnostics.has_data());
        app.update(Action::Loaded {
            what: Fetch::Dashboard,
            request: common::request_of(&effects, Fetch::Dashboard),
            at: common::now(),
            result: Ok(Payload::Dashboard(Box::new(good))),
        });
        let before = app.dashboard.data.clone();
        assert!(before.is_some());

        // ...then the emulator goes away.
        relay.stop();
        let requests_before = stats.snapshot().requests;
        let refresh = app.update(Action::Refresh);
        let error =
            courtside::tui::data::load_dashboard(&source, &selection, "catboost_v8", &thresholds)
                .await
                .unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("BigQuery unreachable"), "{message}");
        assert!(message.contains("attempts"), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(
            stats.snapshot().requests - requests_before >= 2,
            "retried: {:?}",
            stats.snapshot()
        );
        app.update(Action::Loaded {
            what: Fetch::Dashboard,
            request: common::request_of(&refresh, Fetch::Dashboard),
            at: common::now(),
            result: Err(message.clone()),
        });
        assert_eq!(app.dashboard.data, before, "the last good data stays");
        assert_eq!(app.dashboard.error.as_deref(), Some(message.as_str()));
    });
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn an_invalid_query_is_reported_once_and_never_retried() {
    let runtime = runtime();
    let (_, source) = runtime.block_on(emulator::fresh("invalid"));
    let stats = source.stats();
    let before = stats.snapshot().requests;
    let error = runtime
        .block_on(source.execute(
            "SELECT no_such_column FROM `nba_predictions.nope`",
            Params::new(),
        ))
        .unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("BigQuery"), "{message}");
    assert!(!message.contains("attempts"), "{message}");
    assert_eq!(
        stats.snapshot().requests - before,
        1,
        "one request, no retry"
    );
}

#[test]
#[ignore = "needs the BigQuery emulator: run scripts/test"]
fn hostile_system_ids_are_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut tail = emulator::demo_tail(dir.path(), "2026-04-10");
    // Rename one system to a hostile id.
    let (table, rows) = &mut tail[0];
    assert_eq!(*table, TableKind::PredictionAccuracy);
    let column = table.column_index("system_id").unwrap();
    for row in rows.iter_mut() {
        if row[column] == "xgboost_v7" {
            row[column] = Value::String(HOSTILE.to_string());
        }
    }
    let runtime = runtime();
    runtime.block_on(async {
        let (config, source) = emulator::fresh("hostile").await;
        let empty = source.data_version().await.unwrap();
        for (table, rows) in &tail {
            source.load(*table, rows).await.unwrap();
        }
        // A live refresh sees that the data changed.
        let loaded = source.data_version().await.unwrap();
        assert!(loaded.is_some() && loaded != empty, "{empty:?} {loaded:?}");
        assert_eq!(
            source.data_version().await.unwrap(),
            loaded,
            "stable while unchanged"
        );
        let systems = source.systems().await.unwrap();
        assert!(systems.iter().any(|s| s == HOSTILE), "{systems:?}");
        let query = DayStatsQuery::new(
            date("2026-04-10"),
            date("2026-04-12"),
            Some(vec![HOSTILE.to_string()]),
            &config.thresholds,
        );
        let bundle = source.day_stats(&query).await.unwrap();
        assert!(!bundle.day_stats.is_empty());
        assert!(bundle.day_stats.iter().all(|row| row.system_id == HOSTILE));
        assert!(source.latest_date(Some(HOSTILE)).await.unwrap().is_some());
        // The table is still there.
        assert!(
            source
                .latest_date(Some("catboost_v8"))
                .await
                .unwrap()
                .is_some()
        );
    });
}
