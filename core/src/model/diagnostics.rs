//! The result of one day's diagnostics for one system: every column of
//! `performance_diagnostics_daily` plus the sample sizes, intervals and
//! p-values behind them.

use crate::model::day_stats::SkippedRows;
use crate::model::detector::{CoverageReport, CusumReport};
use crate::model::vocab::{
    AlertLevel, BiasDirection, DriftSeverity, PrimaryCause, SharpnessStatus,
};
use crate::stats::{Interval, binomial_upper_tail, wilson_interval};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A percentage of a count with its sample size, Wilson interval and, for hit
/// rates, the one-sided p-value against break-even. `n = 0` has no estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub k: u64,
    pub n: u64,
    /// `100 * k / n`; `None` when `n = 0`.
    pub pct: Option<f64>,
    pub interval: Option<Interval>,
    /// `P(X >= k)` for `X ~ Binomial(n, p0)`; only for hit rates with data.
    pub p_value: Option<f64>,
    /// The minimum sample a verdict needs.
    pub min_n: u64,
    /// `n >= min_n`.
    pub sufficient: bool,
}

impl Rate {
    /// A rate without a p-value (beats-vegas).
    pub fn of(k: u64, n: u64, min_n: u64) -> Rate {
        Rate {
            k,
            n,
            pct: (n > 0).then(|| 100.0 * k as f64 / n as f64),
            interval: wilson_interval(k, n),
            p_value: None,
            min_n,
            sufficient: n > 0 && n >= min_n,
        }
    }

    /// A hit rate with its p-value against the break-even probability `p0`.
    pub fn hit_rate(hits: u64, bets: u64, min_n: u64, p0: f64) -> Rate {
        Rate {
            p_value: (bets > 0).then(|| binomial_upper_tail(hits, bets, p0)),
            ..Rate::of(hits, bets, min_n)
        }
    }

    /// The estimate a verdict may rest on: `None` unless the sample is sufficient.
    pub fn verdict_pct(&self) -> Option<f64> {
        if self.sufficient { self.pct } else { None }
    }
}

impl fmt::Display for Rate {
    /// `57.0% [47.2–66.3] n=100`, `insufficient sample (n=12, need 50)` or `no data`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.pct, self.interval) {
            (None, _) | (_, None) => f.write_str("no data"),
            (Some(_), Some(_)) if !self.sufficient => {
                write!(f, "insufficient sample (n={}, need {})", self.n, self.min_n)
            }
            (Some(pct), Some(interval)) => write!(
                f,
                "{pct:.1}% [{:.1}–{:.1}] n={}",
                interval.low, interval.high, self.n
            ),
        }
    }
}

/// Sharpness figures for one player or confidence tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierSharpness {
    pub tier: String,
    pub n: u64,
    pub vegas_mae: Option<f64>,
    pub model_mae: Option<f64>,
    pub beats_vegas: Rate,
}

/// Vegas sharpness over the 14-day window, real prop lines only (section 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharpnessReport {
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// Graded rows not on a real line (estimated, no line, or a `line_source`
    /// no list names) left out of every sharpness figure; shown as
    /// "estimated-line rows", the bulk of them.
    pub estimated_rows_excluded: u64,
    pub vegas_mae: Option<f64>,
    pub model_mae_same_rows: Option<f64>,
    pub model_beats_vegas: Rate,
    pub by_player_tier: Vec<TierSharpness>,
    pub by_confidence_tier: Vec<TierSharpness>,
    pub vegas_mae_tier1: Option<f64>,
    pub vegas_mae_tier2: Option<f64>,
    pub vegas_mae_tier3: Option<f64>,
    pub sharpness_score: Option<f64>,
    pub sharpness_status: Option<SharpnessStatus>,
    /// The baseline window's score against itself (`s2 = 0.5`).
    pub score_baseline: Option<f64>,
    pub sharpness_vs_baseline: Option<f64>,
}

/// One of the four drift signals of section 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftSignal {
    pub name: String,
    /// `None` when the signal's input is missing or too small a sample.
    pub fired: Option<bool>,
}

