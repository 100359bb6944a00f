//! The embedded store's reads of the pre-game tables (data-contract.md
//! Rev. 3): the days of the coverage verdict and one date's slate rows. A
//! table the store lacks reads as absent; a row whose date or timestamp does
//! not read is skipped and counted, never fatal.

use super::columns::{date_text, parse_date, parse_timestamp};
use super::optional::columns_of;
use super::store::EmbeddedStore;
use crate::model::LineSources;
use crate::model::game_day::{
    LineSnapshot, PredictionRow, PregameDays, ScheduledDay, ScheduledGame, SlateInputs, SlatePlayer,
};
use crate::source::game_day::{self as shared, PredictedGroup};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

const PREDICTIONS: &str = "player_prop_predictions";
const SCHEDULE: &str = "nbac_schedule";
const SNAPSHOTS: &str = "odds_api_player_points_props";
const SLATE: &str = "upcoming_player_game_context";
const FEATURES: &str = "ml_feature_store_v2";

fn has(connection: &Connection, table: &str) -> Result<bool> {
    Ok(columns_of(connection, table)?.is_some())
}

impl EmbeddedStore {
    pub(super) async fn read_pregame_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        line_sources: LineSources,
    ) -> Result<Option<PregameDays>> {
        self.blocking(move |connection| pregame_days(connection, from, to, &line_sources))
            .await
    }

    pub(super) async fn read_slate_inputs(
        &self,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<SlateInputs> {
        self.blocking(move |connection| slate_inputs(connection, date, now))
            .await
    }
}

fn pregame_days(
    connection: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    line_sources: &LineSources,
) -> Result<Option<PregameDays>> {
    if !has(connection, PREDICTIONS)? || !has(connection, SCHEDULE)? {
        return Ok(None);
    }
    let (from_text, to_text) = (date_text(from), date_text(to));
    let mut statement = connection.prepare(
        "SELECT game_date, system_id, line_source, current_points_line IS NOT NULL,
                COUNT(DISTINCT player_lookup)
         FROM player_prop_predictions
         WHERE game_date BETWEEN ?1 AND ?2 AND is_active = 1 AND invalidation_reason IS NULL
         GROUP BY 1, 2, 3, 4",
    )?;
    let mut groups = Vec::new();
    let mut rows = statement.query(params![from_text, to_text])?;
    while let Some(row) = rows.next()? {
        let Ok(game_date) = parse_date(&row.get::<_, String>(0)?) else {
            continue;
        };
        groups.push(PredictedGroup {
            game_date,
            system_id: row.get(1)?,
            line_source: row.get(2)?,
            has_line_value: row.get(3)?,
            players: row.get::<_, i64>(4)?.max(0) as u64,
        });
    }
    let mut statement = connection.prepare(
        "SELECT game_date, COUNT(DISTINCT game_id),
                COUNT(DISTINCT CASE WHEN game_status = 3 THEN game_id END),
                MIN(game_date_est), MAX(game_date_est)
         FROM nbac_schedule WHERE game_date BETWEEN ?1 AND ?2 GROUP BY 1",
    )?;
    let mut scheduled = Vec::new();
    let mut rows = statement.query(params![from_text, to_text])?;
    while let Some(row) = rows.next()? {
        let Ok(game_date) = parse_date(&row.get::<_, String>(0)?) else {
            continue;
        };
        let tip = |index: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
            Ok(row
                .get::<_, Option<String>>(index)?
                .and_then(|text| parse_timestamp(&text).ok()))
        };
        scheduled.push(ScheduledDay {
            game_date,
            games: row.get::<_, i64>(1)?.max(0) as u64,
            final_games: row.get::<_, i64>(2)?.max(0) as u64,
            first_tip: tip(3)?,
            last_tip: tip(4)?,
        });
    }
    let mut statement = connection.prepare(
        "SELECT system_id, MIN(game_date) FROM player_prop_predictions
         WHERE game_date BETWEEN ?1 AND ?2 AND is_active = 1 AND invalidation_reason IS NULL
         GROUP BY 1",
    )?;
    let first_days = statement
        .query_map(
            params![date_text(shared::first_day_start(to)), to_text],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
        )?
        .filter_map(|row| {
            let (system, date) = row.ok()?;
            Some((system, parse_date(&date).ok()?))
        })
        .collect();
    Ok(Some(PregameDays {
        predicted: shared::predicted_days(&groups, line_sources),
        scheduled,
        first_days,
    }))
}

