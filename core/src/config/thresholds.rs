//! Every threshold of `metrics.md` with its default: bets, odds, windows,
//! the alert and cause rules, player tiers, and the drift detector.

use super::values::{EdgeBuckets, NonNegative, Positive, PositiveF64};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The production system when neither the config nor the model registry names one.
pub const DEFAULT_PRODUCTION_SYSTEM: &str = "catboost_v8";

/// Every threshold of `metrics.md`, with its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Minimum `abs(predicted - line)` for a pick to count as a bet.
    pub edge_threshold: NonNegative,
    /// Below this many bets (or rows) a rate is an insufficient sample.
    pub min_bets: Positive<u64>,
    pub odds: Odds,
    /// Length of the baseline window, ending the day before the 14-day window.
    pub baseline_days: Positive<u32>,
    pub mae_warning: NonNegative,
    /// `abs(model_mean_error)` above this is `over`/`under`.
    pub bias_direction_band: NonNegative,
    /// `abs(model_mean_error)` above this fires the drift bias signal.
    pub bias_signal: NonNegative,
    pub beats_vegas_critical: NonNegative,
    pub beats_vegas_warning: NonNegative,
    pub beats_vegas_info: NonNegative,
    /// Baseline beats-vegas minus current above this fires the sharpness-drop rule.
    pub beats_vegas_drop: NonNegative,
    pub hit_rate_critical: NonNegative,
    pub drift_warning: NonNegative,
    pub completeness_critical: NonNegative,
    pub completeness_warning: NonNegative,
    pub paint_rate_min: NonNegative,
    pub paint_rate_max: NonNegative,
    /// Fewest evaluation samples an experiment needs to be promoted without `--force`.
    pub promotion_min_samples: Positive<u64>,
    /// The bets the since-promotion verdict is tuned for (metrics.md
    /// section 19): it is sharpest near this many bets.
    pub since_promotion_t_opt: Positive<u64>,
    /// The production system (the config's, or the model registry's): set
    /// when the config is resolved, not read from `thresholds:`; an
    /// experiment without a `target_system` serves it.
    #[serde(skip)]
    pub production_system: String,
    /// Lower bounds of the Splits view's edge buckets (metrics.md section 13).
    pub edge_buckets: EdgeBuckets,
    /// Days of the Splits view's window when none is given.
    pub splits_days: Positive<u32>,
    pub tiers: TierThresholds,
    /// The drift detector (configured at the top level as `drift_detector:`;
    /// carried here so every metric function reads one set of rules).
    #[serde(skip)]
    pub drift_detector: DriftDetector,
    /// Which `line_source` values are real lines (configured at the top
    /// level as `line_sources:`, carried here like the drift detector).
    #[serde(skip)]
    pub line_sources: crate::model::LineSources,
    /// The game-day rules (configured at the top level as `game_day:` and
    /// `timezone:`, carried here like the drift detector).
    #[serde(skip)]
    pub game_day: super::game_day::GameDay,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            edge_threshold: NonNegative(3.0),
            min_bets: Positive(50),
            odds: Odds::default(),
            baseline_days: Positive(60),
            mae_warning: NonNegative(5.5),
            bias_direction_band: NonNegative(0.5),
            bias_signal: NonNegative(1.0),
            beats_vegas_critical: NonNegative(42.0),
            beats_vegas_warning: NonNegative(45.0),
            beats_vegas_info: NonNegative(50.0),
            beats_vegas_drop: NonNegative(5.0),
            hit_rate_critical: NonNegative(50.0),
            drift_warning: NonNegative(40.0),
            completeness_critical: NonNegative(50.0),
            completeness_warning: NonNegative(70.0),
            paint_rate_min: NonNegative(20.0),
            paint_rate_max: NonNegative(60.0),
            promotion_min_samples: Positive(500),
            since_promotion_t_opt: Positive(1_000),
            production_system: DEFAULT_PRODUCTION_SYSTEM.to_string(),
            edge_buckets: EdgeBuckets::default(),
            splits_days: Positive(30),
            tiers: TierThresholds::default(),
            drift_detector: DriftDetector::default(),
            line_sources: crate::model::LineSources::default(),
            game_day: super::game_day::GameDay::default(),
        }
    }
}

impl Thresholds {
    /// Break-even hit rate as a fraction: `risk / (risk + win)`.
    pub fn break_even(&self) -> f64 {
        self.odds.break_even()
    }

    /// Break-even hit rate in percent.
    pub fn break_even_pct(&self) -> f64 {
        100.0 * self.break_even()
    }

    pub fn min_bets(&self) -> u64 {
        self.min_bets.0
    }

    /// Units won per unit staked on a hit: `win / risk` (100/110 at -110).
    pub fn payout(&self) -> f64 {
        self.odds.win.0 / self.odds.risk.0
    }
}

/// American-style odds as risk and win amounts (default -110: risk 110 to win 100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Odds {
    pub risk: PositiveF64,
    pub win: PositiveF64,
}

impl Default for Odds {
    fn default() -> Self {
        Odds {
            risk: PositiveF64(110.0),
            win: PositiveF64(100.0),
        }
    }
}

impl Odds {
    pub fn break_even(&self) -> f64 {
        self.risk.0 / (self.risk.0 + self.win.0)
    }
}

/// Player-tier cut-offs on the prior-90-day scoring average.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TierThresholds {
    pub star: NonNegative,
    pub starter: NonNegative,
    pub rotation: NonNegative,
    pub lookback_days: Positive<u32>,
    /// Only games with more minutes than this count towards the average.
    pub min_minutes: NonNegative,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            star: NonNegative(22.0),
            starter: NonNegative(14.0),
            rotation: NonNegative(6.0),
            lookback_days: Positive(90),
            min_minutes: NonNegative(10.0),
        }
    }
}

/// The CUSUM of metrics.md section 11.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DriftDetector {
    /// `p_ok`: the hit rate of a healthy model (above break-even, below 1).
    pub healthy_hit_rate: PositiveF64,
    /// The mean number of bets between false alarms when healthy (ARL0).
    pub arl0_bets: Positive<u64>,
    /// The statistic starts at 0 on the later of a system's first graded
    /// date and this date (`null`: the first graded date).
    pub start: Option<NaiveDate>,
}

impl Default for DriftDetector {
    fn default() -> Self {
        DriftDetector {
            healthy_hit_rate: PositiveF64(0.56),
            arl0_bets: Positive(20_000),
            start: None,
        }
    }
}
