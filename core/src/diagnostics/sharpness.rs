//! Vegas sharpness over the 14-day window on real prop lines only (metrics.md section 3).

use super::window::{DateWindow, DayIndex, GroupCell};
use crate::config::Thresholds;
use crate::model::{
    ConfidenceTier, LineKind, PlayerTier, Rate, SharpnessReport, SharpnessStatus, StatCell,
    TierSharpness,
};
use chrono::NaiveDate;

pub const SHARPNESS_WINDOW_DAYS: u32 = 14;

/// Mean of a sum over a count; `None` for an empty count.
pub fn mean(sum: f64, count: u64) -> Option<f64> {
    (count > 0).then(|| sum / count as f64)
}

fn actual_lines(group: &GroupCell) -> bool {
    group.line_kind == LineKind::Actual
}

/// The sharpness figures of a pooled cell of actual-line rows.
fn tier_sharpness(tier: &str, cell: &StatCell, min_n: u64) -> TierSharpness {
    TierSharpness {
        tier: tier.to_string(),
        n: cell.lined_rows,
        vegas_mae: mean(cell.sum_line_abs_error, cell.lined_rows),
        model_mae: mean(cell.sum_abs_error_lined, cell.lined_rows),
        beats_vegas: Rate::of(cell.beats, cell.lined_rows, min_n),
    }
}

/// `s1 = clamp((55 - mbv) / 15, 0, 1)`.
fn beats_vegas_component(beats_vegas_pct: f64) -> f64 {
    ((55.0 - beats_vegas_pct) / 15.0).clamp(0.0, 1.0)
}

/// `s2 = clamp(0.5 + (baseline - mae) / baseline / 0.5, 0, 1)`; 0.5 without a baseline.
fn line_error_component(vegas_mae: Option<f64>, vegas_mae_baseline: Option<f64>) -> f64 {
    match (vegas_mae, vegas_mae_baseline) {
        (Some(mae), Some(baseline)) if baseline > 0.0 => {
            (0.5 + (baseline - mae) / baseline / 0.5).clamp(0.0, 1.0)
        }
        _ => 0.5,
    }
}

/// `100 * (0.6 * s1 + 0.4 * s2)`.
pub fn sharpness_score(beats_vegas_pct: f64, line_error_component: f64) -> f64 {
    100.0 * (0.6 * beats_vegas_component(beats_vegas_pct) + 0.4 * line_error_component)
}

/// Sharpness of `system` on `date`. `baseline_vegas_mae` and `baseline_beats_vegas`
/// come from the baseline window and only count when their sample is sufficient.
pub fn sharpness(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
    baseline_vegas_mae: Option<f64>,
    baseline_beats_vegas: &Rate,
) -> SharpnessReport {
    let min_n = thresholds.min_bets();
    let window = DateWindow::ending(date, SHARPNESS_WINDOW_DAYS);
    // One pass over the window: actual-line rows overall and per tier, the
    // rest (estimated, no line, unlisted) counted as left out.
    let mut actual = StatCell::default();
    let mut estimated = StatCell::default();
    let mut by_player = [StatCell::default(); PlayerTier::ALL.len()];
    let mut by_confidence = [StatCell::default(); ConfidenceTier::ALL.len()];
    index.for_each(system, window, |group| {
        if !actual_lines(group) {
            estimated += &group.cell;
            return;
        }
        actual += &group.cell;
        by_player[group.player_tier as usize] += &group.cell;
        by_confidence[group.confidence_tier as usize] += &group.cell;
    });
    let overall = tier_sharpness("all", &actual, min_n);
    let by_player_tier = PlayerTier::ALL
        .iter()
        .zip(&by_player)
        .map(|(tier, cell)| tier_sharpness(tier.as_str(), cell, min_n))
        .collect();
    let by_confidence_tier: Vec<TierSharpness> = ConfidenceTier::ALL
        .iter()
        .zip(&by_confidence)
        .map(|(tier, cell)| tier_sharpness(tier.as_str(), cell, min_n))
        .collect();
    let tier_mae = |tier: ConfidenceTier| {
        by_confidence_tier
            .iter()
            .find(|row| row.tier == tier.as_str())
            .and_then(|row| row.vegas_mae)
    };

    let score = overall.beats_vegas.verdict_pct().map(|beats| {
        sharpness_score(
            beats,
            line_error_component(overall.vegas_mae, baseline_vegas_mae),
        )
    });
    let score_baseline = baseline_beats_vegas
        .verdict_pct()
        .map(|beats| sharpness_score(beats, 0.5));
    let sharpness_vs_baseline = match (score, score_baseline) {
        (Some(score), Some(base)) if base > 0.0 => Some(100.0 * (score - base) / base),
        _ => None,
    };

    SharpnessReport {
        window_start: window.start,
        window_end: window.end,
        estimated_rows_excluded: estimated.rows,
        vegas_mae: overall.vegas_mae,
        model_mae_same_rows: overall.model_mae,
        model_beats_vegas: overall.beats_vegas,
        by_player_tier,
        vegas_mae_tier1: tier_mae(ConfidenceTier::Tier1),
        vegas_mae_tier2: tier_mae(ConfidenceTier::Tier2),
        vegas_mae_tier3: tier_mae(ConfidenceTier::Tier3),
        by_confidence_tier,
        sharpness_score: score,
        sharpness_status: score.map(SharpnessStatus::from_score),
        score_baseline,
        sharpness_vs_baseline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_components_by_hand() {
        // mbv 55 -> s1 = 0; at baseline s2 = .5 -> 100 * (0 + .2) = 20.
        assert!((sharpness_score(55.0, 0.5) - 20.0).abs() < 1e-12);
        // mbv 40 -> s1 = 1 -> 60 + 20 = 80.
        assert!((sharpness_score(40.0, 0.5) - 80.0).abs() < 1e-12);
        // mbv 47.5 -> s1 = .5 -> 30 + 20 = 50.
        assert!((sharpness_score(47.5, 0.5) - 50.0).abs() < 1e-12);
    }

    #[test]
    fn line_error_component_by_hand() {
        assert_eq!(line_error_component(Some(4.0), None), 0.5);
        assert_eq!(line_error_component(None, Some(4.0)), 0.5);
        assert!((line_error_component(Some(4.0), Some(4.0)) - 0.5).abs() < 1e-12);
        // 25% below baseline -> 1.
        assert!((line_error_component(Some(3.0), Some(4.0)) - 1.0).abs() < 1e-12);
        // 10% above baseline -> .3.
        assert!((line_error_component(Some(4.4), Some(4.0)) - 0.3).abs() < 1e-12);
        // Far above -> clamped at 0.
        assert_eq!(line_error_component(Some(8.0), Some(4.0)), 0.0);
    }
}
