//! The synthetic league behind the demo: 30 teams of 15 players in four roles,
//! a schedule of game days, and each player-game's minutes, points and line.

use super::story;
use crate::model::rows::{PlayerGameRow, PredictionRow};
use crate::stats::rng::Rng;
use crate::stats::round_to;
use chrono::{NaiveDate, NaiveTime};
use std::collections::VecDeque;

const TEAMS: [&str; 30] = [
    "ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW", "HOU", "IND", "LAC",
    "LAL", "MEM", "MIA", "MIL", "MIN", "NOP", "NYK", "OKC", "ORL", "PHI", "PHX", "POR", "SAC",
    "SAS", "TOR", "UTA", "WAS",
];

const FIRST_NAMES: [&str; 30] = [
    "Jalen", "Marcus", "Tyrese", "Devin", "Anthony", "Jaylen", "Darius", "Miles", "Cameron",
    "Isaiah", "Keegan", "Trey", "Malik", "Jordan", "Derrick", "Andre", "Bennett", "Caleb",
    "Dillon", "Evan", "Franz", "Gradey", "Herb", "Immanuel", "Jabari", "Kel'el", "Luka", "Moses",
    "Nikola", "Obi",
];

const LAST_NAMES: [&str; 15] = [
    "Morris", "Bridges", "Walker", "Hayes", "Carter", "Brooks", "Ellis", "Fletcher", "Grant",
    "Holloway", "Irving", "Jennings", "Kessler", "Lowry", "Mercer",
];

/// A player's role, which sets scoring, minutes and how often books post a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Star,
    Starter,
    Rotation,
    Bench,
}

impl Role {
    fn for_slot(slot: usize) -> Role {
        match slot {
            0..=1 => Role::Star,
            2..=4 => Role::Starter,
            5..=8 => Role::Rotation,
            _ => Role::Bench,
        }
    }

    fn scoring_range(self) -> (f64, f64) {
        match self {
            Role::Star => (23.0, 31.0),
            Role::Starter => (14.0, 21.0),
            Role::Rotation => (7.0, 13.0),
            Role::Bench => (2.0, 6.0),
        }
    }

    fn minutes(self) -> f64 {
        match self {
            Role::Star => 35.0,
            Role::Starter => 30.0,
            Role::Rotation => 22.0,
            Role::Bench => 11.0,
        }
    }

    /// Share of games with a real sportsbook line.
    fn prop_line_share(self) -> f64 {
        match self {
            Role::Star => 0.9,
            Role::Starter => 0.5,
            Role::Rotation => 0.15,
            Role::Bench => 0.03,
        }
    }
}

#[derive(Debug, Clone)]
struct Player {
    lookup: String,
    team: usize,
    role: Role,
    season_mean: f64,
    recent_points: VecDeque<i64>,
}

/// The league: players by team, their form carried across game days.
#[derive(Debug, Clone)]
pub struct League {
    players: Vec<Player>,
}

/// One player's game on a game day, with everything the rows need.
#[derive(Debug, Clone)]
pub struct PlayerGame {
    pub player_lookup: String,
    pub team: &'static str,
    pub opponent: &'static str,
    pub game_id: String,
    pub game_date: NaiveDate,
    pub played: bool,
    pub minutes: f64,
    pub points: i64,
    /// The true expected points of this game.
    pub expected: f64,
    pub line: Option<f64>,
    pub line_source: &'static str,
    /// Production predicts every regular and about 60% of the bench.
    pub in_production_slate: bool,
}

fn round_half(value: f64) -> f64 {
    (value * 2.0).round() / 2.0
}

impl League {
    pub fn new(rng: &mut Rng) -> League {
        let mut players = Vec::with_capacity(TEAMS.len() * 15);
        for team in 0..TEAMS.len() {
            for slot in 0..15 {
                let index = team * 15 + slot;
                let first = FIRST_NAMES[index % FIRST_NAMES.len()];
                let last = LAST_NAMES[(index / FIRST_NAMES.len() + slot) % LAST_NAMES.len()];
                let lookup: String = format!("{first}{last}{}", index / 60)
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let role = Role::for_slot(slot);
                let (low, high) = role.scoring_range();
                players.push(Player {
                    lookup,
                    team,
                    role,
                    season_mean: rng.uniform(low, high),
                    recent_points: VecDeque::new(),
                });
            }
        }
        League { players }
    }

    /// Each season players' scoring moves a little.
    pub fn new_season(&mut self, rng: &mut Rng) {
        for player in &mut self.players {
            let (low, high) = player.role.scoring_range();
            player.season_mean =
                (player.season_mean + rng.gauss(0.0, 1.5)).clamp(low - 1.0, high + 1.0);
        }
    }

