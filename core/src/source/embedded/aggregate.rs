//! The embedded store's day stats: one streaming pass over the range's
//! predictions, summed into per-day cells in Rust, with each graded row's
//! player tier from a per-player prefix sum of prior scoring (metrics.md
//! section 1: the games with enough minutes in the lookback days before the
//! game, never the day itself), and one pass over the player-games for those
//! tiers and the data-quality days. Same definitions as the BigQuery source's
//! grouped query; it exists because SQLite's GROUP BY sorter was the
//! bottleneck at a million rows.

use super::cells::{Days, skipped_row};
use super::fnv::FnvMap;
use super::stored_rows::{
    PLAYER_GAME_COLUMNS, PLAYER_GAMES_SQL, ROW_COLUMNS, ROWS_SQL, read_player_game,
    read_prediction, read_zones,
};
use super::sum::Sum;
use crate::model::day_stats::SkippedRows;
use crate::model::{
    ConfidenceTier, DayStatRow, LineKind, PlayerTier, QualityDay, StatCell, SystemDay,
};
use crate::source::DayStatsQuery;
use anyhow::{Result, anyhow};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, named_params};

/// Each player's scoring history, by `player_lookup`.
type PlayerScoring = FnvMap<Vec<u8>, Scoring>;

/// One player's qualifying games: day numbers and a running sum of points.
struct Scoring {
    days: Vec<i32>,
    /// `sums[i]` = points of the first `i` games.
    sums: Vec<f64>,
    /// The last day asked for and its answer (a player's rows of one day
    /// often come together, one per system).
    memo: Option<(i32, Option<f64>)>,
}

impl Scoring {
    fn new(mut games: Vec<(i32, f64)>) -> Scoring {
        games.sort_by_key(|(day, _)| *day);
        let mut sums = Vec::with_capacity(games.len() + 1);
        let mut total = 0.0;
        sums.push(total);
        for (_, points) in &games {
            total += points;
            sums.push(total);
        }
        Scoring {
            days: games.into_iter().map(|(day, _)| day).collect(),
            sums,
            memo: None,
        }
    }

    /// [`Scoring::prior_mean`], remembering the last answer.
    fn prior_mean_memo(&mut self, day: i32, lookback: i32) -> Option<f64> {
        match self.memo {
            Some((seen, mean)) if seen == day => mean,
            _ => {
                let mean = self.prior_mean(day, lookback);
                self.memo = Some((day, mean));
                mean
            }
        }
    }

    /// Mean points over the games on days `[day - lookback, day - 1]`.
    fn prior_mean(&self, day: i32, lookback: i32) -> Option<f64> {
        let lo = self.days.partition_point(|&d| d < day - lookback);
        let hi = self.days.partition_point(|&d| d < day);
        (hi > lo).then(|| (self.sums[hi] - self.sums[lo]) / (hi - lo) as f64)
    }
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

/// Cells of one day: player tier x confidence tier x line kind.
const CELLS_PER_DAY: usize = 5 * 4 * 2;

fn cell_slot(tier: PlayerTier, confidence: ConfidenceTier, kind: LineKind) -> usize {
    let tier = PlayerTier::ALL.iter().position(|t| *t == tier).unwrap_or(0);
    let confidence = ConfidenceTier::ALL
        .iter()
        .position(|c| *c == confidence)
        .unwrap_or(0);
    let kind = usize::from(kind == LineKind::Estimated);
    (tier * 4 + confidence) * 2 + kind
}

/// One cell's counts and compensated sums.
#[derive(Debug, Clone, Copy, Default)]
struct CellSums {
    rows: u64,
    lined_rows: u64,
    beats: u64,
    bets: u64,
    hits: u64,
    abs_error: Sum,
    signed_error: Sum,
    line_abs_error: Sum,
    abs_error_lined: Sum,
}

impl CellSums {
    fn cell(&self) -> StatCell {
        StatCell {
            rows: self.rows,
            sum_abs_error: self.abs_error.value(),
            sum_signed_error: self.signed_error.value(),
            lined_rows: self.lined_rows,
            sum_line_abs_error: self.line_abs_error.value(),
            sum_abs_error_lined: self.abs_error_lined.value(),
            beats: self.beats,
            bets: self.bets,
            hits: self.hits,
        }
    }
}

/// One system's sums over the range, dense by day offset.
struct SystemSums {
    name: Vec<u8>,
    cells: Vec<CellSums>,
    predictions: Vec<u64>,
    voided: Vec<u64>,
    quality_rows: Vec<u64>,
    quality_sum: Vec<Sum>,
}

impl SystemSums {
    fn new(name: &[u8], days: usize) -> SystemSums {
        SystemSums {
            name: name.to_vec(),
            cells: vec![CellSums::default(); days * CELLS_PER_DAY],
            predictions: vec![0; days],
            voided: vec![0; days],
            quality_rows: vec![0; days],
            quality_sum: vec![Sum::default(); days],
        }
    }
}

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

/// The first and last `game_date` of the predictions (two index seeks). Only
/// values shaped like dates count: a stray `banana` sorts after every date
/// and must not hide them. An unreadable bound falls back to the query's.
fn prediction_dates(
    connection: &Connection,
    query: &DayStatsQuery,
) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (first, last): (Option<String>, Option<String>) = connection.query_row(
        "SELECT (SELECT MIN(game_date) FROM prediction_accuracy
                 WHERE game_date >= '0000-01-01' AND game_date <= '9999-12-31'),
                (SELECT MAX(game_date) FROM prediction_accuracy
                 WHERE game_date >= '0000-01-01' AND game_date <= '9999-12-31')",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(None);
    };
    let parse = |text: &str, fallback: NaiveDate| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(fallback)
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

    /// The pass's SQL; with the covering index (every store since it was
    /// added, when first opened for writing) the read goes through it.
    fn sql(self, covering: bool) -> String {
        let (scan, dates) = match self {
            Scan::Index => ("", "game_date BETWEEN :from AND :to"),
            Scan::Table => ("NOT INDEXED", "game_date BETWEEN :from AND :to"),
            // Stray values outside the date range are read by `stray_dates`.
            Scan::Everything => (
                "NOT INDEXED",
                "game_date >= '0000-01-01' AND game_date <= '9999-12-31'",
            ),
        };
        let scan = if covering {
            "INDEXED BY prediction_accuracy_day_stats"
        } else {
            scan
        };
        ROWS_SQL.replace("{scan}", scan).replace("{dates}", dates)
    }
}

