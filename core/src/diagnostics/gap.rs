//! Backtest vs production (metrics.md section 9): populations, missing dates,
//! line mix, five hit rates with intervals, a four-step decomposition that sums
//! exactly to the gap, McNemar on the paired bets, and a verdict. Pure.

use crate::config::Thresholds;
pub use crate::model::rows::GapRow;
use crate::model::{LineKind, Rate};
use crate::stats::{McNemar, mcnemar};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A date with backtest rows and no production rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingDate {
    pub game_date: NaiveDate,
    pub backtest_rows: u64,
}

/// One step of the decomposition, in percentage points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub name: String,
    /// `None` when a rate it needs has no data.
    pub points: Option<f64>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapReport {
    pub backtest_rows: u64,
    pub production_rows: u64,
    pub backtest_only: u64,
    pub production_only: u64,
    pub both: u64,
    pub missing_dates: Vec<MissingDate>,
    /// Share of actual lines, in percent (`None` for an empty side).
    pub backtest_actual_line_pct: Option<f64>,
    pub production_actual_line_pct: Option<f64>,
    pub hit_rate_backtest: Rate,
    pub hit_rate_backtest_shared: Rate,
    pub hit_rate_backtest_shared_actual: Rate,
    pub hit_rate_production_shared: Rate,
    pub hit_rate_production: Rate,
    /// `HR(P) - HR(B)` in points.
    pub gap: Option<f64>,
    pub steps: Vec<Step>,
    /// Keys where both sides bet.
    pub paired_bets: u64,
    /// McNemar on the flips; `None` with no paired disagreements (metrics.md
    /// section 9, Rev. 2: no test to run, never `p = 1`).
    pub mcnemar: Option<McNemar>,
    pub verdict: String,
}

fn hit_rate<'a>(rows: impl Iterator<Item = &'a GapRow>, thresholds: &Thresholds) -> Rate {
    let (bets, hits) = rows
        .filter(|row| row.is_bet)
        .fold((0, 0), |(bets, hits), row| {
            (bets + 1, hits + u64::from(row.hit))
        });
    Rate::hit_rate(hits, bets, thresholds.min_bets(), thresholds.break_even())
}

fn actual_share(rows: &[GapRow]) -> Option<f64> {
    (!rows.is_empty()).then(|| {
        let actual = rows
            .iter()
            .filter(|r| r.line_kind == LineKind::Actual)
            .count();
        100.0 * actual as f64 / rows.len() as f64
    })
}

/// Step names, in the order they telescope from `HR(B)` to `HR(P)`.
pub const STEP_NAMES: [&str; 4] = [
    "population",
    "line type",
    "model/grading",
    "production-only rows",
];

/// Interns `(player_lookup, game_date)` keys as integers, so the set
/// operations below hash eight bytes instead of a string per lookup.
struct Keys<'a> {
    players: HashMap<&'a str, u64>,
}

impl<'a> Keys<'a> {
    fn key(&mut self, row: &'a GapRow) -> u64 {
        let next = self.players.len() as u64;
        let player = *self
            .players
            .entry(row.player_lookup.as_str())
            .or_insert(next);
        (player << 32) | u64::from(row.game_date.num_days_from_ce() as u32)
    }
}

