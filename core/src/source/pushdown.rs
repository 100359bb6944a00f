//! The aggregated queries of the Splits and Versus views (metrics.md
//! sections 13 and 14), written once for both sources: the SQL is in the
//! dialect SQLite and GoogleSQL share (CASE, COALESCE, window frames, `@name`
//! parameters), only the table references differ. Each view is one query per
//! dataset that returns counts and sums, never rows; values arrive only as
//! parameters, and every read filters `game_date`.

use crate::model::LineSources;
use crate::model::splits::{BucketCounts, Dimension};
use crate::model::versus::{PairCounts, Side};
use chrono::NaiveDate;

/// A parameter value, bound by each source in its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Text(String),
    Float(f64),
    Date(NaiveDate),
}

/// One statement with its named parameters (names without the `@`).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<(String, SqlValue)>,
}

/// How a source names its two tables in SQL.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    pub prediction_accuracy: String,
    pub backtest_predictions: String,
    /// `odds_api_player_points_props` (closing line value, section 18).
    pub line_snapshots: String,
}

/// What the Splits view asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitsQuery {
    pub system: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub edge_threshold: f64,
    /// Lower bounds of the edge buckets, ascending (the last is open-ended).
    pub edge_buckets: Vec<f64>,
    /// Units won per unit staked on a hit (`win / risk`).
    pub payout: f64,
    /// Which `line_source` values are real lines (metrics.md section 1, Rev. 3).
    pub line_sources: LineSources,
}

/// What the Versus view asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct PairQuery {
    pub a: Side,
    pub b: Side,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub edge_threshold: f64,
}

/// Floating edges are compared with this slack, as in the day stats.
const EDGE_SLACK: &str = "1e-9";

/// `[low, high)` of the edge bucket with index `order` (the first reaches
/// down to the bet threshold; the last has no `high`).
pub fn edge_bounds(query: &SplitsQuery, order: i64) -> (f64, Option<f64>) {
    let bounds = &query.edge_buckets;
    let index = usize::try_from(order).unwrap_or(0);
    let low = match index {
        0 => bounds
            .first()
            .map_or(query.edge_threshold, |b| b.min(query.edge_threshold)),
        _ => bounds.get(index).copied().unwrap_or(f64::INFINITY),
    };
    (low, bounds.get(index + 1).copied())
}

/// The label of the edge bucket with index `order`: `[3,4)`, `[7,∞)`.
pub fn edge_label(query: &SplitsQuery, order: i64) -> String {
    let (low, high) = edge_bounds(query, order);
    let number = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    };
    match high {
        Some(high) => format!("[{},{})", number(low), number(high)),
        None => format!("[{},∞)", number(low)),
    }
}

/// The label of bucket `order` of `dimension` where the SQL leaves it empty.
pub fn bucket_label(query: &SplitsQuery, dimension: Dimension, bucket: &str, order: i64) -> String {
    match dimension {
        Dimension::Edge => edge_label(query, order),
        Dimension::ConfidenceDecile if order == 0 => "none".to_string(),
        Dimension::ConfidenceDecile => order.to_string(),
        _ => bucket.to_string(),
    }
}

/// The bet condition of metrics.md section 1 on a row of either table.
pub(crate) fn bet_condition() -> String {
    format!(
        "recommendation IN ('OVER', 'UNDER')
         AND line_value IS NOT NULL
         AND prediction_correct IS NOT NULL
         AND ABS(CAST(predicted_points AS FLOAT64) - CAST(line_value AS FLOAT64)) >= @edge - {EDGE_SLACK}"
    )
}

/// A system's rows of the window, each numbered within its bet (1: the
/// row that counts, `source::one_bet`), with `extra` columns.
pub(crate) fn system_rows(table: &str, id_param: &str, extra: &str) -> String {
    format!(
        "SELECT game_date, player_lookup, game_id, predicted_points, actual_points, line_value,
                recommendation, prediction_correct, is_voided, is_superseded_prediction{extra},
                {copy} AS copy
         FROM {table}
         WHERE system_id = @{id_param}
           AND game_date BETWEEN @from AND @to",
        copy = crate::source::one_bet::copy_number()
    )
}

/// The row that counts of each bet, graded (section 1).
pub(crate) const GRADED_BET_ROW: &str = "copy = 1
         AND NOT COALESCE(is_voided, FALSE)
         AND NOT COALESCE(is_superseded_prediction, FALSE)
         AND predicted_points IS NOT NULL
         AND actual_points IS NOT NULL";

