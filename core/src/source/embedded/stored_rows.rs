//! The two passes' SQL, the stored column behind each of their result
//! columns (for reports), and the decoding of one result row: every column a
//! row contributes is read before anything counts, so a row counts whole or
//! is skipped whole.

use super::cells::{BadCell, CellResult, Days, bytes, integer, number};
use crate::source::domains;
use crate::source::tables::TableKind;
use rusqlite::Row;

/// `value` of result column `index` (stored column `column` of `table`)
/// when within the contract's domain; else the row is bad (metrics.md's
/// stored values are checked when read, as when imported).
fn within(
    table: TableKind,
    index: usize,
    column: &str,
    value: Option<f64>,
) -> CellResult<Option<f64>> {
    match value.and_then(|number| Some((number, domains::stored_outside(table, column, number)?))) {
        None => Ok(value),
        Some((number, problem)) => Err(BadCell {
            index,
            value: shown_number(number),
            problem,
        }),
    }
}

/// A number as a report shows it (`1e308`, not 309 digits).
fn shown_number(value: f64) -> String {
    let text = value.to_string();
    if text.len() > 24 {
        format!("{value:e}")
    } else {
        text
    }
}

fn prediction(index: usize, column: &str, value: Option<f64>) -> CellResult<Option<f64>> {
    within(TableKind::PredictionAccuracy, index, column, value)
}

fn player_game(index: usize, column: &str, value: Option<f64>) -> CellResult<Option<f64>> {
    within(TableKind::PlayerGameSummary, index, column, value)
}

/// Every row of the range with the per-row facts the cells need, and whether
/// it is graded (section 1); nothing is grouped here. The rows of one bet
/// come together (the covering index's order), so the pass keeps one of
/// them as it reads (`one_bet.rs`).
pub const ROWS_SQL: &str = "
SELECT game_date, system_id, player_lookup,
       predicted_points, actual_points, line_value,
       line_source,
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
       feature_quality_score,
       CASE WHEN is_voided = 1 THEN 1 ELSE 0 END,
       rowid,
       has_prop_line,
       game_id,
       graded_at,
       CASE WHEN COALESCE(is_superseded_prediction, 0) = 0 THEN 0 ELSE 1 END,
       recommendation
FROM prediction_accuracy {scan}
WHERE {dates}
  AND (:systems IS NULL OR system_id IN (SELECT value FROM json_each(:systems)))
ORDER BY game_date, system_id, player_lookup, game_id";

/// `ROWS_SQL`'s columns by the stored column each reads (for reports).
pub const ROW_COLUMNS: [&str; 19] = [
    "game_date",
    "system_id",
    "player_lookup",
    "predicted_points",
    "actual_points",
    "line_value",
    "line_source",
    "confidence_decile",
    "recommendation",
    "prediction_correct",
    "is_voided",
    "feature_quality_score",
    "is_voided",
    "rowid",
    "has_prop_line",
    "game_id",
    "graded_at",
    "is_superseded_prediction",
    "recommendation",
];

/// `PLAYER_GAMES_SQL`'s columns.
pub const PLAYER_GAME_COLUMNS: [&str; 9] = [
    "player_lookup",
    "game_date",
    "points",
    "minutes_played",
    "has_complete_shot_zones",
    "paint_attempts",
    "mid_range_attempts",
    "three_attempts_pbp",
    "rowid",
];

/// The player-games of one chunk of the dates from the lookback before the
/// range to its end (`:lo <= game_date < :hi`): the scoring
/// behind player tiers (grouped per player and ordered in Rust: cheaper than
/// SQLite's sorter) and, within the range, the data-quality days.
pub const PLAYER_GAMES_SQL: &str = "
SELECT player_lookup, game_date, points, minutes_played, has_complete_shot_zones,
       paint_attempts, mid_range_attempts, three_attempts_pbp, rowid
FROM player_game_summary
WHERE game_date >= :lo AND game_date < :hi";

/// A flag column read as SQL's `= 1` reads it.
fn is_one(value: Option<f64>) -> bool {
    value == Some(1.0)
}

/// The columns of a player-game every row needs.
pub struct PlayerGame<'r> {
    pub player: &'r [u8],
    pub day: i32,
    pub points: Option<f64>,
    pub minutes: Option<f64>,
}

pub fn read_player_game<'r>(row: &'r Row<'_>, days: &mut Days) -> CellResult<PlayerGame<'r>> {
    Ok(PlayerGame {
        day: days.read(row, 1)?,
        points: player_game(2, "points", number(row, 2)?)?,
        minutes: player_game(3, "minutes_played", number(row, 3)?)?,
        player: bytes(row, 0)?,
    })
}

/// `None` without complete shot zones; else the paint, total and three
/// attempts when all three are present and add up without overflow.
pub type Zones = Option<Option<(i64, i64, i64)>>;

