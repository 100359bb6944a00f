//! Pure diagnostics: from per-day sufficient statistics to every field of
//! `performance_diagnostics_daily` (metrics.md sections 1-8). No I/O here:
//! sources fetch, this module computes, the TUI and CLI show.

pub mod alert;
pub mod baselines;
pub mod cause;
pub mod cusum;
pub mod drift;
pub mod false_alarms;
pub mod gap;
pub mod quality;
pub mod sharpness;
pub mod window;

use crate::config::Thresholds;
use crate::model::Diagnostics;
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

/// Every diagnostic of `system` on `date`.
pub fn diagnose(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
    computed_at: DateTime<Utc>,
) -> Diagnostics {
    let baselines = baselines::baselines(index, system, date, thresholds);
    let baseline_vegas_mae = baselines
        .model_beats_vegas_baseline
        .sufficient
        .then_some(baselines.vegas_mae_baseline)
        .flatten();
    let sharpness = sharpness::sharpness(
        index,
        system,
        date,
        thresholds,
        baseline_vegas_mae,
        &baselines.model_beats_vegas_baseline,
    );
    let drift = drift::drift(index, system, date, thresholds);
    let quality = quality::quality(index, system, date);

    let beats_vegas_pct = sharpness.model_beats_vegas.verdict_pct();
    let hit_rate_7d_pct = drift.hit_rate_7d.verdict_pct();
    let cause = cause::attribute(
        &cause::CauseInputs {
            beats_vegas_pct,
            beats_vegas_baseline_pct: baselines.model_beats_vegas_baseline.verdict_pct(),
            drift_score: drift.drift_score,
            hit_rate_7d_pct,
            week_is_sufficient: drift.hit_rate_7d.sufficient,
            model_mae: drift.model_mae,
            shot_zone_completeness: quality.shot_zone_completeness,
            avg_paint_rate: quality.avg_paint_rate,
        },
        thresholds,
    );
    let alert_inputs = alert::AlertInputs {
        beats_vegas_pct,
        beats_vegas_n: sharpness.model_beats_vegas.n,
        hit_rate_7d_pct,
        bets_7d: drift.hit_rate_7d.n,
        drift_score: drift.drift_score,
        shot_zone_completeness: quality.shot_zone_completeness,
    };
    let (alert_level, fired) = alert::alert_level(&alert_inputs, thresholds);
    let alert_message = alert::alert_message(alert_level, &fired, &cause);
    let recommendations = alert::recommendations(alert_level, &cause, &alert_inputs, thresholds);

    Diagnostics {
        game_date: date,
        system_id: system.to_string(),
        computed_at,
        sharpness,
        drift,
        quality,
        baselines,
        cause,
        alert_level,
        alert_message,
        recommendations,
    }
}

/// Diagnostics for every game date of `system` (a date with graded rows) in `from ..= to`.
pub fn diagnose_game_dates(
    index: &DayIndex,
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
    thresholds: &Thresholds,
    computed_at: DateTime<Utc>,
) -> Vec<Diagnostics> {
    index
        .dates(system)
        .into_iter()
        .filter(|date| (from..=to).contains(date))
        .map(|date| diagnose(index, system, date, thresholds, computed_at))
        .collect()
}
