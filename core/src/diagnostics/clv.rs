//! Closing line value (metrics.md section 18): each bet's close (the last
//! snapshot 0-45 minutes before tip-off at its own book, else the median
//! over books), `clv_points` (close - line for OVER, line - close for
//! UNDER), and per window and bucket the mean with a 95% t interval (shown
//! from 30 bets), the share beating the close (Wilson), the share with no
//! move, the no-vig probability gained, and the verdict.

use crate::config::Thresholds;
use crate::model::clv::{BookClose, ClvBetRow, ClvBucket, ClvFigures, ClvReport, ClvVerdict};
use crate::stats::{Interval, Z_95, wilson_interval};
use chrono::NaiveDate;

/// Bets a mean needs before its interval and verdict are shown.
pub const MIN_BETS: u64 = 30;

/// One bet's value at the close.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetValue {
    pub points: f64,
    /// No-vig probability of the bet's side at the close minus break-even
    /// (a fraction), when its close has both prices.
    pub prob: Option<f64>,
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The bet's close and value; `None` without any closing snapshot.
pub fn bet_value(bet: &ClvBetRow, break_even: f64) -> Option<BetValue> {
    let own: Option<&BookClose> = (!bet.book.is_empty())
        .then(|| bet.closes.iter().find(|close| close.book == bet.book))
        .flatten();
    let (close, prices) = match own {
        Some(close) => (close.line, close.over_price.zip(close.under_price)),
        None => (median(bet.closes.iter().map(|c| c.line).collect())?, None),
    };
    let points = if bet.over {
        close - bet.line
    } else {
        bet.line - close
    };
    let prob = prices.map(|(over, under)| {
        let (side, other) = if bet.over {
            (over, under)
        } else {
            (under, over)
        };
        (1.0 / side) / (1.0 / side + 1.0 / other) - break_even
    });
    Some(BetValue { points, prob })
}

/// The two-sided 95% t quantile for `df` degrees of freedom (Cornish-Fisher
/// expansion; within 1e-4 of the exact value from 29 degrees of freedom on).
pub fn t_quantile_95(df: f64) -> f64 {
    let z = Z_95;
    let (z3, z5) = (z.powi(3), z.powi(5));
    z + (z3 + z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df)
        + (3.0 * z.powi(7) + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df.powi(3))
}

