//! BigQuery's reads of the pre-game tables (data-contract.md Rev. 3): the
//! days of the coverage verdict and one date's slate rows. Every value is a
//! parameter and every query filters `game_date`; `player_prop_predictions`
//! is physically unpartitioned on the team's warehouse, so it is read once
//! per refresh with only the columns needed. A missing table is told by its
//! typed error and reads as absent.

use super::BigQuerySource;
use super::metadata_cache::PREDICTIONS_TTL;
use super::params::Params;
use crate::config::TableName;
use crate::model::LineSources;
use crate::model::game_day::{
    LineSnapshot, PredictionRow, PregameDays, ScheduledDay, ScheduledGame, SlateInputs, SlatePlayer,
};
use crate::source::game_day::{self as shared, PredictedGroup};
use crate::source::presence;
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};

impl BigQuerySource {
    /// Runs `sql` on `table`; `None` when the table does not exist.
    pub(super) async fn optional_rows(
        &self,
        table: &TableName,
        sql: String,
        params: Params,
    ) -> Result<Option<super::decode::Rows>> {
        match self.rows(&sql, params).await {
            Ok(rows) => Ok(Some(rows)),
            Err(error) if presence::is_missing(&error) => Ok(None),
            Err(error) => Err(error.context(format!("reading {}", table.qualified()))),
        }
    }

