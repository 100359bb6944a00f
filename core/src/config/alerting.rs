//! How `watch` alerts: the Slack webhook and its delivery settings.

use super::values::Positive;
use serde::{Deserialize, Serialize};

/// Slack incoming-webhook alerting for `watch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlackConfig {
    pub webhook_url: Option<String>,
    /// Minimum time between two posts for one system, in seconds.
    pub cooldown_secs: u64,
    pub timeout_secs: Positive<u64>,
    pub max_retries: u32,
}

impl Default for SlackConfig {
    fn default() -> Self {
        SlackConfig {
            webhook_url: None,
            cooldown_secs: 300,
            timeout_secs: Positive(10),
            max_retries: 4,
        }
    }
}
