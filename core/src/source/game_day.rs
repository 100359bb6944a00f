//! The pre-game tables as both sources read them (data-contract.md Rev. 3):
//! the rows each query returns and the reductions both sources share, so the
//! embedded store and BigQuery turn the same rows into the same figures.

use crate::model::LineSources;
use crate::model::game_day::{GradedCount, LineSnapshot, PredictedDay};
use chrono::{DateTime, Days, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};

/// How far back a system's first prediction is looked for (a partition
/// filter: the predictions table is declared partitioned by date).
pub const FIRST_DAY_LOOKBACK_DAYS: u64 = 730;

/// Days before a slate's date whose systems are "recent" (section 17): the
/// date and the 6 before it, 7 in all.
pub const RECENT_SYSTEM_DAYS: u64 = 6;

/// One group of a day's active predictions: its date, system, line source,
/// whether it had a line value, and its players.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedGroup {
    pub game_date: NaiveDate,
    pub system_id: String,
    pub line_source: Option<String>,
    pub has_line_value: bool,
    pub players: u64,
}

/// The groups summed per (date, system): players with an active
/// prediction, and those whose line was real or estimated by the configured
/// `line_sources` (a missing `line_source` counts as a line when the
/// prediction had a line value).
pub fn predicted_days(groups: &[PredictedGroup], line_sources: &LineSources) -> Vec<PredictedDay> {
    let mut days: BTreeMap<(NaiveDate, String), (u64, u64)> = BTreeMap::new();
    for group in groups {
        let with_line = match group.line_source.as_deref() {
            None => group.has_line_value,
            Some(value) => matches!(
                line_sources.kind(Some(value), None),
                crate::model::LineKind::Actual | crate::model::LineKind::Estimated
            ),
        };
        let day = days
            .entry((group.game_date, group.system_id.clone()))
            .or_default();
        day.0 += group.players;
        if with_line {
            day.1 += group.players;
        }
    }
    days.into_iter()
        .map(
            |((game_date, system_id), (predicted, with_line))| PredictedDay {
                game_date,
                system_id,
                predicted,
                with_line,
            },
        )
        .collect()
}

/// The first date a first-day lookup reaches back to from `to`.
pub fn first_day_start(to: NaiveDate) -> NaiveDate {
    to.checked_sub_days(Days::new(FIRST_DAY_LOOKBACK_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// The first date of the recent systems' window of a slate on `date`.
pub fn recent_start(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(RECENT_SYSTEM_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// The last snapshot of each player and book taken by `now` (books compared
/// in lower case).
pub fn latest_lines(snapshots: Vec<LineSnapshot>, now: DateTime<Utc>) -> Vec<LineSnapshot> {
    let mut latest: HashMap<(String, String), LineSnapshot> = HashMap::new();
    for snapshot in snapshots
        .into_iter()
        .filter(|snapshot| snapshot.snapshot_at <= now)
    {
        let key = (
            snapshot.player_lookup.clone(),
            snapshot.bookmaker.to_lowercase(),
        );
        match latest.get(&key) {
            Some(kept) if kept.snapshot_at >= snapshot.snapshot_at => {}
            _ => {
                latest.insert(key, snapshot);
            }
        }
    }
    let mut lines: Vec<LineSnapshot> = latest.into_values().collect();
    lines.sort_by(|a, b| (&a.player_lookup, &a.bookmaker).cmp(&(&b.player_lookup, &b.bookmaker)));
    lines
}

/// Graded players per system by `now`: a row without `graded_at` counts as
/// graded (the grader did not say when).
pub fn graded_counts(
    rows: &[(String, String, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
) -> Vec<GradedCount> {
    let mut players: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (system, player, graded_at) in rows {
        if graded_at.is_none_or(|at| at <= now) {
            players.entry(system).or_default().insert(player);
        }
    }
    players
        .into_iter()
        .map(|(system, players)| GradedCount {
            system_id: system.to_string(),
            graded: players.len() as u64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn lines_are_the_last_snapshot_of_each_book_by_now() {
        let snap = |book: &str, line: f64, when: &str| LineSnapshot {
            player_lookup: "a".into(),
            bookmaker: book.into(),
            points_line: line,
            snapshot_at: at(when),
            game_start: None,
        };
        let lines = latest_lines(
            vec![
                snap("draftkings", 20.5, "2026-04-12T15:00:00Z"),
                snap("draftkings", 21.5, "2026-04-12T18:00:00Z"),
                snap("DraftKings", 22.5, "2026-04-12T23:00:00Z"),
                snap("fanduel", 20.5, "2026-04-12T16:00:00Z"),
            ],
            at("2026-04-12T20:00:00Z"),
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].points_line, 21.5);
        assert_eq!(lines[1].points_line, 20.5);
    }

    #[test]
    fn a_day_with_only_no_line_predictions_has_none_with_a_line() {
        let group = |source: Option<&str>, value: bool, players: u64| PredictedGroup {
            game_date: "2026-04-12".parse().unwrap(),
            system_id: "s".into(),
            line_source: source.map(str::to_string),
            has_line_value: value,
            players,
        };
        let days = predicted_days(
            &[
                group(Some("NO_PROP_LINE"), false, 200),
                group(None, false, 3),
                group(Some("ESTIMATED_AVG"), true, 0),
            ],
            &LineSources::default(),
        );
        assert_eq!((days[0].predicted, days[0].with_line), (203, 0));
        let days = predicted_days(
            &[group(Some("ACTUAL_PROP"), true, 150), group(None, true, 2)],
            &LineSources::default(),
        );
        assert_eq!((days[0].predicted, days[0].with_line), (152, 152));
    }

    #[test]
    fn grading_counts_players_graded_by_now() {
        let rows = vec![
            (
                "s".to_string(),
                "a".to_string(),
                Some(at("2026-04-13T10:00:00Z")),
            ),
            (
                "s".to_string(),
                "b".to_string(),
                Some(at("2026-04-13T16:00:00Z")),
            ),
            ("t".to_string(), "a".to_string(), None),
        ];
        let counts = graded_counts(&rows, at("2026-04-13T12:00:00Z"));
        assert_eq!(counts.len(), 2);
        assert_eq!((counts[0].system_id.as_str(), counts[0].graded), ("s", 1));
        assert_eq!((counts[1].system_id.as_str(), counts[1].graded), ("t", 1));
    }
}
