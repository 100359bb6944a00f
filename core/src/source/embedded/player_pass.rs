//! The player-games' half of a day-stats pass, chunk by chunk on every core
//! (`cores.rs`): each player's qualifying games before and within the range
//! (metrics.md section 1, for the player tiers) and the range's data-quality
//! days (section 6: player-games with minutes; complete shot zones; the
//! paint and three shares of rated rows).

use super::cells::{Days, date_prefix, skipped_row};
use super::cores::{self, Chunk, SkipsByChunk, StopCheck};
use super::fnv::FnvMap;
use super::scoring::{PlayerScoring, Scoring};
use super::stored_rows::{PLAYER_GAME_COLUMNS, PLAYER_GAMES_SQL, read_player_game, read_zones};
use crate::model::QualityDay;
use crate::model::day_stats::SkippedRows;
use crate::source::DayStatsQuery;
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, named_params};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

/// One core's share: games by player, quality by day, rows left out.
#[derive(Default)]
struct Partial {
    games: FnvMap<Vec<u8>, Vec<(i32, f64)>>,
    /// Only the days that have player-games: sparse, whatever the range.
    quality: BTreeMap<i32, QualityDay>,
    skipped: SkipsByChunk,
}

impl Partial {
    fn merge(&mut self, other: Partial) {
        for (player, list) in other.games {
            self.games.entry(player).or_default().extend(list);
        }
        for (day, theirs) in other.quality {
            let mine = self.quality.entry(day).or_insert_with(|| QualityDay {
                game_date: theirs.game_date,
                ..QualityDay::default()
            });
            mine.rows += theirs.rows;
            mine.complete_rows += theirs.complete_rows;
            mine.rated_rows += theirs.rated_rows;
            mine.sum_paint_rate += theirs.sum_paint_rate;
            mine.sum_three_rate += theirs.sum_three_rate;
        }
        self.skipped.merge(other.skipped);
    }
}

/// Each player's scoring history and the range's data-quality days, by
/// date; rows that do not read are noted in `skipped`.
pub fn player_games(
    connection: &Connection,
    query: &DayStatsQuery,
    skipped: &mut SkippedRows,
) -> Result<(PlayerScoring, Vec<QualityDay>)> {
    let since = query
        .from
        .checked_sub_days(chrono::Days::new(u64::from(query.tier_lookback_days)))
        .unwrap_or(NaiveDate::MIN);
    let (lo, to) = (
        super::columns::date_text(since),
        super::columns::date_text(query.to),
    );
    let indexed = cores::has_index(connection, "player_game_summary_day_stats")?;
    let chunks = cores::chunks(indexed, &lo, &to, since, query.to);
    let first_day = query.from.num_days_from_ce();
    let partials = cores::run(
        connection,
        &chunks,
        |connection, index, chunk, partial, stop| {
            read_chunk(connection, index, chunk, query, first_day, partial, stop)
        },
    )?;
    let mut total = Partial::default();
    for partial in partials {
        total.merge(partial);
    }
    skipped.merge(total.skipped.in_order());
    let scoring = total
        .games
        .into_iter()
        .map(|(player, list)| (player, Scoring::new(list)))
        .collect();
    Ok((scoring, total.quality.into_values().collect()))
}

fn read_chunk(
    connection: &Connection,
    index: usize,
    chunk: &Chunk,
    query: &DayStatsQuery,
    first_day: i32,
    partial: &mut Partial,
    stop: &AtomicBool,
) -> Result<()> {
    let mut days = Days::default();
    let mut statement = connection.prepare_cached(PLAYER_GAMES_SQL)?;
    let mut rows = statement.query(named_params! {
        ":lo": chunk.lo, ":hi": chunk.hi,
    })?;
    let mut check = StopCheck::new(stop);
    while let Some(row) = rows.next()? {
        check.row()?;
        let read = read_player_game(row, &mut days).and_then(|game| {
            // `has_complete_shot_zones` and the attempts matter only on
            // in-range days with minutes; read them before anything counts.
            let zones = if game.day >= first_day && game.minutes.is_some_and(|m| m > 0.0) {
                Some(read_zones(row)?)
            } else {
                None
            };
            Ok((game, zones))
        });
        let (game, zones) = match read {
            Ok(read) => read,
            Err(bad) => {
                partial.skipped.note(
                    index,
                    skipped_row(
                        "player_game_summary",
                        &PLAYER_GAME_COLUMNS,
                        row,
                        &[("rowid", 8), ("player_lookup", 0), ("game_date", 1)],
                        bad,
                    ),
                    date_prefix(row, 1),
                );
                continue;
            }
        };
        if let Some(zones) = zones {
            let day_quality = partial
                .quality
                .entry(game.day)
                .or_insert_with(|| QualityDay {
                    game_date: NaiveDate::from_num_days_from_ce_opt(game.day),
                    ..QualityDay::default()
                });
            day_quality.rows += 1;
            if let Some(attempts) = zones {
                day_quality.complete_rows += 1;
                if let Some((paint, total, three)) = attempts.filter(|(_, total, _)| *total > 0) {
                    day_quality.rated_rows += 1;
                    day_quality.sum_paint_rate += 100.0 * paint as f64 / total as f64;
                    day_quality.sum_three_rate += 100.0 * three as f64 / total as f64;
                }
            }
        }
        let qualifies = game.minutes.is_some_and(|m| m > query.tier_min_minutes);
        let Some(points) = game.points.filter(|_| qualifies) else {
            continue;
        };
        match partial.games.get_mut(game.player) {
            Some(list) => list.push((game.day, points)),
            None => {
                partial
                    .games
                    .insert(game.player.to_vec(), vec![(game.day, points)]);
            }
        }
    }
    Ok(())
}
