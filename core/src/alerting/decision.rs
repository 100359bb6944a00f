//! Whether a post that alert hygiene asks for goes out now: never twice for
//! the same system, day and level, and not within the cooldown after the
//! system's last post. (When a post is due at all is `hygiene`'s job.)

use chrono::{DateTime, Utc};

pub use crate::model::alert_posts::PostState;

/// Why a due post is held back, or `None` when it goes out.
pub fn hold_back(
    already_posted_today: bool,
    last: Option<&PostState>,
    now: DateTime<Utc>,
    cooldown_secs: u64,
) -> Option<&'static str> {
    if already_posted_today {
        return Some("already posted for this day and level");
    }
    if let Some(last) = last
        && (now - last.last_posted_at).num_seconds() < cooldown_secs as i64
    {
        return Some("cooldown");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AlertLevel;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + chrono::Duration::seconds(seconds)
    }

    #[test]
    fn repeats_and_the_cooldown_hold_a_post_back() {
        let last = PostState {
            last_level: AlertLevel::Warning,
            last_posted_at: at(0),
        };
        assert_eq!(hold_back(false, None, at(0), 300), None);
        assert_eq!(
            hold_back(false, Some(&last), at(100), 300),
            Some("cooldown")
        );
        assert_eq!(hold_back(false, Some(&last), at(1000), 300), None);
        assert_eq!(
            hold_back(true, Some(&last), at(1000), 300),
            Some("already posted for this day and level")
        );
    }
}