pub fn analyse(backtest: &[GapRow], production: &[GapRow], thresholds: &Thresholds) -> GapReport {
    let mut interner = Keys {
        players: HashMap::new(),
    };
    let backtest_key: Vec<u64> = backtest.iter().map(|r| interner.key(r)).collect();
    let production_key: Vec<u64> = production.iter().map(|r| interner.key(r)).collect();
    let backtest_keys: HashSet<u64> = backtest_key.iter().copied().collect();
    let production_keys: HashSet<u64> = production_key.iter().copied().collect();
    let both = backtest_keys.intersection(&production_keys).count() as u64;

    let production_dates: HashSet<NaiveDate> = production.iter().map(|r| r.game_date).collect();
    let mut missing: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    for row in backtest
        .iter()
        .filter(|r| !production_dates.contains(&r.game_date))
    {
        *missing.entry(row.game_date).or_default() += 1;
    }

    let shared_backtest = || {
        backtest
            .iter()
            .zip(&backtest_key)
            .filter(|(_, key)| production_keys.contains(key))
            .map(|(row, _)| row)
    };
    let hit_rate_backtest = hit_rate(backtest.iter(), thresholds);
    let hit_rate_backtest_shared = hit_rate(shared_backtest(), thresholds);
    let hit_rate_backtest_shared_actual = hit_rate(
        shared_backtest().filter(|r| r.line_kind == LineKind::Actual),
        thresholds,
    );
    let hit_rate_production_shared = hit_rate(
        production
            .iter()
            .zip(&production_key)
            .filter(|(_, key)| backtest_keys.contains(key))
            .map(|(row, _)| row),
        thresholds,
    );
    let hit_rate_production = hit_rate(production.iter(), thresholds);

    let chain = [
        &hit_rate_backtest,
        &hit_rate_backtest_shared,
        &hit_rate_backtest_shared_actual,
        &hit_rate_production_shared,
        &hit_rate_production,
    ]
    .map(|rate| rate.pct);
    let steps: Vec<Step> = STEP_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| Step {
            name: name.to_string(),
            points: match (chain[i], chain[i + 1]) {
                (Some(from), Some(to)) => Some(to - from),
                _ => None,
            },
        })
        .collect();
    let gap = match (hit_rate_backtest.pct, hit_rate_production.pct) {
        (Some(b), Some(p)) => Some(p - b),
        _ => None,
    };

    // Pair bets by key (the first bet of each key on each side).
    let mut production_bets: HashMap<u64, bool> = HashMap::new();
    for (row, key) in production
        .iter()
        .zip(&production_key)
        .filter(|(r, _)| r.is_bet)
    {
        production_bets.entry(*key).or_insert(row.hit);
    }
    let mut seen: HashSet<u64> = HashSet::new();
    let (mut paired, mut b, mut c) = (0u64, 0u64, 0u64);
    for (row, key) in backtest.iter().zip(&backtest_key).filter(|(r, _)| r.is_bet) {
        if !seen.insert(*key) {
            continue;
        }
        if let Some(&production_hit) = production_bets.get(key) {
            paired += 1;
            match (row.hit, production_hit) {
                (true, false) => b += 1,
                (false, true) => c += 1,
                _ => {}
            }
        }
    }
    let test = (b + c > 0).then(|| mcnemar(b, c));

    let mut report = GapReport {
        backtest_rows: backtest.len() as u64,
        production_rows: production.len() as u64,
        backtest_only: backtest_keys.len() as u64 - both,
        production_only: production_keys.len() as u64 - both,
        both,
        missing_dates: missing
            .into_iter()
            .map(|(game_date, backtest_rows)| MissingDate {
                game_date,
                backtest_rows,
            })
            .collect(),
        backtest_actual_line_pct: actual_share(backtest),
        production_actual_line_pct: actual_share(production),
        hit_rate_backtest,
        hit_rate_backtest_shared,
        hit_rate_backtest_shared_actual,
        hit_rate_production_shared,
        hit_rate_production,
        gap,
        steps,
        paired_bets: paired,
        mcnemar: test,
        verdict: String::new(),
    };
    report.verdict = verdict(&report);
    report
}

impl GapReport {
    /// The five hit rates in the order the steps go from `HR(B)` to `HR(P)`.
    pub fn rate_chain(&self) -> [&Rate; 5] {
        [
            &self.hit_rate_backtest,
            &self.hit_rate_backtest_shared,
            &self.hit_rate_backtest_shared_actual,
            &self.hit_rate_production_shared,
            &self.hit_rate_production,
        ]
    }
}

