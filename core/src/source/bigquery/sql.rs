//! The BigQuery statements, written once with the configured (validated)
//! table names quoted in. Values only ever arrive as `@parameters`; every
//! read of `prediction_accuracy` carries its required `game_date` filter.

use super::params::Params;
use crate::config::{TableName, TableNames};
use crate::model::diagnostics::DiagnosticsRow;
use crate::source::domains;
use crate::source::tables::TableKind;

/// The statements for one set of table names.
#[derive(Debug, Clone)]
pub struct Sql {
    pub day_stats: String,
    pub quality: String,
    pub latest_date: String,
    pub systems: String,
    pub history: String,
    pub backtest_rows: String,
    pub backtest_experiments: String,
    pub backtest_fingerprints: String,
    pub production_rows: String,
    pub experiments: String,
    pub events: String,
    pub status_of: String,
    pub promoted_for_target: String,
    pub insert_experiment: String,
    pub transition: String,
    pub data_version: String,
    diagnostics: String,
    experiment_events: String,
}

/// A table reference as BigQuery wants it quoted.
fn quoted(name: &TableName) -> String {
    format!("`{}`", name.qualified())
}

/// Graded rows (metrics.md section 1: one row per bet, the line kind from
/// the configured `line_sources`) grouped by date, system, player tier
/// (prior 90 days, no look-ahead), confidence tier and line kind; the
/// per-system day counts (bets, the rows left out of a bet, voided rows,
/// feature quality); and the unlisted `line_source` values with their
/// counts; in one query over the predictions dataset.
const DAY_STATS: &str = "
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
         CAST(NULL AS FLOAT64) AS sum_abs_error, CAST(NULL AS FLOAT64) AS sum_signed_error,
         0 AS lined_rows, CAST(NULL AS FLOAT64) AS sum_line_abs_error,
         CAST(NULL AS FLOAT64) AS sum_abs_error_lined, 0 AS beats, 0 AS bets, 0 AS hits,
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
         CAST(NULL AS FLOAT64) AS sum_abs_error, CAST(NULL AS FLOAT64) AS sum_signed_error,
         0 AS lined_rows, CAST(NULL AS FLOAT64) AS sum_line_abs_error,
         CAST(NULL AS FLOAT64) AS sum_abs_error_lined, 0 AS beats, 0 AS bets, 0 AS hits,
         0 AS feature_quality_rows, CAST(0 AS FLOAT64) AS sum_feature_quality,
         0 AS voided_rows, 0 AS duplicate_rows
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
         CAST(NULL AS FLOAT64) AS sum_abs_error, CAST(NULL AS FLOAT64) AS sum_signed_error,
         0 AS lined_rows, CAST(NULL AS FLOAT64) AS sum_line_abs_error,
         CAST(NULL AS FLOAT64) AS sum_abs_error_lined, 0 AS beats, 0 AS bets, 0 AS hits,
         0 AS feature_quality_rows, CAST(0 AS FLOAT64) AS sum_feature_quality,
         0 AS voided_rows, 0 AS duplicate_rows
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
         CAST(NULL AS FLOAT64) AS sum_abs_error, CAST(NULL AS FLOAT64) AS sum_signed_error,
         0 AS lined_rows, CAST(NULL AS FLOAT64) AS sum_line_abs_error,
         CAST(NULL AS FLOAT64) AS sum_abs_error_lined, 0 AS beats, 0 AS bets, 0 AS hits,
         0 AS feature_quality_rows, CAST(0 AS FLOAT64) AS sum_feature_quality,
         0 AS voided_rows, 0 AS duplicate_rows
  FROM {pa}
  WHERE game_date > @not_after
    AND (@all_systems OR system_id IN UNNEST(@systems))
  GROUP BY game_date, system_id
)
SELECT kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source, n_rows,
       sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error, sum_abs_error_lined,
       beats, bets, hits, feature_quality_rows, sum_feature_quality, voided_rows, duplicate_rows
FROM cells
UNION ALL
SELECT kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source, n_rows,
       sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error, sum_abs_error_lined,
       beats, bets, hits, feature_quality_rows, sum_feature_quality, voided_rows, duplicate_rows
FROM system_days
UNION ALL
SELECT kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source, n_rows,
       sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error, sum_abs_error_lined,
       beats, bets, hits, feature_quality_rows, sum_feature_quality, voided_rows, duplicate_rows
FROM unlisted
UNION ALL
SELECT kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source, n_rows,
       sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error, sum_abs_error_lined,
       beats, bets, hits, feature_quality_rows, sum_feature_quality, voided_rows, duplicate_rows
