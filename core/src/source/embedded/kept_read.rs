//! Reading the materialised day stats back (`materialized.rs` keeps them):
//! the cells, system days (with their duplicate rows and unlisted line
//! sources) and data-quality days of a range and one threshold set, in the
//! order a pass returns them.

use super::aggregate::Sums;
use crate::model::day_stats::SkippedRows;
use crate::model::{
    ConfidenceTier, DayStatRow, LineKind, PlayerTier, QualityDay, StatCell, SystemDay,
};
use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::collections::HashSet;

fn text(date: NaiveDate) -> String {
    super::columns::date_text(date)
}

/// The kept sums of `[from, to]`, in the pass's order.
pub(super) fn read_kept(
    connection: &Connection,
    set: i64,
    from: NaiveDate,
    to: NaiveDate,
    systems: Option<&HashSet<&str>>,
) -> Result<Sums> {
    let bounds = params![text(from), text(to), set];
    let mut dates = DateCache::default();
    let wanted = |system: &str| systems.is_none_or(|set| set.contains(system));
    let mut day_stats = Vec::new();
    let mut statement = connection.prepare_cached(
        "SELECT game_date, system_id, player_tier, confidence_tier, line_kind, graded_rows,
                sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error,
                sum_abs_error_lined, beats, bets, hits
         FROM courtside_day_cells WHERE set_id = ?3 AND game_date BETWEEN ?1 AND ?2
         ORDER BY game_date, system_id, player_tier, confidence_tier, line_kind",
    )?;
    let mut rows = statement.query(bounds)?;
    while let Some(row) = rows.next()? {
        let system_id: String = row.get(1)?;
        if !wanted(&system_id) {
            continue;
        }
        let tier: String = row.get(2)?;
        let confidence: String = row.get(3)?;
        let kind: String = row.get(4)?;
        day_stats.push(DayStatRow {
            game_date: dates.parse(row.get_ref(0)?.as_str()?)?,
            system_id,
            player_tier: PlayerTier::parse(&tier).ok_or_else(|| kept_error(&tier))?,
            confidence_tier: ConfidenceTier::parse(&confidence)
                .ok_or_else(|| kept_error(&confidence))?,
            line_kind: LineKind::parse(&kind).ok_or_else(|| kept_error(&kind))?,
            cell: StatCell {
                rows: row.get(5)?,
                sum_abs_error: row.get(6)?,
                sum_signed_error: row.get(7)?,
                lined_rows: row.get(8)?,
                sum_line_abs_error: row.get(9)?,
                sum_abs_error_lined: row.get(10)?,
                beats: row.get(11)?,
                bets: row.get(12)?,
                hits: row.get(13)?,
            },
        });
    }
    let mut system_days = Vec::new();
    let mut statement = connection.prepare_cached(
        "SELECT game_date, system_id, predictions_made, voided_rows, feature_quality_rows,
                sum_feature_quality, duplicate_rows
         FROM courtside_day_systems WHERE set_id = ?3 AND game_date BETWEEN ?1 AND ?2
         ORDER BY game_date, system_id",
    )?;
    let mut rows = statement.query(bounds)?;
    while let Some(row) = rows.next()? {
        let system_id: String = row.get(1)?;
        if !wanted(&system_id) {
            continue;
        }
        system_days.push(SystemDay {
            game_date: dates.parse(row.get_ref(0)?.as_str()?)?,
            system_id,
            predictions_made: row.get(2)?,
            voided_rows: row.get(3)?,
            feature_quality_rows: row.get(4)?,
            sum_feature_quality: row.get(5)?,
            duplicate_rows: row.get(6)?,
            unknown_line_sources: Default::default(),
        });
    }
    let mut statement = connection.prepare_cached(
        "SELECT game_date, system_id, line_source, row_count FROM courtside_day_line_sources
         WHERE set_id = ?3 AND game_date BETWEEN ?1 AND ?2",
    )?;
    let mut rows = statement.query(bounds)?;
    while let Some(row) = rows.next()? {
        let date = dates.parse(row.get_ref(0)?.as_str()?)?;
        let system_id: String = row.get(1)?;
        // Rows come by (date, system), as the system days do.
        if let Some(day) = system_days
            .iter_mut()
            .rev()
            .find(|day| day.game_date == date && day.system_id == system_id)
        {
            day.unknown_line_sources.insert(row.get(2)?, row.get(3)?);
        }
    }
    let mut statement = connection.prepare_cached(
        "SELECT game_date, player_games, complete_rows, rated_rows, sum_paint_rate, sum_three_rate
         FROM courtside_day_quality WHERE set_id = ?3 AND game_date BETWEEN ?1 AND ?2 ORDER BY game_date",
    )?;
    let quality = statement
        .query_map(bounds, |row| {
            Ok(QualityDay {
                game_date: NaiveDate::parse_from_str(&row.get::<_, String>(0)?, "%Y-%m-%d").ok(),
                rows: row.get(1)?,
                complete_rows: row.get(2)?,
                rated_rows: row.get(3)?,
                sum_paint_rate: row.get(4)?,
                sum_three_rate: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Sums {
        day_stats,
        system_days,
        quality,
        skipped: SkippedRows::default(),
    })
}

fn kept_error(value: &str) -> anyhow::Error {
    anyhow!("the store's kept day stats hold `{value}`, which this version does not read")
}

/// Parses kept dates, the last one remembered (rows come by date).
#[derive(Default)]
struct DateCache {
    last: Option<(String, NaiveDate)>,
}

impl DateCache {
    fn parse(&mut self, text: &str) -> Result<NaiveDate> {
        if let Some((seen, date)) = &self.last
            && seen == text
        {
            return Ok(*date);
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| anyhow!("the store's kept day stats hold the date `{text}`"))?;
        self.last = Some((text.to_string(), date));
        Ok(date)
    }
}
