//! The Slack message for a level change: Block Kit blocks with the level, the
//! primary cause and its confidence, each factor with its numbers and the
//! recommendations, plus a plain-text fallback.

use crate::model::{AlertLevel, Diagnostics};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The payload for a new alert level.
pub fn alert(d: &Diagnostics) -> Value {
    let level = d.alert_level.as_str().to_ascii_uppercase();
    let headline = format!(
        "{} {level}: {} on {}",
        d.alert_level.symbol(),
        d.system_id,
        d.game_date
    );
    let cause = format!(
        "*Primary cause:* {} (confidence {})",
        d.cause.primary_cause,
        d.cause
            .cause_confidence
            .map_or("n/a".to_string(), |c| format!("{c:.2}"))
    );
    let factors: Vec<String> = d
        .cause
        .contributing_factors
        .iter()
        .flatten()
        .map(|f| format!("• {} +{:.1}: {}", f.factor, f.contribution, f.details))
        .collect();
    let advice: Vec<String> = d.recommendations.iter().map(|r| format!("• {r}")).collect();
    let message = d.alert_message.clone().unwrap_or_default();
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": headline}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": message}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": cause}}),
    ];
    if !factors.is_empty() {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("*Contributing factors*\n{}", factors.join("\n"))}}));
    }
    if !advice.is_empty() {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("*What to do*\n{}", advice.join("\n"))}}));
    }
    let mut text = format!("{headline}. {message}");
    if !factors.is_empty() {
        text.push_str(&format!(
            " Factors: {}.",
            factors.join("; ").replace("• ", "")
        ));
    }
    json!({"text": text, "blocks": blocks})
}

/// The payload for a return to healthy: how long the incident lasted (when
/// this run saw it start) and its peak level.
pub fn recovered(
    d: &Diagnostics,
    previous: AlertLevel,
    peak: AlertLevel,
    since: Option<NaiveDate>,
) -> Value {
    let lasted = since.map_or_else(String::new, |since| {
        let days = (d.game_date - since).num_days();
        format!(
            " after {days} day{} (since {since})",
            if days == 1 { "" } else { "s" }
        )
    });
    let text = format!(
        "✓ RECOVERED: {} is healthy on {}{lasted} (was {previous}, peak {peak})",
        d.system_id, d.game_date
    );
    json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    })
}

/// The payload for a day on which nothing could be evaluated, posted once;
/// the channel keeps showing `last_known` as the last measured level.
pub fn unknown(d: &Diagnostics, last_known: AlertLevel) -> Value {
    let why = d
        .alert_message
        .clone()
        .unwrap_or_else(|| "no graded predictions in the 30 days up to this date".to_string());
    let text = format!(
        "? UNKNOWN: {} on {}: not evaluated ({why}); the last measured level was {last_known}",
        d.system_id, d.game_date
    );
    json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    })
}
