//! The false-alarm figures of a system's alert rules (metrics.md section
//! 12): its measured volume, then the seeded simulation, for `courtside
//! alerts`, the dashboard and the Slack posts alike.

use crate::config::Thresholds;
use crate::diagnostics::{self, DayIndex};
use crate::source::{DayStatsQuery, Source};
use anyhow::{Result, bail};

/// The false-alarm figures of a system's alert rules (metrics.md section 12).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AlertFigures {
    pub system_id: String,
    /// Bets a game date the simulation ran at.
    pub bets_per_day: u64,
    /// Whether `bets_per_day` is the system's measured volume (else given).
    pub measured_volume: bool,
    /// The healthy hit rate the simulation ran at, and break-even.
    pub healthy_hit_rate: f64,
    pub break_even: f64,
    pub runs: u32,
    pub healthy_days: usize,
    pub delay_cap_days: usize,
    pub cusum: crate::model::detector::CusumDesign,
    pub rules: Vec<crate::diagnostics::false_alarms::RuleFigures>,
}

/// Game dates the measured volume is the median over.
pub const VOLUME_DATES: usize = 30;

/// The system's volume: the median bets per game date over its last 30
/// game dates with graded rows, up to its latest date.
pub async fn measured_volume(
    source: &dyn Source,
    system: &str,
    thresholds: &Thresholds,
) -> Result<Option<u64>> {
    let Some(latest) = source.latest_date(Some(system)).await? else {
        return Ok(None);
    };
    // Thirty game dates fit in ninety calendar days outside the off-season.
    let from = latest
        .checked_sub_days(chrono::Days::new(89))
        .unwrap_or(latest);
    let query = DayStatsQuery::new(from, latest, Some(vec![system.to_string()]), thresholds);
    let bundle = source.day_stats(&query).await?;
    Ok(volume_of(&DayIndex::new(&bundle), system))
}

/// The median bets of `system`'s last [`VOLUME_DATES`] game dates with bets
/// in `index` (what the dashboard uses, from the day stats it already has).
pub fn volume_of(index: &DayIndex, system: &str) -> Option<u64> {
    let days = index.bet_days(system);
    let recent: Vec<u64> = days
        .iter()
        .rev()
        .take(VOLUME_DATES)
        .map(|(_, bets, _)| *bets)
        .collect();
    diagnostics::false_alarms::volume(recent)
}

/// How often each rule cries wolf at `system`'s volume (or `bets_per_day`)
/// and the configured healthy rate (or `healthy_hit_rate`).
pub async fn alert_figures(
    source: &dyn Source,
    system: &str,
    bets_per_day: Option<u64>,
    healthy_hit_rate: Option<f64>,
    thresholds: &Thresholds,
) -> Result<AlertFigures> {
    use crate::diagnostics::cusum::CusumDesign;
    use crate::diagnostics::false_alarms::{self, Scenario};
    let (volume, measured) = match bets_per_day {
        Some(volume) => (volume, false),
        None => match measured_volume(source, system, thresholds).await? {
            Some(volume) => (volume, true),
            None => {
                bail!("`{system}` has no graded bets to measure its volume; pass --bets-per-day")
            }
        },
    };
    if volume == 0 || volume > 100_000 {
        bail!("bets per day must be from 1 to 100000, got {volume}");
    }
    let p_ok = healthy_hit_rate.unwrap_or(thresholds.drift_detector.healthy_hit_rate.0);
    let p_be = thresholds.break_even();
    let design = CusumDesign::new(p_ok, p_be, thresholds.drift_detector.arl0_bets.0)?;
    let scenario = Scenario {
        bets_per_day: volume,
        p_ok,
        p_be,
        min_bets: thresholds.min_bets(),
        runs: false_alarms::RUNS,
        seed: false_alarms::SEED,
    };
    // The simulation is CPU work: off the async threads.
    let rules = simulate_once(scenario, design).await?;
    Ok(AlertFigures {
        system_id: system.to_string(),
        bets_per_day: volume,
        measured_volume: measured,
        healthy_hit_rate: p_ok,
        break_even: p_be,
        runs: false_alarms::RUNS,
        healthy_days: false_alarms::HEALTHY_DAYS,
        delay_cap_days: false_alarms::DELAY_CAP_DAYS,
        cusum: design,
        rules,
    })
}

/// The simulation's figures, each scenario run once per process: they are
/// deterministic (seeded), and the dashboard asks on every refresh.
async fn simulate_once(
    scenario: crate::diagnostics::false_alarms::Scenario,
    design: crate::diagnostics::cusum::CusumDesign,
) -> Result<Vec<crate::diagnostics::false_alarms::RuleFigures>> {
    use crate::diagnostics::false_alarms::RuleFigures;
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = (u64, u64, u64, u64, u32, u64, u64);
    static DONE: OnceLock<Mutex<HashMap<Key, Vec<RuleFigures>>>> = OnceLock::new();
    let key: Key = (
        scenario.bets_per_day,
        scenario.p_ok.to_bits(),
        scenario.p_be.to_bits(),
        scenario.min_bets,
        scenario.runs,
        scenario.seed,
        design.threshold_units,
    );
    let done = DONE.get_or_init(Default::default);
    if let Some(rules) = done.lock().ok().and_then(|map| map.get(&key).cloned()) {
        return Ok(rules);
    }
    let rules = tokio::task::spawn_blocking(move || {
        crate::diagnostics::false_alarms::simulate(&scenario, &design)
    })
    .await
    .map_err(|error| anyhow::anyhow!("the false-alarm simulation failed: {error}"))?;
    if let Ok(mut map) = done.lock() {
        map.insert(key, rules.clone());
    }
    Ok(rules)
}
