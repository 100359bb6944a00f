//! The two passes' SQL, the stored column behind each of their result
//! columns (for reports), and the decoding of one result row: every column a
//! row contributes is read before anything counts, so a row counts whole or
//! is skipped whole.

use super::cells::{CellResult, Days, bytes, integer, number};
use rusqlite::Row;

/// Every row of the range with the per-row facts the cells need, and whether
/// it is graded (section 1); nothing is grouped here.
pub const ROWS_SQL: &str = "
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
       feature_quality_score,
       CASE WHEN is_voided = 1 THEN 1 ELSE 0 END,
       rowid
FROM prediction_accuracy {scan}
WHERE {dates}
  AND (:systems IS NULL OR system_id IN (SELECT value FROM json_each(:systems)))";

/// `ROWS_SQL`'s columns by the stored column each reads (for reports).
pub const ROW_COLUMNS: [&str; 14] = [
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
/// range to its end (`:lo <= game_date < :hi`, and `<= :to`): the scoring
/// behind player tiers (grouped per player and ordered in Rust: cheaper than
/// SQLite's sorter) and, within the range, the data-quality days.
pub const PLAYER_GAMES_SQL: &str = "
SELECT player_lookup, game_date, points, minutes_played, has_complete_shot_zones,
       paint_attempts, mid_range_attempts, three_attempts_pbp, rowid
FROM player_game_summary
WHERE game_date >= :lo AND game_date < :hi AND game_date <= :to";

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
        points: number(row, 2)?,
        minutes: number(row, 3)?,
        player: bytes(row, 0)?,
    })
}

/// `None` without complete shot zones; else the paint, total and three
/// attempts when all three are present and add up without overflow.
pub type Zones = Option<Option<(i64, i64, i64)>>;

pub fn read_zones(row: &Row<'_>) -> CellResult<Zones> {
    // Every stored value is checked, used or not: a bad row is skipped whole.
    let complete = is_one(number(row, 4)?);
    let paint = integer(row, 5)?;
    let mid = integer(row, 6)?;
    let three = integer(row, 7)?;
    if !complete {
        return Ok(None);
    }
    Ok(Some(paint.zip(mid).zip(three).and_then(
        |((paint, mid), three)| Some((paint, paint.checked_add(mid)?.checked_add(three)?, three)),
    )))
}

/// The columns of a prediction every row needs.
pub struct Prediction<'r> {
    pub day: i32,
    pub system: &'r [u8],
    pub voided: bool,
    pub feature_quality: Option<f64>,
    /// Present on graded rows (section 1) with both points.
    pub graded: Option<Graded<'r>>,
}

/// The columns of a graded prediction.
pub struct Graded<'r> {
    pub player: &'r [u8],
    pub predicted: f64,
    pub actual: f64,
    pub line: Option<f64>,
    pub actual_line: bool,
    pub decile: Option<i64>,
    pub bet: bool,
    pub correct: bool,
}

/// Reads every column the row contributes before anything is counted, so a
/// row either counts whole or is skipped whole.
pub fn read_prediction<'r>(row: &'r Row<'_>, days: &mut Days) -> CellResult<Prediction<'r>> {
    let day = days.read(row, 0)?;
    let system = bytes(row, 1)?;
    let voided = integer(row, 12)? == Some(1);
    let feature_quality = number(row, 11)?;
    // Every stored value is checked on every row, used or not (a voided row
    // with a predicted_points of 'four' is as bad as a graded one): the row
    // is skipped whole, so the figures are those of the store without it.
    let player = bytes(row, 2)?;
    let predicted = number(row, 3)?;
    let actual = number(row, 4)?;
    let line = number(row, 5)?;
    let decile = integer(row, 7)?;
    let correct = integer(row, 9)?;
    let graded = match (integer(row, 10)? == Some(1), predicted, actual) {
        (true, Some(predicted), Some(actual)) => Some(Graded {
            player,
            predicted,
            actual,
            line,
            actual_line: integer(row, 6)? == Some(1),
            decile,
            bet: integer(row, 8)? == Some(1),
            correct: correct.is_some_and(|correct| correct != 0),
        }),
        _ => None,
    };
    Ok(Prediction {
        day,
        system,
        voided,
        feature_quality,
        graded,
    })
}
