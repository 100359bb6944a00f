//! The day-stats statements of the BigQuery source: the graded rows'
//! cells, system days, unlisted line sources and the rows left out (a
//! number outside its domain, a date after the limit) in one query over the
//! predictions, and the data-quality days over the player-games. Written as
//! templates; the table names, the one-bet ordering and the domain checks
//! (constants, never user input) are filled in once.

use crate::source::domains;
use crate::source::tables::TableKind;

/// The columns every part of the day-stats answer has, in order.
const COLUMNS: &str = "kind, game_date, system_id, player_tier, confidence_tier, line_kind, \
     line_source, n_rows, sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error, \
     sum_abs_error_lined, beats, bets, hits, feature_quality_rows, sum_feature_quality, \
     voided_rows, duplicate_rows";

/// The parts of the day-stats answer (its CTEs), in the order they are joined.
const PARTS: [&str; 5] = ["cells", "system_days", "unlisted", "skipped", "future"];

/// A part without cell sums (system days, unlisted sources, rows left out).
const NO_CELL_SUMS: &str = "CAST(NULL AS FLOAT64) AS sum_abs_error, \
     CAST(NULL AS FLOAT64) AS sum_signed_error, 0 AS lined_rows, \
     CAST(NULL AS FLOAT64) AS sum_line_abs_error, CAST(NULL AS FLOAT64) AS sum_abs_error_lined, \
     0 AS beats, 0 AS bets, 0 AS hits,";

/// A part without system-day counts.
const NO_DAY_COUNTS: &str = "0 AS feature_quality_rows, CAST(0 AS FLOAT64) AS sum_feature_quality, \
     0 AS voided_rows, 0 AS duplicate_rows";

/// The day-stats statement over `pa` (predictions) and `pgs` (player-games),
/// both quoted.
pub(super) fn day_stats(pa: &str, pgs: &str) -> String {
    let union = PARTS
        .iter()
        .map(|part| format!("SELECT {COLUMNS}\nFROM {part}"))
        .collect::<Vec<_>>()
        .join("\nUNION ALL\n");
    DAY_STATS_TEMPLATE
        .replace("{union}", &union)
        .replace("{no_cell_sums}", NO_CELL_SUMS)
        .replace("{no_day_counts}", NO_DAY_COUNTS)
        .replace("{pa}", pa)
        .replace("{pgs}", pgs)
        .replace("{copy_number}", &crate::source::one_bet::copy_number())
        .replace("{prediction_outside}", &prediction_outside())
        .replace("{player_games_within}", &player_games_within("s."))
}

/// The data-quality statement over `pgs` (quoted).
pub(super) fn quality(pgs: &str) -> String {
    QUALITY_TEMPLATE
        .replace("{pgs}", pgs)
        .replace("{player_game_outside}", &player_game_outside())
}

