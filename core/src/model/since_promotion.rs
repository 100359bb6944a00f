//! The since-promotion verdict as every front end shows it (metrics.md
//! section 19); computed in `diagnostics::since_promotion`.

use crate::stats::confseq::{AlwaysValid, SincePromotionVerdict};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The verdict on one date, with what it counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SincePromotion {
    pub experiment_id: String,
    pub experiment_name: String,
    pub promoted_at: DateTime<Utc>,
    /// The first game date counted: the day after the promotion (UTC date).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Game dates with bets in `from ..= to`.
    pub game_dates: u64,
    /// `100 k / t`; `None` before the first bet.
    pub hit_rate_pct: Option<f64>,
    pub break_even_pct: f64,
    pub t_opt: u64,
    pub alpha: f64,
    #[serde(flatten)]
    pub result: AlwaysValid,
}

impl SincePromotion {
    /// The verdict in words, with what it rests on: "edge proven",
    /// "no edge (refuted)", or "not yet" with the always-valid p-value and
    /// the bets still needed.
    pub fn sentence(&self) -> String {
        let r = &self.result;
        let rate = self
            .hit_rate_pct
            .map_or_else(|| "no bets yet".to_string(), |pct| format!("{pct:.1}%"));
        let base = format!(
            "since {} was promoted ({}): {} of {} bets, {rate}",
            self.experiment_name,
            self.promoted_at.format("%Y-%m-%d"),
            grouped(r.hits),
            grouped(r.bets)
        );
        match r.verdict {
            SincePromotionVerdict::EdgeProven => format!(
                "{base}: edge over break-even {:.1}% proven (always-valid {})",
                self.break_even_pct,
                p_text(r.p_value)
            ),
            SincePromotionVerdict::EdgeRefuted => format!(
                "{base}: no edge: at or below break-even {:.1}% (always valid, 5% error)",
                self.break_even_pct
            ),
            SincePromotionVerdict::NotYet => {
                let needed = match r.bets_still_needed {
                    Some(more) => {
                        format!("; about {} more bets if this rate holds", grouped(more))
                    }
                    None if self
                        .hit_rate_pct
                        .is_some_and(|pct| pct > self.break_even_pct) =>
                    {
                        "; too close to break-even to prove soon".to_string()
                    }
                    None => String::new(),
                };
                format!(
                    "{base}: not yet proven (always-valid {}){needed}",
                    p_text(r.p_value)
                )
            }
        }
    }

    /// The verdict in a word or two, for tables.
    pub fn word(&self) -> &'static str {
        match self.result.verdict {
            SincePromotionVerdict::EdgeProven => "edge proven",
            SincePromotionVerdict::EdgeRefuted => "no edge",
            SincePromotionVerdict::NotYet => "not yet",
        }
    }
}

/// `2,100,987`.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `p=0.043`, or `p<0.001` (never `p=<0.001`).
fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p<0.001".to_string()
    } else {
        format!("p={p:.3}")
    }
}