    /// Plays one game day: 8 to 15 games between random pairs of teams.
    pub fn play_day(&mut self, rng: &mut Rng, day: NaiveDate) -> Vec<PlayerGame> {
        let games = rng.int(8, 15) as usize;
        let teams = rng.sample_indices(TEAMS.len(), games * 2);
        let line_sd = story::behaviour(story::PRODUCTION_SYSTEM, day).line_sd;
        let mut result = Vec::new();
        for pair in teams.chunks(2) {
            let (away, home) = (pair[0], pair[1]);
            let game_id = format!("{}_{}_{}", day.format("%Y%m%d"), TEAMS[away], TEAMS[home]);
            for (team, opponent) in [(away, home), (home, away)] {
                for player in self.players.iter_mut().filter(|p| p.team == team) {
                    result.push(play(rng, player, day, &game_id, opponent, line_sd));
                }
            }
        }
        result
    }
}

fn play(
    rng: &mut Rng,
    player: &mut Player,
    day: NaiveDate,
    game_id: &str,
    opponent: usize,
    line_sd: f64,
) -> PlayerGame {
    let played = !rng.chance(0.035);
    let expected = (player.season_mean * rng.gauss(1.0, 0.08)).max(0.5);
    let minutes = if played {
        round_to(
            (player.role.minutes() * rng.gauss(1.0, 0.15)).clamp(2.0, 46.0),
            1,
        )
    } else {
        0.0
    };
    let points = if played {
        rng.gauss(expected, 2.0 + 0.22 * player.season_mean)
            .round()
            .max(0.0) as i64
    } else {
        0
    };
    let (line, line_source) = if rng.chance(0.015) {
        (None, "NO_PROP_LINE")
    } else if rng.chance(player.role.prop_line_share()) {
        (
            Some(round_half(expected + rng.gauss(0.0, line_sd)).max(0.5)),
            "ACTUAL_PROP",
        )
    } else {
        let recent = &player.recent_points;
        let average = if recent.is_empty() {
            player.season_mean
        } else {
            recent.iter().sum::<i64>() as f64 / recent.len() as f64
        };
        (Some(round_half(average).max(0.5)), "ESTIMATED_AVG")
    };
    if played {
        player.recent_points.push_back(points);
        if player.recent_points.len() > 10 {
            player.recent_points.pop_front();
        }
    }
    PlayerGame {
        player_lookup: player.lookup.clone(),
        team: TEAMS[player.team],
        opponent: TEAMS[opponent],
        game_id: game_id.to_string(),
        game_date: day,
        played,
        minutes,
        points,
        expected,
        line,
        line_source,
        in_production_slate: player.role != Role::Bench || rng.chance(0.6),
    }
}

/// A prediction built backwards from the outcome so that the behaviour's rates
/// hold: first whether the row is a bet and whether it wins, then whether the
/// model lands closer to the actual points than the line, then a value that
/// satisfies all three (falling back to "not closer" where that is impossible).
pub fn predicted_points(rng: &mut Rng, game: &PlayerGame, behaviour: &story::Behaviour) -> f64 {
    let actual = game.points as f64;
    let Some(line) = game.line else {
        return round_to((actual + rng.gauss(0.0, 5.0)).max(0.0) + behaviour.shift, 1);
    };
    let beats_share = if game.line_source == "ACTUAL_PROP" {
        behaviour.beats_actual
    } else {
        behaviour.beats_estimated
    };
    let distance = (actual - line).abs();
    // The side of the line the outcome fell on (a push has no winning side).
    let side = if actual >= line { 1.0 } else { -1.0 };
    let beats = rng.chance(beats_share);
    let offset = if distance == 0.0 {
        rng.gauss(0.0, 2.0).clamp(-2.9, 2.9)
    } else if rng.chance(behaviour.bet_share) {
        if rng.chance(behaviour.hit) {
            // A winning bet: at least 3 points past the line on the outcome's side;
            // closer than the line only when 3 < 2 * distance.
            let edge = if beats && 2.0 * distance > 3.0 {
                rng.uniform(3.0, 2.0 * distance)
            } else {
                (2.0 * distance).max(3.0) + rng.exponential(behaviour.miss_mean)
            };
            side * edge
        } else {
            -side * (3.0 + rng.exponential(behaviour.miss_mean))
        }
    } else if beats {
        side * rng.uniform(0.0, (2.0 * distance).min(2.9))
    } else if 2.0 * distance < 2.9 && rng.chance(0.5) {
        side * rng.uniform(2.0 * distance, 2.9)
    } else {
        -side * rng.uniform(0.0, 2.9)
    };
    round_to((line + offset + behaviour.shift).max(0.0), 1)
}

/// The pick (`OVER`/`UNDER` at one point or more from the line, else `PASS`) and
/// whether it was right (`None` for a pass, a push or no line).
pub fn grade(predicted: f64, line: Option<f64>, actual: i64) -> (&'static str, Option<bool>) {
    let Some(line) = line else {
        return ("PASS", None);
    };
    let recommendation = if predicted - line >= 1.0 {
        "OVER"
    } else if line - predicted >= 1.0 {
        "UNDER"
    } else {
        "PASS"
    };
    let actual = actual as f64;
    let correct = match recommendation {
        "PASS" => None,
        _ if actual == line => None,
        side => Some((side == "OVER") == (actual > line)),
    };
    (recommendation, correct)
}