/// Graded rows (metrics.md section 1: one row per bet, the line kind from
/// the configured `line_sources`) grouped by date, system, player tier
/// (prior 90 days, no look-ahead), confidence tier and line kind; the
/// per-system day counts (bets, the rows left out of a bet, voided rows,
/// feature quality); and the unlisted `line_source` values with their
/// counts; in one query over the predictions dataset.
const DAY_STATS_TEMPLATE: &str = "
WITH checked AS (
  SELECT game_date, system_id, player_lookup, game_id, graded_at, predicted_points,
         actual_points, line_value, line_source, has_prop_line, confidence_decile,
         recommendation, prediction_correct, is_voided, is_superseded_prediction,
         -- NaN and infinities are missing, not numbers.
         IF(IS_NAN(feature_quality_score) OR IS_INF(feature_quality_score), NULL,
            feature_quality_score) AS feature_quality_score
  FROM {pa}
  WHERE game_date BETWEEN @from AND @to
    AND (@all_systems OR system_id IN UNNEST(@systems))
),
-- A row holding a number outside its domain is left out whole and named.
judged AS (
  SELECT game_date, system_id, player_lookup, game_id, graded_at, predicted_points,
         actual_points, line_value, line_source, has_prop_line, confidence_decile,
         recommendation, prediction_correct, is_voided, is_superseded_prediction,
         feature_quality_score, {prediction_outside} AS bad_column
  FROM checked
),
ranked AS (
  SELECT game_date, system_id, player_lookup, predicted_points, actual_points, line_value,
         line_source, has_prop_line, confidence_decile, recommendation, prediction_correct,
         is_voided, is_superseded_prediction, feature_quality_score,
         {copy_number} AS copy
  FROM judged
  WHERE bad_column IS NULL
),
chosen AS (
  SELECT game_date, system_id, player_lookup, predicted_points, actual_points, line_value,
         line_source, confidence_decile, recommendation, prediction_correct, is_voided,
         is_superseded_prediction,
         CASE WHEN line_source IN UNNEST(@actual_sources) THEN 'actual'
              WHEN line_source IN UNNEST(@estimated_sources) THEN 'estimated'
              WHEN line_source IN UNNEST(@none_sources) THEN 'none'
              WHEN line_source IS NULL AND IFNULL(has_prop_line, FALSE) THEN 'actual'
              WHEN line_source IS NULL THEN 'estimated'
              ELSE 'unknown' END AS line_kind
  FROM ranked
  WHERE copy = 1
),
graded AS (
  SELECT game_date, system_id, player_lookup,
         predicted_points AS predicted, actual_points AS actual, line_value AS line,
         line_kind,
         CASE WHEN confidence_decile BETWEEN 8 AND 10 THEN 'tier1'
              WHEN confidence_decile BETWEEN 5 AND 7 THEN 'tier2'
              WHEN confidence_decile BETWEEN 1 AND 4 THEN 'tier3'
              ELSE 'none' END AS confidence_tier,
         CASE WHEN recommendation IN ('OVER', 'UNDER')
               AND line_value IS NOT NULL
               AND prediction_correct IS NOT NULL
               AND ABS(CAST(predicted_points AS FLOAT64) - CAST(line_value AS FLOAT64)) >= @edge - 1e-9
              THEN 1 ELSE 0 END AS bet,
         prediction_correct AS correct
  FROM chosen
  WHERE NOT IFNULL(is_voided, FALSE)
    AND NOT IFNULL(is_superseded_prediction, FALSE)
    AND predicted_points IS NOT NULL
    AND actual_points IS NOT NULL
),
player_days AS (
  SELECT DISTINCT player_lookup, game_date FROM graded
),
-- Each player-day's prior scoring average: games with enough minutes in the
-- lookback days before it, never the day itself.
tiers AS (
  SELECT k.player_lookup, k.game_date, AVG(s.points) AS prior_mean
  FROM player_days k
  JOIN {pgs} s
    ON s.player_lookup = k.player_lookup
   AND s.game_date >= DATE_SUB(k.game_date, INTERVAL @lookback_days DAY)
   AND s.game_date < k.game_date
  WHERE s.game_date BETWEEN DATE_SUB(@from, INTERVAL @lookback_days DAY) AND @to
    AND s.minutes_played > @min_minutes
    AND {player_games_within}
  GROUP BY k.player_lookup, k.game_date
),
rated AS (
  SELECT g.game_date, g.system_id, g.predicted, g.actual, g.line, g.line_kind,
         g.confidence_tier, g.bet, g.correct,
         CASE WHEN t.prior_mean IS NULL THEN 'Unknown'
              WHEN t.prior_mean >= @star THEN 'Star'
              WHEN t.prior_mean >= @starter THEN 'Starter'
              WHEN t.prior_mean >= @rotation THEN 'Rotation'
              ELSE 'Bench' END AS player_tier
  FROM graded g
  LEFT JOIN tiers t ON t.player_lookup = g.player_lookup AND t.game_date = g.game_date
),
cells AS (
  SELECT 'cell' AS kind, game_date, system_id, player_tier, confidence_tier, line_kind,
         CAST(NULL AS STRING) AS line_source,
         COUNT(*) AS n_rows,
         CAST(SUM(ABS(predicted - actual)) AS FLOAT64) AS sum_abs_error,
         CAST(SUM(predicted - actual) AS FLOAT64) AS sum_signed_error,
         COUNTIF(line IS NOT NULL) AS lined_rows,
         CAST(IFNULL(SUM(ABS(line - actual)), 0) AS FLOAT64) AS sum_line_abs_error,
         CAST(IFNULL(SUM(IF(line IS NOT NULL, ABS(predicted - actual), NULL)), 0) AS FLOAT64)
           AS sum_abs_error_lined,
         COUNTIF(line IS NOT NULL
                 AND CAST(ROUND(ABS(predicted - actual) * 10) AS INT64)
                   < CAST(ROUND(ABS(line - actual) * 10) AS INT64)) AS beats,
         SUM(bet) AS bets,
         COUNTIF(bet = 1 AND correct) AS hits,
         0 AS feature_quality_rows,
         CAST(0 AS FLOAT64) AS sum_feature_quality,
         0 AS voided_rows,
         0 AS duplicate_rows
  FROM rated
  GROUP BY game_date, system_id, player_tier, confidence_tier, line_kind
),
system_days AS (
  SELECT 'system' AS kind, game_date, system_id,
         CAST(NULL AS STRING) AS player_tier, CAST(NULL AS STRING) AS confidence_tier,
         CAST(NULL AS STRING) AS line_kind, CAST(NULL AS STRING) AS line_source,
         COUNTIF(copy = 1) AS n_rows,
         {no_cell_sums}
         -- NaN and infinities are missing, not numbers.
         COUNTIF(copy = 1 AND NOT IS_NAN(feature_quality_score)
                 AND NOT IS_INF(feature_quality_score)) AS feature_quality_rows,
         CAST(IFNULL(SUM(IF(copy > 1 OR IS_NAN(feature_quality_score)
                              OR IS_INF(feature_quality_score),
                            NULL, feature_quality_score)), 0) AS FLOAT64) AS sum_feature_quality,
         COUNTIF(copy = 1 AND IFNULL(is_voided, FALSE)) AS voided_rows,
         -- A superseded row is a re-prediction's old row, not a duplicate.
         COUNTIF(copy > 1 AND NOT IFNULL(is_superseded_prediction, FALSE)) AS duplicate_rows
  FROM ranked
  GROUP BY game_date, system_id
),
unlisted AS (
  SELECT 'source' AS kind, game_date, system_id,
         CAST(NULL AS STRING) AS player_tier, CAST(NULL AS STRING) AS confidence_tier,
         CAST(NULL AS STRING) AS line_kind, line_source,
         COUNT(*) AS n_rows,
         {no_cell_sums}
         {no_day_counts}
  FROM chosen
  WHERE line_kind = 'unknown'
  GROUP BY game_date, system_id, line_source
),
-- Rows left out, per date, system and column: one named (player, value).
skipped AS (
  SELECT 'skipped' AS kind, game_date, system_id,
         MIN(player_lookup) AS player_tier, bad_column AS confidence_tier,
         CAST(NULL AS STRING) AS line_kind,
         MIN(CASE bad_column
               WHEN 'predicted_points' THEN CAST(predicted_points AS STRING)
               WHEN 'actual_points' THEN CAST(actual_points AS STRING)
               WHEN 'line_value' THEN CAST(line_value AS STRING)
               WHEN 'confidence_decile' THEN CAST(confidence_decile AS STRING)
               ELSE CAST(feature_quality_score AS STRING) END) AS line_source,
         COUNT(*) AS n_rows,
         {no_cell_sums}
         {no_day_counts}
  FROM judged
  WHERE bad_column IS NOT NULL
  GROUP BY game_date, system_id, bad_column
),
-- Rows dated after today plus future_days: never read, named (the
-- partitions after the limit, empty on a healthy table, cost nothing).
future AS (
  SELECT 'future' AS kind, game_date, system_id,
         MIN(player_lookup) AS player_tier, 'game_date' AS confidence_tier,
         CAST(NULL AS STRING) AS line_kind, CAST(game_date AS STRING) AS line_source,
         COUNT(*) AS n_rows,
         {no_cell_sums}
         {no_day_counts}
  FROM {pa}
  WHERE game_date > @not_after
    AND (@all_systems OR system_id IN UNNEST(@systems))
  GROUP BY game_date, system_id
)
{union}
ORDER BY kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source";