/// Mean and 95% t interval of `values` (the interval only from [`MIN_BETS`]).
fn mean_interval(values: &[f64]) -> (Option<f64>, Option<Interval>) {
    let n = values.len();
    if n == 0 {
        return (None, None);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if (n as u64) < MIN_BETS {
        return (Some(mean), None);
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half = t_quantile_95((n - 1) as f64) * (variance / n as f64).sqrt();
    (
        Some(mean),
        Some(Interval {
            low: mean - half,
            high: mean + half,
        }),
    )
}

/// The figures of a set of bets.
pub fn figures(bets: &[&ClvBetRow], break_even: f64) -> ClvFigures {
    let values: Vec<BetValue> = bets
        .iter()
        .filter_map(|b| bet_value(b, break_even))
        .collect();
    let no_close = (bets.len() - values.len()) as u64;
    let points: Vec<f64> = values.iter().map(|v| v.points).collect();
    let (mean_points, interval) = mean_interval(&points);
    let moved = points.iter().filter(|p| p.abs() > 1e-9).count() as u64;
    let positive = points.iter().filter(|p| **p > 1e-9).count() as u64;
    let probs: Vec<f64> = values
        .iter()
        .filter_map(|v| v.prob)
        .map(|p| 100.0 * p)
        .collect();
    let (mean_prob_points, prob_interval) = mean_interval(&probs);
    let verdict = match interval {
        None => ClvVerdict::TooFewBets,
        Some(i) if i.low > 0.0 => ClvVerdict::BeatsTheClose,
        Some(i) if i.high < 0.0 => ClvVerdict::LosesToTheClose,
        Some(_) => ClvVerdict::NoEvidence,
    };
    let n = points.len() as u64;
    ClvFigures {
        n,
        no_close,
        mean_points,
        interval,
        positive_pct: (moved > 0).then(|| 100.0 * positive as f64 / moved as f64),
        positive_interval: wilson_interval(positive, moved),
        zero_pct: (n > 0).then(|| 100.0 * (n - moved) as f64 / n as f64),
        prob_n: probs.len() as u64,
        mean_prob_points,
        prob_interval,
        verdict,
    }
}

/// `B - A` in `clv_points` on the keys `(player_lookup, game_id)` both
/// sides bet with a close.
pub fn paired(a: &[ClvBetRow], b: &[ClvBetRow], break_even: f64) -> crate::model::clv::PairedClv {
    let of = |bets: &[ClvBetRow]| -> std::collections::HashMap<(String, String), f64> {
        bets.iter()
            .filter_map(|bet| {
                bet_value(bet, break_even)
                    .map(|v| ((bet.player_lookup.clone(), bet.game_id.clone()), v.points))
            })
            .collect()
    };
    let (a, b) = (of(a), of(b));
    let mut differences: Vec<f64> = b
        .iter()
        .filter_map(|(key, points_b)| a.get(key).map(|points_a| points_b - points_a))
        .collect();
    // In order, so the sum (and the JSON) does not follow the hash order.
    differences.sort_by(f64::total_cmp);
    let (mean_points, interval) = mean_interval(&differences);
    crate::model::clv::PairedClv {
        n: differences.len() as u64,
        mean_points,
        interval,
    }
}

/// The report of `system` over `from ..= to`: overall, then by direction,
/// book and edge bucket.
pub fn report(
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
    bets: Option<&[ClvBetRow]>,
    thresholds: &Thresholds,
) -> ClvReport {
    let break_even = thresholds.break_even();
    let all: Vec<&ClvBetRow> = bets.unwrap_or_default().iter().collect();
    let mut buckets = Vec::new();
    let mut push = |dimension: &str, bucket: String, chosen: Vec<&ClvBetRow>| {
        if !chosen.is_empty() {
            buckets.push(ClvBucket {
                dimension: dimension.to_string(),
                bucket,
                figures: figures(&chosen, break_even),
            });
        }
    };
    for (name, over) in [("OVER", true), ("UNDER", false)] {
        push(
            "direction",
            name.to_string(),
            all.iter().copied().filter(|b| b.over == over).collect(),
        );
    }
    let mut books: Vec<&str> = all.iter().map(|b| b.book.as_str()).collect();
    books.sort_unstable();
    books.dedup();
    for book in books {
        let name = if book.is_empty() { "unknown" } else { book };
        push(
            "bookmaker",
            name.to_string(),
            all.iter().copied().filter(|b| b.book == book).collect(),
        );
    }
    let bounds = &thresholds.edge_buckets.0;
    for (i, low) in bounds.iter().enumerate() {
        let high = bounds.get(i + 1).copied();
        let label = match high {
            Some(high) => format!("edge [{low}, {high})"),
            None => format!("edge [{low}, ∞)"),
        };
        push(
            "edge",
            label,
            all.iter()
                .copied()
                .filter(|b| b.edge >= low - 1e-9 && high.is_none_or(|h| b.edge < h - 1e-9))
                .collect(),
        );
    }
    ClvReport {
        system_id: system.to_string(),
        from,
        to,
        snapshots_available: bets.is_some(),
        overall: figures(&all, break_even),
        buckets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bet(over: bool, line: f64, book: &str, closes: &[(&str, f64)]) -> ClvBetRow {
        ClvBetRow {
            game_date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            player_lookup: "p".into(),
            game_id: "g".into(),
            over,
            line,
            edge: 4.0,
            book: book.into(),
            closes: closes
                .iter()
                .map(|(book, line)| BookClose {
                    book: book.to_string(),
                    line: *line,
                    over_price: Some(1.80),
                    under_price: Some(2.00),
                })
                .collect(),
        }
    }

    #[test]
    fn the_close_is_the_own_book_s_else_the_median_over_books() {
        let b = bet(
            true,
            20.5,
            "fanduel",
            &[("draftkings", 22.5), ("fanduel", 21.5)],
        );
        let value = bet_value(&b, 0.5).unwrap();
        assert_eq!(value.points, 1.0);
        // OVER at 1.80 / UNDER at 2.00: no-vig OVER = (1/1.8)/(1/1.8+1/2) = 0.5263.
        assert!((value.prob.unwrap() - (0.526_315_8 - 0.5)).abs() < 1e-6);
        let unknown = bet(false, 20.5, "", &[("a", 21.0), ("b", 22.0), ("c", 19.0)]);
        let value = bet_value(&unknown, 0.5).unwrap();
        assert_eq!(value.points, -0.5, "UNDER: line - median(19, 21, 22)");
        assert_eq!(value.prob, None, "a median close has no prices");
        assert_eq!(bet_value(&bet(true, 20.5, "x", &[]), 0.5), None);
    }

    #[test]
    fn the_paired_difference_is_on_the_keys_both_bet_with_a_close() {
        let key = |player: &str, over: bool, line: f64, close: f64| {
            let mut b = bet(over, line, "a", &[("a", close)]);
            b.player_lookup = player.into();
            b
        };
        // Shared p1 and p2; p3 only in B; p4 in A without a close.
        let a = vec![key("p1", true, 20.0, 21.0), key("p2", false, 10.0, 10.5), {
            let mut none = bet(true, 5.0, "a", &[]);
            none.player_lookup = "p4".into();
            none
        }];
        let b = vec![
            key("p1", true, 19.5, 21.0),
            key("p2", true, 10.0, 10.5),
            key("p3", true, 1.0, 9.0),
        ];
        let paired = paired(&a, &b, 0.5);
        assert_eq!(paired.n, 2);
        // p1: 1.5 - 1.0 = 0.5; p2: 0.5 - (-0.5) = 1.0.
        assert_eq!(paired.mean_points, Some(0.75));
        assert!(paired.interval.is_none(), "fewer than 30 pairs");
    }

    #[test]
    fn the_t_quantile_matches_the_table() {
        // t(0.975) for 29, 60 and 120 degrees of freedom.
        for (df, t) in [(29.0, 2.045230), (60.0, 2.000298), (120.0, 1.979930)] {
            assert!(
                (t_quantile_95(df) - t).abs() < 1e-4,
                "{df}: {}",
                t_quantile_95(df)
            );
        }
    }

    #[test]
    fn the_verdict_needs_thirty_bets_and_an_interval_clear_of_zero() {
        let up: Vec<ClvBetRow> = (0..40)
            .map(|i| {
                bet(
                    true,
                    20.0,
                    "a",
                    &[("a", 20.0 + if i % 4 == 0 { 0.0 } else { 0.5 })],
                )
            })
            .collect();
        let refs: Vec<&ClvBetRow> = up.iter().collect();
        let f = figures(&refs, 0.5238);
        assert_eq!(f.n, 40);
        assert_eq!(f.verdict, ClvVerdict::BeatsTheClose);
        assert_eq!(f.zero_pct, Some(25.0));
        assert_eq!(f.positive_pct, Some(100.0));
        let few = figures(&refs[..10], 0.5238);
        assert_eq!(few.verdict, ClvVerdict::TooFewBets);
        assert!(few.interval.is_none() && few.mean_points.is_some());
    }
}