FROM skipped
UNION ALL
SELECT kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source, n_rows,
       sum_abs_error, sum_signed_error, lined_rows, sum_line_abs_error, sum_abs_error_lined,
       beats, bets, hits, feature_quality_rows, sum_feature_quality, voided_rows, duplicate_rows
FROM future
ORDER BY kind, game_date, system_id, player_tier, confidence_tier, line_kind, line_source";

/// The first column of a prediction outside its domain, or NULL.
fn prediction_outside() -> String {
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
const QUALITY: &str = "
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

/// The diagnostics columns courtside writes (`created_at` keeps its default).
fn diagnostics_columns() -> Vec<&'static str> {
    TableKind::Diagnostics.columns_except(&["created_at"])
}

/// Adds the parameters of one diagnostics row (`d{index}_{column}`).
pub fn diagnostics_params(params: &mut Params, index: usize, row: &DiagnosticsRow) {
    let name = |column: &str| format!("d{index}_{column}");
    params
        .date(&name("game_date"), Some(row.game_date))
        .timestamp(&name("computed_at"), Some(row.computed_at))
        .float(&name("vegas_mae_tier1"), row.vegas_mae_tier1)
        .float(&name("vegas_mae_tier2"), row.vegas_mae_tier2)
        .float(&name("vegas_mae_tier3"), row.vegas_mae_tier3)
        .float(&name("model_beats_vegas_pct"), row.model_beats_vegas_pct)
        .float(&name("sharpness_score"), row.sharpness_score)
        .string(&name("sharpness_status"), row.sharpness_status.as_deref())
        .float(&name("hit_rate_7d"), row.hit_rate_7d)
        .float(&name("hit_rate_14d"), row.hit_rate_14d)
        .float(&name("hit_rate_30d"), row.hit_rate_30d)
        .float(&name("model_mae"), row.model_mae)
        .float(&name("model_mean_error"), row.model_mean_error)
        .string(&name("bias_direction"), row.bias_direction.as_deref())
        .float(&name("drift_score"), row.drift_score)
        .string(&name("drift_severity"), row.drift_severity.as_deref())
        .float(&name("shot_zone_completeness"), row.shot_zone_completeness)
        .int(&name("predictions_made"), row.predictions_made)
        .int(&name("predictions_graded"), row.predictions_graded)
        .float(&name("feature_quality_avg"), row.feature_quality_avg)
        .float(&name("vegas_mae_baseline"), row.vegas_mae_baseline)
        .float(&name("hit_rate_baseline"), row.hit_rate_baseline)
        .float(&name("sharpness_vs_baseline"), row.sharpness_vs_baseline)
        .string(&name("primary_cause"), row.primary_cause.as_deref())
        .float(&name("cause_confidence"), row.cause_confidence)
        .string(
            &name("contributing_factors"),
            row.contributing_factors
                .as_ref()
                .filter(|v| !v.is_null())
                .map(|v| v.to_string())
                .as_deref(),
        )
        .bool(&name("alert_triggered"), Some(row.alert_triggered))
        .string(&name("alert_level"), Some(&row.alert_level))
        .string(&name("alert_message"), row.alert_message.as_deref())
        .string(&name("system_id"), row.system_id.as_deref())
        .float(&name("coverage"), row.coverage)
        .int(&name("missing_dates_7d"), row.missing_dates_7d)
        .float(&name("cusum_stat"), row.cusum_stat)
        .float(&name("cusum_threshold"), row.cusum_threshold)
        .bool(&name("cusum_alarm"), row.cusum_alarm);
}

/// The history read of the diagnostics table (quoted as `diagnostics`) with
/// each of courtside's added columns in `missing` read as a typed NULL (the
/// team's table lacks them; a row without `system_id` is the legacy system's).
pub fn history_sql(diagnostics: &str, missing: &[&str]) -> String {
    let list: Vec<String> = diagnostics_columns()
        .into_iter()
        .map(|column| {
            let added = crate::source::presence::DIAGNOSTICS_ADDED
                .iter()
                .find(|(name, _)| *name == column && missing.contains(name));
            match added {
                Some((name, kind)) => format!("CAST(NULL AS {kind}) AS {name}"),
                None => column.to_string(),
            }
        })
        .collect();
    let system = if missing.contains(&"system_id") {
        "CAST(NULL AS STRING)"
    } else {
        "system_id"
    };
    format!(
        "SELECT {} FROM {diagnostics}
         WHERE game_date BETWEEN @from AND @to
           AND (@system IS NULL OR IFNULL({system}, @legacy) = @system)
         ORDER BY game_date, {system}",
        list.join(", ")
    )
}

