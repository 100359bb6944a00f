//! The demo dataset tells the team's story, and `backfill` (one fetch) agrees
//! with `diag` (one fetch per date) day by day. One demo store is built per run.

#[path = "common/run_dir.rs"]
mod run_dir;

use chrono::NaiveDate;
use courtside::config::Config;
use courtside::demo::{self, DemoOptions};
use courtside::model::{BiasDirection, Diagnostics, PrimaryCause};
use courtside::service;
use courtside::source::embedded::EmbeddedStore;
use std::sync::OnceLock;

struct Demo {
    store: EmbeddedStore,
}

fn demo_store() -> &'static EmbeddedStore {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    &DEMO
        .get_or_init(|| {
            let dir = run_dir::run_dir("demo_story");
            let store = EmbeddedStore::open(&dir.join("demo.sqlite")).expect("store");
            demo::build(&store, DemoOptions::default(), false).expect("demo build");
            Demo { store }
        })
        .store
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn diagnose(day: &str) -> Diagnostics {
    let config = Config::default();
    runtime()
        .block_on(service::diagnose_day(
            demo_store(),
            date(day),
            &config.production_system,
            &config.thresholds,
        ))
        .expect("diagnostics")
}

#[test]
fn january_sharpening_is_attributed_to_vegas() {
    let d = diagnose("2026-01-27");
    assert_eq!(
        d.cause.primary_cause,
        PrimaryCause::VegasSharpness,
        "{d:#?}"
    );
    let beats = d.sharpness.model_beats_vegas.pct.expect("beats-vegas");
    assert!((42.0..=47.0).contains(&beats), "beats-vegas {beats}");
    assert!(d.sharpness.model_beats_vegas.sufficient);
    // Before the sharpening the market was beaten in the high 50s.
    let before = diagnose("2025-12-20")
        .sharpness
        .model_beats_vegas
        .pct
        .expect("before");
    assert!(before > 55.0, "before {before}");
}

#[test]
fn march_drift_is_attributed_to_the_model_with_an_over_bias() {
    let d = diagnose("2026-03-18");
    assert_eq!(d.cause.primary_cause, PrimaryCause::ModelDrift, "{d:#?}");
    assert_eq!(d.drift.bias_direction, Some(BiasDirection::Over));
    assert!(d.drift.model_mean_error.expect("bias") > 1.0);
    assert!(d.drift.drift_score.expect("score") >= 40.0);
}

#[test]
fn broken_shot_zone_week_is_attributed_to_data_quality() {
    let d = diagnose("2025-12-14");
    assert_eq!(d.cause.primary_cause, PrimaryCause::DataQuality, "{d:#?}");
    assert!(d.quality.shot_zone_completeness.expect("completeness") < 50.0);
}

#[test]
fn a_quiet_date_is_healthy() {
    let d = diagnose("2025-11-25");
    assert_eq!(
        d.alert_level,
        courtside::model::AlertLevel::Healthy,
        "{d:#?}"
    );
    assert_eq!(d.cause.primary_cause, PrimaryCause::None);
    assert_eq!(d.alert_message, None);
}

#[test]
fn the_demo_has_the_documented_shape() {
    let store = demo_store();
    let connection = store.connect().expect("connection");
    let count = |sql: &str| -> i64 { connection.query_row(sql, [], |row| row.get(0)).expect(sql) };
    let players = count("SELECT COUNT(DISTINCT player_lookup) FROM player_game_summary");
    assert!((400..=500).contains(&players), "{players} players");
    let per_day = count(
        "SELECT CAST(AVG(n) AS INTEGER) FROM (SELECT COUNT(*) AS n FROM prediction_accuracy
         WHERE system_id = 'catboost_v8' AND COALESCE(is_superseded_prediction, 0) = 0
         GROUP BY game_date)",
    );
    assert!((250..=350).contains(&per_day), "{per_day} per day");
    let actual_share = count(
        "SELECT CAST(100.0 * SUM(line_source IN ('ACTUAL_PROP', 'ODDS_API', 'BETTINGPROS',
                                                 'VEGAS_BACKFILL')) / COUNT(*) AS INTEGER)
         FROM prediction_accuracy",
    );
    assert!(
        (22..=34).contains(&actual_share),
        "{actual_share}% real lines"
    );
    assert!(count("SELECT COUNT(*) FROM prediction_accuracy WHERE is_voided = 1") > 0);
    let missing = count(
        "SELECT COUNT(*) FROM prediction_accuracy
         WHERE system_id = 'catboost_v8' AND game_date = '2026-01-22'",
    );
    assert_eq!(missing, 0, "2026-01-22 is missing from production");
    let experiments = count("SELECT COUNT(DISTINCT status) FROM ml_experiments");
    assert_eq!(experiments, 6, "every status is represented");
    assert!(store.is_demo());
}

