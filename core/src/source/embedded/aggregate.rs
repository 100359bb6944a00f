//! The embedded store's day stats: one pass over the player-games (each
//! player's scoring history for the player tiers, and the data-quality
//! days), then one streaming pass over the range's predictions summed into
//! per-day cells in Rust (`day_pass.rs`, on every core). Same definitions as
//! the BigQuery source's grouped query; it exists because SQLite's GROUP BY
//! sorter was the bottleneck at a million rows.

use super::cores;
use super::day_pass::{self, CELLS_PER_DAY, Frame, SystemSums, cell_slot};
use super::player_pass;
use super::stored_rows::ROWS_SQL;
use crate::model::day_stats::SkippedRows;
use crate::model::{ConfidenceTier, DayStatRow, LineKind, PlayerTier, QualityDay, SystemDay};
use crate::source::DayStatsQuery;
use anyhow::{Result, anyhow};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

/// How to read the range's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// A narrow range: seek through the date index.
    Index,
    /// Most of the table: read it in order, filtering dates (SQLite keeps no
    /// statistics here to make that choice itself).
    Table,
    /// Every stored date is in the range: read it all, no date filter.
    Everything,
}

/// The first and last stored `game_date` of the predictions, as stored (two
/// index seeks). Only values shaped like dates count: a stray `banana` sorts
/// after every date and must not hide them.
pub(super) fn stored_prediction_dates(
    connection: &Connection,
    not_after: NaiveDate,
) -> rusqlite::Result<(Option<String>, Option<String>)> {
    connection.query_row(
        "SELECT (SELECT MIN(game_date) FROM prediction_accuracy
                 WHERE game_date >= '0000-01-01' AND game_date < ?1),
                (SELECT MAX(game_date) FROM prediction_accuracy
                 WHERE game_date >= '0000-01-01' AND game_date < ?1)",
        [super::valid_dates::past(not_after)],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// [`stored_prediction_dates`] as dates; an unreadable bound falls back to
/// the query's.
fn prediction_dates(
    connection: &Connection,
    query: &DayStatsQuery,
) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (Some(first), Some(last)) = stored_prediction_dates(connection, query.to)? else {
        return Ok(None);
    };
    let parse = |text: &str, fallback: NaiveDate| {
        NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").unwrap_or(fallback)
    };
    Ok(Some((parse(&first, query.from), parse(&last, query.to))))
}

impl Scan {
    fn choose(bounds: Option<(NaiveDate, NaiveDate)>, query: &DayStatsQuery) -> Scan {
        let Some((first, last)) = bounds else {
            return Scan::Index;
        };
        if query.from <= first && last <= query.to {
            return Scan::Everything;
        }
        let span = (last - first).num_days() + 1;
        let overlap = (last.min(query.to) - first.max(query.from)).num_days() + 1;
        if overlap * 2 >= span {
            Scan::Table
        } else {
            Scan::Index
        }
    }

    /// The pass's SQL for one chunk of stored dates (`:lo <= game_date <
    /// :hi`; the last chunk ends past every value of its last date, so a
    /// malformed `2026-04-12 ` is read, and skipped by name); with the covering index (every store since it
    /// was added, when first opened for writing) the read goes through it.
    fn sql(self, covering: bool) -> String {
        let scan = match self {
            _ if covering => "INDEXED BY prediction_accuracy_day_pass",
            Scan::Index => "",
            Scan::Table | Scan::Everything => "NOT INDEXED",
        };
        ROWS_SQL
            .replace("{scan}", scan)
            .replace("{dates}", "game_date >= :lo AND game_date < :hi")
    }

    /// The stored values the scan reads, as text: the range's dates, or for
    /// every stored date anything shaped like one up to the range's end
    /// (stray values outside are named by `valid_dates::unread_dates`).
    fn bounds(self, range: &DayStatsQuery) -> (String, String) {
        match self {
            Scan::Everything => (
                "0000-01-01".to_string(),
                super::columns::date_text(range.to),
            ),
            Scan::Index | Scan::Table => (
                super::columns::date_text(range.from),
                super::columns::date_text(range.to),
            ),
        }
    }
}

/// What one refresh reads from the store, before any window is computed.
pub struct Sums {
    pub day_stats: Vec<DayStatRow>,
    pub system_days: Vec<SystemDay>,
    pub quality: Vec<QualityDay>,
    /// Rows of either table left out for a value that does not read or is out of range.
    pub skipped: SkippedRows,
}