fn confidence(rng: &mut Rng, edge: f64) -> (f64, i64) {
    let score = (0.35 + 0.05 * edge + rng.gauss(0.0, 0.12)).clamp(0.01, 0.99);
    let score = round_to(score, 3);
    (score, ((score * 10.0).ceil() as i64).clamp(1, 10))
}

impl PlayerGame {
    pub fn summary_row(&self, rng: &mut Rng, shot_zones_broken: bool) -> PlayerGameRow {
        let attempts = if self.played {
            (self.points as f64 / 1.15 + rng.gauss(0.0, 2.0))
                .round()
                .max(0.0) as i64
        } else {
            0
        };
        let complete = rng.chance(if shot_zones_broken { 0.3 } else { 0.97 });
        let paint_share = if shot_zones_broken {
            rng.gauss(0.12, 0.04)
        } else {
            rng.gauss(0.36, 0.08)
        }
        .clamp(0.0, 0.9);
        let three_share = rng.gauss(0.38, 0.08).clamp(0.0, 1.0 - paint_share);
        let paint = (attempts as f64 * paint_share).round() as i64;
        let three = ((attempts as f64 * three_share).round() as i64).min(attempts - paint);
        PlayerGameRow {
            player_lookup: self.player_lookup.clone(),
            game_id: self.game_id.clone(),
            game_date: self.game_date,
            team_abbr: Some(self.team.to_string()),
            points: Some(self.points),
            minutes_played: Some(self.minutes),
            paint_attempts: Some(paint),
            mid_range_attempts: Some(attempts - paint - three),
            three_attempts_pbp: Some(three),
            has_complete_shot_zones: Some(complete),
        }
    }

    pub fn prediction_row(
        &self,
        rng: &mut Rng,
        system: &str,
        behaviour: &story::Behaviour,
        shot_zones_broken: bool,
    ) -> PredictionRow {
        let feature_quality = if shot_zones_broken {
            rng.gauss(72.0, 8.0)
        } else {
            rng.gauss(88.0, 4.0)
        };
        let graded_at = self.game_date.succ_opt().map(|next| {
            next.and_time(NaiveTime::from_hms_opt(7, 30, 0).unwrap_or_default())
                .and_utc()
        });
        let mut row = PredictionRow {
            player_lookup: self.player_lookup.clone(),
            game_id: self.game_id.clone(),
            game_date: self.game_date,
            system_id: system.to_string(),
            team_abbr: Some(self.team.to_string()),
            opponent_team_abbr: Some(self.opponent.to_string()),
            line_value: self.line,
            has_prop_line: Some(self.line_source == "ACTUAL_PROP"),
            line_source: Some(self.line_source.to_string()),
            estimated_line_value: self.line.filter(|_| self.line_source == "ESTIMATED_AVG"),
            line_bookmaker: (self.line_source == "ACTUAL_PROP").then(|| {
                if rng.chance(0.6) {
                    "DRAFTKINGS"
                } else {
                    "FANDUEL"
                }
                .to_string()
            }),
            feature_quality_score: Some(round_to(feature_quality.clamp(0.0, 100.0), 2)),
            is_superseded_prediction: Some(false),
            model_version: Some(format!("{system}.3")),
            graded_at,
            ..PredictionRow::default()
        };
        if !self.played {
            let predicted = round_to(self.expected + rng.gauss(0.0, 2.0), 1).max(0.0);
            row.predicted_points = Some(predicted);
            row.is_voided = Some(true);
            row.void_reason = Some("DNP".to_string());
            row.minutes_played = Some(0.0);
            row.recommendation = Some("PASS".to_string());
            return row;
        }
        let predicted = predicted_points(rng, self, behaviour);
        let actual = self.points;
        let edge = self.line.map_or(0.0, |line| (predicted - line).abs());
        let (score, decile) = confidence(rng, edge);
        let (recommendation, correct) = grade(predicted, self.line, actual);
        row.predicted_points = Some(predicted);
        row.actual_points = Some(actual);
        row.minutes_played = Some(self.minutes);
        row.confidence_score = Some(score);
        row.confidence_decile = Some(decile);
        row.recommendation = Some(recommendation.to_string());
        row.absolute_error = Some(round_to((predicted - actual as f64).abs(), 1));
        row.signed_error = Some(round_to(predicted - actual as f64, 1));
        row.within_3_points = Some((predicted - actual as f64).abs() <= 3.0);
        row.within_5_points = Some((predicted - actual as f64).abs() <= 5.0);
        row.is_voided = Some(false);
        row.is_actionable = Some(decile >= 5 && recommendation != "PASS");
        row.prediction_correct = correct;
        if let Some(line) = self.line {
            row.predicted_margin = Some(round_to(predicted - line, 1));
            row.actual_margin = Some(round_to(actual as f64 - line, 1));
        }
        row
    }

    /// An earlier prediction that a re-prediction replaced (excluded from every metric).
    pub fn superseded_copy(&self, rng: &mut Rng, row: &PredictionRow) -> PredictionRow {
        let mut copy = row.clone();
        copy.is_superseded_prediction = Some(true);
        copy.predicted_points = row
            .predicted_points
            .map(|points| round_to((points + rng.gauss(0.0, 6.0)).max(0.0), 1));
        copy
    }
}
