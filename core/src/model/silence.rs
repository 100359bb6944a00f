//! Silences and the alert timeline: a silence quiets one system's posts (of
//! one topic and level, where given) from its start to its end, with an
//! author and a comment; an alert event is one line of `watch`'s timeline
//! (a level change and what became of its post, then its delivery).

use crate::model::AlertLevel;
use crate::model::topic::Topic;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// One silence (`courtside_silences`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    pub id: i64,
    pub system_id: String,
    /// Every topic when `None`.
    pub topic: Option<Topic>,
    /// Every level when `None`.
    pub level: Option<AlertLevel>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub author: String,
    pub comment: String,
    /// Ended early by `silence expire`, and by whom.
    pub expired_at: Option<DateTime<Utc>>,
    pub expired_by: Option<String>,
}

/// A silence to add (the store gives its id).
#[derive(Debug, Clone)]
pub struct NewSilence {
    pub system_id: String,
    pub topic: Option<Topic>,
    pub level: Option<AlertLevel>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub author: String,
    pub comment: String,
}

/// The silences of `system` active at `now`, of `all`.
pub fn active_of(all: Vec<Silence>, system: &str, now: DateTime<Utc>) -> Vec<Silence> {
    all.into_iter()
        .filter(|silence| silence.system_id == system && silence.state(now) == SilenceState::Active)
        .collect()
}

/// The silence `id` of `found`, when it can be expired at `at`; else why
/// not: there is none, or it has ended already.
pub fn expirable(found: Option<&Silence>, id: i64, at: DateTime<Utc>) -> Result<&Silence, String> {
    let Some(silence) = found else {
        return Err(format!(
            "there is no silence {id} (`courtside silence list` shows them)"
        ));
    };
    let state = silence.state(at);
    if matches!(state, SilenceState::Ended | SilenceState::Expired) {
        return Err(format!(
            "silence {id} has {} already: {}",
            state.as_str(),
            silence.sentence(at)
        ));
    }
    Ok(silence)
}

/// Where a silence stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SilenceState {
    /// Not started yet.
    Pending,
    Active,
    /// Ran to its end.
    Ended,
    /// Ended early by `silence expire`.
    Expired,
}

impl SilenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            SilenceState::Pending => "pending",
            SilenceState::Active => "active",
            SilenceState::Ended => "ended",
            SilenceState::Expired => "expired",
        }
    }
}

impl Silence {
    pub fn state(&self, at: DateTime<Utc>) -> SilenceState {
        match self.expired_at {
            Some(expired) if expired <= at => SilenceState::Expired,
            _ if at < self.starts_at => SilenceState::Pending,
            _ if at < self.ends_at => SilenceState::Active,
            _ => SilenceState::Ended,
        }
    }

    /// Whether it quiets a post of `topic` and `level` for `system` at `at`.
    pub fn holds(&self, topic: Topic, level: AlertLevel, system: &str, at: DateTime<Utc>) -> bool {
        self.state(at) == SilenceState::Active
            && self.system_id == system
            && self.topic.is_none_or(|t| t == topic)
            && self.level.is_none_or(|l| l == level)
    }

    /// What it covers: `catboost_v12`, `catboost_v12 verdict warning`.
    pub fn scope(&self) -> String {
        let mut scope = self.system_id.clone();
        if let Some(topic) = self.topic {
            scope.push(' ');
            scope.push_str(topic.as_str());
        }
        if let Some(level) = self.level {
            scope.push(' ');
            scope.push_str(level.as_str());
        }
        scope
    }

    /// `🔕 catboost_v12 until 18:00, by alice: retraining` (times in UTC;
    /// the date too when it ends on another day than `at`).
    pub fn sentence(&self, at: DateTime<Utc>) -> String {
        let until = if self.ends_at.date_naive() == at.date_naive() {
            self.ends_at.format("%H:%M UTC").to_string()
        } else {
            self.ends_at.format("%Y-%m-%d %H:%M UTC").to_string()
        };
        let state = self.state(at);
        let when = match state {
            SilenceState::Active => format!("until {until}"),
            SilenceState::Pending => format!(
                "from {} until {until}",
                self.starts_at.format("%Y-%m-%d %H:%M UTC")
            ),
            SilenceState::Ended => format!("ended {until}"),
            SilenceState::Expired => format!(
                "expired {} by {}",
                self.expired_at
                    .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default(),
                self.expired_by.as_deref().unwrap_or("?")
            ),
        };
        format!(
            "🔕 {} {when}, by {}: {}",
            self.scope(),
            self.author,
            self.comment
        )
    }
}

/// What became of a level change's post, or of its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventOutcome {
    /// Queued for its route.
    Posting,
    /// Held by a silence: recorded, not sent.
    Silenced,
    /// Held back by the cooldown.
    Held,
    /// No webhook is configured.
    NotPosted,
    Delivered,
    Failed,
}

impl EventOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            EventOutcome::Posting => "posting",
            EventOutcome::Silenced => "silenced",
            EventOutcome::Held => "held",
            EventOutcome::NotPosted => "not_posted",
            EventOutcome::Delivered => "delivered",
            EventOutcome::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<EventOutcome> {
        [
            EventOutcome::Posting,
            EventOutcome::Silenced,
            EventOutcome::Held,
            EventOutcome::NotPosted,
            EventOutcome::Delivered,
            EventOutcome::Failed,
        ]
        .into_iter()
        .find(|outcome| outcome.as_str() == text)
    }
}

/// One line of the timeline (`courtside_alert_events`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub system_id: String,
    pub game_date: NaiveDate,
    pub topic: Topic,
    pub from_level: Option<AlertLevel>,
    pub to_level: AlertLevel,
    pub cause: Option<String>,
    pub outcome: EventOutcome,
    pub route: Option<String>,
    pub detail: Option<String>,
    pub silence_id: Option<i64>,
}

