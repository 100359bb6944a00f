//! Alert hygiene for `watch` (metrics.md section 15): a rise is posted once it
//! held `pending_evaluations` evaluations in a row, a fall only after the
//! lower level held `recovery_evaluations`; `unknown` is posted once and is
//! never a recovery; a recovery says how long the incident lasted and its peak.

use crate::model::AlertLevel;
use chrono::NaiveDate;

/// Evaluations in a row a change must hold before it is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HygieneRules {
    pub pending_evaluations: u32,
    pub recovery_evaluations: u32,
}

/// What one evaluation changes on the channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// A worse measured level, held long enough.
    Raise {
        level: AlertLevel,
        previous: AlertLevel,
    },
    /// A better level that is not yet healthy, held long enough.
    Lower {
        level: AlertLevel,
        previous: AlertLevel,
    },
    /// Healthy again, held long enough.
    Recovered {
        previous: AlertLevel,
        peak: AlertLevel,
        /// The first date of the incident, when this run saw it start.
        since: Option<NaiveDate>,
        until: NaiveDate,
    },
    /// Nothing could be evaluated; posted once until a level is measured again.
    Unknown { last_known: AlertLevel },
    /// A change seen but not yet held long enough.
    Pending {
        level: AlertLevel,
        held: u32,
        needed: u32,
    },
}

/// One system's channel state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelTracker {
    /// The last measured level posted (healthy before any post).
    posted: AlertLevel,
    candidate: Option<(AlertLevel, u32)>,
    unknown_posted: bool,
    incident_since: Option<NaiveDate>,
    peak: AlertLevel,
}

impl LevelTracker {
    /// A tracker whose channel last showed `posted` (from the store after a
    /// restart; healthy when nothing was ever posted).
    pub fn new(posted: Option<AlertLevel>) -> LevelTracker {
        let posted = posted
            .filter(|level| level.severity().is_some())
            .unwrap_or(AlertLevel::Healthy);
        LevelTracker {
            posted,
            candidate: None,
            unknown_posted: false,
            incident_since: None,
            peak: posted,
        }
    }

    /// The level the channel shows now.
    pub fn posted(&self) -> AlertLevel {
        self.posted
    }

    /// Takes one evaluation; `None` when the channel needs nothing.
    pub fn observe(
        &mut self,
        level: AlertLevel,
        date: NaiveDate,
        rules: HygieneRules,
    ) -> Option<Transition> {
        let (Some(rank), Some(posted_rank)) = (level.severity(), self.posted.severity()) else {
            self.candidate = None;
            if self.unknown_posted {
                return None;
            }
            self.unknown_posted = true;
            return Some(Transition::Unknown {
                last_known: self.posted,
            });
        };
        self.unknown_posted = false;
        if level == self.posted {
            self.candidate = None;
            return None;
        }
        let held = match self.candidate {
            Some((candidate, held)) if candidate == level => held + 1,
            _ => 1,
        };
        let needed = if rank > posted_rank {
            rules.pending_evaluations.max(1)
        } else {
            rules.recovery_evaluations.max(1)
        };
        if held < needed {
            self.candidate = Some((level, held));
            return Some(Transition::Pending {
                level,
                held,
                needed,
            });
        }
        self.candidate = None;
        let previous = std::mem::replace(&mut self.posted, level);
        if rank > posted_rank {
            if previous == AlertLevel::Healthy {
                self.incident_since = Some(date);
                self.peak = level;
            } else if self.peak.severity() < Some(rank) {
                self.peak = level;
            }
            Some(Transition::Raise { level, previous })
        } else if level == AlertLevel::Healthy {
            let transition = Transition::Recovered {
                previous,
                peak: self.peak.max_by_severity(previous),
                since: self.incident_since.take(),
                until: date,
            };
            self.peak = AlertLevel::Healthy;
            Some(transition)
        } else {
            Some(Transition::Lower { level, previous })
        }
    }
}

trait MaxBySeverity {
    fn max_by_severity(self, other: Self) -> Self;
}

impl MaxBySeverity for AlertLevel {
    fn max_by_severity(self, other: AlertLevel) -> AlertLevel {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AlertLevel::*;

    const RULES: HygieneRules = HygieneRules {
        pending_evaluations: 1,
        recovery_evaluations: 2,
    };

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, n).unwrap()
    }

    #[test]
    fn a_rise_posts_at_once_and_a_fall_waits_for_two_evaluations() {
        let mut tracker = LevelTracker::new(None);
        assert_eq!(tracker.observe(Healthy, day(1), RULES), None);
        assert_eq!(
            tracker.observe(Warning, day(2), RULES),
            Some(Transition::Raise {
                level: Warning,
                previous: Healthy
            })
        );
        assert_eq!(
            tracker.observe(Critical, day(3), RULES),
            Some(Transition::Raise {
                level: Critical,
                previous: Warning
            })
        );
        assert_eq!(
            tracker.observe(Healthy, day(4), RULES),
            Some(Transition::Pending {
                level: Healthy,
                held: 1,
                needed: 2
            })
        );
        assert_eq!(
            tracker.observe(Healthy, day(5), RULES),
            Some(Transition::Recovered {
                previous: Critical,
                peak: Critical,
                since: Some(day(2)),
                until: day(5)
            })
        );
        assert_eq!(tracker.posted(), Healthy);
    }

    #[test]
    fn a_flapping_level_posts_nothing_until_it_holds() {
        let mut tracker = LevelTracker::new(Some(Warning));
        for n in 1..=6 {
            let level = if n % 2 == 0 { Warning } else { Healthy };
            let transition = tracker.observe(level, day(n), RULES);
            assert!(
                matches!(transition, None | Some(Transition::Pending { .. })),
                "{n}: {transition:?}"
            );
        }
        assert_eq!(tracker.posted(), Warning);
    }

    #[test]
    fn unknown_is_posted_once_and_is_never_a_recovery() {
        let mut tracker = LevelTracker::new(Some(Warning));
        assert_eq!(
            tracker.observe(Unknown, day(1), RULES),
            Some(Transition::Unknown {
                last_known: Warning
            })
        );
        assert_eq!(tracker.observe(Unknown, day(2), RULES), None);
        // The channel still shows the warning, so data back at warning is quiet.
        assert_eq!(tracker.observe(Warning, day(3), RULES), None);
        assert_eq!(tracker.posted(), Warning);
        assert!(tracker.observe(Unknown, day(4), RULES).is_some());
    }

    #[test]
    fn pending_rises_need_their_count() {
        let rules = HygieneRules {
            pending_evaluations: 3,
            recovery_evaluations: 1,
        };
        let mut tracker = LevelTracker::new(None);
        assert!(matches!(
            tracker.observe(Info, day(1), rules),
            Some(Transition::Pending { held: 1, .. })
        ));
        assert!(matches!(
            tracker.observe(Info, day(2), rules),
            Some(Transition::Pending { held: 2, .. })
        ));
        assert!(matches!(
            tracker.observe(Info, day(3), rules),
            Some(Transition::Raise { level: Info, .. })
        ));
        assert!(matches!(
            tracker.observe(Healthy, day(4), rules),
            Some(Transition::Recovered { peak: Info, .. })
        ));
    }
}
