//! The demo's game nights (the last 30 game dates and the January story
//! dates only, so the store stays small): the schedule with tip-off times,
//! the slate, the predictions as made (several versions per player as lines
//! move, one active), and line snapshots every 30-60 minutes from the
//! morning to tip-off at 3-5 books. January's grading gap, its one true
//! outage and its no-lines night, and the late night `watch --replay-night`
//! plays, are written here as the team lived them.

use super::league::PlayerGame;
use super::story;
use crate::model::rows::PredictionRow;
use crate::source::embedded::StoreWriter;
use crate::source::tables::TableKind;
use crate::stats::rng::Rng;
use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::types::Value;
use std::collections::HashMap;

const BOOKS: [&str; 5] = ["draftkings", "fanduel", "betmgm", "caesars", "espnbet"];
/// Tip-off slots of a night, Eastern time (hour, minute).
const SLOTS: [(u32, u32); 5] = [(19, 0), (19, 30), (20, 0), (22, 0), (22, 30)];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The dates that get pre-game rows: the last season's final 30-odd game
/// dates and the January story (the grading gap, the outage, no lines).
pub fn covered(day: NaiveDate) -> bool {
    (date(2026, 3, 10)..=date(2026, 4, 12)).contains(&day)
        || (date(2026, 1, 15)..=date(2026, 2, 1)).contains(&day)
}

