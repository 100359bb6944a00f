//! The slate of one game date (metrics.md section 17, Rev. 3): the games,
//! the players with a line, and per system the players predicted, the
//! missing ones with their reasons, grading progress after the games, and
//! the pre-game and `not graded` rules' level. Pure: the rows come from the
//! source as they stood at `now`, so a replay of a past night is the same
//! function at an earlier `now`.

use crate::config::GameDay;
use crate::model::AlertLevel;
use crate::model::game_day::{
    GradingProgress, MissingPlayer, MissingReason, PlayerLine, Slate, SlateGame, SlateInputs,
    SlatePhase, SlateSystem,
};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The tables the missing players' reasons come from.
const FEATURES: &str = "ml_feature_store_v2";
const SLATE: &str = "upcoming_player_game_context";

/// The status of a game at `now`: scheduled before its tip-off, in progress
/// until it is taken to be final, else the stored status.
pub fn status_at(
    stored: i64,
    tip: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    rules: &GameDay,
) -> i64 {
    match tip {
        Some(tip) if now < tip => 1,
        Some(tip) if stored == 3 && now < rules.final_at(tip) => 2,
        _ => stored,
    }
}

fn status_text(status: i64) -> &'static str {
    match status {
        3 => "final",
        2 => "in progress",
        _ => "scheduled",
    }
}

/// The slate of `date` at `now` for `systems`.
pub fn slate(
    date: NaiveDate,
    now: DateTime<Utc>,
    inputs: &SlateInputs,
    systems: &[String],
    rules: &GameDay,
) -> Slate {
    let games: Vec<SlateGame> = inputs
        .games
        .iter()
        .map(|game| SlateGame {
            game_id: game.game_id.clone(),
            away: game.away.clone(),
            home: game.home.clone(),
            tip: game.tip,
            status: status_text(status_at(game.status, game.tip, now, rules)).to_string(),
        })
        .collect();
    let first_tip = inputs.games.iter().filter_map(|game| game.tip).min();
    let all_final = !games.is_empty() && games.iter().all(|game| game.status == "final");
    let phase = match first_tip {
        _ if games.is_empty() => SlatePhase::NoGames,
        Some(tip) if now < tip => SlatePhase::Pregame,
        _ if all_final => SlatePhase::Final,
        _ => SlatePhase::Live,
    };
    let last_final = all_final
        .then(|| inputs.games.iter().filter_map(|game| game.tip).max())
        .flatten()
        .map(|tip| rules.final_at(tip));
    let lines = player_lines(inputs, now, first_tip, rules);
    let with_line: BTreeSet<&str> = lines.iter().map(|l| l.player_lookup.as_str()).collect();
    let minutes_to_first_tip = first_tip.map(|tip| (tip - now).num_minutes());
    let in_window = phase != SlatePhase::Final
        && phase != SlatePhase::NoGames
        && minutes_to_first_tip.is_some_and(|m| m <= rules.pregame_alarm_minutes.0 as i64);
    let context = Context {
        date,
        now,
        inputs,
        rules,
        with_line: &with_line,
        minutes_to_first_tip,
        in_window,
        phase,
        hours_since_last_final: last_final.map(|at| (now - at).num_minutes() as f64 / 60.0),
    };
    let systems: Vec<SlateSystem> = systems.iter().map(|s| context.system(s)).collect();
    let level = systems
        .iter()
        .map(|system| system.level)
        .max_by_key(|level| level.severity())
        .unwrap_or(AlertLevel::Healthy);
    Slate {
        game_date: date,
        now,
        phase,
        games,
        first_tip,
        minutes_to_first_tip,
        players_with_line: with_line.len() as u64,
        pregame_window: in_window,
        stale_lines: lines.iter().filter(|line| line.stale).count() as u64,
        lines,
        systems,
        level,
        missing_tables: inputs.missing_tables.clone(),
    }
}

/// Players with a line: the slate's `has_prop_line` rows and every player
/// with a pre-game snapshot; the median of the books' latest lines, their
/// number, the age of the last, and whether it went stale before tip-off.
fn player_lines(
    inputs: &SlateInputs,
    now: DateTime<Utc>,
    first_tip: Option<DateTime<Utc>>,
    rules: &GameDay,
) -> Vec<PlayerLine> {
    let mut books: BTreeMap<&str, Vec<&crate::model::game_day::LineSnapshot>> = BTreeMap::new();
    for snapshot in &inputs.lines {
        books
            .entry(&snapshot.player_lookup)
            .or_default()
            .push(snapshot);
    }
    let mut lines: Vec<PlayerLine> = books
        .into_iter()
        .map(|(player, snapshots)| {
            let mut values: Vec<f64> = snapshots.iter().map(|s| s.points_line).collect();
            values.sort_by(f64::total_cmp);
            let last = snapshots.iter().map(|s| s.snapshot_at).max().unwrap_or(now);
            let tip = snapshots.iter().find_map(|s| s.game_start).or(first_tip);
            let reference = tip.map_or(now, |tip| tip.min(now));
            PlayerLine {
                player_lookup: player.to_string(),
                line: Some(median(&values)),
                books: values.len() as u64,
                age_minutes: Some((now - last).num_minutes().max(0)),
                stale: (reference - last).num_minutes() > rules.stale_line_minutes.0 as i64,
            }
        })
        .collect();
    for player in inputs
        .players
        .iter()
        .filter(|player| player.has_prop_line == Some(true))
    {
        if !lines
            .iter()
            .any(|line| line.player_lookup == player.player_lookup)
        {
            lines.push(PlayerLine {
                player_lookup: player.player_lookup.clone(),
                line: player.current_points_line,
                books: 0,
                age_minutes: None,
                stale: false,
            });
        }
    }
    lines.sort_by(|a, b| a.player_lookup.cmp(&b.player_lookup));
    lines
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

struct Context<'a> {
    date: NaiveDate,
    now: DateTime<Utc>,
    inputs: &'a SlateInputs,
    rules: &'a GameDay,
    with_line: &'a BTreeSet<&'a str>,
    minutes_to_first_tip: Option<i64>,
    in_window: bool,
    phase: SlatePhase,
    hours_since_last_final: Option<f64>,
}