/// The one query of the Splits view: per dimension and bucket, the bets,
/// hits, max drawdown (running units over `(game_date, player_lookup,
/// game_id)`), the naive baselines' wins and the calibration sums.
pub fn splits(tables: &Tables, query: &SplitsQuery) -> Statement {
    let columns = "game_date, player_lookup, game_id, predicted, actual, line, hit, score";
    // The bucket index: how many bounds after the first the edge reaches.
    let edge_index: String = if query.edge_buckets.len() > 1 {
        (1..query.edge_buckets.len())
            .map(|i| format!("CASE WHEN edge >= @edge_{i} - {EDGE_SLACK} THEN 1 ELSE 0 END"))
            .collect::<Vec<_>>()
            .join(" + ")
    } else {
        "0".to_string()
    };
    let order = "ORDER BY game_date, player_lookup, game_id, predicted
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
    let (line_kind, line_params) = query.line_sources.case_sql("ls");
    let sql = format!(
        "WITH system_rows AS (
  {rows}
),
bets AS (
  SELECT game_date, player_lookup, game_id,
         CAST(predicted_points AS FLOAT64) AS predicted,
         CAST(actual_points AS FLOAT64) AS actual,
         CAST(line_value AS FLOAT64) AS line,
         ABS(CAST(predicted_points AS FLOAT64) - CAST(line_value AS FLOAT64)) AS edge,
         recommendation,
         CASE WHEN prediction_correct THEN 1 ELSE 0 END AS hit,
         {line_kind} AS line_kind,
         COALESCE(line_bookmaker, 'unknown') AS bookmaker,
         COALESCE(confidence_decile, 0) AS decile,
         CAST(confidence_score AS FLOAT64) AS score
  FROM system_rows
  WHERE {graded}
    AND {bet}
),
tagged AS (
  SELECT 'all' AS dimension, 'all' AS bucket, 0 AS ord, {columns} FROM bets
  UNION ALL
  SELECT 'edge', '', {edge_index}, {columns} FROM bets
  UNION ALL
  SELECT 'direction', recommendation,
         CASE WHEN recommendation = 'OVER' THEN 0 ELSE 1 END, {columns} FROM bets
  UNION ALL
  SELECT 'line_kind', line_kind,
         CASE line_kind WHEN 'actual' THEN 0 WHEN 'estimated' THEN 1 ELSE 2 END, {columns}
  FROM bets WHERE line_kind <> 'unknown'
  UNION ALL
  SELECT 'bookmaker', bookmaker, 0, {columns} FROM bets
  UNION ALL
  SELECT 'confidence_decile', '', decile, {columns} FROM bets
),
running AS (
  SELECT dimension, bucket, ord, actual, line, hit, score,
         game_date, player_lookup, game_id, predicted,
         SUM(CASE WHEN hit = 1 THEN @payout ELSE -1.0 END)
           OVER (PARTITION BY dimension, bucket, ord {order}) AS units
  FROM tagged
),
peaks AS (
  SELECT dimension, bucket, ord, actual, line, hit, score, units,
         MAX(units) OVER (PARTITION BY dimension, bucket, ord {order}) AS peak
  FROM running
)
SELECT dimension, bucket, ord,
       COUNT(*) AS bets,
       SUM(hit) AS hits,
       MAX(CASE WHEN peak > 0 THEN peak ELSE 0 END - units) AS max_drawdown,
       SUM(CASE WHEN actual <> line THEN 1 ELSE 0 END) AS decided,
       SUM(CASE WHEN actual < line THEN 1 ELSE 0 END) AS under_wins,
       SUM(CASE WHEN actual > line THEN 1 ELSE 0 END) AS over_wins,
       SUM(CASE WHEN score IS NOT NULL THEN 1 ELSE 0 END) AS scored,
       SUM(CASE WHEN score IS NOT NULL THEN hit ELSE 0 END) AS scored_hits,
       COALESCE(SUM(score), 0.0) AS sum_confidence,
       COALESCE(SUM((score - hit) * (score - hit)), 0.0) AS sum_brier
FROM peaks
GROUP BY dimension, bucket, ord
ORDER BY dimension, ord, bucket",
        rows = system_rows(
            &tables.prediction_accuracy,
            "system",
            ", line_source, has_prop_line, line_bookmaker, confidence_decile, confidence_score",
        ),
        graded = GRADED_BET_ROW,
        bet = bet_condition(),
    );
    let mut params = vec![
        ("system".to_string(), SqlValue::Text(query.system.clone())),
        ("from".to_string(), SqlValue::Date(query.from)),
        ("to".to_string(), SqlValue::Date(query.to)),
        ("edge".to_string(), SqlValue::Float(query.edge_threshold)),
        ("payout".to_string(), SqlValue::Float(query.payout)),
    ];
    for (i, bound) in query.edge_buckets.iter().enumerate().skip(1) {
        params.push((format!("edge_{i}"), SqlValue::Float(*bound)));
    }
    params.extend(
        line_params
            .into_iter()
            .map(|(name, value)| (name, SqlValue::Text(value))),
    );
    Statement { sql, params }
}

