//! One bet per (player_lookup, game_id, system_id) (metrics.md section 1,
//! Rev. 3): the team's grader kept a row per line value a prediction had
//! during the day, so a bet can have 2-3 rows. Every figure counts the row
//! chosen here, on both sources: the row not marked superseded, then the
//! latest `graded_at`, then the greatest `line_value` (the team's own fix:
//! the latest line wins), then the other columns in a fixed order so that
//! the choice never depends on how rows are stored. The rows left out that
//! are not superseded (a re-prediction's old row is left out by section 1
//! anyway) are `duplicate_rows`.

/// The columns that make one bet. `game_date` is part of it: a game's rows
/// share its date (game ids begin with it), and the kept sums are per date.
pub const PARTITION: &str = "system_id, player_lookup, game_id, game_date";

/// The order that puts the chosen row first, in the dialect SQLite and
/// GoogleSQL share (both put NULLs last in a descending order and first in
/// an ascending one, as the embedded pass's comparison does).
pub const ORDER: &str = "COALESCE(is_superseded_prediction, FALSE), graded_at DESC, \
     line_value DESC, predicted_points DESC, actual_points DESC, recommendation DESC, \
     prediction_correct DESC, confidence_decile DESC, COALESCE(is_voided, FALSE), \
     line_source DESC, feature_quality_score DESC";

/// `ROW_NUMBER()` over a bet's rows: 1 for the row that counts.
pub fn copy_number() -> String {
    format!("ROW_NUMBER() OVER (PARTITION BY {PARTITION} ORDER BY {ORDER})")
}