/// Eastern time on `day` at `hour:minute`, in UTC.
fn eastern(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default();
    chrono_tz::America::New_York
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map_or_else(|| day.and_time(time).and_utc(), |at| at.with_timezone(&Utc))
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

fn stamp(at: DateTime<Utc>) -> Value {
    Value::Text(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

fn opt_real(value: Option<f64>) -> Value {
    value.map_or(Value::Null, Value::Real)
}

/// The line feed was down: no prediction has a line.
pub fn without_lines(predictions: &mut [PredictionRow]) {
    for row in predictions {
        row.line_source = Some("NO_PROP_LINE".to_string());
        row.has_prop_line = Some(false);
        row.line_value = None;
        row.estimated_line_value = None;
        row.line_bookmaker = None;
        row.recommendation = Some("PASS".to_string());
        row.prediction_correct = None;
        row.is_actionable = Some(false);
    }
}

/// On the late night, production's grader runs at 10:00 Eastern the next
/// morning, past the grace after the last game went final.
pub fn late_grading(day: NaiveDate, predictions: &mut [PredictionRow]) {
    if day != story::late_night() {
        return;
    }
    let Some(next) = day.succ_opt() else {
        return;
    };
    for row in predictions
        .iter_mut()
        .filter(|row| row.system_id == story::PRODUCTION_SYSTEM)
    {
        row.graded_at = Some(eastern(next, 10, 0));
    }
}

/// The pre-game rows of one night.
pub struct Night {
    schedule: Vec<Vec<Value>>,
    slate: Vec<Vec<Value>>,
    predictions: Vec<Vec<Value>>,
    snapshots: Vec<Vec<Value>>,
}

impl Night {
    pub fn write(&self, writer: &StoreWriter) -> Result<()> {
        writer.table_rows(TableKind::Schedule, &self.schedule)?;
        writer.table_rows(TableKind::SlateContext, &self.slate)?;
        writer.table_rows(TableKind::PlayerPropPredictions, &self.predictions)?;
        writer.table_rows(TableKind::LineSnapshots, &self.snapshots)?;
        Ok(())
    }
}

/// The night of `day`: `graded` are the rows of `prediction_accuracy`,
/// `ungraded` the predictions made and never graded.
pub fn night(
    rng: &mut Rng,
    day: NaiveDate,
    games: &[PlayerGame],
    graded: &[PredictionRow],
    ungraded: &[PredictionRow],
) -> Night {
    let mut game_ids: Vec<&str> = games.iter().map(|g| g.game_id.as_str()).collect();
    game_ids.sort_unstable();
    game_ids.dedup();
    let tips: Vec<(&str, DateTime<Utc>)> = game_ids
        .iter()
        .enumerate()
        .map(|(index, id)| {
            let (hour, minute) = SLOTS[index * SLOTS.len() / game_ids.len().max(1)];
            (*id, eastern(day, hour, minute))
        })
        .collect();
    let tip_of = |game_id: &str| {
        tips.iter()
            .find(|(id, _)| *id == game_id)
            .map_or_else(|| eastern(day, 19, 0), |(_, tip)| *tip)
    };
    let first_tip = tips
        .iter()
        .map(|(_, tip)| *tip)
        .min()
        .unwrap_or_else(|| eastern(day, 19, 0));
    let schedule = tips
        .iter()
        .map(|(id, tip)| {
            let mut parts = id.split('_').skip(1);
            let away = parts.next().unwrap_or_default().to_string();
            let home = parts.next().unwrap_or_default().to_string();
            vec![
                text(*id),
                text(day.format("%Y-%m-%d").to_string()),
                stamp(*tip),
                Value::Integer(3),
                text(home),
                text(away),
            ]
        })
        .collect();
    let no_lines = story::no_lines_night(day);
    let slate = games
        .iter()
        .map(|game| {
            let has_line = !no_lines && game.line_source == "ACTUAL_PROP";
            vec![
                text(game.player_lookup.clone()),
                text(game.game_id.clone()),
                text(day.format("%Y-%m-%d").to_string()),
                text(game.team),
                text(game.opponent),
                Value::Integer(i64::from(has_line)),
                opt_real(game.line.filter(|_| has_line)),
                opt_real(game.line.filter(|_| has_line)),
                text(if game.played {
                    "available"
                } else {
                    "questionable"
                }),
                Value::Integer(1),
            ]
        })
        .collect();
    let mut predictions = Vec::new();
    // One prediction per bet: the grader's extra rows of a bet (other line
    // values) are not predictions of their own.
    let mut seen = std::collections::HashSet::new();
    for row in graded
        .iter()
        .filter(|row| row.is_superseded_prediction != Some(true))
        .chain(ungraded)
        .filter(|row| seen.insert((&row.system_id, &row.player_lookup, &row.game_id)))
    {
        let tip = tip_of(&row.game_id);
        let late = day == story::late_night() && row.system_id == story::LATE_SYSTEM;
        let mut made = if late {
            // One late batch, an hour before the first tip-off.
            first_tip - Duration::minutes(60)
        } else {
            eastern(day, 10, 0) + Duration::minutes(rng.uniform(0.0, 90.0) as i64)
        };
        let versions = if late {
            1
        } else {
            1 + (rng.uniform(0.0, 2.6) as usize)
        };
        for version in 0..versions {
            let active = version + 1 == versions;
            let line = row.line_value.map(|line| {
                if active {
                    line
                } else {
                    line + if rng.chance(0.5) { 0.5 } else { -0.5 }
                }
            });
            predictions.push(vec![
                text(format!(
                    "{}-{}-{}-{version}",
                    row.system_id, row.player_lookup, row.game_id
                )),
                text(row.system_id.clone()),
                text(row.player_lookup.clone()),
                text(day.format("%Y-%m-%d").to_string()),
                text(row.game_id.clone()),
                opt_real(row.predicted_points),
                opt_real(row.confidence_score),
                row.recommendation.clone().map_or(Value::Null, text),
                opt_real(line),
                row.line_source.clone().map_or(Value::Null, text),
                Value::Integer(i64::from(active)),
                Value::Null,
                stamp(made),
                stamp(made),
            ]);
            let room = (tip - Duration::minutes(30) - made).num_minutes().max(1) as f64;
            made += Duration::minutes(rng.uniform(room * 0.3, room * 0.7) as i64);
        }
    }
    // The market fades the chased system: late money goes against its bets.
    let faded: HashMap<(&str, &str), f64> = graded
        .iter()
        .filter(|row| row.system_id == story::CHASED_SYSTEM)
        .filter_map(|row| {
            Some((
                (row.player_lookup.as_str(), row.game_id.as_str()),
                fade_of(row)?,
            ))
        })
        .collect();
    let mut snapshots = Vec::new();
    if !no_lines {
        for game in games
            .iter()
            .filter(|game| game.line_source == "ACTUAL_PROP")
        {
            let Some(base) = game.line else { continue };
            let tip = tip_of(&game.game_id);
            let books = 3 + (rng.uniform(0.0, 2.99) as usize);
            for book in &BOOKS[..books] {
                let mut line = base + if rng.chance(0.3) { 0.5 } else { 0.0 };
                let mut at = eastern(day, 10, 0) + Duration::minutes(rng.uniform(0.0, 30.0) as i64);
                // The sharp close: in the last 90 minutes the market moves
                // toward the game's true expected points (its own random
                // numbers, so the rest of the demo is unchanged). A system
                // that reads the game well bets where the line is going.
                let mut sharp = rng.derive(&format!(
                    "close {} {} {book}",
                    game.game_id, game.player_lookup
                ));
                let fade = faded
                    .get(&(game.player_lookup.as_str(), game.game_id.as_str()))
                    .copied();
                let mut faded_by = 0.0;
                while at <= tip {
                    if rng.chance(0.15) {
                        line += if rng.chance(0.5) { 0.5 } else { -0.5 };
                    }
                    let gap = game.expected - line;
                    if (tip - at).num_minutes() <= 90 {
                        match fade {
                            // Against the chased system's bet, a point at most.
                            Some(direction) => {
                                if faded_by < 1.0 && sharp.chance(0.6) {
                                    line += 0.5 * direction;
                                    faded_by += 0.5;
                                }
                            }
                            None => {
                                if gap.abs() >= 1.0 && sharp.chance(0.3) {
                                    line += 0.5 * gap.signum();
                                }
                            }
                        }
                    }
                    let over = 1.87 + rng.uniform(0.0, 0.08);
                    let under = 1.87 + rng.uniform(0.0, 0.08);
                    snapshots.push(vec![
                        text(game.player_lookup.clone()),
                        text(day.format("%Y-%m-%d").to_string()),
                        text(*book),
                        stamp(at),
                        text(game.game_id.clone()),
                        stamp(tip),
                        Value::Integer((tip - at).num_minutes()),
                        Value::Real(line),
                        Value::Real((over * 100.0).round() / 100.0),
                        Value::Real((under * 100.0).round() / 100.0),
                        Value::Integer(american(over)),
                        Value::Integer(american(under)),
                    ]);
                    at += Duration::minutes(rng.uniform(30.0, 60.0) as i64);
                }
            }
        }
    }
    Night {
        schedule,
        slate,
        predictions,
        snapshots,
    }
}

/// The way the late money moves a line against `row`'s bet (`+1` up
/// against an UNDER, `-1` down against an OVER); `None` when it is no bet
/// (superseded, a pass, or under three points from its line).
fn fade_of(row: &PredictionRow) -> Option<f64> {
    if row.is_superseded_prediction == Some(true) {
        return None;
    }
    let (predicted, line) = row.predicted_points.zip(row.line_value)?;
    if (predicted - line).abs() < 3.0 {
        return None;
    }
    match row.recommendation.as_deref() {
        Some("OVER") => Some(-1.0),
        Some("UNDER") => Some(1.0),
        _ => None,
    }
}

/// Decimal odds in American form.
fn american(decimal: f64) -> i64 {
    if decimal >= 2.0 {
        ((decimal - 1.0) * 100.0).round() as i64
    } else {
        (-100.0 / (decimal - 1.0)).round() as i64
    }
}
