//! What the store remembers of the alerts `watch` posted.

use super::vocab::AlertLevel;
use chrono::{DateTime, Utc};

/// The last post for a system: its level and when it went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostState {
    pub last_level: AlertLevel,
    pub last_posted_at: DateTime<Utc>,
}

/// A post `watch` queued and has not delivered yet (`courtside_alert_outbox`).
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxPost {
    pub id: i64,
    pub system_id: String,
    pub game_date: chrono::NaiveDate,
    pub level: crate::model::AlertLevel,
    pub payload: serde_json::Value,
    /// A run was sending it when it stopped (killed mid-post): Slack may
    /// have it already (webhooks have no idempotency key).
    pub interrupted: bool,
    /// It was sent once again already after such a stop.
    pub resent: bool,
}