/// Model drift figures (section 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    pub hit_rate_7d: Rate,
    pub hit_rate_14d: Rate,
    pub hit_rate_30d: Rate,
    /// Graded rows in the 14-day window.
    pub rows_14d: u64,
    pub model_mae: Option<f64>,
    pub model_mean_error: Option<f64>,
    pub bias_direction: Option<BiasDirection>,
    pub signals: Vec<DriftSignal>,
    pub drift_score: Option<f64>,
    pub drift_severity: Option<DriftSeverity>,
}

/// Data-quality figures (section 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Player-game rows with minutes in the 7-day window.
    pub player_game_rows_7d: u64,
    pub shot_zone_completeness: Option<f64>,
    pub avg_paint_rate: Option<f64>,
    pub avg_three_rate: Option<f64>,
    pub predictions_made: u64,
    pub predictions_graded: u64,
    pub feature_quality_avg: Option<f64>,
    /// Rows of a bet left out in the 7-day window (the team's grader kept a
    /// row per line value; metrics.md section 1, Rev. 3).
    #[serde(default)]
    pub duplicate_rows_7d: u64,
    /// Predictions of the 7-day window (one row per player, game and
    /// system; graded or not).
    #[serde(default)]
    pub predictions_7d: u64,
    /// Rows of the 7-day window by `line_source` value no configured list
    /// names (in no line-kind metric).
    #[serde(default)]
    pub unknown_line_sources_7d: std::collections::BTreeMap<String, u64>,
}

/// Baseline-window figures (section 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baselines {
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub vegas_mae_baseline: Option<f64>,
    pub model_beats_vegas_baseline: Rate,
    pub hit_rate_baseline: Rate,
    pub model_mae_baseline: Option<f64>,
}

/// One fired root-cause rule, as stored in `contributing_factors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    pub factor: PrimaryCause,
    pub contribution: f64,
    pub details: String,
}

/// Root-cause attribution (section 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CauseReport {
    pub primary_cause: PrimaryCause,
    pub cause_confidence: Option<f64>,
    /// `None` when no rule fired.
    pub contributing_factors: Option<Vec<Factor>>,
}

/// One day's diagnostics for one system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub game_date: NaiveDate,
    pub system_id: String,
    pub computed_at: DateTime<Utc>,
    pub sharpness: SharpnessReport,
    pub drift: DriftReport,
    pub quality: QualityReport,
    pub baselines: Baselines,
    /// Did the system predict at all (section 5b)?
    pub coverage: CoverageReport,
    /// The drift detector (section 11); `None` without a valid design.
    pub cusum: Option<CusumReport>,
    pub cause: CauseReport,
    pub alert_level: AlertLevel,
    pub alert_message: Option<String>,
    /// Shown, not stored.
    pub recommendations: Vec<String>,
    /// Stored rows the fetch left out (a value that does not read, is out of
    /// its range or dated after today): a data-quality finding, shown, never
    /// allowed to blind the rest.
    #[serde(default)]
    pub skipped_rows: SkippedRows,
    /// The always-valid verdict since the system's current promotion
    /// (section 19); `None` without one.
    #[serde(default)]
    pub since_promotion: Option<super::since_promotion::SincePromotion>,
    /// Closing line value over the `splits_days` ending at the date
    /// (section 18), where the command reads it (`diag`, the dashboard).
    #[serde(default)]
    pub clv: Option<super::clv::ClvReport>,
}