    /// The active predictions' groups of the two years to `to`, one read
    /// per refresh (kept [`PREDICTIONS_TTL`]); `None` without the table.
    async fn predicted_groups(&self, to: NaiveDate) -> Result<Option<Vec<PredictedGroup>>> {
        if let Ok(kept) = self.metadata.predictions.lock()
            && let Some((at, kept_to, groups)) = kept.as_ref()
            && *kept_to == to
            && at.elapsed() < PREDICTIONS_TTL
        {
            return Ok(groups.clone());
        }
        let predictions = &self.tables.player_prop_predictions;
        let sql = format!(
            "SELECT game_date, system_id, line_source, current_points_line IS NOT NULL AS has_line_value,
                    COUNT(DISTINCT player_lookup) AS players
             FROM `{}`
             WHERE game_date BETWEEN @first AND @to AND is_active AND invalidation_reason IS NULL
             GROUP BY 1, 2, 3, 4",
            predictions.qualified()
        );
        let mut params = Params::new();
        params
            .date("first", Some(shared::first_day_start(to)))
            .date("to", Some(to));
        let groups = match self.optional_rows(predictions, sql, params).await? {
            None => None,
            Some(rows) => Some(
                rows.iter()
                    .map(|record| {
                        Ok(PredictedGroup {
                            game_date: record.date("game_date")?,
                            system_id: record.str("system_id")?,
                            line_source: record.opt_str("line_source")?,
                            has_line_value: record.opt_bool("has_line_value")?.unwrap_or(false),
                            players: record.u64("players")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
                    .context("player_prop_predictions")?,
            ),
        };
        if let Ok(mut kept) = self.metadata.predictions.lock() {
            *kept = Some((std::time::Instant::now(), to, groups.clone()));
        }
        Ok(groups)
    }

    pub(super) async fn read_pregame_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        line_sources: &LineSources,
    ) -> Result<Option<PregameDays>> {
        let schedule = &self.tables.schedule;
        let Some(mut groups) = self.predicted_groups(to).await? else {
            return Ok(None);
        };
        let mut first_days: Vec<(String, NaiveDate)> = Vec::new();
        for group in &groups {
            match first_days.iter_mut().find(|(id, _)| *id == group.system_id) {
                Some((_, date)) => *date = (*date).min(group.game_date),
                None => first_days.push((group.system_id.clone(), group.game_date)),
            }
        }
        groups.retain(|group| group.game_date >= from);
        let sql = format!(
            "SELECT game_date, COUNT(DISTINCT game_id) AS games,
                    COUNT(DISTINCT IF(game_status = 3, game_id, NULL)) AS final_games,
                    MIN(game_date_est) AS first_tip, MAX(game_date_est) AS last_tip
             FROM `{}` WHERE game_date BETWEEN @from AND @to GROUP BY 1",
            schedule.qualified()
        );
        let mut params = Params::new();
        params.date("from", Some(from)).date("to", Some(to));
        let Some(rows) = self.optional_rows(schedule, sql, params).await? else {
            return Ok(None);
        };
        let scheduled = rows
            .iter()
            .map(|record| {
                Ok(ScheduledDay {
                    game_date: record.date("game_date")?,
                    games: record.u64("games")?,
                    final_games: record.u64("final_games")?,
                    first_tip: record.opt_timestamp("first_tip")?,
                    last_tip: record.opt_timestamp("last_tip")?,
                })
            })
            .collect::<Result<Vec<_>>>()
            .context("nbac_schedule")?;
        Ok(Some(PregameDays {
            predicted: shared::predicted_days(&groups, line_sources),
            scheduled,
            first_days,
        }))
    }

    pub(super) async fn read_slate_inputs(
        &self,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<SlateInputs> {
        let mut inputs = SlateInputs::default();
        let mut day = Params::new();
        day.date("day", Some(date));
        let tables = &self.tables;

        let sql = format!(
            "SELECT game_id, away_team_tricode, home_team_tricode, game_date_est, game_status
             FROM `{}` WHERE game_date = @day ORDER BY game_date_est, game_id",
            tables.schedule.qualified()
        );
        match self
            .optional_rows(&tables.schedule, sql, day.clone())
            .await?
        {
            Some(rows) => {
                for record in rows.iter() {
                    let game_id = record.str("game_id")?;
                    if inputs.games.iter().any(|game| game.game_id == game_id) {
                        continue;
                    }
                    inputs.games.push(ScheduledGame {
                        game_id,
                        away: record.opt_str("away_team_tricode")?.unwrap_or_default(),
                        home: record.opt_str("home_team_tricode")?.unwrap_or_default(),
                        tip: record.opt_timestamp("game_date_est")?,
                        status: record.opt_i64("game_status")?.unwrap_or(1),
                    });
                }
            }
            None => inputs.missing_tables.push("nbac_schedule".to_string()),
        }

        // The predictions of the date and the systems of the last 7 days in
        // one read (the table is unpartitioned: every read scans it).
        let sql = format!(
            "SELECT system_id, player_lookup, is_active, invalidation_reason IS NOT NULL AS invalidated,
                    created_at, game_date = @day AS on_day
             FROM `{}` WHERE game_date BETWEEN @recent AND @day
               AND (game_date = @day OR is_active)",
            tables.player_prop_predictions.qualified()
        );
        let mut params = day.clone();
        params.date("recent", Some(shared::recent_start(date)));
        match self
            .optional_rows(&tables.player_prop_predictions, sql, params)
            .await?
        {
            Some(rows) => {
                for record in rows.iter() {
                    let system_id = record.str("system_id")?;
                    if !inputs.recent_systems.contains(&system_id) {
                        inputs.recent_systems.push(system_id.clone());
                    }
                    if record.opt_bool("on_day")? != Some(true) {
                        continue;
                    }
                    let Some(created_at) = record.opt_timestamp("created_at").ok().flatten() else {
                        inputs.skipped_rows += 1;
                        continue;
                    };
                    inputs.predictions.push(PredictionRow {
                        system_id,
                        player_lookup: record.str("player_lookup")?,
                        is_active: record.opt_bool("is_active")?.unwrap_or(false),
                        invalidated: record.opt_bool("invalidated")?.unwrap_or(false),
                        created_at,
                    });
                }
            }
            None => inputs
                .missing_tables
                .push("player_prop_predictions".to_string()),
        }

        let sql = format!(
            "SELECT player_lookup, bookmaker, points_line, snapshot_timestamp, game_start_time
             FROM (
               SELECT player_lookup, bookmaker, points_line, snapshot_timestamp, game_start_time,
                      ROW_NUMBER() OVER (PARTITION BY player_lookup, LOWER(bookmaker)
                                         ORDER BY snapshot_timestamp DESC) AS n
               FROM `{}`
               WHERE game_date = @day AND minutes_before_tipoff >= 0 AND snapshot_timestamp <= @now
             ) WHERE n = 1",
            tables.line_snapshots.qualified()
        );
        let mut params = day.clone();
        params.timestamp("now", Some(now));
        match self
            .optional_rows(&tables.line_snapshots, sql, params)
            .await?
        {
            Some(rows) => {
                let snapshots = rows
                    .iter()
                    .map(|record| {
                        Ok(LineSnapshot {
                            player_lookup: record.str("player_lookup")?,
                            bookmaker: record.str("bookmaker")?,
                            points_line: record.f64("points_line")?,
                            snapshot_at: record.timestamp("snapshot_timestamp")?,
                            game_start: record.opt_timestamp("game_start_time")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
                    .context("odds_api_player_points_props")?;
                inputs.lines = shared::latest_lines(snapshots, now);
            }
            None => inputs
                .missing_tables
                .push("odds_api_player_points_props".to_string()),
        }

        let sql = format!(
            "SELECT player_lookup, game_id, has_prop_line, current_points_line
             FROM `{}` WHERE game_date = @day ORDER BY player_lookup",
            tables.slate.qualified()
        );
        match self.optional_rows(&tables.slate, sql, day.clone()).await? {
            Some(rows) => {
                inputs.players = rows
                    .iter()
                    .map(|record| {
                        Ok(SlatePlayer {
                            player_lookup: record.str("player_lookup")?,
                            game_id: record.opt_str("game_id")?,
                            has_prop_line: record.opt_bool("has_prop_line")?,
                            current_points_line: record.opt_f64("current_points_line")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
                    .context("upcoming_player_game_context")?;
            }
            None => inputs
                .missing_tables
                .push("upcoming_player_game_context".to_string()),
        }

        let sql = format!(
            "SELECT player_lookup, MAX(feature_quality_score) AS quality
             FROM `{}` WHERE game_date = @day GROUP BY 1",
            tables.feature_store.qualified()
        );
        match self
            .optional_rows(&tables.feature_store, sql, day.clone())
            .await?
        {
            Some(rows) => {
                inputs.features = rows
                    .iter()
                    .map(|record| Ok((record.str("player_lookup")?, record.opt_f64("quality")?)))
                    .collect::<Result<Vec<_>>>()
                    .context("ml_feature_store_v2")?;
            }
            None => inputs
                .missing_tables
                .push("ml_feature_store_v2".to_string()),
        }

        let sql = format!(
            "SELECT system_id, player_lookup, graded_at FROM `{}`
             WHERE game_date = @day AND COALESCE(is_superseded_prediction, FALSE) = FALSE",
            tables.prediction_accuracy.qualified()
        );
        let rows = self.rows(&sql, day).await?;
        let graded = rows
            .iter()
            .map(|record| {
                Ok((
                    record.str("system_id")?,
                    record.str("player_lookup")?,
                    record.opt_timestamp("graded_at")?,
                ))
            })
            .collect::<Result<Vec<_>>>()
            .context("prediction_accuracy")?;
        inputs.graded = shared::graded_counts(&graded, now);
        // Systems with graded rows in the window count as recent too, as on
        // the embedded store (a partition-pruned read of one column).
        let sql = format!(
            "SELECT DISTINCT system_id FROM `{}` WHERE game_date BETWEEN @recent AND @day",
            tables.prediction_accuracy.qualified()
        );
        let mut params = Params::new();
        params
            .date("recent", Some(shared::recent_start(date)))
            .date("day", Some(date));
        for record in self.rows(&sql, params).await?.iter() {
            let system = record.str("system_id")?;
            if !inputs.recent_systems.contains(&system) {
                inputs.recent_systems.push(system);
            }
        }
        inputs.recent_systems.sort();
        Ok(inputs)
    }
}
