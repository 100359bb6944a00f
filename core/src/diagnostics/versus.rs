//! Champion against challenger on identical rows (metrics.md section 14):
//! both hit rates on the keys where both sides bet, the flips, McNemar, the
//! paired difference with the Agresti-Min interval, the paired MAE
//! difference, and the verdict. Pure: the counts come from one join in the
//! source.

use crate::config::Thresholds;
use crate::model::Rate;
use crate::model::versus::{PairCounts, Side, VersusReport, VersusVerdict};
use crate::stats::{Interval, Z_95, mcnemar};
use chrono::NaiveDate;

/// The one-sided 95% normal quantile.
pub const Z_ONE_SIDED_95: f64 = 1.644854;

/// `d' = (c' - b')/n'` and `se = sqrt(b' + c' - (c' - b')²/n')/n'` with 0.5
/// added to each of the four cells of the paired table (`n' = n + 2`): as
/// fractions. `None` without paired bets.
pub fn agresti_min(both_bet: u64, b: u64, c: u64) -> Option<(f64, f64)> {
    if both_bet == 0 || b + c > both_bet {
        return None;
    }
    let n = both_bet as f64 + 2.0;
    let (b, c) = (b as f64 + 0.5, c as f64 + 0.5);
    let d = (c - b) / n;
    let se = (b + c - (c - b).powi(2) / n).max(0.0).sqrt() / n;
    Some((d, se))
}

/// The mean of paired differences with its normal 95% interval.
pub fn paired_mean(n: u64, sum: f64, sum_sq: f64) -> Option<(f64, Option<Interval>)> {
    if n == 0 {
        return None;
    }
    let count = n as f64;
    let mean = sum / count;
    let interval = (n > 1).then(|| {
        let variance = ((sum_sq - count * mean * mean) / (count - 1.0)).max(0.0);
        let half = Z_95 * (variance / count).sqrt();
        Interval {
            low: mean - half,
            high: mean + half,
        }
    });
    Some((mean, interval))
}

/// B against A over `from ..= to`, from the join's counts.
pub fn analyse(
    a: Side,
    b: Side,
    from: NaiveDate,
    to: NaiveDate,
    counts: &PairCounts,
    thresholds: &Thresholds,
    margin_pp: f64,
) -> VersusReport {
    let min_n = thresholds.min_bets();
    let p0 = thresholds.break_even();
    let hit_rate_a = Rate::hit_rate(counts.a_hits, counts.both_bet, min_n, p0);
    let hit_rate_b = Rate::hit_rate(counts.b_hits, counts.both_bet, min_n, p0);
    let flips = (counts.a_hit_b_miss, counts.a_miss_b_hit);
    let test = (flips.0 + flips.1 > 0).then(|| mcnemar(flips.0, flips.1));
    let paired = agresti_min(counts.both_bet, flips.0, flips.1);
    let difference_interval = paired.map(|(d, se)| Interval {
        low: 100.0 * (d - Z_95 * se),
        high: 100.0 * (d + Z_95 * se),
    });
    let lower_one_sided = paired.map(|(d, se)| 100.0 * (d - Z_ONE_SIDED_95 * se));
    let mae = paired_mean(
        counts.error_pairs,
        counts.sum_error_difference,
        counts.sum_error_difference_sq,
    );
    let enough = counts.both_bet >= min_n;
    let verdict = match (difference_interval, lower_one_sided) {
        (Some(interval), Some(lower)) if enough => {
            if interval.low > 0.0 {
                VersusVerdict::BBetter
            } else if lower > -margin_pp {
                VersusVerdict::BNotWorse
            } else if interval.high < 0.0 {
                VersusVerdict::BWorse
            } else {
                VersusVerdict::Inconclusive
            }
        }
        _ => VersusVerdict::Inconclusive,
    };
    let verdict_text = verdict_text(
        verdict,
        &a,
        &b,
        counts,
        difference_interval,
        margin_pp,
        min_n,
    );
    VersusReport {
        a_only: counts.a_rows.saturating_sub(counts.shared),
        b_only: counts.b_rows.saturating_sub(counts.shared),
        shared: counts.shared,
        both_bet: counts.both_bet,
        hit_rate_a,
        hit_rate_b,
        a_hit_b_miss: flips.0,
        a_miss_b_hit: flips.1,
        mcnemar: test,
        // The estimate is the observed difference; the interval is
        // Agresti-Min's, centred on the adjusted d'.
        difference_pp: paired
            .map(|_| 100.0 * (flips.1 as f64 - flips.0 as f64) / counts.both_bet as f64),
        difference_interval,
        difference_lower_one_sided: lower_one_sided,
        mae_difference: mae.map(|(mean, _)| mean),
        mae_difference_interval: mae.and_then(|(_, interval)| interval),
        error_pairs: counts.error_pairs,
        margin_pp,
        verdict,
        verdict_text,
        clv_difference: None,
        a,
        b,
        from,
        to,
    }
}

