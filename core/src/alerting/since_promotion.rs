//! The post when a system's since-promotion verdict changes (metrics.md
//! 19): kept in the outbox and the posted-levels table under its own key
//! (`SYSTEM since promotion`, apart from the verdict and game-day posts),
//! each verdict as a level so that a restarted `watch` knows what it last
//! said. A first verdict is news only when it is decided (proven or
//! refuted); "not yet" is said only as a change from one of those.

use super::message::safe_payload;
use crate::model::AlertLevel;
use crate::model::since_promotion::SincePromotion;
use crate::stats::confseq::SincePromotionVerdict;
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The key the posts of `system`'s verdict are kept under.
pub fn post_key(system: &str) -> String {
    format!("{system} since promotion")
}

/// The level a verdict is kept (and routed) as: proven is healthy news,
/// refuted a warning, not yet information.
pub fn level_of(since: &SincePromotion) -> AlertLevel {
    match since.result.verdict {
        SincePromotionVerdict::EdgeProven => AlertLevel::Healthy,
        SincePromotionVerdict::NotYet => AlertLevel::Info,
        SincePromotionVerdict::EdgeRefuted => AlertLevel::Warning,
    }
}

/// Whether `since` is to be posted, given the level of the last post kept
/// under [`post_key`] (`None`: never posted).
pub fn due(since: &SincePromotion, last_posted: Option<AlertLevel>) -> bool {
    match last_posted {
        Some(level) => level != level_of(since),
        None => since.result.verdict != SincePromotionVerdict::NotYet,
    }
}

/// The verdict a kept level stands for, in words.
fn word_of(level: AlertLevel) -> &'static str {
    match level {
        AlertLevel::Healthy => "edge proven",
        AlertLevel::Warning => "no edge",
        _ => "not yet",
    }
}

/// The post: `◆ SINCE PROMOTION catboost_v8 on 2026-04-12: edge proven
/// (was not yet)`, then the verdict's sentence.
pub fn payload(
    system: &str,
    date: NaiveDate,
    since: &SincePromotion,
    last_posted: Option<AlertLevel>,
) -> Value {
    let was = last_posted.map_or_else(String::new, |level| format!(" (was {})", word_of(level)));
    let headline = format!(
        "◆ SINCE PROMOTION {system} on {date}: {}{was}",
        since.word()
    );
    let sentence = since.sentence();
    safe_payload(json!({
        "text": format!("{headline}. {sentence}"),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": headline}},
            {"type": "section", "text": {"type": "mrkdwn", "text": format!("• {sentence}")}},
        ],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::confseq::AlwaysValid;

    fn since(verdict: SincePromotionVerdict) -> SincePromotion {
        SincePromotion {
            experiment_id: "e1".into(),
            experiment_name: "V9".into(),
            promoted_at: "2026-03-01T12:00:00Z".parse().unwrap(),
            from: "2026-03-02".parse().unwrap(),
            to: "2026-04-12".parse().unwrap(),
            game_dates: 30,
            hit_rate_pct: Some(57.0),
            break_even_pct: 52.38,
            t_opt: 1000,
            alpha: 0.05,
            result: AlwaysValid {
                bets: 3000,
                hits: 1710,
                log_m: 4.0,
                log_m_refute: -4.0,
                p_value: 0.01,
                verdict,
                bets_still_needed: None,
            },
        }
    }

    #[test]
    fn a_verdict_is_posted_when_it_changes_and_a_first_one_only_when_decided() {
        use SincePromotionVerdict::*;
        assert!(!due(&since(NotYet), None), "nothing decided, nothing new");
        assert!(due(&since(EdgeProven), None));
        assert!(due(&since(EdgeRefuted), None));
        assert!(!due(&since(EdgeProven), Some(AlertLevel::Healthy)));
        assert!(due(&since(NotYet), Some(AlertLevel::Healthy)));
        assert!(due(&since(EdgeRefuted), Some(AlertLevel::Info)));
        let text = payload(
            "catboost_v8",
            "2026-04-12".parse().unwrap(),
            &since(EdgeProven),
            Some(AlertLevel::Info),
        )["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            text.starts_with(
                "◆ SINCE PROMOTION catboost_v8 on 2026-04-12: edge proven (was not yet)"
            ),
            "{text}"
        );
        assert!(text.contains("since V9 was promoted"), "{text}");
    }
}