/// Per-day cells of the range, sorted by date, system, player tier,
/// confidence tier and line kind (by their stored names); every system's day
/// counts (all rows, graded or not), sorted by date and system; and the
/// data-quality days, by date.
pub fn day_sums(connection: &Connection, query: &DayStatsQuery) -> Result<Sums> {
    if query.from > query.to {
        return Ok(Sums {
            day_stats: Vec::new(),
            system_days: Vec::new(),
            quality: Vec::new(),
            skipped: SkippedRows::default(),
        });
    }
    let mut skipped = SkippedRows::default();
    let (scoring, quality) = player_pass::player_games(connection, query, &mut skipped)?;
    // Cells are kept for the dates that have predictions only: a range reaching
    // back to 1900 costs nothing.
    let bounds = prediction_dates(connection, query)?;
    let range = match bounds {
        Some((first, last)) => DayStatsQuery {
            from: query.from.max(first),
            to: query.to.min(last),
            ..query.clone()
        },
        None => query.clone(),
    };
    if bounds.is_none() || range.from > range.to {
        return Ok(Sums {
            day_stats: Vec::new(),
            system_days: Vec::new(),
            quality,
            skipped,
        });
    }
    let day_count = usize::try_from((range.to - range.from).num_days() + 1).unwrap_or(0);

    let systems = query
        .systems
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    let scan = Scan::choose(bounds, query);
    let covering = cores::has_index(connection, "prediction_accuracy_day_pass")?;
    let (lo, to) = scan.bounds(&range);
    let chunks = cores::chunks(covering, &lo, &to, range.from, range.to);
    let frame = Frame {
        query,
        scoring: &scoring,
        first_day: range.from.num_days_from_ce(),
        day_count,
        systems,
        sql: scan.sql(covering),
    };
    let tally = day_pass::tally(connection, &chunks, &frame)?;
    skipped.merge(tally.skipped.in_order());
    let (day_stats, system_days) = collect(tally.systems, range.from, day_count)?;
    Ok(Sums {
        day_stats,
        system_days,
        quality,
        skipped,
    })
}

/// The non-empty cells and system days, in the order of the stored names.
fn collect(
    mut sums: Vec<SystemSums>,
    from: NaiveDate,
    day_count: usize,
) -> Result<(Vec<DayStatRow>, Vec<SystemDay>)> {
    sums.sort_by(|a, b| a.name.cmp(&b.name));
    let mut slots: Vec<(PlayerTier, ConfidenceTier, LineKind)> = Vec::with_capacity(CELLS_PER_DAY);
    for tier in PlayerTier::ALL {
        for confidence in ConfidenceTier::ALL {
            for kind in LineKind::ALL {
                slots.push((tier, confidence, kind));
            }
        }
    }
    // Within a day and system, cells come in the order of their names.
    slots.sort_by_key(|(tier, confidence, kind)| {
        (tier.as_str(), confidence.as_str(), kind.as_str())
    });
    let names = sums
        .iter()
        .map(|s| String::from_utf8(s.name.clone()).map_err(|_| anyhow!("a system_id is not UTF-8")))
        .collect::<Result<Vec<_>>>()?;
    let mut cells = Vec::new();
    let mut system_days = Vec::new();
    for offset in 0..day_count {
        let game_date = from + chrono::Days::new(offset as u64);
        for (totals, name) in sums.iter().zip(&names) {
            if totals.predictions[offset] > 0 {
                system_days.push(SystemDay {
                    game_date,
                    system_id: name.clone(),
                    predictions_made: totals.predictions[offset],
                    voided_rows: totals.voided[offset],
                    feature_quality_rows: totals.quality_rows[offset],
                    sum_feature_quality: totals.quality_sum[offset].value(),
                    duplicate_rows: totals.duplicates[offset],
                    unknown_line_sources: totals
                        .unknown_sources
                        .range((offset, Vec::new())..(offset + 1, Vec::new()))
                        .map(|((_, value), count)| {
                            (String::from_utf8_lossy(value).into_owned(), *count)
                        })
                        .collect(),
                });
            }
            for &(player_tier, confidence_tier, line_kind) in &slots {
                let sums = totals.cells
                    [offset * CELLS_PER_DAY + cell_slot(player_tier, confidence_tier, line_kind)];
                if sums.rows > 0 {
                    let cell = sums.cell();
                    cells.push(DayStatRow {
                        game_date,
                        system_id: name.clone(),
                        player_tier,
                        confidence_tier,
                        line_kind,
                        cell,
                    });
                }
            }
        }
    }
    Ok((cells, system_days))
}