/// The Overview's line of what `watch` last did for a system, from its
/// timeline (oldest first): `since 03-08 02:43 UTC: warning, delivered to
/// #nba-alerts 02:43:05`; `None` before any change was recorded.
pub fn last_change_sentence(events: &[AlertEvent]) -> Option<String> {
    let change_index = events.iter().rposition(|e| {
        matches!(
            e.outcome,
            EventOutcome::Posting
                | EventOutcome::Silenced
                | EventOutcome::Held
                | EventOutcome::NotPosted
        )
    })?;
    let change = &events[change_index];
    let head = format!(
        "since {}: {} ({} {}, {})",
        change.at.format("%m-%d %H:%M UTC"),
        change.to_level,
        change.system_id,
        change.game_date,
        change.topic.as_str()
    );
    let tail = match change.outcome {
        EventOutcome::Posting => {
            let delivery = events[change_index + 1..].iter().find(|e| {
                matches!(e.outcome, EventOutcome::Delivered | EventOutcome::Failed)
                    && e.game_date == change.game_date
                    && e.to_level == change.to_level
                    && e.topic == change.topic
            });
            let route = change.route.as_deref().unwrap_or("its route");
            match delivery {
                Some(d) if d.outcome == EventOutcome::Delivered => {
                    format!("posted to {route} {}", d.at.format("%H:%M:%S"))
                }
                Some(d) => format!(
                    "failed on {route}: {}",
                    d.detail.as_deref().unwrap_or("no reason given")
                ),
                None => format!("posting to {route} (not delivered yet)"),
            }
        }
        EventOutcome::Silenced => format!(
            "silenced ({})",
            change.detail.as_deref().unwrap_or("a silence")
        ),
        EventOutcome::Held => format!(
            "held back: {}",
            change.detail.as_deref().unwrap_or("the cooldown")
        ),
        _ => "not posted (no webhook)".to_string(),
    };
    Some(format!("{head}, {tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, hour, 0, 0).unwrap()
    }

    fn silence() -> Silence {
        Silence {
            id: 1,
            system_id: "catboost_v12".to_string(),
            topic: None,
            level: Some(AlertLevel::Warning),
            starts_at: at(10),
            ends_at: at(18),
            author: "alice".to_string(),
            comment: "retraining".to_string(),
            expired_at: None,
            expired_by: None,
        }
    }

    fn event(id: i64, minute: u32, outcome: EventOutcome, route: Option<&str>) -> AlertEvent {
        AlertEvent {
            id,
            at: Utc.with_ymd_and_hms(2026, 3, 8, 2, minute, 5).unwrap(),
            system_id: "catboost_v8".to_string(),
            game_date: NaiveDate::from_ymd_opt(2026, 3, 7).unwrap(),
            topic: Topic::Verdict,
            from_level: None,
            to_level: AlertLevel::Warning,
            cause: None,
            outcome,
            route: route.map(str::to_string),
            detail: None,
            silence_id: None,
        }
    }

    #[test]
    fn the_last_change_says_what_became_of_its_post() {
        assert_eq!(last_change_sentence(&[]), None);
        let queued = event(1, 43, EventOutcome::Posting, Some("#nba-alerts"));
        assert_eq!(
            last_change_sentence(std::slice::from_ref(&queued)).unwrap(),
            "since 03-08 02:43 UTC: warning (catboost_v8 2026-03-07, verdict), posting to #nba-alerts (not delivered yet)"
        );
        let delivered = event(2, 44, EventOutcome::Delivered, Some("#nba-alerts"));
        assert_eq!(
            last_change_sentence(&[queued.clone(), delivered]).unwrap(),
            "since 03-08 02:43 UTC: warning (catboost_v8 2026-03-07, verdict), posted to #nba-alerts 02:44:05"
        );
        let silenced = AlertEvent {
            detail: Some("🔕 catboost_v8 until 18:00 UTC, by alice: retraining".to_string()),
            ..event(3, 50, EventOutcome::Silenced, None)
        };
        assert!(
            last_change_sentence(&[queued, silenced])
                .unwrap()
                .ends_with("silenced (🔕 catboost_v8 until 18:00 UTC, by alice: retraining)")
        );
    }

    #[test]
    fn a_silence_holds_its_scope_while_it_runs() {
        let s = silence();
        assert_eq!(s.state(at(9)), SilenceState::Pending);
        assert!(s.holds(Topic::Verdict, AlertLevel::Warning, "catboost_v12", at(12)));
        assert!(s.holds(Topic::GameDay, AlertLevel::Warning, "catboost_v12", at(12)));
        assert!(!s.holds(Topic::Verdict, AlertLevel::Critical, "catboost_v12", at(12)));
        assert!(!s.holds(Topic::Verdict, AlertLevel::Warning, "other", at(12)));
        assert!(!s.holds(Topic::Verdict, AlertLevel::Warning, "catboost_v12", at(18)));
        assert_eq!(s.state(at(18)), SilenceState::Ended);
        assert_eq!(
            s.sentence(at(12)),
            "🔕 catboost_v12 warning until 18:00 UTC, by alice: retraining"
        );
        let expired = Silence {
            expired_at: Some(at(13)),
            expired_by: Some("bob".to_string()),
            ..silence()
        };
        assert!(expired.holds(Topic::Verdict, AlertLevel::Warning, "catboost_v12", at(12)));
        assert!(!expired.holds(Topic::Verdict, AlertLevel::Warning, "catboost_v12", at(14)));
        assert_eq!(expired.state(at(14)), SilenceState::Expired);
        assert!(
            expired
                .sentence(at(14))
                .contains("expired 2026-03-01 13:00 UTC by bob")
        );
    }
}
