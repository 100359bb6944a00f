//! Closing line value as every front end shows it (metrics.md section 18):
//! the bets with every book's close, and the report per window and bucket.

use crate::stats::Interval;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One book's closing snapshot of a bet's player and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookClose {
    /// Lower-cased.
    pub book: String,
    pub line: f64,
    /// Decimal prices at the close, when the snapshot has them.
    pub over_price: Option<f64>,
    pub under_price: Option<f64>,
}

/// One graded bet with the closes of its player and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvBetRow {
    pub game_date: NaiveDate,
    pub player_lookup: String,
    pub game_id: String,
    /// OVER (else UNDER).
    pub over: bool,
    pub line: f64,
    pub edge: f64,
    /// The bet's book, lower-cased (empty when unknown).
    pub book: String,
    pub closes: Vec<BookClose>,
}

/// The verdict of section 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClvVerdict {
    BeatsTheClose,
    LosesToTheClose,
    NoEvidence,
    /// Fewer than 30 bets with a close: no interval, no verdict.
    TooFewBets,
}

impl ClvVerdict {
    /// The JSON name (`beats_the_close`).
    pub fn as_str(self) -> &'static str {
        match self {
            ClvVerdict::BeatsTheClose => "beats_the_close",
            ClvVerdict::LosesToTheClose => "loses_to_the_close",
            ClvVerdict::NoEvidence => "no_evidence",
            ClvVerdict::TooFewBets => "too_few_bets",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            ClvVerdict::BeatsTheClose => "beats the close",
            ClvVerdict::LosesToTheClose => "loses to the close",
            ClvVerdict::NoEvidence => "no evidence either way",
            ClvVerdict::TooFewBets => "too few bets with a close for a verdict",
        }
    }
}

/// CLV over one set of bets (a window, or a bucket of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvFigures {
    /// Bets with a close.
    pub n: u64,
    /// Bets without any closing snapshot.
    pub no_close: u64,
    /// Mean `clv_points`, with its 95% t interval (only for n >= 30).
    pub mean_points: Option<f64>,
    pub interval: Option<Interval>,
    /// Share (percent) with `clv_points > 0` among those where it is not 0, with its Wilson interval.
    pub positive_pct: Option<f64>,
    pub positive_interval: Option<Interval>,
    /// Share (percent) of bets whose close equals their line.
    pub zero_pct: Option<f64>,
    /// Mean no-vig probability of the bet's side at the close minus break-even,
    /// in points, with its t interval; over bets whose close has both prices.
    pub prob_n: u64,
    pub mean_prob_points: Option<f64>,
    pub prob_interval: Option<Interval>,
    pub verdict: ClvVerdict,
}

/// `clv_points(B) - clv_points(A)` on the keys both systems bet with a
/// close (Versus, metrics.md 18): the mean with its 95% t interval (from 30).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedClv {
    pub n: u64,
    pub mean_points: Option<f64>,
    pub interval: Option<Interval>,
}

/// One bucket of a split (direction, book, edge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvBucket {
    pub dimension: String,
    pub bucket: String,
    pub figures: ClvFigures,
}

/// The report of `courtside clv`, the Overview's line and `diag --json`'s `clv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvReport {
    pub system_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// False when the source has no line snapshot table.
    pub snapshots_available: bool,
    pub overall: ClvFigures,
    pub buckets: Vec<ClvBucket>,
}

/// `+0.00` for a value that rounds to zero (never `-0.00`).
fn points(value: f64) -> String {
    let value = if value.abs() < 0.005 { 0.0 } else { value };
    format!("{value:+.2}")
}

impl ClvFigures {
    /// `+0.21 pts [+0.05, +0.37] on 1,234 bets: beats the close`.
    pub fn sentence(&self) -> String {
        match (self.mean_points, self.interval) {
            (Some(mean), Some(interval)) => format!(
                "{} pts [{}, {}] on {} bets with a close ({} without): {}",
                points(mean),
                points(interval.low),
                points(interval.high),
                self.n,
                self.no_close,
                self.verdict.words()
            ),
            (Some(mean), None) => format!(
                "{} pts on {} bets with a close ({} without): {}",
                points(mean),
                self.n,
                self.no_close,
                self.verdict.words()
            ),
            _ => format!("no bets with a close ({} without)", self.no_close),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ClvVerdict;

    #[test]
    fn a_verdict_is_named_as_its_json() {
        for verdict in [
            ClvVerdict::BeatsTheClose,
            ClvVerdict::LosesToTheClose,
            ClvVerdict::NoEvidence,
            ClvVerdict::TooFewBets,
        ] {
            let json = serde_json::to_value(verdict).unwrap();
            assert_eq!(json.as_str(), Some(verdict.as_str()));
        }
    }
}
