//! How `watch` alerts: the Slack webhook and its delivery settings, and the
//! hysteresis of what it posts (metrics.md section 15).

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

/// When a change of level is posted (metrics.md section 15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertingConfig {
    /// Evaluations in a row a higher level must hold before it is posted.
    pub pending_evaluations: Positive<u32>,
    /// Evaluations in a row a lower level must hold before the fall is posted.
    pub recovery_evaluations: Positive<u32>,
}

impl Default for AlertingConfig {
    fn default() -> Self {
        AlertingConfig {
            pending_evaluations: Positive(1),
            recovery_evaluations: Positive(2),
        }
    }
}
