//! The splits a bettor trusts (metrics.md section 13): per bucket the hit
//! rate with its interval and p-value, ROI with an interval, units and max
//! drawdown, the naive always-UNDER and always-OVER baselines on the same
//! bets, "edge pays", and calibration (reliability per decile, Brier, ECE).
//! Pure: the counts come from one aggregated query in the source.

use crate::config::Thresholds;
use crate::model::Rate;
use crate::model::splits::{
    BucketCounts, CalibrationRow, Dimension, EdgePays, SplitRow, SplitsReport,
};
use crate::stats::{Interval, normal_upper_tail};
use chrono::NaiveDate;

fn payout(thresholds: &Thresholds) -> f64 {
    thresholds.payout()
}

/// ROI in percent at hit probability `p`: `100 (p·win/risk - (1 - p))`.
pub fn roi_at(p: f64, thresholds: &Thresholds) -> f64 {
    100.0 * (p * payout(thresholds) - (1.0 - p))
}

/// ROI of `hits` of `bets` with the Wilson bounds mapped through it.
pub fn roi(hits: u64, bets: u64, thresholds: &Thresholds) -> (Option<f64>, Option<Interval>) {
    if bets == 0 {
        return (None, None);
    }
    let rate = Rate::of(hits, bets, 0);
    let point = roi_at(hits as f64 / bets as f64, thresholds);
    let interval = rate.interval.map(|i| Interval {
        low: roi_at(i.low / 100.0, thresholds),
        high: roi_at(i.high / 100.0, thresholds),
    });
    (Some(point), interval)
}

/// Units at flat 1-unit stakes.
pub fn units(hits: u64, bets: u64, thresholds: &Thresholds) -> f64 {
    hits as f64 * payout(thresholds) - bets.saturating_sub(hits) as f64
}

/// The largest fall of the running units from a running peak (starting at
/// 0) over bets in order; `outcomes` are hits (`true`) and misses.
pub fn max_drawdown(outcomes: impl IntoIterator<Item = bool>, thresholds: &Thresholds) -> f64 {
    let win = payout(thresholds);
    let (mut total, mut peak, mut worst) = (0.0f64, 0.0f64, 0.0f64);
    for hit in outcomes {
        total += if hit { win } else { -1.0 };
        peak = peak.max(total);
        worst = worst.max(peak - total);
    }
    worst
}

/// One-sided pooled two-proportion z-test that `top` beats `bottom`.
pub fn pooled_z(top: (u64, u64), bottom: (u64, u64)) -> Option<(f64, f64)> {
    let ((k1, n1), (k2, n2)) = (top, bottom);
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let pooled = (k1 + k2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return None;
    }
    let z = (k1 as f64 / n1 as f64 - k2 as f64 / n2 as f64) / se;
    Some((z, normal_upper_tail(z)))
}

/// `Σ (n_i / N) |mean_conf_i - hit_rate_i|` over `(n, sum of scores, hits)`.
pub fn expected_calibration_error(deciles: &[(u64, f64, u64)]) -> Option<f64> {
    let total: u64 = deciles.iter().map(|(n, _, _)| n).sum();
    if total == 0 {
        return None;
    }
    Some(
        deciles
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, sum, hits)| {
                let n_f = *n as f64;
                (n_f / total as f64) * (sum / n_f - *hits as f64 / n_f).abs()
            })
            .sum(),
    )
}

fn row(bucket: &BucketCounts, thresholds: &Thresholds) -> SplitRow {
    let min_n = thresholds.min_bets();
    let hit_rate = Rate::hit_rate(bucket.hits, bucket.bets, min_n, thresholds.break_even());
    let (roi_pct, roi_interval) = roi(bucket.hits, bucket.bets, thresholds);
    let always_under = Rate::of(bucket.under_wins, bucket.decided, min_n);
    let always_over = Rate::of(bucket.over_wins, bucket.decided, min_n);
    let (naive_name, naive) = if always_under.pct >= always_over.pct {
        ("UNDER", always_under)
    } else {
        ("OVER", always_over)
    };
    let naive_note = match (hit_rate.interval, naive.verdict_pct()) {
        // Within a direction the model is the naive strategy: no note.
        _ if bucket.dimension == Dimension::Direction => None,
        (Some(interval), Some(naive_pct)) if hit_rate.sufficient && interval.low <= naive_pct => {
            Some(format!(
                "no better than always taking the {naive_name} ({naive_pct:.1}% on the same bets)"
            ))
        }
        _ => None,
    };
    SplitRow {
        dimension: bucket.dimension,
        bucket: bucket.bucket.clone(),
        hit_rate,
        roi_pct,
        roi_interval,
        units: units(bucket.hits, bucket.bets, thresholds),
        max_drawdown: bucket.max_drawdown,
        always_under,
        always_over,
        naive_note,
        clv: None,
    }
}

