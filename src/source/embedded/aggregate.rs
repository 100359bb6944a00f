//! The embedded store's day stats: one streaming pass over the graded rows of
//! the range, summed into per-day cells in Rust, with each row's player tier
//! from a per-player prefix sum of prior scoring (metrics.md section 1: the
//! games with enough minutes in the lookback days before the game, never the
//! day itself). Same definitions as the BigQuery source's grouped query; it
//! exists because SQLite's GROUP BY sorter is the bottleneck at a million rows.

use super::super::DayStatsQuery;
use crate::model::{ConfidenceTier, DayStatRow, LineKind, PlayerTier, StatCell, SystemDay};
use anyhow::{Result, anyhow};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, named_params};
use std::collections::HashMap;

/// Every row of the range with the per-row facts the cells need, and whether
/// it is graded (section 1); nothing is grouped here.
const ROWS_SQL: &str = "
SELECT game_date, system_id, player_lookup,
       predicted_points, actual_points, line_value,
       CASE WHEN line_source = 'ACTUAL_PROP'
              OR (line_source IS NULL AND has_prop_line = 1) THEN 1 ELSE 0 END,
       confidence_decile,
       CASE WHEN recommendation IN ('OVER', 'UNDER')
             AND line_value IS NOT NULL
             AND prediction_correct IS NOT NULL
             AND ABS(predicted_points - line_value) >= :edge - 1e-9 THEN 1 ELSE 0 END,
       prediction_correct,
       CASE WHEN COALESCE(is_voided, 0) = 0
             AND COALESCE(is_superseded_prediction, 0) = 0
             AND predicted_points IS NOT NULL
             AND actual_points IS NOT NULL THEN 1 ELSE 0 END,
       feature_quality_score
FROM prediction_accuracy
WHERE game_date BETWEEN :from AND :to
  AND (:systems IS NULL OR system_id IN (SELECT value FROM json_each(:systems)))";

/// The games that count towards a prior scoring average (grouped per player
/// and ordered in Rust: cheaper than SQLite's sorter).
const SCORING_SQL: &str = "
SELECT player_lookup, game_date, points
FROM player_game_summary
WHERE game_date BETWEEN :since AND :to
  AND minutes_played > :min_minutes
  AND points IS NOT NULL";

/// One player's qualifying games: day numbers and a running sum of points.
#[derive(Default)]
struct Scoring {
    days: Vec<i32>,
    /// `sums[i]` = points of the first `i` games.
    sums: Vec<f64>,
}

impl Scoring {
    /// Mean points over the games on days `[day - lookback, day - 1]`.
    fn prior_mean(&self, day: i32, lookback: i32) -> Option<f64> {
        let lo = self.days.partition_point(|&d| d < day - lookback);
        let hi = self.days.partition_point(|&d| d < day);
        (hi > lo).then(|| (self.sums[hi] - self.sums[lo]) / (hi - lo) as f64)
    }
}

/// Dates read once each: the text as stored to its day number.
#[derive(Default)]
struct Days(HashMap<String, (NaiveDate, i32)>);

impl Days {
    fn get(&mut self, text: &str) -> Result<(NaiveDate, i32)> {
        if let Some(found) = self.0.get(text) {
            return Ok(*found);
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| anyhow!("prediction_accuracy: `{text}` is not a date"))?;
        let entry = (date, date.num_days_from_ce());
        self.0.insert(text.to_string(), entry);
        Ok(entry)
    }
}

fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> Result<&'r str> {
    Ok(row.get_ref(index)?.as_str()?)
}

fn player_tier(prior_mean: Option<f64>, query: &DayStatsQuery) -> PlayerTier {
    match prior_mean {
        None => PlayerTier::Unknown,
        Some(mean) if mean >= query.star_min => PlayerTier::Star,
        Some(mean) if mean >= query.starter_min => PlayerTier::Starter,
        Some(mean) if mean >= query.rotation_min => PlayerTier::Rotation,
        Some(_) => PlayerTier::Bench,
    }
}

fn confidence_tier(decile: Option<i64>) -> ConfidenceTier {
    match decile {
        Some(8..=10) => ConfidenceTier::Tier1,
        Some(5..=7) => ConfidenceTier::Tier2,
        Some(1..=4) => ConfidenceTier::Tier3,
        _ => ConfidenceTier::None,
    }
}

/// Rounds an absolute error to tenths, as the beats-vegas rule compares them.
fn tenths(error: f64) -> i64 {
    (error * 10.0).round() as i64
}

