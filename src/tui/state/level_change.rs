//! A change of the selected system's level while the dashboard is open:
//! the header flashes it for [`FLASH_SECS`] and the terminal's title says
//! it until the next change.

use crate::model::AlertLevel;
use chrono::{DateTime, Utc};

/// How long the header flashes a change.
pub const FLASH_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq)]
pub struct LevelChange {
    pub system: String,
    pub from: AlertLevel,
    pub to: AlertLevel,
    pub at: DateTime<Utc>,
}

impl LevelChange {
    /// Whether the header flashes it at `now`, and in which phase (on
    /// every other second).
    pub fn flash(&self, now: DateTime<Utc>) -> Option<bool> {
        let age = (now - self.at).num_seconds();
        (0..FLASH_SECS).contains(&age).then_some(age % 2 == 0)
    }

    /// The terminal title: `courtside: catboost_v8 WARNING (was healthy)`.
    pub fn title(&self) -> String {
        format!(
            "courtside: {} {} (was {})",
            crate::format::terminal_safe(&self.system),
            self.to.as_str().to_ascii_uppercase(),
            self.from.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_change_flashes_for_a_minute_and_names_both_levels() {
        let at = Utc.with_ymd_and_hms(2026, 3, 8, 2, 43, 0).unwrap();
        let change = LevelChange {
            system: "catboost_v8".to_string(),
            from: AlertLevel::Healthy,
            to: AlertLevel::Warning,
            at,
        };
        assert_eq!(change.flash(at), Some(true));
        assert_eq!(change.flash(at + chrono::Duration::seconds(1)), Some(false));
        assert_eq!(
            change.flash(at + chrono::Duration::seconds(FLASH_SECS)),
            None
        );
        assert_eq!(
            change.title(),
            "courtside: catboost_v8 WARNING (was healthy)"
        );
    }
}
