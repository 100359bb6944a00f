//! Pure diagnostics: from per-day sufficient statistics to every field of
//! `performance_diagnostics_daily` (metrics.md sections 1-8, 5b and 11), and
//! the false-alarm figures of the alert rules (section 12). No I/O here:
//! sources fetch, this module computes, the TUI and CLI show.

pub mod alert;
pub mod baselines;
pub mod cause;
pub mod clv;
pub mod coverage;
pub mod cusum;
pub mod drift;
pub mod false_alarms;
pub mod gap;
pub mod quality;
pub mod sharpness;
pub mod since_promotion;
pub mod slate;
pub mod split_clv;
pub mod splits;
pub mod versus;
pub mod window;

use crate::config::Thresholds;
use crate::model::Diagnostics;
use crate::model::detector::{CusumDay, CusumReport};
use chrono::{DateTime, Days, NaiveDate, Utc};
pub use window::{DateWindow, DayIndex};

/// Days of history one date's diagnostics need before it: the baseline window
/// plus the 14-day window (the 30-day hit rate fits inside).
pub fn lookback_days(thresholds: &Thresholds) -> u64 {
    u64::from(thresholds.baseline_days.0) + u64::from(sharpness::SHARPNESS_WINDOW_DAYS)
}

/// The first date a fetch must include to diagnose dates from `from` on.
pub fn fetch_start(from: NaiveDate, thresholds: &Thresholds) -> NaiveDate {
    from.checked_sub_days(Days::new(lookback_days(thresholds)))
        .unwrap_or(NaiveDate::MIN)
}