/// The report of `system`'s buckets over `from ..= to`.
pub fn analyse(
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
    buckets: &[BucketCounts],
    thresholds: &Thresholds,
) -> SplitsReport {
    let mut sorted: Vec<&BucketCounts> = buckets.iter().collect();
    sorted
        .sort_by(|a, b| (a.dimension, a.order, &a.bucket).cmp(&(b.dimension, b.order, &b.bucket)));
    let rows = sorted
        .iter()
        .map(|bucket| row(bucket, thresholds))
        .collect();
    let edges: Vec<&&BucketCounts> = sorted
        .iter()
        .filter(|b| b.dimension == Dimension::Edge && b.bets > 0)
        .collect();
    let edge_pays = match (edges.first(), edges.last()) {
        (Some(bottom), Some(top)) if edges.len() > 1 => {
            pooled_z((top.hits, top.bets), (bottom.hits, bottom.bets)).map(|(z, p_value)| {
                EdgePays {
                    top: top.bucket.clone(),
                    bottom: bottom.bucket.clone(),
                    z,
                    p_value,
                }
            })
        }
        _ => None,
    };
    let deciles: Vec<&&BucketCounts> = sorted
        .iter()
        .filter(|b| b.dimension == Dimension::ConfidenceDecile)
        .collect();
    let calibration = deciles
        .iter()
        .map(|b| CalibrationRow {
            decile: b.bucket.clone(),
            n: b.scored,
            mean_confidence: (b.scored > 0).then(|| b.sum_confidence / b.scored as f64),
            hit_rate: Rate::of(b.scored_hits, b.scored, thresholds.min_bets()),
        })
        .collect();
    let scored: u64 = deciles.iter().map(|b| b.scored).sum();
    let brier =
        (scored > 0).then(|| deciles.iter().map(|b| b.sum_brier).sum::<f64>() / scored as f64);
    let ece = expected_calibration_error(
        &deciles
            .iter()
            .map(|b| (b.scored, b.sum_confidence, b.scored_hits))
            .collect::<Vec<_>>(),
    );
    SplitsReport {
        system_id: system.to_string(),
        from,
        to,
        rows,
        edge_pays,
        calibration,
        brier,
        ece,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thresholds() -> Thresholds {
        Thresholds::default()
    }

    #[test]
    fn roi_and_its_interval_by_hand() {
        // 60 of 100 at -110: 60·(100/110) - 40 = 14.545 units, ROI 14.545%.
        let (point, interval) = roi(60, 100, &thresholds());
        assert!((point.unwrap() - 14.545_454).abs() < 1e-5);
        // Wilson 95% for 60/100 is [50.20, 69.07]%: ROI bounds map through it.
        let interval = interval.unwrap();
        assert!((interval.low - roi_at(0.50199, &thresholds())).abs() < 0.05);
        assert!((interval.high - roi_at(0.69070, &thresholds())).abs() < 0.05);
        assert!((units(60, 100, &thresholds()) - 14.545_454).abs() < 1e-5);
        // Break-even is ROI 0.
        assert!(roi_at(110.0 / 210.0, &thresholds()).abs() < 1e-12);
    }

    #[test]
    fn drawdown_by_hand() {
        // Running units 0.909, -0.091, -1.091, -0.182, -1.182: from the
        // peak 0.909 to the trough -1.182 is 3 - 0.909 = 2.091 units.
        let d = max_drawdown([true, false, false, true, false], &thresholds());
        assert!((d - (3.0 - 100.0 / 110.0)).abs() < 1e-9, "{d}");
        assert_eq!(max_drawdown([true, true], &thresholds()), 0.0);
        // Losing from the start counts from 0.
        assert_eq!(max_drawdown([false, false], &thresholds()), 2.0);
    }

    #[test]
    fn ece_and_the_pooled_test_by_hand() {
        // Decile A: 100 bets, mean 0.8, 60 hits; B: 300 bets, mean 0.5, 150 hits.
        // ECE = 0.25·0.2 + 0.75·0 = 0.05.
        let ece = expected_calibration_error(&[(100, 80.0, 60), (300, 150.0, 150)]).unwrap();
        assert!((ece - 0.05).abs() < 1e-12);
        // 60/100 vs 50/100: pooled 0.55, se 0.070356, z 1.42134, p 0.0776.
        let (z, p) = pooled_z((60, 100), (50, 100)).unwrap();
        assert!((z - 1.421_338).abs() < 1e-5, "{z}");
        assert!((p - 0.077_6).abs() < 5e-4, "{p}");
    }

    #[test]
    fn a_model_that_only_wins_unders_is_named() {
        let bucket = BucketCounts {
            dimension: Dimension::All,
            bucket: "all".into(),
            order: 0,
            bets: 1_000,
            hits: 560,
            max_drawdown: 0.0,
            decided: 1_000,
            under_wins: 570,
            over_wins: 430,
            scored: 0,
            scored_hits: 0,
            sum_confidence: 0.0,
            sum_brier: 0.0,
        };
        let report = analyse(
            "s",
            NaiveDate::MIN,
            NaiveDate::MIN,
            &[bucket],
            &thresholds(),
        );
        let note = report.rows[0].naive_note.as_deref().unwrap();
        assert!(
            note.starts_with("no better than always taking the UNDER"),
            "{note}"
        );
    }
}
