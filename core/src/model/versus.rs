//! Champion against challenger on identical rows (metrics.md section 14):
//! what a source counts in one join of the two sides, and the report the
//! analysis makes of it.

use super::diagnostics::Rate;
use crate::stats::{Interval, McNemar};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Side {
    /// A system's graded rows of `prediction_accuracy`.
    System { system_id: String },
    /// An experiment's rows of `backtest_predictions`.
    Experiment {
        experiment_id: String,
        experiment_name: String,
    },
}

impl Side {
    /// How messages and tables name the side.
    pub fn label(&self) -> &str {
        match self {
            Side::System { system_id } => system_id,
            Side::Experiment {
                experiment_name, ..
            } => experiment_name,
        }
    }
}

/// The counts and sums of the join of two sides on `(player_lookup, game_id)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PairCounts {
    pub a_rows: u64,
    pub b_rows: u64,
    /// Keys on both sides.
    pub shared: u64,
    /// Shared keys where both sides bet.
    pub both_bet: u64,
    pub a_hits: u64,
    pub b_hits: u64,
    /// A hit and B missed.
    pub a_hit_b_miss: u64,
    /// A missed and B hit.
    pub a_miss_b_hit: u64,
    /// Shared keys with both predictions and the actual points.
    pub error_pairs: u64,
    /// Sum over them of `|pred_B - actual| - |pred_A - actual|`.
    pub sum_error_difference: f64,
    /// Sum of its squares.
    pub sum_error_difference_sq: f64,
}

/// What the paired comparison says of B against A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersusVerdict {
    /// The interval of `HR(B) - HR(A)` lies above 0.
    BBetter,
    /// B is worse by less than the margin, with one-sided 95% confidence.
    BNotWorse,
    /// The interval lies below 0.
    BWorse,
    /// None of the above: more paired bets are needed.
    Inconclusive,
}

impl VersusVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            VersusVerdict::BBetter => "B better",
            VersusVerdict::BNotWorse => "B not worse",
            VersusVerdict::BWorse => "B worse",
            VersusVerdict::Inconclusive => "inconclusive",
        }
    }
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersusReport {
    pub a: Side,
    pub b: Side,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub a_only: u64,
    pub b_only: u64,
    pub shared: u64,
    pub both_bet: u64,
    /// Each side's hit rate on the both-bet keys.
    pub hit_rate_a: Rate,
    pub hit_rate_b: Rate,
    pub a_hit_b_miss: u64,
    pub a_miss_b_hit: u64,
    /// McNemar on the flips; `None` with no paired disagreements.
    pub mcnemar: Option<McNemar>,
    /// `HR(B) - HR(A) = (c - b) / n` on the both-bet keys, in points.
    pub difference_pp: Option<f64>,
    /// Its Agresti-Min 95% interval `d' ± 1.96 se`, in points.
    pub difference_interval: Option<Interval>,
    /// The one-sided 95% lower bound `d' - 1.645 se`, in points.
    pub difference_lower_one_sided: Option<f64>,
    /// Mean `e_B - e_A` on shared keys (negative: B errs less), in points.
    pub mae_difference: Option<f64>,
    pub mae_difference_interval: Option<Interval>,
    pub error_pairs: u64,
    /// The non-inferiority margin δ, in points.
    pub margin_pp: f64,
    pub verdict: VersusVerdict,
    /// The verdict in words, with n.
    pub verdict_text: String,
    /// The paired closing line value difference, when both sides are
    /// systems and the source has line snapshots (section 18).
    #[serde(default)]
    pub clv_difference: Option<super::clv::PairedClv>,
}
