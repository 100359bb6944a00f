//! The rules of metrics.md sections 1-8 checked end to end on tiny hand-made
//! stores: the SQL aggregation and the pure diagnostics together.

use chrono::{Days, NaiveDate, Utc};
use courtside::config::Thresholds;
use courtside::diagnostics::{self, DayIndex};
use courtside::model::rows::{PlayerGameRow, PredictionRow};
use courtside::model::{Diagnostics, PlayerTier, PrimaryCause};
use courtside::source::DayStatsQuery;
use courtside::source::embedded::{EmbeddedStore, StoreWriter, query_day_stats};

const SYSTEM: &str = "sys_a";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn minus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap()
}

/// A graded row on an actual line with an OVER pick.
fn graded(date: NaiveDate, player: &str, predicted: f64, actual: i64, line: f64) -> PredictionRow {
    let recommendation = if predicted > line { "OVER" } else { "UNDER" };
    let correct = if actual as f64 == line {
        None
    } else {
        Some((recommendation == "OVER") == (actual as f64 > line))
    };
    PredictionRow {
        player_lookup: player.to_string(),
        game_id: format!("{}_AAA_BBB", date.format("%Y%m%d")),
        game_date: date,
        system_id: SYSTEM.to_string(),
        predicted_points: Some(predicted),
        actual_points: Some(actual),
        line_value: Some(line),
        line_source: Some("ACTUAL_PROP".to_string()),
        has_prop_line: Some(true),
        recommendation: Some(recommendation.to_string()),
        prediction_correct: correct,
        confidence_decile: Some(9),
        is_voided: Some(false),
        is_superseded_prediction: Some(false),
        ..PredictionRow::default()
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: EmbeddedStore,
}

fn fixture(predictions: &[PredictionRow], games: &[PlayerGameRow]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("t.sqlite")).unwrap();
    let mut connection = store.connect().unwrap();
    let transaction = connection.transaction().unwrap();
    let writer = StoreWriter::new(&transaction);
    writer.predictions(predictions).unwrap();
    writer.player_games(games).unwrap();
    transaction.commit().unwrap();
    Fixture { _dir: dir, store }
}

fn thresholds(min_bets: u64) -> Thresholds {
    let mut thresholds = Thresholds::default();
    thresholds.min_bets.0 = min_bets;
    thresholds
}

fn diagnose(fixture: &Fixture, date: NaiveDate, thresholds: &Thresholds) -> Diagnostics {
    let query = DayStatsQuery::new(
        diagnostics::fetch_start(date, thresholds),
        date,
        None,
        thresholds,
    );
    let connection = fixture.store.connect().unwrap();
    let bundle = query_day_stats(&connection, &query).unwrap();
    let index = DayIndex::new(&bundle);
    diagnostics::diagnose(&index, SYSTEM, date, thresholds, Utc::now())
}

#[test]
fn empty_windows_are_null_never_zero_or_fifty() {
    let d0 = day("2026-01-10");
    let fixture = fixture(&[graded(minus(d0, 100), "p1", 20.0, 25, 22.5)], &[]);
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!(d.sharpness.model_beats_vegas.pct, None);
    assert_eq!(d.sharpness.model_beats_vegas.to_string(), "no data");
    assert_eq!(d.sharpness.vegas_mae, None);
    assert_eq!(d.sharpness.sharpness_score, None);
    assert_eq!(d.drift.hit_rate_7d.pct, None);
    assert_eq!(d.drift.model_mae, None);
    assert_eq!(d.drift.bias_direction, None);
    assert_eq!(d.drift.drift_score, None);
    assert_eq!(d.quality.shot_zone_completeness, None);
    assert_eq!(d.baselines.vegas_mae_baseline, None);
    // No rule could fire and the week holds no bets: no verdict.
    assert_eq!(d.cause.primary_cause, PrimaryCause::SampleSize);
    assert_eq!(d.cause.cause_confidence, None);
}

#[test]
fn voided_superseded_and_ungraded_rows_are_excluded() {
    let d0 = day("2026-01-10");
    let mut voided = graded(d0, "p2", 30.0, 10, 20.5);
    voided.is_voided = Some(true);
    let mut superseded = graded(d0, "p3", 30.0, 10, 20.5);
    superseded.is_superseded_prediction = Some(true);
    let mut ungraded = graded(d0, "p4", 30.0, 10, 20.5);
    ungraded.actual_points = None;
    let mut null_flags = graded(d0, "p5", 24.0, 25, 20.5);
    null_flags.is_voided = None;
    null_flags.is_superseded_prediction = None;
    let fixture = fixture(
        &[
            graded(d0, "p1", 24.0, 25, 20.5),
            voided,
            superseded,
            ungraded,
            null_flags,
        ],
        &[],
    );
    let d = diagnose(&fixture, d0, &thresholds(1));
    // Only p1 and p5 (null flags are "not true") are graded.
    assert_eq!(d.quality.predictions_graded, 2);
    assert_eq!(d.quality.predictions_made, 5);
    assert_eq!(d.drift.hit_rate_7d.n, 2);
    assert_eq!(d.drift.hit_rate_7d.k, 2);
    assert_eq!(d.drift.model_mae, Some(1.0));
}