/// One side's rows, one per key `(player_lookup, game_id)`: of a system,
/// the row that counts of each bet (`source::one_bet`).
fn side_rows(tables: &Tables, side: &Side, name: &str) -> String {
    let (source, filter, order) = match side {
        Side::System { .. } => (
            system_rows(&tables.prediction_accuracy, name, ""),
            GRADED_BET_ROW.to_string(),
            // One row per bet and date is left: a game on two dates keeps its first.
            "game_date".to_string(),
        ),
        Side::Experiment { .. } => (
            format!(
                "SELECT game_date, player_lookup, game_id, predicted_points, actual_points,
                        line_value, recommendation, prediction_correct
                 FROM {}
                 WHERE experiment_id = @{name}
                   AND game_date BETWEEN @from AND @to",
                tables.backtest_predictions
            ),
            "predicted_points IS NOT NULL AND actual_points IS NOT NULL".to_string(),
            "game_date, predicted_points".to_string(),
        ),
    };
    format!(
        "{name}_rows AS (
  SELECT player_lookup, game_id,
         CAST(predicted_points AS FLOAT64) AS predicted,
         CAST(actual_points AS FLOAT64) AS actual,
         CASE WHEN {bet} THEN 1 ELSE 0 END AS bet,
         CASE WHEN prediction_correct THEN 1 ELSE 0 END AS correct,
         ROW_NUMBER() OVER (PARTITION BY player_lookup, game_id ORDER BY {order}) AS key_copy
  FROM ({source}) {name}_source
  WHERE {filter}
),
{name} AS (SELECT * FROM {name}_rows WHERE key_copy = 1)",
        bet = bet_condition(),
    )
}

fn side_id(side: &Side) -> String {
    match side {
        Side::System { system_id } => system_id.clone(),
        Side::Experiment { experiment_id, .. } => experiment_id.clone(),
    }
}

/// The one query of the Versus view: both sides' row counts and the join
/// on `(player_lookup, game_id)` counted in SQL.
pub fn pairs(tables: &Tables, query: &PairQuery) -> Statement {
    let both = "a.bet = 1 AND b.bet = 1";
    let difference = "(ABS(b.predicted - b.actual) - ABS(a.predicted - a.actual))";
    let sql = format!(
        "WITH {a},
{b},
sizes AS (
  SELECT (SELECT COUNT(*) FROM a) AS a_rows, (SELECT COUNT(*) FROM b) AS b_rows
),
joined AS (
  SELECT COUNT(*) AS shared,
         COALESCE(SUM(CASE WHEN {both} THEN 1 ELSE 0 END), 0) AS both_bet,
         COALESCE(SUM(CASE WHEN {both} AND a.correct = 1 THEN 1 ELSE 0 END), 0) AS a_hits,
         COALESCE(SUM(CASE WHEN {both} AND b.correct = 1 THEN 1 ELSE 0 END), 0) AS b_hits,
         COALESCE(SUM(CASE WHEN {both} AND a.correct = 1 AND b.correct = 0 THEN 1 ELSE 0 END), 0)
           AS a_hit_b_miss,
         COALESCE(SUM(CASE WHEN {both} AND a.correct = 0 AND b.correct = 1 THEN 1 ELSE 0 END), 0)
           AS a_miss_b_hit,
         COALESCE(SUM({difference}), 0.0) AS sum_error_difference,
         COALESCE(SUM({difference} * {difference}), 0.0) AS sum_error_difference_sq
  FROM a JOIN b ON a.player_lookup = b.player_lookup AND a.game_id = b.game_id
)
SELECT a_rows, b_rows, shared, both_bet, a_hits, b_hits, a_hit_b_miss, a_miss_b_hit,
       sum_error_difference, sum_error_difference_sq
FROM sizes CROSS JOIN joined",
        a = side_rows(tables, &query.a, "a"),
        b = side_rows(tables, &query.b, "b"),
    );
    let params = vec![
        ("a".to_string(), SqlValue::Text(side_id(&query.a))),
        ("b".to_string(), SqlValue::Text(side_id(&query.b))),
        ("from".to_string(), SqlValue::Date(query.from)),
        ("to".to_string(), SqlValue::Date(query.to)),
        ("edge".to_string(), SqlValue::Float(query.edge_threshold)),
    ];
    Statement { sql, params }
}

