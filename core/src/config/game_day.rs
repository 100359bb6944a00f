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
    /// Rows dated more than this many days after today are skipped (and
    /// named): a stray future row never becomes the latest date. Set at
    /// the top level as `future_days:`.
    #[serde(skip)]
    pub future_days: u32,
    /// The schedule has no time a game went final: it is taken as its
    /// tip-off plus this many minutes (an NBA game lasts about 2.5 hours).
    pub game_length_minutes: Positive<u64>,
}

/// The default of `future_days`: tomorrow's rows (a slate written the
/// evening before) are read, later ones are not.
pub const DEFAULT_FUTURE_DAYS: u32 = 1;

/// The most `future_days` may be.
pub const MAX_FUTURE_DAYS: u32 = 366;

/// The default time zone of game dates.
pub const DEFAULT_TIMEZONE: &str = "America/New_York";

impl Default for GameDay {
    fn default() -> Self {
        GameDay {
            timezone: DEFAULT_TIMEZONE.to_string(),
            future_days: DEFAULT_FUTURE_DAYS,
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

    /// The last game date a stored row may carry at `now`: today in the
    /// configured zone plus `future_days`.
    pub fn not_after(&self, now: DateTime<Utc>) -> NaiveDate {
        DateLimit::of(self).at(now)
    }

    /// When a game that tipped off at `tip` is taken to be final.
    pub fn final_at(&self, tip: DateTime<Utc>) -> DateTime<Utc> {
        tip + chrono::Duration::minutes(self.game_length_minutes.0.min(24 * 60) as i64)
    }
}

/// The game-day clock: the wall clock, or, with `COURTSIDE_NOW` set (RFC
/// 3339), that time at start-up running on from there, `COURTSIDE_CLOCK_SPEED`
/// times as fast (default 1). It plays a stored night live: the Tonight tab,
/// `slate` and `watch` see predictions, lines, finals and grades arrive at
/// their stored times. A value that does not parse is ignored (and logged).
pub fn clock() -> DateTime<Utc> {
    static START: std::sync::OnceLock<(Option<DateTime<Utc>>, f64, DateTime<Utc>)> =
        std::sync::OnceLock::new();
    let (base, speed, started) = START.get_or_init(|| {
        let base = std::env::var("COURTSIDE_NOW").ok().and_then(|text| {
            let parsed = DateTime::parse_from_rfc3339(text.trim())
                .ok()
                .map(|at| at.with_timezone(&Utc));
            if parsed.is_none() {
                tracing::warn!(
                    "COURTSIDE_NOW `{text}` is not an RFC 3339 time; the wall clock is used"
                );
            }
            parsed
        });
        let speed = std::env::var("COURTSIDE_CLOCK_SPEED")
            .ok()
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|speed| speed.is_finite() && *speed > 0.0 && *speed <= 10_000.0)
            .unwrap_or(1.0);
        (base, speed, Utc::now())
    });
    match base {
        None => Utc::now(),
        Some(base) => {
            let elapsed = (Utc::now() - *started).num_milliseconds() as f64 * speed;
            *base + chrono::Duration::milliseconds(elapsed as i64)
        }
    }
}

/// The latest game date a stored row may carry: today (in the configured
/// zone, on the game-day [`clock`]) plus `future_days`. A source holds one
/// and skips, naming them, the rows dated after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateLimit {
    zone: chrono_tz::Tz,
    future_days: u32,
}

impl Default for DateLimit {
    fn default() -> Self {
        DateLimit::of(&GameDay::default())
    }
}

impl DateLimit {
    pub fn of(rules: &GameDay) -> DateLimit {
        DateLimit {
            zone: rules.zone(),
            future_days: rules.future_days,
        }
    }

    /// The last valid date at `now`.
    pub fn at(&self, now: DateTime<Utc>) -> NaiveDate {
        let today = now.with_timezone(&self.zone).date_naive();
        today
            .checked_add_days(chrono::Days::new(u64::from(self.future_days)))
            .unwrap_or(today)
    }

    /// The last valid date now.
    pub fn not_after(&self) -> NaiveDate {
        self.at(clock())
    }

    /// How a skipped future row's report says why.
    pub fn describe(&self, not_after: NaiveDate) -> String {
        format!(
            "after {not_after} (today in {} plus future_days {})",
            self.zone.name(),
            self.future_days
        )
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
    fn rows_may_be_dated_today_plus_future_days() {
        let mut rules = GameDay::default();
        let late = "2026-04-13T03:30:00Z".parse().unwrap();
        assert_eq!(rules.not_after(late), "2026-04-13".parse().unwrap());
        rules.future_days = 0;
        assert_eq!(rules.not_after(late), "2026-04-12".parse().unwrap());
    }

    #[test]
    fn a_zone_name_must_parse() {
        assert!(parse_timezone("Europe/Paris").is_some());
        assert!(parse_timezone("Mars/Olympus").is_none());
    }
}
