//! The sequential drift detector (metrics.md section 11): a Bernoulli CUSUM
//! of "break-even" against "healthy" in integer units, so that its average
//! run length, and with it the false-alarm rate, is computed exactly from
//! the Markov chain of the statistic instead of guessed.

pub use crate::model::detector::{CusumDay, CusumDesign, CusumReport};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Designs made so far, by `(p_ok, p_be, ARL0 target)` bits.
type Designs = HashMap<(u64, u64, u64), CusumDesign>;

/// Why a design cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesignError {
    #[error("the healthy hit rate {p_ok} must lie above break-even {p_be} and below 1")]
    NotAboveBreakEven { p_ok: String, p_be: String },
    #[error("no threshold reaches an ARL0 of {0} bets")]
    Unreachable(u64),
}

/// `m`: `γ = -a/(b-a)` rounded to hundredths, with `a = ln(p_be/p_ok)` (a hit)
/// and `b = ln((1-p_be)/(1-p_ok))` (a miss); and `b - a`.
pub fn increments(p_ok: f64, p_be: f64) -> (u32, f64) {
    let a = (p_be / p_ok).ln();
    let b = ((1.0 - p_be) / (1.0 - p_ok)).ln();
    let gamma = -a / (b - a);
    ((gamma * 100.0).round() as u32, b - a)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The exact mean number of bets to an alarm from `Z = 0` for the per-bet
/// chain `Z = max(0, Z + (100-m)·miss - m·hit)`, alarm at `Z >= H`, hit
/// probability `p`: `[(I - R)^-1 1]_0` over the states `0..H`. Steps and `H`
/// are first divided by the steps' gcd (every reachable `Z` is a multiple of
/// it, so `Z >= H` is `Z/g >= ceil(H/g)`). The system is banded (a hit moves
/// down by at most `m/g`, a miss up by `(100-m)/g`), so it is solved by banded
/// elimination; `I - R` is an M-matrix, which needs no pivoting.
pub fn average_run_length(threshold_units: u64, m: u32, p: f64) -> f64 {
    let (up, down) = (u64::from(100 - m.min(100)), u64::from(m));
    if threshold_units == 0 {
        return 1.0;
    }
    if up == 0 {
        return f64::INFINITY;
    }
    let step = gcd(up, down).max(1);
    let (up, down) = ((up / step) as usize, (down / step) as usize);
    let states = threshold_units.div_ceil(step) as usize;
    let width = down + up + 1;
    // band[i][j - i + down] holds A[i][j] for j in i-down ..= i+up.
    let mut band = vec![vec![0.0f64; width]; states];
    let mut rhs = vec![1.0f64; states];
    for (z, row) in band.iter_mut().enumerate() {
        row[down] += 1.0;
        let hit_to = z.saturating_sub(down);
        row[hit_to + down - z] -= p;
        if z + up < states {
            row[down + up] -= 1.0 - p;
        }
    }
    for k in 0..states {
        let pivot = band[k][down];
        if pivot.abs() < f64::MIN_POSITIVE {
            return f64::INFINITY;
        }
        for i in (k + 1)..states.min(k + down + 1) {
            let factor = band[i][k + down - i] / pivot;
            if factor == 0.0 {
                continue;
            }
            for j in k..states.min(k + up + 1) {
                let value = band[k][j + down - k];
                band[i][j + down - i] -= factor * value;
            }
            rhs[i] -= factor * rhs[k];
        }
    }
    let mut solution = vec![0.0f64; states];
    for i in (0..states).rev() {
        let mut total = rhs[i];
        for (j, value) in solution
            .iter()
            .enumerate()
            .take(states.min(i + up + 1))
            .skip(i + 1)
        {
            total -= band[i][j + down - i] * value;
        }
        solution[i] = total / band[i][down];
    }
    solution[0]
}

impl CusumDesign {
    /// The design for `p_ok` against `p_be`: the smallest `H` whose ARL0 is at
    /// least `arl0_target` bets. Designs are remembered, since every
    /// diagnosed day asks for the same one.
    pub fn new(p_ok: f64, p_be: f64, arl0_target: u64) -> Result<CusumDesign, DesignError> {
        if !(p_ok > p_be && p_ok < 1.0 && p_be > 0.0) {
            return Err(DesignError::NotAboveBreakEven {
                p_ok: p_ok.to_string(),
                p_be: format!("{p_be:.4}"),
            });
        }
        static DESIGNS: OnceLock<Mutex<Designs>> = OnceLock::new();
        let key = (p_ok.to_bits(), p_be.to_bits(), arl0_target);
        let designs = DESIGNS.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(design) = designs
            .lock()
            .ok()
            .and_then(|known| known.get(&key).copied())
        {
            return Ok(design);
        }
        let (m, llr_span) = increments(p_ok, p_be);
        let target = arl0_target.max(1) as f64;
        let arl0 = |h: u64| average_run_length(h, m, p_ok);
        // Double until the target is reached, then bisect to the smallest H.
        let mut high = 1u64;
        while arl0(high) < target {
            high = high
                .checked_mul(2)
                .ok_or(DesignError::Unreachable(arl0_target))?;
            if high > 1 << 40 {
                return Err(DesignError::Unreachable(arl0_target));
            }
        }
        let mut low = high / 2;
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if arl0(middle) >= target {
                high = middle;
            } else {
                low = middle;
            }
        }
        let design = CusumDesign {
            p_ok,
            p_be,
            m,
            threshold_units: high,
            llr_span,
            arl0_target,
            arl0_bets: arl0(high),
            arl1_bets: average_run_length(high, m, p_be),
        };
        if let Ok(mut known) = designs.lock() {
            known.insert(key, design);
        }
        Ok(design)
    }

    /// `h = H·(b-a)/100`, the threshold in log-likelihood units.
    pub fn threshold(&self) -> f64 {
        self.threshold_units as f64 * self.llr_span / 100.0
    }

    /// `S = Z·(b-a)/100`, a statistic in log-likelihood units.
    pub fn statistic(&self, units: u64) -> f64 {
        units as f64 * self.llr_span / 100.0
    }

    /// One game date: `Z = max(0, Z + (100-m)·misses - m·hits)`.
    pub fn step(&self, units: u64, bets: u64, hits: u64) -> u64 {
        let misses = bets.saturating_sub(hits);
        let up = u64::from(100 - self.m.min(100)).saturating_mul(misses);
        let down = u64::from(self.m).saturating_mul(hits.min(bets));
        units.saturating_add(up).saturating_sub(down)
    }
}

