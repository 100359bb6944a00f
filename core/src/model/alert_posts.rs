//! What the store remembers of the alerts `watch` posted.

use super::vocab::AlertLevel;
use chrono::{DateTime, Utc};

/// The last post for a system: its level and when it went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostState {
    pub last_level: AlertLevel,
    pub last_posted_at: DateTime<Utc>,
}