#[test]
fn backfill_agrees_with_diag_day_by_day_over_a_season() {
    let config = Config::default();
    let system = &config.production_system;
    let thresholds = &config.thresholds;
    let runtime = runtime();
    let store = demo_store();
    let season = runtime
        .block_on(service::diagnose_game_dates(
            store,
            date("2025-10-22"),
            date("2026-04-12"),
            system,
            thresholds,
        ))
        .expect("backfill");
    assert!(season.len() > 140, "{} game dates", season.len());
    // Every game date of the season, each diagnosed from its own fetch.
    for from_backfill in &season {
        let from_diag = runtime
            .block_on(service::diagnose_day(
                store,
                from_backfill.game_date,
                system,
                thresholds,
            ))
            .expect("diag");
        let mut left = from_backfill.to_json();
        let mut right = from_diag.to_json();
        left.as_object_mut().map(|o| o.remove("computed_at"));
        right.as_object_mut().map(|o| o.remove("computed_at"));
        assert_eq!(left, right, "{} differs", from_backfill.game_date);
    }
}

#[test]
fn the_gap_experiment_reproduces_the_teams_case() {
    let config = Config::default();
    let runtime = runtime();
    let store = demo_store();
    let experiments = runtime
        .block_on(courtside::source::Source::experiments(store))
        .expect("experiments");
    let experiment =
        service::find_experiment(&experiments, "JAN_DEC_WALKFORWARD_V9").expect("experiment");
    let system = service::target_system(experiment, None, &config.production_system);
    assert_eq!(system, "catboost_v8");
    let report = runtime
        .block_on(service::gap(store, experiment, &system, &config.thresholds))
        .expect("gap");
    let backtest = report.hit_rate_backtest.pct.expect("HR(B)");
    let production = report.hit_rate_production.pct.expect("HR(P)");
    assert!((47.0..=51.0).contains(&backtest), "backtest {backtest}");
    assert!(
        (55.5..=59.0).contains(&production),
        "production {production}"
    );
    // The backtest population is about 60% larger than production's.
    let ratio = report.backtest_rows as f64 / report.production_rows as f64;
    assert!((1.5..=1.7).contains(&ratio), "ratio {ratio}");
    // The seven dates production grading missed, with their backtest counts.
    let missing: Vec<String> = report
        .missing_dates
        .iter()
        .map(|m| m.game_date.to_string())
        .collect();
    assert_eq!(
        missing,
        [
            "2026-01-19",
            "2026-01-21",
            "2026-01-22",
            "2026-01-23",
            "2026-01-24",
            "2026-01-29",
            "2026-01-30"
        ]
    );
    assert!(report.missing_dates.iter().all(|m| m.backtest_rows > 100));
    // A majority of estimated lines in the backtest.
    assert!(report.backtest_actual_line_pct.expect("mix") < 50.0);
    // The steps sum to the gap, and the verdict names population and line type.
    let sum: f64 = report.steps.iter().map(|s| s.points.expect("step")).sum();
    assert!((sum - report.gap.expect("gap")).abs() < 1e-9);
    let main: Vec<&str> = courtside::diagnostics::gap::main_steps(&report)
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        main.contains(&"population") && main.contains(&"line type"),
        "{main:?}"
    );
    assert!(report.verdict.contains("population") && report.verdict.contains("line type"));
}