fn slate_inputs(
    connection: &Connection,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SlateInputs> {
    let mut inputs = SlateInputs::default();
    let day = date_text(date);
    let mut skipped = 0u64;
    let mut stamp = |text: Option<String>| -> Option<DateTime<Utc>> {
        let text = text?;
        let parsed = parse_timestamp(&text).ok();
        if parsed.is_none() {
            skipped += 1;
        }
        parsed
    };
    if has(connection, SCHEDULE)? {
        let mut statement = connection.prepare(
            "SELECT game_id, away_team_tricode, home_team_tricode, game_date_est, game_status
             FROM nbac_schedule WHERE game_date = ?1 ORDER BY game_date_est, game_id",
        )?;
        let mut rows = statement.query(params![day])?;
        while let Some(row) = rows.next()? {
            let game_id: String = row.get(0)?;
            if inputs.games.iter().any(|game| game.game_id == game_id) {
                continue;
            }
            inputs.games.push(ScheduledGame {
                game_id,
                away: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                home: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                tip: stamp(row.get(3)?),
                status: row.get::<_, Option<i64>>(4)?.unwrap_or(1),
            });
        }
    } else {
        inputs.missing_tables.push(SCHEDULE.to_string());
    }
    if has(connection, PREDICTIONS)? {
        let mut statement = connection.prepare(
            "SELECT system_id, player_lookup, is_active, invalidation_reason IS NOT NULL, created_at
             FROM player_prop_predictions WHERE game_date = ?1",
        )?;
        let mut rows = statement.query(params![day])?;
        while let Some(row) = rows.next()? {
            let Some(created_at) = stamp(row.get(4)?) else {
                continue;
            };
            inputs.predictions.push(PredictionRow {
                system_id: row.get(0)?,
                player_lookup: row.get(1)?,
                is_active: row.get::<_, Option<bool>>(2)?.unwrap_or(false),
                invalidated: row.get(3)?,
                created_at,
            });
        }
        let mut statement = connection.prepare(
            "SELECT DISTINCT system_id FROM player_prop_predictions WHERE game_date BETWEEN ?1 AND ?2
             UNION SELECT DISTINCT system_id FROM prediction_accuracy WHERE game_date BETWEEN ?1 AND ?2",
        )?;
        inputs.recent_systems = statement
            .query_map(params![date_text(shared::recent_start(date)), day], |row| {
                row.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        inputs.recent_systems.sort();
    } else {
        inputs.missing_tables.push(PREDICTIONS.to_string());
    }
    if has(connection, SNAPSHOTS)? {
        let mut statement = connection.prepare(
            "SELECT player_lookup, bookmaker, points_line, snapshot_timestamp, game_start_time
             FROM odds_api_player_points_props
             WHERE game_date = ?1 AND minutes_before_tipoff >= 0",
        )?;
        let mut snapshots = Vec::new();
        let mut rows = statement.query(params![day])?;
        while let Some(row) = rows.next()? {
            let (Some(snapshot_at), Some(points_line)) =
                (stamp(row.get(3)?), row.get::<_, Option<f64>>(2)?)
            else {
                continue;
            };
            snapshots.push(LineSnapshot {
                player_lookup: row.get(0)?,
                bookmaker: row.get(1)?,
                points_line,
                snapshot_at,
                game_start: stamp(row.get(4)?),
            });
        }
        inputs.lines = shared::latest_lines(snapshots, now);
    } else {
        inputs.missing_tables.push(SNAPSHOTS.to_string());
    }
    if has(connection, SLATE)? {
        let mut statement = connection.prepare(
            "SELECT player_lookup, game_id, has_prop_line, current_points_line
             FROM upcoming_player_game_context WHERE game_date = ?1 ORDER BY player_lookup",
        )?;
        inputs.players = statement
            .query_map(params![day], |row| {
                Ok(SlatePlayer {
                    player_lookup: row.get(0)?,
                    game_id: row.get(1)?,
                    has_prop_line: row.get(2)?,
                    current_points_line: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    } else {
        inputs.missing_tables.push(SLATE.to_string());
    }
    if has(connection, FEATURES)? {
        let mut statement = connection.prepare(
            "SELECT player_lookup, MAX(feature_quality_score) FROM ml_feature_store_v2
             WHERE game_date = ?1 GROUP BY 1",
        )?;
        inputs.features = statement
            .query_map(params![day], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    } else {
        inputs.missing_tables.push(FEATURES.to_string());
    }
    let mut statement = connection.prepare(
        "SELECT system_id, player_lookup, graded_at FROM prediction_accuracy
         WHERE game_date = ?1 AND COALESCE(is_superseded_prediction, 0) = 0",
    )?;
    let mut graded = Vec::new();
    let mut rows = statement.query(params![day])?;
    while let Some(row) = rows.next()? {
        let graded_at: Option<String> = row.get(2)?;
        let at = match graded_at {
            None => None,
            Some(text) => match stamp(Some(text)) {
                Some(at) => Some(at),
                None => continue,
            },
        };
        graded.push((row.get(0)?, row.get(1)?, at));
    }
    inputs.graded = shared::graded_counts(&graded, now);
    inputs.skipped_rows = skipped;
    Ok(inputs)
}