/// Per-day cells of the range, sorted by date, system, player tier,
/// confidence tier and line kind (by their stored names), and every system's
/// day counts (all rows, graded or not), sorted by date and system.
pub fn day_stat_rows(
    connection: &Connection,
    query: &DayStatsQuery,
) -> Result<(Vec<DayStatRow>, Vec<SystemDay>)> {
    let from = super::date_text(query.from);
    let to = super::date_text(query.to);
    let lookback = i32::try_from(query.tier_lookback_days).unwrap_or(i32::MAX / 2);
    let since = query
        .from
        .checked_sub_days(chrono::Days::new(u64::from(query.tier_lookback_days)))
        .unwrap_or(NaiveDate::MIN);

    let mut games: HashMap<String, Vec<(i32, f64)>> = HashMap::new();
    let mut days = Days::default();
    let mut statement = connection.prepare_cached(SCORING_SQL)?;
    let mut rows = statement.query(named_params! {
        ":since": super::date_text(since), ":to": to, ":min_minutes": query.tier_min_minutes,
    })?;
    while let Some(row) = rows.next()? {
        let (_, day) = days.get(text(row, 1)?)?;
        let points: f64 = row.get(2)?;
        let player = text(row, 0)?;
        match games.get_mut(player) {
            Some(list) => list.push((day, points)),
            None => {
                games.insert(player.to_string(), vec![(day, points)]);
            }
        }
    }
    drop(rows);
    let scoring: HashMap<String, Scoring> = games
        .into_iter()
        .map(|(player, mut list)| {
            list.sort_by_key(|(day, _)| *day);
            let mut sums = Vec::with_capacity(list.len() + 1);
            let mut total = 0.0;
            sums.push(total);
            for (_, points) in &list {
                total += points;
                sums.push(total);
            }
            let days = list.into_iter().map(|(day, _)| day).collect();
            (player, Scoring { days, sums })
        })
        .collect();

    let systems = query
        .systems
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    let mut system_names: Vec<String> = Vec::new();
    let mut cells: HashMap<(NaiveDate, usize, PlayerTier, ConfidenceTier, LineKind), StatCell> =
        HashMap::new();
    let mut system_days: HashMap<(NaiveDate, usize), SystemDay> = HashMap::new();
    let mut statement = connection.prepare_cached(ROWS_SQL)?;
    let mut rows = statement.query(named_params! {
        ":from": from, ":to": super::date_text(query.to), ":systems": systems,
        ":edge": query.edge_threshold,
    })?;
    while let Some(row) = rows.next()? {
        let (date, day) = days.get(text(row, 0)?)?;
        let system = text(row, 1)?;
        let system_index = match system_names.iter().position(|name| name == system) {
            Some(index) => index,
            None => {
                system_names.push(system.to_string());
                system_names.len() - 1
            }
        };
        let day_counts = system_days
            .entry((date, system_index))
            .or_insert_with(|| SystemDay {
                game_date: date,
                system_id: String::new(),
                predictions_made: 0,
                feature_quality_rows: 0,
                sum_feature_quality: 0.0,
            });
        day_counts.predictions_made += 1;
        if let Some(quality) = row.get::<_, Option<f64>>(11)? {
            day_counts.feature_quality_rows += 1;
            day_counts.sum_feature_quality += quality;
        }
        if row.get::<_, i64>(10)? != 1 {
            continue;
        }
        let prior = scoring
            .get(text(row, 2)?)
            .and_then(|history| history.prior_mean(day, lookback));
        let predicted: f64 = row.get(3)?;
        let actual: f64 = row.get(4)?;
        let line: Option<f64> = row.get(5)?;
        let kind = if row.get::<_, i64>(6)? == 1 {
            LineKind::Actual
        } else {
            LineKind::Estimated
        };
        let key = (
            date,
            system_index,
            player_tier(prior, query),
            confidence_tier(row.get(7)?),
            kind,
        );
        let bet = row.get::<_, i64>(8)? == 1;
        let correct: Option<bool> = row.get(9)?;
        let cell = cells.entry(key).or_default();
        let error = (predicted - actual).abs();
        cell.rows += 1;
        cell.sum_abs_error += error;
        cell.sum_signed_error += predicted - actual;
        if let Some(line) = line {
            let line_error = (line - actual).abs();
            cell.lined_rows += 1;
            cell.sum_line_abs_error += line_error;
            cell.sum_abs_error_lined += error;
            if tenths(error) < tenths(line_error) {
                cell.beats += 1;
            }
        }
        if bet {
            cell.bets += 1;
            if correct == Some(true) {
                cell.hits += 1;
            }
        }
    }
    let mut out: Vec<DayStatRow> = cells
        .into_iter()
        .map(
            |((game_date, system, player_tier, confidence_tier, line_kind), cell)| DayStatRow {
                game_date,
                system_id: system_names[system].clone(),
                player_tier,
                confidence_tier,
                line_kind,
                cell,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        (
            a.game_date,
            &a.system_id,
            a.player_tier.as_str(),
            a.confidence_tier.as_str(),
            a.line_kind.as_str(),
        )
            .cmp(&(
                b.game_date,
                &b.system_id,
                b.player_tier.as_str(),
                b.confidence_tier.as_str(),
                b.line_kind.as_str(),
            ))
    });
    let mut days_out: Vec<SystemDay> = system_days
        .into_iter()
        .map(|((_, system), mut day)| {
            day.system_id = system_names[system].clone();
            day
        })
        .collect();
    days_out.sort_by(|a, b| (a.game_date, &a.system_id).cmp(&(b.game_date, &b.system_id)));
    Ok((out, days_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_mean_covers_the_lookback_days_before_the_game_only() {
        let history = Scoring {
            days: vec![100, 110, 189, 190],
            sums: vec![0.0, 10.0, 30.0, 60.0, 100.0],
        };
        // Day 200 with a 90-day lookback: days 110..=199.
        assert_eq!(
            history.prior_mean(200, 90),
            Some((20.0 + 30.0 + 40.0) / 3.0)
        );
        // The game day itself never counts.
        assert_eq!(
            history.prior_mean(190, 90),
            Some((10.0 + 20.0 + 30.0) / 3.0)
        );
        assert_eq!(history.prior_mean(100, 90), None);
        assert_eq!(history.prior_mean(400, 90), None);
    }

    #[test]
    fn tiers_and_rounding_follow_the_definitions() {
        assert_eq!(confidence_tier(Some(8)), ConfidenceTier::Tier1);
        assert_eq!(confidence_tier(Some(5)), ConfidenceTier::Tier2);
        assert_eq!(confidence_tier(Some(4)), ConfidenceTier::Tier3);
        assert_eq!(confidence_tier(Some(0)), ConfidenceTier::None);
        assert_eq!(confidence_tier(None), ConfidenceTier::None);
        assert_eq!(tenths(2.25), 23);
        assert_eq!(tenths(0.049_999), 0);
    }
}
