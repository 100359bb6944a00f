//! The always-valid verdict of metrics.md §19, "Since promotion": a one-sided
//! beta-binomial mixture confidence sequence (Howard, Ramdas, McAuliffe & Sekhon,
//! "Time-uniform, nonparametric, nonasymptotic confidence sequences", Annals of
//! Statistics 2021, Prop. 7), ported from the `confseq` library
//! (`uniform_boundaries.h`: `best_rho`, `BetaBinomialMixture`, `find_mixture_bound`
//! and `bernoulli_confidence_interval`) and checked against its unit tests. The log of
//! the incomplete beta function is computed here (a Lentz continued fraction), so
//! nothing beyond `libm` is needed. Pure, deterministic functions that do not panic.
//!
//! Under the null the mixture `m(s, v)` is a nonnegative supermartingale, so by
//! Ville's inequality it ever reaches `1/α` with probability at most α, however often
//! it is looked at: the verdict may be read after every game date.

use serde::{Deserialize, Serialize};

/// `since_promotion_t_opt`'s default: the number of bets the boundary is tuned for.
pub const DEFAULT_T_OPT: f64 = 1_000.0;
/// α of §19.
pub const DEFAULT_ALPHA: f64 = 0.05;
/// The furthest [`AlwaysValid::bets_still_needed`] looks, in bets in all.
pub const MAX_SEARCH_BETS: u64 = 10_000_000;

/// α and the tuning of §19: break-even `p0`, the bets `t_opt` the boundary is tightest
/// at, and the level `alpha`, which also tunes the mixture (`best_rho(v_opt, 2α)`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MixtureSpec {
    pub p0: f64,
    pub t_opt: f64,
    pub alpha: f64,
}

impl MixtureSpec {
    /// §19's defaults (`t_opt` = 1,000 bets, α = 0.05) at break-even `p0`.
    pub fn new(p0: f64) -> MixtureSpec {
        MixtureSpec {
            p0,
            t_opt: DEFAULT_T_OPT,
            alpha: DEFAULT_ALPHA,
        }
    }
}

/// confseq's `best_rho`: the precision of the normal mixture that makes its two-sided
/// boundary tightest at intrinsic time `v_opt` for level `alpha`. One-sided mixtures
/// are tuned with `best_rho(v_opt, 2α)`, as confseq's are.
pub fn best_rho(v_opt: f64, alpha: f64) -> f64 {
    let log_inv_alpha = (1.0 / alpha).ln();
    v_opt / (2.0 * log_inv_alpha + (2.0 * log_inv_alpha).ln_1p())
}

/// confseq's `beta_binomial_log_mixture`: `ln m(s, v)` of the beta-binomial mixture for
/// increments in `[-g, h]`, tuned for `v_opt` at level `alpha` (confseq's `alpha_opt`).
/// NaN outside its domain (`g`, `h` not positive, or `s` beyond what `v` allows).
pub fn beta_binomial_log_mixture(
    s: f64,
    v: f64,
    v_opt: f64,
    g: f64,
    h: f64,
    alpha: f64,
    one_sided: bool,
) -> f64 {
    Mixture::new(v_opt, alpha, g, h, one_sided).log_m(s, v)
}

/// confseq's `beta_binomial_mixture_bound`: the `s` at which `ln m(s, v)` reaches
/// `ln(1/alpha)`, or `v / g` when no smaller `s` does; `alpha` also tunes the mixture
/// (confseq's `alpha_opt`, 0.05 by default there). NaN for arguments out of range.
pub fn beta_binomial_mixture_bound(
    v: f64,
    alpha: f64,
    v_opt: f64,
    g: f64,
    h: f64,
    one_sided: bool,
) -> f64 {
    Mixture::new(v_opt, alpha, g, h, one_sided).bound(v, (1.0 / alpha).ln())
}