/// The first column of a prediction outside its domain, or NULL.
pub(super) fn prediction_outside() -> String {
    domains::sql_first_outside(
        TableKind::PredictionAccuracy,
        &domains::READ_CHECKED_PREDICTIONS,
    )
}

/// The first column of a player-game outside its domain, or NULL.
fn player_game_outside() -> String {
    domains::sql_first_outside(
        TableKind::PlayerGameSummary,
        &domains::READ_CHECKED_PLAYER_GAMES,
    )
}

/// Every checked column of a player-game (columns prefixed `prefix`) within
/// its domain.
fn player_games_within(prefix: &str) -> String {
    let mut all = domains::sql_all_within(
        TableKind::PlayerGameSummary,
        &domains::READ_CHECKED_PLAYER_GAMES,
    );
    for column in domains::READ_CHECKED_PLAYER_GAMES {
        all = all.replace(column, &format!("{prefix}{column}"));
    }
    all
}

/// Data-quality day stats (section 6), over the analytics dataset; the
/// lookback before the range is read for its bad rows only (the player
/// tiers read it), so both sources name the same ones.
const QUALITY_TEMPLATE: &str = "
WITH checked AS (
  SELECT game_date, player_lookup, minutes_played, has_complete_shot_zones,
         paint_attempts, mid_range_attempts, three_attempts_pbp,
         {player_game_outside} AS bad_column,
         CAST(points AS STRING) AS points_text
  FROM {pgs}
  WHERE game_date BETWEEN DATE_SUB(@from, INTERVAL @lookback_days DAY) AND @to
),
counted AS (
  SELECT game_date, player_lookup, minutes_played, has_complete_shot_zones, paint_attempts,
         mid_range_attempts, three_attempts_pbp, bad_column, points_text,
         bad_column IS NULL AND game_date >= @from AND minutes_played > 0 AS counts,
         IFNULL(has_complete_shot_zones, FALSE)
           AND paint_attempts + mid_range_attempts + three_attempts_pbp > 0 AS rated
  FROM checked
)
SELECT game_date,
       COUNTIF(counts) AS n_rows,
       COUNTIF(counts AND IFNULL(has_complete_shot_zones, FALSE)) AS complete_rows,
       COUNTIF(counts AND rated) AS rated_rows,
       CAST(IFNULL(SUM(IF(counts AND rated,
                          100.0 * paint_attempts
                            / (paint_attempts + mid_range_attempts + three_attempts_pbp),
                          NULL)), 0) AS FLOAT64) AS sum_paint_rate,
       CAST(IFNULL(SUM(IF(counts AND rated,
                          100.0 * three_attempts_pbp
                            / (paint_attempts + mid_range_attempts + three_attempts_pbp),
                          NULL)), 0) AS FLOAT64) AS sum_three_rate,
       -- Player-games left out for a number outside its domain: one named.
       COUNTIF(bad_column IS NOT NULL) AS skipped_rows,
       MIN(IF(bad_column IS NOT NULL, player_lookup, NULL)) AS skipped_player,
       MIN(bad_column) AS skipped_column,
       MIN(CASE bad_column
             WHEN 'points' THEN points_text
             WHEN 'minutes_played' THEN CAST(minutes_played AS STRING)
             WHEN 'paint_attempts' THEN CAST(paint_attempts AS STRING)
             WHEN 'mid_range_attempts' THEN CAST(mid_range_attempts AS STRING)
             WHEN 'three_attempts_pbp' THEN CAST(three_attempts_pbp AS STRING)
           END) AS skipped_value
FROM counted
GROUP BY game_date
HAVING n_rows > 0 OR skipped_rows > 0
ORDER BY game_date";