/// The first date any fetch of diagnostics reaches back to (the drift
/// detector may start at a system's first graded date).
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Where the drift detector starts (`drift_detector.start`, else the first
/// graded date, which a fetch from the earliest date finds).
pub fn detector_start(thresholds: &Thresholds) -> NaiveDate {
    thresholds
        .drift_detector
        .start
        .unwrap_or_else(earliest_date)
        .max(earliest_date())
}

/// The detector's design for `thresholds` (`None` when the healthy rate is
/// not above break-even, which the config refuses).
pub fn detector_design(thresholds: &Thresholds) -> Option<cusum::CusumDesign> {
    let detector = &thresholds.drift_detector;
    cusum::CusumDesign::new(
        detector.healthy_hit_rate.0,
        thresholds.break_even(),
        detector.arl0_bets.0,
    )
    .ok()
}

/// The CUSUM of `system` on `date` and its path from the start.
pub fn detector(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
) -> Option<(CusumReport, Vec<CusumDay>)> {
    let design = detector_design(thresholds)?;
    Some(cusum::run(
        &design,
        index.bet_days(system),
        thresholds.drift_detector.start,
        date,
    ))
}

/// Every diagnostic of `system` on `date`.
pub fn diagnose(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
    computed_at: DateTime<Utc>,
) -> Diagnostics {
    let baselines = baselines::baselines(index, system, date, thresholds);
    let sharpness = sharpness::sharpness(
        index,
        system,
        date,
        thresholds,
        baselines.vegas_mae_baseline,
        &baselines.model_beats_vegas_baseline,
    );
    let drift = drift::drift(index, system, date, thresholds);
    let quality = quality::quality(index, system, date);
    let clock = coverage::GapClock {
        now: computed_at,
        rules: &thresholds.game_day,
    };
    let coverage = coverage::coverage(index, system, date, quality.predictions_graded, clock);
    let cusum = detector(index, system, date, thresholds).map(|(report, _)| report);

    let beats_vegas_pct = sharpness.model_beats_vegas.verdict_pct();
    let hit_rate_7d_pct = drift.hit_rate_7d.verdict_pct();
    let completeness = quality
        .shot_zone_completeness
        .filter(|_| quality.player_game_rows_7d >= thresholds.min_bets());
    // A gap's finding (not predicted, not graded, ...) says more than the
    // Rev. 2 count on graded rows, which would read a grading gap as missing
    // predictions.
    let low_coverage = coverage
        .coverage
        .filter(|_| coverage.finding.is_none())
        .zip(coverage.usual_made)
        .filter(|(value, _)| *value < COVERAGE_WARNING)
        .map(|(value, usual)| alert::LowCoverage {
            system: system.to_string(),
            game_date: date,
            coverage: value,
            predictions_made: coverage.predictions_made,
            player_games: coverage.player_games,
            usual_made: usual,
        });
    let cusum_alarm = cusum
        .as_ref()
        .filter(|report| report.cusum_alarm)
        .map(|report| alert::CusumAlarm {
            stat: report.cusum_stat.unwrap_or_default(),
            threshold: report.cusum_threshold,
            arl0_bets: report.cusum_arl0_bets,
        });
    let cause = cause::attribute(
        &cause::CauseInputs {
            beats_vegas_pct,
            beats_vegas_baseline_pct: baselines.model_beats_vegas_baseline.verdict_pct(),
            drift_score: drift.drift_score,
            hit_rate_7d_pct,
            week_is_sufficient: drift.hit_rate_7d.sufficient,
            model_mae: drift.model_mae,
            shot_zone_completeness: completeness,
            avg_paint_rate: quality.avg_paint_rate,
            low_coverage: low_coverage.clone(),
            coverage_finding: coverage.finding.clone(),
            finding_date: Some(date),
            missing_dates_7d: coverage.missing_dates_7d.clone(),
            cusum_alarm,
            skipped_rows: skipped_share(index),
            duplicate_rows: duplicate_share(&quality),
            unknown_line_sources: unlisted_sources(&quality),
        },
        thresholds,
    );
    let alert_inputs = alert::AlertInputs {
        beats_vegas_pct,
        beats_vegas_n: sharpness.model_beats_vegas.n,
        hit_rate_7d_pct,
        bets_7d: drift.hit_rate_7d.n,
        drift_score: drift.drift_score,
        shot_zone_completeness: completeness,
        player_games_7d: quality.player_game_rows_7d,
        cusum_alarm,
        low_coverage,
        coverage_finding: coverage.finding.clone(),
    };
    let (alert_level, fired) = alert::alert_level(&alert_inputs, thresholds);
    let alert_message = alert::alert_message(alert_level, &fired, &cause);
    let mut recommendations =
        alert::recommendations(alert_level, &cause, &alert_inputs, thresholds);
    // Past the data, waiting is not the advice: say where the data ends.
    if alert_level == crate::model::AlertLevel::Unknown
        && let Some(last) = index.dates(system).last().copied()
        && last < date
    {
        recommendations.insert(
            0,
            format!(
                "The data ends {last}: {system} has no graded rows after it (pick a date up to {last}, or check that grading runs)"
            ),
        );
    }

    Diagnostics {
        game_date: date,
        system_id: system.to_string(),
        computed_at,
        sharpness,
        drift,
        quality,
        baselines,
        coverage,
        cusum,
        cause,
        alert_level,
        alert_message,
        recommendations,
        skipped_rows: index.skipped().clone(),
        since_promotion: since_promotion::since_promotion(index, system, date, thresholds),
        clv: None,
    }
}

pub use crate::model::detector::COVERAGE_WARNING;

/// The dates `diagnose_game_dates` reports for `system` in `from ..= to`:
/// its dates with graded rows and its gap days (game dates without graded
/// rows on which it was running: not predicted, not graded, no lines),
/// ascending.
pub fn game_dates(
    index: &DayIndex,
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
    clock: coverage::GapClock,
) -> Vec<NaiveDate> {
    let mut dates: std::collections::BTreeSet<NaiveDate> = index
        .dates(system)
        .into_iter()
        .filter(|date| (from..=to).contains(date))
        .collect();
    dates.extend(
        DateWindow {
            start: from,
            end: to,
        }
        .days()
        .filter(|day| coverage::is_outage(index, system, *day, clock)),
    );
    dates.into_iter().collect()
}

/// Diagnostics for every game date of `system` in `from ..= to` (see [`game_dates`]).
pub fn diagnose_game_dates(
    index: &DayIndex,
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
    thresholds: &Thresholds,
    computed_at: DateTime<Utc>,
) -> Vec<Diagnostics> {
    let clock = coverage::GapClock {
        now: computed_at,
        rules: &thresholds.game_day,
    };
    game_dates(index, system, from, to, clock)
        .into_iter()
        .map(|date| diagnose(index, system, date, thresholds, computed_at))
        .collect()
}

/// The 7-day window's duplicate rows as a cause input (none without any).
fn duplicate_share(quality: &crate::model::QualityReport) -> Option<cause::RowShare> {
    let count = quality.duplicate_rows_7d;
    (count > 0).then(|| cause::RowShare {
        count,
        share: count as f64 / (count + quality.predictions_7d) as f64,
    })
}

/// The 7-day window's unlisted line sources as a cause input (none without any).
fn unlisted_sources(quality: &crate::model::QualityReport) -> Option<cause::UnlistedSources> {
    let count: u64 = quality.unknown_line_sources_7d.values().sum();
    (count > 0).then(|| cause::UnlistedSources {
        values: quality
            .unknown_line_sources_7d
            .iter()
            .map(|(value, rows)| (value.clone(), *rows))
            .collect(),
        share: count as f64 / quality.predictions_7d.max(count) as f64,
    })
}

/// The fetch's skipped rows as a cause input: count, tables and share.
fn skipped_share(index: &window::DayIndex) -> Option<cause::SkippedShare> {
    let share = index.skipped_share()?;
    let skipped = index.skipped();
    Some(cause::SkippedShare {
        count: skipped.count,
        tables: skipped
            .by_table
            .iter()
            .map(|(table, count)| format!("{table} {}", crate::format::count(*count)))
            .collect(),
        share,
    })
}