#[test]
fn pushes_are_not_bets_and_all_pushes_give_no_hit_rate() {
    let d0 = day("2026-01-10");
    // Actual equals the line: prediction_correct is null, so not a bet.
    let rows: Vec<PredictionRow> = (0..5)
        .map(|i| graded(d0, &format!("p{i}"), 25.0, 20, 20.0))
        .collect();
    let fixture = fixture(&rows, &[]);
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!(d.drift.hit_rate_7d.n, 0);
    assert_eq!(d.drift.hit_rate_7d.pct, None);
    assert_eq!(d.drift.rows_14d, 5);
}

#[test]
fn edge_below_threshold_and_pass_are_not_bets() {
    let d0 = day("2026-01-10");
    let mut pass = graded(d0, "p1", 25.0, 30, 20.5);
    pass.recommendation = Some("PASS".to_string());
    pass.prediction_correct = None;
    let small_edge = graded(d0, "p2", 22.0, 30, 20.5); // edge 1.5
    let exact_edge = graded(d0, "p3", 23.5, 30, 20.5); // edge 3.0 counts
    let fixture = fixture(&[pass, small_edge, exact_edge], &[]);
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!(d.drift.hit_rate_7d.n, 1);
    assert_eq!(d.drift.hit_rate_7d.k, 1);
}

#[test]
fn estimated_lines_are_excluded_from_sharpness_and_counted() {
    let d0 = day("2026-01-10");
    let mut estimated = graded(d0, "p2", 20.0, 20, 30.5);
    estimated.line_source = Some("ESTIMATED_AVG".to_string());
    estimated.has_prop_line = Some(false);
    // line_source null with has_prop_line true counts as actual.
    let mut legacy_actual = graded(d0, "p3", 20.0, 20, 25.5);
    legacy_actual.line_source = None;
    let fixture = fixture(
        &[graded(d0, "p1", 20.0, 30, 22.5), estimated, legacy_actual],
        &[],
    );
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!(d.sharpness.estimated_rows_excluded, 1);
    assert_eq!(d.sharpness.model_beats_vegas.n, 2);
    // p1: model error 10 vs line error 7.5 (lost); p3: 0 vs 5.5 (beat).
    assert_eq!(d.sharpness.model_beats_vegas.k, 1);
    assert_eq!(d.sharpness.vegas_mae, Some((7.5 + 5.5) / 2.0));
    assert_eq!(d.sharpness.model_mae_same_rows, Some(5.0));
    // Drift uses every graded row.
    assert_eq!(d.drift.rows_14d, 3);
}

#[test]
fn beats_vegas_ties_are_not_beats_after_rounding() {
    let d0 = day("2026-01-10");
    let rows = [
        // 2.0 vs 2.0: a tie.
        graded(d0, "p1", 20.0, 22, 24.0),
        // 1.9 vs 1.9 with floating-point noise in the inputs: still a tie.
        graded(d0, "p2", 20.1, 22, 23.9),
        // 1.9 vs 2.0: a beat.
        graded(d0, "p3", 20.1, 22, 24.0),
    ];
    let fixture = fixture(&rows, &[]);
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!(d.sharpness.model_beats_vegas.n, 3);
    assert_eq!(d.sharpness.model_beats_vegas.k, 1);
}

#[test]
fn a_row_on_d_minus_7_is_outside_the_7_day_window() {
    let d0 = day("2026-01-10");
    let rows = [
        graded(d0, "p1", 25.0, 30, 20.5),
        graded(minus(d0, 6), "p2", 25.0, 30, 20.5),
        graded(minus(d0, 7), "p3", 25.0, 10, 20.5),
        graded(minus(d0, 13), "p4", 25.0, 10, 20.5),
        graded(minus(d0, 14), "p5", 25.0, 10, 20.5),
    ];
    let fixture = fixture(&rows, &[]);
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!((d.drift.hit_rate_7d.k, d.drift.hit_rate_7d.n), (2, 2));
    assert_eq!((d.drift.hit_rate_14d.k, d.drift.hit_rate_14d.n), (2, 4));
    assert_eq!((d.drift.hit_rate_30d.k, d.drift.hit_rate_30d.n), (2, 5));
    // D-14 is the last day of the baseline window.
    assert_eq!(d.baselines.window_end, minus(d0, 14));
    assert_eq!(d.baselines.window_start, minus(d0, 73));
    assert_eq!(d.baselines.hit_rate_baseline.n, 1);
}

