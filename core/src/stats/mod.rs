//! Statistical tests behind every verdict: the Wilson score interval, the
//! one-sided exact binomial tail, and McNemar's paired test; and the seeded
//! random numbers behind the demo data and the false-alarm simulations
//! ([`rng`]). Pure functions.

pub mod confseq;
pub mod rng;

use serde::{Deserialize, Serialize};

/// The normal quantile for a two-sided 95% interval.
pub const Z_95: f64 = 1.959964;

/// A closed interval of percentages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// The Wilson 95% interval of `successes / trials`, in percent; `None` when `trials == 0`.
pub fn wilson_interval(successes: u64, trials: u64) -> Option<Interval> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half_width = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(Interval {
        low: 100.0 * (centre - half_width).max(0.0),
        high: 100.0 * (centre + half_width).min(1.0),
    })
}

/// Natural log of the binomial probability `P(X = k)` for `X ~ Binomial(n, p)`, `0 < p < 1`.
fn ln_binomial_pmf(k: u64, n: u64, p: f64) -> f64 {
    let (k_f, n_f) = (k as f64, n as f64);
    libm::lgamma(n_f + 1.0) - libm::lgamma(k_f + 1.0) - libm::lgamma(n_f - k_f + 1.0)
        + k_f * p.ln()
        + (n_f - k_f) * (1.0 - p).ln()
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`: the one-sided exact p-value of "no better than `p`".
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // Sum the pmf from k upwards with the ratio recurrence; stop when terms vanish.
    let ratio = p / (1.0 - p);
    let mut term = ln_binomial_pmf(k, n, p).exp();
    let mut total = 0.0;
    let mut i = k;
    loop {
        total += term;
        if i == n || (term < total * 1e-17 && i as f64 > n as f64 * p) {
            break;
        }
        term *= (n - i) as f64 / (i + 1) as f64 * ratio;
        i += 1;
    }
    total.min(1.0)
}

/// `P(X <= k)` for `X ~ Binomial(n, p)`.
pub fn binomial_lower_tail(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    // By symmetry: X <= k  <=>  n - X >= n - k with n - X ~ Binomial(n, 1 - p).
    binomial_upper_tail(n - k, n, 1.0 - p)
}

/// Which form of McNemar's test was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum McNemarMethod {
    /// Exact two-sided binomial test on the discordant pairs (`b + c < 25`).
    ExactBinomial,
    /// Continuity-corrected chi-square with one degree of freedom.
    ChiSquare,
}

/// McNemar's paired test on the discordant counts `b` and `c`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct McNemar {
    pub b: u64,
    pub c: u64,
    pub method: McNemarMethod,
    /// The chi-square statistic (only for the chi-square form).
    pub statistic: Option<f64>,
    pub p_value: f64,
}

/// McNemar's test: exact binomial below 25 discordant pairs, else `(|b-c|-1)²/(b+c)`.
pub fn mcnemar(b: u64, c: u64) -> McNemar {
    let discordant = b + c;
    if discordant < 25 {
        let p_value = if discordant == 0 {
            1.0
        } else {
            (2.0 * binomial_lower_tail(b.min(c), discordant, 0.5)).min(1.0)
        };
        return McNemar {
            b,
            c,
            method: McNemarMethod::ExactBinomial,
            statistic: None,
            p_value,
        };
    }
    let difference = (b as f64 - c as f64).abs() - 1.0;
    let statistic = difference.max(0.0).powi(2) / discordant as f64;
    McNemar {
        b,
        c,
        method: McNemarMethod::ChiSquare,
        statistic: Some(statistic),
        p_value: chi_square_1df_survival(statistic),
    }
}

/// `P(X > x)` for a chi-square variable with one degree of freedom.
pub fn chi_square_1df_survival(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    libm::erfc((x / 2.0).sqrt())
}

/// `P(Z >= z)` for a standard normal `Z`.
pub fn normal_upper_tail(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// `value` rounded to `decimals` places.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn wilson_57_of_100() {
        // p = .57, z² = 3.841459; centre = (.57 + .019207)/1.038415 = .567411;
        // half = 1.959964*sqrt(.002451 + .000096036)/1.038415 = .095256.
        let interval = wilson_interval(57, 100).unwrap();
        close(interval.low, 47.2154, 1e-3);
        close(interval.high, 66.2667, 1e-3);
    }

    #[test]
    fn wilson_0_of_10_starts_at_zero() {
        // centre = (0 + .192073)/1.384146 = .138766; half = 1.959964*sqrt(.0096036)/1.384146 = .138766.
        let interval = wilson_interval(0, 10).unwrap();
        close(interval.low, 0.0, 1e-9);
        close(interval.high, 27.7533, 1e-3);
    }

    #[test]
    fn wilson_10_of_10_ends_at_hundred() {
        let interval = wilson_interval(10, 10).unwrap();
        close(interval.low, 72.2467, 1e-3);
        close(interval.high, 100.0, 1e-9);
    }

    #[test]
    fn wilson_of_nothing_is_none() {
        assert_eq!(wilson_interval(0, 0), None);
        assert_eq!(wilson_interval(3, 2), None);
    }

    #[test]
    fn binomial_tail_57_of_100_at_break_even() {
        // Sum over i = 57..100 of C(100, i) (11/21)^i (10/21)^(100-i), computed with
        // exact rationals (Python fractions): 0.2049691.
        let p0 = 110.0 / 210.0;
        close(binomial_upper_tail(57, 100, p0), 0.2049691, 1e-6);
    }

    #[test]
    fn binomial_tail_small_cases_by_hand() {
        // n = 3, p = .5: P(X >= 2) = (3 + 1)/8.
        close(binomial_upper_tail(2, 3, 0.5), 0.5, 1e-12);
        // n = 4, p = .25: P(X >= 3) = 4*(1/64)*(3/4) + 1/256 = 13/256.
        close(binomial_upper_tail(3, 4, 0.25), 13.0 / 256.0, 1e-12);
        close(binomial_upper_tail(0, 10, 0.3), 1.0, 0.0);
        close(binomial_upper_tail(11, 10, 0.3), 0.0, 0.0);
        // n = 5, p = .5: P(X <= 1) = 6/32.
        close(binomial_lower_tail(1, 5, 0.5), 6.0 / 32.0, 1e-12);
    }

    #[test]
    fn binomial_tail_large_n_is_stable() {
        // Mean 5238, sd ~50: k at the mean gives about one half.
        let tail = binomial_upper_tail(5238, 10_000, 110.0 / 210.0);
        assert!(tail > 0.45 && tail < 0.55, "{tail}");
        assert!(binomial_upper_tail(9_000, 10_000, 0.5) < 1e-100);
    }

    #[test]
    fn mcnemar_exact_below_25_discordant_pairs() {
        // b = 2, c = 8: 2 * P(X <= 2 | n = 10, .5) = 2 * 56/1024 = 0.109375.
        let test = mcnemar(2, 8);
        assert_eq!(test.method, McNemarMethod::ExactBinomial);
        close(test.p_value, 0.109375, 1e-12);
        assert_eq!(mcnemar(0, 0).p_value, 1.0);
        // Symmetric counts cannot be significant: the doubled tail is capped at 1.
        assert_eq!(mcnemar(5, 5).p_value, 1.0);
    }

    #[test]
    fn mcnemar_chi_square_from_25_discordant_pairs() {
        // b = 10, c = 20: (|10-20|-1)² / 30 = 81/30 = 2.7; P(chi²₁ > 2.7) = 0.100348.
        let test = mcnemar(10, 20);
        assert_eq!(test.method, McNemarMethod::ChiSquare);
        close(test.statistic.unwrap(), 2.7, 1e-12);
        close(test.p_value, 0.100348, 1e-5);
        // Exactly 25 discordant pairs uses the chi-square form.
        assert_eq!(mcnemar(12, 13).method, McNemarMethod::ChiSquare);
    }
}
