//! Since promotion, an always-valid verdict (metrics.md section 19): the
//! bets of a system on the game dates after its current promotion, judged
//! by the one-sided beta-binomial confidence sequence of
//! [`crate::stats::confseq`], which may be looked at every day without
//! inflating its 5% false-proof rate; with the bets still needed.

use super::window::DayIndex;
use crate::config::Thresholds;
use crate::model::since_promotion::SincePromotion;
use crate::stats::confseq::{self, MixtureSpec};
use chrono::NaiveDate;

/// The verdict of `system` on `date`; `None` without a promotion, or when
/// `date` is not after it.
pub fn since_promotion(
    index: &DayIndex,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
) -> Option<SincePromotion> {
    let mark = index.promotion(system)?;
    let from = mark.promoted_at.date_naive().succ_opt()?;
    if date < from {
        return None;
    }
    let (mut bets, mut hits, mut game_dates) = (0u64, 0u64, 0u64);
    for (day, day_bets, day_hits) in index.bet_days(system) {
        if day >= from && day <= date && day_bets > 0 {
            bets += day_bets;
            hits += day_hits.min(day_bets);
            game_dates += 1;
        }
    }
    let spec = MixtureSpec {
        p0: thresholds.break_even(),
        t_opt: thresholds.since_promotion_t_opt.0 as f64,
        alpha: confseq::DEFAULT_ALPHA,
    };
    Some(SincePromotion {
        experiment_id: mark.experiment_id.clone(),
        experiment_name: mark.experiment_name.clone(),
        promoted_at: mark.promoted_at,
        from,
        to: date,
        game_dates,
        hit_rate_pct: (bets > 0).then(|| 100.0 * hits as f64 / bets as f64),
        break_even_pct: thresholds.break_even_pct(),
        t_opt: thresholds.since_promotion_t_opt.0,
        alpha: spec.alpha,
        result: confseq::always_valid(hits, bets, &spec),
    })
}