/// confseq's `bernoulli_confidence_interval`: the `1 - alpha` confidence sequence for
/// a mean in [0, 1] after `successes` in `trials`, from two-sided beta-binomial
/// mixtures tuned at `t_opt` trials, `alpha` also being the tuning level (confseq's
/// `alpha_opt`). `(0, 1)` when `trials` is not positive.
pub fn bernoulli_confidence_interval(
    successes: f64,
    trials: f64,
    alpha: f64,
    t_opt: f64,
) -> (f64, f64) {
    if trials.is_nan() || trials <= 0.0 || successes.is_nan() {
        return (0.0, 1.0);
    }
    let threshold = (1.0 / alpha).ln();
    let rate = (successes / trials).clamp(0.0, 1.0);
    // ln m at the null mean `p`, less the threshold; the ends are given their sign.
    let excess = |p: f64, at_zero: f64, at_one: f64| {
        if p <= 0.0 {
            return at_zero;
        }
        if p >= 1.0 {
            return at_one;
        }
        let v = p * (1.0 - p);
        Mixture::new(v * t_opt, alpha, p, 1.0 - p, false).log_m((rate - p) * trials, v * trials)
            - threshold
    };
    let lower = if rate > 0.0 {
        bisect(|p| excess(p, 1.0, -1.0), 0.0, rate).unwrap_or(0.0)
    } else {
        0.0
    };
    let upper = if rate < 1.0 {
        bisect(|p| excess(p, -1.0, 1.0), rate, 1.0).unwrap_or(1.0)
    } else {
        1.0
    };
    (lower, upper)
}

/// The verdict of §19 on the bets since a promotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SincePromotionVerdict {
    /// The hit rate is above `p0`, at level α, whenever it is looked at.
    EdgeProven,
    /// The hit rate is below `p0`, at level α, whenever it is looked at.
    EdgeRefuted,
    NotYet,
}

/// §19's always-valid reading of `hits` in `bets` since a promotion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlwaysValid {
    pub bets: u64,
    pub hits: u64,
    /// `ln m(s, v)` of the edge mixture; the edge is proven at `ln(1/α)`.
    pub log_m: f64,
    /// `ln m` of the mirrored mixture; the edge is refuted at `ln(1/α)`.
    pub log_m_refute: f64,
    /// The always-valid p-value of "no edge", `min(1, 1/m)`.
    pub p_value: f64,
    pub verdict: SincePromotionVerdict,
    /// Only when not yet proven with a hit rate above `p0`: the extra bets after which
    /// the edge would be proven if the hit rate held (hits taken as real-valued,
    /// `bets' · hits / bets`); `None` past [`MAX_SEARCH_BETS`] bets in all.
    pub bets_still_needed: Option<u64>,
}

/// §19's verdict on `hits` in `bets` since a promotion. A spec out of range (`p0` or
/// `alpha` outside (0, 1), `t_opt` not positive), no bets, or more hits than bets
/// reads as not yet, with `ln m` = 0 and p = 1.
pub fn always_valid(hits: u64, bets: u64, spec: &MixtureSpec) -> AlwaysValid {
    let neutral = AlwaysValid {
        bets,
        hits,
        log_m: 0.0,
        log_m_refute: 0.0,
        p_value: 1.0,
        verdict: SincePromotionVerdict::NotYet,
        bets_still_needed: None,
    };
    let Some(test) = SincePromotion::new(spec) else {
        return neutral;
    };
    if bets == 0 || hits > bets {
        return neutral;
    }
    let (k, t) = (hits as f64, bets as f64);
    let log_m = test.log_m(k, t);
    let log_m_refute = test.log_m_refute(k, t);
    if !log_m.is_finite() || !log_m_refute.is_finite() {
        return neutral;
    }
    let verdict = test.verdict(log_m, log_m_refute);
    let bets_still_needed = match verdict {
        SincePromotionVerdict::NotYet => test.bets_still_needed(hits, bets),
        _ => None,
    };
    AlwaysValid {
        log_m,
        log_m_refute,
        p_value: (-log_m).exp().min(1.0),
        verdict,
        bets_still_needed,
        ..neutral
    }
}

/// §19's two one-sided mixtures for one spec, tuned once.
#[derive(Debug, Clone, Copy)]
struct SincePromotion {
    p0: f64,
    log_threshold: f64,
    /// `g = p0`, `h = 1 - p0`: the hit rate is above `p0`.
    edge: Mixture,
    /// Mirrored, `g = 1 - p0`, `h = p0`, fed `-s`: the hit rate is below `p0`.
    refute: Mixture,
}

impl SincePromotion {
    fn new(spec: &MixtureSpec) -> Option<SincePromotion> {
        let MixtureSpec { p0, t_opt, alpha } = *spec;
        let in_unit = |x: f64| x > 0.0 && x < 1.0;
        if !in_unit(p0) || !in_unit(alpha) || !t_opt.is_finite() || t_opt <= 0.0 {
            return None;
        }
        let v_opt = t_opt * p0 * (1.0 - p0);
        Some(SincePromotion {
            p0,
            log_threshold: (1.0 / alpha).ln(),
            edge: Mixture::new(v_opt, alpha, p0, 1.0 - p0, true),
            refute: Mixture::new(v_opt, alpha, 1.0 - p0, p0, true),
        })
    }