/// The steps that explain most of the gap: the largest ones in the gap's
/// direction until they cover 80% of it (at most two).
pub fn main_steps(report: &GapReport) -> Vec<&Step> {
    let Some(gap) = report.gap.filter(|g| g.abs() > 1e-9) else {
        return Vec::new();
    };
    let mut helping: Vec<&Step> = report
        .steps
        .iter()
        .filter(|s| s.points.is_some_and(|p| p * gap > 0.0))
        .collect();
    helping.sort_by(|a, b| {
        let (a, b) = (a.points.unwrap_or(0.0).abs(), b.points.unwrap_or(0.0).abs());
        b.partial_cmp(&a).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut chosen = Vec::new();
    let mut covered = 0.0;
    for step in helping {
        if chosen.len() == 2 || covered >= 0.8 * gap.abs() {
            break;
        }
        covered += step.points.unwrap_or(0.0).abs();
        chosen.push(step);
    }
    chosen
}

fn verdict(report: &GapReport) -> String {
    let shared = format!(
        "Model A-vs-B comparisons are valid only on the shared population ({} player-games).",
        crate::format::count(report.both)
    );
    let Some(gap) = report.gap else {
        return format!(
            "No verdict: {} has no bets to compare. {shared}",
            if report.hit_rate_backtest.n == 0 {
                "the backtest"
            } else {
                "production"
            }
        );
    };
    let main = main_steps(report);
    let named: Vec<String> = main
        .iter()
        .map(|s| format!("{} ({:+.1})", s.name, s.points.unwrap_or(0.0)))
        .collect();
    let explanation = if named.is_empty() {
        "no single step".to_string()
    } else {
        named.join(" and ")
    };
    // A step is a difference of two rates; say so when either is a thin sample.
    let rates = report.rate_chain();
    let thin: Vec<String> = main
        .iter()
        .filter_map(|step| {
            let i = STEP_NAMES.iter().position(|name| *name == step.name)?;
            let small = [rates[i], rates[i + 1]]
                .into_iter()
                .filter(|rate| !rate.sufficient)
                .map(|rate| format!("n={}", rate.n))
                .collect::<Vec<_>>();
            (!small.is_empty()).then(|| {
                format!(
                    "{} rests on an insufficient sample ({})",
                    step.name,
                    small.join(", ")
                )
            })
        })
        .collect();
    let caution = if thin.is_empty() {
        String::new()
    } else {
        format!(" Caution: {}.", thin.join("; "))
    };
    format!(
        "Production {} vs backtest {}: a gap of {gap:+.1} points, explained mainly by {explanation}.{caution} {shared}",
        crate::format::percent(report.hit_rate_production.pct),
        crate::format::percent(report.hit_rate_backtest.pct),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(player: &str, day: u32, kind: LineKind, bet: bool, hit: bool) -> GapRow {
        GapRow {
            player_lookup: player.to_string(),
            game_date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            line_kind: kind,
            is_bet: bet,
            hit,
        }
    }

    fn thresholds() -> Thresholds {
        let mut thresholds = Thresholds::default();
        thresholds.min_bets.0 = 1;
        thresholds
    }

    use LineKind::{Actual as A, Estimated as E};

    /// The hand-computed fixture:
    /// B (backtest): a1 A bet hit, b1 A bet miss, c1 E bet miss, d1 E bet hit,
    ///               e2 E bet miss (2 Jan: no production rows), f1 A no bet.
    /// P (production): a1 A bet hit, b1 A bet hit, c1 E bet miss, d1 E no bet, g1 A bet hit.
    /// Keys: B = {a1,b1,c1,d1,e2,f1}, P = {a1,b1,c1,d1,g1}; both = {a1,b1,c1,d1} = 4,
    /// B only = {e2,f1} = 2, P only = {g1} = 1. Missing dates: 2 Jan with 1 B row.
    /// Line mix: B 3/6 actual = 50%; P 3/5 = 60%.
    /// HR(B) = hits {a1,d1} / bets {a1,b1,c1,d1,e2} = 2/5 = 40%.
    /// HR(B∩) = B on shared keys {a1,b1,c1,d1}: bets 4, hits 2 = 50%.
    /// HR(B∩, actual) = {a1,b1}: 1/2 = 50%.
    /// HR(P∩) = P on B's keys {a1,b1,c1,d1}: bets {a1,b1,c1} = 3, hits 2 = 66.67%.
    /// HR(P) = bets {a1,b1,c1,g1} = 4, hits 3 = 75%.
    /// Steps: population 50-40 = +10; line 50-50 = 0; model 66.67-50 = +16.67;
    /// production-only 75-66.67 = +8.33; sum = +35 = 75-40.
    /// Paired bets (both bet): a1 (hit, hit), b1 (miss, hit), c1 (miss, miss) = 3;
    /// b = B hit & P miss = 0, c = B miss & P hit = 1 (b1); exact p = 2*P(X<=0|1,.5) = 1.
    fn fixture() -> (Vec<GapRow>, Vec<GapRow>) {
        let backtest = vec![
            row("a", 1, A, true, true),
            row("b", 1, A, true, false),
            row("c", 1, E, true, false),
            row("d", 1, E, true, true),
            row("e", 2, E, true, false),
            row("f", 1, A, false, false),
        ];
        let production = vec![
            row("a", 1, A, true, true),
            row("b", 1, A, true, true),
            row("c", 1, E, true, false),
            row("d", 1, E, false, false),
            row("g", 1, A, true, true),
        ];
        (backtest, production)
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn every_number_of_the_hand_computed_fixture() {
        let (backtest, production) = fixture();
        let report = analyse(&backtest, &production, &thresholds());
        assert_eq!(
            (report.backtest_only, report.production_only, report.both),
            (2, 1, 4)
        );
        assert_eq!(
            report.missing_dates,
            vec![MissingDate {
                game_date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                backtest_rows: 1
            }]
        );
        close(report.backtest_actual_line_pct, 50.0);
        close(report.production_actual_line_pct, 60.0);
        assert_eq!(
            (report.hit_rate_backtest.k, report.hit_rate_backtest.n),
            (2, 5)
        );
        assert_eq!(
            (
                report.hit_rate_backtest_shared.k,
                report.hit_rate_backtest_shared.n
            ),
            (2, 4)
        );
        assert_eq!(
            (
                report.hit_rate_backtest_shared_actual.k,
                report.hit_rate_backtest_shared_actual.n
            ),
            (1, 2)
        );
        assert_eq!(
            (
                report.hit_rate_production_shared.k,
                report.hit_rate_production_shared.n
            ),
            (2, 3)
        );
        assert_eq!(
            (report.hit_rate_production.k, report.hit_rate_production.n),
            (3, 4)
        );
        close(report.steps[0].points, 10.0);
        close(report.steps[1].points, 0.0);
        close(report.steps[2].points, 200.0 / 3.0 - 50.0);
        close(report.steps[3].points, 75.0 - 200.0 / 3.0);
        close(report.gap, 35.0);
        let sum: f64 = report.steps.iter().map(|s| s.points.unwrap()).sum();
        assert!((sum - report.gap.unwrap()).abs() < 1e-9);
        assert_eq!(report.paired_bets, 3);
        let test = report.mcnemar.as_ref().unwrap();
        assert_eq!((test.b, test.c), (0, 1));
        assert_eq!(test.p_value, 1.0);
        assert!(
            report.verdict.contains("model/grading (+16.7)"),
            "{}",
            report.verdict
        );
        assert!(
            report
                .verdict
                .contains("valid only on the shared population (4"),
            "{}",
            report.verdict
        );
    }

    #[test]
    fn disjoint_populations_have_no_shared_rates() {
        let backtest = vec![row("a", 1, A, true, true), row("b", 1, E, true, false)];
        let production = vec![row("x", 1, A, true, true), row("y", 1, A, true, true)];
        let report = analyse(&backtest, &production, &thresholds());
        assert_eq!(report.both, 0);
        assert_eq!(report.hit_rate_backtest_shared.pct, None);
        assert_eq!(report.steps[0].points, None);
        close(report.gap, 50.0);
        assert_eq!(report.paired_bets, 0);
    }

    #[test]
    fn identical_populations_leave_only_the_model_step() {
        // Same keys, all actual lines; the sides differ only in outcomes.
        let backtest = vec![
            row("a", 1, A, true, false),
            row("b", 1, A, true, true),
            row("c", 1, A, true, false),
            row("d", 1, A, true, false),
        ];
        let production = vec![
            row("a", 1, A, true, true),
            row("b", 1, A, true, true),
            row("c", 1, A, true, true),
            row("d", 1, A, true, false),
        ];
        let report = analyse(&backtest, &production, &thresholds());
        close(report.steps[0].points, 0.0);
        close(report.steps[1].points, 0.0);
        close(report.steps[2].points, 50.0);
        close(report.steps[3].points, 0.0);
        close(report.gap, 50.0);
        let test = report.mcnemar.as_ref().unwrap();
        assert_eq!((test.b, test.c), (0, 2));
        assert!(
            report.verdict.contains("model/grading (+50.0)"),
            "{}",
            report.verdict
        );
    }

    #[test]
    fn an_empty_side_gives_no_data_not_zeros() {
        let (backtest, _) = fixture();
        let report = analyse(&backtest, &[], &thresholds());
        assert_eq!(report.hit_rate_production.pct, None);
        assert_eq!(report.production_actual_line_pct, None);
        assert_eq!(report.gap, None);
        assert!(
            report
                .steps
                .iter()
                .all(|s| s.points.is_none() || s.name == "population")
        );
        assert!(
            report
                .verdict
                .starts_with("No verdict: production has no bets"),
            "{}",
            report.verdict
        );
        assert_eq!(
            report.missing_dates.len(),
            2,
            "every backtest date is missing"
        );
        let empty = analyse(&[], &[], &thresholds());
        assert_eq!(empty.hit_rate_backtest.pct, None);
        assert_eq!(empty.paired_bets, 0);
        assert!(
            empty.mcnemar.is_none(),
            "no paired disagreements, not p = 1"
        );
        assert!(
            empty.verdict.starts_with("No verdict: the backtest"),
            "{}",
            empty.verdict
        );
    }

    #[test]
    fn bets_follow_section_one() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let bet = |predicted, rec, correct| {
            GapRow::from_columns(
                "p".into(),
                day,
                Some(predicted),
                Some(20.5),
                Some("ACTUAL_PROP"),
                None,
                Some(rec),
                correct,
                &crate::model::rows::BetRules {
                    edge_threshold: 3.0,
                    line_sources: Default::default(),
                },
            )
            .is_bet
        };
        assert!(bet(23.5, "OVER", Some(true)));
        assert!(!bet(23.4, "OVER", Some(true)), "edge below 3");
        assert!(!bet(25.0, "PASS", None));
        assert!(!bet(25.0, "OVER", None), "a push is not a bet");
    }
}
