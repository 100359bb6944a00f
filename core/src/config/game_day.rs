//! `timezone:` and `game_day:` in the config: the clock a game date is read
//! in, and the limits of the game-day rules (metrics.md sections 5b and 17,
//! Rev. 3).

use super::values::{NonNegative, Positive, PositiveF64};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The game-day rules' limits, with the defaults of metrics.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GameDay {
    /// The time zone game dates are read in (IANA name). Set at the top level
    /// as `timezone:`; carried here so every rule reads one set of limits.
    #[serde(skip)]
    pub timezone: String,
    /// Hours after every game of a date is final before missing grades are
    /// "not graded".
    pub grading_grace_hours: PositiveF64,
    /// Minutes before the first tip-off within which the pre-game rules fire.
    pub pregame_alarm_minutes: Positive<u64>,
    /// Within the alarm window, a system predicting fewer than this share of
    /// the players with a line is a warning.
    pub pregame_min_coverage: PositiveF64,
    /// A line whose last snapshot is older than this before tip-off is stale.
    pub stale_line_minutes: Positive<u64>,
    /// Below this `feature_quality_score` a missing player's reason is
    /// "low-quality features".
    pub min_feature_quality: NonNegative,
    /// The schedule has no time a game went final: it is taken as its
    /// tip-off plus this many minutes (an NBA game lasts about 2.5 hours).
    pub game_length_minutes: Positive<u64>,
}

/// The default time zone of game dates.
pub const DEFAULT_TIMEZONE: &str = "America/New_York";

impl Default for GameDay {
    fn default() -> Self {
        GameDay {
            timezone: DEFAULT_TIMEZONE.to_string(),
            grading_grace_hours: PositiveF64(6.0),
            pregame_alarm_minutes: Positive(120),
            pregame_min_coverage: PositiveF64(0.8),
            stale_line_minutes: Positive(120),
            min_feature_quality: NonNegative(70.0),
            game_length_minutes: Positive(150),
        }
    }
}

impl GameDay {
    /// The configured zone (the default when the name does not parse, which
    /// the config refuses at load).
    pub fn zone(&self) -> chrono_tz::Tz {
        parse_timezone(&self.timezone).unwrap_or(chrono_tz::America::New_York)
    }

    /// The game date `now` falls on in the configured zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.zone()).date_naive()
    }

    /// When a game that tipped off at `tip` is taken to be final.
    pub fn final_at(&self, tip: DateTime<Utc>) -> DateTime<Utc> {
        tip + chrono::Duration::minutes(self.game_length_minutes.0.min(24 * 60) as i64)
    }
}

/// An IANA zone name (`America/New_York`), or `None`.
pub fn parse_timezone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse::<chrono_tz::Tz>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_read_in_new_york_by_default() {
        let rules = GameDay::default();
        // 03:30 UTC on 2026-04-13 is 23:30 on 04-12 in New York (EDT).
        let late = "2026-04-13T03:30:00Z".parse().unwrap();
        assert_eq!(rules.today(late), "2026-04-12".parse().unwrap());
        let morning = "2026-04-13T12:00:00Z".parse().unwrap();
        assert_eq!(rules.today(morning), "2026-04-13".parse().unwrap());
    }

    #[test]
    fn a_zone_name_must_parse() {
        assert!(parse_timezone("Europe/Paris").is_some());
        assert!(parse_timezone("Mars/Olympus").is_none());
    }
}