/// Runs the detector over `days` (game dates with their bets and hits, in
/// any order) from `start` to `date`: `Z` starts at 0 on the first day at or
/// after `start`, restarts at 0 on the game date after an alarm, and days
/// without bets leave it as it is. Returns the report on `date` and the path.
pub fn run(
    design: &CusumDesign,
    days: impl IntoIterator<Item = (NaiveDate, u64, u64)>,
    start: Option<NaiveDate>,
    date: NaiveDate,
) -> (CusumReport, Vec<CusumDay>) {
    let mut days: Vec<(NaiveDate, u64, u64)> = days
        .into_iter()
        .filter(|(day, _, _)| *day <= date && start.is_none_or(|start| *day >= start))
        .collect();
    days.sort_by_key(|(day, _, _)| *day);
    let mut units = 0u64;
    let mut since = None;
    let mut last_alarm = None;
    let mut restart = false;
    let mut alarm_today = false;
    let mut path = Vec::with_capacity(days.len());
    for (day, bets, hits) in days {
        if since.is_none() || restart {
            units = 0;
            since = Some(day);
            restart = false;
        }
        units = design.step(units, bets, hits);
        let alarm = bets > 0 && units >= design.threshold_units;
        if alarm {
            last_alarm = Some(day);
            restart = true;
        }
        alarm_today = alarm && day == date;
        path.push(CusumDay {
            game_date: day,
            bets,
            hits,
            stat: design.statistic(units),
            alarm,
        });
    }
    let report = CusumReport {
        cusum_stat: since.map(|_| design.statistic(units)),
        cusum_threshold: design.threshold(),
        cusum_arl0_bets: design.arl0_bets,
        cusum_arl1_bets: design.arl1_bets,
        cusum_alarm: alarm_today,
        cusum_since: since,
        cusum_last_alarm: last_alarm,
        design: *design,
    };
    (report, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::rng::Rng;

    const P_BE: f64 = 110.0 / 210.0;

    #[test]
    fn the_specs_worked_values() {
        let (m, _) = increments(0.56, P_BE);
        assert_eq!(m, 46);
        let design = CusumDesign::new(0.56, P_BE, 10_000).unwrap();
        assert_eq!(design.threshold_units, 2191);
        assert!(design.arl0_bets >= 10_000.0);
        assert!(average_run_length(2190, 46, 0.56) < 10_000.0);
        assert_eq!(format!("{:.2}", design.threshold()), "3.20");
        assert!(
            (design.arl1_bets - 932.0).abs() < 5.0,
            "ARL1 {}",
            design.arl1_bets
        );
    }

    #[test]
    fn the_chain_agrees_with_a_seeded_monte_carlo_run_within_three_percent() {
        let design = CusumDesign::new(0.56, P_BE, 2_000).unwrap();
        let simulate = |p: f64, runs: u32, seed: u64| {
            let mut rng = Rng::new(seed);
            let mut total = 0u64;
            for _ in 0..runs {
                let mut units = 0u64;
                let mut bets = 0u64;
                loop {
                    bets += 1;
                    let hit = u64::from(rng.chance(p));
                    units = design.step(units, 1, hit);
                    if units >= design.threshold_units {
                        break;
                    }
                }
                total += bets;
            }
            total as f64 / f64::from(runs)
        };
        for (p, exact) in [(0.56, design.arl0_bets), (P_BE, design.arl1_bets)] {
            let simulated = simulate(p, 6_000, 11);
            let error = (simulated - exact).abs() / exact;
            assert!(
                error < 0.03,
                "p={p}: chain {exact:.1}, simulation {simulated:.1}"
            );
        }
    }

    #[test]
    fn a_smaller_threshold_alarms_sooner_and_healthy_is_refused_below_break_even() {
        let m = 46;
        assert!(average_run_length(500, m, 0.56) < average_run_length(1000, m, 0.56));
        assert!(average_run_length(1000, m, P_BE) < average_run_length(1000, m, 0.56));
        assert!(CusumDesign::new(0.50, P_BE, 20_000).is_err());
        assert!(CusumDesign::new(P_BE, P_BE, 20_000).is_err());
    }

    #[test]
    fn the_statistic_restarts_the_game_date_after_an_alarm_and_skips_empty_days() {
        let design = CusumDesign::new(0.56, P_BE, 500).unwrap();
        let day = |n: u32| NaiveDate::from_ymd_opt(2026, 1, n).unwrap();
        // A run of misses alarms; the next game date starts again from 0.
        let misses = design.threshold_units.div_ceil(54);
        let days = vec![
            (day(1), 10, 10),
            (day(2), misses, 0),
            (day(3), 0, 0),
            (day(4), 10, 0),
        ];
        let (report, path) = run(&design, days.clone(), None, day(2));
        assert!(report.cusum_alarm);
        assert_eq!(report.cusum_last_alarm, Some(day(2)));
        assert_eq!(report.cusum_since, Some(day(1)));
        let (report, path_4) = run(&design, days, None, day(4));
        assert!(!report.cusum_alarm);
        assert_eq!(report.cusum_since, Some(day(3)));
        assert_eq!(path_4[2].stat, 0.0, "no bets on the restart day");
        assert!((report.cusum_stat.unwrap() - design.statistic(540)).abs() < 1e-12);
        assert_eq!(path.len(), 2);
        // Before the first graded date there is no statistic.
        let (empty, _) = run(&design, Vec::new(), None, day(4));
        assert_eq!(empty.cusum_stat, None);
        assert!(!empty.cusum_alarm);
    }
}