/// A row of `performance_diagnostics_daily`, columns in table order (plus `system_id`).
/// Vocabulary columns hold text so that legacy rows read back unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticsRow {
    pub game_date: NaiveDate,
    pub computed_at: DateTime<Utc>,
    pub vegas_mae_tier1: Option<f64>,
    pub vegas_mae_tier2: Option<f64>,
    pub vegas_mae_tier3: Option<f64>,
    pub model_beats_vegas_pct: Option<f64>,
    pub sharpness_score: Option<f64>,
    pub sharpness_status: Option<String>,
    pub hit_rate_7d: Option<f64>,
    pub hit_rate_14d: Option<f64>,
    pub hit_rate_30d: Option<f64>,
    pub model_mae: Option<f64>,
    pub model_mean_error: Option<f64>,
    pub bias_direction: Option<String>,
    pub drift_score: Option<f64>,
    pub drift_severity: Option<String>,
    pub shot_zone_completeness: Option<f64>,
    pub predictions_made: Option<i64>,
    pub predictions_graded: Option<i64>,
    pub feature_quality_avg: Option<f64>,
    pub vegas_mae_baseline: Option<f64>,
    pub hit_rate_baseline: Option<f64>,
    pub sharpness_vs_baseline: Option<f64>,
    pub primary_cause: Option<String>,
    pub cause_confidence: Option<f64>,
    pub contributing_factors: Option<serde_json::Value>,
    pub alert_triggered: bool,
    pub alert_level: String,
    pub alert_message: Option<String>,
    pub system_id: Option<String>,
    /// `predictions_made / usual_made` on a game date (section 5b).
    #[serde(default)]
    pub coverage: Option<f64>,
    /// Game dates of the 7-day window without predictions (section 5b).
    #[serde(default)]
    pub missing_dates_7d: Option<i64>,
    /// The detector's `S` on the date (section 11).
    #[serde(default)]
    pub cusum_stat: Option<f64>,
    /// The detector's `h`.
    #[serde(default)]
    pub cusum_threshold: Option<f64>,
    #[serde(default)]
    pub cusum_alarm: Option<bool>,
}

impl From<&Diagnostics> for DiagnosticsRow {
    fn from(d: &Diagnostics) -> Self {
        let sharp = &d.sharpness;
        let drift = &d.drift;
        DiagnosticsRow {
            game_date: d.game_date,
            computed_at: d.computed_at,
            vegas_mae_tier1: sharp.vegas_mae_tier1,
            vegas_mae_tier2: sharp.vegas_mae_tier2,
            vegas_mae_tier3: sharp.vegas_mae_tier3,
            model_beats_vegas_pct: sharp.model_beats_vegas.pct,
            sharpness_score: sharp.sharpness_score,
            sharpness_status: sharp.sharpness_status.map(|s| s.as_str().to_string()),
            hit_rate_7d: drift.hit_rate_7d.pct,
            hit_rate_14d: drift.hit_rate_14d.pct,
            hit_rate_30d: drift.hit_rate_30d.pct,
            model_mae: drift.model_mae,
            model_mean_error: drift.model_mean_error,
            bias_direction: drift.bias_direction.map(|b| b.as_str().to_string()),
            drift_score: drift.drift_score,
            drift_severity: drift.drift_severity.map(|s| s.as_str().to_string()),
            shot_zone_completeness: d.quality.shot_zone_completeness,
            predictions_made: Some(d.quality.predictions_made as i64),
            predictions_graded: Some(d.quality.predictions_graded as i64),
            feature_quality_avg: d.quality.feature_quality_avg,
            vegas_mae_baseline: d.baselines.vegas_mae_baseline,
            hit_rate_baseline: d.baselines.hit_rate_baseline.pct,
            sharpness_vs_baseline: sharp.sharpness_vs_baseline,
            primary_cause: Some(d.cause.primary_cause.as_str().to_string()),
            cause_confidence: d.cause.cause_confidence,
            contributing_factors: d
                .cause
                .contributing_factors
                .as_ref()
                .and_then(|factors| serde_json::to_value(factors).ok()),
            alert_triggered: d.alert_level.is_triggered(),
            alert_level: d.alert_level.as_str().to_string(),
            alert_message: d.alert_message.clone(),
            system_id: Some(d.system_id.clone()),
            coverage: d.coverage.coverage,
            missing_dates_7d: Some(d.coverage.missing_dates_7d.len() as i64),
            cusum_stat: d.cusum.as_ref().and_then(|c| c.cusum_stat),
            cusum_threshold: d.cusum.as_ref().map(|c| c.cusum_threshold),
            cusum_alarm: d.cusum.as_ref().map(|c| c.cusum_alarm),
        }
    }
}

impl Diagnostics {
    /// Whether the day has graded rows in its windows; without them the
    /// verdict is "unknown", never "healthy".
    pub fn has_data(&self) -> bool {
        self.drift.hit_rate_30d.n > 0 || self.drift.rows_14d > 0
    }