    /// `ln m(s, v)` at `s = k - t·p0`, `v = t·p0(1-p0)`.
    fn log_m(&self, hits: f64, bets: f64) -> f64 {
        let p0 = self.p0;
        self.edge.log_m(hits - bets * p0, bets * p0 * (1.0 - p0))
    }

    fn log_m_refute(&self, hits: f64, bets: f64) -> f64 {
        let p0 = self.p0;
        self.refute.log_m(bets * p0 - hits, bets * p0 * (1.0 - p0))
    }

    fn verdict(&self, log_m: f64, log_m_refute: f64) -> SincePromotionVerdict {
        if log_m >= self.log_threshold {
            SincePromotionVerdict::EdgeProven
        } else if log_m_refute >= self.log_threshold {
            SincePromotionVerdict::EdgeRefuted
        } else {
            SincePromotionVerdict::NotYet
        }
    }

    /// The smallest `t' > bets` at which the edge is proven if the rate `hits / bets`
    /// holds, less `bets`. At a fixed rate above `p0`, `ln m` first falls, then rises
    /// in `t'` (checked numerically for `t_opt` of 100 to 10,000), so its crossing is
    /// found by doubling, then bisection.
    fn bets_still_needed(&self, hits: u64, bets: u64) -> Option<u64> {
        let rate = hits as f64 / bets as f64;
        if bets == 0 || rate.is_nan() || rate <= self.p0 || bets >= MAX_SEARCH_BETS {
            return None;
        }
        let proven = |total: u64| {
            let t = total as f64;
            self.log_m(t * rate, t) >= self.log_threshold
        };
        // Not proven at `low`, proven at `high`.
        let mut low = bets;
        let mut high = bets.saturating_mul(2).min(MAX_SEARCH_BETS);
        while !proven(high) {
            if high >= MAX_SEARCH_BETS {
                return None;
            }
            low = high;
            high = high.saturating_mul(2).min(MAX_SEARCH_BETS);
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if proven(middle) {
                high = middle;
            } else {
                low = middle;
            }
        }
        Some(high - bets)
    }
}

/// confseq's `BetaBinomialMixture`, tuned once: the mixture over sub-Bernoulli
/// increments in `[-g, h]` with a beta mixing distribution, one-sided (evidence for a
/// positive drift only) or two-sided.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Mixture {
    g: f64,
    h: f64,
    /// confseq's `r = max(rho - g·h, 0.001·g·h)`.
    r: f64,
    /// Upper limit of the incomplete beta: `h / (g + h)` one-sided, 1 two-sided.
    x: f64,
    normalizer: f64,
}

impl Mixture {
    fn new(v_opt: f64, alpha: f64, g: f64, h: f64, one_sided: bool) -> Mixture {
        let rho = if one_sided {
            best_rho(v_opt, 2.0 * alpha)
        } else {
            best_rho(v_opt, alpha)
        };
        let r = (rho - g * h).max(1e-3 * g * h);
        let x = if one_sided { h / (g + h) } else { 1.0 };
        let normalizer = ln_incomplete_beta(r / (g * (g + h)), r / (h * (g + h)), x);
        Mixture {
            g,
            h,
            r,
            x,
            normalizer,
        }
    }

    /// `ln m(s, v)`: confseq's `log_superMG`.
    fn log_m(&self, s: f64, v: f64) -> f64 {
        let Mixture {
            g,
            h,
            r,
            x,
            normalizer,
        } = *self;
        let sum = g + h;
        v / (g * h) * sum.ln() - (v + h * s) / (h * sum) * g.ln() - (v - g * s) / (g * sum) * h.ln()
            + ln_incomplete_beta((r + v - g * s) / (g * sum), (r + v + h * s) / (h * sum), x)
            - normalizer
    }

    /// confseq's `find_mixture_bound`: the `s` in `[0, v/g]` at which `ln m(s, v)`
    /// reaches `log_threshold`, `v/g` when it does not.
    fn bound(&self, v: f64, log_threshold: f64) -> f64 {
        let upper = v / self.g;
        let excess = |s: f64| self.log_m(s, v) - log_threshold;
        if excess(upper) < 0.0 {
            return upper;
        }
        bisect(excess, 0.0, upper).unwrap_or(f64::NAN)
    }
}