pub fn read_zones(row: &Row<'_>) -> CellResult<Zones> {
    // Every stored value is checked, used or not: a bad row is skipped whole.
    let complete = is_one(number(row, 4)?);
    let count = |index: usize, column: &str| -> CellResult<Option<i64>> {
        let value = integer(row, index)?;
        player_game(index, column, value.map(|v| v as f64))?;
        Ok(value)
    };
    let paint = count(5, "paint_attempts")?;
    let mid = count(6, "mid_range_attempts")?;
    let three = count(7, "three_attempts_pbp")?;
    if !complete {
        return Ok(None);
    }
    Ok(Some(paint.zip(mid).zip(three).and_then(
        |((paint, mid), three)| Some((paint, paint.checked_add(mid)?.checked_add(three)?, three)),
    )))
}

/// One stored prediction, owned so that it can wait while the next row of
/// the same bet is read (the buffers are reused from row to row).
#[derive(Debug, Default, Clone)]
pub struct StoredBet {
    pub day: i32,
    pub system: Vec<u8>,
    pub player: Vec<u8>,
    pub game: Vec<u8>,
    pub voided: bool,
    pub feature_quality: Option<f64>,
    /// `line_source` as stored (none when null).
    pub line_source: Option<Vec<u8>>,
    pub has_prop_line: bool,
    pub predicted: Option<f64>,
    pub actual: Option<f64>,
    pub line: Option<f64>,
    pub decile: Option<i64>,
    pub bet: bool,
    pub correct: Option<bool>,
    /// Passes section 1's filters (not voided, not superseded, both points).
    pub graded: bool,
    pub superseded: bool,
    pub graded_at: Option<Vec<u8>>,
    pub recommendation: Option<Vec<u8>>,
}

/// Copies a text column into `into` (reusing its buffer); a number is kept
/// as its text, so a key written by another tool still reads.
fn text_into(row: &Row<'_>, index: usize, into: &mut Option<Vec<u8>>) -> CellResult<()> {
    use rusqlite::types::ValueRef;
    let value = row.get_ref(index).map_err(|error| super::cells::BadCell {
        index,
        value: String::new(),
        problem: error.to_string(),
    })?;
    let mut fill = |bytes: &[u8]| {
        let buffer = into.get_or_insert_with(Vec::new);
        buffer.clear();
        buffer.extend_from_slice(bytes);
    };
    match value {
        ValueRef::Null => *into = None,
        ValueRef::Text(text) | ValueRef::Blob(text) => fill(text),
        ValueRef::Integer(number) => fill(number.to_string().as_bytes()),
        ValueRef::Real(number) => fill(number.to_string().as_bytes()),
    }
    Ok(())
}

fn key_into(row: &Row<'_>, index: usize, into: &mut Vec<u8>) -> CellResult<()> {
    let mut holder = Some(std::mem::take(into));
    text_into(row, index, &mut holder)?;
    *into = holder.unwrap_or_default();
    Ok(())
}

/// Reads every column the row contributes into `bet` before anything is
/// counted, so a row either counts whole or is skipped whole.
pub fn read_bet(row: &Row<'_>, days: &mut Days, bet: &mut StoredBet) -> CellResult<()> {
    bet.day = days.read(row, 0)?;
    // Every stored value is checked on every row, used or not (a voided row
    // with a predicted_points of 'four' is as bad as a graded one): the row
    // is skipped whole, so the figures are those of the store without it.
    let system = bytes(row, 1)?;
    let player = bytes(row, 2)?;
    bet.predicted = prediction(3, "predicted_points", number(row, 3)?)?;
    bet.actual = prediction(4, "actual_points", number(row, 4)?)?;
    bet.line = prediction(5, "line_value", number(row, 5)?)?;
    bet.decile = integer(row, 7)?;
    prediction(7, "confidence_decile", bet.decile.map(|d| d as f64))?;
    bet.bet = integer(row, 8)? == Some(1);
    bet.correct = integer(row, 9)?.map(|correct| correct != 0);
    bet.graded = integer(row, 10)? == Some(1) && bet.predicted.is_some() && bet.actual.is_some();
    // NaN and infinities are missing (as the BigQuery query reads them).
    let quality = number(row, 11)?.filter(|quality| quality.is_finite());
    bet.feature_quality = prediction(11, "feature_quality_score", quality)?;
    bet.voided = integer(row, 12)? == Some(1);
    bet.has_prop_line = is_one(number(row, 14)?);
    bet.superseded = integer(row, 17)? == Some(1);
    text_into(row, 6, &mut bet.line_source)?;
    text_into(row, 16, &mut bet.graded_at)?;
    text_into(row, 18, &mut bet.recommendation)?;
    key_into(row, 15, &mut bet.game)?;
    bet.system.clear();
    bet.system.extend_from_slice(system);
    bet.player.clear();
    bet.player.extend_from_slice(player);
    Ok(())
}