/// Each player's qualifying games before and within the range (metrics.md
/// section 1), and the range's data-quality days (section 6: player-games with
/// minutes; complete shot zones; the paint and three shares of rated rows).
fn player_games(
    connection: &Connection,
    query: &DayStatsQuery,
    days: &mut Days,
    skipped: &mut SkippedRows,
) -> Result<(PlayerScoring, Vec<QualityDay>)> {
    let since = query
        .from
        .checked_sub_days(chrono::Days::new(u64::from(query.tier_lookback_days)))
        .unwrap_or(NaiveDate::MIN);
    let first_day = query.from.num_days_from_ce();
    // Only the days that have player-games: sparse, whatever the range.
    let mut quality: std::collections::BTreeMap<i32, QualityDay> = Default::default();
    let mut games: FnvMap<Vec<u8>, Vec<(i32, f64)>> = FnvMap::default();
    let mut statement = connection.prepare_cached(PLAYER_GAMES_SQL)?;
    let mut rows = statement.query(named_params! {
        ":since": super::columns::date_text(since), ":to": super::columns::date_text(query.to),
    })?;
    while let Some(row) = rows.next()? {
        let read = read_player_game(row, days).and_then(|game| {
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
                skipped.note(skipped_row(
                    "player_game_summary",
                    &PLAYER_GAME_COLUMNS,
                    row,
                    &[("rowid", 8), ("player_lookup", 0), ("game_date", 1)],
                    bad,
                ));
                continue;
            }
        };
        if let Some(zones) = zones {
            let day_quality = quality.entry(game.day).or_insert_with(|| QualityDay {
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
        match games.get_mut(game.player) {
            Some(list) => list.push((game.day, points)),
            None => {
                games.insert(game.player.to_vec(), vec![(game.day, points)]);
            }
        }
    }
    let scoring = games
        .into_iter()
        .map(|(player, list)| (player, Scoring::new(list)))
        .collect();
    Ok((scoring, quality.into_values().collect()))
}

/// What one refresh reads from the store, before any window is computed.
pub struct Sums {
    pub day_stats: Vec<DayStatRow>,
    pub system_days: Vec<SystemDay>,
    pub quality: Vec<QualityDay>,
    /// Rows of either table left out because a column does not read.
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
    let lookback = i32::try_from(query.tier_lookback_days).unwrap_or(i32::MAX / 2);
    let mut days = Days::default();
    let mut skipped = SkippedRows::default();
    let (mut scoring, quality) = player_games(connection, query, &mut days, &mut skipped)?;
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
    let first_day = range.from.num_days_from_ce();
    let day_count = usize::try_from((range.to - range.from).num_days() + 1).unwrap_or(0);

    let systems = query
        .systems
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    let mut sums: Vec<SystemSums> = Vec::new();
    let mut last_system = 0usize;
    let scan = Scan::choose(bounds, query);
    let covering: bool = connection
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master
             WHERE type = 'index' AND name = 'prediction_accuracy_day_stats')",
        )?
        .query_row([], |row| row.get(0))?;
    let mut statement = connection.prepare_cached(&scan.sql(covering))?;
    let mut rows = if scan == Scan::Everything {
        statement.query(named_params! { ":systems": systems, ":edge": query.edge_threshold })?
    } else {
        statement.query(named_params! {
            ":from": super::columns::date_text(range.from), ":to": super::columns::date_text(range.to),
            ":systems": systems, ":edge": query.edge_threshold,
        })?
    };
    while let Some(row) = rows.next()? {
        let prediction = match read_prediction(row, &mut days) {
            Ok(prediction) => prediction,
            Err(bad) => {
                skipped.note(skipped_row(
                    "prediction_accuracy",
                    &ROW_COLUMNS,
                    row,
                    &[("rowid", 13), ("player_lookup", 2), ("system_id", 1)],
                    bad,
                ));
                continue;
            }
        };
        let day = prediction.day;
        let Some(offset) = usize::try_from(day - first_day)
            .ok()
            .filter(|o| *o < day_count)
        else {
            continue;
        };
        let system = prediction.system;
        // Rows of one system tend to come together: try the last one first.
        if sums.get(last_system).is_none_or(|s| s.name != system) {
            last_system = match sums.iter().position(|s| s.name == system) {
                Some(index) => index,
                None => {
                    sums.push(SystemSums::new(system, day_count));
                    sums.len() - 1
                }
            };
        }
        let Some(totals) = sums.get_mut(last_system) else {
            continue;
        };
        totals.predictions[offset] += 1;
        if prediction.voided {
            totals.voided[offset] += 1;
        }
        // NaN and infinities are missing, as the BigQuery query reads them.
        if let Some(quality) = prediction.feature_quality.filter(|q| q.is_finite()) {
            totals.quality_rows[offset] += 1;
            totals.quality_sum[offset].add(quality);
        }
        let Some(graded) = prediction.graded else {
            continue;
        };
        let prior = scoring
            .get_mut(graded.player)
            .and_then(|history| history.prior_mean_memo(day, lookback));
        let kind = if graded.actual_line {
            LineKind::Actual
        } else {
            LineKind::Estimated
        };
        let slot = cell_slot(
            player_tier(prior, query),
            confidence_tier(graded.decile),
            kind,
        );
        let cell = &mut totals.cells[offset * CELLS_PER_DAY + slot];
        let error = (graded.predicted - graded.actual).abs();
        cell.rows += 1;
        cell.abs_error.add(error);
        cell.signed_error.add(graded.predicted - graded.actual);
        if let Some(line) = graded.line {
            let line_error = (line - graded.actual).abs();
            cell.lined_rows += 1;
            cell.line_abs_error.add(line_error);
            cell.abs_error_lined.add(error);
            if tenths(error) < tenths(line_error) {
                cell.beats += 1;
            }
        }
        if graded.bet {
            cell.bets += 1;
            if graded.correct {
                cell.hits += 1;
            }
        }
    }
    drop(rows);
    let (day_stats, system_days) = collect(sums, range.from, day_count)?;
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
            for kind in [LineKind::Actual, LineKind::Estimated] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_mean_covers_the_lookback_days_before_the_game_only() {
        let mut history = Scoring::new(vec![(190, 40.0), (100, 10.0), (110, 20.0), (189, 30.0)]);
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
        assert_eq!(history.prior_mean_memo(200, 90), Some(30.0));
        assert_eq!(history.prior_mean_memo(200, 90), Some(30.0));
        assert_eq!(history.prior_mean_memo(100, 90), None);
    }

    #[test]
    fn tiers_slots_and_rounding_follow_the_definitions() {
        assert_eq!(confidence_tier(Some(8)), ConfidenceTier::Tier1);
        assert_eq!(confidence_tier(Some(5)), ConfidenceTier::Tier2);
        assert_eq!(confidence_tier(Some(4)), ConfidenceTier::Tier3);
        assert_eq!(confidence_tier(Some(0)), ConfidenceTier::None);
        assert_eq!(confidence_tier(None), ConfidenceTier::None);
        assert_eq!(tenths(2.25), 23);
        assert_eq!(tenths(0.049_999), 0);
        let mut seen = std::collections::HashSet::new();
        for tier in PlayerTier::ALL {
            for confidence in ConfidenceTier::ALL {
                for kind in [LineKind::Actual, LineKind::Estimated] {
                    let slot = cell_slot(tier, confidence, kind);
                    assert!(slot < CELLS_PER_DAY && seen.insert(slot));
                }
            }
        }
    }
}