#[test]
fn small_samples_are_insufficient_and_carry_no_verdict() {
    let d0 = day("2026-01-10");
    // Ten losing bets: hit rate 0%, far below break-even, but n < 50.
    let rows: Vec<PredictionRow> = (0..10)
        .map(|i| graded(d0, &format!("p{i}"), 25.0, 10, 20.5))
        .collect();
    let fixture = fixture(&rows, &[]);
    let d = diagnose(&fixture, d0, &thresholds(50));
    assert_eq!(d.drift.hit_rate_7d.pct, Some(0.0));
    assert!(!d.drift.hit_rate_7d.sufficient);
    assert!(
        d.drift
            .hit_rate_7d
            .to_string()
            .starts_with("insufficient sample (n=10, need 50)")
    );
    // The hit-rate signals are unavailable; MAE (15 > 5.5) and bias fire: 2 of 2.
    assert_eq!(d.drift.drift_score, Some(100.0));
    // Sharpness has no verdict on 10 rows either.
    assert_eq!(d.sharpness.sharpness_score, None);
    // The week cannot support a verdict on the model.
    assert_eq!(d.cause.primary_cause, PrimaryCause::SampleSize);
    // The alert does not rest on the hit rate; the drift score still warns.
    assert_eq!(d.alert_level, courtside::model::AlertLevel::Warning);
}

#[test]
fn player_tiers_use_the_prior_90_days_only() {
    let d0 = day("2026-01-10");
    let game = |days_before: u64, points: i64, minutes: f64| PlayerGameRow {
        player_lookup: "p1".to_string(),
        game_id: "g".to_string(),
        game_date: minus(d0, days_before),
        points: Some(points),
        minutes_played: Some(minutes),
        ..PlayerGameRow::default()
    };
    let games = [
        game(0, 60, 40.0),  // the day itself: no look-ahead
        game(1, 24, 36.0),  // counts
        game(90, 24, 36.0), // D-90 counts
        game(91, 2, 36.0),  // D-91 is outside
        game(5, 1, 8.0),    // 10 minutes or fewer do not count
    ];
    let fixture = fixture(
        &[
            graded(d0, "p1", 20.0, 22, 24.0),
            graded(d0, "p9", 20.0, 22, 24.0),
        ],
        &games,
    );
    let query = DayStatsQuery::new(minus(d0, 80), d0, None, &Thresholds::default());
    let connection = fixture.store.connect().unwrap();
    let bundle = query_day_stats(&connection, &query).unwrap();
    let tier_of = |player_rows: u64| {
        bundle
            .day_stats
            .iter()
            .filter(|row| row.cell.rows == player_rows)
            .map(|row| row.player_tier)
            .collect::<Vec<_>>()
    };
    let tiers = tier_of(1);
    // p1 averages 24 (Star); p9 has no games (Unknown).
    assert!(tiers.contains(&PlayerTier::Star), "{tiers:?}");
    assert!(tiers.contains(&PlayerTier::Unknown), "{tiers:?}");
    assert_eq!(tiers.len(), 2);
}

#[test]
fn data_quality_counts_complete_rows_and_skips_zero_denominators() {
    let d0 = day("2026-01-10");
    let game =
        |player: &str, days_before: u64, complete: bool, zones: (i64, i64, i64)| PlayerGameRow {
            player_lookup: player.to_string(),
            game_id: "g".to_string(),
            game_date: minus(d0, days_before),
            points: Some(10),
            minutes_played: Some(20.0),
            paint_attempts: Some(zones.0),
            mid_range_attempts: Some(zones.1),
            three_attempts_pbp: Some(zones.2),
            has_complete_shot_zones: Some(complete),
            team_abbr: None,
        };
    let mut no_minutes = game("p5", 0, false, (1, 1, 1));
    no_minutes.minutes_played = Some(0.0);
    let games = [
        game("p1", 0, true, (5, 0, 5)),  // paint 50%, three 50%
        game("p2", 6, true, (1, 2, 1)),  // paint 25%, three 25%
        game("p3", 3, true, (0, 0, 0)),  // complete, zero denominator: skipped for rates
        game("p4", 2, false, (9, 0, 0)), // incomplete
        game("p6", 7, false, (9, 0, 0)), // D-7: outside the 7-day window
        no_minutes,                      // minutes 0: not counted
    ];
    let fixture = fixture(&[graded(d0, "p1", 20.0, 22, 24.0)], &games);
    let d = diagnose(&fixture, d0, &thresholds(1));
    assert_eq!(d.quality.player_game_rows_7d, 4);
    assert_eq!(d.quality.shot_zone_completeness, Some(75.0));
    assert_eq!(d.quality.avg_paint_rate, Some(37.5));
    assert_eq!(d.quality.avg_three_rate, Some(37.5));
}
