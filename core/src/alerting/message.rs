//! The Slack message for a level change: Block Kit blocks with the level, the
//! primary cause and its confidence, each factor with its numbers and the
//! recommendations, plus a plain-text fallback. Every string of a payload is
//! terminal-safe ([`safe_payload`]): a stored name or message never carries
//! a control character into the channel.

use crate::diagnostics::false_alarms::{Rule, RuleFigures};
use crate::format::terminal_safe_lines;
use crate::model::{AlertLevel, Diagnostics};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// `payload` with every string in it terminal-safe: control characters and
/// bidirectional overrides as visible escapes (`\x1b`), line breaks kept
/// (mrkdwn uses them).
pub fn safe_payload(mut payload: Value) -> Value {
    make_safe(&mut payload);
    payload
}

fn make_safe(value: &mut Value) {
    match value {
        Value::String(text) => *text = terminal_safe_lines(text.as_str()).into_owned(),
        Value::Array(items) => items.iter_mut().for_each(make_safe),
        Value::Object(fields) => fields.values_mut().for_each(make_safe),
        _ => {}
    }
}

/// The simulated false-alarm figures (metrics.md section 12) a post quotes
/// for the hit-rate rules and the detector.
#[derive(Debug, Clone, Copy)]
pub struct RuleOdds<'a> {
    pub bets_per_day: u64,
    pub break_even_pct: f64,
    pub rules: &'a [RuleFigures],
}

/// The simulated rules that fired on `d`: the detector's alarm, the 7- and
/// 14-day pair below break-even, the 7-day rate below break-even.
pub fn fired_rules(d: &Diagnostics, break_even_pct: f64) -> Vec<Rule> {
    let below = |rate: &crate::model::Rate| rate.verdict_pct().is_some_and(|p| p < break_even_pct);
    let mut rules = Vec::new();
    if d.cusum.as_ref().is_some_and(|c| c.cusum_alarm) {
        rules.push(Rule::Cusum);
    }
    if below(&d.drift.hit_rate_7d) && below(&d.drift.hit_rate_14d) {
        rules.push(Rule::WarningPair);
    }
    if below(&d.drift.hit_rate_7d) {
        rules.push(Rule::Info);
    }
    rules
}

/// One line per fired simulated rule with its chance of a false alarm; a
/// level that rests on other rules says they have no such figure.
pub fn odds_lines(d: &Diagnostics, odds: &RuleOdds<'_>) -> Vec<String> {
    let fired = fired_rules(d, odds.break_even_pct);
    if fired.is_empty() {
        return vec![
            "no simulated false-alarm figure: this level rests on beats-Vegas, drift score, completeness or coverage, not a hit-rate rule".to_string(),
        ];
    }
    fired
        .iter()
        .filter_map(|rule| odds.rules.iter().find(|f| f.rule == *rule))
        .map(|figure| {
            format!(
                "{}: fires in {:.1}% [{:.1}–{:.1}] of 90-day stretches of a healthy model at {} bets a day",
                figure.rule.describe(),
                figure.false_alarm_90d,
                figure.false_alarm_90d_interval.low,
                figure.false_alarm_90d_interval.high,
                odds.bets_per_day
            )
        })
        .collect()
}

/// The payload for a new alert level, with the false-alarm figure of each
/// rule that fired when the figures are known.
pub fn alert(d: &Diagnostics, odds: Option<&RuleOdds<'_>>) -> Value {
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
    let odds = odds.map(|odds| odds_lines(d, odds)).unwrap_or_default();
    if !odds.is_empty() {
        let listed: Vec<String> = odds.iter().map(|line| format!("• {line}")).collect();
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("*How often this cries wolf*\n{}", listed.join("\n"))}}));
    }
    // Since the promotion (section 19): is the champion still above break-even?
    let since = d.since_promotion.as_ref().map(|since| since.sentence());
    if let Some(since) = &since {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("*Since promotion*\n{since}")}}));
    }
    let mut text = format!("{headline}. {message}");
    if !factors.is_empty() {
        text.push_str(&format!(
            " Factors: {}.",
            factors.join("; ").replace("• ", "")
        ));
    }
    if let Some(since) = &since {
        text.push_str(&format!(" Since promotion: {since}."));
    }
    if !odds.is_empty() {
        text.push_str(&format!(" False alarms: {}.", odds.join("; ")));
    }
    safe_payload(json!({"text": text, "blocks": blocks}))
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
    safe_payload(json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }))
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
    safe_payload(json!({
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }))
}

/// What a registry change announces: who did what to which experiment for
/// which system, what it archived, the guard rails and the figures.
pub struct RegistryChange<'a> {
    /// `promoted`, `archived`, `rolled back to`, `requested promotion of`.
    pub what: &'a str,
    pub experiment: &'a str,
    pub target: &'a str,
    pub actor: &'a str,
    pub forced: bool,
    pub archived: &'a [String],
    /// Failed guard rails (forced past), or empty when all passed.
    pub guard_rails: &'a [String],
    pub figures: &'a [String],
}

/// The payload of a registry change (promote, archive, rollback, approval).
pub fn registry_change(change: &RegistryChange<'_>) -> Value {
    let forced = if change.forced { " ⚠ FORCED" } else { "" };
    let headline = format!(
        "{} {} {} for {}{forced}",
        change.actor, change.what, change.experiment, change.target
    );
    let mut lines = Vec::new();
    if !change.archived.is_empty() {
        lines.push(format!("archived: {}", change.archived.join(", ")));
    }
    lines.push(if change.guard_rails.is_empty() {
        "guard rails: all pass".to_string()
    } else {
        format!("guard rails forced past: {}", change.guard_rails.join("; "))
    });
    lines.extend(change.figures.iter().cloned());
    let body: Vec<String> = lines.iter().map(|line| format!("• {line}")).collect();
    safe_payload(json!({
        "text": format!("{headline}. {}", lines.join(". ")),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": headline}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body.join("\n")}},
        ],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_of_a_payload_is_made_terminal_safe() {
        let payload = safe_payload(json!({
            "text": "a\x1b[2J\nb",
            "blocks": [{"text": {"text": "\x1b]0;pwned\x07", "n": 3}}],
        }));
        assert_eq!(payload["text"], "a\\x1b[2J\nb");
        assert_eq!(payload["blocks"][0]["text"]["text"], "\\x1b]0;pwned\\x07");
        assert_eq!(payload["blocks"][0]["text"]["n"], 3);
    }

    #[test]
    fn a_registry_change_shows_a_hostile_name_escaped() {
        let payload = registry_change(&RegistryChange {
            what: "promoted",
            experiment: "EVIL\x1b]52;c;aGk=\x07",
            target: "catboost_v8",
            actor: "mallory\x1b[2J",
            forced: false,
            archived: &["OLD\u{202e}".to_string()],
            guard_rails: &[],
            figures: &[],
        });
        let text = payload.to_string();
        let text: String = serde_json::from_str::<Value>(&text).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.contains("EVIL\\x1b]52;c;aGk=\\x07"), "{text}");
        assert!(text.contains("mallory\\x1b[2J"), "{text}");
        assert!(text.contains("OLD\\u{202e}"), "{text}");
    }
}