impl Context<'_> {
    /// The players `system` had an active prediction for at `now`: the
    /// player's prediction is active today and its first version was made by
    /// then (a later version replaces an earlier one, it does not undo it).
    fn predicted_players(&self, system: &str) -> BTreeSet<&str> {
        let mut first_made: HashMap<&str, DateTime<Utc>> = HashMap::new();
        let mut active: BTreeSet<&str> = BTreeSet::new();
        for row in self
            .inputs
            .predictions
            .iter()
            .filter(|row| row.system_id == system && !row.invalidated)
        {
            let made = first_made
                .entry(&row.player_lookup)
                .or_insert(row.created_at);
            *made = (*made).min(row.created_at);
            if row.is_active {
                active.insert(&row.player_lookup);
            }
        }
        active
            .into_iter()
            .filter(|player| first_made.get(player).is_some_and(|at| *at <= self.now))
            .collect()
    }

    /// The first reason the tables tell; a table the source lacks tells none.
    fn reason(&self, player: &str) -> MissingReason {
        let lacks = |table: &str| self.inputs.missing_tables.iter().any(|t| t == table);
        let features = self.inputs.features.iter().find(|(p, _)| p == player);
        match features {
            None if !lacks(FEATURES) => MissingReason::NoFeatures,
            Some((_, Some(quality))) if *quality < self.rules.min_feature_quality.0 => {
                MissingReason::LowQualityFeatures
            }
            _ if !lacks(SLATE)
                && !self
                    .inputs
                    .players
                    .iter()
                    .any(|p| p.player_lookup == player) =>
            {
                MissingReason::NotOnTheSlate
            }
            _ => MissingReason::Unknown,
        }
    }

    fn system(&self, system: &str) -> SlateSystem {
        let predicted_players = self.predicted_players(system);
        let predicted = self
            .with_line
            .iter()
            .filter(|player| predicted_players.contains(*player))
            .count() as u64;
        let lines = self.with_line.len() as u64;
        let mut missing: Vec<MissingPlayer> = self
            .with_line
            .iter()
            .filter(|player| !predicted_players.contains(*player))
            .map(|player| MissingPlayer {
                player_lookup: player.to_string(),
                reason: self.reason(player),
            })
            .collect();
        missing.sort_by(|a, b| (a.reason, &a.player_lookup).cmp(&(b.reason, &b.player_lookup)));
        let graded = self
            .inputs
            .graded
            .iter()
            .find(|count| count.system_id == system)
            .map_or(0, |count| count.graded);
        let total = predicted_players.len() as u64;
        let not_graded = self.phase == SlatePhase::Final
            && total > 0
            && self
                .hours_since_last_final
                .is_some_and(|hours| hours > self.rules.grading_grace_hours.0)
            && (graded as f64) < total as f64 / 2.0;
        let grading = GradingProgress {
            predicted: total,
            graded,
            hours_since_last_final: self.hours_since_last_final,
            not_graded,
        };
        let coverage = (lines > 0).then(|| predicted as f64 / lines as f64);
        let nothing = if lines > 0 {
            predicted == 0
        } else {
            total == 0
        };
        let minutes = self.minutes_to_first_tip.unwrap_or_default();
        let tip_words = if minutes >= 0 {
            format!("first tip-off in {minutes} minutes")
        } else {
            format!("first tip-off {} minutes ago", -minutes)
        };
        let (level, rule, message) = if self.in_window && nothing {
            (
                AlertLevel::Critical,
                Some("pregame_zero"),
                Some(format!(
                    "{system} has made no predictions for {}; {tip_words}",
                    self.date
                )),
            )
        } else if self.in_window
            && coverage.is_some_and(|share| share < self.rules.pregame_min_coverage.0)
        {
            (
                AlertLevel::Warning,
                Some("pregame_coverage"),
                Some(format!(
                    "{system} has predicted {predicted} of {lines} players with a line for {} ({:.0}% < {:.0}%); {tip_words}",
                    self.date,
                    100.0 * coverage.unwrap_or_default(),
                    100.0 * self.rules.pregame_min_coverage.0
                )),
            )
        } else if not_graded {
            (
                AlertLevel::Warning,
                Some("not_graded"),
                Some(format!(
                    "{} predictions for {} not graded, games final {} ago ({system}: {graded} of {total} graded)",
                    total.saturating_sub(graded),
                    self.date,
                    crate::format::hours_ago(self.hours_since_last_final.unwrap_or_default())
                )),
            )
        } else if self.phase == SlatePhase::Pregame && nothing && lines > 0 {
            (
                AlertLevel::Info,
                None,
                Some(format!(
                    "{system} has no predictions for {} yet; {tip_words}",
                    self.date
                )),
            )
        } else {
            (AlertLevel::Healthy, None, None)
        };
        SlateSystem {
            system_id: system.to_string(),
            predicted,
            predicted_coverage: coverage,
            missing,
            grading,
            level,
            message,
            rule: rule.map(str::to_string),
        }
    }
}