impl Sql {
    /// [`history_sql`] on this source's diagnostics table.
    pub fn history_without(&self, missing: &[&str]) -> String {
        history_sql(&self.diagnostics, missing)
    }

    pub fn new(tables: &TableNames) -> Sql {
        let pa = quoted(&tables.prediction_accuracy);
        let pgs = quoted(&tables.player_game_summary);
        let diagnostics = quoted(&tables.diagnostics);
        let experiments = quoted(&tables.experiments);
        let events = quoted(&tables.experiment_events);
        let backtest = quoted(&tables.backtest_predictions);
        let fill = |text: &str| {
            text.replace("{pa}", &pa)
                .replace("{pgs}", &pgs)
                .replace("{copy_number}", &crate::source::one_bet::copy_number())
                .replace("{prediction_outside}", &prediction_outside())
                .replace("{player_game_outside}", &player_game_outside())
                .replace("{player_games_within}", &player_games_within("s."))
        };
        let experiment_columns = TableKind::Experiments.column_list();
        Sql {
            day_stats: fill(DAY_STATS),
            quality: fill(QUALITY),
            // The latest *valid* date: none after today plus future_days,
            // none from a row holding a number outside its domain.
            latest_date: format!(
                "SELECT MAX(game_date) AS latest FROM {pa}
                 WHERE game_date >= @since AND game_date <= @not_after
                   AND (@system IS NULL OR system_id = @system)
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
                   AND {prediction_outside} IS NULL",
                prediction_outside = prediction_outside()
            ),
            // Each system of the window with its latest graded date: the
            // system list and the latest dates from one pruned scan.
            systems: format!(
                "SELECT system_id,
                        MAX(IF(predicted_points IS NOT NULL AND actual_points IS NOT NULL
                                 AND {prediction_outside} IS NULL,
                               game_date, NULL)) AS latest
                 FROM {pa}
                 WHERE game_date >= @since AND game_date <= @not_after
                   AND system_id IS NOT NULL
                 GROUP BY system_id
                 ORDER BY system_id",
                prediction_outside = prediction_outside()
            ),
            history: history_sql(&diagnostics, &[]),
            backtest_rows: format!(
                "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        CAST(NULL AS BOOL) AS has_prop_line, recommendation, prediction_correct
                 FROM {backtest}
                 WHERE experiment_id = @id
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
                 ORDER BY game_date, player_lookup, game_id"
            ),
            backtest_experiments: format!(
                "SELECT DISTINCT experiment_id FROM {backtest} ORDER BY experiment_id"
            ),
            // metrics.md section 16: counts, and SHA-256 over the distinct
            // keys in code point order, each `player TAB game NEWLINE`.
            backtest_fingerprints: format!(
                "WITH counts AS (
                   SELECT experiment_id, COUNT(*) AS n_rows, COUNT(DISTINCT game_date) AS dates,
                          -- Real lines as the configured line_sources list them.
                          AVG(IF(line_source IN UNNEST(@actual_sources), 1.0, 0.0)) AS actual_share,
                          MIN(game_date) AS first_date, MAX(game_date) AS last_date
                   FROM {backtest} GROUP BY experiment_id),
                 keys AS (
                   SELECT DISTINCT experiment_id, player_lookup, game_id FROM {backtest}),
                 hashes AS (
                   SELECT experiment_id,
                          TO_HEX(SHA256(STRING_AGG(CONCAT(player_lookup, '\\t', game_id, '\\n'), ''
                                                  ORDER BY player_lookup, game_id))) AS key_hash
                   FROM keys GROUP BY experiment_id)
                 SELECT c.experiment_id, c.n_rows, c.dates, c.actual_share, c.first_date,
                        c.last_date, h.key_hash
                 FROM counts c JOIN hashes h ON h.experiment_id = c.experiment_id
                 ORDER BY c.experiment_id"
            ),
            // One row per bet (`source::one_bet`), then section 1's filters.
            production_rows: format!(
                "SELECT player_lookup, game_date, predicted_points, line_value, line_source,
                        has_prop_line, recommendation, prediction_correct
                 FROM (SELECT player_lookup, game_id, game_date, predicted_points, line_value,
                              line_source, has_prop_line, recommendation, prediction_correct,
                              actual_points, is_voided, is_superseded_prediction,
                              {copy} AS copy
                       FROM {pa}
                       WHERE game_date BETWEEN @from AND @to AND system_id = @system
                         AND {prediction_outside} IS NULL)
                 WHERE copy = 1
                   AND NOT IFNULL(is_voided, FALSE)
                   AND NOT IFNULL(is_superseded_prediction, FALSE)
                   AND predicted_points IS NOT NULL AND actual_points IS NOT NULL
                 ORDER BY game_date, player_lookup, game_id",
                copy = crate::source::one_bet::copy_number(),
                prediction_outside = prediction_outside()
            ),
            experiments: format!(
                "SELECT {experiment_columns} FROM {experiments}
                 ORDER BY created_at DESC, experiment_name"
            ),
            events: format!(
                "SELECT experiment_id, `at`, actor, from_status, to_status, note FROM {events}
                 WHERE (@id IS NULL OR experiment_id = @id)
                 ORDER BY `at`, IF(to_status = 'archived' AND from_status = 'promoted', 1, 0),
                          experiment_id"
            ),
            status_of: format!("SELECT status FROM {experiments} WHERE experiment_id = @id"),
            promoted_for_target: format!(
                "SELECT experiment_id FROM {experiments}
                 WHERE status = 'promoted' AND experiment_id <> @id
                   AND IFNULL(JSON_VALUE(config_json, '$.target_system'), @production) = @target
                 ORDER BY experiment_id"
            ),
            insert_experiment: format!(
                "INSERT INTO {experiments} ({experiment_columns})
                 SELECT @id, @name, @hypothesis, @type, @tags, PARSE_JSON(@config),
                        IF(@train_set, STRUCT(@train_start AS start_date, @train_end AS end_date,
                                              @train_samples AS samples), NULL),
                        IF(@eval_set, STRUCT(@eval_start AS start_date, @eval_end AS end_date,
                                             @eval_samples AS samples), NULL),
                        PARSE_JSON(@results), @model_path, @git_commit, @parent, @status,
                        @created_at, @completed_at, @created_by
                 FROM (SELECT 1)
                 WHERE NOT EXISTS (SELECT 1 FROM {experiments} WHERE experiment_id = @id)"
            ),
            // The change applies only while the status is still @from; a
            // promotion only while the experiments promoted for the target are
            // exactly @archives (its plan), and archives them in the same
            // statement. So the statement changes all it planned or nothing,
            // and the events written after it are exactly its changes.
            transition: format!(
                "UPDATE {experiments}
                 SET status = IF(experiment_id = @id, @to, 'archived'),
                     completed_at = IF(experiment_id = @id AND @finished, @at, completed_at),
                     results_json = IF(experiment_id = @id AND @results IS NOT NULL,
                                       PARSE_JSON(@results), results_json),
                     model_path = IF(experiment_id = @id, IFNULL(@model_path, model_path),
                                     model_path)
                 WHERE ((experiment_id = @id AND status = @from)
                        OR (@promoting AND status = 'promoted'
                            AND experiment_id IN UNNEST(@archives)))
                   AND EXISTS (SELECT 1 FROM {experiments}
                               WHERE experiment_id = @id AND status = @from)
                   AND (NOT @promoting OR (
                        NOT EXISTS (SELECT 1 FROM {experiments}
                                    WHERE status = 'promoted' AND experiment_id <> @id
                                      AND IFNULL(JSON_VALUE(config_json, '$.target_system'),
                                                 @production) = @target
                                      AND experiment_id NOT IN UNNEST(@archives))
                        AND (SELECT COUNT(*) FROM {experiments}
                             WHERE status = 'promoted' AND experiment_id IN UNNEST(@archives))
                            = ARRAY_LENGTH(@archives)))"
            ),
            data_version: format!(
                "SELECT (SELECT COUNT(*) FROM {pa} WHERE game_date >= @since) AS predictions,
                        (SELECT MAX(graded_at) FROM {pa} WHERE game_date >= @since) AS last_graded,
                        (SELECT COUNT(*) FROM {pgs} WHERE game_date >= @since) AS player_games"
            ),
            diagnostics,
            experiment_events: events,
        }
    }

    /// A MERGE of `rows` diagnostics rows (parameters from [`diagnostics_params`]):
    /// each (date, system) row replaced, never duplicated. For each index in
    /// `legacy` (rows of the legacy system) a marker row with no system
    /// deletes that date's legacy row without a system, in the same MERGE:
    /// each target row matches one source row at most.
    pub fn merge_diagnostics(&self, rows: usize, legacy: &[usize]) -> String {
        let columns = diagnostics_columns();
        let select = |index: usize, marker: bool| {
            let values: Vec<String> = columns
                .iter()
                .map(|column| {
                    let parameter = format!("@d{index}_{column}");
                    match *column {
                        "system_id" if marker => format!("CAST(NULL AS STRING) AS {column}"),
                        "contributing_factors" => format!("PARSE_JSON({parameter}) AS {column}"),
                        _ => format!("{parameter} AS {column}"),
                    }
                })
                .collect();
            format!("SELECT {}, {marker} AS drop_legacy", values.join(", "))
        };
        let selects: Vec<String> = (0..rows)
            .map(|index| select(index, false))
            .chain(legacy.iter().map(|index| select(*index, true)))
            .collect();
        let updates: Vec<String> = columns
            .iter()
            .filter(|column| !matches!(**column, "game_date" | "system_id"))
            .map(|column| format!("{column} = S.{column}"))
            .collect();
        let values: Vec<String> = columns.iter().map(|column| format!("S.{column}")).collect();
        let columns = columns.join(", ");
        format!(
            "MERGE {} T USING ({}) S
             ON T.game_date = S.game_date AND IFNULL(T.system_id, '') = IFNULL(S.system_id, '')
             WHEN MATCHED AND S.drop_legacy THEN DELETE
             WHEN MATCHED THEN UPDATE SET {}
             WHEN NOT MATCHED AND NOT S.drop_legacy THEN INSERT ({columns}) VALUES ({})",
            self.diagnostics,
            selects.join(" UNION ALL "),
            updates.join(", "),
            values.join(", ")
        )
    }

    /// An INSERT of `count` audit events (parameters `e{index}_…`).
    pub fn insert_events(&self, count: usize) -> String {
        let rows: Vec<String> = (0..count)
            .map(|i| format!("(@e{i}_id, @e{i}_at, @e{i}_actor, @e{i}_from, @e{i}_to, @e{i}_note)"))
            .collect();
        format!(
            "INSERT INTO {} (experiment_id, `at`, actor, from_status, to_status, note) VALUES {}",
            self.experiment_events,
            rows.join(", ")
        )
    }

    /// Every row of a table, explicit columns, in key order.
    pub fn export<'a>(
        &self,
        table: &TableName,
        columns: impl Iterator<Item = &'a str>,
        filter: Option<&str>,
        order: &[&str],
    ) -> String {
        let columns: Vec<String> = columns.map(|c| format!("`{c}`")).collect();
        let order: Vec<String> = order.iter().map(|c| format!("`{c}`")).collect();
        let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
        let order = if order.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", order.join(", "))
        };
        format!(
            "SELECT {} FROM {}{filter}{order}",
            columns.join(", "),
            quoted(table)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_of_prediction_accuracy_filters_its_partition() {
        let sql = Sql::new(&TableNames::default());
        let table = "`nba_predictions.prediction_accuracy`";
        for text in [
            &sql.day_stats,
            &sql.latest_date,
            &sql.systems,
            &sql.production_rows,
            &sql.data_version,
        ] {
            let reads: Vec<&str> = text.split(table).skip(1).collect();
            assert!(!reads.is_empty(), "{text}");
            for read in reads {
                // The clause right after the table is the partition filter.
                let clause: String = read
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(
                    clause == "WHERE game_date BETWEEN"
                        || clause == "WHERE game_date >="
                        || clause == "WHERE game_date >",
                    "`{clause}` in {text}"
                );
            }
        }
    }

    #[test]
    fn statements_use_parameters_and_quoted_names_only() {
        let sql = Sql::new(&TableNames::default());
        let merge = sql.merge_diagnostics(2, &[0]);
        assert!(merge.contains("@d1_system_id AS system_id"));
        // Row 0 is the legacy system's: a marker without a system deletes
        // the date's legacy row.
        assert!(merge.contains("CAST(NULL AS STRING) AS system_id"));
        assert_eq!(merge.matches("true AS drop_legacy").count(), 1);
        assert!(merge.contains("WHEN MATCHED AND S.drop_legacy THEN DELETE"));
        assert!(merge.contains("PARSE_JSON(@d0_contributing_factors)"));
        assert!(merge.starts_with("MERGE `nba_orchestration.performance_diagnostics_daily`"));
        for text in [&sql.day_stats, &sql.quality, &sql.history, &sql.experiments] {
            assert!(!text.contains("SELECT *") && !text.contains(".*"), "{text}");
            // A parameter's name in a comment is bound as one by some
            // engines (the emulator's rewriter does).
            for line in text
                .lines()
                .filter(|line| line.trim_start().starts_with("--"))
            {
                assert!(!line.contains('@'), "{line}");
            }
        }
        assert!(sql.insert_events(2).contains("(@e1_id, @e1_at"));
    }
}
