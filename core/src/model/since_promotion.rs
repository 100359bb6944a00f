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
                    // Years of bets: said as such, to two figures.
                    Some(more) if more >= SOON_BETS => format!(
                        "; too close to break-even to prove soon (about {} more bets at this rate)",
                        grouped(two_figures(more))
                    ),
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

/// From this many more bets (years at a system's volume) the wait is said
/// as too long to prove soon.
const SOON_BETS: u64 = 100_000;

/// `value` to two significant figures (2,100,987 -> 2,100,000).
fn two_figures(value: u64) -> u64 {
    let digits = value.checked_ilog10().unwrap_or(0);
    let unit = 10u64.pow(digits.saturating_sub(1));
    (value + unit / 2) / unit * unit
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

#[cfg(test)]
mod wait_tests {
    use super::*;

    #[test]
    fn a_wait_of_years_is_said_to_two_figures() {
        assert_eq!(two_figures(2_100_987), 2_100_000);
        assert_eq!(two_figures(104_999), 100_000);
        assert_eq!(two_figures(155_000), 160_000);
        assert_eq!(two_figures(7), 7);
        assert_eq!(two_figures(0), 0);
        let sentence = |more: u64| {
            SincePromotion {
                experiment_id: "e".into(),
                experiment_name: "V8".into(),
                promoted_at: "2026-01-02T12:00:00Z".parse().unwrap(),
                from: NaiveDate::from_ymd_opt(2026, 1, 3).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 4, 12).unwrap(),
                game_dates: 90,
                hit_rate_pct: Some(52.5),
                break_even_pct: 52.4,
                t_opt: 1_000,
                alpha: 0.05,
                result: AlwaysValid {
                    bets: 7_111,
                    hits: 3_734,
                    log_m: -3.0,
                    log_m_refute: -2.0,
                    p_value: 1.0,
                    verdict: SincePromotionVerdict::NotYet,
                    bets_still_needed: Some(more),
                },
            }
            .sentence()
        };
        assert!(
            sentence(2_100_987).ends_with(
                "not yet proven (always-valid p=1.000); too close to break-even to prove soon (about 2,100,000 more bets at this rate)"
            ),
            "{}",
            sentence(2_100_987)
        );
        assert!(
            sentence(102).ends_with("; about 102 more bets if this rate holds"),
            "{}",
            sentence(102)
        );
    }
}