fn verdict_text(
    verdict: VersusVerdict,
    a: &Side,
    b: &Side,
    counts: &PairCounts,
    interval: Option<Interval>,
    margin_pp: f64,
    min_n: u64,
) -> String {
    let (a, b) = (a.label(), b.label());
    let n = crate::format::count(counts.both_bet);
    let ci = interval.map_or_else(String::new, |i| {
        format!(" (HR difference {:+.1} to {:+.1} points)", i.low, i.high)
    });
    match verdict {
        VersusVerdict::BBetter => {
            format!("{b} is better than {a} on the same {n} bets{ci}")
        }
        VersusVerdict::BNotWorse => {
            let unit = if margin_pp == 1.0 { "point" } else { "points" };
            format!(
                "{b} is not worse than {a} by more than {margin_pp} {unit} on the same {n} bets{ci}"
            )
        }
        VersusVerdict::BWorse => format!("{b} is worse than {a} on the same {n} bets{ci}"),
        VersusVerdict::Inconclusive if counts.both_bet < min_n => {
            format!("inconclusive: only {n} bets where both bet (need {min_n} for a verdict)")
        }
        VersusVerdict::Inconclusive => {
            format!(
                "inconclusive on {n} bets where both bet{ci}: neither better nor within the margin"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system(id: &str) -> Side {
        Side::System {
            system_id: id.to_string(),
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
    }

    #[test]
    fn agresti_min_by_hand() {
        // n = 100, b = 10, c = 20: n' = 102, b' = 10.5, c' = 20.5,
        // d' = 10/102 = 0.098039, se = sqrt(31 - 100/102)/102 = 0.053717.
        let (d, se) = agresti_min(100, 10, 20).unwrap();
        assert!((d - 0.098_039_2).abs() < 1e-6, "{d}");
        assert!((se - 0.053_717).abs() < 1e-5, "{se}");
        assert_eq!(agresti_min(0, 0, 0), None);
        // No flips: d' = 0 and a small but positive se.
        let (d, se) = agresti_min(50, 0, 0).unwrap();
        assert_eq!(d, 0.0);
        assert!(se > 0.0);
    }

    #[test]
    fn paired_mean_by_hand() {
        // Differences 1, 2, 3: mean 2, sd 1, half-width 1.96/sqrt(3).
        let (mean, interval) = paired_mean(3, 6.0, 14.0).unwrap();
        assert_eq!(mean, 2.0);
        let interval = interval.unwrap();
        assert!((interval.high - (2.0 + 1.959964 / 3f64.sqrt())).abs() < 1e-9);
        assert_eq!(paired_mean(0, 0.0, 0.0), None);
    }

    /// Both rates 55% on 1,000 bets, yet B wins every flip: unpaired rates
    /// say nothing, the paired test says B is better.
    #[test]
    fn paired_statistics_see_what_unpaired_rates_miss() {
        let counts = PairCounts {
            a_rows: 1_000,
            b_rows: 1_000,
            shared: 1_000,
            both_bet: 1_000,
            a_hits: 540,
            b_hits: 560,
            a_hit_b_miss: 0,
            a_miss_b_hit: 20,
            ..PairCounts::default()
        };
        let report = analyse(
            system("a"),
            system("b"),
            day(),
            day(),
            &counts,
            &Thresholds::default(),
            1.0,
        );
        // Unpaired: the Wilson intervals of 54.0% and 56.0% overlap widely.
        let (a, b) = (
            report.hit_rate_a.interval.unwrap(),
            report.hit_rate_b.interval.unwrap(),
        );
        assert!(a.high > b.low, "{a:?} {b:?}");
        // Paired: McNemar and the Agresti-Min interval both exclude 0.
        assert!(report.mcnemar.unwrap().p_value < 0.001);
        assert!(report.difference_interval.unwrap().low > 0.0);
        assert_eq!(report.verdict, VersusVerdict::BBetter);
        assert!(report.verdict_text.starts_with("b is better than a"));
    }

    #[test]
    fn verdicts_follow_the_bounds_and_need_the_sample() {
        let verdict = |both: u64, b: u64, c: u64| {
            let counts = PairCounts {
                both_bet: both,
                a_hit_b_miss: b,
                a_miss_b_hit: c,
                ..PairCounts::default()
            };
            analyse(
                system("a"),
                system("b"),
                day(),
                day(),
                &counts,
                &Thresholds::default(),
                1.0,
            )
            .verdict
        };
        assert_eq!(verdict(1_000, 80, 20), VersusVerdict::BWorse);
        assert_eq!(verdict(10_000, 55, 50), VersusVerdict::BNotWorse);
        assert_eq!(verdict(400, 30, 26), VersusVerdict::Inconclusive);
        assert_eq!(
            verdict(20, 0, 10),
            VersusVerdict::Inconclusive,
            "below min_bets"
        );
        let none = analyse(
            system("a"),
            system("b"),
            day(),
            day(),
            &PairCounts {
                both_bet: 100,
                ..PairCounts::default()
            },
            &Thresholds::default(),
            1.0,
        );
        assert_eq!(none.mcnemar, None, "no paired disagreements, not p = 1");
    }
}
