//! Writing the materialised day stats (`materialized.rs` decides when):
//! one span's cells, system days, unlisted line sources and data-quality
//! days, and its dates marked done, in one transaction that first checks the
//! store is still as the pass saw it; the dates where the pass left rows
//! out are not kept.

use super::aggregate::Sums;
use super::kept_state::{drop_dates, state, text};
use crate::model::day_stats::SkippedRows;
use crate::source::DayStatsQuery;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};
use std::collections::HashSet;

/// The dates whose sums are not kept because a pass left rows out there,
/// so that a read of any range they fall in computes them again and names
/// those rows as a fresh pass does: a prediction's date; a player-game's
/// date and the `lookback` days after it (whose passes read it). `None`
/// (keep nothing) when a row's date cannot be told.
pub(super) fn unkept_dates(skipped: &SkippedRows, lookback: u32) -> Option<HashSet<NaiveDate>> {
    let mut unkept = HashSet::new();
    for (table, day) in &skipped.dates {
        let day = (*day)?;
        let days = if table == "player_game_summary" {
            u64::from(lookback)
        } else {
            0
        };
        unkept.extend(day.iter_days().take(days as usize + 1));
    }
    Some(unkept)
}

/// Keeps the sums of every date of `span` (the dates without rows too)
/// but `unkept`, when the store is still as the pass saw it.
pub(super) fn keep(
    connection: &Connection,
    set: i64,
    span: &DayStatsQuery,
    sums: &Sums,
    unkept: &HashSet<NaiveDate>,
    params: &str,
    generation: i64,
) -> Result<()> {
    let transaction = Transaction::new_unchecked(connection, TransactionBehavior::Immediate)?;
    let now = state(&transaction, params)?;
    if now.set != Some(set) || now.generation != generation || now.dirty {
        return Ok(());
    }
    drop_dates(&transaction, Some(set), span.from, span.to)?;
    transaction.execute(
        "UPDATE courtside_day_sets
         SET used_at = (SELECT MAX(used_at) + 1 FROM courtside_day_sets) WHERE set_id = ?1",
        [set],
    )?;
    {
        let mut cells = transaction.prepare_cached(
            "INSERT INTO courtside_day_cells VALUES (?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        for row in sums
            .day_stats
            .iter()
            .filter(|row| !unkept.contains(&row.game_date))
        {
            let cell = &row.cell;
            cells.execute(params![
                text(row.game_date),
                row.system_id,
                row.player_tier.as_str(),
                row.confidence_tier.as_str(),
                row.line_kind.as_str(),
                cell.rows,
                cell.sum_abs_error,
                cell.sum_signed_error,
                cell.lined_rows,
                cell.sum_line_abs_error,
                cell.sum_abs_error_lined,
                cell.beats,
                cell.bets,
                cell.hits,
                set,
            ])?;
        }
        let mut systems = transaction.prepare_cached(
            "INSERT INTO courtside_day_systems VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut sources = transaction
            .prepare_cached("INSERT INTO courtside_day_line_sources VALUES (?5, ?1, ?2, ?3, ?4)")?;
        for day in sums
            .system_days
            .iter()
            .filter(|day| !unkept.contains(&day.game_date))
        {
            systems.execute(params![
                text(day.game_date),
                day.system_id,
                day.predictions_made,
                day.voided_rows,
                day.feature_quality_rows,
                day.sum_feature_quality,
                day.duplicate_rows,
                set,
            ])?;
            for (value, count) in &day.unknown_line_sources {
                sources.execute(params![
                    text(day.game_date),
                    day.system_id,
                    value,
                    count,
                    set
                ])?;
            }
        }
        let mut quality = transaction.prepare_cached(
            "INSERT INTO courtside_day_quality VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for day in &sums.quality {
            let Some(date) = day.game_date.filter(|date| !unkept.contains(date)) else {
                continue;
            };
            quality.execute(params![
                text(date),
                day.rows,
                day.complete_rows,
                day.rated_rows,
                day.sum_paint_rate,
                day.sum_three_rate,
                set,
            ])?;
        }
        let mut done =
            transaction.prepare_cached("INSERT INTO courtside_day_done VALUES (?2, ?1)")?;
        for day in span.from.iter_days().take_while(|day| *day <= span.to) {
            if unkept.contains(&day) {
                continue;
            }
            done.execute(params![text(day), set])?;
        }
    }
    transaction.commit()?;
    Ok(())
}
