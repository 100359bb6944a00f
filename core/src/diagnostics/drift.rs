//! Model drift: hit rates over 7/14/30 days, pooled MAE and bias, the drift
//! score from four signals, and its severity (metrics.md section 4).

use super::sharpness::mean;
use super::window::{DateWindow, DayIndex};
use crate::config::Thresholds;
use crate::model::diagnostics::DriftSignal;
use crate::model::{BiasDirection, DriftReport, DriftSeverity, Rate, StatCell};
use chrono::NaiveDate;

pub const DRIFT_WINDOW_DAYS: u32 = 14;

/// The hit rate over the `days`-day window ending at `date`.
pub fn hit_rate(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    days: u32,
    thresholds: &Thresholds,
) -> Rate {
    let cell = index.pool(system, DateWindow::ending(date, days), |_| true);
    Rate::hit_rate(
        cell.hits,
        cell.bets,
        thresholds.min_bets(),
        thresholds.break_even(),
    )
}

/// `over` above the band, `under` below its negative, else `neutral`.
pub fn bias_direction(mean_error: f64, band: f64) -> BiasDirection {
    if mean_error > band {
        BiasDirection::Over
    } else if mean_error < -band {
        BiasDirection::Under
    } else {
        BiasDirection::Neutral
    }
}

pub fn drift(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
) -> DriftReport {
    // One pass over the 30 days, pooled into the 7-, 14- and 30-day windows.
    let week = DateWindow::ending(date, 7);
    let fortnight = DateWindow::ending(date, DRIFT_WINDOW_DAYS);
    let (mut cell_7d, mut window, mut cell_30d) = (
        StatCell::default(),
        StatCell::default(),
        StatCell::default(),
    );
    index.for_each_day(system, DateWindow::ending(date, 30), |day, groups| {
        for group in groups {
            cell_30d += &group.cell;
            if fortnight.contains(day) {
                window += &group.cell;
            }
            if week.contains(day) {
                cell_7d += &group.cell;
            }
        }
    });
    let rate = |cell: &StatCell| {
        Rate::hit_rate(
            cell.hits,
            cell.bets,
            thresholds.min_bets(),
            thresholds.break_even(),
        )
    };
    let (hit_rate_7d, hit_rate_14d, hit_rate_30d) =
        (rate(&cell_7d), rate(&window), rate(&cell_30d));
    let model_mae = mean(window.sum_abs_error, window.rows);
    let model_mean_error = mean(window.sum_signed_error, window.rows);
    let break_even_pct = thresholds.break_even_pct();

    let below_break_even = |rate: &Rate| rate.verdict_pct().map(|pct| pct < break_even_pct);
    let signals = vec![
        DriftSignal {
            name: format!("hit_rate_7d < {break_even_pct:.1}"),
            fired: below_break_even(&hit_rate_7d),
        },
        DriftSignal {
            name: format!("hit_rate_14d < {break_even_pct:.1}"),
            fired: below_break_even(&hit_rate_14d),
        },
        DriftSignal {
            name: format!("model_mae > {}", thresholds.mae_warning.get()),
            fired: model_mae.map(|mae| mae > thresholds.mae_warning.get()),
        },
        DriftSignal {
            name: format!("|model_mean_error| > {}", thresholds.bias_signal.get()),
            fired: model_mean_error.map(|error| error.abs() > thresholds.bias_signal.get()),
        },
    ];
    let available = signals.iter().filter(|s| s.fired.is_some()).count();
    let fired = signals.iter().filter(|s| s.fired == Some(true)).count();
    let drift_score = (available > 0).then(|| 100.0 * fired as f64 / available as f64);

    DriftReport {
        hit_rate_7d,
        hit_rate_14d,
        hit_rate_30d,
        rows_14d: window.rows,
        model_mae,
        model_mean_error,
        bias_direction: model_mean_error
            .map(|error| bias_direction(error, thresholds.bias_direction_band.get())),
        signals,
        drift_score,
        drift_severity: drift_score.map(DriftSeverity::from_score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bias_band_is_exclusive() {
        assert_eq!(bias_direction(0.5, 0.5), BiasDirection::Neutral);
        assert_eq!(bias_direction(0.51, 0.5), BiasDirection::Over);
        assert_eq!(bias_direction(-0.5, 0.5), BiasDirection::Neutral);
        assert_eq!(bias_direction(-0.51, 0.5), BiasDirection::Under);
    }
}