/// A result row as either source reads it, by column name.
pub trait Cells {
    fn text(&self, column: &str) -> anyhow::Result<String>;
    fn count(&self, column: &str) -> anyhow::Result<u64>;
    fn float(&self, column: &str) -> anyhow::Result<f64>;
}

/// One row of [`splits`]' answer.
pub fn bucket_counts(cells: &dyn Cells, query: &SplitsQuery) -> anyhow::Result<BucketCounts> {
    let name = cells.text("dimension")?;
    let dimension = Dimension::parse(&name)
        .ok_or_else(|| anyhow::anyhow!("splits query: unknown dimension `{name}`"))?;
    let order = i64::try_from(cells.count("ord")?).unwrap_or(i64::MAX);
    Ok(BucketCounts {
        dimension,
        bucket: bucket_label(query, dimension, &cells.text("bucket")?, order),
        order,
        bets: cells.count("bets")?,
        hits: cells.count("hits")?,
        max_drawdown: cells.float("max_drawdown")?,
        decided: cells.count("decided")?,
        under_wins: cells.count("under_wins")?,
        over_wins: cells.count("over_wins")?,
        scored: cells.count("scored")?,
        scored_hits: cells.count("scored_hits")?,
        sum_confidence: cells.float("sum_confidence")?,
        sum_brier: cells.float("sum_brier")?,
    })
}

/// The one row of [`pairs`]' answer.
pub fn pair_counts(cells: &dyn Cells) -> anyhow::Result<PairCounts> {
    let shared = cells.count("shared")?;
    Ok(PairCounts {
        a_rows: cells.count("a_rows")?,
        b_rows: cells.count("b_rows")?,
        shared,
        both_bet: cells.count("both_bet")?,
        a_hits: cells.count("a_hits")?,
        b_hits: cells.count("b_hits")?,
        a_hit_b_miss: cells.count("a_hit_b_miss")?,
        a_miss_b_hit: cells.count("a_miss_b_hit")?,
        // Every shared key has both predictions and the actual points.
        error_pairs: shared,
        sum_error_difference: cells.float("sum_error_difference")?,
        sum_error_difference_sq: cells.float("sum_error_difference_sq")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(buckets: Vec<f64>) -> SplitsQuery {
        SplitsQuery {
            system: "s".into(),
            from: NaiveDate::MIN,
            to: NaiveDate::MIN,
            edge_threshold: 3.0,
            edge_buckets: buckets,
            payout: 100.0 / 110.0,
            line_sources: LineSources::default(),
        }
    }

    #[test]
    fn edge_labels_follow_the_bounds() {
        let q = query(vec![3.0, 4.0, 5.0, 7.0]);
        let labels: Vec<String> = (0..4).map(|i| edge_label(&q, i)).collect();
        assert_eq!(labels, ["[3,4)", "[4,5)", "[5,7)", "[7,∞)"]);
        assert_eq!(edge_label(&query(vec![2.5]), 0), "[2.5,∞)");
    }

    #[test]
    fn values_are_parameters_and_partitions_are_filtered() {
        let tables = Tables {
            prediction_accuracy: "prediction_accuracy".into(),
            backtest_predictions: "backtest_predictions".into(),
            line_snapshots: "odds_api_player_points_props".into(),
        };
        let statement = splits(&tables, &query(vec![3.0, 4.0, 5.0, 7.0]));
        assert!(statement.sql.contains("game_date BETWEEN @from AND @to"));
        assert!(!statement.sql.contains("'s'"));
        let names: Vec<&str> = statement.params.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "system",
                "from",
                "to",
                "edge",
                "payout",
                "edge_1",
                "edge_2",
                "edge_3",
                "ls_actual_0",
                "ls_actual_1",
                "ls_actual_2",
                "ls_actual_3",
                "ls_estimated_0",
                "ls_none_0",
                "ls_none_1"
            ]
        );
        let pair = pairs(
            &tables,
            &PairQuery {
                a: Side::System {
                    system_id: "x'; DROP".into(),
                },
                b: Side::Experiment {
                    experiment_id: "e".into(),
                    experiment_name: "E".into(),
                },
                from: NaiveDate::MIN,
                to: NaiveDate::MIN,
                edge_threshold: 3.0,
            },
        );
        assert!(!pair.sql.contains("DROP"));
        assert_eq!(
            pair.sql.matches("game_date BETWEEN @from AND @to").count(),
            2
        );
        assert!(pair.sql.contains("FROM backtest_predictions"));
    }
}