    /// The `--json` object: every column of the table, then the sample sizes,
    /// intervals and p-values behind them, and the full reports.
    pub fn to_json(&self) -> serde_json::Value {
        let row = DiagnosticsRow::from(self);
        let mut object = match serde_json::to_value(&row) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let mut insert = |key: &str, value: serde_json::Value| {
            object.insert(key.to_string(), value);
        };
        let rate = |rate: &Rate| serde_json::to_value(rate).unwrap_or_default();
        insert("model_beats_vegas", rate(&self.sharpness.model_beats_vegas));
        insert("hit_rate_7d_detail", rate(&self.drift.hit_rate_7d));
        insert("hit_rate_14d_detail", rate(&self.drift.hit_rate_14d));
        insert("hit_rate_30d_detail", rate(&self.drift.hit_rate_30d));
        insert("bets_7d", self.drift.hit_rate_7d.n.into());
        insert("bets_14d", self.drift.hit_rate_14d.n.into());
        insert("bets_30d", self.drift.hit_rate_30d.n.into());
        insert("beats_vegas_n", self.sharpness.model_beats_vegas.n.into());
        insert(
            "skipped_rows",
            serde_json::to_value(&self.skipped_rows).unwrap_or_default(),
        );
        insert(
            "since_promotion",
            serde_json::to_value(&self.since_promotion).unwrap_or_default(),
        );
        insert("clv", serde_json::to_value(&self.clv).unwrap_or_default());
        let coverage = &self.coverage;
        insert("coverage", coverage.coverage.into());
        insert("usual_made", coverage.usual_made.into());
        insert(
            "missing_dates_7d",
            (coverage.missing_dates_7d.len() as u64).into(),
        );
        insert("graded_share", coverage.graded_share.into());
        // Section 5b, Rev. 3: what a game date without graded rows was.
        insert(
            "coverage_gap",
            coverage
                .finding
                .as_ref()
                .map(|found| found.kind.as_str().to_string())
                .or_else(|| coverage.not_running.then(|| "not running".to_string()))
                .into(),
        );
        insert("predicted", coverage.predicted.into());
        insert(
            "first_day",
            coverage.first_day.map(|day| day.to_string()).into(),
        );
        let cusum = self.cusum.as_ref();
        insert("cusum_stat", cusum.and_then(|c| c.cusum_stat).into());
        insert("cusum_threshold", cusum.map(|c| c.cusum_threshold).into());
        insert("cusum_arl0_bets", cusum.map(|c| c.cusum_arl0_bets).into());
        insert("cusum_arl1_bets", cusum.map(|c| c.cusum_arl1_bets).into());
        insert("cusum_alarm", cusum.map(|c| c.cusum_alarm).into());
        insert(
            "cusum_since",
            cusum
                .and_then(|c| c.cusum_since)
                .map(|d| d.to_string())
                .into(),
        );
        insert(
            "cusum_last_alarm",
            cusum
                .and_then(|c| c.cusum_last_alarm)
                .map(|d| d.to_string())
                .into(),
        );
        let to_value = |value: serde_json::Result<serde_json::Value>| value.unwrap_or_default();
        insert("sharpness", to_value(serde_json::to_value(&self.sharpness)));
        insert("drift", to_value(serde_json::to_value(&self.drift)));
        insert("quality", to_value(serde_json::to_value(&self.quality)));
        insert("baselines", to_value(serde_json::to_value(&self.baselines)));
        insert(
            "coverage_detail",
            to_value(serde_json::to_value(&self.coverage)),
        );
        insert(
            "recommendations",
            to_value(serde_json::to_value(&self.recommendations)),
        );
        serde_json::Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_of_nothing_is_no_data() {
        let rate = Rate::hit_rate(0, 0, 50, 0.5238);
        assert_eq!(rate.pct, None);
        assert_eq!(rate.interval, None);
        assert_eq!(rate.p_value, None);
        assert!(!rate.sufficient);
        assert_eq!(rate.to_string(), "no data");
    }

    #[test]
    fn small_rate_is_insufficient_and_has_no_verdict() {
        let rate = Rate::of(10, 12, 50);
        assert_eq!(rate.verdict_pct(), None);
        assert_eq!(rate.to_string(), "insufficient sample (n=12, need 50)");
    }

    #[test]
    fn a_zero_rate_is_a_real_zero() {
        let rate = Rate::of(0, 60, 50);
        assert_eq!(rate.verdict_pct(), Some(0.0));
        assert!(rate.to_string().starts_with("0.0% [0.0–"));
    }
}
