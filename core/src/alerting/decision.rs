//! When to post: on a change of alert level against the last level posted for
//! the system, never twice for the same system, day and level, not within the
//! cooldown, and a "recovered" notice when the level returns to healthy.

use crate::model::AlertLevel;
use chrono::{DateTime, NaiveDate, Utc};

pub use crate::model::alert_posts::PostState;

/// The decision for one computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Post an alert for the new level.
    Alert,
    /// Post that the system is healthy again after `previous`.
    Recovered { previous: AlertLevel },
    /// Nothing to post.
    Quiet(&'static str),
}

/// Decides whether `level` on `date` warrants a post.
pub fn decide(
    level: AlertLevel,
    state: Option<&PostState>,
    already_posted_today: bool,
    now: DateTime<Utc>,
    cooldown_secs: u64,
    _date: NaiveDate,
) -> Decision {
    let previous = state.map(|s| s.last_level);
    if previous == Some(level) || (previous.is_none() && level == AlertLevel::Healthy) {
        return Decision::Quiet("level unchanged");
    }
    if already_posted_today {
        return Decision::Quiet("already posted for this day and level");
    }
    if let Some(state) = state
        && (now - state.last_posted_at).num_seconds() < cooldown_secs as i64
    {
        return Decision::Quiet("cooldown");
    }
    match (level, previous) {
        (AlertLevel::Healthy, Some(previous)) => Decision::Recovered { previous },
        _ => Decision::Alert,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + chrono::Duration::seconds(seconds)
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn changes_post_repeats_do_not() {
        use AlertLevel::*;
        assert_eq!(
            decide(Healthy, None, false, at(0), 300, day()),
            Decision::Quiet("level unchanged")
        );
        assert_eq!(
            decide(Warning, None, false, at(0), 300, day()),
            Decision::Alert
        );
        let state = PostState {
            last_level: Warning,
            last_posted_at: at(0),
        };
        assert_eq!(
            decide(Warning, Some(&state), false, at(1000), 300, day()),
            Decision::Quiet("level unchanged")
        );
        assert_eq!(
            decide(Critical, Some(&state), false, at(100), 300, day()),
            Decision::Quiet("cooldown")
        );
        assert_eq!(
            decide(Critical, Some(&state), false, at(1000), 300, day()),
            Decision::Alert
        );
        assert_eq!(
            decide(Critical, Some(&state), true, at(1000), 300, day()),
            Decision::Quiet("already posted for this day and level")
        );
        assert_eq!(
            decide(Healthy, Some(&state), false, at(1000), 300, day()),
            Decision::Recovered { previous: Warning }
        );
    }
}