/// Bisection as boost's `bisect` with `eps_tolerance(40)`, which confseq uses: halves
/// `[low, high]` until it is within 2^-39 of its smaller end, or can't be halved in
/// floating point, and returns its middle (so exactly 0 when it closes in on 0). `None`
/// unless `f` changes sign between the ends.
fn bisect(mut f: impl FnMut(f64) -> f64, mut low: f64, mut high: f64) -> Option<f64> {
    const TOLERANCE: f64 = 1.0 / (1u64 << 39) as f64;
    const MAX_HALVINGS: usize = 4_000;
    let mut f_low = f(low);
    let f_high = f(high);
    if f_low == 0.0 {
        return Some(low);
    }
    if f_high == 0.0 {
        return Some(high);
    }
    let product = f_low * f_high;
    if product.is_nan() || product > 0.0 {
        return None;
    }
    for _ in 0..MAX_HALVINGS {
        if (high - low).abs() <= TOLERANCE * low.abs().min(high.abs()) {
            break;
        }
        let middle = (low + high) / 2.0;
        if middle == low || middle == high {
            break;
        }
        let f_middle = f(middle);
        if f_middle == 0.0 {
            return Some(middle);
        }
        // A NaN counts as positive, as boost's `sign` has it.
        if (f_middle < 0.0) != (f_low < 0.0) {
            high = middle;
        } else {
            low = middle;
            f_low = f_middle;
        }
    }
    Some((low + high) / 2.0)
}

/// `ln B(a, b)`.
fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// `ln B_x(a, b)`, the log of the (unregularized) incomplete beta function
/// `∫₀ˣ u^(a-1) (1-u)^(b-1) du` (confseq's `log_incomplete_beta`). Computed in logs,
/// so it stays finite where `B_x` underflows; about 1e-13 relative for `a`, `b` up to
/// 1e7. NaN unless `a`, `b` > 0.
fn ln_incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if a.is_nan() || b.is_nan() || x.is_nan() || a <= 0.0 || b <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if x >= 1.0 {
        return ln_beta(a, b);
    }
    let ln_x = x.ln();
    let ln_1mx = (-x).ln_1p();
    if x < (a + 1.0) / (a + b + 2.0) {
        // B_x(a, b) = x^a (1-x)^b / a · cf(a, b, x)
        a * ln_x + b * ln_1mx - a.ln() + beta_continued_fraction(a, b, x).ln()
    } else {
        // B_x(a, b) = B(a, b) - B_{1-x}(b, a), the continued fraction being fast there.
        let ln_complete = ln_beta(a, b);
        let ln_tail = b * ln_1mx + a * ln_x - b.ln() + beta_continued_fraction(b, a, 1.0 - x).ln();
        ln_complete + (-(ln_tail - ln_complete).exp()).ln_1p()
    }
}

/// The continued fraction of the incomplete beta function (Numerical Recipes'
/// `betacf`, modified Lentz), for `x < (a + 1) / (a + b + 2)`.
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const EPSILON: f64 = 1e-15;
    const TINY: f64 = 1e-300;
    let not_tiny = |value: f64| if value.abs() < TINY { TINY } else { value };
    // Near x = a / (a + b) it takes about sqrt(max(a, b)) / 3 terms.
    let max_terms = 1_000 + (10.0 * a.max(b).sqrt()) as usize;
    let (sum, plus_one, minus_one) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / not_tiny(1.0 - sum * x / plus_one);
    let mut fraction = d;
    for term in 1..=max_terms {
        let m = term as f64;
        let two_m = 2.0 * m;
        let even = m * (b - m) * x / ((minus_one + two_m) * (a + two_m));
        d = 1.0 / not_tiny(1.0 + even * d);
        c = not_tiny(1.0 + even / c);
        fraction *= d * c;
        let odd = -(a + m) * (sum + m) * x / ((a + two_m) * (plus_one + two_m));
        d = 1.0 / not_tiny(1.0 + odd * d);
        c = not_tiny(1.0 + odd / c);
        let step = d * c;
        fraction *= step;
        if (step - 1.0).abs() < EPSILON {
            break;
        }
    }
    fraction
}

#[cfg(test)]
#[path = "confseq_tests.rs"]
mod tests;
